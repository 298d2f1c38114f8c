"""Rotate the evidence signing key: a new Ed25519 key signs from now on; the old one stays published for old tree heads."""
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.evidence import services, signing
from apps.gbcp.errors import ApplicationError


def _write_new(path: Path, pem: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never overwrite a key
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


class Command(BaseCommand):
    help = ("Generate a new signing key, retire the active one (kept published), sign the current tree with the new key. "
            "With EVIDENCE_SIGNING_KEY set, --key-out is required and the operator installs the new key.")

    def add_arguments(self, parser):
        parser.add_argument("--key-out", help="write the new private key (PEM, mode 0600) here instead of replacing the key file")
        parser.add_argument("--note", default="", help="why (kept with the published key), e.g. 'yearly rotation' or 'key lost'")

    def handle(self, *args, key_out=None, note="", **options):
        pem = signing.new_private_key_pem()
        new_key = signing.private_key_from_pem(pem)
        install = None
        if key_out:
            _write_new(Path(key_out), pem)
        elif signing.key_configured():
            raise CommandError("EVIDENCE_SIGNING_KEY is set: give --key-out PATH, then set EVIDENCE_SIGNING_KEY to that key and restart.")
        else:
            key_file = signing.key_file_path()
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=key_file.parent, prefix=".new-signing-key-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            os.chmod(tmp, 0o600)

            def install():
                # Replaced while the log is locked: every process loads the new file at its next signature.
                os.replace(tmp, key_file)

        self.stdout.write("publishing the new key and signing the current tree with it …")
        try:
            head = services.signing_key_rotate(user=None, new_key=new_key, note=note, install=install)
        except ApplicationError as exc:
            if key_out:
                Path(key_out).unlink(missing_ok=True)
            raise CommandError(str(exc))
        finally:
            if install is not None and os.path.exists(tmp):
                os.unlink(tmp)
        self.stdout.write(f"new key id {head.key_id}; tree head of size {head.tree_size} signed with it")
        if key_out:
            self.stdout.write(self.style.WARNING(
                f"Set EVIDENCE_SIGNING_KEY to the contents of {key_out} on every web and worker process and restart them: "
                "until then they refuse to sign (the old key is retired). Escrow the new key (docs/OPERATIONS.md)."
            ))
        else:
            self.stdout.write(self.style.WARNING(f"The key file {signing.key_file_path()} holds the new key. Escrow it now (docs/OPERATIONS.md)."))
        self.stdout.write(self.style.SUCCESS("The retired key stays published: old tree heads still verify."))
