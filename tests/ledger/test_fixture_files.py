"""The sample files in fixtures/ledger import as documented: good rows in, each bad row with its reason."""
from pathlib import Path

import pytest

from apps.ledger import services

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ledger"


@pytest.mark.parametrize("name", ["licences-sample.csv", "licences-sample-gb18030.csv", "licences-sample.xlsx"])
def test_the_sample_licence_files_import_alike(name, admin_user):
    with (FIXTURES / name).open("rb") as handle:
        report = services.ledger_import(user=admin_user, kind="licences", file=handle, file_name=name, department="示例")
    codes = {e.row: e.code for e in report.errors}
    assert {codes.get(6), codes.get(7), codes.get(8), codes.get(9)} == {"invalid_uscc", "invalid_city_code", "unknown_kind", "date_order"}
    assert report.created + report.unchanged + report.updated >= 2  # both licences of the first demo place


def test_the_sample_zone_and_key_point_files_import(admin_user):
    with (FIXTURES / "zones-sample.csv").open("rb") as handle:
        zones = services.ledger_import(user=admin_user, kind="zones", file=handle, file_name="zones-sample.csv", department="示例")
    assert zones.created == 2 and [e.code for e in zones.errors] == ["unknown_duty"]
    with (FIXTURES / "key-points-sample.csv").open("rb") as handle:
        points = services.ledger_import(user=admin_user, kind="key_points", file=handle, file_name="key-points-sample.csv", department="示例")
    assert points.created == 2 and [e.code for e in points.errors] == ["invalid_interval"]


def test_the_sample_entity_and_place_files_import_as_documented(admin_user):
    with (FIXTURES / "entities-sample.csv").open("rb") as handle:
        entities = services.ledger_import(user=admin_user, kind="entities", file=handle, file_name="entities-sample.csv", department="东城区市场监督管理局")
    assert entities.created == 3
    assert {e.row: e.code for e in entities.errors} == {5: "invalid_uscc", 6: "no_region", 7: "invalid_phone"}
    with (FIXTURES / "places-sample.csv").open("rb") as handle:
        places = services.ledger_import(user=admin_user, kind="places", file=handle, file_name="places-sample.csv", department="东城区市场监督管理局")
    assert places.created == 2
    assert {e.row: e.code for e in places.errors} == {4: "unknown_crs", 5: "outside_city", 6: "missing_key", 7: "unknown_kind"}
