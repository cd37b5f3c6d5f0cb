"""Quality: vetting rubric, educator-proposed offerings, reviews and impact scorecards."""
