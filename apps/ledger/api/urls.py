"""API of ledger under /api/ledger/."""
from django.urls import path

from apps.ledger.api import views

urlpatterns = [
    path("licences/", views.LicenceListView.as_view(), name="api-ledger-licence-list"),
    path("licences/<int:pk>/", views.LicenceDetailView.as_view(), name="api-ledger-licence-detail"),
    path("zones/", views.ZoneListView.as_view(), name="api-ledger-zone-list"),
    path("zones/<int:pk>/", views.ZoneDetailView.as_view(), name="api-ledger-zone-detail"),
    path("zones/<int:pk>/assessments/", views.ZoneAssessmentView.as_view(), name="api-ledger-zone-assessments"),
    path("key-points/", views.KeyPointListView.as_view(), name="api-ledger-key-point-list"),
    path("key-points/<int:pk>/", views.KeyPointDetailView.as_view(), name="api-ledger-key-point-detail"),
    path("places/<int:pk>/", views.PlaceLedgerView.as_view(), name="api-ledger-place"),
    path("imports/", views.ImportView.as_view(), name="api-ledger-import"),
    path("comparisons/", views.ComparisonView.as_view(), name="api-ledger-comparison"),
    path("findings/", views.FindingListView.as_view(), name="api-ledger-finding-list"),
    path("findings/send-back/", views.SendBackView.as_view(), name="api-ledger-send-back"),
    path("send-backs/", views.SendBackListView.as_view(), name="api-ledger-send-back-list"),
    path("send-backs/<int:pk>/file/", views.SendBackFileView.as_view(), name="api-ledger-send-back-file"),
    path("corrections/", views.CorrectionListCreateView.as_view(), name="api-ledger-correction-list"),
    path("corrections/<int:pk>/review/", views.CorrectionReviewView.as_view(), name="api-ledger-correction-review"),
]
