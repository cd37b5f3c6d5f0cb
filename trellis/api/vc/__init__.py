"""The W3C VC-API at /vc-api/ (DESIGN §7): issuing needs a token with issuing rights, verifying
is public. Each route lives in its own module and is added to `vc_api` in `api.py`."""
