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


def report_path(instance, filename):
    return f"analytics/reports/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    """The monthly analysis report (月度分析报告) as a PDF: made by ``analytics_monthly_report`` and the beat on the 1st."""

    month = models.DateField(_("month"))  # its first day
    region_code = models.CharField(_("region code"), max_length=12, blank=True)  # "" = the whole city
    file = models.FileField(_("file"), upload_to=report_path, max_length=255)
    total = models.PositiveIntegerField(_("reports in the month"), default=0)
    demo = models.BooleanField(_("on generated demo history"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly analysis report")
        verbose_name_plural = _("monthly analysis reports")
        ordering = ["-month", "region_code", "-id"]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_code or 'city'}"
