"""API of ledger under /api/ledger/."""
from django.urls import path  # noqa: F401

urlpatterns = []
