"""Celery tasks of emergency (thin)."""
from celery import shared_task

from apps.emergency import feed, services


@shared_task(name="apps.emergency.tasks.fetch_alerts")
def fetch_alerts():
    return feed.fetch_alerts()


@shared_task(name="apps.emergency.tasks.send_activation_sms")
def send_activation_sms(incident_id):
    """After an activation: the text message to the leaders of the squads the pre-plan names."""
    return services.incident_sms_send(incident_id=incident_id)
