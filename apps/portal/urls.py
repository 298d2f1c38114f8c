"""Public pages of the citizen portal, mounted at /report/."""
from django.urls import path

from apps.portal import photo_views, rating_views, views

urlpatterns = [
    path("", views.report, name="portal-report"),
    path("track/", views.track_lookup, name="portal-track-lookup"),
    path("track/<str:code>/", views.track, name="portal-track"),
    path("track/<str:code>/photos/<int:pk>/", photo_views.track_photo, name="portal-track-photo"),
    path("track/<str:code>/rate/", rating_views.track_rate, name="portal-track-rate"),
    path("rate/<str:token>/", rating_views.rate_by_link, name="portal-rate"),
]
