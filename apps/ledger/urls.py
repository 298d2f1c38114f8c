"""Staff pages of ledger, mounted at /ledger/."""
from django.urls import path  # noqa: F401

urlpatterns = []
