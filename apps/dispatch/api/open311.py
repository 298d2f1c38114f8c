"""Open311 GeoReport v2 (JSON) for civic apps: services, service definitions, requests and tokens."""
import datetime as dt
import re
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.throttling import rate_limit
from apps.dispatch.models import Partner, Source, Status, Task
from apps.dispatch.services import IntakeResult, task_intake, task_intake_idempotent
from apps.gbcp import idempotency
from apps.gbcp.api.params import parse_datetime_param, parse_int_param, parse_lat_lon
from apps.gbcp.api.parsers import BoundedFormParser, BoundedJSONParser
from apps.gbcp.errors import ApplicationError
from apps.gbcp.masking import Clearance, mask
from apps.gbcp.models import Category

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+08:00"  # when the services or their attributes last changed in meaning
# Only what the public may follow: reports from outside. Patrol findings, sensor alarms and
# supervision items are internal work and stay invisible here.
PUBLIC_SOURCES = [Source.OPEN311, Source.CITIZEN, Source.HOTLINE]
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000

SEVERITY = [
    ("minor", gettext_lazy("minor"), Task.Priority.LOW),
    ("normal", gettext_lazy("normal"), Task.Priority.NORMAL),
    ("serious", gettext_lazy("serious"), Task.Priority.HIGH),
    ("urgent", gettext_lazy("urgent: danger to people"), Task.Priority.URGENT),
]
SEVERITY_PRIORITY = {key: priority for key, _name, priority in SEVERITY}

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")


# --- errors in Open311's own format -----------------------------------------------------

def error_response(status_code, description):
    return Response([{"code": status_code, "description": str(description)}], status=status_code)


class Open311Error(exceptions.APIException):
    status_code = 400


def _flatten(detail, prefix=""):
    """DRF's nested error detail as "field: message" lines."""
    if isinstance(detail, dict):
        return [line for key, value in detail.items() for line in _flatten(value, f"{key}: " if key != "non_field_errors" else "")]
    if isinstance(detail, list):
        return [line for item in detail for line in _flatten(item, prefix)]
    return [f"{prefix}{detail}"]


def open311_exception_handler(exc, context):
    """Every refusal as [{"code", "description"}], never the project's {"error": …} body."""
    if isinstance(exc, ApplicationError):
        return Response([{"code": exc.status_code, "description": str(exc.message)}], status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    lines = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else [str(exc.detail)]
    return Response([{"code": exc.status_code, "description": line} for line in lines], status=exc.status_code)


class JSONOnlyNegotiation(BaseContentNegotiation):
    """The format is chosen by the path suffix; an Accept header of text/xml must not turn a 200 into a 406."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type.split(";")[0] == (request.content_type or "").split(";")[0].strip():
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Open311View(APIView):
    """Reads are public; writes carry an api_key in the body. No session, so no CSRF."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    renderer_classes = [JSONRenderer]
    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]
    content_negotiation_class = JSONOnlyNegotiation

    def get_exception_handler(self):
        return open311_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        fmt = kwargs.get("fmt")
        if fmt != "json":
            raise Open311Error(_("Only the JSON format is served: end the path in .json.") if fmt is None
                               else _("The format “%(format)s” is not served; use .json.") % {"format": fmt})


# --- helpers ---------------------------------------------------------------------------

