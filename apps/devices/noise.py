"""Noise limits (GB 12523-2011, GB 3096-2008) and the equivalent level over a window."""
import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

# (day, night) limits in dB(A). GB 12523-2011 table 1: construction-site
# boundary 70 by day, 55 at night. GB 3096-2008 table 1 for acoustic zones.
ZONE_LIMITS = {
    "construction": (70.0, 55.0),
    "0": (50.0, 40.0),
    "1": (55.0, 45.0),
    "2": (60.0, 50.0),
    "3": (65.0, 55.0),
    "4a": (70.0, 55.0),
    "4b": (70.0, 60.0),
}
# GB 12523-2011 4.2: at night the maximum sound level may not exceed the limit by more than 15 dB(A).
NIGHT_LMAX_MARGIN = 15.0
# Night is 22:00–06:00 local time (GB 12523 and GB 3096 both define it so).
NIGHT_START, NIGHT_END = dt.time(22, 0), dt.time(6, 0)


@dataclass(frozen=True)
class Limits:
    day: float
    night: float

    def at(self, when: dt.datetime) -> tuple[float, bool]:
        """The limit in force at ``when`` and whether it is night."""
        night = is_night(when)
        return (self.night if night else self.day), night


def is_night(when: dt.datetime) -> bool:
    local = when.astimezone(ZoneInfo(settings.TIME_ZONE)).time()
    return local >= NIGHT_START or local < NIGHT_END


def limits_for(device) -> Limits:
    day, night = ZONE_LIMITS.get(device.noise_zone or "construction", ZONE_LIMITS["construction"])
    if device.limit_day_db is not None:
        day = device.limit_day_db
    if device.limit_night_db is not None:
        night = device.limit_night_db
    return Limits(day=day, night=night)


def leq(readings) -> float | None:
    """Energy average of (interval_s, laeq) pairs: 10·log10(Σ tᵢ·10^(Lᵢ/10) / Σ tᵢ)."""
    total_t = 0.0
    energy = 0.0
    for interval_s, level in readings:
        total_t += interval_s
        energy += interval_s * 10 ** (level / 10)
    if total_t <= 0:
        return None
    return 10 * math.log10(energy / total_t)


def energy(interval_s, level) -> float:
    """One interval's share of the energy sum of ``leq``: tᵢ·10^(Lᵢ/10)."""
    return interval_s * 10 ** (level / 10)


def leq_of_energies(pairs) -> float | None:
    """``leq`` from (interval_s, energy) pairs: the same sums in the same order, so the same result to the last bit."""
    total_t = 0.0
    total = 0.0
    for interval_s, share in pairs:
        total_t += interval_s
        total += share
    if total_t <= 0:
        return None
    return 10 * math.log10(total / total_t)
