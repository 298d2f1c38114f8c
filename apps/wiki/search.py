"""Chinese full-text search of wiki pages: jieba (search mode) terms, the database's full-text match, our own BM25.

Indexing (``index_page``, called by the services in the transaction that writes a revision): the page's title and plain
text are segmented into terms; ``PageIndex.terms`` keeps them space-separated, ``PageTerm`` their frequencies, and on
SQLite the FTS5 table ``wiki_fts`` (rowid = page id) the same terms (on PostgreSQL the GIN index over
``to_tsvector('simple', terms)`` follows the row by itself).

Searching (``search``): the query is segmented the same way; the database returns the candidate pages that hold any
term (FTS5 ``MATCH`` on SQLite, ``@@`` on PostgreSQL); we score them with BM25 computed here from ``PageTerm``
(term and document frequencies) and ``PageIndex.length``, so both backends rank the same candidates identically.
"""
import math
import re
from collections import Counter
from dataclasses import dataclass

import jieba
from django.db import connection
from django.db.models import Avg, Count
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.wiki import markup
from apps.wiki.models import PageIndex, PageTerm

jieba.setLogLevel(60)  # jieba logs its dictionary load at INFO on first use

K1, B = 1.2, 0.75
TITLE_WEIGHT = 3  # the title's terms count three times: a page about the thing ranks above a page mentioning it
MAX_TERM = 64
MAX_QUERY_TERMS = 12
WORD = re.compile(r"\w+")


def terms_of(text: str) -> list[str]:
    """jieba's search-mode terms, lowercased; every term a run of word characters (what FTS5 and 'simple' keep whole)."""
    found = []
    for token in jieba.cut_for_search(text or ""):
        for word in WORD.findall(token.lower()):
            if word != "_" and len(word) <= MAX_TERM:
                found.append(word)
    return found


def query_terms(q: str) -> list[str]:
    seen = []
    for term in terms_of(q):
        if term not in seen:
            seen.append(term)
    return seen[:MAX_QUERY_TERMS]


def document_terms(title: str, body: str) -> list[str]:
    return terms_of(title) * TITLE_WEIGHT + terms_of(markup.plain_text(body))


def index_page(page, *, title: str, body: str) -> None:
    terms = document_terms(title, body)
    PageIndex.objects.update_or_create(page=page, defaults={"terms": " ".join(terms), "length": len(terms)})
    PageTerm.objects.filter(page=page).delete()
    PageTerm.objects.bulk_create([PageTerm(page=page, term=t, tf=n) for t, n in Counter(terms).items()])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM wiki_fts WHERE rowid = %s", [page.pk])
            cursor.execute("INSERT INTO wiki_fts (rowid, terms) VALUES (%s, %s)", [page.pk, " ".join(terms)])


def unindex_page(page_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM wiki_fts WHERE rowid = %s", [page_id])


def candidate_ids(terms: list[str]) -> set[int]:
    """Pages holding any of the terms, as the database's full-text engine finds them."""
    if not terms:
        return set()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " OR ".join('"%s"' % t for t in terms)  # terms are \w+ only: no quote can appear inside
            cursor.execute("SELECT rowid FROM wiki_fts WHERE wiki_fts MATCH %s", [match])
        else:
            query = " | ".join(terms)  # \w+ only: nothing of tsquery's syntax
            cursor.execute("SELECT page_id FROM wiki_pageindex WHERE to_tsvector('simple', terms) @@ to_tsquery('simple', %s)",
                           [query])
        return {row[0] for row in cursor.fetchall()}


@dataclass
class Hit:
    page: object
    score: float
    snippet: str


def bm25(*, terms, candidates, pages) -> dict[int, float]:
    """BM25 of each candidate over the collection ``pages`` (a queryset of the pages the caller may read)."""
    if not candidates:
        return {}
    collection = PageIndex.objects.filter(page__in=pages)
    stats = collection.aggregate(n=Count("pk"), avg=Avg("length"))
    n, avgdl = stats["n"] or 0, float(stats["avg"] or 1.0) or 1.0
    df = dict(PageTerm.objects.filter(page__in=pages, term__in=terms).values("term").annotate(n=Count("pk")).values_list("term", "n"))
    tf = {}
    for page_id, term, count in PageTerm.objects.filter(page_id__in=candidates, term__in=terms).values_list("page_id", "term", "tf"):
        tf.setdefault(page_id, {})[term] = count
    lengths = dict(PageIndex.objects.filter(page_id__in=candidates).values_list("page_id", "length"))
    scores = {}
    for page_id in candidates:
        dl, score = lengths.get(page_id, 0), 0.0
        for term in terms:
            f = tf.get(page_id, {}).get(term, 0)
            if not f:
                continue
            idf = math.log(1 + (n - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5))
            score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * dl / avgdl))
        scores[page_id] = round(score, 9)  # rounded so float noise cannot reorder equal scores across backends
    return scores


def search(*, q: str, pages, limit: int = 50) -> list[Hit]:
    """Pages of ``pages`` matching ``q``, best first (ties by title, then id), each with a highlighted snippet."""
    terms = query_terms(q)
    readable = set(pages.values_list("pk", flat=True))
    candidates = candidate_ids(terms) & readable
    scores = bm25(terms=terms, candidates=candidates, pages=pages)
    found = {p.pk: p for p in pages.filter(pk__in=[pk for pk, s in scores.items() if s > 0]).select_related("current")}
    ordered = sorted(found.values(), key=lambda p: (-scores[p.pk], p.title, p.pk))[:limit]
    return [Hit(p, scores[p.pk], snippet(markup.plain_text(p.current.body if p.current else ""), terms)) for p in ordered]


def highlight(text: str, terms) -> str:
    """``text`` escaped, with the runs of term occurrences wrapped in <mark> (adjacent terms form one mark)."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    spans = []
    for m in pattern.finditer(text):
        if spans and m.start() <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], m.end())
        else:
            spans.append([m.start(), m.end()])
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append("<mark>%s</mark>" % escape(text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms, *, width: int = 120) -> str:
    text = " ".join((text or "").split())
    lowered, first = text.lower(), None
    for term in sorted(terms, key=len, reverse=True):
        at = lowered.find(term)
        if at >= 0 and (first is None or at < first):
            first = at
    start = max(0, (first or 0) - width // 3)
    piece = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)
