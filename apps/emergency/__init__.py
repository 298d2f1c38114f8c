"""Emergencies (应急调度): pre-plans per event type, CAP 1.2 warnings in, one-key activation, incidents with their timeline."""
