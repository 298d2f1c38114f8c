"""Generating a case's documents (文书): content from the case, number from a per-district-year-kind
sequence (apps.cases.numbering), PDF from apps.cases.pdf, file and SHA-256 stored as a CaseDocument.
Called inside services; it imports no service."""
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.selectors import certificate_numbers
from apps.cases import lawdays, numbering, pdf, service_methods, signing
from apps.cases.models import CaseDocument, CaseLog, CaseRecord, new_token
from apps.cases.payment_provider import format_reference, get_provider, simulated_cashier_enabled
from apps.cases.seal import demo_seal_png
from apps.cases.subjects import subject_for
from apps.evidence.selectors import evidence_for_subject
from apps.gbcp import publicurl
from apps.gbcp.files import save_field_file_atomic
from apps.gbcp.models import Organization


def public_url(path: str) -> str:
    return publicurl.absolute(path, "CASES_PUBLIC_BASE_URL")


def _issuer(case):
    """(name, subject): the enforcement subject the squad acts for (apps.cases.subjects); without one configured,
    the district's bureau by name (then no seal, no review organ and no signature key are known)."""
    subject = subject_for(case.organization)
    if subject is not None:
        return subject.name, subject
    bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU, region__code=case.region_code[:6]).only("name").first()
    return (bureau.name if bureau else case.organization.name), None


def _seal(subject) -> tuple[bytes, str]:
    if subject is None:
        return b"", ""
    if subject.seal_is_demo:  # drawn by code from the name, whatever file the admin shows
        return demo_seal_png(subject.name), "演示样章，非真实印章"
    if not subject.seal_image:
        return b"", ""
    with subject.seal_image.open("rb") as f:
        data = f.read()
    return data, ""


def _evidence_lines(case) -> list[str]:
    """The list of evidence behind the facts (art. 59(2)): the records (笔录) and the evidence log, oldest first.
    Kind names in Chinese, whatever the language of the request that issues the document."""
    with translation.override("zh-hans"):
        return _evidence_lines_zh(case)


def _evidence_lines_zh(case) -> list[str]:
    lines = []
    for record in case.records.exclude(kind="statement").order_by("recorded_at", "id"):
        lines.append(f"{record.get_kind_display()}（{timezone.localtime(record.recorded_at):%Y年%m月%d日}）")
    for item in evidence_for_subject(subject=case):
        when = timezone.localtime(item.captured_at or item.recorded_at)
        label = (item.note or item.original_name or item.get_kind_display()).strip().splitlines()[0][:60]
        lines.append(f"{item.get_kind_display()}：{label}（{when:%Y年%m月%d日}，SHA-256 {item.sha256[:12]}）")
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


def _yuan(value) -> str:
    return f"{value:.2f}元"


BANK_COUNTER_TEXT = "凭缴款编号到本机关指定银行柜台缴纳"


def _fields(case, kind, payment, bank_counter=False):
    party = case.party_name or "—"
    rows = [("案件编号", case.number), ("当事人", party)]
    if case.party_code:
        rows.append(("证件号码" if case.party_kind == "citizen" else "统一社会信用代码", case.party_code))
    if kind in ("penalty_decision", "onsite_decision", "proposed_penalty_notice"):
        rows.append(("住所（地址）", case.party_address or "—"))  # art. 59(1): the party's address, not the place
    rows.append(("案由", case.cause.name if case.cause_id else "—"))
    if case.place_id:
        rows.append(("违法地点", case.place.address or case.place.name))
    if kind in ("proposed_penalty_notice", "penalty_decision", "onsite_decision", "closing_report"):
        if case.exempt:
            rows.append(("处理结果", "不予行政处罚"))
        elif case.warning:
            rows.append(("处罚种类", "警告"))
        else:
            rows.append(("罚款金额", _yuan(case.fine)))
    if payment is not None:
        rows.append(("缴款编号", format_reference(payment.reference)))
        if simulated_cashier_enabled():
            rows.append(("缴款方式", "演示系统模拟收银台，不收取真实款项（SIMULATION）"))
        elif bank_counter:
            rows.append(("缴款方式", BANK_COUNTER_TEXT))
        if case.payment_due:
            rows.append(("缴款期限", f"{case.payment_due:%Y年%m月%d日}前"))
    if kind in ("hearing_notice", "hearing_record"):
        held = case.hearing_held_at if kind == "hearing_record" else case.hearing_scheduled_for
        rows.append(("听证时间", f"{timezone.localtime(held):%Y年%m月%d日 %H:%M}"))
        rows.append(("听证地点", case.hearing_place))
        rows.append(("听证主持人", str(case.hearing_presiding)))
    if kind == "service_receipt":
        rows.append(("送达方式", case.get_service_method_display()))
        rows += service_methods.proof_rows(case.service_proof)
        rows.append(("送达时间", f"{timezone.localtime(case.served_at):%Y-%m-%d %H:%M}"))
    return rows


