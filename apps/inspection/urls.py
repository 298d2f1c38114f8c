"""Staff pages of patrol inspection, mounted at /inspection/; the public draw pages need no sign-in."""
from django.urls import path

from apps.inspection import rectification_views, selfcheck_views, views, views_field

urlpatterns = [
    path("", views.home, name="inspection-home"),
    path("plans/new/", views.plan_create, name="inspection-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection-plan-detail"),
    path("draws/", views.draws, name="inspection-draws"),
    path("draws/<int:pk>/", views.draw_detail, name="inspection-draw-detail"),
    path("draws/<int:pk>/publish/", views.draw_publish, name="inspection-draw-publish"),
    path("places/<int:pk>/history/", views.place_history, name="inspection-place-history"),
    # the officer's inspection in the browser (巡查即录入, phone width)
    path("record/", views_field.record_start, name="inspection-record-start"),
    path("record/places/<int:place_pk>/", views_field.record_new, name="inspection-record-new"),
    path("records/", views_field.record_list, name="inspection-records"),
    path("records/<int:pk>/", views_field.record_detail, name="inspection-record-detail"),
    path("findings/<int:pk>/hand-on/<slug:action>/", views_field.finding_action, name="inspection-finding-action"),
    # the merchant's self-checks (自检自查) and rectifications (整改)
    path("self-check/", selfcheck_views.self_check_home, name="inspection-self-check-home"),
    path("self-check/places/<int:pk>/", selfcheck_views.self_check_new, name="inspection-self-check-new"),
    path("self-check/<int:pk>/", selfcheck_views.self_check_detail, name="inspection-self-check-detail"),
    path("rectifications/", rectification_views.rectification_list, name="inspection-rectifications"),
    path("rectifications/<int:pk>/", rectification_views.rectification_detail, name="inspection-rectification"),
    path("rectifications/<int:pk>/answer/", rectification_views.rectification_answer, name="inspection-rectification-answer"),
    path("rectifications/<int:pk>/decide/", rectification_views.rectification_decide, name="inspection-rectification-decide"),
    path("rectifications/<int:pk>/photos/<int:photo>/", rectification_views.rectification_photo, name="inspection-rectification-photo"),
    path("findings/<int:pk>/rectify/", rectification_views.rectification_issue, name="inspection-rectification-issue"),
    path("public/draws/", views.public_draws, name="inspection-public-draws"),
    path("public/draws/<int:pk>/", views.public_draw_detail, name="inspection-public-draw-detail"),
]
