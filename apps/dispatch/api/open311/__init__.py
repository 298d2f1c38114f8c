"""Open311 GeoReport v2 (XML, which the specification requires, and JSON) for civic apps: services, service definitions, requests and tokens.

``errors`` (its own refusal format), ``renderers`` (the two formats), ``selectors`` (what the public may read), ``serializers`` (the shapes in
and out) and ``views`` (the endpoints, with the one place that decides rendering); writes go through
``apps.dispatch.services``. The views are named here for ``apps.dispatch.open311_urls``.
"""
from apps.dispatch.api.open311.views import (
    DiscoveryView,
    MissingFormatView,
    RequestDetailView,
    RequestListView,
    ServiceDefinitionView,
    ServiceListView,
    TokenView,
)

__all__ = ["DiscoveryView", "MissingFormatView", "RequestDetailView", "RequestListView", "ServiceDefinitionView", "ServiceListView", "TokenView"]
