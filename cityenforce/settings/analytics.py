"""Settings of apps.analytics (分析研判); every value can come from the environment."""
