"""WebSocket URL routes of the devices app."""
from django.urls import path

from apps.devices.consumers import LiveMapConsumer

websocket_urlpatterns = [
    path("ws/map/", LiveMapConsumer.as_asgi()),
]
