"""Coordination (协调联动): case leads out to and in from other departments, joint operations, logged data sharing."""
