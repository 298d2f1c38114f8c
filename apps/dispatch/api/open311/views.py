"""Open311's endpoints. Rendering is decided here, in ``Open311View``, and nowhere else (the format is the path suffix)."""
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.throttling import rate_limit
from apps.dispatch import services
from apps.dispatch.api.open311.errors import Open311Error, error_response, open311_exception_handler
from apps.dispatch.api.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from apps.dispatch.api.open311.selectors import MAX_RESULTS, filter_requests, partner_for_key, public_categories, request_by_id, visible_requests
from apps.dispatch.api.open311.serializers import (
    ServiceRequestInSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
    intake_fields,
    request_fingerprint,
    service_attributes,
    service_notice,
)
from apps.gbcp import idempotency
from apps.gbcp.api.params import parse_int_param
from apps.gbcp.api.parsers import BoundedFormParser, BoundedJSONParser

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+08:00"  # when the services or their attributes last changed in meaning
MAX_PAGE = 100000  # beyond this a page number is a probe, not a reader: 400 rather than an offset the database cannot hold


FORMATS = {"json": Open311JSONRenderer, "xml": Open311XMLRenderer}


class SuffixNegotiation(BaseContentNegotiation):
    """The format is chosen by the path suffix alone; an Accept header never turns a 200 into a 406."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if parser.media_type.split(";")[0] == (request.content_type or "").split(";")[0].strip():
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = (request.parser_context or {}).get("kwargs", {}).get("fmt")
        for renderer in renderers:
            if renderer.format == fmt:
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type  # an unknown suffix is refused in JSON


class Open311View(APIView):
    """Reads are public; writes carry an api_key in the body. No session, so no CSRF."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]
    content_negotiation_class = SuffixNegotiation
    xml_root, xml_item = "service_requests", "request"

    def get_exception_handler(self):
        return open311_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        fmt = kwargs.get("fmt")
        if fmt not in FORMATS:
            raise Open311Error(_("Give the format as the path's ending: .xml or .json.") if fmt is None
                               else _("The format “%(format)s” is not served; use .xml or .json.") % {"format": fmt})


def _page_params(params):
    page = parse_int_param(params.get("page"), "page", default=1, minimum=1, maximum=MAX_PAGE)
    page_size = parse_int_param(params.get("page_size"), "page_size", default=MAX_RESULTS, minimum=1, maximum=MAX_RESULTS)
    return page, page_size


FMT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["xml", "json"], description="response format: xml (text/xml) or json")
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
    xml_root = "discovery"

    @extend_schema(parameters=[FMT], responses=OpenApiTypes.OBJECT, tags=["open311"], operation_id="open311_discovery")
    def get(self, request, fmt=None):
        base = request.build_absolute_uri("/open311/v2/")
        return Response({
            "changeset": CHANGESET,
            "contact": _("City management command centre"),
            "key_service": _("Ask the city management bureau for an api_key."),
            "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET, "type": "production",
                           "formats": ["text/xml", "application/json"]}],
        })


class ServiceListView(Open311View):
    xml_root, xml_item = "services", "service"

    @extend_schema(parameters=[FMT], responses=ServiceSerializer(many=True), tags=["open311"], operation_id="open311_services")
    def get(self, request, fmt=None):
        return Response(ServiceSerializer(public_categories(), many=True).data)


class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

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
        outcome = services.task_intake_idempotent(
            scope=f"open311:{partner.pk}", key=key, fingerprint=request_fingerprint(serializer.validated_data),
            intake=lambda: services.open311_request_create(partner=partner, **intake_fields(serializer.validated_data)),
            # Synchronous: the id is known at once, so no token.
            answer=lambda result: (200, [{"service_request_id": result.report.number, "service_notice": service_notice(result),
                                          "account_id": serializer.validated_data.get("account_id") or None}]),
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
