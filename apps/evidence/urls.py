"""Staff pages of evidence preservation, mounted at /evidence/."""
from django.urls import path  # noqa: F401

urlpatterns = []
