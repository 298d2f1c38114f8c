"""Every write of supervision: the item's steps (``items``) and the rules engine (``rules``).

``from apps.supervision import services; services.item_dispatch(...)``: the public names of the modules are here.
"""
from apps.supervision.services.items import (
    item_archive,
    item_close,
    item_create,
    item_dispatch,
    item_handle,
    item_raise,
    item_review,
    item_sign,
    items_warn,
)
from apps.supervision.services.rule_config import rule_save
from apps.supervision.services.rules import ScanReport, rule_scan, rules_scan

__all__ = [
    "ScanReport", "item_archive", "item_close", "item_create", "item_dispatch", "item_handle", "item_raise", "item_review", "item_sign",
    "items_warn", "rule_save", "rule_scan", "rules_scan",
]
