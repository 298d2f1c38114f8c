"""Staff pages of evidence preservation, mounted at /evidence/."""
from django.urls import path

from apps.evidence import views

urlpatterns = [
    path("", views.evidence_list, name="evidence-list"),
    path("keys/", views.public_keys, name="evidence-public-keys"),
    path("<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("<int:pk>/file/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/bundle/", views.evidence_bundle, name="evidence-bundle"),
]
