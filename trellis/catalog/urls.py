"""Catalog pages under /catalog/ (browse, offering pages, managing the catalog) and the
educator's learning under /learning/ (enrolments, approvals, attendance, surveys)."""

from trellis.catalog.urls_attendance import urlpatterns as attendance_patterns
from trellis.catalog.urls_catalog import urlpatterns as catalog_patterns
from trellis.catalog.urls_learning import urlpatterns as learning_patterns

app_name = "catalog"

urlpatterns = [*catalog_patterns, *learning_patterns, *attendance_patterns]