def _remedies(subject) -> str:
    """Art. 59(5): the route for review and litigation, with the organ, the court and their limits."""
    if subject is None:
        return "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
    return (f"如不服本决定，可以在收到本决定书之日起{_cn(subject.review_days)}日内向{subject.review_organ}申请行政复议，"
            f"或者在{_cn(subject.litigation_months)}个月内向{subject.court}提起行政诉讼。"
            "申请行政复议或者提起行政诉讼期间，本决定不停止执行（《中华人民共和国行政处罚法》第七十三条）。")


def _cn(n: int) -> str:
    return {6: "六", 60: "六十", 3: "三"}.get(n, str(n))


def _body(case, kind, bank_counter=False, subject=None):
    cause = case.cause
    basis = (cause.legal_basis if cause else "") or "相关法律法规"
    penalty_basis = (cause.penalty_basis if cause else "") or "相关法律法规"
    facts = case.facts or "—"
    if kind == "filing_approval":
        return [f"经查，{facts}", f"涉嫌违反{basis}，符合立案条件，建议立案调查。", *case.reasons]
    if kind == "proposed_penalty_notice":
        body = [f"经查，你（单位）{facts}", f"上述行为违反了{basis}。依据{penalty_basis}，本机关拟作出如下行政处罚："
                + ("警告。" if case.warning else "不予行政处罚。" if case.exempt else f"罚款{case.fine:.2f}元。"),
                "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利。"]
        if case.hearing_eligible:
            until = lawdays.last_day(case.notified_at, lawdays.HEARING_REQUEST) if case.notified_at else None
            body.append("根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证；"
                        "如要求听证，应当在收到本告知书之日起五个工作日内提出"
                        + (f"（截至{until:%Y年%m月%d日}，不含法定节假日）。" if until else "。"))
        return body
    if kind in ("penalty_decision", "onsite_decision"):
        body = [f"经查，{facts}"]
        evidence = _evidence_lines(case) if kind == "penalty_decision" else []
        if evidence:
            body += ["以上事实有下列证据证明：", *evidence]
        body.append(f"上述行为违反了{basis}，依据{penalty_basis}，决定给予如下行政处罚："
                    + ("警告。" if case.warning else "不予行政处罚。" if case.exempt else f"罚款{case.fine:.2f}元。"))
        if case.fine > 0:
            how = BANK_COUNTER_TEXT if bank_counter else "可扫描文书下方的缴款二维码缴纳"
            body.append(f"请自收到本决定书之日起十五日内缴纳罚款（{how}）。"
                        "逾期不缴纳的，依据《中华人民共和国行政处罚法》第七十二条，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。")
        body.append(_remedies(subject))
        return body
    if kind == "hearing_notice":
        when = timezone.localtime(case.hearing_scheduled_for)
        return [f"根据你（单位）的申请，本机关定于{when:%Y年%m月%d日%H时%M分}在{case.hearing_place}就本案举行听证，"
                f"由{case.hearing_presiding}主持（《中华人民共和国行政处罚法》第六十四条）。",
                "你（单位）可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。",
                "听证公开举行，但涉及国家秘密、商业秘密或者个人隐私依法予以保密的除外。",
                "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。"]
    if kind == "hearing_record":
        record = case.records.filter(kind=CaseRecord.Kind.HEARING).order_by("-recorded_at", "-pk").first()
        return (record.content.splitlines() if record else []) + ["（以上笔录经当事人核对无误后签名或者盖章；拒绝签名或者盖章的，由听证主持人在笔录中注明。）"]
    if kind == "service_receipt":
        return [f"送达文书：行政处罚决定书（案件编号{case.number}）。"]
    if kind == "closing_report":
        return [f"本案已执行完毕（{case.get_status_display()}），建议结案。"]
    return []


