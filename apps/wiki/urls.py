"""Pages of wiki, mounted at /wiki/."""
from django.urls import path

from apps.wiki import views

urlpatterns = [
    path("", views.index, name="wiki-index"),
    path("search/", views.search_view, name="wiki-search"),
    path("new/", views.page_new, name="wiki-new"),
    path("p/<slug:slug>/", views.page_detail, name="wiki-page"),
    path("p/<slug:slug>/history/", views.page_history, name="wiki-history"),
    path("p/<slug:slug>/r/<int:number>/", views.page_revision, name="wiki-revision"),
    path("p/<slug:slug>/diff/", views.page_diff, name="wiki-diff"),
    path("p/<slug:slug>/edit/", views.page_edit, name="wiki-edit"),
    path("p/<slug:slug>/propose/", views.page_propose, name="wiki-propose"),
    path("proposals/", views.proposal_list, name="wiki-proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="wiki-proposal"),
    path("proposals/<int:pk>/moderate/", views.proposal_moderate, name="wiki-proposal-moderate"),
]
