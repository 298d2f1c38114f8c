"""Issue 19, items 4 and 5: deferral and instalments (art. 66), on-the-spot collection and its hand-in (arts. 68–71), and
the hearing's notice, presiding officer and record (arts. 64–65), at their edges; five callers on every endpoint and page."""
import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.cases import lawdays, selectors, services
from apps.cases.models import Case, CashCollection, Instalment, Payment, PaymentTerms, Status
from apps.cases.services.payments import amount_due_on
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from tests.personas import five_callers

from .conftest import PERSON_ID

SH = ZoneInfo("Asia/Shanghai")


def _at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SH)


def _notified(case, officer1, legal, leader, fine):
    services.case_set_penalty(user=officer1, case=case, level="serious", fine=fine, departure_reason="按严重阶次")
    services.case_submit_review(user=officer1, case=case)
    services.case_legal_review(user=legal, case=case, passed=True)
    services.case_leader_approve(user=leader, case=case)
    return services.case_notify(user=officer1, case=case)


def _executing(case, officer1, legal, leader, fine="5000"):
    """Decided (no right to a hearing under 10,000 yuan), served: the fine is due in 15 days."""
    case = _notified(case, officer1, legal, leader, fine)
    case = services.case_decide(user=leader, case=case)
    return services.case_serve(user=officer1, case=case, method="post", proof={"tracking_number": "EMS1234567890CN"})


def _onsite(officer1, officer2, cause, place, amount):
    return services.case_onsite_decide(user=officer1, co_officer=officer2, cause=cause, party_kind="citizen", party_name="张三",
                                       party_code=PERSON_ID, amount=amount, facts="在人行道上摆摊经营", place=place)


def _fresh(case):
    return Case.objects.get(pk=case.pk)


# --- on-the-spot collection (arts. 68–71) ---------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("amount, allowed", [("100", True), ("100.01", False)])
def test_only_a_fine_of_100_yuan_or_less_is_collected_on_the_spot_without_a_remote_place(officer1, officer2, vendor_cause, dhm_place, amount, allowed):
    case = _onsite(officer1, officer2, vendor_cause, dhm_place, amount)
    if allowed:
        collection = services.case_cash_collect(user=officer1, case=case, ground="small", receipt_number="BJ2026-000101")
        assert collection.amount == Decimal(amount) and collection.collected_by == officer1
        assert Payment.objects.get(case=case).state == Payment.State.PAID and Payment.objects.get(case=case).channel == "cash"
        assert case.logs.filter(action="cash_collect").exists()
    else:
        with pytest.raises(ApplicationError) as refused:
            services.case_cash_collect(user=officer1, case=case, ground="small", receipt_number="BJ2026-000102")
        assert (refused.value.status_code, refused.value.code) == (400, "cash_not_allowed")
        assert "100 yuan" in refused.value.message and "remote" in refused.value.message
        assert not CashCollection.objects.filter(case=case).exists()
        assert Payment.objects.get(case=case).state == Payment.State.PENDING


@pytest.mark.django_db
def test_a_larger_fine_is_collected_in_a_remote_place_only_with_a_recorded_reason(officer1, officer2, vendor_cause, dhm_place):
    case = _onsite(officer1, officer2, vendor_cause, dhm_place, "150")
    with pytest.raises(ApplicationError) as no_reason:
        services.case_cash_collect(user=officer1, case=case, ground="remote", receipt_number="BJ2026-000201", reason="  ")
    assert no_reason.value.code == "reason_required" and "reason" in no_reason.value.details
    collection = services.case_cash_collect(user=officer1, case=case, ground="remote", receipt_number="bj2026-000201",
                                            reason="山区村落，当事人称附近无银行网点且不会使用电子支付，当事人请求当场缴纳")
    assert collection.receipt_number == "BJ2026-000201" and collection.ground == CashCollection.Ground.REMOTE


