"""Official case documents (执法文书) as A4 PDFs with embedded Chinese text and QR codes.

Pure module: the cases app gathers the content (``DocumentContent``) and stores the bytes
and their hash; this module only lays the document out. The CJK font is embedded as a
subset with a Unicode map, so the text can be searched and extracted (``pdftotext``), and
the output is byte-for-byte the same for the same content (reportlab's invariant mode),
so a document's SHA-256 is stable and can be printed, stored and verified later.
"""
import datetime
import hashlib
import io
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.cases.document_kinds import DOCUMENT_KINDS  # the titles, shared with the pages and file names

# The 字 of each kind's document number (京东城管罚字〔2026〕第000123号).
NUMBER_WORDS: dict[str, str] = {
    "filing_approval": "立",
    "proposed_penalty_notice": "告",
    "hearing_notice": "听",
    "hearing_record": "听录",
    "penalty_decision": "罚",
    "onsite_decision": "当罚",
    "service_receipt": "送",
    "closing_report": "结",
}

# Debian's fonts-wqy-zenhei: a TrueType collection reportlab can embed (OpenType/CFF CJK fonts
# such as Noto CJK it cannot). Overridable with settings.CASES_PDF_FONT (read at call time).
DEFAULT_FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FALLBACK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

VERIFY_CAPTION = "扫码验证文书"
PAYMENT_CAPTION = "扫码缴纳罚款"
SIMULATED_PAYMENT_CAPTION = "演示：模拟收银台（不收款）"

PAGE_MARGIN = 22 * mm
QR_SIZE = 34 * mm
SEAL_SIZE = 40 * mm


@dataclass
class DocumentContent:
    kind: str
    number: str
    issuer: str
    fields: list[tuple[str, str]]
    body: list[str]
    verify_url: str
    issued_on: datetime.date
    payment_qr: str = ""
    payment_caption: str = PAYMENT_CAPTION  # says so when the cashier is the demo's simulation
    signatures: list[str] = field(default_factory=list)
    seal_png: bytes = b""  # the enforcement subject's seal image, printed over the issuer's name
    seal_note: str = ""  # said under the seal, e.g. that it is the demo's 演示样章


def document_number(*, kind: str, district_name: str, year: int, seq: int) -> str:
    """The bureau's number, e.g. 京东城管罚字〔2026〕第000123号 (city level: 京城管罚字…)."""
    if kind not in NUMBER_WORDS:
        raise ValueError(f"unknown document kind {kind!r}")
    if seq < 1:
        raise ValueError("document sequence numbers start at 1")
    district = (district_name or "").strip()[:1]
    return f"京{district}城管{NUMBER_WORDS[kind]}字〔{year}〕第{seq:06d}号"


def document_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def font_path() -> str:
    configured = getattr(settings, "CASES_PDF_FONT", None)
    if configured:
        if not os.path.isfile(configured):
            raise ImproperlyConfigured(
                f"CASES_PDF_FONT points to {configured!r}, which does not exist; "
                "case documents need a TrueType CJK font (e.g. Debian's fonts-wqy-zenhei)."
            )
        return configured
    for candidate in (DEFAULT_FONT_PATH, *FALLBACK_FONT_PATHS):
        if os.path.isfile(candidate):
            return candidate
    raise ImproperlyConfigured(
        f"No CJK font for case documents: {DEFAULT_FONT_PATH} is missing. "
        "Install fonts-wqy-zenhei or set CASES_PDF_FONT to a TrueType (.ttf/.ttc) CJK font."
    )


def register_font() -> str:
    """The reportlab name of the configured CJK font, registered once per file (documents, and other apps' PDFs)."""
    path = font_path()
    # One registered name per file, so changing the setting (tests do) takes effect.
    name = "CaseCJK-" + hashlib.sha1(path.encode()).hexdigest()[:10]
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            font = TTFont(name, path, subfontIndex=0) if path.lower().endswith(".ttc") else TTFont(name, path)
        except Exception as exc:  # reportlab raises TTFError and plain errors for bad files
            raise ImproperlyConfigured(f"Cannot use {path!r} as the case-document font: {exc}") from exc
        pdfmetrics.registerFont(font)
    return name


class QRCode(Flowable):
    """A QR code drawn as vector squares from segno's matrix: sharp at any print resolution."""

    def __init__(self, payload: str, size: float):
        super().__init__()
        import segno

        self.payload = payload
        self.size = size
        self.qr = segno.make(payload, error="m", micro=False)
        self.width = self.height = size

    def draw(self):
        matrix = [list(row) for row in self.qr.matrix_iter(scale=1, border=4)]
        modules = len(matrix)
        cell = self.size / modules
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(matrix):
            y = self.size - (r + 1) * cell
            c = 0
            while c < modules:
                if row[c]:
                    start = c
                    while c < modules and row[c]:
                        c += 1
                    # Runs of dark modules as one rectangle: smaller file, no hairline gaps.
                    canvas.rect(start * cell, y, (c - start) * cell, cell, stroke=0, fill=1)
                else:
                    c += 1
        canvas.restoreState()


