"""Art. 48: a general-procedure decision is published within 7 working days, masked; a corrected one is withdrawn
within 3. Art. 73: review and litigation are recorded and execution goes on meanwhile."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from apps.accounts.models import Role
from apps.cases import services
from apps.cases.challenges import CaseChallenge
from apps.cases.disclosures import Disclosure, masked_person_name, scrub
from apps.cases.models import CaseLog, Status
from apps.cases.policy import AFTER_DECISION
from apps.gbcp.errors import ApplicationError
from tests.personas import five_callers

from .conftest import PERSON_ID
from .test_policy import district_bureau

SH = ZoneInfo("Asia/Shanghai")
EVE_OF_NATIONAL_DAY = dt.datetime(2026, 9, 30, 15, 0, tzinfo=SH)  # a Wednesday; 1–7 Oct are holidays, Sat 10 Oct is worked
PHONE = "13912345678"


def decide(case, officer1, legal, leader, *, at=EVE_OF_NATIONAL_DAY, fine="3000"):
    services.case_update(user=officer1, case=case, facts=f"张三（身份证号{PERSON_ID}，电话{PHONE}）在东华门大街12号门前占道经营。")
    services.case_set_penalty(user=officer1, case=case, level="ordinary", fine=fine, departure_reason="经营面积较大")
    services.case_submit_review(user=officer1, case=case)
    services.case_legal_review(user=legal, case=case, passed=True)
    services.case_leader_approve(user=leader, case=case)
    case = services.case_notify(user=officer1, case=case, at=at - dt.timedelta(hours=2))
    case.filed_at = case.decision_due = None  # the 90-day limit is not what these tests are about
    case.save()
    return services.case_decide(user=leader, case=case, at=at)


@pytest.fixture
def decided(investigating, officer1, legal, leader):
    return decide(investigating, officer1, legal, leader)


# --- masking ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, shown", [("张三", "张某某"), ("张三丰", "张某某"), ("欧阳娜娜", "欧阳某某"), ("  李四 ", "李某某"), ("", "")])
def test_a_citizens_name_keeps_only_the_surname(name, shown):
    assert masked_person_name(name) == shown


def test_free_text_loses_id_numbers_phones_and_house_numbers():
    text = scrub(f"当事人张三，身份证{PERSON_ID}，手机{PHONE}，座机010-65123456，住东华门大街12号3单元502室。", names=["张三"])
    assert PERSON_ID not in text and PHONE not in text and "65123456" not in text and "张三" not in text
    assert "张某某" in text and "东华门大街" in text and "12号" not in text


# --- the 7 working days -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_decision_on_the_eve_of_national_day_is_due_for_publication_at_the_end_of_the_seventh_working_day(decided):
    # 8, 9, 10 (the make-up Saturday), 12, 13, 14, 15 October.
    assert decided.disclosure.status == Disclosure.Status.DUE
    assert decided.disclosure.due_at == dt.datetime(2026, 10, 15, 23, 59, 59, 999999, tzinfo=SH)


@pytest.mark.django_db
def test_published_late_on_the_seventh_working_day_is_on_time(decided, legal):
    on_time = services.disclosure_publish(user=legal, case=decided, at=dt.datetime(2026, 10, 15, 23, 0, tzinfo=SH))
    assert on_time.status == Disclosure.Status.PUBLISHED and not on_time.published_late


@pytest.mark.django_db
def test_published_the_day_after_the_seventh_working_day_is_marked_late_and_logged(decided, legal):
    late = services.disclosure_publish(user=legal, case=decided, at=dt.datetime(2026, 10, 16, 9, 0, tzinfo=SH))
    assert late.published_late
    log = CaseLog.objects.get(case=decided, action="disclosure_publish")
    assert log.data["late"] is True and log.actor == legal


@pytest.mark.django_db
def test_the_sweep_warns_legal_staff_once_when_publication_is_late(decided, legal):
    from apps.realtime.models import Notification

    before = Notification.objects.filter(recipient=legal).count()
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 16, 9, 0, tzinfo=SH)) == 1
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 17, 9, 0, tzinfo=SH)) == 0  # once per point
    assert Notification.objects.filter(recipient=legal).count() == before + 1
    decided.disclosure.refresh_from_db()
    assert decided.disclosure.alerts_sent == ["disclosure:late"]


@pytest.mark.django_db
def test_the_sweep_warns_two_days_before_and_not_earlier(decided):
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH)) == 0
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 13, 9, 0, tzinfo=SH)) == 1


# --- what is published ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_published_record_holds_no_name_id_phone_or_door_of_a_citizen(decided, legal):
    disclosure = services.disclosure_publish(user=legal, case=decided)
    public = " ".join(str(getattr(disclosure, f)) for f in ("party_name", "party_code", "place", "facts", "penalty", "cause_name", "organ"))
    assert PERSON_ID not in public and PHONE not in public and "张三" not in public and "12号" not in public
    assert disclosure.party_name == "张某某" and disclosure.party_code == ""
    assert disclosure.place.startswith("东城区") and "东华门" in disclosure.place
    assert disclosure.penalty == "罚款人民币3,000元" and disclosure.decision_number
    assert disclosure.decided_on == dt.date(2026, 9, 30)


@pytest.mark.django_db
def test_an_organisations_name_and_credit_code_stay_public(investigating, officer1, legal, leader):
    from .conftest import USCC

    services.case_update(user=officer1, case=investigating, party_kind="organisation", party_name="北京某某餐饮有限公司", party_code=USCC)
    case = decide(investigating, officer1, legal, leader)
    disclosure = services.disclosure_publish(user=legal, case=case)
    assert (disclosure.party_name, disclosure.party_code) == ("北京某某餐饮有限公司", USCC)


@pytest.mark.django_db
def test_publishing_twice_is_a_409(decided, legal):
    services.disclosure_publish(user=legal, case=decided)
    with pytest.raises(ApplicationError) as again:
        services.disclosure_publish(user=legal, case=decided)
    assert again.value.status_code == 409


# --- review and litigation, and the 3 working days ---------------------------------------------------

@pytest.mark.django_db
def test_a_revoked_decision_is_due_to_be_withdrawn_within_three_working_days_across_the_holiday(decided, legal, leader):
    services.disclosure_publish(user=legal, case=decided, at=EVE_OF_NATIONAL_DAY + dt.timedelta(hours=1))
    challenge = services.challenge_file(user=legal, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 9, 30))
    assert challenge.organ  # the review organ printed on the decision, by default
    services.challenge_decide(user=leader, challenge=challenge, outcome="revoked", outcome_on=dt.date(2026, 9, 30), outcome_reference="东政复决〔2026〕1号")
    disclosure = Disclosure.objects.get(case=decided)
    # 8, 9, 10 October (the make-up Saturday).
    assert disclosure.withdrawal_due == dt.datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=SH)
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 10, 20, 0, tzinfo=SH)) == 0
    assert services.disclosure_deadlines_sweep(now=dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH)) == 1
    late = services.disclosure_withdraw(user=legal, case=decided, reason="复议撤销", at=dt.datetime(2026, 10, 12, 10, 0, tzinfo=SH))
    assert late.status == Disclosure.Status.WITHDRAWN and late.withdrawn_late and late.withdrawal_reason == "复议撤销"


@pytest.mark.django_db
def test_withdrawn_on_the_third_working_day_is_on_time(decided, legal, leader):
    services.disclosure_publish(user=legal, case=decided, at=EVE_OF_NATIONAL_DAY + dt.timedelta(hours=1))
    challenge = services.challenge_file(user=legal, case=decided, kind="litigation", applicant="张三", filed_on=dt.date(2026, 9, 30), organ="东城区人民法院")
    services.challenge_decide(user=legal, challenge=challenge, outcome="changed", outcome_on=dt.date(2026, 9, 30), outcome_reference="(2026)京0101行初1号")
    done = services.disclosure_withdraw(user=legal, case=decided, reason="判决变更", at=dt.datetime(2026, 10, 10, 16, 0, tzinfo=SH))
    assert not done.withdrawn_late


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["upheld", "withdrawn"])
def test_an_upheld_or_withdrawn_challenge_leaves_the_publication_alone(decided, legal, outcome):
    services.disclosure_publish(user=legal, case=decided)
    challenge = services.challenge_file(user=legal, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))
    services.challenge_decide(user=legal, challenge=challenge, outcome=outcome, outcome_on=dt.date(2026, 11, 2), outcome_reference="东政复决〔2026〕2号")
    assert Disclosure.objects.get(case=decided).withdrawal_due is None


@pytest.mark.django_db
def test_execution_is_not_suspended_while_a_review_runs(decided, legal, officer1):
    services.challenge_file(user=legal, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))
    served = services.case_serve(user=officer1, case=decided, method="on_the_spot", proof={"recipient": "张三"})
    assert served.status == Status.EXECUTING


@pytest.mark.django_db
@pytest.mark.parametrize("change, field", [
    ({"kind": "appeal"}, "kind"),
    ({"applicant": "  "}, "applicant"),
    ({"filed_on": dt.date(2026, 9, 29)}, "filed_on"),  # before the decision
    ({"filed_on": dt.date(2099, 1, 1)}, "filed_on"),  # in the future
])
def test_a_bad_filing_is_a_400_naming_the_field_and_records_nothing(decided, legal, change, field):
    data = {"kind": "review", "applicant": "张三", "filed_on": dt.date(2026, 10, 8), **change}
    with pytest.raises(ApplicationError) as bad:
        services.challenge_file(user=legal, case=decided, **data)
    assert bad.value.status_code == 400 and field in bad.value.details
    assert not CaseChallenge.objects.filter(case=decided).exists()


@pytest.mark.django_db
def test_an_outcome_needs_its_document_and_is_recorded_once(decided, legal):
    challenge = services.challenge_file(user=legal, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))
    with pytest.raises(ApplicationError) as bad:
        services.challenge_decide(user=legal, challenge=challenge, outcome="upheld", outcome_on=dt.date(2026, 11, 2), outcome_reference="")
    assert bad.value.status_code == 400 and "outcome_reference" in bad.value.details
    services.challenge_decide(user=legal, challenge=challenge, outcome="upheld", outcome_on=dt.date(2026, 11, 2), outcome_reference="复决1号")
    with pytest.raises(ApplicationError) as again:
        services.challenge_decide(user=legal, challenge=challenge, outcome="revoked", outcome_on=dt.date(2026, 11, 3), outcome_reference="复决2号")
    assert again.value.status_code == 409


# --- who may: the five callers -----------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEGAL_REVIEWER, Role.LEADER])
def test_only_legal_staff_of_the_jurisdiction_publish_file_and_withdraw(decided, role):
    callers = five_callers(role=role, organization=district_bureau(decided))
    for name, user in callers.others():
        for call in (lambda u: services.disclosure_publish(user=u, case=decided),
                     lambda u: services.challenge_file(user=u, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))):
            with pytest.raises(ApplicationError) as denied:
                call(user)
            assert denied.value.status_code == 403, name
    services.disclosure_publish(user=callers.insider, case=decided)
    challenge = services.challenge_file(user=callers.insider, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))
    for name, user in callers.others():
        with pytest.raises(ApplicationError) as denied:
            services.challenge_decide(user=user, challenge=challenge, outcome="revoked", outcome_on=dt.date(2026, 11, 2), outcome_reference="x")
        assert denied.value.status_code == 403, name
        with pytest.raises(ApplicationError) as denied:
            services.disclosure_withdraw(user=user, case=decided, reason="x")
        assert denied.value.status_code == 403, name
    services.disclosure_withdraw(user=callers.insider, case=decided, reason="发现错误")


@pytest.mark.django_db
def test_a_case_officer_reads_but_does_not_publish(decided, officer1):
    assert AFTER_DECISION.allowed_steps(officer1, decided) == []
    with pytest.raises(ApplicationError) as denied:
        services.disclosure_publish(user=officer1, case=decided)
    assert denied.value.status_code == 403


@pytest.mark.django_db
def test_an_undecided_case_has_nothing_to_publish_or_challenge(investigating, legal):
    assert AFTER_DECISION.allowed_steps(legal, investigating) == []
    with pytest.raises(ApplicationError) as early:
        services.disclosure_publish(user=legal, case=investigating)
    assert early.value.status_code == 409
