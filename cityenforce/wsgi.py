"""WSGI entry point (HTTP only; production uses asgi with daphne)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")
application = get_wsgi_application()
