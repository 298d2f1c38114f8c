"""Side effects after commit: enqueued by name, run once the write commits, never raised to the caller."""
import pytest
from django.db import transaction

from apps.gbcp import aftercommit


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_by_name_runs_after_commit_and_not_on_rollback(monkeypatch):
    from celery import current_app

    calls = []
    current_app.loader.import_default_modules()
    task = current_app.tasks["apps.dispatch.tasks.prune_intake_keys"]
    monkeypatch.setattr(task, "delay", lambda *a, **k: calls.append(a))
    with transaction.atomic():
        aftercommit.enqueue("apps.dispatch.tasks.prune_intake_keys")
        assert calls == []
    assert calls == [()]
    with pytest.raises(RuntimeError), transaction.atomic():
        aftercommit.enqueue("apps.dispatch.tasks.prune_intake_keys")
        raise RuntimeError
    assert calls == [()]


@pytest.mark.django_db(transaction=True)
def test_an_unknown_task_name_is_logged_not_raised(caplog, monkeypatch):
    logged = []
    monkeypatch.setattr(aftercommit.logger, "exception", lambda message, *args: logged.append(message % args))
    with transaction.atomic():
        aftercommit.enqueue("apps.nowhere.tasks.missing")
    assert logged == ["after-commit effect celery:apps.nowhere.tasks.missing failed; the committed data stands"]
