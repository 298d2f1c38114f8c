"""Accounts API: who am I, and tokens for the mobile client (issued, expiring, revocable)."""
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import otp, services
from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.accounts.throttling import hit, lockout_response, rate_limit, too_many_requests
from apps.gbcp.errors import ApplicationError


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    organizations = serializers.ListField(child=serializers.DictField())
    jurisdiction = serializers.ListField(child=serializers.CharField(), allow_null=True)
    clearance = serializers.IntegerField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "display_name": str(user),
                "roles": sorted(user.roles()),
                "organizations": [{"id": o.pk, "name": o.name, "region": o.region.code} for o in user.organizations()],
                "jurisdiction": jurisdiction_prefixes(user),
                "clearance": int(user.clearance()),
            }
        )


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True,
                                 help_text="the six-digit code of the user's authenticator; required when the user has one")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send as `Authorization: Token <token>`; shown only this once")
    expiry = serializers.DateTimeField(allow_null=True)


class TokenView(APIView):
    """POST username and password, get a new token for ``Authorization: Token …`` (one per device).

    Rate limited per client address and locked out per username and address after repeated failures (429).
    A user with an authenticator (staff, TOTP) must also send ``otp``: without it the answer is 400 ``otp_required``,
    with a wrong one 400 ``invalid_otp`` (codes are rate limited per address and throttled per device).
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=CredentialsSerializer, responses={200: TokenSerializer})
    @rate_limit("login")
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, so that django-axes counts the failure and flags a lockout on it.
        data = dict(serializer.validated_data)
        code = data.pop("otp", "")
        user = authenticate(request=request._request, **data)
        if user is None:
            if getattr(request._request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise serializers.ValidationError({"non_field_errors": [_("Unable to log in with the given user name and password.")]})
        refused = self._second_factor(request, user, code)
        if refused is not None:
            return refused
        row, token = services.api_token_issue(user=user)
        return Response(TokenSerializer({"token": token, "expiry": row.expiry}).data)


    @staticmethod
    def _second_factor(request, user, code):
        """Field units sign in with the authenticator's code as well when the user has one (docs/SECURITY.md)."""
        if otp.confirmed_device(user) is None:
            if settings.STAFF_OTP_REQUIRED and is_staff_user(user):
                raise ApplicationError(_("Set up an authenticator on the web first, then sign in here with its code."),
                                       code="otp_enrolment_required", status_code=403)
            return None
        if not code:
            raise ApplicationError(_("Enter the code of your authenticator."), code="otp_required", details={"otp": [_("This field is required.")]})
        retry_after = hit(request._request, group="otp", rate=settings.RATE_LIMITS["otp"])
        if retry_after is not None:
            return too_many_requests(request._request, retry_after=retry_after)
        if not otp.verify_user(user=user, code=code):
            raise ApplicationError(_("The code is not correct."), code="invalid_otp", details={"otp": [_("The code is not correct.")]})
        return None


class TokenRevokeView(APIView):
    """Revoke the token this request is signed with (sign out of this device)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            raise serializers.ValidationError({"non_field_errors": [_("This request is not signed with an API token.")]})
        services.api_token_revoke(user=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllView(APIView):
    """Revoke every API token of the caller (sign out of every device)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.api_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
