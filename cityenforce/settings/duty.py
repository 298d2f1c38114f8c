"""Settings of apps.duty (勤务); every value can come from the environment."""
import os

# Peak posts (高峰勤务): intake per grid × hour of the week over the last weeks, a Poisson upper-tail test per cell
# against the grid's mean rate, Benjamini–Hochberg over all cells tested (docs/DUTY.md).
DUTY_PEAK_WEEKS = int(os.environ.get("DUTY_PEAK_WEEKS", "8"))
DUTY_PEAK_FDR = float(os.environ.get("DUTY_PEAK_FDR", "0.05"))  # the false-discovery rate q
DUTY_PEAK_MIN_COUNT = int(os.environ.get("DUTY_PEAK_MIN_COUNT", "3"))  # a cell with fewer reports is never a peak
DUTY_PEAK_SHIFT_HOURS = int(os.environ.get("DUTY_PEAK_SHIFT_HOURS", "2"))  # a peak shift starts at the peak hour and lasts this long
# 匹配度 where some squads have rosters and others not: an officer without a roster counts this many hours a week.
DUTY_NOMINAL_WEEKLY_HOURS = float(os.environ.get("DUTY_NOMINAL_WEEKLY_HOURS", "40"))
DUTY_MAX_SHIFT_HOURS = 16  # a longer shift is a typing error
