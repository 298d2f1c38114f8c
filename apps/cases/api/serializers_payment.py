"""Input serializers of payment terms (art. 66), on-the-spot cash (arts. 68–71) and the hearing's schedule
(arts. 64–65); the output ones stay in ``serializers`` beside the case they describe."""
from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.accounts.models import User
from apps.cases.api.serializers import ScopedToCaller
from apps.cases.models import CashCollection, PaymentTermRequest
from apps.cases.selectors import staff_list_for_user
from apps.gbcp.api.fields import BoundedDateField
from apps.gbcp.api.params import EARLIEST_YEAR, LATEST_YEAR


class InstalmentInSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    due_date = BoundedDateField()


class PaymentTermsRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PaymentTermRequest.Kind.choices)
    reason = serializers.CharField(max_length=4000)
    new_due = BoundedDateField(required=False, allow_null=True, help_text="deferral: the new payment date")
    schedule = InstalmentInSerializer(many=True, required=False, help_text="instalments: amount and date each, adding up to the fine")

    def validate(self, data):
        if data["kind"] == PaymentTermRequest.Kind.DEFERRAL and not data.get("new_due"):
            raise serializers.ValidationError({"new_due": [_("A deferral needs the new payment date.")]})
        if data["kind"] == PaymentTermRequest.Kind.INSTALMENTS and not data.get("schedule"):
            raise serializers.ValidationError({"schedule": [_("Instalments need their amounts and dates.")]})
        return data


class PaymentTermsDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class InstalmentPaySerializer(serializers.Serializer):
    instalment = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reference = serializers.CharField(max_length=64)


class CashCollectSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=CashCollection.Ground.choices)
    receipt_number = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CashHandinSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=64)


class HearingScheduleSerializer(ScopedToCaller, serializers.Serializer):
    scoped = {"presiding": staff_list_for_user}

    scheduled_for = serializers.DateTimeField()
    place = serializers.CharField(max_length=255)
    presiding = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), help_text="a staff member who did not investigate the case")

    def validate_scheduled_for(self, value):
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise serializers.ValidationError(_("Give a year between %(low)s and %(high)s.") % {"low": EARLIEST_YEAR, "high": LATEST_YEAR})
        return value


class HearingWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)
