"""Celery tasks of the co-governance portal (thin: they call services)."""
from celery import shared_task

from apps.portal import notice_services


@shared_task
def send_notice_sms(notice_id):
    """After a targeted notice is sent: one SMS per recipient business with a contact phone."""
    return notice_services.notice_sms_send(notice_id=notice_id)
