"""Settings of apps.coordination (协调联动); every value can come from the environment."""
