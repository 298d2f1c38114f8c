"""The tracking page's photos, by tracking code: the photos sent with that report and the photos taken after handling.

Whoever holds the code may follow the report without signing in, so its photos are served the same way ("after"
photos once the task is closed); any other photo (another report's, a photo of a merged task sent by someone else)
is not found, like a photo that does not exist. Requests per client address are limited (``RATE_LIMITS["portal-photo"]``), as on the other portal pages.
"""
from django.http import Http404
from django.views.decorators.http import require_safe

from apps.accounts.throttling import rate_limit
from apps.dispatch import selectors
from apps.gbcp.errors import NotFound
from apps.gbcp.files import send_image


@require_safe
@rate_limit("portal-photo", methods=("GET", "HEAD"))
def track_photo(request, code, pk):
    try:
        photo = selectors.track_photo_get(code=code, id=pk)
    except NotFound:
        raise Http404
    return send_image(request, photo.image, download_name=selectors.photo_download_name(photo))
