"""Personal data of the ledger, declared for the subject export (apps.gbcp.privacy): the person responsible for a
frontage zone (门前三包). Kept while the zone is in the ledger; corrected through the ledger's corrections."""
from django.utils.translation import gettext_lazy as _

from apps.gbcp import privacy
from apps.gbcp.privacy import PersonalData, PersonalField


def register():
    privacy.register(PersonalData(
        key="ledger.frontage_responsible", model="ledger.FrontageZone", subject=_("the person responsible for a frontage zone"),
        fields=(PersonalField("responsible_name", "name"), PersonalField("responsible_phone", "phone")),
        match={"phone": "responsible_phone"}, reason=_("Current ledger data: kept while the zone is kept."),
    ))
