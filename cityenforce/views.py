"""The home page: the workbench for staff (what waits for my step, warnings, today's intake, my cases' deadlines,
intake charts), a small page of one's own reports, places and messages for the public."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import jurisdiction_prefixes, staff_organizations
from apps.accounts.models import Role
from apps.cases.selectors import case_deadlines_for_user, case_queue_count_for_user
from apps.dispatch import selectors_workbench as workbench
from apps.dispatch.selectors import task_list_reported_by
from apps.inspection.selectors import merchant_places
from apps.realtime.selectors import notification_list_for_user
from apps.supervision.models import OPEN_STATUSES as SUPERVISION_OPEN
from apps.supervision.selectors import item_list_for_user

HANDLERS = {Role.OFFICER, Role.SQUAD_LEADER}
LABELS = {
    "to_dispatch": _("to dispatch"), "to_verify": _("feedback to verify"), "to_accept": _("my unit's tasks to accept"),
    "in_hand": _("my unit's tasks in hand"), "squad": _("cases awaiting the squad leader"), "legal": _("cases awaiting legal review"),
    "leader": _("cases awaiting approval"), "supervision": _("open supervision items"),
}


def _tile(key, count, name, query=(), **kwargs):
    url = reverse(name, kwargs=kwargs or None)
    return {"key": key, "label": LABELS[key], "count": count, "url": f"{url}?{urlencode(query, doseq=True)}" if query else url}


def _waiting(user, roles, counts) -> list[dict]:
    """The tiles of "what waits for my step", each with the list page that shows exactly the counted rows."""
    tiles = []
    if Role.DISPATCHER in roles:
        tiles += [_tile("to_dispatch", counts["to_dispatch"], "dispatch-queue", {"status": "new"}),
                  _tile("to_verify", counts["to_verify"], "dispatch-queue", {"status": "feedback"})]
    if roles & HANDLERS:
        tiles += [_tile("to_accept", counts["to_accept"], "dispatch-queue", {"status": "dispatched", "mine": "1"}),
                  _tile("in_hand", counts["in_hand"], "dispatch-queue", {"status": ["accepted", "in_progress"], "mine": "1"})]
    if Role.SQUAD_LEADER in roles:
        tiles.append(_tile("squad", case_queue_count_for_user(user=user, queue="squad"), "cases-queue", queue="squad"))
    if Role.LEGAL_REVIEWER in roles:
        tiles.append(_tile("legal", case_queue_count_for_user(user=user, queue="legal"), "cases-queue", queue="legal"))
    if Role.LEADER in roles:
        tiles.append(_tile("leader", case_queue_count_for_user(user=user, queue="leader"), "cases-queue", queue="leader"))
    if roles & {Role.SUPERVISOR, Role.LEADER}:
        items = item_list_for_user(user=user, status=list(SUPERVISION_OPEN)).order_by().count()
        tiles.append(_tile("supervision", items, "supervision-queue", {"status": "open"}))
    return tiles


@login_required
def home(request):
    user = request.user
    if not is_staff_user(user):
        return render(request, "home_public.html", {
            "reports": task_list_reported_by(user=user)[:20],
            "places": merchant_places(user=user)[:50],
            "notifications": notification_list_for_user(user=user)[:8],
        })
    roles = set(Role.values) if user.is_superuser else user.roles()
    counts = workbench.waiting_counts_for_user(user=user)
    by_day = workbench.intake_by_day(user=user)
    by_category = workbench.intake_by_category(user=user)
    return render(request, "home.html", {
        "waiting": _waiting(user, roles, counts),
        "counts": counts,
        "today": workbench.today_start().date().isoformat(),
        "my_cases": list(case_deadlines_for_user(user=user)) if roles & HANDLERS or user.is_superuser else None,
        "by_day": by_day, "by_category": by_category,
        "chart_data": {"days": by_day, "categories": by_category},
        "chart_labels": {"days": str(_("Intake by day")), "categories": str(_("Intake by category (top 10)")), "tasks": str(_("Tasks"))},
        "now": timezone.now(),
        "demo_mode": settings.DEMO_MODE,
        "jurisdiction": jurisdiction_prefixes(user),
        "organizations": staff_organizations(user),
        "notifications": notification_list_for_user(user=user)[:8],
    })