def issue(*, case, kind: str, user=None, payment=None) -> CaseDocument:
    """Render, number, hash and store one document of the case."""
    now = timezone.now()
    district = numbering.district_of(case.region_code)
    year = timezone.localtime(now).year
    seq = numbering.document_seq(case.region_code, year, kind)
    number = pdf.document_number(kind=kind, district_name=district.name if district else "", year=year, seq=seq)
    token = new_token()
    payment_qr, payment_caption = "", pdf.PAYMENT_CAPTION
    if payment is not None:
        payment_qr = _payment_qr(payment)
        if simulated_cashier_enabled():
            payment_caption = pdf.SIMULATED_PAYMENT_CAPTION
    # No online payment (DisabledPaymentProvider): no QR; the document says to pay at the bank counter.
    bank_counter = payment is not None and not payment_qr
    issuer, subject = _issuer(case)
    seal_png, seal_note = _seal(subject)
    content = pdf.DocumentContent(
        kind=kind, number=number, issuer=issuer, fields=_fields(case, kind, payment, bank_counter),
        body=_body(case, kind, bank_counter, subject), seal_png=seal_png, seal_note=seal_note,
        verify_url=public_url(reverse("cases-verify", args=[token])), issued_on=timezone.localtime(now).date(), payment_qr=payment_qr,
        payment_caption=payment_caption,
        signatures=_signatures(case, now) if kind in ("onsite_decision", "filing_approval") else [],
    )
    data = pdf.render_pdf(content)
    if subject is not None:  # signed in the subject's name (PAdES); the stored hash is that of the signed file
        data = signing.get_signer().sign(data, subject)
    document = CaseDocument(case=case, kind=kind, number=number, sha256=pdf.document_sha256(data), verify_token=token, issuer=issuer,
                            issued_at=now, issued_by=user if getattr(user, "pk", None) else None)
    # The PDF is deleted again if the case's transaction rolls back (apps.gbcp.files).
    save_field_file_atomic(document.file, f"{token}.pdf", ContentFile(data))
    document.save()
    CaseLog.record(case, "document", user, kind=kind, number=number)
    return document


def _signatures(case, now) -> list[str]:
    """The two officers with the numbers of their enforcement certificates (执法证, arts. 42 and 52), valid for the case's
    area on the day of issue; a document is not issued in the name of an officer without one (CertificateError)."""
    officers = list(case.officers.order_by("pk")[:2])
    numbers = certificate_numbers(officers, case.region_code, timezone.localtime(now).date())
    return [f"执法人员：{officer}（执法证号：{number}）" for officer, number in zip(officers, numbers)]


def _payment_qr(payment) -> str:
    order = get_provider().create_order(reference=payment.reference, amount_fen=int(payment.amount_due * 100),
                                        description=f"罚款 {payment.case.number}")
    # A URL a phone camera opens; the provider's own payload where it gives no page; "" (no QR) when it gives neither.
    if order.pay_url:
        return public_url(order.pay_url) if order.pay_url.startswith("/") else order.pay_url
    return order.qr_payload
