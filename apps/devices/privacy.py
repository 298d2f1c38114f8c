"""Personal data of devices, declared for the registry (apps.gbcp.privacy): officers' raw GPS positions.

The devices job ``devices-prune-readings`` already deletes raw positions after DEVICE_RETENTION_DAYS; the rule is
listed here so that the data-protection officer's page and docs show it, and the retention job leaves it to that job."""
from django.utils.translation import gettext_lazy as _

from apps.gbcp import privacy
from apps.gbcp.privacy import PersonalData, PersonalField, Retention


def register():
    privacy.register(PersonalData(
        key="devices.position", model="devices.Position", subject=_("the officer or vehicle crew carrying a device"),
        fields=(PersonalField("lat", "opaque"), PersonalField("lon", "opaque")),
        retention=Retention(since="recorded_at", period="device_positions", delete=True, handled_by="devices-prune-readings"),
        reason=_("Tracks serve the live map, patrol coverage and evaluation; alarms and the latest state stay."),
    ))
