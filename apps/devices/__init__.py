"""Devices: GPS of officers and vehicles, noise sensors, ingestion, alarms and the live map."""
