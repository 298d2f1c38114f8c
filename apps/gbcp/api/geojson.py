"""GeoJSON feature collections for map layers, paginated like every list."""
import json

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


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


class FeatureListSerializer:
    """Adapts a function from an object to a GeoJSON feature to the serializer interface the generic views expect.

    Map layers of every app use it with ``GeoJSONPagination``, so a layer is a list view plus one function.
    """

    def __init__(self, instance, many=False, to_feature=None, **kwargs):
        self.instance, self.many, self.to_feature = instance, many, to_feature

    @property
    def data(self):
        return [self.to_feature(obj) for obj in self.instance] if self.many else self.to_feature(self.instance)
