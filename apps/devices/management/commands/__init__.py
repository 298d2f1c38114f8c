"""Commands: MQTT ingestion, sweeps and pruning of old raw points."""
