"""Digital signatures (PAdES) on issued case documents, through one signer interface.

``get_signer()`` returns the signer named by ``settings.CASES_DOCUMENT_SIGNER``. A signer has
``sign(pdf_bytes, subject) -> bytes`` (the signed PDF, signed in the name of the enforcement subject) and
``validate(pdf_bytes) -> SignatureCheck``. Production plugs in the bureau's electronic-seal platform
(GB/T 38540) with a class of its own; nothing else changes.

``DemoSigner`` signs with pyHanko using a demo certificate authority created on first use under
``VAR_DIR/cases_demo_ca`` (a CA certificate and one certificate per subject, EC P-256). Its keys live
only on that machine and are never committed; documents it signs are trusted only by that CA.
"""
import datetime as dt
import fcntl
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEMO_CA_DIR = "cases_demo_ca"


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # the PDF carries a signature at all
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # the certificate chains to the trust root
    covers_whole_file: bool = False  # nothing was appended after signing
    signer: str = ""  # who signed (the certificate's subject)
    signed_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def demo_ca_dir() -> Path:
    return Path(getattr(settings, "CASES_DEMO_CA_DIR", "") or Path(settings.VAR_DIR) / DEMO_CA_DIR)


def get_signer():
    return import_string(settings.CASES_DOCUMENT_SIGNER)()


class NoSigner:
    """Documents go out unsigned (only the stored SHA-256 vouches for them). For a system without keys."""

    def sign(self, pdf_bytes: bytes, subject) -> bytes:
        return pdf_bytes

    def validate(self, pdf_bytes: bytes) -> SignatureCheck:
        return DemoSigner().validate(pdf_bytes) if DemoSigner.ca_exists() else SignatureCheck(signed=False)


class DemoSigner:
    """PAdES signatures with a demo certificate authority generated under VAR_DIR."""

    def __init__(self, directory: Path | None = None):
        self.dir = Path(directory or demo_ca_dir())

    @classmethod
    def ca_exists(cls) -> bool:
        return (demo_ca_dir() / "ca.cert.pem").exists()

    # --- keys and certificates ---

    def _write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    @contextmanager
    def _lock(self):
        """One process at a time creates keys (a key and its certificate are written as a pair)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _issue(self, name: str, key_path: Path, cert_path: Path, *, ca=None, serial_number: str = ""):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
                 x509.NameAttribute(NameOID.COMMON_NAME, name)]
        if serial_number:
            attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
        subject_name = x509.Name(attrs)
        issuer_key, issuer_name = (key, subject_name) if ca is None else (ca[0], ca[1].subject)
        now = dt.datetime.now(dt.timezone.utc)
        builder = (x509.CertificateBuilder().subject_name(subject_name).issuer_name(issuer_name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=3650 if ca is None else 1825))
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if ca is None:
            builder = (builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                       .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                                    data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                                    encipher_only=False, decipher_only=False), critical=True))
        else:
            builder = (builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                       .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                                    data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                                    encipher_only=False, decipher_only=False), critical=True)
                       .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca[0].public_key()), critical=False))
        cert = builder.sign(issuer_key, hashes.SHA256())
        self._write(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))
        self._write(cert_path, cert.public_bytes(serialization.Encoding.PEM))

    def _ca_paths(self):
        return self.dir / "ca.key.pem", self.dir / "ca.cert.pem"

    def ca_certificate(self):
        """The demo CA certificate (asn1crypto), created on first use."""
        from pyhanko.keys import load_cert_from_pemder

        key_path, cert_path = self._ca_paths()
        if not cert_path.exists():
            with self._lock():
                if not cert_path.exists():
                    self._issue("CityEnforce 演示证书颁发机构（DEMO CA）", key_path, cert_path)
        return load_cert_from_pemder(str(cert_path))

    def _subject_paths(self, subject):
        stem = subject.uscc or f"subject-{subject.pk}"
        return self.dir / f"{stem}.key.pem", self.dir / f"{stem}.cert.pem"

    def _subject_signer(self, subject):
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers

        ca_cert = self.ca_certificate()
        key_path, cert_path = self._subject_paths(subject)
        if not cert_path.exists():
            with self._lock():
                if not cert_path.exists():
                    ca_key_path, ca_cert_path = self._ca_paths()
                    ca = (serialization.load_pem_private_key(ca_key_path.read_bytes(), None),
                          x509.load_pem_x509_certificate(ca_cert_path.read_bytes()))
                    self._issue(subject.name, key_path, cert_path, ca=ca, serial_number=subject.uscc)
        return signers.SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=(str(self._ca_paths()[1]),)), ca_cert

    # --- the interface ---

    def sign(self, pdf_bytes: bytes, subject) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer, _ca = self._subject_signer(subject)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
                                            name=subject.name, reason="行政执法文书电子签章（演示）", location=subject.address or None)
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()

    def validate(self, pdf_bytes: bytes) -> SignatureCheck:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

        try:
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
            signatures = reader.embedded_signatures
        except Exception:  # not a PDF, or a broken one: no signature can be read from it
            return SignatureCheck(signed=False)
        if not signatures:
            return SignatureCheck(signed=False)
        try:
            status = validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=[self.ca_certificate()]))
        except Exception:  # a mangled signature dictionary or CMS blob is a failed signature, not a crash
            return SignatureCheck(signed=True)
        cert = status.signing_cert
        return SignatureCheck(
            signed=True, intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            signer=cert.subject.native.get("common_name", "") if cert is not None else "", signed_at=status.signer_reported_dt,
        )
