"""System checks of fine payment: production refuses a simulated cashier and an unset or weak notice secret.

They are errors, so ``manage.py check``, ``runserver`` and ``migrate`` refuse to start with them.
"""
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from apps.cases import payment_provider


@register(Tags.security, deploy=False)
def payment_provider_check(app_configs=None, **kwargs):
    demo = bool(getattr(settings, "DEMO_MODE", False))
    problems = []
    path = payment_provider.provider_class_path()
    provider_class = None
    if not path:
        problems.append(Error(
            "No payment provider is configured.",
            hint="Set CASES_PAYMENT_PROVIDER to the dotted path of the payment gateway's provider class, or to "
                 f"{payment_provider.DISABLED_PROVIDER!r} if there is no gateway and fines are paid at the bureau's bank counter.",
            id="cases.E001",
        ))
    else:
        try:
            provider_class = import_string(path)
        except ImportError as exc:
            problems.append(Error(f"The payment provider {path!r} cannot be imported: {exc}", id="cases.E002"))
    if provider_class is not None and not demo and payment_provider.is_simulated(provider_class):
        problems.append(Error(
            f"The payment provider {path} is a simulation: its cashier records fines as paid without any money.",
            hint="Configure a real payment gateway in CASES_PAYMENT_PROVIDER (or "
                 f"{payment_provider.DISABLED_PROVIDER!r} for payment at the bank counter only); the local cashier exists only with CITYENFORCE_DEMO=1.",
            id="cases.E003",
        ))
    secret = getattr(settings, "CASES_PAYMENT_SECRET", "") or ""
    if isinstance(secret, bytes):
        secret = secret.decode("utf-8", "replace")
    if not demo and not secret:
        problems.append(Error(
            "CASES_PAYMENT_SECRET is not set.",
            hint="Set it to the secret shared with the payment gateway (at least "
                 f"{payment_provider.MIN_SECRET_LENGTH} characters); it is never derived from SECRET_KEY.",
            id="cases.E004",
        ))
    elif secret and (len(secret) < payment_provider.MIN_SECRET_LENGTH or secret == getattr(settings, "SECRET_KEY", None)):
        message = (f"CASES_PAYMENT_SECRET is weak: it must have at least {payment_provider.MIN_SECRET_LENGTH} characters "
                   "and differ from SECRET_KEY.")
        problems.append(Error(message, id="cases.E005") if not demo else Warning(message, id="cases.W005"))
    return problems


@register(Tags.security, deploy=False)
def document_signer_check(app_configs=None, **kwargs):
    """Outside the demo, documents should be signed by the bureau's seal platform, not the demo CA."""
    path = getattr(settings, "CASES_DOCUMENT_SIGNER", "")
    if bool(getattr(settings, "DEMO_MODE", False)) or path not in ("", "apps.cases.signing.DemoSigner", "apps.cases.signing.NoSigner"):
        return []
    return [Warning(f"Case documents are signed by {path or 'nothing'!r} outside the demo.",
                    hint="Set CASES_DOCUMENT_SIGNER to the signer class of the bureau's electronic-seal platform (GB/T 38540).",
                    id="cases.W006")]
