"""Schemathesis over /api/schema/ against the live WSGI app, as a staff user (token) and anonymously.

Skipped unless RUN_SCHEMATHESIS=1 (CI runs it on the PostgreSQL leg). Examples are few per operation
and derandomized, so a failure is reproducible and the run stays within a few minutes. The checks: no
server error, only documented status codes, documented content types and response shapes (valid
inputs); no server error and the documented content type (invalid inputs). The operations are walked with
schemathesis' Python API rather than its pytest plugin, whose parametrize does not run under pytest 9.
"""
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

pytestmark = [
    pytest.mark.schemathesis,
    pytest.mark.skipif(os.environ.get("RUN_SCHEMATHESIS") != "1", reason="set RUN_SCHEMATHESIS=1 to run schemathesis"),
]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def live_wsgi(db):
    """The project's WSGI app inside the test's transaction: the request signals must not close its connection."""
    from cityenforce.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(live_wsgi):
    return schemathesis.openapi.from_wsgi("/api/schema/", live_wsgi)


@pytest.fixture
def staff_headers(db):
    from apps.accounts.models import User
    from apps.accounts.services import api_token_issue

    _row, secret = api_token_issue(user=User.objects.get(username="dc_dispatcher"))
    return {"Authorization": f"Token {secret}", "Accept-Language": "en"}


def exercise(schema, headers, skip=()):
    """Every operation, valid inputs (every check) and invalid inputs (no 5xx, the documented content type)."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(skip):
            continue
        for mode, checks in ((schemathesis.GenerationMode.POSITIVE, CHECKS), (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_CHECKS)):
            @HYPOTHESIS
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            try:
                run()
            except Unsatisfiable:
                pass  # no parameters and no body: nothing to make invalid
            except (Exception, BaseExceptionGroup) as exc:  # every failing operation, all in one report
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    return failures


def test_the_api_keeps_its_schema_for_staff(api_schema, staff_headers):
    # Revoking the caller's own tokens would sign the rest of the run out; the anonymous run covers those paths.
    failures = exercise(api_schema, staff_headers, skip=("/api/accounts/token/revoke",))
    assert not failures, "\n\n".join(failures)


def test_the_api_keeps_its_schema_for_anonymous_callers(api_schema):
    failures = exercise(api_schema, {"Accept-Language": "en"})
    assert not failures, "\n\n".join(failures)
