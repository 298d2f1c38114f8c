"""Enforcement certificates (执法证, APL art. 42): the check, its clear errors, the two numbers for documents,
the page per organisation, the expiry warnings (idempotent per day) and the enforcement in cases and inspections."""
import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts import selectors, services
from apps.accounts.models import EnforcementCertificate
from apps.gbcp.errors import ApplicationError
from apps.realtime.models import Notification
from tests.personas import certify, five_callers, user_with


@pytest.fixture
def squad(db):
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东华门街道综合行政执法队")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_certificate_for_answers_the_valid_certificate_or_says_why_not(squad, today):
    officer = user_with(role="officer", organization=squad)
    held = EnforcementCertificate.objects.get(officer=officer)
    code = squad.region.code
    assert selectors.certificate_for(officer, code, today) == held
    with pytest.raises(ApplicationError) as outside:
        selectors.certificate_for(officer, "110108001001", today)
    assert outside.value.code == "certificate_out_of_scope"
    with pytest.raises(ApplicationError) as later:
        selectors.certificate_for(officer, code, held.valid_to + dt.timedelta(days=1))
    assert later.value.code == "certificate_invalid" and held.valid_to.isoformat() in str(later.value.message)
    services.certificate_set_status(user=None, certificate=held, status=EnforcementCertificate.Status.SUSPENDED)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as suspended:
        selectors.certificate_for(officer, code, today)
    assert suspended.value.code == "certificate_invalid" and held.number in str(suspended.value.message)
    bare = user_with(name="bare")
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as missing:
        selectors.certificate_for(bare, code, today)
    assert missing.value.code == "certificate_missing" and "执法证" in str(missing.value.message)


@pytest.mark.django_db
def test_certificate_numbers_for_the_two_officers_of_a_document(squad, today):
    one, two = user_with(role="officer", organization=squad), user_with(role="officer", organization=squad)
    numbers = selectors.certificate_numbers([one, two], squad.region.code, today)
    assert numbers == [one.certificates.get().number, two.certificates.get().number]


@pytest.mark.django_db
def test_the_certificate_page_per_organisation_for_the_five_callers(squad):
    callers = five_callers(role="squad_leader", organization=squad)
    soon = user_with(role="officer", organization=squad)
    EnforcementCertificate.objects.filter(officer=soon).update(valid_to=timezone.localdate() + dt.timedelta(days=5))
    user_with(role="officer", organization=squad)
    uncertified = user_with(name="uncertified")
    from apps.accounts import services as account_services

    account_services.membership_grant(user=None, member=uncertified, organization=squad, role="officer")
    url = f"/accounts/certificates/{squad.pk}/"
    for name, user in callers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if name == "insider":
            assert response.status_code == 200
            body = response.content.decode()
            assert soon.certificates.get().number in body and "acc-expiring" in body and "acc-missing" in body
        elif name == "outsider":
            assert response.status_code == 404  # not theirs: like not there
        elif name == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 403
    client = Client()
    client.force_login(callers.insider)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(3):
        user_with(role="officer", organization=squad)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


@pytest.mark.django_db
def test_expiry_warnings_reach_the_officer_and_squad_leader_once_a_day(settings, squad, today):
    settings.CERTIFICATE_WARNING_DAYS = 30
    leader = user_with(role="squad_leader", organization=squad)
    officer = user_with(role="officer", organization=squad)
    EnforcementCertificate.objects.filter(officer__in=[leader]).update(valid_to=today + dt.timedelta(days=300))
    EnforcementCertificate.objects.filter(officer=officer).update(valid_to=today + dt.timedelta(days=10))
    before = Notification.objects.filter(event="accounts.certificate_expiring").count()
    first = services.certificates_warn(on_date=today)
    sent = Notification.objects.filter(event="accounts.certificate_expiring").order_by("pk")[before:]
    recipients = {n.recipient_id for n in sent}
    assert first["warned"] >= 1 and {officer.pk, leader.pk} <= recipients
    assert services.certificates_warn(on_date=today)["warned"] == 0  # idempotent per day
    assert services.certificates_warn(on_date=today + dt.timedelta(days=1))["warned"] >= 1


@pytest.mark.django_db
def test_an_officer_without_a_valid_certificate_cannot_be_an_officer_of_a_case(squad, today):
    from apps.cases.models import Case
    from apps.cases.services import case_assign_officers

    case = Case.objects.filter(organization=squad).order_by("pk").first()
    if case is None:
        pytest.skip("the demo city has no case of this squad")
    leader = user_with(role="squad_leader", organization=squad)
    officer = user_with(role="officer", organization=squad)
    EnforcementCertificate.objects.filter(officer=officer).update(valid_to=today - dt.timedelta(days=1))
    with pytest.raises(ApplicationError) as refused:
        case_assign_officers(user=leader, case=case, officers=[officer])
    assert refused.value.code in {"certificate_invalid", "forbidden", "not_found"}
    if refused.value.code == "certificate_invalid":
        assert not case.officers.filter(pk=officer.pk).exists()


@pytest.mark.django_db
def test_an_officer_without_a_valid_certificate_cannot_sign_an_inspection(squad, today):
    from apps.gbcp.models import Place
    from apps.inspection.services.records import _check_co_officer

    place = Place.objects.filter(region__code__startswith=squad.region.scope).select_related("region").order_by("pk").first()
    one, two = user_with(role="officer", organization=squad), user_with(role="officer", organization=squad)
    _check_co_officer(one, two, place)  # both certified: fine
    EnforcementCertificate.objects.filter(officer=two).update(status=EnforcementCertificate.Status.REVOKED)
    with pytest.raises(ApplicationError) as refused:
        _check_co_officer(one, two, place)
    assert refused.value.code == "certificate_invalid"
    three = user_with(role="officer", organization=squad)
    EnforcementCertificate.objects.filter(officer=three).update(scope=["110108"])
    with pytest.raises(ApplicationError) as elsewhere:
        _check_co_officer(three, one, place)
    assert elsewhere.value.code == "certificate_out_of_scope"


@pytest.mark.django_db
def test_demo_officers_hold_certificates_and_one_ends_soon(today):
    from apps.accounts.demo import EXPIRING_SOON
    from apps.accounts.models import User

    for username in ["dhm_officer1", "dhm_officer2", "dhm_leader", "dc_legal", "dc_leader"]:
        user = User.objects.get(username=username)
        org = user.organizations()[0]
        assert selectors.certificate_for(user, org.region.code, today)
    soon = EnforcementCertificate.objects.get(officer__username=EXPIRING_SOON)
    assert today < soon.valid_to <= today + dt.timedelta(days=20)
    assert certify  # the factory tests use for their own officers
