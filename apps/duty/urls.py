"""Pages of duty, mounted at /duty/."""
from django.urls import path

from apps.duty import views

urlpatterns = [
    path("", views.roster, name="duty-roster"),
    path("shifts/new/", views.roster_shift_add, name="duty-shift-add"),
    path("shifts/<int:pk>/<slug:action>/", views.shift_action, name="duty-shift-action"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="duty-assignment-remove"),
    path("copy/", views.roster_copy, name="duty-roster-copy"),
    path("mine/", views.mine, name="duty-mine"),
    path("posts/", views.posts, name="duty-posts"),
    path("peaks/", views.peaks, name="duty-peaks"),
    path("peaks/adopt/", views.peak_adopt, name="duty-peak-adopt"),
    path("coverage/", views.coverage, name="duty-coverage"),
]