@pytest.mark.django_db
def test_a_receipt_number_is_required_and_used_once(officer1, officer2, vendor_cause, dhm_place):
    first = _onsite(officer1, officer2, vendor_cause, dhm_place, "50")
    second = _onsite(officer1, officer2, vendor_cause, dhm_place, "60")
    for bad in ("", "  ", "收据", "a" * 33):
        with pytest.raises(ApplicationError) as missing:
            services.case_cash_collect(user=officer1, case=first, ground="small", receipt_number=bad)
        assert missing.value.code == "receipt_required"
    services.case_cash_collect(user=officer1, case=first, ground="small", receipt_number="BJ-0001")
    with pytest.raises(ApplicationError) as used:
        services.case_cash_collect(user=officer1, case=second, ground="small", receipt_number="bj-0001")
    assert used.value.code == "receipt_used"
    assert Payment.objects.get(case=second).state == Payment.State.PENDING


@pytest.mark.django_db
def test_cash_collected_on_the_eve_of_national_day_is_due_after_the_holiday_week(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = _onsite(officer1, officer2, vendor_cause, dhm_place, "80")
    collected = dt.datetime(2026, 9, 30, 15, 0, tzinfo=SH)  # 1–7 Oct are holidays: the two working days are 8 and 9 October
    collection = services.case_cash_collect(user=officer1, case=case, ground="small", receipt_number="BJ-0930", collected_at=collected)
    assert collection.handin_due == dt.datetime(2026, 10, 9, 23, 59, 59, 999999, tzinfo=SH)
    assert collection.handin_due == lawdays.end_of_last_day(collected, lawdays.CASH_HANDIN)
    on_time, late = dt.datetime(2026, 10, 9, 18, tzinfo=SH), dt.datetime(2026, 10, 10, 0, 1, tzinfo=SH)
    assert not selectors.cash_handins_overdue(user=squad_leader, now=on_time).filter(pk=collection.pk).exists()
    assert selectors.cash_handins_overdue(user=squad_leader, now=late).filter(pk=collection.pk).exists()
    assert [c.pk for c in selectors.supervision_cases_past_deadline(deadline="cash_handin", cutoff=late)].count(case.pk) == 1
    assert not selectors.supervision_cases_past_deadline(deadline="cash_handin", cutoff=on_time).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_an_outsider_does_not_see_another_districts_overdue_cash(officer1, officer2, outsider, vendor_cause, dhm_place):
    case = _onsite(officer1, officer2, vendor_cause, dhm_place, "80")
    services.case_cash_collect(user=officer1, case=case, ground="small", receipt_number="BJ-0931", collected_at=dt.datetime(2026, 9, 30, 15, tzinfo=SH))
    assert not selectors.cash_handins_overdue(user=outsider, now=timezone.now()).exists()


@pytest.mark.django_db
def test_the_hand_in_is_warned_on_its_last_day_raised_to_supervision_after_it_and_blocks_closing_until_recorded(
        officer1, officer2, squad_leader, vendor_cause, dhm_place):
    from apps.supervision.services.rule_checks import case_overdue

    case = _onsite(officer1, officer2, vendor_cause, dhm_place, "80")
    collection = services.case_cash_collect(user=officer1, case=case, ground="small", receipt_number="BJ-1001")
    services.case_onsite_file(user=squad_leader, case=case)
    assert _fresh(case).status == Status.EXECUTED  # paid in cash: executed once filed
    last_day = timezone.localtime(collection.handin_due)
    def warnings():
        return case.logs.filter(action="cash_handin_warning").count()

    services.cash_handin_sweep(now=last_day - dt.timedelta(days=7))  # (the demo city's own collection may be warned here)
    assert warnings() == 0
    assert services.cash_handin_sweep(now=last_day) >= 1 and warnings() == 1
    assert services.cash_handin_sweep(now=last_day) == 0 and warnings() == 1  # once
    rule = SimpleNamespace(pk=0)

    def overdue_cases():
        return [f.measured["case"] for f in case_overdue(rule, {"deadlines": ["cash_handin"], "hours": 0}, last_day + dt.timedelta(hours=1))]

    assert overdue_cases().count(case.number) == 1
    with pytest.raises(ApplicationError) as not_handed_in:
        services.case_close(user=squad_leader, case=case)
    assert not_handed_in.value.code == "illegal_step" and "handed in" in not_handed_in.value.message
    with pytest.raises(ApplicationError) as no_slip:
        services.case_cash_handin(user=officer1, case=case, reference=" ")
    assert no_slip.value.code == "reference_required"
    services.case_cash_handin(user=officer1, case=case, reference="工行缴款单 0012345")
    assert CashCollection.objects.get(pk=collection.pk).handed_in_by == officer1
    assert case.number not in overdue_cases()
    assert services.case_close(user=squad_leader, case=case).status == Status.CLOSED


# --- deferral and instalments (art. 66) ------------------------------------------------------

@pytest.mark.django_db
def test_an_approved_deferral_moves_the_late_fee_to_the_new_date(investigating, officer1, legal, leader):
    case = _executing(investigating, officer1, legal, leader)
    original = case.payment_due
    with pytest.raises(ApplicationError) as no_reason:
        services.case_payment_terms_request(user=officer1, case=case, kind="deferral", reason="", new_due=original + dt.timedelta(days=30))
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ApplicationError) as earlier:
        services.case_payment_terms_request(user=officer1, case=case, kind="deferral", reason="经营困难", new_due=original)
    assert earlier.value.code == "invalid_terms"
    services.case_payment_terms_request(user=officer1, case=case, kind="deferral", reason="个体经营受疫情影响，无力一次缴清",
                                        new_due=original + dt.timedelta(days=30))
    assert _fresh(case).payment_terms == PaymentTerms.PENDING
    services.case_payment_terms_decide(user=leader, case=case, approve=True, reason="经核实确有困难")
    case = _fresh(case)
    assert case.payment_terms == PaymentTerms.DEFERRAL and case.payment_due == original + dt.timedelta(days=30)
    assert amount_due_on(case, original + dt.timedelta(days=5)) == (Decimal("5000.00"), Decimal("0.00"))  # no fee from the old date
    assert amount_due_on(case, case.payment_due + dt.timedelta(days=2)) == (Decimal("5000.00"), Decimal("300.00"))  # 3 % × 2 days from the new one


