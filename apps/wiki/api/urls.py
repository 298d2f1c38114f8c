"""API of wiki, mounted at /api/wiki/."""
urlpatterns = []
