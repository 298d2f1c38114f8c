"""OpenAPI post-processing: every operation documents the refusals the API really sends, in its error format."""

ERROR = {
    "type": "object",
    "description": "The API's one error format (apps.gbcp.api.errors).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"description": "per field, or empty"}},
            "required": ["code", "message", "details"],
        },
    },
    "required": ["error"],
}
OPEN311_ERROR = {
    "type": "array",
    "description": "Open311 GeoReport v2 errors.",
    "items": {"type": "object", "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}, "required": ["code", "description"]},
}
DESCRIPTIONS = {
    "400": "The request is not valid (fields, parameters, JSON nesting).",
    "401": "Not signed in, or the device or partner credentials are missing or wrong.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not there, or not yours (both look the same); also a page past the end.",
    "409": "The record changed state meanwhile.",
    "413": "The request body is too large.",
    "415": "The content type is not accepted.",
    "422": "An idempotency key was reused with a different body.",
    "429": "Too many requests; see Retry-After.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_errors(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOK: add the error responses (keeping any an operation already declares)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("Open311Error", OPEN311_ERROR)
    for path, operations in result.get("paths", {}).items():
        ref = {"$ref": "#/components/schemas/Open311Error" if path.startswith("/open311/") else "#/components/schemas/Error"}
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "429"]
            if method in WRITE_METHODS:
                codes += ["409", "413", "415", "422"]
            content = {"application/json": {"schema": ref}}
            if path.startswith("/open311/"):
                # Open311 answers in the format of the path's suffix, refusals too.
                content["text/xml"] = {"schema": {"type": "string", "description": "<errors><error><code/><description/></error></errors>"}}
            for code in codes:
                operation["responses"].setdefault(code, {"description": DESCRIPTIONS[code], "content": content})
    return result


LOCAL_TIME = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"


def local_times(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOK: a time of day here is local wall-clock time (Asia/Shanghai), "08:30:00".

    OpenAPI's ``format: time`` is RFC 3339's full-time, which needs an offset ("08:30:00+08:00"); a duty shift starting
    at 08:30 has none, so the schema says what the API really sends: HH:MM or HH:MM:SS.
    """

    def visit(node):
        if isinstance(node, dict):
            if node.get("format") == "time" and node.get("type") == "string":
                del node["format"]
                node["pattern"] = LOCAL_TIME
                node.setdefault("description", "Local time of day (Asia/Shanghai), HH:MM[:SS] · 当地时间")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
