"""Import of other departments' credit records: lineage, row errors, idempotency, the command, the upload page."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from apps.credit import services
from apps.credit.models import CreditImportBatch, CreditRecord
from apps.gbcp.errors import ApplicationError
from tests.credit.conftest import _uscc
from tests.credit.test_views import english_words
from tests.personas import five_callers

DEPT = "市市场监督管理局"


def _bad_check_char(code):
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def _csv(business, encoding="utf-8-sig"):
    spaced = business.uscc[:8] + " " + business.uscc[8:].lower()  # as clerks type it: normalised on import
    lines = [
        "统一社会信用代码,记录编号,认定日期,分值,有效期至,事由",
        f"{spaced},SC-001,2026-03-01,-25,2029-03-01,食品安全严重违法",
        f"{business.uscc},SC-002,2026/4/2,-5,,未按时年报",
        "",
        f"{_uscc(4321)},SC-003,2026-04-03,-5,,未知主体",
        f"{_bad_check_char(business.uscc)},SC-004,2026-04-03,-5,,校验位错误",
        f"{business.uscc},SC-005,昨天,-5,,日期错误",
        f"{business.uscc},SC-006,2026-04-05,很多,,分值错误",
        f"{business.uscc},,2026-04-05,-5,,缺编号",
    ]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.django_db
def test_import_brings_records_with_lineage_and_reports_each_bad_row(business, reviewer):
    batch = services.credit_import(user=reviewer, department=DEPT, file_name="scjg.csv", data=_csv(business))
    assert (batch.rows_total, batch.rows_created, batch.rows_existing, batch.rows_failed) == (7, 2, 0, 5)
    # row numbers as a spreadsheet shows them (header is 1; the empty row 4 is skipped)
    assert [(e["row"], e["code"]) for e in batch.errors] == [(5, "unknown_uscc"), (6, "invalid_uscc"), (7, "invalid_date"), (8, "invalid_weight"),
                                                              (9, "record_id_required")]
    assert batch.errors[0]["value"] == _uscc(4321) and batch.errors[0]["code"] == "unknown_uscc"
    records = list(batch.records.order_by("source_row"))
    assert [(r.source_row, r.weight, r.kind, r.department) for r in records] == [(2, -25, "imported", DEPT), (3, -5, "imported", DEPT)]
    assert records[0].source_ref == f"import:{DEPT}:SC-001" and records[0].expires_on.isoformat() == "2029-03-01"
    assert records[1].occurred_on.isoformat() == "2026-04-02" and records[1].reason == "未按时年报"
    assert len(batch.sha256) == 64 and batch.created_by == reviewer and batch.history.count() >= 1


@pytest.mark.django_db
def test_reimport_is_idempotent_and_gb18030_is_read(business, reviewer):
    first = services.credit_import(user=reviewer, department=DEPT, file_name="a.csv", data=_csv(business))
    again = services.credit_import(user=reviewer, department=DEPT, file_name="a-gbk.csv", data=_csv(business, encoding="gb18030"))
    assert (again.rows_created, again.rows_existing, again.rows_failed) == (0, 2, 5)
    assert CreditRecord.objects.filter(entity=business, kind="imported").count() == 2
    assert set(CreditRecord.objects.filter(entity=business).values_list("import_batch", flat=True)) == {first.pk}
    other = services.credit_import(user=reviewer, department="市生态环境局", file_name="b.csv", data=_csv(business))
    assert other.rows_created == 2  # the same numbers from another department are other records


@pytest.mark.django_db
def test_xlsx_import_and_the_grade_follows(business, reviewer):
    book = Workbook()
    sheet = book.active
    sheet.append(["uscc", "record_id", "occurred_on", "weight", "reason"])
    sheet.append([business.uscc, 77, dt.datetime(2026, 5, 1), -25.0, "环保处罚"])
    sheet.append([business.uscc, 77, dt.datetime(2026, 5, 1), -25.0, "重复行"])
    out = io.BytesIO()
    book.save(out)
    batch = services.credit_import(user=None, department=DEPT, file_name="x.xlsx", data=out.getvalue())
    assert (batch.rows_created, batch.rows_existing, batch.rows_failed) == (1, 1, 0)
    record = batch.records.get()
    assert record.source_ref == f"import:{DEPT}:77" and record.weight == -25
    grade = services.recompute_grade(entity=business)
    assert grade.score == 55 and grade.grade == "D"


@pytest.mark.django_db
def test_a_file_without_the_required_columns_is_refused_whole(business, reviewer):
    with pytest.raises(ApplicationError) as exc:
        services.credit_import(user=reviewer, department=DEPT, file_name="bad.csv", data="名称,日期\n某店,2026-01-01\n".encode())
    assert exc.value.code == "missing_columns"
    assert not CreditImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_and_reports(business, tmp_path):
    path = tmp_path / "scjg.csv"
    path.write_bytes(_csv(business))
    out = io.StringIO()
    call_command("credit_import", str(path), "--department", DEPT, stdout=out)
    text = out.getvalue()
    assert "rows 7, created 2, already imported 0, errors 5" in text and "row 5:" in text
    out = io.StringIO()
    call_command("credit_import", str(path), "--department", DEPT, stdout=out)
    assert "created 0, already imported 2" in out.getvalue()


@pytest.mark.django_db
def test_upload_page_with_the_five_callers(business, dongcheng):
    callers = five_callers(role="legal_reviewer", organization=dongcheng)
    statuses = {}
    for name, user in callers.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if user is not None:
            client.force_login(user)
        statuses[name] = client.get("/credit/imports/").status_code
    assert statuses == {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302}
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(callers.insider)
    response = client.post("/credit/imports/", {"department": DEPT, "file": SimpleUploadedFile("scjg.csv", _csv(business))})
    batch = CreditImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/credit/imports/{batch.pk}/"
    report = client.get(response["Location"]).content.decode()
    assert business.name in report and "没有此统一社会信用代码的主体" in report and "统一社会信用代码无效" in report
    # the file's own name and hash are data, not wording
    assert english_words(report.replace(batch.sha256, "").replace(batch.file_name, "")) == set()
    outsider = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    outsider.force_login(callers.outsider)
    # Another district's file is not there: neither its page (404, as for a batch that does not exist) nor its row in the list.
    assert outsider.get(f"/credit/imports/{batch.pk}/").status_code == 404
    assert outsider.get("/credit/imports/99999999/").status_code == 404
    assert batch.file_name not in outsider.get("/credit/imports/").content.decode()
    assert batch.file_name in client.get("/credit/imports/").content.decode()
