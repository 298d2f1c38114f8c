"""API of evaluation under /api/evaluation/."""
from django.urls import path

from apps.evaluation.api import views

urlpatterns = [
    path("units/", views.ScorecardListView.as_view(), name="api-evaluation-units"),
    path("units/<int:pk>/scorecard/", views.ScorecardView.as_view(), name="api-evaluation-scorecard"),
    path("units/<int:pk>/tasks/", views.DrillView.as_view(), name="api-evaluation-drill"),
    path("schemes/", views.SchemeListView.as_view(), name="api-evaluation-schemes"),
    path("schemes/<int:pk>/ranking/", views.RankingView.as_view(), name="api-evaluation-ranking"),
]
