"""Each app's settings (dispatch, devices, evidence, cases, ledger, inspection, …) and the periodic jobs of the
beat schedule (Celery beat in production, ``manage.py run_periodic`` in the embedded default). Every value can come
from the environment where it differs between deployments."""
import os
from pathlib import Path

from cityenforce.settings.base import DEMO_MODE, TIME_ZONE, VAR_DIR

# --- lists ---------------------------------------------------------------------
# Above this many rows (as PostgreSQL's planner estimates them) a list shows the estimate instead of an exact count
# (apps/gbcp/paging.py): an exact COUNT(*) over a million tasks reads them all.
PAGING_EXACT_COUNT_LIMIT = int(os.environ.get("PAGING_EXACT_COUNT_LIMIT", "50000"))

# --- dispatch task centre ----------------------------------------------------
# "paraphrase" (apps/dispatch/dedup_text.py: meaning-bearing words, the named problem, places; measured through
# intake in docs/INTELLIGENCE.md) or "bigram" (the former character-bigram Jaccard, kept to compare with).
DISPATCH_DEDUP_SCORING = os.environ.get("DISPATCH_DEDUP_SCORING", "paraphrase")
DISPATCH_DEDUP_DEFAULTS = {"radius_m": 150, "window_hours": 72, "merge_threshold": 0.72, "suggest_threshold": 0.45}
DISPATCH_WHISTLE_MINUTES = 30  # 吹哨报到: departments report in within half an hour by default
DISPATCH_YELLOW_FRACTION = 0.8
DISPATCH_OUTBOX_MAX_ATTEMPTS = 8
DISPATCH_OUTBOX_BACKOFF_SECONDS = 30
DISPATCH_OUTBOX_TIMEOUT = 10
# Idempotency keys of intake (Open311, portal, mobile API) are kept this long, then pruned by the beat.
DISPATCH_INTAKE_KEY_TTL_HOURS = int(os.environ.get("DISPATCH_INTAKE_KEY_TTL_HOURS", "24"))
HOTLINE_MAX_SKEW_SECONDS = 300  # a signed request older than this is a replay
HOTLINE_MAX_FUTURE_SKEW_SECONDS = 60  # a timestamp further ahead than this is refused (a future-dated capture)
HOTLINE_MAX_BODY_BYTES = 1024 * 1024  # 413 above this, checked before the body is read
CLASSIFIER_CONFIDENCE_THRESHOLD = float(os.environ.get("CLASSIFIER_CONFIDENCE_THRESHOLD", "0.5"))
CLASSIFIER_MODEL_PATH = Path(os.environ.get("CLASSIFIER_MODEL_PATH", VAR_DIR / "models" / "task_classifier.joblib"))
CITIZEN_REPORTS_PER_HOUR = int(os.environ.get("CITIZEN_REPORTS_PER_HOUR", "10"))
CITIZEN_PHOTO_MAX_BYTES = 5 * 1024 * 1024
DEMO_OPEN311_KEY = os.environ.get("DEMO_OPEN311_KEY", "demo-open311-key")
DEMO_HOTLINE_SECRET = os.environ.get("DEMO_HOTLINE_SECRET", "demo-hotline-secret")
CELERY_BEAT_SCHEDULE = {
    "dispatch-sweep-deadlines": {"task": "apps.dispatch.tasks.sweep_deadlines", "schedule": 300.0},
    "dispatch-outbox-flush": {"task": "apps.dispatch.tasks.outbox_flush", "schedule": 60.0},
    "dispatch-prune-intake-keys": {"task": "apps.dispatch.tasks.prune_intake_keys", "schedule": 3600.0},
    "dispatch-retrain-classifier": {"task": "apps.dispatch.tasks.retrain_classifier", "schedule": 7 * 24 * 3600.0},
    "credit-expire-and-refresh": {"task": "apps.credit.tasks.expire_and_refresh", "schedule": 24 * 3600.0},
}

