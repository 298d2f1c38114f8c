"""Root URLs: staff UI, admin, API with its schema, i18n."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.throttling import rate_limit
from apps.accounts.decorators import staff_required
from apps.gbcp import views as gbcp_views
from apps.realtime import views as realtime_views
from cityenforce import field
from cityenforce import views as project_views
from cityenforce.health import HealthView

api_patterns = [
    path("health/", HealthView.as_view(), name="api-health"),
    path("accounts/", include("apps.accounts.api.urls")),
    path("gbcp/", include("apps.gbcp.api.urls")),
    path("dispatch/", include("apps.dispatch.api.urls")),
    path("realtime/", include("apps.realtime.api.urls")),
    path("devices/", include("apps.devices.api.urls")),
    path("dispatch/", include("apps.dispatch.api.urls_partner")),
    path("ledger/", include("apps.ledger.api.urls")),
    path("evidence/", include("apps.evidence.api.urls")),
    path("cases/", include("apps.cases.api.urls")),
    path("inspection/", include("apps.inspection.api.urls")),
    path("supervision/", include("apps.supervision.api.urls")),
    path("credit/", include("apps.credit.api.urls")),
    path("evaluation/", include("apps.evaluation.api.urls")),
    path("duty/", include("apps.duty.api.urls")),
    path("analytics/", include("apps.analytics.api.urls")),
    path("wiki/", include("apps.wiki.api.urls")),
    path("coordination/", include("apps.coordination.api.urls")),
    path("emergency/", include("apps.emergency.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"), name="api-docs"),
]

urlpatterns = [
    path("", project_views.home, name="home"),
    # Browsers ask for /favicon.ico on every page that names no icon (the admin, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static_url("cityenforce/favicon.svg"), permanent=True)),
    path("map/", staff_required(gbcp_views.one_map), name="one-map"),
    path("places/<int:pk>/", staff_required(gbcp_views.place_detail), name="place-detail"),
    path("messages/", realtime_views.message_centre, name="message-centre"),
    # The officer's offline client (PWA): shell, manifest and service worker (scope /field/).
    path("field/", field.shell, name="field-shell"),
    path("field/manifest.webmanifest", field.manifest, name="field-manifest"),
    path("field/sw.js", field.service_worker, name="field-sw"),
    path("dispatch/", include("apps.dispatch.urls")),
    path("report/", include("apps.portal.urls")),
    path("devices/map/", include("apps.devices.urls")),
    path("ledger/", include("apps.ledger.urls")),
    path("evidence/", include("apps.evidence.urls")),
    path("cases/", include("apps.cases.urls")),
    path("inspection/", include("apps.inspection.urls")),
    path("supervision/", include("apps.supervision.urls")),
    path("credit/", include("apps.credit.urls")),
    path("evaluation/", include("apps.evaluation.urls")),
    path("duty/", include("apps.duty.urls")),
    path("analytics/", include("apps.analytics.urls")),
    path("wiki/", include("apps.wiki.urls")),
    path("coordination/", include("apps.coordination.urls")),
    path("emergency/", include("apps.emergency.urls")),
    # Both logins: POSTs per client address are rate limited here; failures lock out through django-axes.
    path("accounts/login/", rate_limit("login")(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", rate_limit("login")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("open311/v2/", include("apps.dispatch.open311_urls")),
]
# No route serves MEDIA_ROOT, in any run mode: uploaded files are sent only by views that check who asks
# (apps.gbcp.files.send_file; in production the web server sends them through its internal /protected/ location).

handler400 = "cityenforce.errors.bad_request"
handler404 = "cityenforce.errors.page_not_found"
handler500 = "cityenforce.errors.server_error"
