"""Models of enforcement cases."""
