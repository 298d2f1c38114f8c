"""Staff pages of patrol inspection, mounted at /inspection/; the public draw pages need no sign-in."""
from django.urls import path

from apps.inspection import views

urlpatterns = [
    path("", views.home, name="inspection-home"),
    path("plans/new/", views.plan_create, name="inspection-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection-plan-detail"),
    path("draws/", views.draws, name="inspection-draws"),
    path("draws/<int:pk>/", views.draw_detail, name="inspection-draw-detail"),
    path("draws/<int:pk>/publish/", views.draw_publish, name="inspection-draw-publish"),
    path("places/<int:pk>/history/", views.place_history, name="inspection-place-history"),
    path("public/draws/", views.public_draws, name="inspection-public-draws"),
    path("public/draws/<int:pk>/", views.public_draw_detail, name="inspection-public-draw-detail"),
]
