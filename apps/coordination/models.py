"""Models of coordination (协调联动)."""
