"""Staff page: the live map of units, sensors, alarms and tasks in the user's jurisdiction."""
from django.conf import settings
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from apps.accounts.decorators import staff_required


def _optional_url(name):
    # The task layer comes from the dispatch app when it is installed; the map works without it.
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _task_status_labels():
    try:
        from apps.dispatch.selectors import task_status_labels
    except ImportError:
        return {}
    return task_status_labels()


@staff_required
def live_map(request):
    return render(
        request,
        "devices/live_map.html",
        {
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "tasks_url": _optional_url("api-task-list"),
            "throttle_s": settings.DEVICE_MAP_THROTTLE_S,
            "task_status_labels": _task_status_labels(),
        },
    )
