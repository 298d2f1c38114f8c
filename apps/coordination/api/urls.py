"""API of coordination, mounted at /api/coordination/: case leads for staff, shared datasets for other departments."""
from django.urls import path

from apps.coordination.api import operations, views

_steps = [("send", views.send), ("acknowledge", views.acknowledge), ("answer", views.answer), ("feedback", views.feedback),
          ("close", views.close), ("accept-in", views.accept_in), ("refuse-in", views.refuse_in)]

urlpatterns = [
    path("leads/", views.LeadListView.as_view(), name="api-coordination-lead-list"),
    path("leads/new/", views.LeadCreateView.as_view(), name="api-coordination-lead-create"),
    path("leads/register/", views.LeadRegisterView.as_view(), name="api-coordination-lead-register"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="api-coordination-lead-detail"),
    path("leads/<int:pk>/bundle/", views.LeadBundleView.as_view(), name="api-coordination-lead-bundle"),
    *[path(f"leads/<int:pk>/{name}/", view, name=f"api-coordination-lead-{name}") for name, view in _steps],
    path("operations/", operations.OperationListView.as_view(), name="api-coordination-operation-list"),
    path("operations/new/", operations.OperationCreateView.as_view(), name="api-coordination-operation-create"),
    path("operations/<int:pk>/", operations.OperationDetailView.as_view(), name="api-coordination-operation-detail"),
    *[path(f"operations/<int:pk>/{name}/", view, name=f"api-coordination-operation-{name}") for name, view in
      [("check-in", operations.check_in), ("findings", operations.finding), ("report", operations.report), ("close", operations.close),
       ("cancel", operations.cancel)]],
    path("share/<str:dataset>/", views.ShareView.as_view(), name="api-coordination-share"),
]
