"""URLs of the partner API under /api/dispatch/hotline/: signed 12345 ticket push and polling."""
from django.urls import path

from apps.dispatch.api import hotline

urlpatterns = [
    path("hotline/tickets/", hotline.HotlineTicketCreateView.as_view(), name="api-hotline-ticket-create"),
    path("hotline/tickets/<str:ticket_number>/", hotline.HotlineTicketDetailView.as_view(), name="api-hotline-ticket-detail"),
    path("hotline/tickets/<str:ticket_number>/rating/", hotline.HotlineTicketRatingView.as_view(), name="api-hotline-ticket-rating"),
]
