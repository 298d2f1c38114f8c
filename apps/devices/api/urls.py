"""URLs of the devices API under /api/devices/: ingestion by device token, staff reads and alarm actions."""
from django.urls import path

from apps.devices.api import views

urlpatterns = [
    path("osmand/", views.OsmAndView.as_view(), name="api-device-osmand"),
    path("positions/", views.PositionBatchView.as_view(), name="api-device-positions"),
    path("noise/", views.NoiseBatchView.as_view(), name="api-device-noise"),
    path("", views.DeviceListView.as_view(), name="api-device-list"),
    path("<int:pk>/", views.DeviceDetailView.as_view(), name="api-device-detail"),
    path("<int:pk>/track/", views.TrackView.as_view(), name="api-device-track"),
    path("<int:pk>/noise/", views.NoiseSeriesView.as_view(), name="api-device-noise-series"),
    path("units/geojson/", views.UnitGeoJSONView.as_view(), name="api-device-units"),
    path("alarms/", views.AlarmListView.as_view(), name="api-alarm-list"),
    path("alarms/<int:pk>/", views.AlarmDetailView.as_view(), name="api-alarm-detail"),
    path("alarms/<int:pk>/acknowledge/", views.AlarmAcknowledgeView.as_view(), name="api-alarm-acknowledge"),
    path("alarms/<int:pk>/clear/", views.AlarmClearView.as_view(), name="api-alarm-clear"),
]
