"""Open311 GeoReport v2 URLs, mounted at /open311/v2/ (the format is the path suffix: .xml or .json)."""
from django.urls import re_path

from apps.dispatch.api import open311

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>\w+)$", open311.DiscoveryView.as_view(), name="open311-discovery"),
    re_path(r"^services\.(?P<fmt>\w+)$", open311.ServiceListView.as_view(), name="open311-services"),
    re_path(r"^services/(?P<service_code>[^/]+)\.(?P<fmt>\w+)$", open311.ServiceDefinitionView.as_view(), name="open311-service"),
    re_path(r"^requests\.(?P<fmt>\w+)$", open311.RequestListView.as_view(), name="open311-requests"),
    re_path(r"^requests/(?P<service_request_id>[^/.]+)\.(?P<fmt>\w+)$", open311.RequestDetailView.as_view(), name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/.]+)\.(?P<fmt>\w+)$", open311.TokenView.as_view(), name="open311-token"),
    # Without a suffix: a clear 400 that names .xml and .json rather than a bare 404.
    re_path(r"^(?:discovery|services|requests|services/[^/]+|requests/[^/.]+|tokens/[^/.]+)$", open311.MissingFormatView.as_view()),
]
