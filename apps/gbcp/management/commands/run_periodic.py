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
from celery.schedules import crontab, maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger("cityenforce.periodic")
RUN_AT_START_MAX_INTERVAL_S = 3600  # jobs at most hourly run at once on start; longer ones after their interval


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process (the embedded default's beat and worker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once, in schedule order, and stop")
        parser.add_argument("--only", action="append", default=[], help="run only this schedule entry (repeatable)")
        parser.add_argument("--seconds", type=float, default=None, help="stop after this many seconds (default: run until stopped)")

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
        if options["seconds"] is not None:
            timer = threading.Timer(options["seconds"], stop.set)
            timer.daemon = True
            timer.start()
        schedules = {name: maybe_schedule(entry["schedule"], app=current_app) for name, entry in schedule.items()}
        last_run = {name: self._first_last_run(s) for name, s in schedules.items()}
        self.stdout.write(f"Periodic jobs: {len(schedule)} on schedule (embedded default; production runs celery beat).")
        while not stop.is_set():
            wait = 60.0
            for name, entry in schedule.items():
                if stop.is_set():
                    break
                # Celery's own test: interval entries after their interval, crontab entries at their time.
                due, next_check = schedules[name].is_due(last_run[name])
                if due:
                    last_run[name] = current_app.now()
                    self._run(name, entry)
                    due, next_check = schedules[name].is_due(last_run[name])
                wait = min(wait, next_check)
            stop.wait(max(0.5, wait))

    @staticmethod
    def _first_last_run(entry_schedule):
        """Jobs at most hourly run at once on start (as if last run one interval ago); longer intervals and crontab
        entries wait for their time."""
        now = current_app.now()
        every = getattr(entry_schedule, "run_every", None)
        if not isinstance(entry_schedule, crontab) and every is not None and every.total_seconds() <= RUN_AT_START_MAX_INTERVAL_S:
            return now - every
        return now

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
