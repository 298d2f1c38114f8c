"""URLs of the accounts API."""
from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("token/", views.TokenView.as_view(), name="api-token"),
    path("token/revoke/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("token/revoke-all/", views.TokenRevokeAllView.as_view(), name="api-token-revoke-all"),
]
