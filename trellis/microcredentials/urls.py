"""Micro-credential pages under /micro-credentials/: definitions and stacks (authoring), the
educator's submissions (earning), and assessment."""

from trellis.microcredentials.urls_assessment import urlpatterns as assessment_patterns
from trellis.microcredentials.urls_authoring import urlpatterns as authoring_patterns
from trellis.microcredentials.urls_earning import urlpatterns as earning_patterns

app_name = "microcredentials"

urlpatterns = [*authoring_patterns, *earning_patterns, *assessment_patterns]
