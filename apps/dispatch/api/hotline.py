"""The 12345 hotline intake: signed ticket push (idempotent by ticket number), status polling and the call-back rating."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.dispatch.api.partner_auth import IsSignedPartner, PartnerSignatureAuthentication
from apps.dispatch.models import HotlineTicket, Task, TaskRating
from apps.dispatch import services
from apps.gbcp.api.params import parse_lat_lon
from apps.gbcp.api.parsers import BoundedJSONParser
from apps.gbcp.errors import NotFound

PRIORITY_NAMES = {"low": Task.Priority.LOW, "normal": Task.Priority.NORMAL, "high": Task.Priority.HIGH, "urgent": Task.Priority.URGENT}
# task_intake refuses reports from the future beyond this; say so in the 400 instead of later.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 1, "maximum": 4}, {"type": "string", "enum": list(PRIORITY_NAMES)}]})
class PriorityField(serializers.Field):
    """1–4, or low/normal/high/urgent."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().lower() in PRIORITY_NAMES:
            return PRIORITY_NAMES[data.strip().lower()]
        try:
            value = int(data)
        except (TypeError, ValueError):
            value = None
        if value not in Task.Priority.values or isinstance(data, bool):
            raise serializers.ValidationError(_("Use 1–4 or one of low, normal, high, urgent."))
        return value

    def to_representation(self, value):
        return value


class HotlineTicketInSerializer(serializers.Serializer):
    """A 12345 ticket as the centre sends it."""

    ticket_number = serializers.CharField(max_length=64)
    received_at = serializers.DateTimeField()
    citizen_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    citizen_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    content = serializers.CharField()
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    crs = serializers.ChoiceField(choices=["wgs84", "gcj02"], required=False, default="wgs84")
    category_hint = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    priority = PriorityField(required=False, allow_null=True)

    def validate_received_at(self, value):
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise serializers.ValidationError(_("The ticket cannot have been received in the future."))
        return value

    def validate(self, attrs):
        lat, lon = attrs.get("lat"), attrs.get("lon")
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lat" if lat is None else "lon": _("Give both lat and lon, or neither.")})
        attrs["point"] = parse_lat_lon(lat, lon, attrs.get("crs")) if lat is not None else None
        if attrs["point"] is None and not attrs.get("address", "").strip():
            raise serializers.ValidationError({"address": _("Give an address or a point (lat, lon).")})
        deadline = attrs.get("deadline")
        if deadline is not None and deadline <= attrs["received_at"]:
            raise serializers.ValidationError({"deadline": _("The deadline must come after the time the ticket was received.")})
        return attrs


class HotlineTicketOutSerializer(serializers.Serializer):
    """The answer to a push: where the ticket went."""

    ticket_number = serializers.CharField()
    task_number = serializers.CharField(source="task.number")
    tracking_code = serializers.CharField(source="task.tracking_code")
    status = serializers.CharField(source="task.status")
    merged_into = serializers.SerializerMethodField()
    deadline = serializers.DateTimeField(source="task.deadline", allow_null=True)

    def get_merged_into(self, ticket) -> str | None:
        return ticket.task.master.number if ticket.task.master_id else None


class HotlineTicketStatusSerializer(HotlineTicketOutSerializer):
    """What the centre polls: the report's status, and the result and callback of the task that carries it."""

    received_at = serializers.DateTimeField(source="task.received_at")
    handling_status = serializers.SerializerMethodField(help_text="status of the task that carries the problem (the master when merged)")
    organization = serializers.SerializerMethodField()
    alert = serializers.CharField(source="task.alert")
    result = serializers.SerializerMethodField()
    solved = serializers.SerializerMethodField()
    handled_at = serializers.SerializerMethodField()
    closed_at = serializers.SerializerMethodField()
    satisfied = serializers.SerializerMethodField(help_text="from the reporter's rating; null while unrated")
    rating = serializers.SerializerMethodField(help_text="satisfied, basic or dissatisfied; null while unrated")
    reopened_as = serializers.SerializerMethodField(help_text="numbers of the tasks redoing the work after a dissatisfied rating (重办)")

    def _carrier(self, ticket):
        return ticket.task.master or ticket.task

    def get_handling_status(self, ticket) -> str:
        return self._carrier(ticket).status

    def get_organization(self, ticket) -> str | None:
        org = self._carrier(ticket).organization
        return org.name if org else None

    def get_result(self, ticket) -> str:
        return self._carrier(ticket).result

    def get_solved(self, ticket) -> bool | None:
        return self._carrier(ticket).solved

    def get_handled_at(self, ticket) -> str | None:
        return _iso(self._carrier(ticket).handled_at)

    def get_closed_at(self, ticket) -> str | None:
        return _iso(self._carrier(ticket).closed_at)

    def get_satisfied(self, ticket) -> bool | None:
        return self._carrier(ticket).satisfied

    def get_rating(self, ticket) -> str | None:
        rating = TaskRating.objects.filter(task_id=self._carrier(ticket).pk).values_list("level", flat=True).first()
        return rating

    def get_reopened_as(self, ticket) -> list[str]:
        return list(Task.objects.filter(reopened_from_id=self._carrier(ticket).pk).order_by("pk").values_list("number", flat=True))


