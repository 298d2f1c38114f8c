"""Backtest of the risk model: levels computed from the history before --split, problems counted after it."""
import datetime as dt

from django.core.management.base import BaseCommand

from apps.credit.backtest import run_backtest

CAVEAT = ("Caveat: on the demo data the history is generated (made up to look plausible), so these rates show how the model "
          "behaves, not how real places behave; run the same command on real or imported history to judge the model.")


class Command(BaseCommand):
    help = ("Compute each place's risk level from credit's records before --split and count the inspection findings, complaints "
            "upheld and penalty decisions about it after; report per level the places, those with a later problem and the rate.")

    def add_arguments(self, parser):
        parser.add_argument("--split", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--after-days", type=int, default=365, help="length of the period after the split (default 365)")

    def handle(self, *args, **options):
        result = run_backtest(split=options["split"], after_days=options["after_days"])
        self.stdout.write(f"split {result.split.isoformat()}: history window {result.window_days} days before, "
                          f"problems counted {result.after_days} days after")
        self.stdout.write(f"{'level':<10} {'places':>7} {'with problem':>13} {'rate':>7} {'mean':>6}")
        for row in result.rows:
            rate = f"{row.rate:.1%}" if row.rate is not None else "-"
            mean = f"{row.mean:.2f}" if row.mean is not None else "-"
            self.stdout.write(f"{row.level:<10} {row.places:>7} {row.with_problem:>13} {rate:>7} {mean:>6}")
        self.stdout.write(f"rates increase with the level: {'yes' if result.increasing else 'no'}")
        self.stdout.write(self.style.WARNING(CAVEAT))
