"""Duty API (勤务) for the mobile client and the pages: my shifts, rosters with their shifts and officers, posts, who is on
duty, peak suggestions and coverage. Another district's squad, roster or post answers 404 (in a body: 400 "does not
exist"), like one that does not exist; citizens and merchants get 403."""
import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.decorators import is_staff_user
from apps.duty import demand, selectors, services
from apps.duty.api import serializers as s

MAX_PERIOD_DAYS = 92


def _reader(request):
    if not selectors.may_read(request.user):
        raise PermissionDenied()


def _date(value, name, default):
    if not value:
        return default
    parsed = parse_date(value)
    if parsed is None:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]})
    return parsed


def period_of(params, today=None):
    """[from, to] days (both included; default: this week) and their local instants [start, end)."""
    today = today or timezone.localdate()
    first = _date(params.get("from"), "from", selectors.week_monday(today))
    last = _date(params.get("to"), "to", first + dt.timedelta(days=6))
    if last < first or (last - first).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"to": [_("The period runs forward and spans at most %(days)d days.") % {"days": MAX_PERIOD_DAYS}]})
    return first, last, selectors.local_instant(first, dt.time()), selectors.local_instant(last + dt.timedelta(days=1), dt.time())


def _squad(request, required=True):
    raw = request.query_params.get("squad")
    if not raw:
        if required:
            raise ValidationError({"squad": [_("This field is required.")]})
        return None
    if not raw.isdigit():
        raise ValidationError({"squad": [_("The squad does not exist.")]})
    return selectors.squad_get_for_user(user=request.user, id=int(raw))


class MyShiftsView(generics.ListAPIView):
    """The caller's own shifts today (``range=today``) or this week (``range=week``), with the post of each."""

    serializer_class = s.MyShiftSerializer

    @extend_schema(parameters=[OpenApiParameter("range", str, enum=["today", "week"])])
    def get(self, request, *args, **kwargs):
        if not is_staff_user(request.user):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        today = timezone.localdate()
        if self.request.query_params.get("range") == "week":
            first, days = selectors.week_monday(today), 7
        else:
            first, days = today, 1
        start = selectors.local_instant(first, dt.time())
        return selectors.my_shifts(user=self.request.user, start=start, end=start + dt.timedelta(days=days))


