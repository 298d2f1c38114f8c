"""The Ed25519 key that signs tree heads, and the exact bytes it signs."""
import base64
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

STH_PREFIX = b"CityEnforce-STH-v1\n"
KEY_FILE_NAME = "evidence_signing_key.pem"


def sth_message(tree_size: int, root_hex: str, timestamp_ms: int) -> bytes:
    """The signed message: prefix line, then size, root (lower-case hex) and timestamp, each ending in a newline."""
    return STH_PREFIX + f"{int(tree_size)}\n{root_hex.lower()}\n{int(timestamp_ms)}\n".encode("ascii")


def _key_path() -> Path:
    var_dir = getattr(settings, "VAR_DIR", None) or settings.BASE_DIR / "var"
    return Path(var_dir) / KEY_FILE_NAME


def _load_configured(value) -> Ed25519PrivateKey:
    text = value.decode() if isinstance(value, bytes) else str(value)
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("EVIDENCE_SIGNING_KEY is not an Ed25519 key")
        return key
    raw = base64.b64decode(text)
    if len(raw) == 32:
        return Ed25519PrivateKey.from_private_bytes(raw)
    key = serialization.load_der_private_key(raw, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("EVIDENCE_SIGNING_KEY is not an Ed25519 key")
    return key


def _load_or_create_file(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            # O_EXCL: two processes starting at once must not end up with two different keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


@lru_cache(maxsize=4)
def _private_key(configured, path, stamp) -> Ed25519PrivateKey:
    return _load_configured(configured) if configured else _load_or_create_file(Path(path))


def _file_stamp(path: Path):
    # A rotation replaces the key file: every process sees the new key at its next signature, without a restart.
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def private_key() -> Ed25519PrivateKey:
    """From settings.EVIDENCE_SIGNING_KEY (PEM, base64 raw 32 bytes or base64 DER), else a key file under VAR_DIR."""
    configured = getattr(settings, "EVIDENCE_SIGNING_KEY", "") or ""
    path = _key_path()
    return _private_key(configured, str(path), None if configured else _file_stamp(path))


def key_configured() -> bool:
    """True when the key comes from settings (a rotation then cannot replace it: the operator must)."""
    return bool(getattr(settings, "EVIDENCE_SIGNING_KEY", ""))


def key_file_path() -> Path:
    return _key_path()


def new_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_pem(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


def public_key_pem_of(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def public_key_from_pem(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return public_key_pem_of(public_key())


def key_id_of(key: Ed25519PublicKey) -> str:
    """SHA-256 of the DER SubjectPublicKeyInfo, hex (as RFC 9162 names a log by its key)."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def key_id() -> str:
    return key_id_of(public_key())


def sign(message: bytes, key: Ed25519PrivateKey | None = None) -> str:
    return base64.b64encode((key or private_key()).sign(message)).decode("ascii")


def verify(message: bytes, signature_b64: str, key: Ed25519PublicKey | None = None) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        (key or public_key()).verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True
