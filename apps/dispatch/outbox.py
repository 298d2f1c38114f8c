"""Signing of partner messages (HMAC-SHA256 over "timestamp.body"), shared by our replies and their requests."""
import hashlib
import hmac


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp.body", hex: the same scheme partners use towards us."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
