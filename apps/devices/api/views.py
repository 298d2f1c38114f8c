"""Device endpoints: ingestion (OsmAnd, batched positions, noise) by device token, and the staff reads and alarm actions."""
import datetime as dt

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.devices import payloads, selectors, services
from apps.devices.events import sensor_payload
from apps.devices.api.serializers import AlarmClearSerializer, AlarmSerializer, DeviceSerializer
from apps.gbcp.api import parsers
from apps.gbcp.api.errors import error_body
from apps.gbcp.api.geojson import FeatureListSerializer, GeoJSONPagination, feature
from apps.gbcp.api.params import carries_nul, parse_bbox, parse_id_param, parse_time_range
from apps.gbcp.api.parsers import BoundedFormParser, BoundedJSONParser
from apps.gbcp.errors import ApplicationError

FROM_TO = [OpenApiParameter("from", str, description="ISO 8601"), OpenApiParameter("to", str, description="ISO 8601")]


def bearer_token(request):
    """The device token: ``Authorization: Bearer …``, else a ``token`` parameter (the Traccar client cannot set headers)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.GET.get("token") or None


def refuse(exc: payloads.PayloadError):
    raise ApplicationError(_("The data was refused: %(reason)s") % {"reason": exc.message}, code="invalid_payload", details=exc.details())


def json_response(data, status=200):
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def json_body(request):
    """The request body as JSON, bounded in size (413) and nesting (400) like every other JSON body of the API."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApplicationError(_("The request body is too large."), code="too_large", status_code=413) from None
    if not raw.strip():
        return {}
    try:
        return parsers.loads(raw)
    except parsers.JSONTooDeep:
        raise ApplicationError(_("The JSON is nested more than %(depth)d levels deep.") % {"depth": parsers.max_depth()}, code="parse_error") from None
    except ValueError:
        raise ApplicationError(_("The body is not valid JSON."), code="parse_error") from None


def json_object(request):
    body = json_body(request) if request.content_type in JSON_TYPES else None
    if not isinstance(body, dict):
        raise ApplicationError(_("Send a JSON object."), code="invalid_payload")
    return body


JSON_TYPES = {"application/json", ""}


class DeviceIngestView(APIView):
    """Devices are not users: no session, no CSRF, their own token checked by the service.

    Ingestion is the hottest path of the system, so these views skip DRF's request wrapper, content
    negotiation and renderer (about a third of a millisecond per request) and answer with orjson in
    the project's error format; they stay APIViews so that the OpenAPI schema describes them.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs, self.request, self.headers = args, kwargs, request, {}
        if carries_nul(request):  # the devices' WSGI entry runs no middleware; PostgreSQL refuses NUL in text
            return json_response(error_body("bad_request", _("The request cannot be read.")), status=400)
        method = request.method.lower()
        handler = getattr(self, method, None) if method in ("get", "post", "head") else None
        if handler is None:
            return json_response(error_body("method_not_allowed", _("This method is not allowed here.")), status=405)
        try:
            return handler(request, *args, **kwargs)
        except ApplicationError as exc:
            return json_response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)


class OsmAndView(DeviceIngestView):
    """The OsmAnd protocol of the Traccar client: one position per GET or POST."""

    parser_classes = [BoundedJSONParser, BoundedFormParser, MultiPartParser]

    @extend_schema(
        parameters=[OpenApiParameter(n, str) for n in ("id", "token", "lat", "lon", "timestamp", "speed", "bearing", "altitude", "accuracy", "batt")],
        request=None, responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return self._ingest(request, request.GET, None)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        params, body = request.GET, None
        if request.content_type == "application/json":
            body = json_body(request)
        elif request.POST:  # form fields join the query string
            params = params.copy()
            for key, values in request.POST.lists():
                params.setlist(key, values)
        return self._ingest(request, params, body)

    def _ingest(self, request, params, body):
        token = bearer_token(request) or params.get("token")
        code = body.get("device_id") if isinstance(body, dict) else None
        code = str(code or params.get("id") or params.get("deviceid") or "")
        try:
            _code, point = payloads.parse_osmand(params, body)
        except payloads.PayloadError as exc:
            services.device_authenticate(code=code, token=token)  # a bad token is refused before a bad point
            refuse(exc)
        result = services.position_report(code=code, token=token, point=point)
        return json_response({"device": result.device.code, "received": result.received, "stored": result.stored})


class _BatchSerializer(serializers.Serializer):
    device = serializers.CharField(max_length=16)
    points = serializers.ListField(child=serializers.DictField())


class PositionBatchView(DeviceIngestView):
    """Many points of one device per request: all stored (each once) or none."""

    @extend_schema(request=_BatchSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        body = json_object(request)
        device = services.device_authenticate(code=str(body.get("device") or ""), token=bearer_token(request))
        try:
            points = payloads.parse_batch(body.get("points"), payloads.parse_position)
        except payloads.PayloadError as exc:
            refuse(exc)
        result = services.positions_ingest(device=device, points=points)
        return json_response({"device": device.code, "received": result.received, "stored": result.stored, "duplicates": result.duplicates})


class NoiseBatchView(DeviceIngestView):
    """LAeq and Lmax per interval from a noise sensor: all stored (each once) or none, then the alarm rule."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        body = json_object(request)
        device = services.device_authenticate(code=str(body.get("device") or ""), token=bearer_token(request))
        try:
            readings = payloads.parse_batch(body.get("readings"), payloads.parse_noise)
        except payloads.PayloadError as exc:
            refuse(exc)
        result = services.noise_ingest(device=device, readings=readings)
        return json_response({"device": device.code, "received": result.received, "stored": result.stored, "duplicates": result.duplicates})


