"""The site's URLs plus, until the lead registers trellis/api/v1/notifications.py in
/api/v1/, a test-only API that mounts that router the same way (same auth, same errors)."""

from django.urls import Resolver404, include, path, resolve
from ninja import NinjaAPI

from trellis.api.v1 import notifications
from trellis.api.v1.auth import token_auth
from trellis.api.v1.errors import install_error_handlers

# By name, not import: the tests must not import `config` (the layers contract).
site = path("", include("config.urls"))

try:
    resolve("/api/v1/me/notifications")
    PREFIX = "/api/v1"
    urlpatterns = [site]
except Resolver404:
    _api = NinjaAPI(urls_namespace="api-v1-notifications-test", auth=token_auth, docs_url=None)
    install_error_handlers(_api)
    _api.add_router("/", notifications.router)
    PREFIX = "/api/test-notifications"
    urlpatterns = [path("api/test-notifications/", _api.urls), site]
