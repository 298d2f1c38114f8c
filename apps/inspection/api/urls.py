"""API of patrol inspection under /api/inspection/."""
from django.urls import path

from apps.inspection.api import views

urlpatterns = [
    path("checklists/", views.ChecklistListView.as_view(), name="api-inspection-checklists"),
    path("places/<int:pk>/checklist/", views.PlaceChecklistView.as_view(), name="api-inspection-place-checklist"),
    path("draws/", views.DrawListCreateView.as_view(), name="api-inspection-draws"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="api-inspection-draw"),
    path("draws/<int:pk>/replay/", views.DrawReplayView.as_view(), name="api-inspection-draw-replay"),
    path("draws/<int:pk>/publish/", views.DrawPublishView.as_view(), name="api-inspection-draw-publish"),
    path("records/", views.RecordListCreateView.as_view(), name="api-inspection-records"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="api-inspection-record"),
    path("findings/", views.FindingListView.as_view(), name="api-inspection-findings"),
    path("findings/<int:pk>/to-task/", views.FindingToTaskView.as_view(), name="api-inspection-finding-to-task"),
    path("findings/<int:pk>/to-case/", views.FindingToCaseView.as_view(), name="api-inspection-finding-to-case"),
    path("self-checks/", views.SelfCheckListCreateView.as_view(), name="api-inspection-self-checks"),
    path("plans/", views.PlanListCreateView.as_view(), name="api-inspection-plans"),
    path("plans/patrol/", views.PatrolStartView.as_view(), name="api-inspection-patrol-start"),
    path("plans/<int:pk>/generate/", views.PlanGenerateView.as_view(), name="api-inspection-plan-generate"),
    path("assignments/", views.AssignmentListView.as_view(), name="api-inspection-assignments"),
]
