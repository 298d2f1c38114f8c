"""Evaluation API: scorecards (many from the rollup, one live), the lists behind the numbers, schemes and rankings."""
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.evaluation import drilldown, selectors, services
from apps.evaluation.api import serializers as s
from apps.evaluation.models import DailyRollup
from apps.evaluation.periods import parse_period
from apps.gbcp.api.params import parse_int_param
from apps.gbcp.errors import ApplicationError

PERIOD_PARAMS = [OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE),
                 OpenApiParameter("period", str, enum=["day", "week", "month", "quarter"]), OpenApiParameter("at", OpenApiTypes.DATE)]


def _judge(request):
    if not selectors.may_judge(request.user):
        raise PermissionDenied()


class ScorecardListView(APIView):
    """Scorecards of the units the caller judges (from the daily rollup), 50 a page."""

    @extend_schema(parameters=[*PERIOD_PARAMS, OpenApiParameter("kind", str, enum=["district", "street", "department"]),
                               OpenApiParameter("page", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _judge(request)
        period = parse_period(request.query_params)
        units = selectors.unit_list_for_user(user=request.user, kind=request.query_params.get("kind") or None)
        page = Paginator(units, 50).get_page(parse_int_param(request.query_params.get("page"), "page", default=1, minimum=1))
        cards = services.scorecards_from_rollup(units=list(page.object_list), period=period)
        return Response({"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                         "results": [card.as_dict() for card in cards]})


class ScorecardView(APIView):
    """One unit's scorecard, computed from its tasks (agrees with its lists)."""

    @extend_schema(parameters=PERIOD_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        _judge(request)
        unit = selectors.unit_get_for_user(user=request.user, id=pk)
        return Response(services.scorecard_live(unit=unit, period=parse_period(request.query_params)).as_dict())


class DrillView(generics.ListAPIView):
    """The tasks, summonses or cases behind one number: ``figure`` as in docs/EVALUATION.md §6."""

    @extend_schema(parameters=[*PERIOD_PARAMS, OpenApiParameter("figure", str, required=True)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _family(self):
        figure = self.request.query_params.get("figure", "T")
        family = drilldown.family(figure)
        if family is None:
            raise ApplicationError(_("Unknown figure."), code="invalid_figure", details={"figure": [_("Unknown figure.")]})
        return figure, family

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return s.DrillTaskSerializer
        return {"tasks": s.DrillTaskSerializer, "summonses": s.DrillSummonsSerializer, "cases": s.DrillCaseSerializer}[self._family()[1]]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DailyRollup.objects.none()  # the schema only: the lists are tasks, summonses or cases
        _judge(self.request)
        figure, family = self._family()
        unit = selectors.unit_get_for_user(user=self.request.user, id=self.kwargs["pk"])
        lists = {"tasks": drilldown.task_list, "summonses": drilldown.summons_list, "cases": drilldown.case_list}
        return lists[family](unit=unit, period=parse_period(self.request.query_params), figure=figure)


class SchemeListView(generics.ListAPIView):
    serializer_class = s.SchemeSerializer

    def get_queryset(self):
        return selectors.scheme_list_for_user(user=self.request.user)


class RankingView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        scheme = selectors.scheme_get_for_user(user=request.user, id=pk)
        ranking = services.scheme_ranking(scheme=scheme)
        return Response({
            "scheme": s.SchemeSerializer(scheme).data,
            "results": [{"rank": r.rank, "unit": {"id": r.unit.pk, "name": r.unit.name, "region_code": r.unit.region.code},
                         "score": r.score, "incomplete": r.incomplete,
                         "values": {ind.figure: {"value": value, "attainment": a} for ind, value, a in r.values}} for r in ranking],
        })