def _iso(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def _localized_name(category):
    if get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def public_categories():
    """Leaves (a deadline unit makes a leaf) open to public reports."""
    return Category.objects.filter(is_public=True, is_active=True).exclude(deadline_unit="").select_related("parent").order_by("code")


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


CLOSED_Q = Q(status=Status.CLOSED) | Q(status=Status.MERGED, master__status=Status.CLOSED)


def visible_requests():
    return Task.objects.filter(source__in=PUBLIC_SOURCES).select_related("category", "organization", "master__organization")


def request_by_id(service_request_id) -> Task:
    task = visible_requests().filter(number=service_request_id).first()
    if task is None:
        raise exceptions.NotFound(_("No service request %(id)s.") % {"id": service_request_id})
    return task


# --- serializers -----------------------------------------------------------------------

class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="code")
    service_name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()
    type = serializers.SerializerMethodField()
    keywords = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField()

    def get_service_name(self, category) -> str:
        return _localized_name(category)

    def get_description(self, category) -> str:
        return _("%(name)s; handled within %(amount)s %(unit)s.") % {
            "name": _localized_name(category), "amount": f"{category.deadline_amount:g}", "unit": category.get_deadline_unit_display(),
        }

    def get_metadata(self, category) -> bool:
        return True  # every service has the attributes below

    def get_type(self, category) -> str:
        return "realtime"

    def get_keywords(self, category) -> str:
        return ",".join(category.keywords or [])

    def get_group(self, category) -> str:
        return _localized_name(category.parent) if category.parent_id else ""


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
    address_id = serializers.CharField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    device_id = serializers.CharField(required=False, allow_blank=True)
    account_id = serializers.CharField(required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    media_url = serializers.URLField(required=False, allow_blank=True)

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
        return _localized_name(task.category) if task.category_id else None

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
        return _iso(task.received_at)

    def get_updated_datetime(self, task) -> str:
        return _iso(max(task.updated_at, self._carrier(task).updated_at))

    def get_expected_datetime(self, task) -> str | None:
        return _iso(task.deadline)

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
        return None


# --- writes ----------------------------------------------------------------------------

def partner_for_key(api_key) -> Partner | None:
    if not api_key:
        return None
    return Partner.objects.filter(open311_key_hash=Partner.hash_key(str(api_key)), is_active=True).first()


def service_request_create(*, partner, data) -> IntakeResult:
    """Open311 fields to task_intake; the description falls back to the service name (it is optional in Open311)."""
    category = data["service_code"]
    attributes = data["attributes"]
    description = data["description"].strip() or _localized_name(category)
    if attributes["landmark"]:
        description = f"{description}\n{_('Landmark')}: {attributes['landmark']}"
    first, last = data["first_name"].strip(), data["last_name"].strip()
    # Chinese names are family name first, without a space.
    name = f"{last}{first}" if not (first + last).isascii() else " ".join(p for p in (first, last) if p)
    return task_intake(
        user=None, source=Source.OPEN311, partner=partner, category=category, external_ref="",
        description=description, point=data["point"], address=data["address_string"].strip(),
        reporter_name=name, reporter_phone=data["phone"].strip(),
        priority=SEVERITY_PRIORITY.get(attributes["severity"]),
    )


def request_fingerprint(data) -> str:
    """What was asked, as validated: a form and a JSON body with the same fields are the same request."""
    return idempotency.fingerprint({name: value.code if isinstance(value, Category) else value for name, value in data.items()})


def service_notice(result) -> str:
    if result.merged:
        return _("This problem was already reported; your request was merged into %(number)s.") % {"number": result.task.number}
    if result.report.deadline:
        return _("Received; expected to be handled by %(deadline)s.") % {"deadline": _iso(result.report.deadline)}
    return _("Received.")


# --- views -----------------------------------------------------------------------------

FMT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["json"], description="response format (only json)")
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER, str, OpenApiParameter.HEADER, required=False,
    description="8-255 printable characters; a retry with the same key returns the first answer (no second request); "
                "the same key with a different body is refused with 422. Keys are kept 24 hours per api_key.",
)


@extend_schema(exclude=True)
class MissingFormatView(Open311View):
    """Paths without a suffix: ``initial`` refuses them with a 400 that names .json."""

    def get(self, request, fmt=None):  # pragma: no cover - initial() always refuses first
        return error_response(400, "")

    post = get


class DiscoveryView(Open311View):
    @extend_schema(parameters=[FMT], responses=OpenApiTypes.OBJECT, tags=["open311"], operation_id="open311_discovery")
    def get(self, request, fmt=None):
        base = request.build_absolute_uri("/open311/v2/")
        return Response({
            "changeset": CHANGESET,
            "contact": _("City management command centre"),
            "key_service": _("Ask the city management bureau for an api_key."),
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": None, "type": "production", "formats": ["application/json"]}],
        })


class ServiceListView(Open311View):
    @extend_schema(parameters=[FMT], responses=ServiceSerializer(many=True), tags=["open311"], operation_id="open311_services")
    def get(self, request, fmt=None):
        return Response(ServiceSerializer(public_categories(), many=True).data)


class ServiceDefinitionView(Open311View):
    @extend_schema(parameters=[FMT, OpenApiParameter("service_code", str, OpenApiParameter.PATH)], responses=OpenApiTypes.OBJECT, tags=["open311"],
                   operation_id="open311_service_definition")
    def get(self, request, service_code, fmt=None):
        if not public_categories().filter(code=service_code).exists():
            return error_response(404, _("Unknown service_code “%(code)s”.") % {"code": service_code})
        return Response({"service_code": service_code, "attributes": service_attributes()})


