"""Open311's two formats. XML is the one GeoReport v2 requires; its shape follows the specification's examples:
a root element per resource, one child per item, list fields as a plural element holding singular ones."""
import re
from io import StringIO
from xml.sax.saxutils import XMLGenerator

from rest_framework.renderers import BaseRenderer, JSONRenderer

# A list under a key is written as <key><item/>…</key> with these item names (GeoReport v2 and its discovery).
ITEM_NAMES = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


class Open311JSONRenderer(JSONRenderer):
    """JSON that says it is UTF-8 (the specification asks every format to say so)."""

    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    """text/xml with the XML declaration naming UTF-8. The view says the root and item element names
    (``xml_root``, ``xml_item``); errors are always <errors><error>…."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and response.status_code >= 400:
            root, item = "errors", "error"
        else:
            root, item = getattr(view, "xml_root", "response"), getattr(view, "xml_item", "item")
        out = StringIO()
        xml = XMLGenerator(out, encoding="UTF-8", short_empty_elements=True)
        xml.startDocument()
        xml.startElement(root, {})
        if isinstance(data, list):
            for row in data:
                _element(xml, item, row)
        elif isinstance(data, dict):
            for key, value in data.items():
                _element(xml, key, value)
        xml.endElement(root)
        xml.endDocument()
        return out.getvalue().encode("utf-8")


# Characters XML 1.0 cannot carry at all (control characters other than tab, newline, return; lone surrogates).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("\ufffd", str(value))


def _element(xml, name, value):
    xml.startElement(name, {})
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(xml, key, inner)
    elif isinstance(value, list):
        item = ITEM_NAMES.get(name, "item")
        for inner in value:
            _element(xml, item, inner)
    else:
        xml.characters(_text(value))
    xml.endElement(name)
