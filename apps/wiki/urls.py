"""Pages of wiki, mounted at /wiki/."""
urlpatterns = []
