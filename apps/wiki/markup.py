"""Markdown of wiki pages, rendered by Markdown and sanitised by nh3 with an allow-list; and plain text for search.

Nothing a proposer writes can run in a reader's browser: raw HTML passes Markdown but not nh3, which keeps only the
tags and attributes below, drops ``script``/``style`` with their content, every ``on*`` attribute and ``style``, allows
only http(s) and mailto links and marks every link ``rel="nofollow noopener noreferrer"``.
"""
import html

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup",
    "blockquote", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "a", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def sanitise(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=LINK_REL,
                     strip_comments=True)


def render(text: str) -> str:
    """Safe HTML of a page's Markdown (mark it safe only after this)."""
    return sanitise(markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html"))


def plain_text(text: str) -> str:
    """The words a reader sees, without markup: what search indexes and snippets quote."""
    return html.unescape(nh3.clean(render(text), tags=set()))
