"""See trellis/catalog/urls.py."""

urlpatterns: list = []
