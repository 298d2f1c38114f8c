"""Staff pages of cases: insider, outsider and anonymous; a step through a form; the on-the-spot form; downloads."""
import pytest

from apps.cases.models import CaseDocument, Status

from .conftest import PERSON_ID


@pytest.mark.django_db
def test_case_pages_insider_outsider_anonymous(client, insider, outsider, opened):
    for url in ("/cases/", "/cases/queue/legal/", f"/cases/{opened.pk}/", "/cases/onsite/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(insider)
    assert opened.number in client.get("/cases/").content.decode()
    assert opened.number in client.get(f"/cases/{opened.pk}/").content.decode()
    assert client.get("/cases/queue/nonsense/").status_code == 404
    client.force_login(outsider)
    assert opened.number not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{opened.pk}/").status_code == 404
    assert client.post(f"/cases/{opened.pk}/file/").status_code == 404


@pytest.mark.django_db
def test_the_squad_leader_files_a_case_from_its_page_and_an_officer_is_told_no(client, opened, officer1, squad_leader):
    client.force_login(officer1)
    page = client.get(f"/cases/{opened.pk}/").content.decode()
    assert f"/cases/{opened.pk}/file/" not in page
    client.post(f"/cases/{opened.pk}/file/", follow=True)
    opened.refresh_from_db()
    assert opened.status == Status.PENDING_FILING
    client.force_login(squad_leader)
    assert f"/cases/{opened.pk}/file/" in client.get(f"/cases/{opened.pk}/").content.decode()
    assert client.post(f"/cases/{opened.pk}/file/").status_code == 302
    opened.refresh_from_db()
    assert opened.status == Status.INVESTIGATING
    page = client.get(f"/cases/{opened.pk}/").content.decode()
    document = CaseDocument.objects.get(case=opened)
    assert document.number in page and f"/cases/verify/{document.verify_token}/" in page
    download = client.get(f"/cases/documents/{document.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_an_outsider_cannot_download_a_document(client, outsider, opened, squad_leader):
    from apps.cases import services

    services.case_file_approve(user=squad_leader, case=opened)
    document = CaseDocument.objects.get(case=opened)
    assert client.get(f"/cases/documents/{document.pk}/download/").status_code == 302
    client.force_login(outsider)
    assert client.get(f"/cases/documents/{document.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_the_on_the_spot_form_decides_and_refuses_over_the_limit(client, officer1, officer2, vendor_cause):
    client.force_login(officer1)
    form = {"co_officer": officer2.pk, "cause": vendor_cause.pk, "party_kind": "citizen", "party_name": "张三", "party_code": PERSON_ID,
            "amount": "200.01", "facts": "占道经营"}
    refused = client.post("/cases/onsite/", form)
    assert refused.status_code == 200 and "200" in refused.content.decode()
    done = client.post("/cases/onsite/", {**form, "amount": "200"})
    assert done.status_code == 302
    assert "/cases/" in done["Location"]
