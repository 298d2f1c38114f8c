"""A stand-in for a real payment gateway's provider class, so `check --deploy` can run with demo mode off in a test."""


class Gateway:
    simulated = False


class SealPlatformSigner:
    """A stand-in for the bureau's electronic-seal platform (GB/T 38540) signer, for the same test."""

    def sign(self, pdf_bytes: bytes, subject) -> bytes:
        raise NotImplementedError("a stand-in: check --deploy only names it")

    def validate(self, pdf_bytes: bytes):
        raise NotImplementedError("a stand-in: check --deploy only names it")
