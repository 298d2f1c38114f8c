"""Open311's shapes: services and their attributes, a request as the public sees it (scrubbed), a new request in."""
import re

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from apps.dispatch.api.open311.selectors import public_categories
from apps.dispatch.models import Open311Contact, Status, Task
from apps.gbcp import idempotency
from apps.gbcp.api.params import parse_lat_lon
from apps.gbcp.masking import Clearance, mask
from apps.gbcp.models import Category

SEVERITY = [
    ("minor", gettext_lazy("minor"), Task.Priority.LOW),
    ("normal", gettext_lazy("normal"), Task.Priority.NORMAL),
    ("serious", gettext_lazy("serious"), Task.Priority.HIGH),
    ("urgent", gettext_lazy("urgent: danger to people"), Task.Priority.URGENT),
]
SEVERITY_PRIORITY = {key: priority for key, _name, priority in SEVERITY}

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")


def iso(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def localized_name(category):
    if get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def scrub(text: str, task: Task) -> str:
    """Free text read by the public: the reporter's name and phone, any mobile or ID number, masked."""
    if not text:
        return text or ""
    if task.reporter_phone:
        text = text.replace(task.reporter_phone, mask("phone", task.reporter_phone, Clearance.PUBLIC))
    if len(task.reporter_name or "") >= 2:
        text = text.replace(task.reporter_name, mask("name", task.reporter_name, Clearance.PUBLIC))
    text = MOBILE.sub(lambda m: mask("phone", m.group(0), Clearance.PUBLIC), text)
    return ID_NUMBER.sub(lambda m: mask("id_number", m.group(0), Clearance.PUBLIC), text)


def is_closed(task: Task) -> bool:
    return task.status == Status.CLOSED or (task.status == Status.MERGED and task.master_id and task.master.status == Status.CLOSED)


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="code")
    service_name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    keywords = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField()

    def get_service_name(self, category) -> str:
        return localized_name(category)

    def get_description(self, category) -> str:
        return _("%(name)s; handled within %(amount)s %(unit)s.") % {
            "name": localized_name(category), "amount": f"{category.deadline_amount:g}", "unit": category.get_deadline_unit_display(),
        }

    def get_metadata(self, category) -> bool:
        return True  # every service has the attributes below

    def get_type(self, category) -> str:
        return "realtime"

    def get_keywords(self, category) -> str:
        return ",".join(category.keywords or [])

    def get_group(self, category) -> str:
        return localized_name(category.parent) if category.parent_id else ""


def service_attributes():
    """The questions every service asks (Open311 service definition attributes)."""
    return [
        {
            "variable": True, "code": "severity", "datatype": "singlevaluelist", "required": False,
            "datatype_description": _("One of the keys below."), "order": 1,
            "description": _("How serious is the problem?"),
            "values": [{"key": key, "name": str(name)} for key, name, _priority in SEVERITY],
        },
        {
            "variable": True, "code": "landmark", "datatype": "string", "required": False,
            "datatype_description": _("Free text, up to 100 characters."), "order": 2,
            "description": _("A landmark near the problem (shop, gate, bus stop)."),
        },
    ]


class ServiceRequestInSerializer(serializers.Serializer):
    """POST requests.json: form-encoded or JSON."""

    service_code = serializers.CharField()
    lat = serializers.FloatField(required=False, allow_null=True)
    long = serializers.FloatField(required=False, allow_null=True)
    crs = serializers.ChoiceField(choices=["wgs84", "gcj02"], required=False, default="wgs84", help_text="extension: gcj02 for Amap/Tencent clients")
    address_string = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    address_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    device_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
    account_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    media_url = serializers.URLField(max_length=500, required=False, allow_blank=True)

    def validate_media_url(self, value):
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("media_url must be an http or https address."))
        return value

    def validate_service_code(self, value):
        category = public_categories().filter(code=value.strip()).first()
        if category is None:
            raise serializers.ValidationError(_("Unknown service_code “%(code)s”; see services.json.") % {"code": value})
        return category

    def validate(self, attrs):
        lat, lon = attrs.get("lat"), attrs.get("long")
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lat" if lat is None else "long": _("Give both lat and long.")})
        point = None
        if lat is not None:
            try:
                point = parse_lat_lon(lat, lon, attrs.get("crs"))
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({("long" if key == "lon" else key): value for key, value in exc.detail.items()})
        if point is None and not attrs["address_string"].strip():
            raise serializers.ValidationError({"address_string": _("Give lat and long, or address_string.")})
        attrs["point"] = point
        attrs["attributes"] = self._attributes()
        return attrs

    def _attributes(self):
        """attribute[code]=value (form) or "attribute": {code: value} (JSON)."""
        raw = {}
        nested = self.initial_data.get("attribute")
        if isinstance(nested, dict):
            raw.update(nested)
        for key in self.initial_data.keys():
            match = re.fullmatch(r"attribute\[(\w+)\]", key)
            if match:
                raw[match.group(1)] = self.initial_data.get(key)
        severity = raw.get("severity")
        if severity not in (None, "") and severity not in SEVERITY_PRIORITY:
            raise serializers.ValidationError({"attribute[severity]": _("Use one of: %(keys)s.") % {"keys": ", ".join(SEVERITY_PRIORITY)}})
        landmark = str(raw.get("landmark") or "").strip()
        if len(landmark) > 100:
            raise serializers.ValidationError({"attribute[landmark]": _("At most 100 characters.")})
        return {"severity": severity or "", "landmark": landmark}


