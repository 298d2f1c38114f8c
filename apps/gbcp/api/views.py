"""GBCP endpoints: locate, places, regions and grids as map layers, city codes, categories."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.gbcp import citycode, selectors
from apps.gbcp.api.geojson import FeatureListSerializer, GeoJSONPagination, GeoJSONRenderer, feature, geojson_feature, simplify_tolerance
from apps.gbcp.api.params import parse_bbox, parse_lat_lon
from apps.gbcp.api.parsers import BoundedFormParser, BoundedJSONParser
from apps.gbcp.api.serializers import (
    CategorySerializer,
    CityCodeScanSerializer,
    EntitySerializer,
    LocationSerializer,
    PlaceSerializer,
)
from apps.gbcp.errors import ApplicationError

BBOX_PARAM = OpenApiParameter("bbox", str, description="west,south,east,north (WGS-84)")


class LocateView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("crs", str, enum=["wgs84", "gcj02"], description="datum of the input, WGS-84 by default"),
        ],
        responses=LocationSerializer,
    )
    def get(self, request):
        point = parse_lat_lon(request.query_params.get("lat"), request.query_params.get("lon"), request.query_params.get("crs"))
        location = selectors.locate_for_user(user=request.user, point=point)
        return Response(LocationSerializer(location, context={"request": request}).data)


class PlaceListView(generics.ListAPIView):
    serializer_class = PlaceSerializer

    @extend_schema(parameters=[BBOX_PARAM, OpenApiParameter("kind", str), OpenApiParameter("region", str), OpenApiParameter("city_code", str), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.place_list_for_user(
            user=self.request.user,
            bbox=parse_bbox(params.get("bbox")),
            kind=params.getlist("kind") or None,
            region_code=params.get("region"),
            city_code=params.get("city_code"),
            q=params.get("q"),
        )


class PlaceDetailView(APIView):
    @extend_schema(responses=PlaceSerializer)
    def get(self, request, pk):
        place = selectors.place_get_for_user(user=request.user, id=pk)
        return Response(PlaceSerializer(place, context={"request": request}).data)


class PlaceQrView(APIView):
    """The place's city-code label as PNG or SVG: the QR code with the place's name and the code printed under it
    (``?bare=1``: the QR code alone)."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request, pk, fmt):
        place = selectors.place_get_for_user(user=request.user, id=pk)
        bare = request.query_params.get("bare") in {"1", "true"}
        if fmt == "svg":
            body = citycode.qr_svg(place.city_code) if bare else citycode.label_svg(place.city_code, place.name)
            return HttpResponse(body, content_type="image/svg+xml")
        body = citycode.qr_png(place.city_code) if bare else citycode.label_png(place.city_code, place.name)
        return HttpResponse(body, content_type="image/png")


class PlaceGeoJSONView(generics.ListAPIView):
    pagination_class = GeoJSONPagination

    @extend_schema(parameters=[BBOX_PARAM, OpenApiParameter("kind", str)], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.place_list_for_user(
            user=self.request.user, bbox=parse_bbox(params.get("bbox")), kind=params.getlist("kind") or None
        ).select_related(None).only("id", "name", "kind", "point", "city_code", "address")

    def get_serializer(self, *args, **kwargs):
        return FeatureListSerializer(*args, to_feature=lambda p: feature(p.point, {"name": p.name, "kind": p.kind, "city_code": p.city_code, "address": p.address}, id=p.pk), **kwargs)


class RegionGeoJSONView(generics.ListAPIView):
    pagination_class = GeoJSONPagination
    renderer_classes = [GeoJSONRenderer, BrowsableAPIRenderer]  # outlines go out as the database wrote them

    @extend_schema(parameters=[BBOX_PARAM, OpenApiParameter("level", int), OpenApiParameter("parent", str), OpenApiParameter("zoom", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        level = params.get("level")
        if level and level not in {"1", "2", "3", "4"}:
            raise serializers.ValidationError({"level": _("Level is 1 (city) to 4 (community).")})
        return selectors.region_outlines_for_user(
            user=self.request.user, level=int(level) if level else None, bbox=parse_bbox(params.get("bbox")), parent_code=params.get("parent"),
            tolerance=simplify_tolerance(params.get("zoom")),
        )

    def get_serializer(self, *args, **kwargs):
        return FeatureListSerializer(
            *args,
            to_feature=lambda r: geojson_feature(
                r["outline"],
                {"code": r["code"], "name": r["name"], "level": r["level"], "parent": r["parent_code"], "generated": r["geometry_generated"]},
                id=r["code"],
            ),
            **kwargs,
        )


class GridGeoJSONView(generics.ListAPIView):
    pagination_class = GeoJSONPagination

    @extend_schema(parameters=[BBOX_PARAM, OpenApiParameter("region", str), OpenApiParameter("zoom", int)], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.grid_list_for_user(user=self.request.user, bbox=parse_bbox(params.get("bbox")), region_code=params.get("region"))

    def get_serializer(self, *args, **kwargs):
        tolerance = simplify_tolerance(self.request.query_params.get("zoom"))
        return FeatureListSerializer(
            *args,
            to_feature=lambda g: feature(
                g.boundary,
                {"code": g.code, "name": g.name, "street": g.region.name, "squad": g.squad.name if g.squad else None, "generated": g.geometry_generated},
                tolerance=tolerance,
                id=g.code,
            ),
            **kwargs,
        )


class EntityListView(generics.ListAPIView):
    serializer_class = EntitySerializer

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("uscc", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.entity_list_for_user(user=self.request.user, q=params.get("q"), uscc=params.get("uscc"))


class EntityDetailView(APIView):
    @extend_schema(responses=EntitySerializer)
    def get(self, request, pk):
        return Response(EntitySerializer(selectors.entity_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class CategoryListView(generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.category_list(leaves_only=self.request.query_params.get("leaves") in {"1", "true"})


class CityCodeScanView(APIView):
    """A photo of a city-code label (or the code typed) in, the place out."""

    parser_classes = [MultiPartParser, BoundedFormParser, BoundedJSONParser]

    @extend_schema(request=CityCodeScanSerializer, responses=PlaceSerializer)
    def post(self, request):
        serializer = CityCodeScanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = serializer.validated_data.get("photo")
        if photo is not None:
            photo.seek(0)
            try:
                code = citycode.read_city_code_from_image(photo)
            except citycode.UnreadableImage:
                raise ApplicationError(_("The upload is not a readable image."), code="unreadable_image")
            if code is None:
                raise ApplicationError(_("No city code was found in the photo."), code="no_city_code")
        else:
            code = citycode.extract(serializer.validated_data["code"])
            if code is None:
                raise ApplicationError(_("That is not a valid city code (check character wrong?)."), code="invalid_city_code")
        place = selectors.place_get_by_city_code_for_user(user=request.user, code=code)
        return Response(PlaceSerializer(place, context={"request": request}).data)
