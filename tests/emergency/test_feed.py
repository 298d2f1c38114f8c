"""Fetching CAP feeds from a local test server: stored once, redirects and oversize bodies refused, no network."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from apps.emergency import feed
from apps.emergency.demo import DEMO_ALERT
from apps.emergency.models import Alert
from tests.emergency.conftest import cap_document

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = b"<alert>" + b" " * 8192 if self.path == "/big" else cap_document("rainstorm_blue")
        self.send_response(200)
        self.send_header("Content-Type", "application/cap+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_command_fetches_once_and_refuses_bad_feeds(server, settings, capsys):
    settings.EMERGENCY_CAP_MAX_BYTES = 4096
    settings.EMERGENCY_CAP_FEED_URLS = [f"{server}/cap", f"{server}/redirect", f"{server}/big", "file:///etc/passwd"]
    call_command("emergency_fetch_alerts")
    assert "created 1, known 0, failed 3" in capsys.readouterr().out
    call_command("emergency_fetch_alerts", f"{server}/cap")
    assert "created 0, known 1, failed 0" in capsys.readouterr().out
    alert = Alert.objects.exclude(identifier=DEMO_ALERT).get()  # the demo city holds a warning of its own
    assert alert.source == Alert.Source.FEED and [r.code for r in alert.regions.all()] == ["110101"]


def test_fetch_refuses_other_schemes():
    with pytest.raises(feed.FeedError):
        feed.fetch("file:///etc/passwd")
