"""Pages of duty, mounted at /duty/."""
urlpatterns = []
