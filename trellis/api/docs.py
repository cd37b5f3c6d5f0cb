"""Swagger UI for our Ninja APIs, served from our own static files.

With "ninja" in INSTALLED_APPS, Ninja renders its bundled template (no CDN): the CSS, the
bundle and an init script all come from /static/ninja/, and the settings travel in a JSON data
block, so the page runs under the default strict Content-Security-Policy without exception.
The validator badge would call validator.swagger.io; it is switched off so the page makes no
request to another host.
"""

from ninja.openapi.docs import Swagger

OFFLINE_SWAGGER = Swagger(settings={"validatorUrl": None})
