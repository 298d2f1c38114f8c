"""The shared datasets and their data-class table (数据分级分类): which fields of each dataset leave, and how.

Every field of a shared dataset has a class and a treatment, declared here once and shown on the audit page:

| class | meaning | allowed treatments |
|---|---|---|
| public (公开) | may be published | released, or free text scrubbed |
| internal (内部) | for government departments | released, or free text scrubbed |
| sensitive (敏感) | contact data | masked (a phone keeps its last four digits) |
| personal (个人) | identifies a natural person | a name masked (surname only); an ID number never leaves |

Free text (descriptions, addresses, notes) is scrubbed: any mobile number or resident ID number written in it is
masked, so nothing a reporter typed leaves in full. What a token may read is also limited to its region (the record's
region code must start with the token's). The rows are read straight from the owning apps' tables: a token is not a
user, so the user-scoped selectors of those apps do not apply; the region prefix is the scope.
"""
import re
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.gbcp.masking import Clearance, mask_id_number, mask_name, mask_phone

PUBLIC, INTERNAL, SENSITIVE, PERSONAL = "public", "internal", "sensitive", "personal"
CLASSES = {PUBLIC: _("public (公开)"), INTERNAL: _("internal (内部)"), SENSITIVE: _("sensitive (敏感)"), PERSONAL: _("personal (个人)")}

RELEASE, SCRUB, MASK_PHONE, MASK_NAME, WITHHOLD = "release", "scrub", "mask_phone", "mask_name", "withhold"
TREATMENTS = {RELEASE: _("released"), SCRUB: _("released, phones and ID numbers in the text masked"), MASK_PHONE: _("masked (last four digits)"),
              MASK_NAME: _("masked (surname only)"), WITHHOLD: _("never released")}
ALLOWED = {PUBLIC: {RELEASE, SCRUB}, INTERNAL: {RELEASE, SCRUB}, SENSITIVE: {MASK_PHONE, WITHHOLD}, PERSONAL: {MASK_NAME, WITHHOLD}}

ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")


def scrub(text: str) -> str:
    """Free text with every resident ID and mobile number in it masked as for the public."""
    text = ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0), Clearance.PUBLIC), text or "")
    return PHONE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))[-11:], Clearance.PUBLIC), text)


@dataclass(frozen=True)
class SharedField:
    name: str
    source: str  # the ORM path read
    label: str
    data_class: str
    treatment: str = RELEASE

    def __post_init__(self):
        if self.treatment not in ALLOWED[self.data_class]:
            raise ValueError(f"field {self.name}: {self.data_class} data may not be {self.treatment}")

    def value(self, raw):
        if raw is None:
            return None
        if self.treatment == SCRUB:
            return scrub(str(raw))
        if self.treatment == MASK_PHONE:
            return mask_phone(str(raw), Clearance.PUBLIC)
        if self.treatment == MASK_NAME:
            return mask_name(str(raw), Clearance.PUBLIC)
        if hasattr(raw, "isoformat"):
            return raw.isoformat()
        if not isinstance(raw, (str, int, bool, float)):
            return str(raw)
        return raw


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str
    model: str
    region_field: str
    time_field: str
    fields: tuple
    condition: Q = Q()

    def queryset(self, *, prefixes, since=None, until=None):
        """Rows of the dataset whose region starts with one of ``prefixes`` (``None``: everywhere), oldest first."""
        qs = django_apps.get_model(self.model)._default_manager.filter(self.condition)
        if prefixes is not None:
            scope = Q(pk__in=[])
            for prefix in prefixes:
                scope |= Q(**{f"{self.region_field}__startswith": prefix})
            qs = qs.filter(scope)
        if since:
            qs = qs.filter(**{f"{self.time_field}__date__gte": since})
        if until:
            qs = qs.filter(**{f"{self.time_field}__date__lte": until})
        released = [f.source for f in self.fields if f.treatment != WITHHOLD]
        return qs.order_by(self.time_field, "pk").values_list(*released)

    @property
    def released(self):
        return [f for f in self.fields if f.treatment != WITHHOLD]

    def rows(self, values_rows):
        fields = self.released
        return [{f.name: f.value(raw) for f, raw in zip(fields, row)} for row in values_rows]