# --- staff ----------------------------------------------------------------


def parse_range(params):
    return parse_time_range(params, start="from", end="to", max_span=dt.timedelta(days=31))


class DeviceListView(generics.ListAPIView):
    serializer_class = DeviceSerializer

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("q", str), OpenApiParameter("region", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.device_list_for_user(user=self.request.user, kind=params.getlist("kind") or None, q=params.get("q"), region_code=params.get("region"))


class DeviceDetailView(APIView):
    @extend_schema(responses=DeviceSerializer)
    def get(self, request, pk):
        return Response(DeviceSerializer(selectors.device_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class TrackView(APIView):
    """A unit's track as one GeoJSON LineString with the time of each vertex, for playback."""

    @extend_schema(parameters=FROM_TO, responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        start, end = parse_range(request.query_params)
        device, start, end, points = selectors.track_for_user(user=request.user, id=pk, start=start, end=end)
        return Response({
            "type": "Feature",
            "id": device.pk,
            "geometry": {"type": "LineString", "coordinates": [[p[2], p[1]] for p in points]},
            "properties": {
                "code": device.code, "name": device.name, "kind": device.kind, "from": start.isoformat(), "to": end.isoformat(),
                "times": [p[0].isoformat() for p in points], "speed_kmh": [p[3] for p in points], "count": len(points),
                "truncated": len(points) >= selectors.MAX_TRACK_POINTS,
            },
        })


class NoiseSeriesView(APIView):
    """A sensor's readings with the limit in force at each one, for the chart."""

    @extend_schema(parameters=FROM_TO, responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        start, end = parse_range(request.query_params)
        device, limits, start, end, rows = selectors.noise_series_for_user(user=request.user, id=pk, start=start, end=end)
        return Response({
            "device": {"id": device.pk, "code": device.code, "name": device.name, "noise_zone": device.noise_zone},
            "limits": {"day": limits.day, "night": limits.night, "night_lmax_margin": 15.0},
            "from": start.isoformat(), "to": end.isoformat(),
            "readings": [
                {"time": r[0].isoformat(), "interval_s": r[1], "laeq": r[2], "lmax": r[3], "limit": r[4], "night": r[5]} for r in rows
            ],
        })


class UnitGeoJSONView(generics.ListAPIView):
    """Latest positions of units and sensors as GeoJSON (the live map's first paint)."""

    pagination_class = GeoJSONPagination

    @extend_schema(parameters=[OpenApiParameter("bbox", str), OpenApiParameter("kind", str)], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.unit_list_for_user(user=self.request.user, bbox=parse_bbox(params.get("bbox")), kinds=params.getlist("kind") or None)

    def get_serializer(self, *args, **kwargs):
        return FeatureListSerializer(*args, to_feature=lambda s: feature(s.point, sensor_payload(s.device, s), id=s.device_id), **kwargs)


class AlarmListView(generics.ListAPIView):
    serializer_class = AlarmSerializer

    @extend_schema(parameters=[OpenApiParameter("state", str, description="raised, acknowledged, cleared or active"), OpenApiParameter("kind", str), OpenApiParameter("device", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        device = parse_id_param(params.get("device"), "device")
        return selectors.alarm_list_for_user(user=self.request.user, state=params.get("state"), kind=params.get("kind"), device_id=device)


class AlarmDetailView(APIView):
    @extend_schema(responses=AlarmSerializer)
    def get(self, request, pk):
        return Response(AlarmSerializer(selectors.alarm_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class AlarmAcknowledgeView(APIView):
    @extend_schema(request=None, responses=AlarmSerializer)
    def post(self, request, pk):
        alarm = services.alarm_acknowledge(user=request.user, alarm=selectors.alarm_get_for_user(user=request.user, id=pk))
        return Response(AlarmSerializer(alarm, context={"request": request}).data)


class AlarmClearView(APIView):
    @extend_schema(request=AlarmClearSerializer, responses=AlarmSerializer)
    def post(self, request, pk):
        serializer = AlarmClearSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alarm = selectors.alarm_get_for_user(user=request.user, id=pk)
        alarm = services.alarm_clear(user=request.user, alarm=alarm, reason=serializer.validated_data.get("reason", ""))
        return Response(AlarmSerializer(alarm, context={"request": request}).data)
