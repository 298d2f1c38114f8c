"""Pages of analytics, mounted at /analytics/."""
urlpatterns = []
