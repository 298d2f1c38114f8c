"""The home page: the workbench for staff, a small page of one's own reports, places and messages for the public."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import jurisdiction_prefixes, staff_organizations
from apps.dispatch.selectors import task_list_reported_by
from apps.gbcp import selectors
from apps.inspection.selectors import merchant_places
from apps.realtime.selectors import notification_list_for_user


@login_required
def home(request):
    user = request.user
    if not is_staff_user(user):
        return render(request, "home_public.html", {
            "reports": task_list_reported_by(user=user)[:20],
            "places": merchant_places(user=user)[:50],
            "notifications": notification_list_for_user(user=user)[:8],
        })
    places = selectors.place_list_for_user(user=user)
    context = {
        "place_count": places.count(),
        "entity_count": selectors.entity_list_for_user(user=user).count(),
        "region_count": selectors.region_list_for_user(user=user, level=3).count(),
        "grid_count": selectors.grid_list_for_user(user=user).count(),
        "category_count": selectors.category_list(leaves_only=True).count(),
        "jurisdiction": jurisdiction_prefixes(user),
        "organizations": staff_organizations(user),
        "notifications": notification_list_for_user(user=user)[:8],
    }
    return render(request, "home.html", context)
