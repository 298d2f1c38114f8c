import pytest

from apps.gbcp.masking import Clearance, clearance_for, mask

P, S, F = Clearance.PUBLIC, Clearance.STAFF, Clearance.FULL


@pytest.mark.parametrize(
    "kind,value,public,staff",
    [
        ("id_number", "11010519491231002X", "1****************X", "110105********002X"),
        ("phone", "13812345678", "*******5678", "138****5678"),
        ("plate", "京A12345", "京A****5", "京A1**45"),
        ("name", "张三丰", "张**", "张三丰"),
        ("address", "北京市东城区东华门大街12号院3号楼", "北京市东城区东华门大街****", "北京市东城区东华门大街12号院3号楼"),
    ],
)
def test_each_clearance_sees_as_much_as_it_may(kind, value, public, staff):
    assert mask(kind, value, P) == public
    assert mask(kind, value, S) == staff
    assert mask(kind, value, F) == value


def test_empty_values_stay_empty():
    assert mask("phone", None, P) == ""
    assert mask("name", "", P) == ""


@pytest.mark.django_db
def test_clearance_follows_the_role(insider, legal_reviewer, analyst, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert clearance_for(AnonymousUser()) == P
    assert clearance_for(analyst) == P
    assert clearance_for(insider) == S
    assert clearance_for(legal_reviewer) == F
    assert clearance_for(admin_user) == F


@pytest.mark.django_db
def test_the_entity_api_masks_the_contact_by_clearance(api_as, insider, legal_reviewer):
    from apps.gbcp.models import Entity

    entity = Entity.objects.filter(region__code__startswith="110101").order_by("id").first()
    staff_view = api_as(insider).get(f"/api/gbcp/entities/{entity.pk}/").json()
    full_view = api_as(legal_reviewer).get(f"/api/gbcp/entities/{entity.pk}/").json()
    assert full_view["contact_phone"] == entity.contact_phone
    assert staff_view["contact_phone"] == entity.contact_phone[:3] + "****" + entity.contact_phone[-4:]
    assert staff_view["legal_representative"] == entity.legal_representative
