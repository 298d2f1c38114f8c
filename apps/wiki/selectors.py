"""Reads of the wiki that depend on who asks.

Pages: public pages for everyone (visitors included), staff-only pages for staff as well (the knowledge is shared across
the city; who may change a page is the policy's business). A page the caller may not read is not there (404).
Proposals: the proposer sees their own, a moderator those of the pages their jurisdiction maintains; anyone else none.
"""
from django.db.models import Q

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import scope_filter
from apps.gbcp.errors import NotFound
from apps.wiki.models import Page, Proposal, Revision
from apps.wiki.policy import MODERATOR_ROLES

MAX_ID = 2**63 - 1


def checked_id(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number <= MAX_ID:
        raise NotFound()
    return number


def pages_for_user(*, user, kind: str | None = None):
    qs = Page.objects.all()
    if not is_staff_user(user):
        qs = qs.filter(visibility=Page.Visibility.PUBLIC)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def page_list_for_user(*, user, kind: str | None = None):
    return pages_for_user(user=user, kind=kind).select_related("current").order_by("kind", "title", "id")


def page_get_for_user(*, user, slug: str) -> Page:
    page = pages_for_user(user=user).select_related("current", "current__author").filter(slug=str(slug)[:80]).first()
    if page is None:
        raise NotFound()
    return page


def page_links(page) -> dict:
    """The rows the page explains, each kind in one query."""
    return {
        "causes": list(page.causes.order_by("code")),
        "checklists": list(page.checklists.order_by("place_kind")),
        "checklist_items": list(page.checklist_items.select_related("checklist").order_by("checklist__place_kind", "order", "id")),
        "categories": list(page.categories.order_by("code")),
    }


def revisions_of(page):
    return Revision.objects.filter(page=page).select_related("author", "moderator").order_by("-number")


def revision_get(*, page, number) -> Revision:
    revision = Revision.objects.filter(page=page, number=checked_id(number)).first()
    if revision is None:
        raise NotFound()
    return revision


def pages_explaining(*, user, field: str, obj):
    """Pages linked to ``obj`` through ``field`` (causes, checklists, checklist_items, categories) that ``user`` may read."""
    if obj is None or getattr(obj, "pk", None) is None:
        return Page.objects.none()
    return pages_for_user(user=user).filter(**{field: obj}).select_related("current").order_by("kind", "title")


def pages_for_items(*, user, item_ids):
    """``{checklist item id: [pages]}`` for many items in one query (a checklist's standards on one page)."""
    through = Page.checklist_items.through
    rows = through.objects.filter(checklistitem_id__in=list(item_ids),
                                  page__in=pages_for_user(user=user)).select_related("page").order_by("page__title")
    found = {}
    for row in rows:
        found.setdefault(row.checklistitem_id, []).append(row.page)
    return found


def _moderation_scope(user) -> Q:
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    if not user.has_role(*MODERATOR_ROLES):
        return Q(pk__in=[])
    return scope_filter(user, "page__region_code")


def proposals_for_user(*, user, status: str | None = None):
    """What the caller may read: their own proposals and those they moderate."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(Q(proposer=user) | _moderation_scope(user))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("page", "proposer", "moderator", "base").order_by("-created_at", "-id")


def moderation_queue(*, user, status: str | None = Proposal.Status.SUBMITTED):
    qs = Proposal.objects.filter(_moderation_scope(user)) if getattr(user, "is_authenticated", False) else Proposal.objects.none()
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("page", "proposer", "moderator", "base").order_by("created_at", "id")


def proposal_get_for_user(*, user, id) -> Proposal:
    proposal = proposals_for_user(user=user).filter(pk=checked_id(id)).first()
    if proposal is None:
        raise NotFound()
    return proposal
