"""Models of emergency (应急调度)."""
