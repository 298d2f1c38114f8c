"""The rules engine: every enabled rule is measured, and each cause it finds raises one supervision item, never two.

A cause is named by a key unique per rule (``<rule>:task:<id>``, ``<rule>:place:<id>:<first task>``, …) and the item's
``cause_key`` is unique in the database, so a second scan, or two scans at once, raise nothing new. Each item says why
it fired (the rule's parameters, the measured values, the explanation) and links to everything behind it.
"""
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from apps.supervision.models import Responsible
from apps.supervision.rulekinds import clean_parameters, explain
from apps.supervision.selectors import cause_keys_taken, district_bureau, enabled_rules
from apps.supervision.services.items import item_raise
from apps.supervision.services.rule_checks import CHECKS

logger = logging.getLogger("cityenforce.supervision")


@dataclass
class ScanReport:
    """What one scan found: per rule, the causes found, the items raised and those raised before."""

    rules: list = field(default_factory=list)  # (rule, found, raised, known)
    raised: list = field(default_factory=list)  # the items (or, in a dry run, the findings) that are new

    @property
    def raised_count(self) -> int:
        return len(self.raised)


def _responsible(rule, finding):
    if rule.responsible == Responsible.HANDLER and finding.handler is not None:
        return finding.handler
    return district_bureau(finding.region_code)


def rule_scan(*, rule, now=None, dry_run=False):
    """Measure one rule; raise an item per new cause (or, with ``dry_run``, only say which). Returns (found, new)."""
    now = now or timezone.now()
    params = clean_parameters(rule.kind, rule.parameters)
    findings = list(CHECKS[rule.kind](rule, params, now))
    taken = cause_keys_taken(f.cause_key for f in findings)
    new = []
    for finding in findings:
        if finding.cause_key in taken:
            continue
        organization = _responsible(rule, finding)
        if organization is None:
            logger.warning("supervision rule %s: no responsible unit for %s", rule.pk, finding.cause_key)
            continue
        if dry_run:
            new.append(finding)
            continue
        measured = {"rule": rule.name, "kind": rule.kind, "parameters": params, "values": finding.measured}
        item = item_raise(
            rule=rule, title=finding.title, body=explain(rule.kind, rule.template, params, finding.measured), cause_key=finding.cause_key,
            measured=measured, organization=organization, region_code=finding.region_code or settings.CITY_REGION_CODE, now=now,
            related_task_ids=finding.related_task_ids, **finding.links,
        )
        if item is not None:
            new.append(item)
    return findings, new


def rules_scan(*, now=None, dry_run=False, progress=None) -> ScanReport:
    """Every enabled rule in turn; ``progress(rule, found, new)`` is called after each (the command prints it)."""
    now = now or timezone.now()
    report = ScanReport()
    for rule in enabled_rules():
        found, new = rule_scan(rule=rule, now=now, dry_run=dry_run)
        report.rules.append((rule, len(found), len(new), len(found) - len(new)))
        report.raised.extend(new)
        if progress is not None:
            progress(rule, len(found), len(new))
    return report
