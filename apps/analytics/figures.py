"""The four figures by name, with their demo flag: what pages, API and exports share (and a big screen may reuse)."""
from dataclasses import replace
from datetime import timedelta

from django.conf import settings

from apps.analytics import forecast, growth, hotspots, peaks, selectors

FIGURES = ("peak-times", "hot-spots", "growth", "forecast")


def figure(name: str, *, user, filters, series="total") -> dict:
    """The figure's data plus ``demo``: whether generated demo history lies behind it."""
    if name == "peak-times":
        data = peaks.peak_times(user=user, filters=filters)
        demo = selectors.is_demo(user=user, filters=filters)
    elif name == "hot-spots":
        data = hotspots.hot_spots(user=user, filters=filters)
        demo = selectors.is_demo(user=user, filters=filters)
    elif name == "growth":
        data = growth.growth(user=user, filters=filters)
        demo = selectors.is_demo(user=user, filters=filters, start=filters.shifted(-data["k"]).start)
    else:
        data = forecast.forecast(user=user, filters=filters, series=series)
        first = filters.last - timedelta(days=settings.ANALYTICS_FORECAST_HISTORY_DAYS - 1)
        demo = selectors.is_demo(user=user, filters=filters, start=replace(filters, first=first).start)
    data["demo"] = demo
    return data


def public(data: dict) -> dict:
    """Without internal keys (the hot spots' geometries)."""
    return {k: v for k, v in data.items() if not k.startswith("_")}
