"""Diffs between any two revisions: side by side and unified, escaped where shown."""
import pytest
from django.test import Client

from apps.wiki import diffs, services


def test_side_by_side_aligns_changes():
    rows = diffs.side_by_side("一\n二\n三", "一\n二改\n三\n四", context=None)
    kinds = [(r.kind, r.left, r.right) for r in rows]
    assert kinds == [("equal", "一", "一"), ("replace", "二", "二改"), ("equal", "三", "三"), ("insert", "", "四")]
    assert rows[3].left_no is None and rows[3].right_no == 4


def test_unified_marks_lines():
    lines = diffs.unified("a\nb", "a\nc", old_label="r1", new_label="r2")
    assert [l.kind for l in lines] == ["header", "header", "hunk", "context", "delete", "insert"]
    assert lines[4].text == "-b" and lines[5].text == "+c"


@pytest.mark.django_db
def test_diff_page_and_api_escape_the_text(make_page, api):
    page = make_page(title="差异", body="第一行\n第二行")
    services.page_edit(user=None, page=page, title="差异", body="第一行\n<script>alert(1)</script>", reason="试")
    services.page_edit(user=None, page=page, title="差异", body="第一行\n第三行", reason="再试")
    for mode in ("side", "unified"):
        html = Client().get(f"/wiki/p/{page.slug}/diff/?a=1&b=2&mode={mode}").content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    body = api.get(f"/api/wiki/pages/{page.slug}/diff/?a=1&b=3&mode=side").json()
    assert [r["kind"] for r in body["rows"] if r["kind"] != "equal"] == ["replace"]
    assert body["rows"][-1]["left"] == "第二行" and body["rows"][-1]["right"] == "第三行"
    assert api.get(f"/api/wiki/pages/{page.slug}/diff/?a=1&b=9").status_code == 404
