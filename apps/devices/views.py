"""Staff page: the live map of units, sensors, alarms and tasks in the user's jurisdiction."""
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from apps.accounts.decorators import staff_required
from apps.dispatch.selectors import task_status_labels


@staff_required
def live_map(request):
    return render(
        request,
        "devices/live_map.html",
        {
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "tasks_url": reverse("api-task-list"),  # the task layer comes from the dispatch app
            "throttle_s": settings.DEVICE_MAP_THROTTLE_S,
            "task_status_labels": task_status_labels(),
        },
    )
