"""The JSON API at /api/v1/: one NinjaAPI, one router per domain, one error shape."""

from ninja import NinjaAPI

from trellis.api.docs import OFFLINE_SWAGGER
from trellis.api.v1 import (
    catalog,
    credential_portability,
    credentials,
    credit,
    credit_imported,
    districts,
    enrolment,
    frameworks,
    growth,
    informal,
    mc_assessment,
    mc_authoring,
    mc_earning,
    mc_uploads,
    me,
    notifications,
    privacy,
    quality,
    recommend,
    reports,
    roster,
    verify,
    voice,
)
from trellis.api.v1.auth import token_auth
from trellis.api.v1.errors import install_error_handlers

api = NinjaAPI(
    title="Trellis API",
    version="1.0.0",
    description=(
        "Personalised professional learning and verifiable micro-credentials. Get a token with "
        "POST /api/v1/auth/token, then send `Authorization: Bearer <token>`. Errors always look like "
        '{"error": {"code", "message", "details"}}. Choose the district with the X-Trellis-District '
        "header (slug or id); the default is your first district."
    ),
    auth=token_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=OFFLINE_SWAGGER,
)
install_error_handlers(api)
api.add_router("/auth", me.auth_router)
api.add_router("/me", me.router)
api.add_router("/", districts.router)
api.add_router("/", growth.router)  # /me/profile, /me/goals, /goals/{id}/comments, …
api.add_router("/", roster.router)
api.add_router("/frameworks", frameworks.router)
api.add_router(
    "/", quality.router
)  # before catalog: /offerings/proposals must not match /offerings/{id}
api.add_router("/", catalog.router)  # /offerings, /offerings/{id}
api.add_router("/", enrolment.router)  # /offerings/{id}/enrollments, /me/enrollments, decisions
api.add_router("/", credit.router)  # /me/renewal, /me/transcript
api.add_router("/", credit_imported.router)  # /credit/imported-credentials…
api.add_router("/", mc_authoring.router)  # /micro-credentials, /micro-credentials/{id}
api.add_router("/", mc_earning.router)  # /micro-credentials/{id}/submissions, /submissions/{id}
api.add_router("/", mc_uploads.router)  # /submissions/{id}/uploads, /uploads/{id}
api.add_router("/", mc_assessment.router)  # /assessments, /submissions/{id}/scores
api.add_router("/", credentials.router)  # /credentials, /credentials/{id}, …/revoke
api.add_router("/", verify.router)  # /verify (public)
api.add_router("/", credential_portability.router)  # /me/transcript/clr, /me/imported-badges
api.add_router("/", informal.router)  # /me/informal-learning
api.add_router("/", voice.router)  # /topic-requests, /me/volunteering
api.add_router("/", recommend.router)  # /me/recommendations, /educators/{id}/recommendations
api.add_router("/", reports.router)  # /reports/summary, /reports/tables/<key>, /reports/drill
api.add_router("/", notifications.router)  # /me/notifications, /me/notification-preferences
api.add_router("/", privacy.router)  # /people/{id}/erase
