"""Staff pages of ledger, mounted at /ledger/."""
from django.urls import path

from apps.ledger import views, views_frontage

urlpatterns = [
    path("", views.overview, name="ledger-overview"),
    path("licences/", views.licence_list, name="ledger-licences"),
    path("findings/", views.finding_list, name="ledger-findings"),
    path("findings/compare/", views.comparison_start, name="ledger-compare"),
    path("findings/send-back/", views.finding_send_back, name="ledger-findings-send-back"),
    path("send-backs/<int:pk>/file/", views.send_back_download, name="ledger-send-back-file"),
    path("corrections/", views.correction_list, name="ledger-corrections"),
    path("corrections/new/", views.correction_new, name="ledger-correction-new"),
    path("corrections/<int:pk>/review/", views.correction_review, name="ledger-correction-review"),
    path("import/", views.import_page, name="ledger-import"),
    path("map/", views.map_page, name="ledger-map"),
    path("frontage/", views_frontage.frontage_list, name="ledger-frontage"),
    path("frontage/<int:pk>/", views_frontage.frontage_assess, name="ledger-frontage-assess"),
]