class RequestListView(Open311View):
    @extend_schema(
        parameters=[FMT] + [OpenApiParameter(n, str, description=d) for n, d in (
            ("service_request_id", "comma-separated; overrides every other filter"),
            ("service_code", "comma-separated"),
            ("start_date", "ISO 8601, on requested_datetime"),
            ("end_date", "ISO 8601, on requested_datetime"),
            ("status", "open, closed or both comma-separated"),
            ("page", "extension: page number (1…)"),
            ("page_size", "extension: at most 1000"),
        )],
        responses=ServiceRequestSerializer(many=True), tags=["open311"], operation_id="open311_requests_list",
    )
    def get(self, request, fmt=None):
        tasks = filter_requests(visible_requests(), request.query_params)
        page, page_size = _page_params(request.query_params)
        total = tasks.count()
        rows = list(tasks[(page - 1) * page_size : page * page_size])
        response = Response(ServiceRequestSerializer(rows, many=True).data)
        response["X-Total-Count"] = str(total)
        if page * page_size < total:
            query = request.query_params.copy()
            query["page"] = str(page + 1)
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{urlencode(query, doseq=True)}>; rel="next"'
        return response

    @extend_schema(parameters=[FMT, IDEMPOTENCY_KEY], request=ServiceRequestInSerializer, responses=OpenApiTypes.OBJECT, tags=["open311"],
                   operation_id="open311_requests_create")
    @rate_limit("open311-post")  # per client address, before the api_key is looked at
    def post(self, request, fmt=None):
        if not hasattr(request.data, "get"):
            return error_response(400, _("Send the fields as a form or a JSON object."))
        api_key = request.data.get("api_key") or request.query_params.get("api_key")
        partner = partner_for_key(api_key)
        if partner is None:
            return error_response(403, _("api_key is missing or not valid."))
        key = idempotency.key_from_request(request)
        serializer = ServiceRequestInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A retry with the same Idempotency-Key gets the first answer and makes no second task.
        outcome = task_intake_idempotent(
            scope=f"open311:{partner.pk}", key=key, fingerprint=request_fingerprint(serializer.validated_data),
            intake=lambda: service_request_create(partner=partner, data=serializer.validated_data),
            # Synchronous: the id is known at once, so no token.
            answer=lambda result: (200, [{"service_request_id": result.report.number, "service_notice": service_notice(result), "account_id": None}]),
        )
        response = Response(outcome.body, status=outcome.status_code)
        if outcome.replayed:
            response[idempotency.REPLAY_HEADER] = "true"
        return response


class RequestDetailView(Open311View):
    @extend_schema(parameters=[FMT, OpenApiParameter("service_request_id", str, OpenApiParameter.PATH)], responses=ServiceRequestSerializer(many=True), tags=["open311"],
                   operation_id="open311_request_detail")
    def get(self, request, service_request_id, fmt=None):
        return Response(ServiceRequestSerializer([request_by_id(service_request_id)], many=True).data)


class TokenView(Open311View):
    @extend_schema(parameters=[FMT, OpenApiParameter("token", str, OpenApiParameter.PATH)], responses=OpenApiTypes.OBJECT, tags=["open311"],
                   operation_id="open311_token")
    def get(self, request, token, fmt=None):
        # Requests are created synchronously: the token is the service_request_id itself.
        task = request_by_id(token)
        return Response([{"service_request_id": task.number, "token": task.number}])


# --- GET requests.json filters ---------------------------------------------------------

def filter_requests(tasks, params):
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        # The spec: service_request_id overrides every other parameter.
        return tasks.filter(number__in=ids[:MAX_RESULTS]).order_by("-received_at", "-id")
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        tasks = tasks.filter(category__code__in=codes)
    start = parse_datetime_param(params["start_date"], "start_date") if params.get("start_date") else None
    end = parse_datetime_param(params["end_date"], "end_date", end_of_day=True) if params.get("end_date") else None
    if start and end and end < start:
        raise Open311Error(_("end_date lies before start_date."))
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    tasks = tasks.filter(received_at__gte=start)
    if end is not None:
        tasks = tasks.filter(received_at__lte=end)
    statuses = {s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(_("status must be open, closed or both."))
    if statuses == {"open"}:
        tasks = tasks.exclude(CLOSED_Q)
    elif statuses == {"closed"}:
        tasks = tasks.filter(CLOSED_Q)
    return tasks.order_by("-received_at", "-id")


MAX_PAGE = 100000  # beyond this a page number is a probe, not a reader: 400 rather than an offset the database cannot hold


def _page_params(params):
    page = parse_int_param(params.get("page"), "page", default=1, minimum=1, maximum=MAX_PAGE)
    page_size = parse_int_param(params.get("page_size"), "page_size", default=MAX_RESULTS, minimum=1, maximum=MAX_RESULTS)
    return page, page_size
