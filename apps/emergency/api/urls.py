"""API of emergency, mounted at /api/emergency/."""
from django.urls import path

from apps.emergency.api import views

urlpatterns = [
    path("incidents/active/", views.ActiveIncidentListView.as_view(), name="api-emergency-active-incidents"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="api-emergency-incident-detail"),
    path("alerts/", views.AlertUploadView.as_view(), name="api-emergency-alert-upload"),
    path("plans/<int:pk>/activate/", views.PlanActivateView.as_view(), name="api-emergency-plan-activate"),
]
