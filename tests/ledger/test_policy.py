"""The ledger's step table, row by row, with the five callers; and the services refusing as the table says."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Organization
from apps.ledger import services
from apps.ledger.models import Correction, FrontageZone
from apps.ledger.policy import LEDGER, Area
from tests.personas import five_callers


@pytest.fixture
def district(db):
    """东城区's enforcement bureau: the insiders serve here, the outsiders in the same kind of bureau elsewhere."""
    return Organization.objects.select_related("region").get(name="东城区城市管理综合行政执法局")


def _subject(step, region_code):
    if step.name == "review_correction":
        return Correction(region_code=region_code, status=Correction.Status.PENDING)
    return Area(region_code)


ROWS = [(step, role) for step in LEDGER for role in step.roles]


@pytest.mark.django_db
@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_its_roles_in_their_jurisdiction_and_no_one_else(step, role, district):
    callers = five_callers(role=role, organization=district)
    subject = _subject(step, district.region.code)
    assert LEDGER.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not LEDGER.may_act(user, step.name, subject), name


@pytest.mark.django_db
def test_a_reviewed_correction_is_closed_to_review_even_for_its_managers(district):
    callers = five_callers(role="dispatcher", organization=district)
    done = Correction(region_code=district.region.code, status=Correction.Status.ACCEPTED)
    assert LEDGER.may_act(callers.insider, "review_correction", done) and not LEDGER.is_open("review_correction", done)


@pytest.fixture
def pending_correction(db, district):
    zone = FrontageZone.objects.filter(region_code__startswith=district.region.code).order_by("id").first()
    assert zone is not None, "the demo has no frontage zone in 东城"
    reporter = five_callers(role="officer", organization=district).insider
    return services.correction_report(user=reporter, target=zone, field="responsible_name", proposed_value="王五", reason="换人了")


@pytest.mark.django_db
def test_the_review_service_refuses_as_the_table_says_and_an_outsider_is_told_not_found(district, pending_correction):
    callers = five_callers(role="squad_leader", organization=district)
    with pytest.raises(NotFound):
        services.correction_review(user=callers.outsider, correction=pending_correction, accept=True)
    for name, user in [("citizen", callers.citizen), ("merchant", callers.merchant), ("anonymous", AnonymousUser())]:
        with pytest.raises(ApplicationError) as refused:
            services.correction_review(user=user, correction=pending_correction, accept=True)
        assert (refused.value.status_code, refused.value.code) == (403, "forbidden"), name
    reviewed = services.correction_review(user=callers.insider, correction=pending_correction, accept=False, note="核实无误")
    assert reviewed.status == Correction.Status.REJECTED
    with pytest.raises(ApplicationError) as again:
        services.correction_review(user=callers.insider, correction=reviewed, accept=True)
    assert (again.value.status_code, again.value.code) == (400, "already_reviewed")


@pytest.mark.django_db
def test_a_comparison_of_another_district_is_not_found_and_without_the_role_forbidden(district):
    callers = five_callers(role="dispatcher", organization=district)
    with pytest.raises(NotFound):
        services.comparison_run(user=callers.outsider, region_code=district.region.code)
    for user in (callers.citizen, callers.merchant, AnonymousUser()):
        with pytest.raises(ApplicationError) as refused:
            services.comparison_run(user=user, region_code=district.region.code)
        assert refused.value.status_code == 403
    assert services.comparison_run(user=callers.insider, region_code=district.region.code).pk
