"""Signals between apps that may not import each other (apps on one floor, kept apart by the import contracts).

The sender knows nothing of who listens; the listener connects in its ``AppConfig.ready``. A signal is sent inside
the sender's transaction, so what a listener writes commits or rolls back with it (a database write of the platform,
not an outside side effect: those still wait for the commit).
"""
from django.dispatch import Signal

# Sent by ledger when a 门前三包 zone has been assessed for a month; credit records the responsible business's
# performance. Arguments: assessment (ledger.FrontageAssessment), user (the assessor, or None for the system).
frontage_assessed = Signal()

# Sent by analytics when the command centre's big screen computes its figures for a viewer; a listener answers with
# a dict of the panels it fills (evaluation: {"rankings": …}) or None. Arguments: user (the viewer). Read only.
screen_panels = Signal()
