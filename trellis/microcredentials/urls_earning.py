"""See trellis/microcredentials/urls.py."""

urlpatterns: list = []
