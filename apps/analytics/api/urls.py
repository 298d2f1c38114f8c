"""API of analytics, mounted at /api/analytics/."""
from django.urls import path

from apps.analytics.api import views

urlpatterns = [
    path("peak-times/", views.PeakTimesView.as_view(), name="api-analytics-peak-times"),
    path("hot-spots/", views.HotSpotsView.as_view(), name="api-analytics-hot-spots"),
    path("growth/", views.GrowthView.as_view(), name="api-analytics-growth"),
    path("screen/", views.ScreenView.as_view(), name="api-analytics-screen"),
    path("forecast/", views.ForecastView.as_view(), name="api-analytics-forecast"),
]
