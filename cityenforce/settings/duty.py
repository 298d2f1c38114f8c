"""Settings of apps.duty (勤务); every value can come from the environment."""
