"""Helpers for ledger tests: files built in memory from demo places."""
import csv
import io

import pytest


def csv_bytes(header, rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def dongcheng_restaurant(db):
    """A 东城 restaurant with an operator, placed in 东华门街道 (110101001) where ``dhm_officer1`` serves
    (the small test city has few places per street)."""
    from apps.gbcp.models import Entity, Place, Region

    place = (
        Place.objects.filter(region__code__startswith="110101", kind=Place.Kind.RESTAURANT)
        .order_by("-operator_id", "id").first()
    )
    assert place is not None, "the demo has no restaurant in 东城"
    operator = place.operator or Entity.objects.order_by("id").first()
    Place.objects.filter(pk=place.pk).update(region=Region.objects.get(code="110101001"), operator=operator)
    return Place.objects.select_related("region", "operator").get(pk=place.pk)


@pytest.fixture
def dongcheng_officer(db):
    from apps.accounts.models import User

    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def citizen(db):
    from apps.accounts.models import User

    user, _ = User.objects.get_or_create(username="ledger_test_citizen", defaults={"display_name": "市民甲"})
    return user
