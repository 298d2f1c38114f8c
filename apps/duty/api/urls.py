"""API of duty, mounted at /api/duty/."""
from django.urls import path

from apps.duty.api import views

urlpatterns = [
    path("my-shifts/", views.MyShiftsView.as_view(), name="api-duty-my-shifts"),
    path("rosters/", views.RosterListView.as_view(), name="api-duty-roster-list"),
    path("rosters/ensure/", views.RosterEnsureView.as_view(), name="api-duty-roster-ensure"),
    path("rosters/<int:pk>/", views.RosterDetailView.as_view(), name="api-duty-roster-detail"),
    path("rosters/<int:pk>/copy-previous/", views.RosterCopyView.as_view(), name="api-duty-roster-copy"),
    path("rosters/<int:pk>/shifts/", views.ShiftCreateView.as_view(), name="api-duty-shift-create"),
    path("shifts/<int:pk>/", views.ShiftDetailView.as_view(), name="api-duty-shift-detail"),
    path("shifts/<int:pk>/assignments/", views.AssignmentCreateView.as_view(), name="api-duty-assignment-create"),
    path("assignments/<int:pk>/", views.AssignmentDeleteView.as_view(), name="api-duty-assignment-delete"),
    path("posts/", views.PostListView.as_view(), name="api-duty-post-list"),
    path("on-duty/", views.OnDutyView.as_view(), name="api-duty-on-duty"),
    path("peaks/", views.PeakListView.as_view(), name="api-duty-peaks"),
    path("peaks/adopt/", views.PeakAdoptView.as_view(), name="api-duty-peak-adopt"),
    path("coverage/", views.CoverageView.as_view(), name="api-duty-coverage"),
]
