"""API of patrol inspection under /api/inspection/."""
from django.urls import path  # noqa: F401

urlpatterns = []
