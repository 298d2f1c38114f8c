"""Analytics API: one endpoint per figure, under the same filters as the page (docs/ANALYTICS.md §6)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.analytics import figures, forecast, hotspots, screen, selectors
from apps.analytics.filters import parse_filters
from apps.dispatch.models import Source

FILTER_PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: 90 days before `to`)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (default: yesterday)"),
    OpenApiParameter("region", str, description="region code inside the caller's jurisdiction; any other code answers 400"),
    OpenApiParameter("category", str, description="category code (its children count)"),
    OpenApiParameter("source", str, enum=list(Source.values)),
]


class FigureView(APIView):
    figure = ""

    def _data(self, request, **extra):
        if not selectors.may_analyse(request.user):
            raise PermissionDenied()
        filters = parse_filters(request.query_params)
        if filters.region:
            selectors.region_for_user(user=request.user, code=filters.region)
        kind, code = forecast.parse_series(extra.get("series", "total"))
        if kind == "district":
            selectors.region_for_user(user=request.user, code=code)
        return figures.figure(self.figure, user=request.user, filters=filters, **extra)


class PeakTimesView(FigureView):
    """高发时段: intake per weekday (Monday–Sunday, then 节假日) × local hour; ``per_day`` divides by the days of each row."""

    figure = "peak-times"

    @extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(self._data(request))


class HotSpotsView(FigureView):
    """高发区域: Getis-Ord Gi* z, permutation p and BH-adjusted p per grid; ``geometry=1`` answers GeoJSON."""

    figure = "hot-spots"

    @extend_schema(parameters=[*FILTER_PARAMS, OpenApiParameter("geometry", bool, description="GeoJSON FeatureCollection of the grids")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        data = self._data(request)
        if request.query_params.get("geometry") in ("1", "true"):
            return Response({**hotspots.as_geojson(data), "demo": data["demo"], "filters": data["filters"]})
        return Response(figures.public(data))


class GrowthView(FigureView):
    """高发问题: categories against the mean of the k previous periods, exact conditional test, BH-corrected."""

    figure = "growth"

    @extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(self._data(request))


class ForecastView(FigureView):
    """The next 7 days after ``to``: model mean with its 80 % interval and the seasonal-naive baseline."""

    figure = "forecast"

    @extend_schema(parameters=[*FILTER_PARAMS, OpenApiParameter("series", str, description="total | district:<code> | category:<code>")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(self._data(request, series=request.query_params.get("series") or "total"))


class ScreenView(APIView):
    """The big screen (大屏): live counts, today's intake by hour against the same weekday's average, top categories
    and sources today, open tasks for the map, the active incidents; the viewer's jurisdiction, cached briefly."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not selectors.may_analyse(request.user):
            raise PermissionDenied()
        return Response({**screen.screen(user=request.user), "incidents": screen.active_incidents(user=request.user)})
