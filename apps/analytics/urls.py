"""Pages of analytics, mounted at /analytics/."""
from django.urls import path

from apps.analytics import views

urlpatterns = [
    path("", views.home, name="analytics-home"),
    path("screen/", views.screen, name="analytics-screen"),
    path("reports/", views.reports, name="analytics-reports"),
    path("reports/<int:pk>.pdf", views.report_download, name="analytics-report-download"),
    path("export/<slug:figure>.xlsx", views.export, name="analytics-export"),
]
