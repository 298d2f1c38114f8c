"""Fetching CAP 1.2 documents from the configured feeds: http(s) only, no redirects, a timeout and a size limit."""
import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings

from apps.emergency import cap, services
from apps.emergency.models import Alert

logger = logging.getLogger("cityenforce.emergency.feed")


class FeedError(Exception):
    pass


def fetch(url: str) -> bytes:
    """The body at ``url``; refuses other schemes, any redirect and bodies over EMERGENCY_CAP_MAX_BYTES."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError(f"only http and https feeds are fetched: {url}")
    limit = settings.EMERGENCY_CAP_MAX_BYTES
    try:
        with requests.get(url, timeout=settings.EMERGENCY_CAP_TIMEOUT, allow_redirects=False, stream=True) as response:
            if response.is_redirect or response.status_code != 200:
                raise FeedError(f"{url} answered {response.status_code}")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise FeedError(f"{url} is larger than {limit} bytes")
            return body
    except requests.RequestException as exc:
        raise FeedError(f"{url}: {exc}") from None


def fetch_alerts(urls=None, fetcher=fetch) -> dict:
    """Fetch each feed URL and take its CAP document in; one bad feed never stops the others."""
    counts = {"created": 0, "known": 0, "failed": 0}
    for url in settings.EMERGENCY_CAP_FEED_URLS if urls is None else urls:
        try:
            _alert, created = services.alert_receive(user=None, data=fetcher(url), source=Alert.Source.FEED)
        except (FeedError, cap.CapError) as exc:
            logger.warning("CAP feed %s refused: %s", url, exc)
            counts["failed"] += 1
            continue
        counts["created" if created else "known"] += 1
    return counts