class HotlineRatingInSerializer(serializers.Serializer):
    """The caller's answer on the 12345 call-back (回访)."""

    level = serializers.ChoiceField(choices=TaskRating.Level.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class HotlineRatingOutSerializer(serializers.Serializer):
    ticket_number = serializers.CharField()
    task_number = serializers.CharField()
    level = serializers.CharField()
    rated_at = serializers.DateTimeField()
    reopened_as = serializers.ListField(child=serializers.CharField(), help_text="the redo (重办) a dissatisfied rating started")


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _ticket_for(partner, ticket_number) -> HotlineTicket:
    """Another partner's ticket is not there (404), like any ticket that does not exist."""
    ticket = (
        HotlineTicket.objects.select_related("task__organization", "task__master__organization")
        .filter(partner=partner, ticket_number=ticket_number)
        .first()
    )
    if ticket is None:
        raise NotFound()
    return ticket


class PartnerView(APIView):
    """Partners are systems, not users: no session, no token, no CSRF; each request is signed."""

    authentication_classes = [PartnerSignatureAuthentication]
    permission_classes = [IsSignedPartner]
    parser_classes = [BoundedJSONParser]


class HotlineTicketCreateView(PartnerView):
    @extend_schema(
        request=HotlineTicketInSerializer,
        responses={201: HotlineTicketOutSerializer, 200: HotlineTicketOutSerializer},
        description="Push a 12345 ticket. 201 when new, 200 when this ticket number was already received (same task).",
    )
    def post(self, request):
        serializer = HotlineTicketInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket, created = services.hotline_ticket_receive(user=None, partner=request.auth, data=serializer.validated_data, payload=request.data)
        ticket = _ticket_for(request.auth, ticket.ticket_number)
        return Response(HotlineTicketOutSerializer(ticket).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class HotlineTicketDetailView(PartnerView):
    @extend_schema(
        parameters=[OpenApiParameter("ticket_number", str, OpenApiParameter.PATH)],
        responses=HotlineTicketStatusSerializer,
        description="Poll a ticket: status, result and callback (sign an empty body).",
    )
    def get(self, request, ticket_number):
        return Response(HotlineTicketStatusSerializer(_ticket_for(request.auth, ticket_number)).data)


class HotlineTicketRatingView(PartnerView):
    @extend_schema(
        parameters=[OpenApiParameter("ticket_number", str, OpenApiParameter.PATH)],
        request=HotlineRatingInSerializer, responses={201: HotlineRatingOutSerializer},
        description="The caller's rating on the 12345 call-back, once per ticket (409 when the task is open, merged or "
                    "already rated). A dissatisfied rating within the redo window reopens the work (重办).",
    )
    def post(self, request, ticket_number):
        ticket = _ticket_for(request.auth, ticket_number)
        serializer = HotlineRatingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = services.rate_task(task=ticket.task, level=serializer.validated_data["level"], comment=serializer.validated_data["comment"],
                                    channel=TaskRating.Channel.HOTLINE, user=None)
        reopened = list(Task.objects.filter(reopened_from_id=ticket.task_id).order_by("pk").values_list("number", flat=True))
        body = {"ticket_number": ticket.ticket_number, "task_number": ticket.task.number, "level": rating.level,
                "rated_at": rating.rated_at, "reopened_as": reopened}
        return Response(HotlineRatingOutSerializer(body).data, status=status.HTTP_201_CREATED)
