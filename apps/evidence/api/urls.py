"""API of evidence preservation under /api/evidence/."""
from django.urls import path  # noqa: F401

urlpatterns = []
