"""Settings of the cases app (enforcement cases). Payment settings stay in ``work``."""
import os

# The signer of issued documents (apps.cases.signing): the demo CA, or the bureau's electronic-seal platform.
CASES_DOCUMENT_SIGNER = os.environ.get("CASES_DOCUMENT_SIGNER", "apps.cases.signing.DemoSigner")
CASES_DEMO_CA_DIR = os.environ.get("CASES_DEMO_CA_DIR", "")  # default: VAR_DIR/cases_demo_ca
