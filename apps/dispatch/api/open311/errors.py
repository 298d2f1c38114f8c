"""Open311's own refusals: every error as ``[{"code", "description"}]``, never the project's ``{"error": …}`` body."""
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from apps.gbcp.errors import ApplicationError


def error_response(status_code, description):
    return Response([{"code": status_code, "description": str(description)}], status=status_code)


class Open311Error(exceptions.APIException):
    status_code = 400


def _flatten(detail, prefix=""):
    """DRF's nested error detail as "field: message" lines."""
    if isinstance(detail, dict):
        return [line for key, value in detail.items() for line in _flatten(value, f"{key}: " if key != "non_field_errors" else "")]
    if isinstance(detail, list):
        return [line for item in detail for line in _flatten(item, prefix)]
    return [f"{prefix}{detail}"]


def open311_exception_handler(exc, context):
    """Every refusal as [{"code", "description"}], never the project's {"error": …} body."""
    if isinstance(exc, ApplicationError):
        return Response([{"code": exc.status_code, "description": str(exc.message)}], status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    lines = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else [str(exc.detail)]
    return Response([{"code": exc.status_code, "description": line} for line in lines], status=exc.status_code)