class SealStamp(Flowable):
    """The seal image drawn over the lines above it (the organ's name and the date); it takes no height,
    so a document with a seal lays out on as many pages as one without."""

    def __init__(self, png: bytes, note: str = "", font: str = ""):
        super().__init__()
        from reportlab.lib.utils import ImageReader

        self.image, self.note, self.font = ImageReader(io.BytesIO(png)), note, font
        self.width, self.height = 0, 0

    def wrap(self, avail_width, avail_height):
        self.avail_width = avail_width
        return avail_width, 0

    def draw(self):
        # Centred on the organ's name and date (the two right-aligned lines just above), right edge near the margin.
        x = self.avail_width - SEAL_SIZE - 2 * mm
        self.canv.drawImage(self.image, x, -4 * mm, width=SEAL_SIZE, height=SEAL_SIZE, mask="auto")
        if self.note:
            self.canv.setFont(self.font, 8)
            self.canv.drawRightString(self.avail_width, -8 * mm, self.note)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK", alignment=TA_LEFT)
    return {
        "issuer_head": ParagraphStyle("issuer_head", parent=base, fontSize=15, leading=22, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=32, alignment=TA_CENTER, spaceBefore=4),
        "number": ParagraphStyle("number", parent=base, fontSize=12, alignment=TA_CENTER, spaceAfter=10),
        "field": base,
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=24, spaceBefore=2),
        "signature": ParagraphStyle("signature", parent=base, spaceBefore=2),
        "closing": ParagraphStyle("closing", parent=base, alignment=TA_RIGHT),
        "caption": ParagraphStyle("caption", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "caption_right": ParagraphStyle("caption_right", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
        "payload": ParagraphStyle("payload", parent=base, fontSize=7, leading=9, alignment=TA_CENTER),
    }


def _text(value) -> str:
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def _field(label: str, value: str, style: ParagraphStyle) -> Paragraph:
    # Hanging indent: continuation lines of a long value start under the value, not the label.
    label_text = f"{label}："
    indent = pdfmetrics.stringWidth(label_text, style.fontName, style.fontSize)
    hanging = ParagraphStyle(f"field-{len(label_text)}", parent=style, leftIndent=indent, firstLineIndent=-indent)
    return Paragraph(_text(label_text) + _text(value), hanging)


def _qr_cell(payload: str, caption: str, styles) -> list:
    return [QRCode(payload, QR_SIZE), Paragraph(caption, styles["caption"]), Paragraph(_text(payload), styles["payload"])]


def _story(content: DocumentContent, styles) -> list:
    title = DOCUMENT_KINDS[content.kind]
    story = [
        Paragraph(_text(content.issuer), styles["issuer_head"]),
        Paragraph(title, styles["title"]),
        Paragraph(_text(content.number), styles["number"]),
    ]
    story += [_field(label, value, styles["field"]) for label, value in content.fields]
    if content.body:
        story.append(Spacer(1, 6))
        story += [Paragraph(_text(paragraph), styles["body"]) for paragraph in content.body if str(paragraph).strip()]

    closing = [Spacer(1, 14)]
    closing += [Paragraph(_text(line), styles["signature"]) for line in content.signatures]
    closing += [
        Spacer(1, 10),
        Paragraph(_text(content.issuer), styles["closing"]),
        Paragraph(chinese_date(content.issued_on), styles["closing"]),
    ]
    if content.seal_png:
        # Stamped over the organ's name and the date, as on paper; the note is written just under it.
        closing.append(SealStamp(content.seal_png, note=content.seal_note, font=styles["caption_right"].fontName))
    cells = [_qr_cell(content.verify_url, VERIFY_CAPTION, styles)]
    if content.payment_qr:
        cells.append(_qr_cell(content.payment_qr, content.payment_caption or PAYMENT_CAPTION, styles))
    column = QR_SIZE + 16 * mm
    codes = Table([cells], colWidths=[column] * len(cells), hAlign="LEFT")
    codes.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    closing += [Spacer(1, 10), codes]
    # Signatures, seal line and codes stay on one page, as on a paper form.
    story.append(KeepTogether(closing))
    return story


def render_pdf(content: DocumentContent) -> bytes:
    if content.kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {content.kind!r}")
    if not content.verify_url:
        raise ValueError("every document carries a verification QR code: verify_url is empty")
    font = register_font()
    styles = _styles(font)
    title = DOCUMENT_KINDS[content.kind]

    def footer(canvas, doc):
        # The number on every page: a page that comes loose still says which document it is from.
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{content.number}　第{doc.page}页")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=f"{title} {content.number}",
        author=content.issuer,
        subject=title,
        creator="CityEnforce",
        producer="CityEnforce",
        invariant=1,
    )
    doc.build(_story(content, styles), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
