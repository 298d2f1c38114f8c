"""Published signing keys (reads): which key a tree head names, and whether its signature holds under that key."""
import datetime as dt
from dataclasses import dataclass

from apps.evidence import signing
from apps.evidence.models import SigningKey


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    algorithm: str
    public_key_pem: str
    status: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    public_key: object  # Ed25519PublicKey

    def as_dict(self) -> dict:
        return {
            "key_id": self.key_id, "algorithm": self.algorithm, "public_key_pem": self.public_key_pem, "status": self.status,
            "valid_from": self.valid_from, "valid_until": self.valid_until,
        }


def _published(row: SigningKey) -> PublishedKey:
    return PublishedKey(row.key_id, row.algorithm, row.public_key_pem, row.status, row.valid_from, row.valid_until,
                        signing.public_key_from_pem(row.public_key_pem))


def published_keys(*, using=None) -> list[PublishedKey]:
    """Every published key, oldest first. Before the first key is recorded (a fresh log), the current key alone, as active."""
    qs = SigningKey.objects.using(using) if using else SigningKey.objects
    rows = [_published(row) for row in qs.order_by("valid_from", "id")]
    if rows:
        return rows
    key = signing.public_key()
    return [PublishedKey(signing.key_id_of(key), "Ed25519", signing.public_key_pem_of(key), SigningKey.Status.ACTIVE, None, None, key)]


def active_key(keys: list[PublishedKey]) -> PublishedKey | None:
    return next((k for k in keys if k.status == SigningKey.Status.ACTIVE), None)


def key_for(key_id: str, keys: list[PublishedKey]) -> PublishedKey | None:
    """The key a head names; a head that names none (written before heads named keys) is read as the first key."""
    if not key_id:
        return keys[0] if keys else None
    return next((k for k in keys if k.key_id == key_id), None)


def head_problem(*, key_id: str, tree_size: int, root_hash: str, timestamp: int, signature: str, keys: list[PublishedKey]) -> str | None:
    """None when the head's signature holds under the key it names and was made while that key signed; else why not."""
    key = key_for(key_id, keys)
    if key is None:
        return f"signed by an unknown key {key_id[:16]}"
    if not signing.verify(signing.sth_message(tree_size, root_hash, timestamp), signature, key.public_key):
        return "signature invalid"
    if key.valid_until is not None and timestamp > int(key.valid_until.timestamp() * 1000):
        return f"signed by key {key.key_id[:16]} after it was retired"
    return None


def head_valid(head, keys: list[PublishedKey] | None = None) -> bool:
    return head_problem(key_id=head.key_id, tree_size=head.tree_size, root_hash=head.root_hash, timestamp=head.timestamp,
                        signature=head.signature, keys=keys if keys is not None else published_keys()) is None


def public_key_pem_for(key_id: str) -> str:
    key = key_for(key_id, published_keys())
    return key.public_key_pem if key else signing.public_key_pem()
