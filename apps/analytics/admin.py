"""Admin of analytics: the stored forecast backtests (read only: they are computed, never typed)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.analytics.models import Backtest


@admin.register(Backtest)
class BacktestAdmin(SimpleHistoryAdmin):
    list_display = ("series", "last_day", "weeks", "model_mae", "naive_mae", "model_mape", "naive_mape", "demo", "computed_at")
    list_filter = ("demo", "weeks")
    search_fields = ("series",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
