"""District reports, mounted at /reports/."""

from django.urls import path

from trellis.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("board-report.pdf", views.board_report, name="board_report"),
    # "all" is registered before the per-table route so it is never taken for a table key.
    path("export/all.xlsx", views.all_xlsx, name="export_all_xlsx"),
    path("export/<slug:key>.csv", views.table_csv, name="export_csv"),
    path("export/<slug:key>.xlsx", views.table_xlsx, name="export_xlsx"),
    path("drill/<str:drill>/", views.drill, name="drill"),
    path("drill/<str:drill>/export.csv", views.drill_csv, name="drill_csv"),
]
