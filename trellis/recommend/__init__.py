"""Recommendations: the PD with the most potential for impact for each educator."""
