"""WebSocket authentication by API token (``?token=``) for the mobile client; sessions come first."""
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


@database_sync_to_async
def _user_for_token(key):
    # The API's own token check (knox): an expired or revoked token, or an inactive user, opens no socket.
    try:
        user, _token = TokenAuthentication().authenticate_credentials(key.encode())
    except AuthenticationFailed:
        return None
    return user


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            query = parse_qs(scope.get("query_string", b"").decode())
            key = (query.get("token") or [None])[0]
            if key:
                found = await _user_for_token(key)
                if found is not None:
                    scope = dict(scope, user=found)
        return await super().__call__(scope, receive, send)
