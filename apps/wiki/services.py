"""Every write of the wiki: pages and revisions (staff edits), proposals and their moderation, the search index.

Each revision is written with the page's row locked (``select_for_update``), so two editors get consecutive numbers,
and the search index is rewritten in the same transaction. Notifications go through ``apps.realtime.events.publish``
(stored in the transaction, sent after commit). ``user=None`` is the system (the demo, migrations of content).
"""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import users_covering
from apps.gbcp.errors import ApplicationError, NotFound
from apps.realtime.events import publish
from apps.wiki import search
from apps.wiki.models import CITY_CODE, Page, Proposal, Revision
from apps.wiki.policy import MODERATOR_ROLES, WIKI

MAX_BODY = 100_000


def _clean(*, title: str, body: str, reason: str) -> tuple[str, str, str]:
    title, body, reason = (title or "").strip(), (body or "").replace("\r\n", "\n").strip(), (reason or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("A title is required.")
    elif len(title) > 200:
        errors["title"] = _("The title is at most 200 characters.")
    if not body:
        errors["body"] = _("The text is required.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("The text is at most %(n)d characters.") % {"n": MAX_BODY}
    if not reason:
        errors["reason"] = _("Say why (the reason is kept with the revision).")
    elif len(reason) > 500:
        errors["reason"] = _("The reason is at most 500 characters.")
    if errors:
        raise ApplicationError(" ".join(str(v) for v in errors.values()), code="invalid", details=errors)
    return title, body, reason


def _write_revision(*, page: Page, title: str, body: str, reason: str, author, moderator=None) -> Revision:
    """The next revision of a page locked by the caller; the page points at it and the index follows."""
    last = Revision.objects.filter(page=page).order_by("-number").values_list("number", flat=True).first() or 0
    revision = Revision.objects.create(page=page, number=last + 1, title=title, body=body, reason=reason, author=author,
                                       moderator=moderator)
    page.current, page.title = revision, title
    page._change_reason = reason
    page.save(update_fields=["current", "title", "updated_at"])
    search.index_page(page, title=title, body=body)
    return revision


@transaction.atomic
def page_create(*, user, kind: str, slug: str, title: str, body: str, reason: str = "", visibility=Page.Visibility.PUBLIC,
                region_code: str = "") -> Page:
    """A new page with its first revision. Staff create pages of their jurisdiction (the edit step); ``None`` is the system."""
    title, body, reason = _clean(title=title, body=body, reason=reason or _("New page."))
    if kind not in Page.Kind.values:
        raise ApplicationError(_("Unknown kind of page."), code="invalid", details={"kind": _("Unknown kind of page.")})
    if visibility not in Page.Visibility.values:
        raise ApplicationError(_("Unknown visibility."), code="invalid", details={"visibility": _("Unknown visibility.")})
    page = Page(kind=kind, slug=(slug or "").strip(), title=title, visibility=visibility, region_code=(region_code or "").strip() or CITY_CODE)
    try:
        page.full_clean(exclude=["current"])
    except Exception as exc:  # ValidationError of slug (format, taken) or region code
        details = getattr(exc, "message_dict", {})
        raise ApplicationError(" ".join(" ".join(v) for v in details.values()) or str(exc), code="invalid", details=details) from None
    if user is not None:
        WIKI.require(user=user, step="edit", subject=page)
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError:
        raise ApplicationError(_("A page with this slug exists."), code="invalid", details={"slug": _("A page with this slug exists.")}) from None
    _write_revision(page=page, title=title, body=body, reason=reason, author=user)
    return page


@transaction.atomic
def page_edit(*, user, page: Page, title: str, body: str, reason: str, base_number: int | None = None) -> Revision:
    """A staff edit: a new revision, attributed to its author. ``base_number`` (the revision the editor started from)
    guards against overwriting someone else's edit made meanwhile (409)."""
    title, body, reason = _clean(title=title, body=body, reason=reason)
    page = Page.objects.select_for_update().get(pk=page.pk)
    if user is not None:
        WIKI.require(user=user, step="edit", subject=page)
    current = page.current.number if page.current_id else 0
    if base_number is not None and int(base_number) != current:
        raise ApplicationError(_("The page was changed meanwhile (now revision %(n)d); compare and edit again.") % {"n": current},
                               code="edit_conflict", status_code=409)
    if page.current_id and page.current.title == title and page.current.body == body:
        raise ApplicationError(_("Nothing changed."), code="unchanged", status_code=400)
    return _write_revision(page=page, title=title, body=body, reason=reason, author=user)


def page_links_set(*, user, page: Page, causes=None, checklists=None, checklist_items=None, categories=None) -> Page:
    """Replace the page's links (lists of model rows); the edit step guards it."""
    if user is not None:
        WIKI.require(user=user, step="edit", subject=page)
    with transaction.atomic():
        for name, rows in (("causes", causes), ("checklists", checklists), ("checklist_items", checklist_items), ("categories", categories)):
            if rows is not None:
                getattr(page, name).set(rows)
    return page


def page_delete_index(page_id: int) -> None:
    search.unindex_page(page_id)


@transaction.atomic
def proposal_submit(*, user, page: Page, title: str, body: str, reason: str) -> Proposal:
    """A signed-in reader proposes a new text; the page's moderators hear of it."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise ApplicationError(_("Sign in to propose an edit."), code="not_authenticated", status_code=401)
    if not page.is_public and not is_staff_user(user):
        raise NotFound()
    title, body, reason = _clean(title=title, body=body, reason=reason)
    if page.current_id and page.current.title == title and page.current.body == body:
        raise ApplicationError(_("Nothing changed."), code="unchanged", status_code=400)
    if Proposal.objects.filter(page=page, proposer=user, status=Proposal.Status.SUBMITTED).count() >= 3:
        raise ApplicationError(_("You already have three proposals on this page awaiting moderation."), code="too_many", status_code=429)
    proposal = Proposal.objects.create(page=page, base=page.current, title=title, body=body, reason=reason, proposer=user)
    moderators = [m for m in users_covering(page.region_code, roles=MODERATOR_ROLES) if m.pk != user.pk]
    publish(event="wiki.proposal_submitted", users=moderators, payload={"proposal": proposal.pk, "page": page.slug},
            title=_("Wiki: an edit is proposed"), body=f"{page.title} · {reason[:120]}", link=f"/wiki/proposals/{proposal.pk}/")
    return proposal


ACCEPT, CHANGE, REFUSE = "accept", "change", "refuse"
DECISIONS = (ACCEPT, CHANGE, REFUSE)


@transaction.atomic
def proposal_moderate(*, user, proposal: Proposal, decision: str, reason: str, title: str = "", body: str = "") -> Proposal:
    """Accept (the proposer's text becomes the next revision, authored by the proposer, accepted by the moderator),
    change (the moderator's amended text, authored by the moderator) or refuse; the proposer is told either way."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("page", "base").get(pk=proposal.pk)
    WIKI.require(user=user, step="moderate", subject=proposal)
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise ApplicationError(_("Decide accept, change or refuse."), code="invalid", details={"decision": _("Unknown decision.")})
    if not reason or len(reason) > 500:
        raise ApplicationError(_("Give the reason of the decision (at most 500 characters)."), code="invalid",
                               details={"reason": _("Give the reason of the decision.")})
    page = Page.objects.select_for_update().get(pk=proposal.page_id)
    if decision == ACCEPT:
        if page.current_id != proposal.base_id:
            raise ApplicationError(_("The page changed after this proposal was made; accept it with changes instead, merging "
                                     "the current text."), code="edit_conflict", status_code=409)
        proposal.revision = _write_revision(page=page, title=proposal.title, body=proposal.body, reason=proposal.reason,
                                            author=proposal.proposer, moderator=user)
        proposal.status = Proposal.Status.ACCEPTED
    elif decision == CHANGE:
        title, body, _r = _clean(title=title, body=body, reason=reason)
        proposal.revision = _write_revision(page=page, title=title, body=body,
                                            reason=(_("%(reason)s (proposed by %(who)s: %(why)s)") % {
                                                "reason": reason, "who": proposal.proposer, "why": proposal.reason})[:500],
                                            author=user, moderator=user)
        proposal.status = Proposal.Status.CHANGED
    else:
        proposal.status = Proposal.Status.REFUSED
    proposal.moderator, proposal.decision_reason, proposal.decided_at = user, reason, timezone.now()
    proposal._change_reason = reason
    proposal.save(update_fields=["status", "moderator", "decision_reason", "decided_at", "revision"])
    publish(event="wiki.proposal_decided", users=[proposal.proposer],
            payload={"proposal": proposal.pk, "page": page.slug, "status": proposal.status},
            title=_("Your wiki proposal: %(status)s") % {"status": proposal.get_status_display()},
            body=f"{page.title} · {reason[:200]}", link=f"/wiki/p/{page.slug}/")
    return proposal


@transaction.atomic
def page_delete(*, user, page: Page) -> None:
    """Remove a page with its revisions, proposals and index rows (the admin's delete)."""
    if user is not None:
        WIKI.require(user=user, step="edit", subject=page)
    page_id = page.pk
    Page.objects.filter(current__page_id=page_id).update(current=None)
    page.delete()
    search.unindex_page(page_id)
