"""Setting the acting user for django-simple-history, also outside requests."""
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Within this block, every history record names ``user`` (services, tasks, commands)."""
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)
    # A real request (from the middleware) already carries its user; keep it unless the service says otherwise.
    context.request = SimpleNamespace(user=user) if user is not None else previous
    try:
        yield
    finally:
        if had_request:
            context.request = previous
        else:
            try:
                del context.request
            except AttributeError:
                pass
