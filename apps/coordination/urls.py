"""Pages of coordination, mounted at /coordination/."""
from django.urls import path

from apps.coordination import views, views_operations

urlpatterns = [
    path("leads/", views.lead_list, name="coordination-lead-list"),
    path("leads/new/", views.lead_create, name="coordination-lead-create"),
    path("leads/register/", views.lead_register, name="coordination-lead-register"),
    path("leads/<int:pk>/", views.lead_detail, name="coordination-lead-detail"),
    path("leads/<int:pk>/bundle/", views.lead_bundle, name="coordination-lead-bundle"),
    path("leads/<int:pk>/documents/<int:document_id>/", views.lead_document, name="coordination-lead-document"),
    path("leads/<int:pk>/<slug:action>/", views.lead_action, name="coordination-lead-action"),
    path("operations/", views_operations.operation_list, name="coordination-operation-list"),
    path("operations/new/", views_operations.operation_create, name="coordination-operation-create"),
    path("operations/<int:pk>/", views_operations.operation_detail, name="coordination-operation-detail"),
    path("operations/<int:pk>/<slug:action>/", views_operations.operation_action, name="coordination-operation-action"),
    path("sharing/", views.sharing, name="coordination-sharing"),
    path("sharing/export/", views.sharing_export, name="coordination-sharing-export"),
    path("sharing/tokens/<int:pk>/revoke/", views.token_revoke, name="coordination-token-revoke"),
]
