"""Accounts API: who am I, and a token for the mobile client."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.jurisdiction import jurisdiction_prefixes


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


class TokenView(ObtainAuthToken):
    """POST username and password, get the token for ``Authorization: Token …``."""
