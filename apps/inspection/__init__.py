"""Patrol inspection (综合巡查): checklists, patrol plans, double-random draws, inspection records, self-checks."""
