"""Settings for CityEnforce, chosen by environment (``DJANGO_SETTINGS_MODULE=cityenforce.settings``).

``base``: the platform (apps, middleware, database, Redis, auth, i18n, files, API, posture); ``work``: each app's
knobs and the beat schedule; ``rating``: the citizen rating and the SMS provider. A new app adds its settings to
``work`` (or a module of its own here: ``duty``, ``analytics``, ``wiki``), never to ``base``.
"""
from cityenforce.settings.base import *  # noqa: F403
from cityenforce.settings.rating import *  # noqa: F403
from cityenforce.settings.work import *  # noqa: F403
from cityenforce.settings.duty import *  # noqa: F403
from cityenforce.settings.analytics import *  # noqa: F403
from cityenforce.settings.wiki import *  # noqa: F403
from cityenforce.settings.portal import *  # noqa: F403
from cityenforce.settings.accounts import *  # noqa: F403
from cityenforce.settings.cases import *  # noqa: F403
from cityenforce.settings.coordination import *  # noqa: F403
from cityenforce.settings.emergency import *  # noqa: F403
from cityenforce.settings.privacy import *  # noqa: F403
