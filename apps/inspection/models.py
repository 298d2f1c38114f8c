"""Models of patrol inspection."""