@pytest.mark.django_db
def test_a_refusal_needs_a_reason_and_leaves_the_old_date_and_the_party_may_apply_again(investigating, officer1, legal, leader):
    case = _executing(investigating, officer1, legal, leader)
    original = case.payment_due
    services.case_payment_terms_request(user=officer1, case=case, kind="deferral", reason="经营困难", new_due=original + dt.timedelta(days=10))
    with pytest.raises(ApplicationError) as bare:
        services.case_payment_terms_decide(user=leader, case=case, approve=False, reason="")
    assert bare.value.code == "reason_required" and _fresh(case).payment_terms == PaymentTerms.PENDING
    services.case_payment_terms_decide(user=leader, case=case, approve=False, reason="未提供困难证明")
    case = _fresh(case)
    assert case.payment_terms == PaymentTerms.REFUSED and case.payment_due == original
    assert amount_due_on(case, original + dt.timedelta(days=1))[1] == Decimal("150.00")
    with pytest.raises(ApplicationError) as twice:
        services.case_payment_terms_decide(user=leader, case=case, approve=True)
    assert twice.value.status_code == 409
    services.case_payment_terms_request(user=officer1, case=case, kind="deferral", reason="补充困难证明", new_due=original + dt.timedelta(days=10))


@pytest.mark.django_db
def test_instalments_must_add_up_to_the_fine_and_each_late_fee_counts_from_its_own_date(investigating, officer1, legal, leader, squad_leader):
    case = _executing(investigating, officer1, legal, leader)
    first, second = case.payment_due + dt.timedelta(days=10), case.payment_due + dt.timedelta(days=40)
    with pytest.raises(ApplicationError) as short:
        services.case_payment_terms_request(user=officer1, case=case, kind="instalments", reason="困难",
                                            schedule=[{"amount": "2000", "due_date": first}, {"amount": "2999.99", "due_date": second}])
    assert short.value.code == "schedule_sum" and "5000" in short.value.message
    with pytest.raises(ApplicationError) as disorder:
        services.case_payment_terms_request(user=officer1, case=case, kind="instalments", reason="困难",
                                            schedule=[{"amount": "2000", "due_date": second}, {"amount": "3000", "due_date": first}])
    assert disorder.value.code == "invalid_terms"
    assert not Instalment.objects.filter(case=case).exists()
    services.case_payment_terms_request(user=officer1, case=case, kind="instalments", reason="困难",
                                        schedule=[{"amount": "2000", "due_date": first}, {"amount": "3000", "due_date": second}])
    services.case_payment_terms_decide(user=leader, case=case, approve=True)
    case = _fresh(case)
    assert case.payment_terms == PaymentTerms.INSTALMENTS and case.payment_due == first
    one, two = Instalment.objects.filter(case=case).order_by("number")
    # Three days late on the first: 3 % × 3 days of 2,000 only; the second is not yet due.
    assert amount_due_on(case, first + dt.timedelta(days=3)) == (Decimal("5000.00"), Decimal("180.00"))
    with pytest.raises(ApplicationError) as wrong:
        services.case_instalment_pay(user=officer1, case=case, instalment_id=one.pk, amount="2000", reference="BANK-1", paid_at=_at(first + dt.timedelta(days=3)))
    assert wrong.value.code == "wrong_amount" and "2180" in wrong.value.message
    services.case_instalment_pay(user=officer1, case=case, instalment_id=one.pk, amount="2180", reference="BANK-1", paid_at=_at(first + dt.timedelta(days=3)))
    case = _fresh(case)
    assert case.status == Status.EXECUTING and case.payment_due == second
    assert amount_due_on(case, second + dt.timedelta(days=1)) == (Decimal("3000.00"), Decimal("90.00"))
    with pytest.raises(ApplicationError) as again:
        services.case_instalment_pay(user=officer1, case=case, instalment_id=one.pk, amount="2180", reference="BANK-1")
    assert again.value.code == "unknown_instalment"
    services.case_instalment_pay(user=officer1, case=case, instalment_id=two.pk, amount="3000", reference="BANK-2", paid_at=_at(second))
    case = _fresh(case)
    payment = Payment.objects.get(case=case)
    assert case.status == Status.EXECUTED and payment.state == Payment.State.PAID and payment.amount_paid == Decimal("5180.00")
    assert payment.late_fee == Decimal("180.00")
    assert [log.action for log in case.logs.all()].count("instalment_paid") == 2
    assert services.case_close(user=squad_leader, case=case).status == Status.CLOSED