DATASETS = {d.name: d for d in (
    Dataset("tasks", _("tasks (任务)"), "dispatch.Task", "region_code", "received_at", (
        SharedField("number", "number", _("number"), PUBLIC),
        SharedField("category", "category__name", _("category"), PUBLIC),
        SharedField("status", "status", _("status"), PUBLIC),
        SharedField("received_at", "received_at", _("received at"), PUBLIC),
        SharedField("closed_at", "closed_at", _("closed at"), PUBLIC),
        SharedField("region_code", "region_code", _("region code"), PUBLIC),
        SharedField("address", "address", _("address"), INTERNAL, SCRUB),
        SharedField("description", "description", _("description"), INTERNAL, SCRUB),
        SharedField("reporter_name", "reporter_name", _("reporter"), PERSONAL, MASK_NAME),
        SharedField("reporter_phone", "reporter_phone", _("reporter phone"), SENSITIVE, MASK_PHONE),
    ), condition=Q(master__isnull=True)),
    Dataset("entities", _("businesses and licences (主体与证照)"), "gbcp.Entity", "region__code", "created_at", (
        SharedField("uscc", "uscc", _("unified social credit code"), PUBLIC),
        SharedField("name", "name", _("name"), PUBLIC),
        SharedField("kind", "kind", _("kind"), PUBLIC),
        SharedField("region_code", "region__code", _("region code"), PUBLIC),
        SharedField("address", "address", _("registered address"), INTERNAL, SCRUB),
        SharedField("legal_representative", "legal_representative", _("legal representative"), PERSONAL, MASK_NAME),
        SharedField("contact_phone", "contact_phone", _("contact phone"), SENSITIVE, MASK_PHONE),
    )),
    Dataset("inspections", _("inspections (巡查检查)"), "inspection.InspectionRecord", "region_code", "inspected_at", (
        SharedField("id", "id", _("record"), PUBLIC),
        SharedField("place", "place__name", _("place"), PUBLIC),
        SharedField("uscc", "uscc", _("operator's credit code"), PUBLIC),
        SharedField("checklist", "checklist__name", _("checklist"), PUBLIC),
        SharedField("inspected_at", "inspected_at", _("inspected at"), PUBLIC),
        SharedField("passed", "passed", _("all items passed"), PUBLIC),
        SharedField("region_code", "region_code", _("region code"), PUBLIC),
        SharedField("note", "note", _("note"), INTERNAL, SCRUB),
    )),
    Dataset("penalty_decisions", _("penalty decisions (处罚决定)"), "cases.Case", "region_code", "decided_at", (
        SharedField("number", "number", _("case number"), PUBLIC),
        SharedField("cause", "cause__name", _("cause"), PUBLIC),
        SharedField("decided_at", "decided_at", _("decided at"), PUBLIC),
        SharedField("fine", "fine", _("fine (yuan)"), PUBLIC),
        SharedField("warning", "warning", _("warning"), PUBLIC),
        SharedField("region_code", "region_code", _("region code"), PUBLIC),
        SharedField("party_kind", "party_kind", _("party kind"), PUBLIC),
        SharedField("party_name", "party_name", _("party"), PERSONAL, MASK_NAME),
        SharedField("party_code", "party_code", _("resident ID or credit code"), PERSONAL, WITHHOLD),
        SharedField("party_address", "party_address", _("party's address"), PERSONAL, WITHHOLD),
        SharedField("facts", "facts", _("facts"), INTERNAL, SCRUB),
    ), condition=Q(decided_at__isnull=False)),
)}

DATASET_CHOICES = [(d.name, d.label) for d in DATASETS.values()]


def class_table():
    """(dataset, field, class, treatment) labels for the audit page."""
    return [(d.label, f.label, CLASSES[f.data_class], TREATMENTS[f.treatment]) for d in DATASETS.values() for f in d.fields]
