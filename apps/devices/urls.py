"""Staff page of the devices app: the live map (一张图), mounted at /devices/map/."""
from django.urls import path

from apps.devices import views

urlpatterns = [
    path("", views.live_map, name="devices-live-map"),
]
