"""The ledger's catalogue of licence kinds."""
from django.db import transaction

from apps.gbcp.audit import acting_as
from apps.ledger.models import LicenceKind


def licence_kind_ensure(*, user, code, name, name_en="", required_for_place_kinds=()) -> LicenceKind:
    with transaction.atomic(), acting_as(user):
        kind, _created = LicenceKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "required_for_place_kinds": list(required_for_place_kinds)}
        )
    return kind
