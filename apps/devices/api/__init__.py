"""The staff and device API of the devices app."""
