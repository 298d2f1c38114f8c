"""Fixtures of the task centre: points in 东城区 and categories with clear deadlines."""
import pytest
from django.contrib.gis.geos import Point



@pytest.fixture
def tiananmen():
    return Point(116.3976, 39.9042, srid=4326)


@pytest.fixture
def vendor_category(db):
    """无照经营游商-like street-order category handled by enforcement teams."""
    from apps.gbcp.models import Organization

    return Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()


@pytest.fixture
def squad_of():
    def find(task, role="officer"):
        return task.organization.memberships.filter(role=role).first().user if task.organization.memberships.filter(role=role).exists() else None

    return find


@pytest.fixture
def dhm_point():
    """A point inside 东华门街道 (110101001), found from the seeded street geometry."""
    from apps.gbcp.models import Region

    # Well inside the street: offsets of a few hundred metres stay in 东城区.
    return Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface
