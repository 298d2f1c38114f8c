"""The workbench home page: composes what each app offers the signed-in user."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.gbcp import selectors
from apps.realtime.selectors import notification_list_for_user


@login_required
def home(request):
    user = request.user
    places = selectors.place_list_for_user(user=user)
    context = {
        "place_count": places.count(),
        "entity_count": selectors.entity_list_for_user(user=user).count(),
        "region_count": selectors.region_list_for_user(user=user, level=3).count(),
        "grid_count": selectors.grid_list_for_user(user=user).count(),
        "category_count": selectors.category_list(leaves_only=True).count(),
        "jurisdiction": jurisdiction_prefixes(user),
        "organizations": user.organizations(),
        "notifications": notification_list_for_user(user=user)[:8],
    }
    return render(request, "home.html", context)
