"""Settings of apps.emergency (应急调度); every value can come from the environment."""
