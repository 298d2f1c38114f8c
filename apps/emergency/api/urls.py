"""API of emergency, mounted at /api/emergency/."""
urlpatterns = []
