"""Forecast of the next 7 days' intake (docs/ANALYTICS.md §4): SARIMAX(1,0,0)(0,1,1)₇ on daily counts with the work
calendar as regressors (holiday; make-up workday), beside the seasonal-naive baseline (the same weekday last week),
backtested by rolling origin over the last N weeks (MAE, MAPE on days with at least one report).

A series is ``total`` (the viewer's jurisdiction under the filters), ``district:<code>`` or ``category:<code>``.
"""
import warnings
from dataclasses import replace
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from threadpoolctl import threadpool_limits

from apps.analytics import selectors
from apps.gbcp.errors import ApplicationError

HORIZON = 7
MIN_DAYS = 28
MODEL = "SARIMAX(1,0,0)(0,1,1,7) + holiday regressors"


def parse_series(value: str) -> tuple[str, str]:
    value = (value or "total").strip()
    kind, _sep, code = value.partition(":")
    if value == "total":
        return "total", ""
    if kind in ("district", "category") and code and len(code) <= 16:
        return kind, code
    raise ApplicationError(_("Unknown series."), code="invalid_filter", details={"series": [_("Unknown series.")]})


def _series_filters(filters, kind, code):
    if kind == "district":
        return replace(filters, region=code)
    if kind == "category":
        return replace(filters, category=code)
    return filters


def days_between(first, last) -> list:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def calendar_exog(days) -> np.ndarray:
    """Columns: holiday (a CalendarDay that is no workday), make-up workday (a CalendarDay that is one)."""
    holidays, makeups = selectors.calendar_days(days[0], days[-1])
    holidays, makeups = set(holidays), set(makeups)
    return np.array([[d in holidays, d in makeups] for d in days], dtype=float)


def history(*, user, filters, series="total"):
    """(days, counts) of the series over the ANALYTICS_FORECAST_HISTORY_DAYS days ending with the filters' last day,
    from its first day with a report."""
    kind, code = parse_series(series)
    sub = _series_filters(filters, kind, code)
    last = filters.last
    first = last - timedelta(days=settings.ANALYTICS_FORECAST_HISTORY_DAYS - 1)
    counts = selectors.daily_counts(user=user, filters=sub, first=first, last=last, by="all")
    days = days_between(first, last)
    y = np.array([counts.get(("all", d), 0) for d in days], dtype=float)
    start = int(np.argmax(y > 0)) if y.any() else len(y)  # before the first report the history had not begun (an import, a new district)
    return days[start:], y[start:]


def model_forecast(y, exog_past, exog_future, horizon=HORIZON):
    """(mean, lower, upper) of the 80 % interval, clipped at zero; regressor columns never seen in the past are dropped."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start

    keep = exog_past.any(axis=0)
    past = exog_past[:, keep] if keep.any() else None
    future = exog_future[:, keep] if keep.any() else None
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = SARIMAX(y, exog=past, order=(1, 0, 0), seasonal_order=(0, 1, 1, 7)).fit(disp=False, maxiter=50)
        found = fitted.get_forecast(horizon, exog=future)
        interval = np.asarray(found.conf_int(alpha=0.2))
    return np.clip(np.asarray(found.predicted_mean), 0, None), np.clip(interval[:, 0], 0, None), np.clip(interval[:, 1], 0, None)


def seasonal_naive(y, horizon=HORIZON):
    return np.asarray(y[-7:][:horizon], dtype=float)


def _errors(actual, predicted) -> dict:
    actual, predicted = np.asarray(actual, float), np.asarray(predicted, float)
    positive = actual > 0
    return {"mae": round(float(np.mean(np.abs(actual - predicted))), 3),
            "mape": round(float(np.mean(np.abs(actual[positive] - predicted[positive]) / actual[positive])), 4) if positive.any() else None}


def backtest(days, y, *, weeks=None) -> dict | None:
    """Rolling origin: for each of the last ``weeks`` weeks, fit on what came before, forecast its 7 days."""
    weeks = weeks or settings.ANALYTICS_BACKTEST_WEEKS
    if len(y) < MIN_DAYS + 7 * weeks:
        return None
    exog = calendar_exog(days)
    actual, model, naive = [], [], []
    for w in range(weeks, 0, -1):
        cut = len(y) - 7 * w
        mean, _lo, _hi = model_forecast(y[:cut], exog[:cut], exog[cut:cut + 7])
        actual.extend(y[cut:cut + 7])
        model.extend(mean)
        naive.extend(seasonal_naive(y[:cut]))
    return {"weeks": weeks, "model": _errors(actual, model), "naive": _errors(actual, naive)}


def forecast(*, user, filters, series="total") -> dict:
    """The next 7 days after the filters' last day, with the 80 % interval, the seasonal-naive baseline and the last
    four weeks of history."""
    days, y = history(user=user, filters=filters, series=series)
    future = days_between(filters.last + timedelta(days=1), filters.last + timedelta(days=HORIZON))
    out = {"filters": filters.as_dict(), "series": series, "model": MODEL,
           "history": [{"day": d.isoformat(), "count": int(n)} for d, n in zip(days[-28:], y[-28:])], "forecast": []}
    if len(y) < MIN_DAYS or y.sum() == 0:
        out["status"] = "too_short"
        return out
    exog = calendar_exog(days + future)
    mean, low, high = model_forecast(y, exog[:len(days)], exog[len(days):])
    naive = seasonal_naive(y)
    out["status"] = "ok"
    out["forecast"] = [{"day": d.isoformat(), "mean": round(float(m), 2), "low": round(float(lo), 2), "high": round(float(hi), 2), "naive": float(n)}
                       for d, m, lo, hi, n in zip(future, mean, low, high, naive)]
    return out
