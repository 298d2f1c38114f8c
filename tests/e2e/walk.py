"""Walk the pages of each persona in headless Chromium against a running server and fail on what a user would hit.

Run against a seeded demo (``make run``): ``.venv/bin/python tests/e2e/walk.py --base http://127.0.0.1:8000``.
For every page, at 1366×900 and at 390×844, it records: console errors (a Content-Security-Policy refusal shows
up there), requests that failed or answered 4xx/5xx (other than the page's expected status), images that did not
load, a body wider than the window (sideways scrolling) and raw template or Python text on the page. Screenshots go
to ``--out``. Exit status 1 lists every problem. Nothing here reaches the network: map tiles are blocked, as on
a closed network, and the pages must stay useful without them.
"""
import argparse
import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = os.environ.get("DEMO_PASSWORD", "cityenforce-demo")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
RAW = re.compile(r"\{\{|\{%|Traceback \(most recent|<built-in|object at 0x|None</td>")

# persona → pages (path, expected status). Staff pages answer 403 to citizens and merchants.
STAFF_PAGES = ["/", "/dispatch/", "/dispatch/overdue/", "/cases/", "/map/", "/devices/map/", "/ledger/",
               "/evidence/", "/inspection/", "/messages/"]
JOURNEYS = {
    None: [("/report/", 200), ("/report/track/", 200), ("/inspection/public/draws/", 200), ("/accounts/login/", 200),
           ("/api/docs/", 200), ("/wiki/", 200, r"^/wiki/p/[\w-]+/$"), ("/report/business/signup/", 200),
           ("/cases/public/", 200, r"^/cases/public/\d+/$"), ("/cases/public/?district=110101", 200)],
    # A task page (with its photos through the access-checked view) is reached from the queue.
    "dc_dispatcher": [(p, 200) for p in STAFF_PAGES] + [("/api/docs/", 200), ("/dispatch/?status=closed", 200, r"^/dispatch/tasks/\d+/$"),
                      ("/ledger/frontage/", 200, r"^/ledger/frontage/\d+/$")],
    "dc_legal": [("/cases/", 200, r"^/cases/\d+/$"), ("/", 200), ("/credit/objections/", 200),
                 ("/cases/?status=executing", 200, r"^/cases/\d+/$"), ("/cases/queue/disclosure/", 200)],
    # The officer's phone forms: the on-the-spot penalty and a case of his, a case awaiting payment (deferral,
    # instalments, cash on the spot) and one in its hearing period (schedule, withdraw); the offline field client
    # (tests/e2e/offline.py walks it offline).
    "dhm_officer1": [("/cases/onsite/", 200), ("/cases/", 200), ("/cases/?status=executing", 200, r"^/cases/\d+/$"),
                     ("/cases/?status=notified", 200, r"^/cases/\d+/$"), ("/cases/?status=onsite_decided", 200, r"^/cases/\d+/$"),
                     ("/inspection/", 200), ("/inspection/record/", 200),
                     ("/inspection/records/", 200, r"^/inspection/records/\d+/$"), ("/inspection/rectifications/", 200),
                     ("/duty/mine/", 200), ("/field/", 200), ("/coordination/operations/", 200, r"^/coordination/operations/\d+/$")],
    # The squad leader's duty pages (勤务排班): the week, posts, peak suggestions, coverage with its chart.
    "dhm_leader": [("/duty/", 200), ("/duty/posts/", 200), ("/duty/peaks/", 200), ("/duty/coverage/", 200), ("/duty/mine/", 200),
                   # Joint operations (联合执法): the list with the demo operation's page, and planning one.
                   ("/coordination/operations/", 200, r"^/coordination/operations/\d+/$"), ("/coordination/operations/new/", 200)],
    # Supervision, evaluation and credit: the supervisor's and leader's pages.
    "city_supervisor": [("/supervision/", 200, r"^/supervision/\d+/$"), ("/supervision/new/", 200), ("/evaluation/", 200, r"^/evaluation/units/\d+/$"),
                        ("/evaluation/schemes/", 200)],
    "dc_leader": [("/supervision/", 200), ("/cases/?status=executing", 200, r"^/cases/\d+/$"), ("/evaluation/", 200), ("/credit/", 200), ("/analytics/", 200), ("/report/notices/", 200),
                  ("/accounts/certificates/", 200), ("/wiki/", 200),
                  # Coordination (协调联动): the case leads of 东城 with one lead's page, the forms, data sharing's audit page.
                  ("/coordination/leads/", 200, r"^/coordination/leads/\d+/$"), ("/coordination/leads/new/", 200),
                  ("/coordination/leads/register/", 200), ("/coordination/sharing/", 200),
                  # Emergencies (应急调度): the overview, a past incident with its map, pre-plans and the editor, warnings.
                  ("/emergency/", 200, r"^/emergency/incidents/\d+/$"), ("/emergency/plans/", 200, r"^/emergency/plans/\d+/$"),
                  ("/emergency/plans/new/", 200), ("/emergency/alerts/", 200, r"^/emergency/alerts/\d+/$")],
    # The command centre screen (大屏) live over the socket, at the desk and on a phone.
    "city_analyst": [("/analytics/", 200), ("/analytics/screen/", 200)],
    "citizen": [("/", 200), ("/report/", 200), ("/cases/public/", 200), ("/field/", 403), ("/dispatch/", 403), ("/emergency/", 403), ("/cases/", 403),
                ("/map/", 403), ("/supervision/", 403), ("/evaluation/", 403), ("/credit/", 403), ("/coordination/leads/", 403), ("/coordination/sharing/", 403),
                ("/coordination/operations/", 403)],
    "merchant": [("/", 200), ("/report/", 200), ("/field/", 403), ("/dispatch/", 403), ("/ledger/", 403), ("/credit/mine/", 200), ("/supervision/", 403),
                 ("/report/business/", 200), ("/inspection/self-check/", 200, r"^/inspection/self-check/places/\d+/$"),
                 ("/inspection/rectifications/", 403), ("/analytics/", 403), ("/coordination/leads/", 403)],
    # The administrator as data-protection officer: the access log, the retention runs, one person's data.
    "admin": [("/admin/", 200), ("/admin/dispatch/task/", 200), ("/dispatch/", 200), ("/accounts/privacy/", 200),
              ("/accounts/privacy/subject/", 200)],
}
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe"
    "a7d6a4830000000049454e44ae426082")
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def walk(base, out, tile_hosts):
    problems = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for persona, pages in JOURNEYS.items():
            for vp_name, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, locale="zh-CN")
                # Outside hosts (map tiles) answer an empty tile, as a tile server that has nothing would.
                context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"),
                              lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
                page = context.new_page()
                log = []
                page.on("console", lambda m, log=log: m.type == "error" and log.append(f"console: {m.text}"))
                page.on("pageerror", lambda e, log=log: log.append(f"page error: {e}"))

                def on_response(r, log=log):
                    if r.status >= 400 and r.request.resource_type not in {"document"}:
                        log.append(f"{r.status} {r.url}")
                page.on("response", on_response)
                if persona:
                    page.goto(base + "/accounts/login/")
                    page.fill("input[name=username]", persona)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit], input[type=submit]")
                    page.wait_for_load_state("networkidle")
                for entry in pages:
                    path, expected = entry[0], entry[1]
                    problems += check(page, base, path, expected, persona, vp_name, log, out, tile_hosts)
                    if len(entry) > 2:  # then the first link on that page matching the pattern (a task, an item, a unit)
                        href = page.evaluate("(pattern) => { const re = new RegExp(pattern); "
                                             "const a = [...document.querySelectorAll('a[href]')].find(a => re.test(new URL(a.href).pathname)); "
                                             "return a ? new URL(a.href).pathname : null; }", entry[2])
                        if href is None:
                            problems.append(f"[{persona or 'anonymous'} {vp_name}] {path}: no link like {entry[2]}")
                        else:
                            problems += check(page, base, href, 200, persona, vp_name, log, out, tile_hosts)
                context.close()
        browser.close()
    return problems


