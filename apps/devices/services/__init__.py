"""Every write of devices, by noun: registry and tokens, positions, noise readings, alarms and their tasks, sweeps.

``from apps.devices import services; services.position_report(...)`` keeps working: the public names of
the modules are here (the benchmarks and the MQTT bridge call them by these names).
"""
from apps.devices.services._common import IngestResult
from apps.devices.services.alarms import ALARM_HANDLER_ROLES, alarm_acknowledge, alarm_clear, alarm_task_create, alarm_task_retry
from apps.devices.services.noise_readings import noise_ingest
from apps.devices.services.positions import position_report, positions_ingest
from apps.devices.services.registry import (
    DEFAULT_INTERVALS,
    DeviceAuthError,
    RegisteredDevice,
    device_authenticate,
    device_register,
    device_token_revoke,
    device_token_rotate,
    device_update,
    new_token,
    shift_create,
    token_hash,
)
from apps.devices.services.sweeps import devices_offline_sweep, readings_prune

__all__ = [
    "ALARM_HANDLER_ROLES", "DEFAULT_INTERVALS", "DeviceAuthError", "IngestResult", "RegisteredDevice", "alarm_acknowledge",
    "alarm_clear", "alarm_task_create", "alarm_task_retry", "device_authenticate", "device_register", "device_token_revoke",
    "device_token_rotate", "device_update", "devices_offline_sweep", "new_token", "noise_ingest", "position_report",
    "positions_ingest", "readings_prune", "shift_create", "token_hash",
]
