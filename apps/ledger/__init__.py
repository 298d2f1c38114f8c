"""Ledger (基础台账): licences, frontage responsibility zones, key points, data lineage, imports, corrections."""
