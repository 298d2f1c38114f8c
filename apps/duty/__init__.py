"""Duty deployment (勤务): shift rosters per squad, peak posts, coverage of duty against demand."""
