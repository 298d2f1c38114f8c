"""Models of evidence preservation."""
