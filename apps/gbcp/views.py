"""Staff pages of the ground floor: the one map and a place's page.

The staff guard (accounts) is applied where they are routed, in ``cityenforce/urls.py``: the ground floor imports no app.
"""
from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from apps.gbcp import selectors
from apps.gbcp.errors import NotFound
from apps.gbcp.masking import clearance_for
from apps.gbcp.models import Place


def one_map(request):
    return render(
        request,
        "gbcp/map.html",
        {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION, "place_kinds": Place.Kind.choices},
    )


def place_detail(request, pk):
    try:
        place = selectors.place_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    history = place.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "gbcp/place_detail.html", {"place": place, "history": history, "clearance": clearance_for(request.user)})