class RosterListView(generics.ListAPIView):
    """Rosters of the squads the caller reads, newest week first; ``squad`` narrows to one squad."""

    serializer_class = s.RosterSerializer

    @extend_schema(parameters=[OpenApiParameter("squad", int)])
    def get(self, request, *args, **kwargs):
        _reader(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.roster_list_for_user(user=self.request.user, squad=_squad(self.request, required=False))


class RosterEnsureView(APIView):
    """The squad's roster of a week (made empty if needed): the squad's leader, or a dispatcher or leader of its district."""

    @extend_schema(request=s.RosterEnsureSerializer, responses={201: s.RosterDetailSerializer})
    def post(self, request):
        _reader(request)
        serializer = s.RosterEnsureSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        roster = services.roster_ensure(user=request.user, squad=serializer.validated_data["squad"], week_start=serializer.validated_data["week_start"])
        return Response(s.RosterDetailSerializer(roster, context={"request": request}).data, status=201)


def _roster(request, pk, status=200):
    roster = selectors.roster_get_for_user(user=request.user, id=pk)
    return Response(s.RosterDetailSerializer(roster, context={"request": request}).data, status=status)


class RosterDetailView(APIView):
    @extend_schema(responses=s.RosterDetailSerializer)
    def get(self, request, pk):
        _reader(request)
        return _roster(request, pk)


class RosterCopyView(APIView):
    """Copy last week's shifts and officers into this empty week; who could not be copied is listed."""

    @extend_schema(request=None, responses=s.CopyReportSerializer)
    def post(self, request, pk):
        _reader(request)
        roster = selectors.roster_get_for_user(user=request.user, id=pk)
        report = services.roster_copy_previous(user=request.user, roster=roster)
        return Response(s.CopyReportSerializer(report).data)


class ShiftCreateView(APIView):
    @extend_schema(request=s.ShiftWriteSerializer, responses={201: s.ShiftSerializer})
    def post(self, request, pk):
        _reader(request)
        roster = selectors.roster_get_for_user(user=request.user, id=pk)
        serializer = s.ShiftWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        shift = services.shift_create(user=request.user, roster=roster, **serializer.validated_data)
        return Response(s.ShiftSerializer(shift).data, status=201)


class ShiftDetailView(APIView):
    @extend_schema(responses=s.ShiftSerializer)
    def get(self, request, pk):
        _reader(request)
        return Response(s.ShiftSerializer(selectors.shift_get_for_user(user=request.user, id=pk)).data)

    @extend_schema(request=s.ShiftWriteSerializer, responses=s.ShiftSerializer)
    def put(self, request, pk):
        _reader(request)
        shift = selectors.shift_get_for_user(user=request.user, id=pk)
        serializer = s.ShiftWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("post", None)
        shift = services.shift_update(user=request.user, shift=shift, **data)
        return Response(s.ShiftSerializer(shift).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        _reader(request)
        services.shift_delete(user=request.user, shift=selectors.shift_get_for_user(user=request.user, id=pk))
        return Response(status=204)


class AssignmentCreateView(APIView):
    """Put an officer of the squad on the shift (400 when not of the squad, or on another shift then)."""

    @extend_schema(request=s.ShiftAssignmentCreateSerializer, responses={201: s.ShiftAssignmentSerializer})
    def post(self, request, pk):
        _reader(request)
        shift = selectors.shift_get_for_user(user=request.user, id=pk)
        serializer = s.ShiftAssignmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_add(user=request.user, shift=shift, officer=serializer.validated_data["officer"],
                                             post=serializer.validated_data.get("post"))
        return Response(s.ShiftAssignmentSerializer(assignment).data, status=201)


class AssignmentDeleteView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        _reader(request)
        services.assignment_remove(user=request.user, assignment=selectors.assignment_get_for_user(user=request.user, id=pk))
        return Response(status=204)


class PostListView(generics.ListCreateAPIView):
    """The active posts of the squads the caller reads; a squad's leader (or a dispatcher or leader) adds one."""

    serializer_class = s.PostSerializer

    @extend_schema(parameters=[OpenApiParameter("squad", int)])
    def get(self, request, *args, **kwargs):
        _reader(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.post_list_for_user(user=self.request.user, squad=_squad(self.request, required=False))

    @extend_schema(request=s.PostCreateSerializer, responses={201: s.PostSerializer})
    def post(self, request, *args, **kwargs):
        _reader(request)
        serializer = s.PostCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        post = services.post_create(user=request.user, squad=d["squad"], name=d["name"], kind=d["kind"], grid=d.get("grid"), area=d.get("area"),
                                    point=d.get("point"), radius_m=d.get("radius_m"), hours_start=d.get("hours_start"),
                                    hours_end=d.get("hours_end"), note=d.get("note", ""))
        return Response(s.PostSerializer(post).data, status=201)


class OnDutyView(generics.ListAPIView):
    """Who is on duty at ``at`` (default now), in a region (code prefix) or a grid, among the squads the caller reads."""

    serializer_class = s.OnDutySerializer

    @extend_schema(parameters=[OpenApiParameter("at", str), OpenApiParameter("region", str), OpenApiParameter("grid", int)])
    def get(self, request, *args, **kwargs):
        _reader(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        when = parse_datetime(p["at"]) if p.get("at") else timezone.now()
        if when is None:
            raise ValidationError({"at": [_("Give a date and time (ISO 8601).")]})
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        grid = None
        if p.get("grid"):
            grid = selectors.squad_grids_for_user(user=self.request.user).filter(pk=p["grid"] if p["grid"].isdigit() else 0).first()
            if grid is None:
                raise ValidationError({"grid": [_("The grid does not exist.")]})
        return selectors.on_duty_at(user=self.request.user, when=when, region_code=p.get("region") or None, grid=grid)


class PeakListView(APIView):
    """Suggested peak posts of a squad's grids: grid × hour-of-week cells where intake is significantly above the grid's
    mean (Poisson upper tail, Benjamini–Hochberg over all cells), strongest first."""

    @extend_schema(parameters=[OpenApiParameter("squad", int, required=True)], responses=s.PeakCellSerializer(many=True))
    def get(self, request):
        _reader(request)
        squad = _squad(request)
        cells = demand.peak_cells(user=request.user, grids=selectors.squad_grids(squad=squad))
        return Response(s.PeakCellSerializer(cells, many=True).data)


class PeakAdoptView(APIView):
    """Turn a suggestion into a post on the grid and a peak shift on the next such weekday (officers are added after)."""

    @extend_schema(request=s.PeakAdoptSerializer, responses={201: s.ShiftSerializer})
    def post(self, request):
        _reader(request)
        serializer = s.PeakAdoptSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        shift = services.peak_adopt(user=request.user, on_date=timezone.localdate(), **serializer.validated_data)
        return Response(s.ShiftSerializer(shift).data, status=201)


class CoverageSerializer(serializers.Serializer):
    squad = serializers.IntegerField()
    first = serializers.DateField()
    last = serializers.DateField()
    by_hour = serializers.ListField(child=serializers.DictField())
    grids = s.CoverageGridSerializer(many=True)


class CoverageView(APIView):
    """Duty against demand of a squad per grid × hour of the day over a period (default: this week)."""

    @extend_schema(parameters=[OpenApiParameter("squad", int, required=True), OpenApiParameter("from", str), OpenApiParameter("to", str)],
                   responses=CoverageSerializer)
    def get(self, request):
        _reader(request)
        squad = _squad(request)
        first, last, start, end = period_of(request.query_params)
        rows = demand.coverage(user=request.user, squad=squad, grids=selectors.squad_grids(squad=squad), start=start, end=end)
        return Response({"squad": squad.pk, "first": first, "last": last, "by_hour": demand.coverage_by_hour(rows),
                         "grids": s.CoverageGridSerializer(rows, many=True).data})