# --- devices (GPS, noise sensors, alarms) ------------------------------------
DEVICE_RETENTION_DAYS = int(os.environ.get("DEVICE_RETENTION_DAYS", "180"))  # raw points older than this are pruned
DEVICE_MAX_FUTURE_S = 300  # a reading more than this ahead of the server clock is refused
# OsmAnd's "yyyy-MM-dd HH:mm:ss" times carry no offset: read them in this zone (Traccar uses its configured zone).
DEVICE_LOCAL_TIME_ZONE = os.environ.get("DEVICE_LOCAL_TIME_ZONE", TIME_ZONE)
DEVICE_MAX_BATCH = 10000
DEVICE_LOW_BATTERY_PCT = 20
DEVICE_GEOFENCE_GRACE_S = 120  # outside the grid this long before an alarm (GPS jitter at the edge)
DEVICE_GEOFENCE_TOLERANCE_M = 30
DEVICE_NOISE_WINDOW_S = 300  # LAeq is averaged over this sliding window
DEVICE_NOISE_SUSTAIN_S = 600  # ...and must stay over the limit this long; longer than the window, so one loud interval never raises
DEVICE_NOISE_CLEAR_S = 600
DEVICE_NOISE_NIGHT_LMAX_HITS = 2
DEVICE_NOISE_CATEGORY_DAY = os.environ.get("DEVICE_NOISE_CATEGORY_DAY", "E0301")  # 施工扰民
DEVICE_NOISE_CATEGORY_NIGHT = os.environ.get("DEVICE_NOISE_CATEGORY_NIGHT", "E0302")  # 夜间施工噪声
DEVICE_ALARM_TASK_KINDS = ("noise",)
DEVICE_MAP_THROTTLE_S = float(os.environ.get("DEVICE_MAP_THROTTLE_S", "1.0"))
DEMO_DEVICE_TOKEN = os.environ.get("DEMO_DEVICE_TOKEN", "demo-device-token")
MQTT_URL = os.environ.get("MQTT_URL", "")
MQTT_TOPIC_PREFIX = os.environ.get("MQTT_TOPIC_PREFIX", "cityenforce/devices")
# A stable client id and a persistent session: QoS 1 readings published while the ingester is down are kept by the
# broker for this long and delivered when it returns (one id per ingester process; two with one id displace each other).
MQTT_CLIENT_ID = os.environ.get("MQTT_CLIENT_ID", "cityenforce-ingest")
MQTT_SESSION_EXPIRY_S = int(os.environ.get("MQTT_SESSION_EXPIRY_S", str(7 * 24 * 3600)))
DEVICE_BEAT_SCHEDULE = {
    "devices-offline-sweep": {"task": "apps.devices.tasks.offline_sweep", "schedule": 60.0},
    "devices-alarm-task-retry": {"task": "apps.devices.tasks.alarm_task_retry", "schedule": 300.0},
    "devices-prune": {"task": "apps.devices.tasks.prune_readings", "schedule": 24 * 3600.0},
}
CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **DEVICE_BEAT_SCHEDULE}
CELERY_BEAT_SCHEDULE["gbcp-load-official-calendar"] = {"task": "apps.gbcp.tasks.load_official_calendar", "schedule": 7 * 24 * 3600.0}

# --- evidence (存证固证) ---------------------------------------------------------
# Ed25519 private key (PEM or base64 of the 32 raw bytes) that signs the evidence log's tree
# heads. Required in production; the demo generates one under VAR_DIR on first use.
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(200 * 1024 * 1024)))
CELERY_BEAT_SCHEDULE["evidence-verify"] = {"task": "apps.evidence.tasks.verify_evidence_log", "schedule": 24 * 3600.0}

# --- cases (执法办案) -------------------------------------------------------------
# The payment provider and the secret its notices are signed with. The local provider is a simulated
# cashier (pays without money): demo mode only, and the default only there. Production must name a
# real gateway and set the secret (>= 32 characters); apps/cases/checks.py refuses to start otherwise.
# Unset in demo mode, the secret is a random one kept in VAR_DIR (never derived from SECRET_KEY).
CASES_PAYMENT_PROVIDER = os.environ.get("CASES_PAYMENT_PROVIDER", "apps.cases.payment_provider.LocalPaymentProvider" if DEMO_MODE else "")
CASES_PAYMENT_SECRET = os.environ.get("CASES_PAYMENT_SECRET", "")
# Where QR codes on printed documents and links in messages lead: unset, the address the request came in on
# (apps.gbcp.publicurl); set it in production (behind a proxy, and for documents made by workers and commands).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
CASES_PUBLIC_BASE_URL = os.environ.get("CASES_PUBLIC_BASE_URL", "")  # for documents only, if they differ
CELERY_BEAT_SCHEDULE["cases-sweep-deadlines"] = {"task": "apps.cases.tasks.sweep_case_deadlines", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["cases-sweep-disclosures"] = {"task": "apps.cases.tasks.sweep_disclosure_deadlines", "schedule": 3600.0}  # art. 48
CASES_PDF_FONT = os.environ.get("CASES_PDF_FONT") or None  # default: the Debian fonts-wqy-zenhei file

# --- ledger (基础台账) -------------------------------------------------------------
CELERY_BEAT_SCHEDULE["ledger-compare"] = {"task": "apps.ledger.tasks.compare_ledger", "schedule": 24 * 3600.0}

# --- inspection (综合巡查) ---------------------------------------------------------
CELERY_BEAT_SCHEDULE["inspection-sweep-overdue"] = {"task": "apps.inspection.tasks.sweep_overdue_assignments", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["supervision-scan"] = {"task": "apps.supervision.tasks.scan", "schedule": 900.0}  # 督察督办: rules, then warnings
CELERY_BEAT_SCHEDULE["evaluation-refresh-rollup"] = {"task": "apps.evaluation.tasks.refresh_rollup", "schedule": 3600.0}  # 综合评价: the daily rollup
