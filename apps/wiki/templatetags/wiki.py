"""Wiki content on other apps' pages without their importing the wiki (a template tag is not a Python import).

``{% load wiki %}{% wiki_explanation case.cause %}`` on the case page: the pages explaining that case cause.
``{% wiki_standard item %}`` beside a checklist item: its standard. The first ``wiki_standard`` of a render reads the
pages of every item of the same checklist in one query and keeps them in the render context, so a checklist of
twenty items costs one query, not twenty.
"""
from django import template
from django.utils.safestring import mark_safe

from apps.wiki import markup, selectors

register = template.Library()


@register.filter
def wiki_markdown(text):
    """A Markdown text rendered and sanitised (safe)."""
    return mark_safe(markup.render(text))


@register.inclusion_tag("wiki/_explanation.html", takes_context=True)
def wiki_explanation(context, cause):
    user = context.get("user")
    pages = list(selectors.pages_explaining(user=user, field="causes", obj=cause)[:8])
    return {"pages": pages}


@register.inclusion_tag("wiki/_standard.html", takes_context=True)
def wiki_standard(context, item):
    if item is None or getattr(item, "pk", None) is None:
        return {"pages": []}
    cache = context.render_context.setdefault("wiki_standards", {})
    if item.pk not in cache:
        ids = list(type(item).objects.filter(checklist_id=item.checklist_id).values_list("pk", flat=True))
        found = selectors.pages_for_items(user=context.get("user"), item_ids=ids)
        cache.update({pk: found.get(pk, []) for pk in ids})
        cache.setdefault(item.pk, [])
    return {"pages": cache[item.pk]}
