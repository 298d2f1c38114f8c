"""API of analytics, mounted at /api/analytics/."""
urlpatterns = []
