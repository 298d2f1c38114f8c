"""Files written inside a transaction leave with it: a file saved in an atomic block that rolls back is deleted.

Django has on_commit but no on_rollback. What it does have is the rule that a callback registered
with ``on_commit`` inside a block is dropped when that block (the outermost transaction, or a
savepoint) rolls back: ``run_on_commit`` is then rebuilt without it. So each saved file gets a small
keeper registered with ``on_commit``; committing calls it (the file stays), a rollback drops it, and
dropping it, with no one else holding it, runs ``weakref.finalize``, which deletes the file. The
write itself happens at once, so a full disk still fails the transaction instead of a committed row
pointing at nothing.

Outside any atomic block (autocommit) nothing can roll back, so the file simply stays.
"""
import logging
import weakref

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger("cityenforce.files")


class _Keeper:
    """Registered with on_commit; calling it means the transaction committed. Holds nothing that refers back to it."""

    __slots__ = ("state", "__weakref__")

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _discard_unless_committed(state: dict, storage, name: str) -> None:
    if state.get("committed"):
        return
    try:
        storage.delete(name)
    except Exception:  # a finaliser must not raise; the orphan check of the evidence command finds what is left
        logger.exception("could not delete %s after its transaction rolled back", name)


def delete_on_rollback(name: str, *, storage=None, using: str | None = None) -> str:
    """Delete the stored file ``name`` if the current transaction (or savepoint) rolls back; returns ``name``."""
    storage = storage or default_storage
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        return name
    state = {"committed": False}
    keeper = _Keeper(state)
    weakref.finalize(keeper, _discard_unless_committed, state, storage, name)
    transaction.on_commit(keeper, using=using)
    return name


def save_file_atomic(name: str, content, *, storage=None, using: str | None = None) -> str:
    """``storage.save(name, content)`` whose file is removed again if the surrounding transaction rolls back."""
    storage = storage or default_storage
    saved = storage.save(name, content)
    return delete_on_rollback(saved, storage=storage, using=using)


def save_field_file_atomic(field_file, name: str, content, *, using: str | None = None) -> str:
    """``instance.<file field>.save(name, content, save=False)`` with the same rollback guarantee; returns the stored name."""
    field_file.save(name, content, save=False)
    return delete_on_rollback(field_file.name, storage=field_file.storage, using=using)
