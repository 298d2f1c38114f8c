"""Run the beat schedule in the embedded default: every periodic job at its interval, in this process, no broker.

Production runs ``celery beat`` and workers instead; ``make run`` starts this beside daphne, so the deadline
sweeps, outbox retries and re-verification happen in the demo too. Jobs are named, not imported: each runs
through Celery's registry (``Task.apply``, synchronously here), exactly the code a worker would run.
"""
import logging
import signal
import threading
import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger("cityenforce.periodic")
RUN_AT_START_MAX_INTERVAL_S = 3600  # jobs at most hourly run at once on start; longer ones after their interval


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process (the embedded default's beat and worker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once, in schedule order, and stop")
        parser.add_argument("--only", action="append", default=[], help="run only this schedule entry (repeatable)")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        schedule = {name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if not options["only"] or name in options["only"]}
        current_app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
        unknown = [entry["task"] for entry in schedule.values() if entry["task"] not in current_app.tasks]
        if unknown:
            self.stderr.write(f"Unknown tasks in the schedule: {', '.join(unknown)}")
        if options["once"]:
            for name in schedule:
                self._run(name, schedule[name])
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        now = time.monotonic()
        due = {name: now if float(entry["schedule"]) <= RUN_AT_START_MAX_INTERVAL_S else now + float(entry["schedule"])
               for name, entry in schedule.items()}
        self.stdout.write(f"Periodic jobs: {len(schedule)} on schedule (embedded default; production runs celery beat).")
        while not stop.is_set():
            now = time.monotonic()
            for name, entry in schedule.items():
                if due[name] <= now and not stop.is_set():
                    self._run(name, entry)
                    due[name] = time.monotonic() + float(entry["schedule"])
            stop.wait(max(0.5, min(due.values()) - time.monotonic()) if due else 60)

    def _run(self, name, entry):
        task = current_app.tasks.get(entry["task"])
        if task is None:
            return
        started = time.monotonic()
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=False)
        took = time.monotonic() - started
        if result.failed():
            logger.error("periodic job %s failed after %.1fs: %s", name, took, result.result)
            self.stderr.write(f"{name}: failed ({result.result!r})")
        elif self.verbosity > 1 or took > 5:
            self.stdout.write(f"{name}: done in {took:.1f}s")
