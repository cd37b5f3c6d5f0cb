"""Credit pages: renewal progress, transcript, salary lanes, and the district's credit setup."""

app_name = "credit"

urlpatterns: list = []
