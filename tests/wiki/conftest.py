"""Fixtures of the wiki: the 东城 bureau, a page factory (as the system), the five callers of a role there."""
import itertools

import pytest

_serial = itertools.count(1)


@pytest.fixture
def dongcheng(db):
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东城区城市管理综合行政执法局")


@pytest.fixture
def make_page(db):
    from apps.wiki import services

    def make(*, title="测试页面", body="正文", kind="faq", visibility="public", region_code="110101", slug=None):
        return services.page_create(user=None, kind=kind, slug=slug or f"t-{next(_serial)}", title=title, body=body,
                                    reason="测试", visibility=visibility, region_code=region_code)

    return make


@pytest.fixture
def callers(dongcheng):
    """Legal reviewers: insider of 东城 (a moderator and editor of 东城's pages), outsider of another district."""
    from tests.personas import five_callers

    return five_callers(role="legal_reviewer", organization=dongcheng)
