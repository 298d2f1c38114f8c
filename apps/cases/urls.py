"""Staff pages of enforcement cases, mounted at /cases/, and the public verification and cashier pages."""
from django.urls import path

from apps.cases import views

urlpatterns = [
    path("", views.case_list, name="cases-list"),
    path("queue/<slug:queue>/", views.case_list, name="cases-queue"),
    path("onsite/", views.onsite, name="cases-onsite"),
    path("public/", views.public_list, name="cases-public"),
    path("public/<int:pk>/", views.public_detail, name="cases-public-detail"),
    path("<int:pk>/", views.case_detail, name="cases-case-detail"),
    path("<int:pk>/<slug:action>/", views.case_action, name="cases-case-action"),
    path("documents/<int:pk>/download/", views.document_download, name="cases-document-download"),
    path("verify/<str:key>/", views.verify, name="cases-verify"),
    path("pay/<str:reference>/", views.cashier, name="cases-pay"),
]
