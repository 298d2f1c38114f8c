"""API of enforcement cases under /api/cases/."""
from django.urls import path  # noqa: F401

urlpatterns = []
