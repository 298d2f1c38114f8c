"""JSON with limits: a body too large is refused with 413, nesting too deep or broken JSON with 400.

Python's own JSON decoder recurses once per level, so ``"[" * 100000`` ends in a RecursionError (a 500)
unless the depth is bounded before anything reaches it; orjson stops at 1024 levels by itself and is
used first, the standard decoder only for what orjson refuses but JSON allows (integers beyond 64 bits).
"""
import io
import json

import orjson
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


class JSONTooDeep(ValueError):
    pass


class JSONTooLarge(ValueError):
    """More bytes than the limit (JSON or form)."""


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def max_depth():
    return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def max_bytes():
    return getattr(settings, "API_JSON_MAX_BYTES", DEFAULT_MAX_BYTES)


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def deeper_than(data, limit):
    """True when lists and objects nest more than ``limit`` levels (a scalar is level 0); no recursion."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def loads(raw, *, depth=None):
    """Bytes to Python, or JSONTooDeep / ValueError (not JSON, NaN, Infinity, bad UTF-8)."""
    depth = depth or max_depth()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc).lower() or "recursion" in str(exc).lower():
            raise JSONTooDeep(str(exc)) from None
        try:
            data = json.loads(raw, parse_constant=_refuse_constant)
        except RecursionError:
            raise JSONTooDeep("too deep") from None
    if isinstance(data, (dict, list)) and deeper_than(data, depth):
        raise JSONTooDeep("too deep")
    return data


def read_limited(stream, limit):
    """At most ``limit`` bytes of the stream, or JSONTooLarge."""
    raw = stream.read(limit + 1) if stream is not None else b""
    if len(raw) > limit:
        raise JSONTooLarge(limit)
    return raw


def parse_error_for(exc):
    if isinstance(exc, JSONTooDeep):
        return exceptions.ParseError(_("The JSON is nested more than %(depth)d levels deep.") % {"depth": max_depth()})
    return exceptions.ParseError(_("The body is not valid JSON."))


def _read_body(stream, parser_context, limit: int) -> bytes:
    """The body, refused with 413 by its declared length before reading, or once more than ``limit`` bytes arrive."""
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge()
    try:
        return read_limited(stream, limit)
    except JSONTooLarge:
        raise RequestTooLarge() from None


class BoundedJSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size limit (413) and a nesting limit (400), both in the project's error format."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = _read_body(stream, parser_context, max_bytes())
        if not raw.strip():
            raise exceptions.ParseError(_("The body is empty; send a JSON value."))
        try:
            return loads(raw)
        except ValueError as exc:
            raise parse_error_for(exc) from None


class BoundedFormParser(parsers.FormParser):
    """DRF's form parser reads the whole body whatever its size; here it stops at DATA_UPLOAD_MAX_MEMORY_SIZE (413)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            stream = io.BytesIO(_read_body(stream, parser_context, limit))
        return super().parse(stream, media_type, parser_context)
