"""Every write of the task centre, by noun: intake, duplicates, the workflow steps, deferrals (挂账/销账),
whistles (吹哨报到), the deadline sweep, partners with their replies, and the reporter's rating (综合评价, 重办).

``from apps.dispatch import services; services.task_dispatch(...)`` keeps working: the public names of the
modules are here.
"""
from apps.dispatch.services._common import MAX_PHOTOS
from apps.dispatch.services.action_keys import ActionAnswer, officer_action_idempotent, officer_action_keys_prune
from apps.dispatch.services.deadlines import deadlines_sweep
from apps.dispatch.services.deferrals import deferral_approve, deferral_write_off, task_defer
from apps.dispatch.services.duplicates import duplicate_decide
from apps.dispatch.services.intake import (
    TRACKING_ALPHABET,
    IntakeAnswer,
    IntakeResult,
    hotline_ticket_receive,
    intake_keys_prune,
    open311_request_create,
    task_intake,
    task_intake_idempotent,
    task_intake_with_photos,
)
from apps.dispatch.services.partners import (
    outbox_deliver,
    outbox_deliver_due,
    outbox_enqueue,
    partner_ensure,
    partner_rotate_hotline_secret,
    partner_rotate_open311_key,
)
from apps.dispatch.services.ratings import (
    RatingLinkError,
    rate_task,
    rating_link_send,
    rating_status,
    rating_token,
    rating_url,
    task_for_rating_token,
)
from apps.dispatch.services.steps import (
    task_accept,
    task_arrive,
    task_dispatch,
    task_escalate,
    task_feedback,
    task_refer,
    task_return,
    task_set_category,
    task_verify,
)
from apps.dispatch.services.whistles import summons_report_in, whistle_blow

__all__ = [
    "ActionAnswer", "officer_action_idempotent", "officer_action_keys_prune",
    "MAX_PHOTOS", "TRACKING_ALPHABET", "IntakeAnswer", "IntakeResult", "deadlines_sweep", "deferral_approve", "deferral_write_off",
    "duplicate_decide", "hotline_ticket_receive", "intake_keys_prune", "open311_request_create", "outbox_deliver",
    "outbox_deliver_due", "outbox_enqueue", "partner_ensure", "partner_rotate_hotline_secret", "partner_rotate_open311_key",
    "RatingLinkError", "rate_task", "rating_link_send", "rating_status", "rating_token", "rating_url", "task_for_rating_token",
    "summons_report_in", "task_accept", "task_arrive", "task_defer", "task_dispatch", "task_escalate", "task_feedback",
    "task_intake", "task_intake_idempotent", "task_intake_with_photos", "task_refer", "task_return", "task_set_category",
    "task_verify", "whistle_blow",
]
