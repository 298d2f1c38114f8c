"""API of coordination, mounted at /api/coordination/."""
urlpatterns = []