# --- the hearing (arts. 64–65) ---------------------------------------------------------------

MONDAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SH)  # 7 working days: 1, 2, 3, 4, 7, 8, 9 December


@pytest.fixture
def hearing_requested(investigating, officer1, legal, leader):
    case = _notified(investigating, officer1, legal, leader, "20000")
    return services.case_hearing_request(user=officer1, case=case)


@pytest.mark.django_db
def test_the_hearing_is_notified_exactly_seven_working_days_ahead_and_six_is_refused(hearing_requested, officer1, squad_leader):
    assert services.earliest_hearing_day(MONDAY) == dt.date(2026, 12, 9)
    with pytest.raises(ApplicationError) as six:
        services.case_hearing_schedule(user=officer1, case=hearing_requested, scheduled_for=_at(dt.date(2026, 12, 8), 9), place="听证室",
                                       presiding=squad_leader, notice_at=MONDAY)
    assert six.value.code == "hearing_notice_short" and "2026-12-09" in six.value.message
    assert _fresh(hearing_requested).hearing_scheduled_for is None
    case = services.case_hearing_schedule(user=officer1, case=hearing_requested, scheduled_for=_at(dt.date(2026, 12, 9), 9), place="听证室",
                                          presiding=squad_leader, notice_at=MONDAY)
    assert case.hearing_presiding == squad_leader and case.hearing_notice_at == MONDAY
    # Art. 64(2): the party is notified by a numbered, signed 听证通知书 with the time, the place and who presides.
    notice = case.documents.get(kind="hearing_notice")
    assert "听" in notice.number and notice.sha256
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=notice.file.read(), capture_output=True, check=True).stdout.decode().replace(" ", "").replace("\n", "")
        assert "行政处罚听证通知书" in text and "2026年12月09日09:00" in text and "听证室" in text and str(squad_leader) in text
        assert "申请回避" in text and "视为放弃听证权利" in text


