#!/usr/bin/env python3
"""Verify a CityEnforce evidence bundle offline: file hash, leaf hash, RFC 9162 inclusion proof, Ed25519 signed tree head.

Needs only the Python standard library and the ``cryptography`` package.

    python3 verify_bundle.py BUNDLE.zip [--public-key KEY.pem]

Exit status 0 when everything checks out, 1 otherwise (with the reason).
"""
import argparse
import base64
import hashlib
import json
import sys
import zipfile

STH_PREFIX = b"CityEnforce-STH-v1\n"


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


HASH_SIZE = 32


def root_from_inclusion(index, tree_size, leaf, path):
    """RFC 9162 §2.1.3.2; None when the proof is malformed.

    Refused, as the reference verifier refuses them: an index outside the tree, a leaf hash or a path
    element that is not 32 bytes, a path longer or shorter than the tree is deep.
    """
    path = list(path)
    if not 0 <= index < tree_size or len(leaf) != HASH_SIZE or any(len(p) != HASH_SIZE for p in path):
        return None
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def hex_hash(value, what):
    """Exactly 64 hex digits, or the bundle is refused."""
    if not isinstance(value, str) or len(value) != 2 * HASH_SIZE:
        raise Failed(f"{what} is not a 32-byte hash in hex")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise Failed(f"{what} is not a 32-byte hash in hex")


class Failed(Exception):
    pass


def verify(bundle_path, public_key_path=None):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        zf = zipfile.ZipFile(bundle_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise Failed(f"cannot open the bundle: {exc}")
    with zf:
        names = set(zf.namelist())
        for required in ("entry.json", "proof.json", "tree_head.json"):
            if required not in names:
                raise Failed(f"the bundle has no {required}")
        entry_bytes = zf.read("entry.json")
        try:
            entry = json.loads(entry_bytes)
            proof = json.loads(zf.read("proof.json"))
            head = json.loads(zf.read("tree_head.json"))
        except ValueError as exc:
            raise Failed(f"a JSON file of the bundle is malformed: {exc}")
        file_name = proof.get("file")
        if file_name not in names:
            raise Failed(f"the evidence file {file_name!r} is not in the bundle")
        digest = hashlib.sha256()
        with zf.open(file_name) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        if public_key_path:
            with open(public_key_path, "rb") as fh:
                key_pem = fh.read()
        elif "public_key.pem" in names:
            key_pem = zf.read("public_key.pem")
        else:
            raise Failed("no public key: give --public-key")

    # 1. The file is the one the log entry names.
    if digest.hexdigest() != entry.get("sha256"):
        raise Failed(f"file hash {digest.hexdigest()} differs from the logged {entry.get('sha256')}: the file was altered")
    # 2. The leaf is this entry.
    leaf = hashlib.sha256(b"\x00" + entry_bytes).digest()
    if leaf.hex() != proof.get("leaf_hash"):
        raise Failed("the leaf hash of entry.json differs from proof.json: the entry was altered")
    # 3. The leaf is in the tree the head names.
    try:
        audit_path = proof["audit_path"]
        if not isinstance(audit_path, list):
            raise TypeError("audit_path is not a list")
        path = [hex_hash(h, "an audit path element") for h in audit_path]
        index, size = int(proof["leaf_index"]), int(head["tree_size"])
        root_hex = str(head["root_hash"]).lower()
        hex_hash(root_hex, "the signed root")
        timestamp = int(head["timestamp"])
        signature = base64.b64decode(head["signature"], validate=True)
    except (KeyError, ValueError, TypeError) as exc:
        raise Failed(f"proof or tree head incomplete: {exc}")
    if "tree_size" in proof and str(proof["tree_size"]) != str(size):
        raise Failed("proof.json and tree_head.json name different tree sizes")
    computed = root_from_inclusion(index, size, leaf, path)
    if computed is None or computed.hex() != root_hex:
        raise Failed("the inclusion proof does not lead to the signed root")
    # 4. The head is signed by the log's key.
    try:
        key = serialization.load_pem_public_key(key_pem)
    except ValueError as exc:
        raise Failed(f"the public key cannot be read: {exc}")
    if not isinstance(key, Ed25519PublicKey):
        raise Failed("the public key is not an Ed25519 key")
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if head.get("key_id") and hashlib.sha256(der).hexdigest() != head["key_id"]:
        raise Failed("the tree head was signed by another key (key id differs)")
    message = STH_PREFIX + f"{size}\n{root_hex}\n{timestamp}\n".encode("ascii")
    try:
        key.verify(signature, message)
    except InvalidSignature:
        raise Failed("the tree head signature is invalid")
    return entry, size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--public-key", help="PEM file of the log's Ed25519 public key (instead of the one in the bundle)")
    args = parser.parse_args(argv)
    try:
        entry, size = verify(args.bundle, args.public_key)
    except Failed as exc:
        print(f"FAILED: {exc}")
        return 1
    source = "the given key" if args.public_key else "the bundled key (check it against the bureau's published key)"
    print(
        f"OK: evidence {entry.get('evidence_id')} (sha256 {entry.get('sha256')}) is in the signed log of {size} entries; "
        f"signature checked with {source}; recorded {entry.get('recorded_at')}, captured {entry.get('captured_at') or '-'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
