"""Credit pages, mounted at /credit/."""
from django.urls import path

from apps.credit import views

urlpatterns = [
    path("", views.grade_list, name="credit-grades"),
    path("entities/<int:pk>/", views.entity_detail, name="credit-entity"),
    path("records/<int:pk>/repair/", views.record_repair, name="credit-record-repair"),
    path("objections/", views.objection_queue, name="credit-objections"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="credit-objection-decide"),
    path("places/<int:pk>/", views.place_risk, name="credit-place-risk"),
    path("mine/", views.my_credit, name="credit-mine"),
    path("mine/records/<int:pk>/objection/", views.my_objection, name="credit-mine-objection"),
]
