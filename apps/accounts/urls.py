"""Pages of accounts, mounted at /accounts/ (next to Django's login and logout)."""
from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("otp/", views.otp_verify, name="otp-verify"),
    path("otp/enrol/", views.otp_enrol, name="otp-enrol"),
    path("password/", views.password_change, name="password-change"),
    path("certificates/", views.certificates, name="accounts-certificates"),
    path("certificates/<int:pk>/", views.certificates, name="accounts-certificates-org"),
]