@pytest.mark.django_db
def test_an_investigating_officer_may_not_preside(hearing_requested, officer1, officer2):
    for investigator in (officer1, officer2):  # the officer in charge and the co-investigator
        with pytest.raises(ApplicationError) as refused:
            services.case_hearing_schedule(user=officer1, case=hearing_requested, scheduled_for=_at(dt.date(2026, 12, 9)), place="听证室",
                                           presiding=investigator, notice_at=MONDAY)
        assert refused.value.code == "presiding_is_investigator" and "presiding" in refused.value.details
    assert _fresh(hearing_requested).hearing_presiding is None


@pytest.mark.django_db
def test_the_decision_waits_for_the_hearing_record_which_waits_for_the_notified_day(hearing_requested, officer1, squad_leader, leader):
    case = services.case_hearing_schedule(user=officer1, case=hearing_requested, scheduled_for=_at(dt.date(2026, 12, 9), 9), place="听证室",
                                          presiding=squad_leader, notice_at=MONDAY)
    with pytest.raises(ApplicationError) as unheard:
        services.case_decide(user=leader, case=case, at=_at(dt.date(2026, 12, 10)))
    assert unheard.value.code == "illegal_step" and "hearing" in unheard.value.message
    with pytest.raises(ApplicationError) as early:
        services.case_hearing_hold(user=officer1, case=case, record="听证笔录", held_at=_at(dt.date(2026, 12, 8)))
    assert early.value.code == "illegal_step" and "2026-12-09" in early.value.message
    record = services.case_hearing_hold(user=officer1, case=case, record="听证笔录：主持人宣布听证开始……", held_at=_at(dt.date(2026, 12, 9)))
    assert record.kind == "hearing" and list(record.officers.all()) == [squad_leader] and record.location == "听证室"
    minutes = case.documents.get(kind="hearing_record")  # arts. 64(8), 65: the record as a numbered, signed document
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=minutes.file.read(), capture_output=True, check=True).stdout.decode().replace(" ", "").replace("\n", "")
        assert "听证笔录" in text and "主持人宣布听证开始" in text and "2026年12月09日" in text and "核对无误" in text
    assert services.case_decide(user=leader, case=case, at=_at(dt.date(2026, 12, 10))).status == Status.DECIDED


@pytest.mark.django_db
def test_a_withdrawn_request_lets_the_decision_go_ahead_without_a_hearing(hearing_requested, officer1, leader):
    with pytest.raises(ApplicationError) as bare:
        services.case_hearing_withdraw(user=officer1, case=hearing_requested, reason="")
    assert bare.value.code == "reason_required"
    case = services.case_hearing_withdraw(user=officer1, case=hearing_requested, reason="当事人书面撤回听证申请")
    assert case.hearing_withdrawn_at is not None and case.hearing_waived
    with pytest.raises(ApplicationError) as gone:
        services.case_hearing_schedule(user=officer1, case=case, scheduled_for=_at(dt.date(2026, 12, 9)), place="听证室", presiding=leader)
    assert gone.value.status_code == 409
    assert services.case_decide(user=leader, case=case).status == Status.DECIDED


# --- five callers on every endpoint and page ---------------------------------------------------

def _district_bureau(case):
    return Organization.objects.get(level=Organization.Level.DISTRICT, kind=Organization.Kind.ENFORCEMENT_TEAM, region__code=case.region_code[:6])


