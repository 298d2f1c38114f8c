"""The field client offline, in headless Chromium against a running demo server (``bin/e2e`` runs it after the walk).

As the demo officer of 东华门 (``dhm_officer1``): open ``/field/``, wait for the service worker, go offline, reload
(the shell and my tasks still show), accept a dispatched task and send its feedback with a photo while offline (both
queued, shown as 待发送), go online, see the outbox empty and the task moved on on the server (through the API), with
the phone's capture time and place kept; then send the feedback again with the same Idempotency-Key and see it
answered as a replay, with no second feedback or photo. Exit status 1 lists what went wrong.

``.venv/bin/python tests/e2e/offline.py --base http://127.0.0.1:8000``
"""
import argparse
import io
import os
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

PASSWORD = os.environ.get("DEMO_PASSWORD", "cityenforce-demo")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OFFICER = "dhm_officer1"
WHERE = {"latitude": 39.9163, "longitude": 116.4010}  # the phone's position: 东华门


def _photo() -> bytes:
    """An "after" photo as a phone's camera would hand it over (a real image: the server checks what it receives)."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 80)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


# Copies the outbox (blobs and all) out of IndexedDB, so that a request can be sent again exactly as it was.
READ_OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("cityenforce-field");
  open.onsuccess = () => {
    const all = open.result.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => { window.__outboxCopy = all.result; resolve(all.result.map((i) => ({kind: i.kind, state: i.state, key: i.key}))); };
    all.onerror = () => reject(all.error);
  };
  open.onerror = () => reject(open.error);
})"""
# The client's own form (field.js formOf) for one copied item, sent with its key again.
RESEND = """async (kind) => {
  const item = window.__outboxCopy.find((i) => i.kind === kind);
  const body = new FormData();
  for (const [name, value] of Object.entries(item.fields)) {
    if (value === null || value === undefined || value === "") continue;
    (Array.isArray(value) ? value : [value]).forEach((v) => body.append(name, v));
  }
  body.append(item.kind === "inspection" ? "inspected_at" : "captured_at", item.captured_at);
  if (item.lat !== null && item.lon !== null) { body.append("lat", item.lat); body.append("lon", item.lon); }
  for (const file of item.files) body.append(file.field, file.blob, file.name);
  const csrf = (document.cookie.split("; ").find((c) => c.startsWith("csrftoken=")) || "=").split("=")[1];
  const response = await fetch(item.url, {method: "POST", body, credentials: "same-origin",
    headers: {"Idempotency-Key": item.key, "X-CSRFToken": decodeURIComponent(csrf), Accept: "application/json"}});
  return {status: response.status, replayed: response.headers.get("Idempotent-Replayed"), body: await response.json()};
}"""


def wait_until(page, script, timeout=15.0):
    """Poll ``script`` in the page (wait_for_function evaluates a string, which the Content-Security-Policy refuses)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(script):
            return True
        time.sleep(0.25)
    raise TimeoutError(f"not true within {timeout} s: {script}")


def run(base, out):
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)
        return condition

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      geolocation=WHERE, permissions=["geolocation"])
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", OFFICER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state("networkidle")

        # A task of the officer's squad waiting to be accepted (the demo leaves some dispatched: apps/dispatch/demo.py).
        listed = page.request.get(base + "/api/dispatch/tasks/?mine=1&status=dispatched").json()["results"]
        task = next((t for t in listed if "accept" in page.request.get(f"{base}/api/dispatch/tasks/{t['id']}/").json()["actions"]), None)
        if not expect(task is not None, f"{OFFICER} has no dispatched task to accept in the demo"):
            return problems
        tid = task["id"]

        page.goto(base + "/field/")
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        wait_until(page, "() => navigator.serviceWorker.controller !== null")
        page.wait_for_selector(f'#task-list a[href="#/task/{tid}"]', timeout=20000)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / "field-online.png"))

        context.set_offline(True)
        page.reload()
        try:
            page.wait_for_selector(f'#task-list a[href="#/task/{tid}"]', timeout=10000)
        except Exception:
            problems.append("offline: my tasks did not show from the kept copy")
            page.screenshot(path=str(out / "field-offline-failed.png"))
            return problems + errors
        expect("离线" in page.inner_text("body"), "offline: the page does not say it is offline")
        page.screenshot(path=str(out / "field-offline-list.png"))

        page.click(f'#task-list a[href="#/task/{tid}"]')
        page.click("#accept")
        page.wait_for_selector("#feedback textarea[name=result]", timeout=10000)
        page.fill("#feedback textarea[name=result]", "已到现场劝离，占道物品已清理。（离线测试）")
        page.set_input_files("#feedback input[name=photos]", files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
        page.click("#feedback button[type=submit]")
        wait_until(page, "() => document.querySelectorAll('#task-outbox li').length === 2", timeout=10)
        expect(page.locator("#task-outbox .pill-pending", has_text="待发送").count() == 2, "offline: the two actions are not shown as 待发送")
        expect(page.inner_text("#outbox-count") == "2", "offline: the outbox count is not 2")
        queued = page.evaluate(READ_OUTBOX)
        expect([q["kind"] for q in queued] == ["accept", "feedback"] and all(q["state"] == "pending" for q in queued),
               f"offline: the outbox holds {queued}")
        page.screenshot(path=str(out / "field-offline-queued.png"))
        # page.request does not go through the browser's network switch: it looks at the server as it is.
        server = page.request.get(f"{base}/api/dispatch/tasks/{tid}/").json()
        expect(server["status"] == "dispatched", f"offline: the server's task moved on before the phone was online ({server['status']})")

        context.set_offline(False)
        page.goto(base + "/field/#/outbox")
        try:
            page.wait_for_selector(".outbox-empty", timeout=30000)
        except Exception:
            page.screenshot(path=str(out / "field-online-not-sent.png"))
            return problems + errors + [f"online: the outbox is not empty: {page.inner_text('#outbox')!r}"]
        page.screenshot(path=str(out / "field-online-sent.png"))

        server = page.request.get(f"{base}/api/dispatch/tasks/{tid}/").json()
        expect(server["status"] == "feedback", f"online: the task is {server['status']}, not awaiting verification")
        logs = [entry for entry in server["logs"] if entry["action"] in {"accept", "feedback"}]
        expect([entry["action"] for entry in logs].count("feedback") == 1 and [entry["action"] for entry in logs].count("accept") == 1,
               f"online: the task's log holds {[entry['action'] for entry in logs]}")
        expect(all("captured_at" in entry["data"] and "captured_point" in entry["data"] for entry in logs),
               "online: the phone's capture time and place were not kept")
        photos = [ph for ph in server["photos"] if ph["stage"] == "feedback"]
        expect(len(photos) == 1, f"online: {len(photos)} feedback photos")

        again = page.evaluate(RESEND, "feedback")
        expect(again["status"] == 200 and again["replayed"] == "true", f"replay: answered {again['status']} {again['replayed']}")
        server = page.request.get(f"{base}/api/dispatch/tasks/{tid}/").json()
        expect([entry["action"] for entry in server["logs"]].count("feedback") == 1, "replay: a second feedback was recorded")
        expect(len([ph for ph in server["photos"] if ph["stage"] == "feedback"]) == 1, "replay: a second photo was stored")
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        expect(wide <= 1, f"the field client is {wide}px wider than the phone")
        problems += errors
        context.close()
        browser.close()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/e2e")
    args = parser.parse_args()
    problems = run(args.base.rstrip("/"), Path(args.out))
    for line in problems:
        print(line)
    print(f"field client offline: {len(problems)} problem(s); screenshots in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
