"""URLs of the task API under /api/dispatch/ (mobile client and staff)."""
from django.urls import path

from apps.dispatch.api import views

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="api-task-list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="api-task-detail"),
    path("tasks/<int:pk>/photos/<int:photo_pk>/", views.TaskPhotoView.as_view(), name="api-task-photo"),
    path("tasks/<int:pk>/accept/", views.accept, name="api-task-accept"),
    path("tasks/<int:pk>/return/", views.return_, name="api-task-return"),
    path("tasks/<int:pk>/arrive/", views.arrive, name="api-task-arrive"),
    path("tasks/<int:pk>/feedback/", views.feedback, name="api-task-feedback"),
    path("tasks/<int:pk>/refer/", views.refer, name="api-task-refer"),
    path("tasks/<int:pk>/defer/", views.defer, name="api-task-defer"),
    path("tasks/<int:pk>/escalate/", views.escalate, name="api-task-escalate"),
    path("summonses/", views.MySummonsListView.as_view(), name="api-summons-list"),
    path("summonses/<int:pk>/report-in/", views.SummonsReportInView.as_view(), name="api-summons-report-in"),
]
