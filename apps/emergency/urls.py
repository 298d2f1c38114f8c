"""Pages of emergency, mounted at /emergency/."""
from django.urls import path

from apps.emergency import views

urlpatterns = [
    path("", views.home, name="emergency-home"),
    path("plans/", views.plan_list, name="emergency-plans"),
    path("plans/new/", views.plan_new, name="emergency-plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="emergency-plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="emergency-plan-edit"),
    path("plans/<int:pk>/activate/", views.plan_activate, name="emergency-plan-activate"),
    path("alerts/", views.alert_list, name="emergency-alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="emergency-alert-detail"),
    path("incidents/<int:pk>/", views.incident_detail, name="emergency-incident-detail"),
    path("incidents/<int:pk>/note/", views.incident_note, name="emergency-incident-note"),
    path("incidents/<int:pk>/close/", views.incident_close, name="emergency-incident-close"),
]
