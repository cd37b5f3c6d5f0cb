"""Credit pages: the educator's own (`educator`) and the district's credit setup (`manage`)."""
