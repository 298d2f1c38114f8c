"""Evidence API: upload and reads by insider, outsider and anonymous; proofs, tree heads, consistency, bundle."""
import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.evidence import merkle, services, signing
from apps.evidence.models import Evidence, LogEntry

pytestmark = pytest.mark.django_db

TOOL = Path(settings.BASE_DIR) / "tools" / "verify_bundle.py"


def _upload(client, task, upload, **extra):
    return client.post("/api/evidence/", {"file": upload, "subject_type": "dispatch.task", "subject_id": task.pk, **extra}, format="multipart")


@pytest.fixture
def recorded(insider, photo, dc_task, media_root):
    return services.evidence_record(user=insider, file=photo(), subject=dc_task)


def test_an_insider_uploads_evidence_for_a_task_in_the_district(api_as, insider, photo, dc_task, media_root):
    response = _upload(api_as(insider), dc_task, photo(), lat="39.9042", lon="116.3976", device="DSJ-7", captured_at="2026-11-21T08:00:00+08:00")
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get(pk=body["id"])
    assert body["subject_type"] == "dispatch.task" and body["subject_id"] == str(dc_task.pk)
    assert body["point"] == {"lat": 39.9042, "lon": 116.3976} and body["device"] == "DSJ-7"
    assert body["leaf_index"] == evidence.log_entry.index
    assert evidence.uploaded_by == insider


def test_gcj02_coordinates_are_converted_to_wgs84(api_as, insider, photo, dc_task, media_root):
    from apps.gbcp.coords import wgs84_to_gcj02

    lon, lat = wgs84_to_gcj02(116.3976, 39.9042)
    response = _upload(api_as(insider), dc_task, photo(), lat=lat, lon=lon, coord="gcj02")
    assert response.status_code == 201
    assert response.json()["point"] == pytest.approx({"lat": 39.9042, "lon": 116.3976}, abs=1e-6)


def test_an_outsider_cannot_attach_evidence_to_a_task_of_another_district(api_as, outsider, photo, dc_task, media_root):
    before = Evidence.objects.count()
    response = _upload(api_as(outsider), dc_task, photo())
    assert response.status_code == 404
    assert Evidence.objects.count() == before


def test_an_anonymous_caller_cannot_upload(api, photo, dc_task, media_root):
    assert _upload(api, dc_task, photo()).status_code == 401


def test_an_unregistered_subject_type_is_refused(api_as, insider, photo, media_root):
    response = api_as(insider).post("/api/evidence/", {"file": photo(), "subject_type": "accounts.user", "subject_id": insider.pk}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "evidence_subject_type_unknown"


def test_a_fake_photo_is_refused_with_a_clear_error(api_as, insider, dc_task, media_root):
    response = _upload(api_as(insider), dc_task, SimpleUploadedFile("scene.jpg", b"<html>not a photo</html>"))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "evidence_type_mismatch"


def test_half_a_coordinate_is_an_input_error(api_as, insider, photo, dc_task, media_root):
    response = _upload(api_as(insider), dc_task, photo(), lat="39.9")
    assert response.status_code == 400 and "lat" in response.json()["error"]["details"]


@pytest.mark.parametrize("suffix", ["", "file/", "proof/", "bundle/"])
def test_reads_of_one_evidence_are_for_the_district_only(api, api_as, insider, outsider, recorded, suffix):
    url = f"/api/evidence/{recorded.pk}/{suffix}"
    assert api_as(insider).get(url).status_code == 200
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code == 401


def test_the_list_is_paginated_and_scoped(api, api_as, insider, outsider, recorded):
    body = api_as(insider).get("/api/evidence/", {"subject_type": "dispatch.task"}).json()
    assert "results" in body and recorded.pk in [e["id"] for e in body["results"]]
    assert recorded.pk not in [e["id"] for e in api_as(outsider).get("/api/evidence/").json()["results"]]
    assert api.get("/api/evidence/").status_code == 401


def test_the_list_takes_a_fixed_number_of_queries(api_as, insider, photo, dc_task, media_root, django_assert_max_num_queries):
    services.evidence_record_many(user=insider, files=[photo() for _ in range(5)], subject=dc_task)
    client = api_as(insider)
    with django_assert_max_num_queries(8):
        response = client.get("/api/evidence/")
    assert response.status_code == 200 and len(response.json()["results"]) >= 5


def test_the_file_comes_back_byte_for_byte(api_as, insider, recorded):
    response = api_as(insider).get(f"/api/evidence/{recorded.pk}/file/")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == recorded.sha256
    assert response["Content-Type"] == "image/jpeg"


def test_the_proof_verifies_against_the_signed_tree_head(api_as, insider, recorded, photo, dc_task):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)  # the tree grows past the evidence
    proof = api_as(insider).get(f"/api/evidence/{recorded.pk}/proof/").json()
    entry = base64.b64decode(proof["entry"])
    assert json.loads(entry)["sha256"] == recorded.sha256
    leaf = merkle.leaf_hash(entry)
    assert leaf.hex() == proof["leaf_hash"]
    head = proof["tree_head"]
    assert head["tree_size"] == LogEntry.objects.count()
    assert merkle.verify_inclusion(proof["leaf_index"], head["tree_size"], leaf, [bytes.fromhex(x) for x in proof["audit_path"]], bytes.fromhex(head["root_hash"]))
    assert signing.verify(signing.sth_message(head["tree_size"], head["root_hash"], head["timestamp"]), head["signature"])


