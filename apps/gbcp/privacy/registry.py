"""The registry of personal data: which records of which app hold it, whose it is, and how long it may stay.

Each app declares its own records in ``apps/<app>/privacy.py`` (called from its ``AppConfig.ready``), so the ground
floor knows every field without importing any app. The retention job (``retention.py``), the subject export
(``export.py``) and the data-protection officer's page read this registry and nothing else.

Evidence files and the evidence log (Merkle tree, signed heads) are never altered: a declaration on the evidence app
is refused here, so no rule can reach them. Case files are archives (档案) and keep what the law requires.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

BLANK = "blank"    # the empty string
NULL = "null"      # NULL (for unique fields: a marker or a blank would collide)
MASK = "mask"      # the public masking of apps.gbcp.masking (e.g. 张**, *******5678): idempotent
MARKER = "marker"  # the word MARKER in place of the value
ACTIONS = (BLANK, NULL, MASK, MARKER)
MARKER_TEXT = "已匿名"  # short enough for every name field; never a valid phone, ID or e-mail

# Apps whose rows no rule may touch: the evidence log's integrity is the point of it.
UNTOUCHABLE_APPS = frozenset({"evidence"})


@dataclass(frozen=True)
class PersonalField:
    """One field holding personal data: its name, its masking kind (apps.gbcp.masking) and how it is anonymised."""

    name: str
    kind: str
    action: str = BLANK


@dataclass(frozen=True)
class Retention:
    """When a record's personal data has expired: ``since`` (a date field, may cross a relation) is older than the
    period ``settings.PRIVACY_RETENTION[period]`` (days), and ``where`` holds (e.g. the task is closed); ``where`` may
    be a function of the cut-off moment (e.g. "every case of the person archived before it").

    ``delete`` removes the rows instead (only for rows that are nothing but personal data, such as sign-up codes);
    ``handled_by`` names another job that already enforces the period (listed, not run here)."""

    since: str
    period: str
    where: Q | Callable[[object], Q] | None = None
    delete: bool = False
    handled_by: str = ""


@dataclass(frozen=True)
class PersonalData:
    """A kind of record with personal data: ``key`` is unique (``<app>.<what>``), ``model`` a label ("dispatch.Task"),
    ``subject`` says whose data it is (a reporter, a case party), ``match`` the fields the subject export searches by
    kind ("phone", "id_number"), ``reason`` why the period is what it is."""

    key: str
    model: str
    fields: tuple[PersonalField, ...]
    subject: str
    retention: Retention | None = None
    match: dict = field(default_factory=dict)
    reason: str = ""

    def model_class(self):
        return apps.get_model(self.model)

    def period_days(self) -> int | None:
        if self.retention is None:
            return None
        return int(settings.PRIVACY_RETENTION[self.retention.period])


REGISTRY: dict[str, PersonalData] = {}


def register(*declarations: PersonalData) -> None:
    """Declare records with personal data; called from each app's ``AppConfig.ready`` (repeat calls are harmless)."""
    for item in declarations:
        app_label = item.model.split(".")[0].lower()
        if app_label in UNTOUCHABLE_APPS:
            raise ImproperlyConfigured(f"{item.key}: the {app_label} app is never altered by the retention job")
        for personal in item.fields:
            if personal.action not in ACTIONS:
                raise ImproperlyConfigured(f"{item.key}.{personal.name}: unknown action {personal.action!r}")
        if item.retention and item.retention.period not in settings.PRIVACY_RETENTION:
            raise ImproperlyConfigured(f"{item.key}: PRIVACY_RETENTION has no period {item.retention.period!r}")
        REGISTRY[item.key] = item


def declarations() -> list[PersonalData]:
    return [REGISTRY[key] for key in sorted(REGISTRY)]


def declaration(key: str) -> PersonalData:
    return REGISTRY[key]


def check_fields() -> list[str]:
    """Problems of the declarations against the models (run by a system check and the tests): fields that do not
    exist, a marker that does not fit, a NULL on a field that takes none, a blank on a unique field."""
    problems = []
    for item in declarations():
        model = item.model_class()
        changes = item.retention is not None and not item.retention.delete and not item.retention.handled_by
        for personal in item.fields:
            try:
                model_field = model._meta.get_field(personal.name)
            except Exception:  # FieldDoesNotExist: reported, not raised, so every problem shows at once
                problems.append(f"{item.key}: {item.model} has no field {personal.name}")
                continue
            if not changes:
                continue
            if personal.action == NULL and not model_field.null:
                problems.append(f"{item.key}: {personal.name} takes no NULL")
            if personal.action in (BLANK, MARKER) and model_field.unique:
                problems.append(f"{item.key}: {personal.name} is unique; use NULL")
            if personal.action == MARKER and (model_field.max_length or 0) < len(MARKER_TEXT):
                problems.append(f"{item.key}: {personal.name} is too short for the marker")
    return problems


def system_check(app_configs=None, **kwargs):
    """``manage.py check``: every declared field exists and its action fits it (gbcp.E101)."""
    return [Error(problem, id="gbcp.E101") for problem in check_fields()]
