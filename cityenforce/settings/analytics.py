"""Settings of apps.analytics (分析研判); every value can come from the environment."""
import os

ANALYTICS_DEFAULT_DAYS = int(os.environ.get("ANALYTICS_DEFAULT_DAYS", "90"))  # the period when none is asked for
ANALYTICS_MAX_DAYS = 3 * 366
ANALYTICS_FDR = float(os.environ.get("ANALYTICS_FDR", "0.05"))  # Benjamini–Hochberg q for hot spots and growth
ANALYTICS_PERMUTATIONS = int(os.environ.get("ANALYTICS_PERMUTATIONS", "999"))  # conditional permutations of Gi*
ANALYTICS_SEED = 20261128  # permutation p-values are reproducible for the same data
ANALYTICS_GROWTH_BASELINE = int(os.environ.get("ANALYTICS_GROWTH_BASELINE", "4"))  # k previous periods of equal length
ANALYTICS_FORECAST_DAYS = 7
ANALYTICS_FORECAST_HISTORY_DAYS = int(os.environ.get("ANALYTICS_FORECAST_HISTORY_DAYS", "182"))
ANALYTICS_BACKTEST_WEEKS = int(os.environ.get("ANALYTICS_BACKTEST_WEEKS", "8"))
ANALYTICS_TOP_CATEGORIES = 5
# Generated demo history (演示数据) written by the demo seed through apps.dispatch.services.history; 0 turns it off.
ANALYTICS_DEMO_HISTORY_DAYS = int(os.environ.get("ANALYTICS_DEMO_HISTORY_DAYS", "120"))

from celery.schedules import crontab  # noqa: E402

from cityenforce.settings.work import CELERY_BEAT_SCHEDULE  # noqa: E402

ANALYTICS_SCREEN_CACHE_S = int(os.environ.get("ANALYTICS_SCREEN_CACHE_S", "30"))  # the big screen's figures, per scope

CELERY_BEAT_SCHEDULE["analytics-monthly-report"] = {"task": "apps.analytics.tasks.monthly_report",
                                                    "schedule": crontab(minute=30, hour=2, day_of_month=1)}
CELERY_BEAT_SCHEDULE["analytics-weekly-backtest"] = {"task": "apps.analytics.tasks.weekly_backtest", "schedule": 7 * 24 * 3600.0}
CELERY_BEAT_SCHEDULE["analytics-warm-hot-spots"] = {"task": "apps.analytics.tasks.warm_hot_spots",
                                                    "schedule": crontab(minute=20, hour=0)}
