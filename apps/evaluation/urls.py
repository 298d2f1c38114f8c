"""Staff pages of evaluation, mounted at /evaluation/."""
from django.urls import path

from apps.evaluation import views

urlpatterns = [
    path("", views.home, name="evaluation-home"),
    path("units/<int:pk>/", views.unit_detail, name="evaluation-unit"),
    path("units/<int:pk>/list/", views.unit_drill, name="evaluation-drill"),
    path("schemes/", views.scheme_list, name="evaluation-schemes"),
    path("schemes/<int:pk>/", views.scheme_detail, name="evaluation-scheme"),
    path("schemes/<int:pk>/publish/", views.scheme_publish, name="evaluation-scheme-publish"),
]
