"""Pages of emergency, mounted at /emergency/."""
urlpatterns = []
