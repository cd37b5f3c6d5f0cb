"""The production URLs plus `GET /bench/minimal`: the least work Django can do for a request.

It touches no database, session or template, so it measures the server, the middleware stack
and the network; landing pages are reported as a ratio against it. Wired in by
`benchmarks.settings_bench` only, never by production settings.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as production_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal, name="bench-minimal"), *production_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
