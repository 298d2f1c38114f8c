"""Celery tasks of accounts: warnings before enforcement certificates expire (idempotent per day). Thin."""
from celery import shared_task

from apps.accounts import services


@shared_task
def certificates_warn():
    return services.certificates_warn()
