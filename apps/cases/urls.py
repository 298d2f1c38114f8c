"""Staff pages of enforcement cases, mounted at /cases/."""
from django.urls import path  # noqa: F401

urlpatterns = []
