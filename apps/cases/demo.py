"""Demo of enforcement cases: the cause catalogue, and cases of 东城 in every state of both procedures
(one more in 海淀), driven through the real services so that processes, logs, documents and payments exist."""
import datetime as dt
import io

from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.jurisdiction import staff_memberships
from apps.accounts.models import User
from apps.cases import services
from apps.cases.models import Case, CaseCause, EnforcementSubject, Payment
from apps.cases.payment_provider import get_provider, simulated_cashier_enabled
from apps.cases.seal import demo_seal_png
from apps.gbcp.models import Entity, Organization, Region
from apps.gbcp.validators import id_check_char, uscc_check_char

MARK = "demo-case"

# (target state, cause code, facts, discretion facts, party index)
GENERAL = [
    ("pending_filing", "01-001", "某餐馆在店门外摆放桌椅经营，占用人行道约6平方米。", {"harm": "ordinary"}),
    ("not_filed", "01-002", "沿街商户门前有少量杂物，经核实已当场清理。", {"harm": "none", "corrected_promptly": True}),
    ("investigating", "06-001", "某餐饮单位油烟未经净化直接排放，周边居民多次投诉。", {"harm": "ordinary", "repeat_count": 1}),
    ("legal_review", "01-003", "某商户擅自设置大型牌匾标识。", {"harm": "ordinary"}),
    ("leader_approval", "08-001", "某工地裸土未覆盖，扬尘明显，经责令改正后逾期未改正。", {"harm": "serious", "aggravating": ["refused_correction"]}),
    ("approved", "06-002", "某商户在店外露天烧烤。", {"harm": "ordinary", "mitigating": ["eliminated_consequences"]}),
    ("notified", "08-001", "某工地运输车辆未密闭，道路遗撒扬尘。", {"harm": "serious"}),
    ("decided", "01-001", "某超市在店外堆放商品经营。", {"harm": "ordinary"}),
    ("executing", "06-001", "某烧烤店油烟净化设施未正常运行。", {"harm": "ordinary"}),
    ("executed", "01-003", "某商户擅自设置户外广告。", {"harm": "slight", "first_offence": True}),
    ("closed", "01-001", "某水果店出店经营。", {"harm": "ordinary", "mitigating": ["cooperated"]}),
    ("archived", "06-002", "某餐馆露天烧烤，经劝阻后停止。", {"harm": "ordinary"}),
]
ORDER = ["pending_filing", "investigating", "legal_review", "leader_approval", "approved", "notified", "decided", "executing", "executed", "closed", "archived"]


# Invented names of demo parties (a surname and a common given name): the public disclosure masks them to 王某某.
_SURNAMES, _GIVEN = "王李张刘陈杨赵黄周吴", ("建华", "秀兰", "志强", "丽娟", "国庆", "海燕", "明", "桂英")


