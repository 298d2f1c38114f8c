"""Pages of accounts, mounted at /accounts/ (next to Django's login and logout)."""
from django.urls import path

from apps.accounts import privacy_views, views

urlpatterns = [
    path("otp/", views.otp_verify, name="otp-verify"),
    path("otp/enrol/", views.otp_enrol, name="otp-enrol"),
    path("password/", views.password_change, name="password-change"),
    path("certificates/", views.certificates, name="accounts-certificates"),
    path("certificates/<int:pk>/", views.certificates, name="accounts-certificates-org"),
    path("privacy/", privacy_views.access_log, name="accounts-privacy"),
    path("privacy/log.csv", privacy_views.access_log_export, name="accounts-privacy-export"),
    path("privacy/subject/", privacy_views.subject_export, name="accounts-privacy-subject"),
]