def intake_fields(data) -> dict:
    """Validated Open311 fields as the task intake takes them; the description falls back to the service name
    (it is optional in Open311)."""
    category = data["service_code"]
    attributes = data["attributes"]
    description = data["description"].strip() or localized_name(category)
    if attributes["landmark"]:
        description = f"{description}\n{_('Landmark')}: {attributes['landmark']}"
    first, last = data["first_name"].strip(), data["last_name"].strip()
    # Chinese names are family name first, without a space.
    name = f"{last}{first}" if not (first + last).isascii() else " ".join(p for p in (first, last) if p)
    return {
        "category": category, "description": description, "point": data["point"], "address": data["address_string"].strip(),
        "reporter_name": name, "reporter_phone": data["phone"].strip(), "priority": SEVERITY_PRIORITY.get(attributes["severity"]),
        "contact": {field: data.get(field) for field in CONTACT_FIELDS},
    }


# Kept as the client sent them (dispatch.Open311Contact), beside the task built from them.
CONTACT_FIELDS = ("email", "first_name", "last_name", "phone", "media_url", "address_string", "address_id", "device_id", "account_id")


def contact_of(task):
    """The task's Open311Contact, or None (a reverse one-to-one raises when there is none)."""
    try:
        return task.open311_contact
    except Open311Contact.DoesNotExist:
        return None


def request_fingerprint(data) -> str:
    """What was asked, as validated: a form and a JSON body with the same fields are the same request."""
    return idempotency.fingerprint({name: value.code if isinstance(value, Category) else value for name, value in data.items()})


class ServiceRequestSerializer(serializers.Serializer):
    """One request as the public sees it: never the reporter's name, phone or e-mail."""

    service_request_id = serializers.CharField(source="number")
    status = serializers.SerializerMethodField()
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    service_code = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    agency_responsible = serializers.SerializerMethodField()
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.SerializerMethodField()
    updated_datetime = serializers.SerializerMethodField()
    expected_datetime = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    address_id = serializers.SerializerMethodField()
    zipcode = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    long = serializers.SerializerMethodField()
    media_url = serializers.SerializerMethodField()

    def to_representation(self, task):
        data = super().to_representation(task)
        if task.master_id:
            data["duplicate_of"] = task.master.number  # FixMyStreet's extension
        return data

    @staticmethod
    def _carrier(task):
        return task.master if task.master_id else task

    def get_status(self, task) -> str:
        return "closed" if is_closed(task) else "open"

    def get_status_notes(self, task) -> str:
        carrier = self._carrier(task)
        if task.master_id and not is_closed(task):
            return _("Merged into %(number)s, which is being handled.") % {"number": carrier.number}
        if is_closed(task) and carrier.result:
            return scrub(carrier.result, task)
        return str(carrier.get_status_display())

    def get_service_name(self, task) -> str | None:
        return localized_name(task.category) if task.category_id else None

    def get_service_code(self, task) -> str | None:
        return task.category.code if task.category_id else None

    def get_description(self, task) -> str:
        return scrub(task.description, task)

    def get_agency_responsible(self, task) -> str | None:
        org = self._carrier(task).organization
        return org.name if org else None

    def get_service_notice(self, task) -> str | None:
        return None

    def get_requested_datetime(self, task) -> str:
        return iso(task.received_at)

    def get_updated_datetime(self, task) -> str:
        return iso(max(task.updated_at, self._carrier(task).updated_at))

    def get_expected_datetime(self, task) -> str | None:
        return iso(task.deadline)

    def get_address(self, task) -> str:
        # The public sees the street, not the door (the project's masking rule for addresses).
        return mask("address", task.address, Clearance.PUBLIC)

    def get_address_id(self, task) -> str | None:
        return None

    def get_zipcode(self, task) -> str | None:
        return None

    def get_lat(self, task) -> float | None:
        return round(task.point.y, 7) if task.point is not None else None

    def get_long(self, task) -> float | None:
        return round(task.point.x, 7) if task.point is not None else None

    def get_media_url(self, task) -> str | None:
        # The client published this URL itself; the platform's own photos stay behind access checks.
        contact = contact_of(task)
        return contact.media_url if contact and contact.media_url else None


def service_notice(result) -> str:
    """What the client is told of its new request."""
    if result.merged:
        return _("This problem was already reported; your request was merged into %(number)s.") % {"number": result.task.number}
    if result.report.deadline:
        return _("Received; expected to be handled by %(deadline)s.") % {"deadline": iso(result.report.deadline)}
    return _("Received.")
