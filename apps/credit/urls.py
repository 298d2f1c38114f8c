"""Credit pages, mounted at /credit/."""
from django.urls import path

from apps.credit import views, views_joint

urlpatterns = [
    path("", views.grade_list, name="credit-grades"),
    path("entities/<int:pk>/", views.entity_detail, name="credit-entity"),
    path("records/<int:pk>/repair/", views.record_repair, name="credit-record-repair"),
    path("objections/", views.objection_queue, name="credit-objections"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="credit-objection-decide"),
    path("places/<int:pk>/", views.place_risk, name="credit-place-risk"),
    path("mine/", views.my_credit, name="credit-mine"),
    path("mine/records/<int:pk>/objection/", views.my_objection, name="credit-mine-objection"),
    path("joint/", views_joint.joint_list, name="credit-joint"),
    path("joint/export/<str:fmt>/", views_joint.joint_export, name="credit-joint-export"),
    path("imports/", views_joint.imports, name="credit-imports"),
    path("imports/<int:pk>/", views_joint.import_batch, name="credit-import-batch"),
]