def _state(name, request, officer1, legal, leader):
    """A case in which the step ``name`` is open, and the API body that does it."""
    if name in ("hearing-schedule", "hearing-withdraw", "hearing"):
        case = _notified(request.getfixturevalue("investigating"), officer1, legal, leader, "20000")
        case = services.case_hearing_request(user=officer1, case=case)
        if name == "hearing-schedule":
            day = services.earliest_hearing_day(timezone.now())
            return case, {"scheduled_for": _at(day, 9).isoformat(), "place": "听证室", "presiding": request.getfixturevalue("squad_leader").pk}
        if name == "hearing-withdraw":
            return case, {"reason": "当事人撤回"}
        Case.objects.filter(pk=case.pk).update(hearing_scheduled_for=timezone.now() - dt.timedelta(hours=1), hearing_place="听证室",
                                               hearing_presiding=legal, hearing_notice_at=timezone.now() - dt.timedelta(days=12))
        return case, {"record": "听证笔录"}
    case = _executing(request.getfixturevalue("investigating"), officer1, legal, leader)
    if name == "payment-terms":
        return case, {"kind": "deferral", "reason": "经营困难", "new_due": (case.payment_due + dt.timedelta(days=20)).isoformat()}
    services.case_payment_terms_request(user=officer1, case=case, kind="instalments", reason="困难", schedule=[
        {"amount": "2000", "due_date": case.payment_due + dt.timedelta(days=1)}, {"amount": "3000", "due_date": case.payment_due + dt.timedelta(days=30)}])
    if name == "payment-terms-decide":
        return case, {"approve": True, "reason": ""}
    if name == "instalment-pay":
        services.case_payment_terms_decide(user=leader, case=case, approve=True)
        return case, {"instalment": Instalment.objects.get(case=case, number=1).pk, "amount": "2000", "reference": "BANK-9"}
    raise AssertionError(name)


