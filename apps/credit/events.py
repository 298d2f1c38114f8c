"""Real-time payloads of credit: an objection to decide (legal reviewers of the jurisdiction) and its outcome (the business)."""
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import users_covering
from apps.accounts.models import User
from apps.credit.policy import REVIEWER_ROLES
from apps.realtime.events import publish


def _payload(objection):
    return {"id": objection.pk, "entity": objection.entity_id, "record": objection.record_id, "status": objection.status}


def objection_submitted(objection):
    users = users_covering(objection.region_code, roles=REVIEWER_ROLES)
    publish(event="credit.objection", payload=_payload(objection), users=users, title=_("A business objects to a credit record"),
            body=objection.text[:200], link="/credit/objections/")


def objection_decided(objection):
    users = list(User.objects.filter(entity_id=objection.entity_id, is_active=True).order_by("pk"))
    title = _("Your objection is upheld; the record is withdrawn") if objection.status == "upheld" else _("Your objection is rejected")
    publish(event="credit.objection", payload=_payload(objection), users=users, title=title, body=objection.decision_reason[:200],
            link="/credit/mine/")
