"""Project wiring: settings, URLs, WSGI/ASGI and the `trellis` command line. No domain code."""
