"""Settings of apps.wiki (维基协作); every value can come from the environment."""