def _demo_person(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[i % len(_GIVEN)]

def _resident_id(n: int) -> str:
    body = f"1101011985{(n % 12) + 1:02d}{(n % 27) + 1:02d}{n % 1000:03d}"
    return body + id_check_char(body)


def _image(color):
    image = Image.new("RGB", (320, 240), color)
    ImageDraw.Draw(image).rectangle([40, 40, 280, 200], outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("scene.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_subjects():
    """One enforcement subject (执法主体) per district bureau, its squads acting in its name through the tree,
    with a demo seal drawn by code (演示样章) and demo review organ and court names."""
    made = 0
    district_bureaus = Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT)  # 区城管执法局
    for n, bureau in enumerate(district_bureaus.select_related("region").order_by("region__code")):
        if EnforcementSubject.objects.filter(organizations=bureau).exists():
            continue
        district = bureau.region.name
        body = f"11{bureau.region.code}MB{n:07d}"[:17]
        subject = EnforcementSubject.objects.create(
            name=bureau.name, uscc=body + uscc_check_char(body), review_organ=f"北京市{district}人民政府",
            court=f"北京市{district}人民法院", address=f"北京市{district}（演示地址）", seal_is_demo=True,
            signing_key_ref=f"demo-ca:{bureau.region.code}", certificate_ref=f"demo-ca:{bureau.region.code}",
        )
        subject.seal_image.save(f"{subject.uscc}.png", ContentFile(demo_seal_png(subject.name)), save=True)
        subject.organizations.add(bureau)
        made += 1
    return made


def seed(ctx):
    ctx.say("Cases: cause catalogue, enforcement subjects, demo cases")
    counts = services.catalogue_load(user=None)
    ctx.say(f"  causes: {CaseCause.objects.count()} ({counts})")
    ctx.say(f"  enforcement subjects: {seed_subjects()} new")
    if Case.objects.filter(source_ref__startswith=MARK).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["dhm_officer1", "dhm_officer2", "dhm_leader", "dc_legal", "dc_leader", "zgc_officer"])}
    if not {"dhm_officer1", "dhm_officer2", "dhm_leader", "dc_legal", "dc_leader"} <= users.keys():
        return
    street = Region.objects.filter(code="110101001").first()
    if street is None or street.boundary is None:
        return
    causes = {c.code: c for c in CaseCause.objects.prefetch_related("levels")}
    o1, o2, squad, legal, leader = (users[n] for n in ("dhm_officer1", "dhm_officer2", "dhm_leader", "dc_legal", "dc_leader"))
    entities = list(Entity.objects.filter(region__code__startswith="110101").order_by("id")[:8])
    inner = street.boundary.buffer(-0.003)
    centre = inner.point_on_surface
    for i, (target, code, facts, discretion) in enumerate(GENERAL):
        point = Point(centre.x + (i % 4) * 0.0007, centre.y + (i // 4) * 0.0006, srid=4326)
        if not inner.contains(point):
            point = centre
        case = services.case_open(user=o1, source="patrol", cause=causes.get(code), point=point, facts=facts,
                                  discretion_facts=discretion, source_ref=f"{MARK}-{i:02d}")
        entity = entities[i % len(entities)] if entities and i % 2 == 0 else None
        if entity is not None:
            services.case_update(user=o1, case=case, party_kind="organisation", party_name=entity.name, party_code=entity.uscc)
        else:
            services.case_update(user=o1, case=case, party_kind="citizen", party_name=_demo_person(i), party_code=_resident_id(i),
                                 party_address=f"北京市东城区演示路{i + 1}号（演示地址）")
        if target == "not_filed":
            services.case_file_refuse(user=squad, case=case, reason="违法行为轻微并已及时改正，没有造成危害后果，不予立案。")
            continue
        _drive(case, target, o1, o2, squad, legal, leader, index=i)
    _simple_cases(causes, o1, o2, squad, entities, centre)
    _after_decision(legal, leader)
    _payment_terms(o1)
    zgc = users.get("zgc_officer")
    if zgc is not None and causes.get("11-001") is not None:
        haidian = Region.objects.filter(code__startswith="110108", level=Region.Level.STREET).exclude(boundary=None).order_by("code").first()
        membership = next(iter(staff_memberships(zgc)), None)
        region = membership.organization.region if membership else haidian
        if region is not None and region.boundary is not None:
            services.case_open(user=zgc, source="complaint", cause=causes["11-001"], point=region.boundary.point_on_surface,
                               facts="中关村大街流动摊贩无照经营，群众投诉。", discretion_facts={"harm": "ordinary"}, source_ref=f"{MARK}-hd")
    ctx.say(f"  cases: {Case.objects.count()}")


def _drive(case, target, o1, o2, squad, legal, leader, *, index):
    stop = ORDER.index(target)
    if stop < ORDER.index("investigating"):
        return
    services.case_file_approve(user=squad, case=case)
    services.case_assign_officers(user=o1, case=case, officers=[o2])
    services.case_record_add(user=o1, case=case, kind="inspection", content="现场检查：违法事实属实，当事人在场。", location="东华门街道")
    if index in (2, 3):
        services.case_evidence_add(user=o1, case=case, files=[_image((120 + index * 30, 90, 60))], note="现场照片")
    if stop < ORDER.index("legal_review"):
        return
    case.refresh_from_db()
    services.case_record_add(user=o2, case=case, kind="inquiry", content="问：以上情况是否属实？答：属实。", interviewee=case.party_name)
    if target == "leader_approval":
        services.case_update(user=o1, case=case, major=True)
        case.refresh_from_db()
    proposal = case.proposal or {}
    fine = proposal.get("amount") or "0"
    if proposal.get("warning") or proposal.get("exempt") or fine in ("0", "0.00"):
        services.case_set_penalty(user=o1, case=case, level=proposal.get("level") or "slight", fine="0", warning=bool(proposal.get("warning")),
                                  exempt=bool(proposal.get("exempt")))
    else:
        services.case_set_penalty(user=o1, case=case, level=proposal["level"], fine=fine)
    services.case_submit_review(user=o1, case=case)
    if stop < ORDER.index("leader_approval"):
        return
    services.case_legal_review(user=legal, case=case, passed=True)
    if stop < ORDER.index("approved"):
        return
    services.case_leader_approve(user=leader, case=case)
    if stop < ORDER.index("notified"):
        return
    case = services.case_notify(user=o1, case=case)
    if case.hearing_eligible and target == "notified":
        services.case_hearing_request(user=o1, case=case)
    if stop < ORDER.index("decided"):
        return
    services.case_statement_record(user=o1, case=case, content="当事人表示认可违法事实，请求从轻处理。", waive_hearing=True)
    case = services.case_decide(user=leader, case=case)
    if stop < ORDER.index("executing"):
        return
    case = services.case_serve(user=o1, case=case, method="on_the_spot", proof={"recipient": case.party_name})
    if stop < ORDER.index("executed"):
        return
    payment = Payment.objects.filter(case=case).first()
    if payment is not None and case.status == "executing":
        _pay_simulated(payment)
    if stop < ORDER.index("closed"):
        return
    case.refresh_from_db()
    services.case_close(user=squad, case=case)
    if stop < ORDER.index("archived"):
        return
    services.case_archive(user=squad, case=case)


def _after_decision(legal, leader):
    """Decided demo cases published (so the public page is not empty); one review upheld, one litigation pending
    (the case page says execution goes on)."""
    decided = list(Case.objects.filter(source_ref__startswith=MARK, procedure="general", decided_at__isnull=False).order_by("pk"))
    for case in decided:
        services.disclosure_publish(user=legal, case=case)
    today = timezone.localdate()
    if decided:
        review = services.challenge_file(user=legal, case=decided[0], kind="review", applicant=decided[0].party_name, filed_on=today,
                                         reference="东政复申〔演示〕1号")
        services.challenge_decide(user=leader, challenge=review, outcome="upheld", outcome_on=today, outcome_reference="东政复决〔演示〕1号",
                                  note="复议机关维持原处罚决定。")
    if len(decided) > 1:
        services.challenge_file(user=legal, case=decided[1], kind="litigation", applicant=decided[1].party_name, filed_on=today,
                                reference="（演示）京0101行初1号")


def _payment_terms(o1):
    """A party of a case awaiting payment asks to defer the fine by a month (art. 66): the leader's form waits on its page."""
    case = (Case.objects.filter(source_ref__startswith=MARK, procedure="general", status="executing", payment__state="pending")
            .exclude(payment_due=None).order_by("pk").first())
    if case is not None:
        services.case_payment_terms_request(user=o1, case=case, kind="deferral", reason="个体经营者，近期营业收入骤降，提供了经营流水（演示）",
                                            new_due=case.payment_due + dt.timedelta(days=30))


def _pay_simulated(payment):
    """Settle a demo fine as the simulated cashier would: a signed notice through the real service.

    Only where the simulated provider is the configured one (demo mode); otherwise the fine stays
    pending, since a demo must never forge a notice for a real gateway.
    """
    if not simulated_cashier_enabled():
        return
    body, headers = get_provider().build_notice(reference=payment.reference, amount_fen=int(payment.amount_due * 100),
                                                notice_id=f"DEMO-{payment.reference}")
    services.payment_notice_receive(body=body, headers=headers)


def _simple_cases(causes, o1, o2, squad, entities, centre):
    # 无照经营（流动摊贩）: its range starts at 0, so small on-the-spot fines fit the discretion standard.
    cause = causes.get("11-001")
    if cause is None or not cause.simple_allowed:
        return
    amount = 50
    citizen = dict(party_kind="citizen", party_name="摊主甲", party_code=_resident_id(90))
    # Decided on the spot, not yet filed with the organisation.
    services.case_onsite_decide(user=o1, co_officer=o2, cause=cause, amount=amount, facts="在人行道上摆摊经营，当场处罚。", point=centre, **citizen)
    # Filed, awaiting payment.
    filed = services.case_onsite_decide(user=o1, co_officer=o2, cause=cause, amount=200, facts="店外经营，当场处罚。", point=centre,
                                        party_kind="citizen", party_name="摊主乙", party_code=_resident_id(91))
    services.case_onsite_file(user=squad, case=filed)
    # 80 yuan collected on the spot against an official receipt (art. 68), the cash still to be handed in (art. 71).
    cash = services.case_onsite_decide(user=o1, co_officer=o2, cause=cause, amount=80, facts="占道摆摊，当事人当场缴纳罚款。", point=centre,
                                       party_kind="citizen", party_name="摊主丙", party_code=_resident_id(92))
    services.case_cash_collect(user=o1, case=cash, ground="small", receipt_number="DEMO-BJ-000001")
    # Paid and closed; an organisation this time.
    if entities:
        paid = services.case_onsite_decide(user=o1, co_officer=o2, cause=cause, amount=2000, facts="店外堆放商品经营，当场处罚。", point=centre,
                                           party_kind="organisation", party_name=entities[0].name, party_code=entities[0].uscc)
        _pay_simulated(paid.payment)
        services.case_onsite_file(user=squad, case=paid)
        paid.refresh_from_db()
        services.case_close(user=squad, case=paid)
