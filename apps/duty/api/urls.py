"""API of duty, mounted at /api/duty/."""
urlpatterns = []
