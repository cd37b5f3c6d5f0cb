"""URL wiring: each app's pages, the JSON API and the health check."""

from django.urls import include, path

from trellis.api.v1.api import api
from trellis.api.vc.api import vc_api
from trellis.dashboard import views as dashboard_views

urlpatterns = [
    path("", include("trellis.dashboard.urls")),
    path("accounts/", include("trellis.accounts.urls")),
    path("notifications/", include("trellis.notifications.urls")),
    path("district/", include("trellis.districts.urls")),
    path("district/", include("trellis.privacy.urls")),  # erasing an educator's data
    path("", include("trellis.growth.urls")),  # /people/, /growth/, /caseload/, …
    path("frameworks/", include("trellis.frameworks.urls")),
    path("roster/", include("trellis.roster.urls")),
    path("", include("trellis.catalog.urls")),  # /catalog/, /learning/, /approvals/, …
    path("credit/", include("trellis.credit.urls")),
    path("micro-credentials/", include("trellis.microcredentials.urls")),
    path("credentials/", include("trellis.credentials.urls")),
    path("verify/", include("trellis.credentials.urls_verify")),
    path("", include("trellis.credentials.urls_public")),  # DID documents, status lists
    path("", include("trellis.credentials.urls_portability")),  # OB 2.0, CLR, imports, batches
    path("quality/", include("trellis.quality.urls")),  # vetting, proposals, scorecards, reviews
    path("informal/", include("trellis.informal.urls")),  # the informal-learning log
    path("xapi/", include("trellis.informal.urls_xapi")),  # the xAPI statement endpoint
    path("voice/", include("trellis.voice.urls")),  # topic requests, volunteering
    path("recommendations/", include("trellis.recommend.urls")),
    path("reports/", include("trellis.reports.urls")),  # dashboards, drill-downs, exports
    path("api/v1/", api.urls),
    path("vc-api/", vc_api.urls),
    path("healthz", dashboard_views.healthz, name="healthz"),
]

handler403 = "trellis.dashboard.views.permission_denied"
handler404 = "trellis.dashboard.views.page_not_found"
handler500 = "trellis.dashboard.views.server_error"