def test_anyone_can_fetch_the_public_key_and_it_checks_the_latest_tree_head(api, recorded):
    from cryptography.hazmat.primitives import serialization

    key = api.get("/api/evidence/public-key/").json()
    head = api.get("/api/evidence/tree-heads/latest/").json()
    public = serialization.load_pem_public_key(key["public_key_pem"].encode())
    assert key["key_id"] == head["key_id"] == signing.key_id()
    public.verify(base64.b64decode(head["signature"]), signing.sth_message(head["tree_size"], head["root_hash"], head["timestamp"]))


def test_a_consistency_proof_links_an_older_tree_head_to_the_newer_one(api, insider, photo, dc_task, media_root):
    first = services.evidence_record(user=insider, file=photo(), subject=dc_task).log_entry.index + 1
    services.evidence_record_many(user=insider, files=[photo(), photo(), photo()], subject=dc_task)
    second = LogEntry.objects.count()
    body = api.get("/api/evidence/consistency/", {"first": first, "second": second}).json()
    assert body["first_tree_head"]["root_hash"] == body["first_root"]
    assert body["second_tree_head"]["root_hash"] == body["second_root"]
    assert merkle.verify_consistency(first, second, bytes.fromhex(body["first_root"]), bytes.fromhex(body["second_root"]),
                                     [bytes.fromhex(x) for x in body["proof"]])


def test_a_consistency_request_beyond_the_log_is_an_error(api):
    response = api.get("/api/evidence/consistency/", {"first": 1, "second": 10**9})
    assert response.status_code == 400 and response.json()["error"]["code"] == "evidence_bad_sizes"
    assert api.get("/api/evidence/consistency/", {"first": "x"}).status_code == 400


def _bundle(client, evidence, tmp_path):
    response = client.get(f"/api/evidence/{evidence.pk}/bundle/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _run_tool(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True, timeout=60)


def test_the_bundle_verifies_offline_with_the_standalone_script(api_as, insider, recorded, tmp_path):
    path = _bundle(api_as(insider), recorded, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert {"entry.json", "proof.json", "tree_head.json", "public_key.pem", "README.txt"} <= set(zf.namelist())
    result = _run_tool(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK")


def _rewrite(path, name, data):
    with zipfile.ZipFile(path) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    items[name] = data(items[name]) if callable(data) else data
    with zipfile.ZipFile(path, "w") as zf:
        for n, content in items.items():
            zf.writestr(n, content)


def test_the_offline_script_catches_an_altered_file(api_as, insider, recorded, tmp_path):
    path = _bundle(api_as(insider), recorded, tmp_path)
    _rewrite(path, f"evidence-{recorded.pk}.jpg", lambda b: b[:-3] + b"\x00\x00\x00")
    result = _run_tool(path)
    assert result.returncode == 1 and "file was altered" in result.stdout


def test_the_offline_script_catches_an_altered_entry(api_as, insider, recorded, tmp_path):
    path = _bundle(api_as(insider), recorded, tmp_path)
    _rewrite(path, "entry.json", lambda b: b.replace(b'"device":"', b'"device":"X'))
    result = _run_tool(path)
    assert result.returncode == 1 and "entry was altered" in result.stdout


def test_the_offline_script_refuses_a_head_signed_by_another_key(api_as, insider, recorded, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _bundle(api_as(insider), recorded, tmp_path)
    other = tmp_path / "other.pem"
    other.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    result = _run_tool(path, "--public-key", other)
    assert result.returncode == 1 and "another key" in result.stdout
    # With the key id removed, the signature itself fails.
    _rewrite(path, "tree_head.json", lambda b: json.dumps({**json.loads(b), "key_id": ""}).encode())
    result = _run_tool(path, "--public-key", other)
    assert result.returncode == 1 and "signature is invalid" in result.stdout


def test_the_offline_script_catches_a_forged_root(api_as, insider, recorded, tmp_path):
    path = _bundle(api_as(insider), recorded, tmp_path)
    _rewrite(path, "tree_head.json", lambda b: json.dumps({**json.loads(b), "root_hash": "00" * 32}).encode())
    result = _run_tool(path)
    assert result.returncode == 1 and "inclusion proof" in result.stdout


def test_the_openapi_schema_lists_the_evidence_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/evidence/", "/api/evidence/{id}/proof/", "/api/evidence/{id}/bundle/", "/api/evidence/public-key/",
                 "/api/evidence/tree-heads/latest/", "/api/evidence/consistency/"):
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/evidence/"]["post"]["requestBody"]["content"]


def test_error_messages_come_in_chinese_by_default(api_as, insider, dc_task, media_root):
    client = api_as(insider)
    response = _upload(client, dc_task, SimpleUploadedFile("scene.jpg", b"plain text"))
    assert "与其文件名不符" in response.json()["error"]["message"]