def check(page, base, path, expected, persona, vp_name, log, out, tile_hosts):
    """One page as the persona sees it: status, failed requests, console errors, images, width, raw code, screenshot."""
    problems = []
    log.clear()
    response = page.goto(base + path)
    try:
        page.wait_for_load_state("networkidle", timeout=8000)
    except Exception:
        pass
    where = f"[{persona or 'anonymous'} {vp_name}] {path}"
    status = response.status if response else None
    if status != expected:
        problems.append(f"{where}: status {status}, expected {expected}")
    # Blocked tiles are the closed network, not a fault of the page.
    own = [m for m in log if not any(h in m for h in tile_hosts)]
    if expected >= 400:  # the browser logs the page's own refusal; that is the expected answer
        own = [m for m in own if f"status of {expected}" not in m]
    problems += [f"{where}: {m}" for m in own]
    broken = page.evaluate("""() => [...document.images]
        .filter(i => i.complete && i.naturalWidth === 0 && !i.src.includes('tile'))
        .map(i => i.src)""")
    problems += [f"{where}: image did not load: {src}" for src in broken]
    wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if wide > 1:
        problems.append(f"{where}: {wide}px wider than the window")
    text = page.inner_text("body") if page.query_selector("body") else ""
    if RAW.search(text):
        problems.append(f"{where}: raw code on the page: {RAW.search(text).group(0)!r}")
    name = f"{persona or 'anonymous'}-{vp_name}-{path.strip('/').replace('/', '_') or 'home'}.png"
    page.screenshot(path=str(out / name), full_page=False)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/e2e")
    args = parser.parse_args()
    tile_hosts = ("tile.openstreetmap.org", "tianditu")
    problems = walk(args.base.rstrip("/"), Path(args.out), tile_hosts)
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s); screenshots in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
