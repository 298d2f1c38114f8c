"""CityEnforce: the urban-management enforcement platform (城市管理综合执法)."""
from cityenforce import sqlite_swap  # noqa: F401  must run before any sqlite3 import by Django
from cityenforce.celery import app as celery_app

__all__ = ["celery_app"]
