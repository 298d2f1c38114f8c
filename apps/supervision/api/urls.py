"""URLs of the supervision API under /api/supervision/."""
from django.urls import path

from apps.supervision.api import views

_steps = [("sign", views.sign), ("dispatch", views.dispatch), ("handle", views.handle), ("approve", views.approve),
          ("return", views.return_), ("close", views.close), ("archive", views.archive)]

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="api-supervision-item-list"),
    path("items/new/", views.ItemCreateView.as_view(), name="api-supervision-item-create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="api-supervision-item-detail"),
    *[path(f"items/<int:pk>/{name}/", view, name=f"api-supervision-item-{name}") for name, view in _steps],
]
