import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

from apps.cases import pdf

ISSUER = "北京市东城区城市管理综合行政执法局"
PARTY = "北京福顺兴餐饮有限公司"
SENTENCE = "当事人在东城区长安大街一号门前超出门窗和外墙经营，影响市容环境。"
VERIFY_URL = "https://cityenforce.example/cases/documents/verify/7f3a9c2e41/"
PAY_QR = "cityenforce-pay:CE110101202600012K:20000"


def content(kind="penalty_decision", **overrides):
    values = dict(
        kind=kind,
        number=pdf.document_number(kind=kind, district_name="东城区", year=2026, seq=123),
        issuer=ISSUER,
        fields=[("当事人", PARTY), ("统一社会信用代码", "91110101MA01ABCD2X"), ("案由", "店外经营")],
        body=[SENTENCE, "依据《北京市市容环境卫生条例》的规定，决定给予罚款。"],
        verify_url=VERIFY_URL,
        issued_on=datetime.date(2026, 11, 21),
        signatures=["执法人员：张三（执法证号 11010123）", "执法人员：李四（执法证号 11010124）"],
    )
    values.update(overrides)
    return pdf.DocumentContent(**values)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def squeezed(text: str) -> str:
    # Wrapping puts line breaks anywhere inside Chinese text; compare without whitespace.
    return re.sub(r"\s+", "", text)


def qr_payloads(data: bytes, tmp_path) -> list[str]:
    """Rasterize every page at 150 dpi, as a scanner would, and read the QR codes back."""
    (tmp_path / "doc.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    payloads = []
    for page in sorted(tmp_path.glob("page*.png")):
        image = Image.open(page).convert("L")
        payloads += [symbol.data.decode() for symbol in decode(image, symbols=[ZBarSymbol.QRCODE])]
    return sorted(payloads)


def page_count(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("kind", sorted(pdf.DOCUMENT_KINDS))
def test_every_kind_renders_with_extractable_chinese_title_number_party_and_body(kind):
    document = content(kind)
    data = pdf.render_pdf(document)
    assert data.startswith(b"%PDF-")
    text = squeezed(pdf_text(data))
    assert pdf.DOCUMENT_KINDS[kind] in text
    assert document.number in text
    assert PARTY in text
    assert squeezed(SENTENCE) in text
    assert "2026年11月21日" in text
    assert ISSUER in text
    assert "张三（执法证号11010123）" in text


def test_the_verification_qr_code_reads_back_exactly_and_is_captioned(tmp_path):
    data = pdf.render_pdf(content("penalty_decision"))
    assert qr_payloads(data, tmp_path) == [VERIFY_URL]
    assert pdf.VERIFY_CAPTION in squeezed(pdf_text(data))
    assert pdf.PAYMENT_CAPTION not in squeezed(pdf_text(data))


def test_an_onsite_decision_carries_a_second_qr_code_for_payment(tmp_path):
    data = pdf.render_pdf(content("onsite_decision", payment_qr=PAY_QR))
    assert qr_payloads(data, tmp_path) == sorted([VERIFY_URL, PAY_QR])
    text = squeezed(pdf_text(data))
    assert pdf.VERIFY_CAPTION in text and pdf.PAYMENT_CAPTION in text


def test_a_long_body_wraps_onto_a_second_page_without_losing_text():
    paragraphs = [f"第{i:02d}段：" + "当事人未按照规定履行门前三包责任，经责令改正后仍未改正，" * 6 + f"本段结束标记{i:02d}。" for i in range(1, 31)]
    document = content("closing_report", body=paragraphs)
    data = pdf.render_pdf(document)
    assert page_count(data) >= 2
    pages = [squeezed(page) for page in pdf_text(data).split("\f") if page.strip()]
    # Every page ends with the footer (number and page); without it the pages join up seamlessly.
    footers = [f"{document.number}第{n}页" for n in range(1, len(pages) + 1)]
    assert all(page.endswith(footer) for page, footer in zip(pages, footers))
    text = "".join(page.removesuffix(footer) for page, footer in zip(pages, footers))
    for paragraph in paragraphs:
        assert squeezed(paragraph) in text


def test_markup_characters_in_a_party_name_are_printed_as_text():
    data = pdf.render_pdf(content(fields=[("当事人", "A&B <便利店>")]))
    assert "A&B<便利店>" in squeezed(pdf_text(data))


def test_the_same_content_gives_the_same_bytes_and_hash():
    first, second = pdf.render_pdf(content()), pdf.render_pdf(content())
    assert first == second
    assert pdf.document_sha256(first) == pdf.document_sha256(second)
    changed = pdf.render_pdf(content(fields=[("当事人", "北京福顺兴餐饮有限公司东城分店")]))
    assert pdf.document_sha256(changed) != pdf.document_sha256(first)


def test_document_sha256_is_the_hex_digest_of_the_bytes():
    assert pdf.document_sha256(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_document_numbers_follow_the_bureau_format():
    assert pdf.document_number(kind="penalty_decision", district_name="东城区", year=2026, seq=123) == "京东城管罚字〔2026〕第000123号"
    assert pdf.document_number(kind="onsite_decision", district_name="海淀区", year=2027, seq=1) == "京海城管当罚字〔2027〕第000001号"
    assert pdf.document_number(kind="service_receipt", district_name="", year=2026, seq=45) == "京城管送字〔2026〕第000045号"


def test_every_kind_has_a_number_word_and_an_unknown_kind_is_refused():
    assert set(pdf.NUMBER_WORDS) == set(pdf.DOCUMENT_KINDS)
    with pytest.raises(ValueError):
        pdf.document_number(kind="warning_letter", district_name="东城区", year=2026, seq=1)
    with pytest.raises(ValueError):
        pdf.render_pdf(content(kind="warning_letter", number="x"))


def test_a_missing_font_gives_a_clear_configuration_error(settings, tmp_path):
    settings.CASES_PDF_FONT = str(tmp_path / "no-such-font.ttc")
    with pytest.raises(ImproperlyConfigured, match="CASES_PDF_FONT"):
        pdf.render_pdf(content())


def test_the_font_can_be_chosen_in_settings(settings):
    settings.CASES_PDF_FONT = pdf.DEFAULT_FONT_PATH
    assert pdf.font_path() == pdf.DEFAULT_FONT_PATH
    assert PARTY in squeezed(pdf_text(pdf.render_pdf(content())))
