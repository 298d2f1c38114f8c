"""Pages of coordination, mounted at /coordination/."""
urlpatterns = []
