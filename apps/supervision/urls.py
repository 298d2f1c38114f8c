"""Staff pages of supervision, mounted at /supervision/."""
from django.urls import path

from apps.supervision import views

urlpatterns = [
    path("", views.queue, name="supervision-queue"),
    path("new/", views.item_create, name="supervision-item-create"),
    path("<int:pk>/", views.item_detail, name="supervision-item-detail"),
    path("<int:pk>/<slug:action>/", views.item_action, name="supervision-item-action"),
]
