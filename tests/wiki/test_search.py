"""Chinese search: jieba terms, the database's full-text candidates, BM25 computed by us (same order on both backends)."""
import math

import pytest
from django.db import connection, transaction

from apps.wiki import search, selectors, services
from apps.wiki.models import Page, PageIndex, PageTerm

pytestmark = pytest.mark.django_db

# Made-up words, so the demo's pages never match: 蓝鲸灯塔 (blue-whale lighthouse), 紫藤邮局 (wisteria post office).
DOCS = [
    ("a", "蓝鲸灯塔管理办法", "蓝鲸灯塔 的 开放 时间 与 蓝鲸灯塔 的 维护。"),
    ("b", "港口须知", "港口 旁 有 一座 蓝鲸灯塔。" + " 其他 内容" * 30),
    ("c", "邮政须知", "紫藤邮局 与 蓝鲸灯塔 相邻，紫藤邮局 营业 到 晚上。"),
    ("d", "无关页面", "完全 无关 的 内容。"),
]


@pytest.fixture
def docs(make_page):
    return {key: make_page(title=title, body=body, slug=f"s-{key}-{n}") for n, (key, title, body) in enumerate(DOCS)}


def _independent_bm25(terms, page_ids, pages):
    """BM25 written out again from the stored terms (not from PageTerm), for the candidates among ``pages``."""
    index = {i.page_id: i.terms.split() for i in PageIndex.objects.filter(page__in=pages)}
    n, avgdl = len(index), sum(len(t) for t in index.values()) / len(index)
    scores = {}
    for pk in page_ids:
        words, score = index[pk], 0.0
        for term in terms:
            df = sum(1 for t in index.values() if term in t)
            f = words.count(term)
            if f:
                score += math.log(1 + (n - df + 0.5) / (df + 0.5)) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len(words) / avgdl))
        scores[pk] = score
    return scores


def test_terms_are_jieba_search_mode_words():
    terms = search.terms_of("行政处罚法第五十一条")
    assert "行政" in terms and "处罚" in terms and "行政处罚法" in terms
    assert all(t.isalnum() for t in terms)
    assert search.terms_of("<script>alert('x')</script>") == ["script", "alert", "x", "script"]


def test_ranking_is_bm25_over_the_database_candidates(docs):
    visitors = selectors.pages_for_user(user=None)
    hits = search.search(q="蓝鲸灯塔", pages=visitors)
    # a: title and body (tf high, short); c: body once; b: body once but long; d: no match.
    assert [h.page.pk for h in hits] == [docs["a"].pk, docs["c"].pk, docs["b"].pk]
    expected = _independent_bm25(search.query_terms("蓝鲸灯塔"), [h.page.pk for h in hits], visitors)
    for hit in hits:
        assert hit.score == pytest.approx(expected[hit.page.pk], rel=1e-6)


def test_candidates_come_from_the_backend_full_text_and_agree_with_the_term_table(docs):
    terms = search.query_terms("紫藤邮局 灯塔")
    from_fts = search.candidate_ids(terms)
    from_table = set(PageTerm.objects.filter(term__in=terms).values_list("page_id", flat=True))
    assert from_fts == from_table and docs["c"].pk in from_fts and docs["d"].pk not in from_fts


def test_the_same_order_on_every_backend(docs):
    """The one expected order, asserted on SQLite and on PostgreSQL runs alike (CI runs both)."""
    hits = search.search(q="紫藤邮局 蓝鲸灯塔", pages=selectors.pages_for_user(user=None))
    assert [h.page.title for h in hits] == ["邮政须知", "蓝鲸灯塔管理办法", "港口须知"], connection.vendor


def test_highlight_is_escaped_and_marked(make_page):
    page = make_page(title="高亮", body="注意 <b>蓝鲸灯塔</b> & 其他")
    hit = search.search(q="蓝鲸灯塔", pages=Page.objects.filter(pk=page.pk))[0]
    assert "<mark>蓝鲸灯塔</mark>" in hit.snippet and "<b>" not in hit.snippet and "&amp;" in hit.snippet
    assert search.highlight("<x>灯塔</x>", ["灯塔"]) == "&lt;x&gt;<mark>灯塔</mark>&lt;/x&gt;"
    assert search.highlight("蓝鲸灯塔和灯塔", ["蓝鲸", "灯塔"]) == "<mark>蓝鲸灯塔</mark>和<mark>灯塔</mark>"


def test_staff_only_pages_are_found_only_by_staff(make_page, callers):
    page = make_page(title="内部蓝鲸灯塔规程", body="蓝鲸灯塔 内部", visibility="staff")
    assert page.pk not in [h.page.pk for h in search.search(q="蓝鲸灯塔", pages=selectors.pages_for_user(user=callers.citizen))]
    assert page.pk in [h.page.pk for h in search.search(q="蓝鲸灯塔", pages=selectors.pages_for_user(user=callers.outsider))]


def test_the_index_follows_edits_in_the_same_transaction(make_page):
    page = make_page(title="同步", body="旧词 紫藤邮局")
    services.page_edit(user=None, page=page, title="同步", body="新词 蓝鲸灯塔", reason="改")
    new, old = search.query_terms("蓝鲸灯塔"), search.query_terms("紫藤邮局")
    assert page.pk in search.candidate_ids(new) and page.pk not in search.candidate_ids(old)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.page_edit(user=None, page=page, title="同步", body="回滚词 紫藤邮局", reason="改")
        raise RuntimeError
    assert page.pk in search.candidate_ids(new) and page.pk not in search.candidate_ids(old)


def test_the_backend_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'wiki_fts'")
            assert "fts5" in cursor.fetchone()[0].lower()
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'wiki_pageindex_terms_gin'")
            assert "gin" in cursor.fetchone()[0].lower()


def test_search_api_and_page(docs, api):
    body = api.get("/api/wiki/search/?q=蓝鲸灯塔").json()
    assert [h["page"]["slug"] for h in body][:3] == [docs["a"].slug, docs["c"].slug, docs["b"].slug]
    assert "<mark>" in body[0]["snippet"]
    assert api.get("/api/wiki/search/").status_code == 400
    html = api.get("/wiki/search/?q=蓝鲸灯塔").content.decode()
    assert "<mark>蓝鲸灯塔</mark>" in html and docs["a"].title in html
