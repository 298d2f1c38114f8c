"""Management commands of the devices app."""
