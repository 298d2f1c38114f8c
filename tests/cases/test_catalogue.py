import json
import re
from collections import Counter

import pytest
from django.conf import settings

from apps.cases import catalogue
from apps.cases.catalogue import AREAS, CAUSES, LEVELS, REQUIRED_CODES

AREA_CODES = [code for code, _, _ in AREAS]


def demo_categories() -> dict[str, dict]:
    with open(settings.DEMO_DATA_DIR / "categories.json", encoding="utf-8") as fh:
        return {row["code"]: row for row in json.load(fh)}


def test_the_thirteen_areas_come_in_the_bureau_order():
    assert [(code, name) for code, name, _ in AREAS] == [
        ("01", "市容环境卫生"), ("02", "市政管理"), ("03", "公用事业"), ("04", "城市节水"), ("05", "园林绿化"),
        ("06", "环境保护"), ("07", "城市河湖"), ("08", "施工现场"), ("09", "城市停车"), ("10", "交通运输"),
        ("11", "流动无照经营"), ("12", "违法建设"), ("13", "无证导游"),
    ]
    assert AREAS[-1][2] == "Unlicensed tour guiding"
    assert all(english for _, _, english in AREAS)


def test_there_are_at_least_sixty_causes_with_unique_well_formed_codes():
    codes = [cause["code"] for cause in CAUSES]
    assert len(codes) >= 60
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{2}-\d{3}", code) for code in codes)
    assert len({cause["name"] for cause in CAUSES}) == len(CAUSES)


def test_every_area_has_at_least_two_causes_and_every_cause_a_known_area():
    counts = Counter(cause["area"] for cause in CAUSES)
    assert set(counts) == set(AREA_CODES)
    assert min(counts.values()) >= 2
    assert all(cause["code"].startswith(cause["area"] + "-") for cause in CAUSES)


def test_every_cause_has_exactly_the_agreed_keys_and_types():
    keys = {"code", "name", "area", "category_codes", "legal_basis", "penalty_basis", "simple_allowed", "serious_harm", "levels"}
    level_keys = {"level", "conditions", "harm", "fine_min", "fine_max", "warning_allowed"}
    for cause in CAUSES:
        assert set(cause) == keys, cause["code"]
        assert isinstance(cause["simple_allowed"], bool) and isinstance(cause["serious_harm"], bool)
        assert cause["legal_basis"].startswith("《") and cause["penalty_basis"].startswith("《"), cause["code"]
        assert "第" in cause["penalty_basis"] and "条" in cause["penalty_basis"], cause["code"]
        for level in cause["levels"]:
            assert set(level) == level_keys, cause["code"]
            assert isinstance(level["fine_min"], int) and isinstance(level["fine_max"], int)
            assert level["harm"] in LEVELS and level["conditions"].strip()


def test_levels_are_ordered_from_slight_to_serious_with_non_decreasing_fines():
    for cause in CAUSES:
        levels = cause["levels"]
        assert [level["level"] for level in levels] == list(LEVELS), cause["code"]
        for level in levels:
            assert 0 <= level["fine_min"] <= level["fine_max"], cause["code"]
        for lower, higher in zip(levels, levels[1:]):
            assert lower["fine_min"] <= higher["fine_min"], cause["code"]
            assert lower["fine_max"] <= higher["fine_max"], cause["code"]


def test_simple_procedure_is_only_allowed_where_the_lowest_level_fits_its_limits():
    # A warning, or a fine within 200 yuan (citizen) / 3,000 yuan (organisation): art. 51.
    for cause in CAUSES:
        lowest = cause["levels"][0]
        fits = lowest["warning_allowed"] or (lowest["fine_max"] > 0 and lowest["fine_min"] <= catalogue.SIMPLE_LIMIT_ORGANISATION)
        if cause["simple_allowed"]:
            assert fits, cause["code"]
        if lowest["fine_min"] > catalogue.SIMPLE_LIMIT_ORGANISATION and not lowest["warning_allowed"]:
            assert not cause["simple_allowed"], cause["code"]


