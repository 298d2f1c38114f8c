"""Staff pages of the task centre, mounted at /dispatch/."""
from django.urls import path

from apps.dispatch import views

urlpatterns = [
    path("", views.queue, name="dispatch-queue"),
    path("overdue/", views.overdue, name="dispatch-overdue"),
    path("tasks/<int:pk>/", views.task_detail, name="dispatch-task-detail"),
    path("tasks/<int:pk>/<slug:action>/", views.task_action, name="dispatch-task-action"),
    path("photos/<int:pk>/", views.task_photo, name="dispatch-task-photo"),
]
