"""The VC-API instance. Errors are problem details (RFC 9457-style JSON), as VC-API clients
expect, not the /api/v1 error shape."""

from ninja import NinjaAPI

vc_api = NinjaAPI(
    title="Trellis VC-API",
    version="1.0.0",
    description=(
        "W3C VC-API: POST /vc-api/credentials/issue (Bearer token of a district admin), "
        "POST /vc-api/credentials/verify and /vc-api/presentations/verify (public)."
    ),
    urls_namespace="vc-api",
    docs_url="/docs",
)
