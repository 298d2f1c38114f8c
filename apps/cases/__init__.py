"""Enforcement cases (执法办案): case causes and discretion, simple and general procedure, deadlines, documents, fines."""
