"""Configuring the rules (the bureau, in the admin; the demo): every save checks the parameters and the template per
kind and is recorded in the rule's history under the acting user."""
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.supervision.models import SupervisionRule


@transaction.atomic
def rule_save(*, user, rule: SupervisionRule) -> SupervisionRule:
    """Create or change a rule; wrong parameters are a 400 naming each wrong key (the admin form shows them first)."""
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid_rule", details=getattr(exc, "message_dict", {}))
    with acting_as(user):
        rule.save()
    return rule
