"""API of evidence preservation under /api/evidence/."""
from django.urls import path

from apps.evidence.api import views

urlpatterns = [
    path("", views.EvidenceListCreateView.as_view(), name="api-evidence-list"),
    path("public-key/", views.PublicKeyView.as_view(), name="api-evidence-public-key"),
    path("public-keys/", views.PublicKeyListView.as_view(), name="api-evidence-public-keys"),
    path("tree-heads/latest/", views.LatestTreeHeadView.as_view(), name="api-evidence-tree-head-latest"),
    path("consistency/", views.ConsistencyView.as_view(), name="api-evidence-consistency"),
    path("<int:pk>/", views.EvidenceDetailView.as_view(), name="api-evidence-detail"),
    path("<int:pk>/file/", views.EvidenceFileView.as_view(), name="api-evidence-file"),
    path("<int:pk>/proof/", views.EvidenceProofView.as_view(), name="api-evidence-proof"),
    path("<int:pk>/bundle/", views.EvidenceBundleView.as_view(), name="api-evidence-bundle"),
]
