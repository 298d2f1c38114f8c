"""Markdown is rendered and sanitised: real XSS payloads come out inert; links are nofollow."""
import pytest

from apps.wiki import markup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"http://example.com\" onclick=\"steal()\" onmouseover=\"steal()\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<body onload=alert(1)>",
    "<form action=\"http://evil\"><input name=x></form>",
    "<object data=\"javascript:alert(1)\"></object>",
    "```\n<script>alert(1)</script>\n```",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_inert(payload):
    out = markup.render("前文\n\n" + payload + "\n\n后文").lower()
    for bad in ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "<iframe", "<style", "style=", "<svg",
                "<img", "<form", "<input", "<object", "data:text", "<math", "<body"):
        assert bad not in out, (payload, out)
    assert "前文" in out and "后文" in out


def test_code_keeps_the_characters_escaped():
    out = markup.render("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;" in out


def test_markdown_is_rendered_and_links_are_nofollow():
    out = markup.render("## 标题\n\n**重点** 见[条文](https://www.gov.cn/x)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h2>标题</h2>" in out and "<strong>重点</strong>" in out and "<table>" in out
    assert 'href="https://www.gov.cn/x"' in out and 'rel="nofollow noopener noreferrer"' in out


def test_plain_text_drops_markup_and_scripts():
    assert markup.plain_text("**当场**处罚<script>evil()</script>") .strip() == "当场处罚"
