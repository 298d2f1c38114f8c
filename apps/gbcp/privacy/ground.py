"""The ground floor's own personal data (persons, businesses' contacts) and the access log's retention."""
from django.utils.translation import gettext_lazy as _

from apps.gbcp.privacy.registry import PersonalData, PersonalField, Retention, register


def register_ground():
    register(
        PersonalData(
            key="gbcp.person", model="gbcp.Person", subject=_("a citizen (party, complainant)"),
            fields=(PersonalField("name", "name"), PersonalField("id_number", "id_number"), PersonalField("phone", "phone"),
                    PersonalField("address", "address")),
            match={"id_number": "id_number", "phone": "phone"}, reason=_("Kept while a case or task refers to the person."),
        ),
        PersonalData(
            key="gbcp.entity_contact", model="gbcp.Entity", subject=_("a business's legal representative and contact"),
            fields=(PersonalField("legal_representative", "name"), PersonalField("contact_phone", "phone")),
            match={"phone": "contact_phone"}, reason=_("Register data of a business, kept while the business is in the ledger."),
        ),
        PersonalData(
            key="gbcp.access_log", model="gbcp.AccessLogEntry", subject=_("readers and the subjects they read"),
            fields=(PersonalField("username", "name"), PersonalField("subject_label", "name")),
            retention=Retention(since="at", period="access_log", delete=True),
            reason=_("PIPL art. 56: records of processing are kept at least three years."),
        ),
    )
