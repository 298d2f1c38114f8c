"""GeoJSON feature collections for map layers, paginated like every list."""
import json
import re

from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

RAW_MARK = re.compile(rb'"\\u0000(\d+)"')


class GeoJSONPagination(PageNumberPagination):
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 5000

    def get_paginated_response(self, data):
        return Response(
            {
                "type": "FeatureCollection",
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "features": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "properties": {"type": {"type": "string"}, "count": {"type": "integer"}, "features": schema}}


def simplify_tolerance(zoom) -> float:
    """Degrees of simplification fit for a map zoom; 0 keeps the geometry as it is."""
    try:
        zoom = int(zoom)
    except (TypeError, ValueError):
        return 0.0
    if zoom >= 14:
        return 0.0
    return 0.0001 * 2 ** max(0, 13 - zoom) / 2


def feature(geometry, properties, tolerance=0.0, id=None):
    if geometry is not None and tolerance:
        geometry = geometry.simplify(tolerance, preserve_topology=True)
    return {
        "type": "Feature",
        "id": id,
        "geometry": json.loads(geometry.geojson) if geometry is not None else None,
        "properties": properties,
    }


class RawJSON(str):
    """JSON text written elsewhere (the database's ``AsGeoJSON``): ``GeoJSONRenderer`` puts it in as it is."""


class GeoJSONRenderer(JSONRenderer):
    """JSON in which the ``RawJSON`` geometries of a feature collection are spliced in unparsed: decoding and
    encoding again a city's street outlines costs more than the query that simplified them."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raws = []
        if isinstance(data, dict) and isinstance(data.get("features"), list):
            features = []
            for item in data["features"]:
                geometry = item.get("geometry") if isinstance(item, dict) else None
                if isinstance(geometry, RawJSON):
                    item = {**item, "geometry": f"\x00{len(raws)}"}  # dumped as "\u0000<n>", replaced below
                    raws.append(geometry.encode())
                features.append(item)
            data = {**data, "features": features}
        body = super().render(data, accepted_media_type, renderer_context)
        return RAW_MARK.sub(lambda match: raws[int(match[1])], body) if raws else body


def geojson_feature(geometry_text, properties, id=None):
    """A feature around a geometry the database already wrote as GeoJSON (``AsGeoJSON``), for ``GeoJSONRenderer``."""
    return {
        "type": "Feature",
        "id": id,
        "geometry": RawJSON(geometry_text) if geometry_text is not None else None,
        "properties": properties,
    }


class FeatureListSerializer:
    """Adapts a function from an object to a GeoJSON feature to the serializer interface the generic views expect.

    Map layers of every app use it with ``GeoJSONPagination``, so a layer is a list view plus one function.
    """

    def __init__(self, instance, many=False, to_feature=None, **kwargs):
        self.instance, self.many, self.to_feature = instance, many, to_feature

    @property
    def data(self):
        return [self.to_feature(obj) for obj in self.instance] if self.many else self.to_feature(self.instance)
