"""API of wiki, mounted at /api/wiki/."""
from django.urls import path

from apps.wiki.api import views

urlpatterns = [
    path("pages/", views.PageListView.as_view(), name="api-wiki-page-list"),
    path("search/", views.SearchView.as_view(), name="api-wiki-search"),
    path("pages/<slug:slug>/", views.PageDetailView.as_view(), name="api-wiki-page"),
    path("pages/<slug:slug>/revisions/", views.RevisionListView.as_view(), name="api-wiki-revisions"),
    path("pages/<slug:slug>/diff/", views.DiffView.as_view(), name="api-wiki-diff"),
    path("pages/<slug:slug>/edit/", views.PageEditView.as_view(), name="api-wiki-edit"),
    path("pages/<slug:slug>/proposals/", views.ProposalCreateView.as_view(), name="api-wiki-propose"),
    path("proposals/", views.ProposalListView.as_view(), name="api-wiki-proposal-list"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="api-wiki-proposal"),
    path("proposals/<int:pk>/moderate/", views.ProposalModerateView.as_view(), name="api-wiki-moderate"),
]
