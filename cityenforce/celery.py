"""The Celery application; tasks run eagerly in the embedded default."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

app = Celery("cityenforce")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
