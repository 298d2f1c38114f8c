"""The wiki's step table with the five callers; staff edits; proposals, moderation and the proposer's notice."""
import pytest

from apps.gbcp.errors import ApplicationError, NotFound
from apps.realtime.models import Notification
from apps.wiki import services
from apps.wiki.models import Page, Proposal
from apps.wiki.policy import WIKI
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

ROWS = [(step, role) for step in WIKI for role in step.roles]


@pytest.mark.parametrize("step,role", ROWS, ids=[f"{s.name}-{r}" for s, r in ROWS])
def test_each_step_is_for_its_roles_in_their_jurisdiction_and_no_one_else(step, role, dongcheng):
    callers = five_callers(role=role, organization=dongcheng)
    page = Page(region_code="110101", kind="faq", slug="x", title="x")
    subject = page if step.name == "edit" else Proposal(page=page, status=Proposal.Status.SUBMITTED)
    assert WIKI.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not WIKI.may_act(user, step.name, subject), name


def test_an_analyst_may_not_edit_and_a_decided_proposal_is_closed(dongcheng):
    analyst = five_callers(role="analyst", organization=dongcheng).insider
    page = Page(region_code="110101")
    assert not WIKI.may_act(analyst, "edit", page)
    assert not WIKI.is_open("moderate", Proposal(page=page, status=Proposal.Status.REFUSED))


def test_staff_edit_is_versioned_and_attributed(make_page, callers):
    page = make_page(body="原文")
    revision = services.page_edit(user=callers.insider, page=page, title="新标题", body="新文", reason="更正", base_number=1)
    page.refresh_from_db()
    assert (revision.number, revision.author, revision.reason) == (2, callers.insider, "更正")
    assert page.current == revision and page.title == "新标题"
    with pytest.raises(ApplicationError) as exc:
        services.page_edit(user=callers.insider, page=page, title="x", body="y", reason="z", base_number=1)
    assert exc.value.status_code == 409 and exc.value.code == "edit_conflict"
    for user in (callers.outsider, callers.citizen, callers.merchant):
        with pytest.raises(ApplicationError) as exc:
            services.page_edit(user=user, page=page, title="x", body="y", reason="z")
        assert exc.value.status_code == 403
    with pytest.raises(ApplicationError) as exc:
        services.page_edit(user=callers.insider, page=page, title="x", body="y", reason="")
    assert exc.value.code == "invalid" and "reason" in exc.value.details


def test_proposal_accepted_notifies_and_credits_the_proposer(make_page, callers):
    page = make_page(body="原文")
    proposal = services.proposal_submit(user=callers.citizen, page=page, title=page.title, body="市民改进的文字", reason="补充")
    assert Notification.objects.filter(recipient=callers.insider, event="wiki.proposal_submitted").exists()
    assert not Notification.objects.filter(recipient=callers.outsider, event="wiki.proposal_submitted").exists()
    decided = services.proposal_moderate(user=callers.insider, proposal=proposal, decision="accept", reason="内容准确")
    page.refresh_from_db()
    assert decided.status == Proposal.Status.ACCEPTED and page.current.body == "市民改进的文字"
    assert (page.current.author, page.current.moderator) == (callers.citizen, callers.insider)
    note = Notification.objects.get(recipient=callers.citizen, event="wiki.proposal_decided")
    assert note.payload["status"] == "accepted" and page.slug in note.link
    with pytest.raises(ApplicationError) as exc:
        services.proposal_moderate(user=callers.insider, proposal=proposal, decision="refuse", reason="再次")
    assert exc.value.status_code == 409


def test_proposal_changed_or_refused(make_page, callers):
    page = make_page(body="原文")
    first = services.proposal_submit(user=callers.merchant, page=page, title=page.title, body="商户文字", reason="更新")
    second = services.proposal_submit(user=callers.citizen, page=page, title=page.title, body="市民文字", reason="更新")
    services.proposal_moderate(user=callers.insider, proposal=first, decision="change", reason="措辞调整", title=page.title,
                               body="商户文字（经审核修改）")
    page.refresh_from_db()
    assert page.current.body == "商户文字（经审核修改）" and page.current.author == callers.insider
    with pytest.raises(ApplicationError) as exc:  # the page moved on since the second proposal: accept as is would overwrite
        services.proposal_moderate(user=callers.insider, proposal=second, decision="accept", reason="好")
    assert exc.value.code == "edit_conflict"
    refused = services.proposal_moderate(user=callers.insider, proposal=second, decision="refuse", reason="与现行文本重复")
    assert refused.status == Proposal.Status.REFUSED and refused.revision is None
    assert Notification.objects.filter(recipient=callers.citizen, event="wiki.proposal_decided", payload__status="refused").exists()


def test_who_may_propose(make_page, callers):
    public, staff = make_page(), make_page(visibility="staff")
    with pytest.raises(ApplicationError) as exc:
        services.proposal_submit(user=None, page=public, title="t", body="b", reason="r")
    assert exc.value.status_code == 401
    with pytest.raises(NotFound):
        services.proposal_submit(user=callers.citizen, page=staff, title="t", body="b", reason="r")
    assert services.proposal_submit(user=callers.outsider, page=staff, title="t", body="b2", reason="r").pk


def test_moderation_by_others_is_refused(make_page, callers):
    proposal = services.proposal_submit(user=callers.citizen, page=make_page(), title="t", body="新", reason="r")
    for name, user in callers.others():
        with pytest.raises(ApplicationError) as exc:
            services.proposal_moderate(user=user, proposal=proposal, decision="accept", reason="r")
        assert exc.value.status_code == 403, name
