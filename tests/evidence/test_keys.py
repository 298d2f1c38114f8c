"""Key rotation: each head names its key, old keys stay published, a retired key cannot sign, verification uses the named key."""
import io
import shutil
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.evidence import keys, log, services, signing
from apps.evidence.models import SigningKey, TreeHead
from apps.accounts.models import Role
from apps.gbcp.errors import ApplicationError
from rest_framework.test import APIClient
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_key_file(settings, tmp_path):
    """The rotation replaces the key file: work on a copy, never on the shared var/ one."""
    source = signing.key_file_path()
    signing.private_key()  # make sure it exists
    settings.VAR_DIR = tmp_path
    shutil.copy(source, tmp_path / source.name)
    settings.EVIDENCE_SIGNING_KEY = ""
    return tmp_path / source.name


def _rotate(**kwargs):
    out = io.StringIO()
    call_command("evidence_rotate_key", stdout=out, **kwargs)
    return out.getvalue()


def _verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_evidence", "--skip-files", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_a_rotation_retires_the_old_key_and_the_log_continues_under_the_new_one(own_key_file, insider, photo, dc_task, media_root):
    before = services.evidence_record(user=insider, file=photo(), subject=dc_task)
    old_id = log.latest_tree_head().key_id
    output = _rotate(note="yearly rotation")
    assert "new key id" in output
    new_id = signing.key_id()  # the replaced file is picked up without a restart
    assert new_id != old_id and log.latest_tree_head().key_id == new_id
    assert stat.S_IMODE(own_key_file.stat().st_mode) == 0o600
    old, new = SigningKey.objects.get(key_id=old_id), SigningKey.objects.get(key_id=new_id)
    assert (old.status, new.status) == ("retired", "active") and old.valid_until is not None and new.note == "yearly rotation"

    after = services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert log.latest_tree_head().key_id == new_id
    assert TreeHead.objects.filter(key_id=old_id).exists()
    ok, report = _verify()
    assert ok, report
    for evidence in (before, after):
        evidence.refresh_from_db()
        assert log.proof_for(evidence)["tree_head"]["key_id"] == new_id


def test_a_retired_key_can_no_longer_sign(own_key_file, settings, insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    old_pem = own_key_file.read_text()
    _rotate()
    settings.EVIDENCE_SIGNING_KEY = old_pem  # a process still configured with the old key
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert exc.value.code == "evidence_key_not_active"


def test_an_unpublished_key_cannot_sign_once_a_key_is_published(settings, insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    settings.EVIDENCE_SIGNING_KEY = signing.new_private_key_pem().decode()
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert exc.value.code == "evidence_key_not_active"


def test_a_configured_key_is_rotated_into_a_file_the_operator_installs(settings, tmp_path, insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    settings.EVIDENCE_SIGNING_KEY = signing.key_file_path().read_text()
    with pytest.raises(CommandError):
        _rotate()
    out = tmp_path / "new-key.pem"
    output = _rotate(key_out=str(out))
    assert "Set EVIDENCE_SIGNING_KEY" in output and stat.S_IMODE(out.stat().st_mode) == 0o600
    new_id = signing.key_id_of(signing.private_key_from_pem(out.read_bytes()).public_key())
    assert log.latest_tree_head().key_id == new_id
    with pytest.raises(ApplicationError):  # the old configured key is retired
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    settings.EVIDENCE_SIGNING_KEY = out.read_text()
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    ok, report = _verify()
    assert ok, report


def test_a_head_naming_no_key_is_read_as_the_first_key(insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    head = log.latest_tree_head()
    published = keys.published_keys()
    assert published[0].key_id == head.key_id
    fields = {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp, "signature": head.signature}
    assert keys.head_problem(key_id="", keys=published, **fields) is None
    assert keys.head_problem(key_id="", keys=published, **{**fields, "root_hash": "0" * 64}) == "signature invalid"
    assert "unknown key" in keys.head_problem(key_id="f" * 64, keys=published, **fields)


def test_a_head_signed_by_a_key_after_its_retirement_is_reported(own_key_file, insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    old_key = signing.private_key()
    _rotate()
    head = log.latest_tree_head()
    late = head.timestamp + 1000
    signature = signing.sign(signing.sth_message(head.tree_size, head.root_hash, late), old_key)
    problem = keys.head_problem(key_id=signing.key_id_of(old_key.public_key()), tree_size=head.tree_size, root_hash=head.root_hash,
                                timestamp=late, signature=signature, keys=keys.published_keys())
    assert "after it was retired" in problem


def test_every_caller_may_read_the_published_keys(own_key_file, client, insider):
    """Public on purpose: the five callers all get the same list (keys are meant to be known)."""
    _rotate()
    expected = {k.key_id for k in keys.published_keys()}
    assert len(expected) >= 2
    people = five_callers(role=Role.DISPATCHER, organization=insider.memberships.first().organization)
    for name, user in people.items():
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        response = api.get("/api/evidence/public-keys/")
        assert response.status_code == 200, name
        assert {k["key_id"] for k in response.json()} == expected
        assert [k["status"] for k in response.json()].count("active") == 1
    page = client.get("/evidence/keys/")
    assert page.status_code == 200 and all(k in page.content.decode() for k in expected)
