"""URLs of the case API under /api/cases/."""
from django.urls import path

from apps.cases.api import views

_actions = [
    ("update", views.update), ("penalty", views.penalty), ("file", views.file_), ("refuse", views.refuse), ("officers", views.officers),
    ("records", views.record), ("submit", views.submit), ("review", views.review), ("discussion", views.discussion), ("approve", views.approve),
    ("return", views.return_), ("notify", views.notify), ("statement", views.statement), ("hearing-request", views.hearing_request),
    ("hearing-schedule", views.hearing_schedule), ("hearing", views.hearing), ("hearing-withdraw", views.hearing_withdraw),
    ("payment-terms", views.payment_terms), ("payment-terms-decide", views.payment_terms_decide), ("instalment-pay", views.instalment_pay),
    ("cash-collect", views.cash_collect), ("cash-handin", views.cash_handin), ("decide", views.decide), ("serve", views.serve), ("enforce", views.enforce), ("close", views.close),
    ("archive", views.archive), ("onsite-file", views.onsite_file), ("extensions", views.extension_request),
    ("extensions-approve", views.extension_approve), ("evidence", views.evidence), ("disclosure-publish", views.disclosure_publish),
    ("disclosure-withdraw", views.disclosure_withdraw), ("challenges", views.challenge_file), ("challenges-decide", views.challenge_decide),
]

urlpatterns = [
    path("", views.CaseListView.as_view(), name="api-case-list"),
    path("open/", views.CaseOpenView.as_view(), name="api-case-open"),
    path("onsite/", views.OnsiteDecideView.as_view(), name="api-case-onsite"),
    path("causes/", views.CauseListView.as_view(), name="api-cause-list"),
    path("proposal/", views.ProposalView.as_view(), name="api-case-proposal"),
    path("parties/lookup/", views.PartyLookupView.as_view(), name="api-party-lookup"),
    path("payments/callback/", views.payment_callback, name="api-payment-callback"),
    path("public/", views.PublicDisclosureListView.as_view(), name="api-case-public-list"),
    path("public/<int:pk>/", views.PublicDisclosureDetailView.as_view(), name="api-case-public-detail"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    *[path(f"<int:pk>/{name}/", view, name=f"api-case-{name}") for name, view in _actions],
]
