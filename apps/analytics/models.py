"""Analytics' own table: the backtests of the forecast (written by ``analytics_backtest`` and the weekly beat job)."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Backtest(models.Model):
    """Rolling-origin errors of one series: the model against the seasonal-naive baseline."""

    series = models.CharField(_("series"), max_length=32, db_index=True)  # total | district:<code> | category:<code>
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    last_day = models.DateField(_("last day of history"))
    model_mae = models.FloatField(_("model MAE"))
    model_mape = models.FloatField(_("model MAPE"), null=True, blank=True)
    naive_mae = models.FloatField(_("seasonal-naive MAE"))
    naive_mape = models.FloatField(_("seasonal-naive MAPE"), null=True, blank=True)
    demo = models.BooleanField(_("on generated demo history"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forecast backtest")
        verbose_name_plural = _("forecast backtests")
        ordering = ["-computed_at", "-id"]

    def __str__(self):
        return f"{self.series} {self.last_day} MAE {self.model_mae:.2f} / {self.naive_mae:.2f}"
