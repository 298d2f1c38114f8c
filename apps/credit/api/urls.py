"""API of credit under /api/credit/."""
from django.urls import path

from apps.credit.api import views

urlpatterns = [
    path("mine/", views.MyCreditView.as_view(), name="api-credit-mine"),
    path("grades/", views.GradeListView.as_view(), name="api-credit-grade-list"),
    path("entities/<int:pk>/", views.EntityCreditView.as_view(), name="api-credit-entity"),
    path("records/<int:pk>/objections/", views.ObjectionCreateView.as_view(), name="api-credit-objection-create"),
    path("records/<int:pk>/repair/", views.RecordRepairView.as_view(), name="api-credit-record-repair"),
    path("objections/", views.ObjectionListView.as_view(), name="api-credit-objection-list"),
    path("objections/<int:pk>/decide/", views.ObjectionDecideView.as_view(), name="api-credit-objection-decide"),
    path("places/<int:pk>/risk/", views.PlaceRiskView.as_view(), name="api-credit-place-risk"),
    path("joint/", views.JointListView.as_view(), name="api-credit-joint-list"),
    path("joint/export/<str:fmt>/", views.JointExportView.as_view(), name="api-credit-joint-export"),
]
