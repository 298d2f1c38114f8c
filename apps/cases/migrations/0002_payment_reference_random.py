"""Replace the sequential payment references (CE + district + year + sequence) with random ones.

The old references could be guessed from a case number; anyone holding one could open the cashier.
Only payments still pending are rotated: a paid or enforced payment keeps the reference the bank
records carry, so reconciliation still matches. A decision of a pending fine already printed with an
old reference must be issued again to show the new one.
"""
import secrets

from django.db import migrations

# Frozen copies of apps.cases.payment_provider's format at the time of this migration.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
RANDOM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _check_char(body):
    m = 36
    product = m
    for ch in body:
        total = (product + ALPHABET.index(ch)) % m or m
        product = (total * 2) % (m + 1)
    return ALPHABET[(m + 1 - product) % m]


def _new_reference(taken):
    while True:
        body = "CE" + "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(20))
        reference = body + _check_char(body)
        if reference not in taken:
            taken.add(reference)
            return reference


def rotate(apps, schema_editor):
    Payment = apps.get_model("cases", "Payment")
    taken = set(Payment.objects.values_list("reference", flat=True))
    # Payment.State.PENDING at the time of this migration; paid/enforced ones keep their reference for reconciliation.
    for pk in list(Payment.objects.filter(state="pending").values_list("pk", flat=True)):
        Payment.objects.filter(pk=pk).update(reference=_new_reference(taken))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(rotate, migrations.RunPython.noop)]
