"""The project's domain error, mapped by the API and the web UI to one error format."""


class ApplicationError(Exception):
    """A domain rule is broken; ``code`` is stable, ``message`` is for people."""

    status_code = 400

    def __init__(self, message, *, code="application_error", details=None, status_code=None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code


class NotFound(ApplicationError):
    """Not there, or not yours: both look the same."""

    status_code = 404

    def __init__(self, message=None, **kwargs):
        from django.utils.translation import gettext as _

        super().__init__(message or _("Not found."), code="not_found", **kwargs)
