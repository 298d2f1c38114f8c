"""Pages of analytics, mounted at /analytics/."""
from django.urls import path

from apps.analytics import views

urlpatterns = [
    path("", views.home, name="analytics-home"),
    path("export/<slug:figure>.xlsx", views.export, name="analytics-export"),
]
