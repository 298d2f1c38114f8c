"""The plain select renders what Django's Select renders (same options, selection, groups and escaping)."""
from html.parser import HTMLParser

import pytest
from django import forms

from apps.gbcp.forms import PlainSelect

CHOICES = [("", "任意")] + [(f"C{i:03}", f"C{i:03} 名称<{i}>&\"") for i in range(40)] + [("组<1>", [("a", "A"), ("b", 'B"')]), (7, "seven")]


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.events = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", data.strip()))


@pytest.mark.parametrize("value", ["", "C005", "b", 7, ["C001"], None, "<not there>"])
def test_same_markup_as_django_select(value):
    attrs = {"id": "id_category", "data-search": "x\"y"}
    expected = forms.Select(choices=CHOICES).render("category", value, attrs=attrs)
    got = PlainSelect(choices=CHOICES).render("category", value, attrs=attrs)
    assert Tree(got).events == Tree(expected).events


def test_labels_and_values_are_escaped():
    html = PlainSelect(choices=[('"><script>', "<b>x</b>")]).render("q", "")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_form_field_uses_it_and_keeps_the_submitted_value():
    class F(forms.Form):
        kind = forms.ChoiceField(choices=[("", "any"), ("x", "X"), ("y", "Y")], widget=PlainSelect, required=False)

    html = str(F({"kind": "y"})["kind"])
    assert '<option value="y" selected>Y</option>' in html and 'name="kind"' in html and 'id="id_kind"' in html
