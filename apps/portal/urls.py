"""Public pages of the citizen portal, mounted at /report/."""
from django.urls import path

from apps.portal import views

urlpatterns = [
    path("", views.report, name="portal-report"),
    path("track/", views.track_lookup, name="portal-track-lookup"),
    path("track/<str:code>/", views.track, name="portal-track"),
]
