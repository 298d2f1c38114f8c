"""URLs of the GBCP API under /api/gbcp/."""
from django.urls import path, re_path

from apps.gbcp.api import views

urlpatterns = [
    path("locate/", views.LocateView.as_view(), name="api-locate"),
    path("places/", views.PlaceListView.as_view(), name="api-place-list"),
    path("places/geojson/", views.PlaceGeoJSONView.as_view(), name="api-place-geojson"),
    path("places/<int:pk>/", views.PlaceDetailView.as_view(), name="api-place-detail"),
    re_path(r"^places/(?P<pk>\d+)/qr\.(?P<fmt>png|svg)$", views.PlaceQrView.as_view(), name="api-place-qr"),
    path("regions/geojson/", views.RegionGeoJSONView.as_view(), name="api-region-geojson"),
    path("grids/geojson/", views.GridGeoJSONView.as_view(), name="api-grid-geojson"),
    path("entities/", views.EntityListView.as_view(), name="api-entity-list"),
    path("entities/<int:pk>/", views.EntityDetailView.as_view(), name="api-entity-detail"),
    path("categories/", views.CategoryListView.as_view(), name="api-category-list"),
    path("citycode/scan/", views.CityCodeScanView.as_view(), name="api-citycode-scan"),
]
