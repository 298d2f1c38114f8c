"""The officer's field client (外勤, issue 21): an installable offline web app under /field/ — the shell page, its
web app manifest and its service worker. The work itself goes through the officer API (docs/FIELD.md)."""
import functools
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.jurisdiction import staff_memberships
from apps.accounts.models import Role
from apps.dispatch.models import Status
from apps.inspection.models import Outcome
from apps.inspection.selectors import co_officer_list_for_user

FIELD_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)
# What the service worker keeps for offline use besides the shell page; a deploy that changes any of them (or the
# templates) changes the version, and the new worker replaces the old cache.
ASSETS = ("field/field.js", "field/field.css", "field/icon-192.png", "field/icon-512.png")
TEMPLATES = ("field/shell.html", "field/sw.js")
CONTEXT = "field client"  # its words carry a context: "Feedback" here is an action, elsewhere a time


def is_field_officer(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or staff_memberships(user, roles=FIELD_ROLES)))


def officer_required(view):
    """Anonymous callers go to the login page; whoever is not an officer or squad leader gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_field_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@functools.cache
def version() -> str:
    """A digest of the client's files, computed once per process (a deploy restarts the processes)."""
    digest = hashlib.sha256()
    for name in ASSETS:
        with open(finders.find(name), "rb") as f:
            digest.update(f.read())
    for name in TEMPLATES:
        with open(get_template(name).origin.name, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:16]


def asset_url(name: str) -> str:
    return f"{static(name)}?v={version()}"


def _text() -> dict:
    """The client's words, translated here: the shell is cached whole, so they work offline."""
    return {
        "my_tasks": pgettext(CONTEXT, "My tasks"), "inspections": pgettext(CONTEXT, "Inspections"), "inspection": pgettext(CONTEXT, "Inspection"), "outbox": pgettext(CONTEXT, "Outbox"),
        "task": pgettext(CONTEXT, "Task"), "accept": pgettext(CONTEXT, "Accept"), "feedback": pgettext(CONTEXT, "Feedback"), "send_feedback": pgettext(CONTEXT, "Queue the feedback"),
        "evidence": pgettext(CONTEXT, "On-the-spot evidence"), "save_evidence": pgettext(CONTEXT, "Queue the evidence"), "save_inspection": pgettext(CONTEXT, "Queue the inspection"),
        "result": pgettext(CONTEXT, "Result"), "solved": pgettext(CONTEXT, "Solved"), "photos": pgettext(CONTEXT, "Photos"), "note": pgettext(CONTEXT, "Note"), "co_officer": pgettext(CONTEXT, "Second officer"),
        "category": pgettext(CONTEXT, "Category"), "address": pgettext(CONTEXT, "Address"), "deadline": pgettext(CONTEXT, "Deadline"), "description": pgettext(CONTEXT, "Description"),
        "due_on": pgettext(CONTEXT, "Due on"), "recorded_at": pgettext(CONTEXT, "Recorded at"),
        "queued": pgettext(CONTEXT, "Waiting to be sent"), "retrying": pgettext(CONTEXT, "Not sent yet, will retry"), "refused": pgettext(CONTEXT, "Refused by the server"),
        "other_officer": pgettext(CONTEXT, "Another officer's action: sent when he signs in"), "remove": pgettext(CONTEXT, "Remove"),
        "send_now": pgettext(CONTEXT, "Send now"), "online": pgettext(CONTEXT, "Online"), "offline": pgettext(CONTEXT, "Offline"),
        "offline_copy": pgettext(CONTEXT, "Offline: the copy from"), "offline_short": pgettext(CONTEXT, "Offline: the copy kept on this phone."),
        "no_copy": pgettext(CONTEXT, "Offline, and nothing kept on this phone yet."),
        "not_cached": pgettext(CONTEXT, "Not kept on this phone; open it once while online."),
        "no_tasks": pgettext(CONTEXT, "No open tasks."), "no_assignments": pgettext(CONTEXT, "No inspections due."),
        "no_checklist": pgettext(CONTEXT, "There is no checklist for this kind of place."),
        "outbox_help": pgettext(CONTEXT, "Actions are kept here and sent in order when the network is back; each is done once."),
        "outbox_empty": pgettext(CONTEXT, "Everything has been sent."),
        "network_error": pgettext(CONTEXT, "No network; sent again later."), "server_error": pgettext(CONTEXT, "The server did not answer; sent again later."),
        "session_expired": pgettext(CONTEXT, "Your session has expired; queued actions wait until you sign in again."),
        "sign_in_again": pgettext(CONTEXT, "Sign in again"),
        "result_required": pgettext(CONTEXT, "Describe the result."), "photo_required": pgettext(CONTEXT, "Take or choose a photo."),
        "answer_every_item": pgettext(CONTEXT, "Answer every item of the checklist."), "co_officer_required": pgettext(CONTEXT, "Name the second officer."),
        "previous": pgettext(CONTEXT, "Previous"), "next": pgettext(CONTEXT, "Next"),
    }


def _config(user) -> dict:
    """What the shell's script needs that the API does not say: labels for codes, the colleagues one may name as the
    second officer of an inspection, and who is signed in (a phone shared by two officers keeps their queues apart)."""
    colleagues = co_officer_list_for_user(user=user).exclude(pk=user.pk).order_by("username")[:200]
    return {
        "user": user.pk,
        "version": version(),
        "statuses": {value: str(label) for value, label in Status.choices},
        "outcomes": [[value, str(label)] for value, label in Outcome.choices],
        "colleagues": [[u.pk, u.get_full_name() or u.username] for u in colleagues],
        "login": f"{reverse('login')}?next={reverse('field-shell')}",
        "sw": reverse("field-sw"), "scope": reverse("field-shell"),
        "text": _text(),
    }


@never_cache
@officer_required
def shell(request):
    get_token(request)  # the CSRF cookie the client reads for every write it sends
    return render(request, "field/shell.html", {
        "field_config": _config(request.user),
        "script_url": asset_url("field/field.js"), "style_url": asset_url("field/field.css"),
        "icon_url": asset_url("field/icon-192.png"),
    })


@require_GET
def manifest(request):
    """The web app manifest; browsers fetch it without cookies, so it is public and says nothing of anyone."""
    body = {
        "id": reverse("field-shell"),
        "name": pgettext(CONTEXT, "CityEnforce · Field"),
        "short_name": pgettext(CONTEXT, "Field work"),
        "lang": "zh-CN",
        "start_url": reverse("field-shell"),
        "scope": reverse("field-shell"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1f5fa8",
        "icons": [
            {"src": asset_url("field/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": asset_url("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_GET
def service_worker(request):
    """The service worker, from /field/ so that its scope is /field/; never cached by HTTP, so a deploy's new version
    is seen at the next visit. Public: the script holds only addresses of the shell and its static files."""
    shell_url = reverse("field-shell")
    urls = [shell_url, reverse("field-manifest")] + [asset_url(name) for name in ASSETS]
    body = get_template("field/sw.js").render({"version": version(), "shell_url": json.dumps(shell_url), "urls": json.dumps(urls)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = shell_url
    return response
