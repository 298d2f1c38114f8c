"""Public pages of the citizen portal, mounted at /report/; the business's pages and the staff's targeted notices."""
from django.urls import path

from apps.portal import business_views, notice_views, photo_views, rating_views, views

urlpatterns = [
    path("", views.report, name="portal-report"),
    path("track/", views.track_lookup, name="portal-track-lookup"),
    path("track/<str:code>/", views.track, name="portal-track"),
    path("track/<str:code>/photos/<int:pk>/", photo_views.track_photo, name="portal-track-photo"),
    path("track/<str:code>/rate/", rating_views.track_rate, name="portal-track-rate"),
    path("rate/<str:token>/", rating_views.rate_by_link, name="portal-rate"),
    # 社会共治: the business's sign-up, home and notices
    path("business/signup/", business_views.signup, name="portal-business-signup"),
    path("business/signup/verify/", business_views.verify, name="portal-business-verify"),
    path("business/", business_views.home, name="portal-business-home"),
    path("business/notices/<int:pk>/", business_views.notice_detail, name="portal-business-notice"),
    path("business/notices/<int:pk>/acknowledge/", business_views.notice_acknowledge, name="portal-business-notice-acknowledge"),
    # staff: targeted notices (精准推送)
    path("notices/", notice_views.notice_list, name="portal-notices"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="portal-notice"),
    path("notices/<int:pk>/receipts.xlsx", notice_views.notice_export, name="portal-notice-export"),
]
