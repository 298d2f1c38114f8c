"""Message centre API: a user's notifications, read and unread."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.realtime import selectors, services
from apps.realtime.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "level", "title", "body", "link", "payload", "created_at", "read_at"]


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notification_list_for_user(user=self.request.user, unread_only=self.request.query_params.get("unread") in {"1", "true"})


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        notification = selectors.notification_get_for_user(user=request.user, id=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)
