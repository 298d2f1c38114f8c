"""The message centre page (消息中心)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from apps.realtime import selectors, services


@login_required
def message_centre(request):
    if request.method == "POST":
        services.notification_mark_all_read(user=request.user)
        return redirect("message-centre")
    page = Paginator(selectors.notification_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "realtime/message_centre.html", {"page": page})

