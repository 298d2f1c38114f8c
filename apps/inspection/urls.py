"""Staff pages of patrol inspection, mounted at /inspection/."""
from django.urls import path  # noqa: F401

urlpatterns = []