def test_causes_with_high_statutory_minimums_are_general_procedure_only():
    for code in ("06-001", "08-001", "08-002", "03-001"):
        assert catalogue.cause_by_code(code)["simple_allowed"] is False
    assert catalogue.cause_by_code("01-011")["simple_allowed"] is True  # a written warning
    assert catalogue.cause_by_code("12-001")["simple_allowed"] is False  # demolition is never on the spot


def test_serious_harm_is_rare():
    flagged = [cause["code"] for cause in CAUSES if cause["serious_harm"]]
    assert 0 < len(flagged) <= len(CAUSES) // 5


def test_the_required_codes_exist_with_their_agreed_meanings():
    by_code = {cause["code"]: cause for cause in CAUSES}
    assert REQUIRED_CODES <= set(by_code)
    assert set(catalogue.REQUIRED_NAMES) == REQUIRED_CODES
    for code, name in catalogue.REQUIRED_NAMES.items():
        assert by_code[code]["name"] == name


def test_known_statutory_ranges_are_kept():
    def span(code):
        levels = catalogue.cause_by_code(code)["levels"]
        return levels[0]["fine_min"], levels[-1]["fine_max"]

    assert span("06-001") == (5000, 50000)  # 大气污染防治法 art. 118(1)
    assert span("06-002") == (500, 20000)  # 大气污染防治法 art. 118(3)
    assert span("08-001") == (10000, 100000)  # 大气污染防治法 art. 115
    assert span("08-002") == (10000, 100000)  # 噪声污染防治法 art. 77
    assert span("02-001") == (0, 20000)  # 城市道路管理条例 art. 42
    assert span("11-001") == (0, 10000)  # 无证无照经营查处办法 art. 13
    assert span("13-001") == (1000, 10000)  # 旅游法 art. 102


def test_every_category_code_is_a_leaf_of_the_demo_catalogue_file():
    categories = demo_categories()
    for cause in CAUSES:
        for code in cause["category_codes"]:
            assert code in categories, (cause["code"], code)
            assert categories[code]["deadline_unit"], (cause["code"], code)  # leaves carry a deadline


def test_the_enforcement_event_categories_have_a_cause():
    linked = {code for cause in CAUSES for code in cause["category_codes"]}
    for code in ("E0502", "E0110", "E0507", "E0802", "E0304", "E0302", "E0501", "E0702", "E0511", "E0204"):
        assert code in linked


@pytest.mark.django_db
def test_every_category_code_exists_in_the_seeded_gbcp_catalogue():
    from apps.gbcp.models import Category

    wanted = {code for cause in CAUSES for code in cause["category_codes"]}
    found = set(Category.objects.filter(code__in=wanted).exclude(deadline_unit="").values_list("code", flat=True))
    assert found == wanted


def test_lookups_by_code_category_and_area():
    assert catalogue.cause_by_code("06-002")["name"] == "露天烧烤"
    assert catalogue.cause_by_code("99-999") is None
    assert [cause["code"] for cause in catalogue.causes_for_category("E0502")] == ["01-001"]
    assert catalogue.area_name("12") == "违法建设" and catalogue.area_name("99") == ""


def test_provisional_causes_are_real_codes():
    assert catalogue.PROVISIONAL <= {cause["code"] for cause in CAUSES}


def test_the_documentation_lists_every_cause_and_marks_the_provisional_ones():
    text = (settings.BASE_DIR / "docs" / "CASE_CAUSES.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if re.match(r"\| \d{2}-\d{3} \|", line)}
    assert set(rows) == {cause["code"] for cause in CAUSES}
    for cause in CAUSES:
        assert cause["name"] in rows[cause["code"]]
        assert ("provisional" in rows[cause["code"]]) == (cause["code"] in catalogue.PROVISIONAL)
