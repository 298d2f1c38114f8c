"""A self-contained verification bundle (zip) of one evidence file: file, log entry, inclusion proof, signed tree head, public key."""
import json
import tempfile
import zipfile

from apps.evidence import keys, log

README = """CityEnforce evidence bundle / 城市管理综合执法 存证核验包
=========================================================

Contents / 内容
  {file_name}        the evidence file / 证据文件
  entry.json          the log entry exactly as hashed into the Merkle log / 存证日志条目（原始字节）
  proof.json          leaf index, leaf hash and inclusion (audit) path / 叶子序号、叶子哈希、包含证明路径
  tree_head.json      the signed tree head / 签名树头
  public_key.pem      the log's Ed25519 public key / 日志签名公钥 (Ed25519)

How to verify / 核验方法
  python3 verify_bundle.py this-bundle.zip [--public-key KEY.pem]
  (needs only Python 3 and the "cryptography" package / 只需 Python 3 与 cryptography 库)

Checks / 核验内容
  1. SHA-256 of the file equals "sha256" in entry.json        文件哈希与条目一致
  2. leaf hash = SHA-256(0x00 || entry.json bytes)            叶子哈希 (RFC 9162)
  3. the audit path leads from the leaf to root_hash           包含证明 (RFC 9162 §2.1.3.2)
  4. the Ed25519 signature over the message
       "CityEnforce-STH-v1\\n<tree_size>\\n<root_hash hex>\\n<timestamp ms>\\n"
     is valid for the public key (obtain the key independently from
     /api/evidence/public-key/ or the bureau's published key).  签名有效（请另行核对公钥）

Evidence {evidence_id}; tree size {tree_size}; key id {key_id}
"""


def bundle_file_name(evidence) -> str:
    ext = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else "bin"
    return f"evidence-{evidence.pk}.{ext}"


def build_bundle(evidence):
    """A temporary file holding the zip, positioned at 0 (the caller streams and closes it)."""
    proof = log.proof_for(evidence)
    head = proof["tree_head"]
    file_name = bundle_file_name(evidence)
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with evidence.file.open("rb") as src, zf.open(file_name, "w", force_zip64=True) as dst:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                dst.write(chunk)
        zf.writestr("entry.json", evidence.log_entry.entry.encode("ascii"))
        zf.writestr("proof.json", json.dumps({
            "file": file_name, "evidence_id": evidence.pk, "leaf_index": proof["leaf_index"], "leaf_hash": proof["leaf_hash"],
            "audit_path": proof["audit_path"], "tree_size": head["tree_size"], "hashing": "RFC 9162 (SHA-256)",
        }, indent=2))
        zf.writestr("tree_head.json", json.dumps({**head, "signed_message": "CityEnforce-STH-v1\\n<tree_size>\\n<root_hash>\\n<timestamp>\\n"}, indent=2))
        zf.writestr("public_key.pem", keys.public_key_pem_for(head["key_id"]))  # the key that signed this head
        zf.writestr("README.txt", README.format(file_name=file_name.ljust(18), evidence_id=evidence.pk, tree_size=head["tree_size"], key_id=head["key_id"]))
    out.seek(0)
    return out