ENDPOINTS = [  # (url action, role, the field showing it was done)
    ("hearing-schedule", Role.OFFICER, "hearing_scheduled_for"),
    ("hearing-withdraw", Role.OFFICER, "hearing_withdrawn_at"),
    ("hearing", Role.OFFICER, "hearing_held_at"),
    ("payment-terms", Role.OFFICER, "payment_terms"),
    ("payment-terms-decide", Role.LEADER, "payment_terms"),
    ("instalment-pay", Role.SQUAD_LEADER, "payment_due"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, role, field", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_only_the_insider_does_it_through_the_api(request, api_as, officer1, legal, leader, name, role, field):
    case, body = _state(name, request, officer1, legal, leader)
    before = getattr(_fresh(case), field)
    callers = five_callers(role=role, organization=_district_bureau(case) if role == Role.LEADER else case.organization)
    expected = {"outsider": 404, "citizen": 404, "merchant": 404, "anonymous": 401}
    for who, user in callers.others():
        assert api_as(user).post(f"/api/cases/{case.pk}/{name}/", body, format="json").status_code == expected[who], who
        assert getattr(_fresh(case), field) == before, who
    response = api_as(callers.insider).post(f"/api/cases/{case.pk}/{name}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert getattr(_fresh(case), field) != before


@pytest.mark.django_db
def test_cash_collection_and_hand_in_through_the_api_with_five_callers(api_as, officer1, officer2, vendor_cause, dhm_place):
    case = _onsite(officer1, officer2, vendor_cause, dhm_place, "100.01")
    callers = five_callers(role=Role.OFFICER, organization=case.organization)
    expected = {"outsider": 404, "citizen": 404, "merchant": 404, "anonymous": 401}
    body = {"ground": "small", "receipt_number": "API-0001"}
    for who, user in callers.others():
        assert api_as(user).post(f"/api/cases/{case.pk}/cash-collect/", body, format="json").status_code == expected[who], who
    refused = api_as(callers.insider).post(f"/api/cases/{case.pk}/cash-collect/", body, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "cash_not_allowed"
    assert not CashCollection.objects.filter(case=case).exists()
    done = api_as(callers.insider).post(f"/api/cases/{case.pk}/cash-collect/", {**body, "ground": "remote", "reason": "偏远山区，无银行网点"}, format="json")
    assert done.status_code == 200 and done.json()["cash_collection"]["receipt_number"] == "API-0001"
    assert "cash_handin" in done.json()["actions"]
    for who, user in callers.others():
        assert api_as(user).post(f"/api/cases/{case.pk}/cash-handin/", {"reference": "X1"}, format="json").status_code == expected[who], who
    handed = api_as(callers.insider).post(f"/api/cases/{case.pk}/cash-handin/", {"reference": "工行 0001"}, format="json")
    assert handed.status_code == 200 and handed.json()["cash_collection"]["handin_reference"] == "工行 0001"


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"kind": "deferral", "reason": "困难"}, {"kind": "instalments", "reason": "困难", "schedule": "x"},
                                  {"kind": "nonsense", "reason": "困难"}, [1], {"kind": "deferral", "reason": "困难", "new_due": "2026-13-40"}])
def test_a_bad_application_is_a_400_and_changes_nothing(api_as, investigating, officer1, legal, leader, body):
    case = _executing(investigating, officer1, legal, leader)
    response = api_as(officer1).post(f"/api/cases/{case.pk}/payment-terms/", body, format="json")
    assert response.status_code == 400
    assert _fresh(case).payment_terms == "" and not case.payment_term_requests.exists()


@pytest.mark.django_db
def test_the_case_page_shows_the_forms_and_takes_the_steps_for_the_insider_only(client, request, officer1, legal, leader):
    case, _body = _state("hearing-schedule", request, officer1, legal, leader)
    callers = five_callers(role=Role.OFFICER, organization=case.organization)
    client.force_login(callers.insider)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'action="/cases/%s/hearing-schedule/"' % case.pk in page and 'action="/cases/%s/hearing-withdraw/"' % case.pk in page
    assert f'action="/cases/{case.pk}/hearing/"' not in page  # hold only once scheduled: schedule → hold
    day = services.earliest_hearing_day(timezone.now())
    form = {"scheduled_for": f"{day.isoformat()}T09:00", "place": "听证室", "presiding": request.getfixturevalue("squad_leader").pk}
    for who, user in callers.others():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.post(f"/cases/{case.pk}/hearing-schedule/", form)
        expected = {"outsider": (404,), "citizen": (403,), "merchant": (403,), "anonymous": (302,)}[who]
        assert response.status_code in expected, who
        assert _fresh(case).hearing_scheduled_for is None
    client.force_login(callers.insider)
    assert client.post(f"/cases/{case.pk}/hearing-schedule/", form).status_code == 302
    assert _fresh(case).hearing_scheduled_for is not None
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/hearing/"' in page and "hearing_schedule" not in page


@pytest.mark.django_db
def test_the_payment_forms_on_the_case_page_work_for_the_squad(client, investigating, officer1, legal, leader):
    case = _executing(investigating, officer1, legal, leader)
    client.force_login(officer1)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/payment-terms/"' in page and f'action="/cases/{case.pk}/cash-collect/"' in page
    first, second = case.payment_due + dt.timedelta(days=5), case.payment_due + dt.timedelta(days=35)
    response = client.post(f"/cases/{case.pk}/payment-terms/", {"kind": "instalments", "reason": "经营困难",
                                                                  "schedule": f"2000 {first.isoformat()}\n3000 {second.isoformat()}"})
    assert response.status_code == 302 and _fresh(case).payment_terms == PaymentTerms.PENDING
    client.force_login(leader)
    assert client.post(f"/cases/{case.pk}/payment-terms-decide/", {"approve": "1"}).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "分期" in page or "instalments" in page
    client.force_login(officer1)
    one = Instalment.objects.get(case=case, number=1)
    assert client.post(f"/cases/{case.pk}/instalment-pay/", {"instalment": one.pk, "amount": "2000", "reference": "B-1"}).status_code == 302
    assert Instalment.objects.get(pk=one.pk).paid_at is not None


@pytest.mark.django_db
def test_the_case_detail_with_payment_terms_keeps_a_fixed_number_of_queries(api_as, investigating, officer1, legal, leader, django_assert_max_num_queries):
    case = _executing(investigating, officer1, legal, leader)
    services.case_payment_terms_request(user=officer1, case=case, kind="instalments", reason="困难", schedule=[
        {"amount": "2000", "due_date": case.payment_due + dt.timedelta(days=1)}, {"amount": "3000", "due_date": case.payment_due + dt.timedelta(days=30)}])
    with django_assert_max_num_queries(16):
        assert api_as(officer1).get(f"/api/cases/{case.pk}/").status_code == 200
