"""Text messages (短信) to people's phones, through one provider chosen by settings; any app may send.

Chinese SMS providers (阿里云短信, 腾讯云短信 ...) send only templates approved in advance, signed with an
approved sign name (签名): the caller never writes free text, it names a template and gives its
parameters::

    from apps.realtime.sms import send_sms, template_id
    send_sms("13800001111", template_id("rate_task"), {"number": "T2026...", "url": "https://..."})

Settings:

``SMS_PROVIDER``
    dotted path of a :class:`SmsProvider` subclass; default :class:`LoggingProvider` (nothing leaves the
    machine; the log shows the masked number, the template and the parameter names, never their values).
``SMS_TEMPLATES``
    our name of a template → the provider's template id, with its approved Chinese text documented beside
    it in ``cityenforce/settings/rating.py``.
``SMS_ACCESS_KEY`` / ``SMS_ACCESS_SECRET`` / ``SMS_SIGN_NAME`` / ``SMS_ENDPOINT``
    read from the environment, for a real provider (see :class:`SmsProvider`).

A real provider subclasses :class:`SmsProvider`, reads its credentials in ``__init__`` from
``settings.SMS_ACCESS_KEY`` etc., and implements :meth:`SmsProvider.send`: one request per message,
raising :class:`SmsError` when the provider refuses (the caller decides whether to retry).
"""
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from apps.gbcp.masking import Clearance, mask_phone

logger = logging.getLogger("cityenforce.sms")

DEFAULT_PROVIDER = "apps.realtime.sms.LoggingProvider"

# Messages kept by the RecordingProvider (tests, local development); like django.core.mail.outbox.
outbox: list = []


class SmsError(Exception):
    """The provider refused or could not be reached; ``code`` is the provider's, when it gave one."""

    def __init__(self, message, *, code=""):
        super().__init__(message)
        self.code = code


@dataclass
class SmsMessage:
    phone: str
    template_id: str
    params: dict = field(default_factory=dict)


@dataclass
class SmsResult:
    """What the provider answered: its id of the message ("" when it gives none)."""

    provider: str
    message_id: str = ""


class SmsProvider:
    """The interface of a provider. Subclasses implement ``send``; they read their configuration from settings
    (``SMS_ACCESS_KEY``, ``SMS_ACCESS_SECRET``, ``SMS_SIGN_NAME``, ``SMS_ENDPOINT``), never from the caller.
    """

    name = "base"

    def __init__(self):
        self.access_key = getattr(settings, "SMS_ACCESS_KEY", "")
        self.access_secret = getattr(settings, "SMS_ACCESS_SECRET", "")
        self.sign_name = getattr(settings, "SMS_SIGN_NAME", "")
        self.endpoint = getattr(settings, "SMS_ENDPOINT", "")

    def send(self, message: SmsMessage) -> SmsResult:  # pragma: no cover - the interface
        raise NotImplementedError


class LoggingProvider(SmsProvider):
    """Sends nothing: logs the masked number, the template id and the parameter names (values may hold secrets)."""

    name = "logging"

    def send(self, message: SmsMessage) -> SmsResult:
        logger.info("sms (not sent, logging provider): to=%s template=%s params=%s",
                    mask_phone(message.phone, Clearance.PUBLIC), message.template_id, sorted(message.params))
        return SmsResult(provider=self.name)


class RecordingProvider(LoggingProvider):
    """The logging provider that also keeps each message in ``apps.realtime.sms.outbox`` (tests, development only)."""

    name = "recording"

    def send(self, message: SmsMessage) -> SmsResult:
        result = super().send(message)
        outbox.append(message)
        return result


def provider() -> SmsProvider:
    path = getattr(settings, "SMS_PROVIDER", "") or DEFAULT_PROVIDER
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_PROVIDER {path!r} cannot be imported") from exc
    if not (isinstance(cls, type) and issubclass(cls, SmsProvider)):
        raise ImproperlyConfigured(f"SMS_PROVIDER {path!r} is not an SmsProvider")
    return cls()


def template_id(name: str) -> str:
    """The provider's id of our template ``name`` (``settings.SMS_TEMPLATES``); an unknown name is a configuration error."""
    templates = getattr(settings, "SMS_TEMPLATES", {})
    if name not in templates:
        raise ImproperlyConfigured(f"SMS template {name!r} is not in SMS_TEMPLATES")
    return templates[name]


def send_sms(phone: str, template_id: str, params: dict) -> SmsResult:
    """Send the approved template ``template_id`` with ``params`` (strings) to ``phone``.

    Raises :class:`SmsError` when the provider refuses, ``ValueError`` for an empty number.
    """
    phone = (phone or "").replace(" ", "")
    if not phone:
        raise ValueError("no phone number")
    message = SmsMessage(phone=phone, template_id=template_id, params={str(k): str(v) for k, v in (params or {}).items()})
    return provider().send(message)
