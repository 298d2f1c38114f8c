"""Demo of the wiki: eleven pages of real content (articles of national laws stated as their texts provide, in our own
summary), linked to the demo's case causes, checklists, checklist items and categories. Each page says it is demo
content and that the official text prevails. Idempotent: a page whose slug exists is left as the bureau edited it."""
from apps.wiki import services
from apps.wiki.models import CITY_CODE, Page

NOTE = "\n\n> 演示内容：条文为要点概述，以正式公布的法律法规文本为准。"
XZCF = "《中华人民共和国行政处罚法》（2021年修订）"
SRHJ = "《城市市容和环境卫生管理条例》（国务院令第101号）"
DQ = "《中华人民共和国大气污染防治法》"
ZS = "《中华人民共和国噪声污染防治法》"

# slug, kind, visibility, region, title, body, cause codes, checklist-item cause codes, category codes
PAGES = [
    ("xzcff-dangchang", Page.Kind.LAW, "public", CITY_CODE, "行政处罚法：当场处罚（简易程序）",
     f"""## 适用条件（第五十一条）
{XZCF}第五十一条：违法事实确凿并有法定依据，对**公民处以二百元以下**、对**法人或者其他组织处以三千元以下**罚款或者警告的行政处罚的，可以当场作出行政处罚决定。法律另有规定的，从其规定。

## 执法人员应当做到（第五十二条）
1. 向当事人出示执法证件；
2. 填写预定格式、编有号码的行政处罚决定书，并当场交付当事人；当事人拒绝签收的，在决定书上注明；
3. 决定书载明违法行为、处罚依据、罚款数额、时间、地点，申请行政复议、提起行政诉讼的途径和期限以及行政机关名称，由执法人员签名或者盖章；
4. 当场作出的决定报所属行政机关备案。

## 当场收缴罚款（第六十八条）
依照简易程序当场作出决定，依法给予**一百元以下**罚款，或者不当场收缴事后难以执行的，执法人员可以当场收缴罚款，并出具专用票据。""" + NOTE,
     ["01-001", "01-002", "01-005"], [], []),
    ("xzcff-buyu-shixiao", Page.Kind.LAW, "public", CITY_CODE, "行政处罚法：不予处罚、一事不再罚与追责时效",
     f"""## 不予处罚（第三十三条）
违法行为轻微并及时改正，没有造成危害后果的，**不予**行政处罚。初次违法且危害后果轻微并及时改正的，**可以不予**行政处罚。对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育。

## 一事不再罚（第二十九条）
对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚。

## 追责时效（第三十六条）
违法行为在**二年**内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，延长至**五年**。期限从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起计算。""" + NOTE,
     [], [], []),
    ("srhj-tiaoli", Page.Kind.LAW, "public", CITY_CODE, "城市市容和环境卫生管理条例：常用条文",
     f"""{SRHJ}是城市管理执法最常引用的行政法规之一。

| 条文 | 要点 |
|---|---|
| 第十条 | 保持建筑物整洁、美观；规定街道临街建筑物的阳台和窗外不得堆放、吊挂有碍市容的物品 |
| 第十四条 | 不得在街道两侧和公共场地堆放物料、搭建建筑物、构筑物或者其他设施；确需临时占用的，须经市容环境卫生主管部门同意并办理审批手续 |
| 第十六条 | 施工现场材料、机具堆放整齐，渣土及时清运；临街工地设置护栏或者围布遮挡；停工场地及时整理并作必要覆盖 |
| 第十七条 | 不得在城市建筑物、设施以及树木上涂写、刻画；张挂、张贴宣传品须经批准 |

北京市另有《北京市市容环境卫生条例》，本市案由的违法依据多引用该条例。""" + NOTE,
     ["01-006", "01-009"], [], ["E0106"]),
    ("anyou-dianwai-jingying", Page.Kind.CAUSE, "public", CITY_CODE, "案由解读：店外经营（超出门窗、外墙经营）",
     """## 什么是店外经营
沿街商户超出门窗和外墙摆卖商品、摆放桌椅或者进行加工作业，占用人行道、门前区域经营的行为。

## 如何认定
- 经营物品、设施位于门窗、外墙以外；
- 有经营行为（摆卖、招揽、加工、就餐），而非短暂装卸；
- 留存照片、视频：物品位置与门窗的关系、占用面积、时间。

## 处置建议
1. 首次发现、占用面积小且当场改正的，依法可以不予处罚，进行教育并记录（行政处罚法第三十三条）；
2. 符合简易程序条件的可当场处罚（见“行政处罚法：当场处罚”）；
3. 反复发生的，纳入门前三包管理和信用记录。

## 商户自查
每天营业前检查门前：商品、桌椅、招牌、灯箱是否都在门窗以内。""",
     ["01-001"], ["01-001"], ["E0502"]),
    ("anyou-canyin-youyan", Page.Kind.CAUSE, "public", CITY_CODE, "案由解读：餐饮油烟未经净化直接排放",
     f"""## 法定义务
{DQ}第八十一条：排放油烟的餐饮服务业经营者应当**安装油烟净化设施并保持正常使用**，或者采取其他油烟净化措施，使油烟达标排放，并防止对附近居民的正常生活环境造成污染。禁止在居民住宅楼、未配套设立专用烟道的商住综合楼以及商住综合楼内与居住层相邻的商业楼层内新建、改建、扩建产生油烟、异味、废气的餐饮服务项目。

## 法律责任
同法第一百一十八条第一款：未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化措施，超过排放标准排放油烟的，责令改正，处**五千元以上五万元以下**罚款；拒不改正的，责令停业整治。

## 检查要点
- 净化设施是否安装、是否通电运行（现场查看运行状态）；
- 清洗维护记录；
- 排口位置与周边居民楼的关系。""" + NOTE,
     ["06-001"], ["06-001"], ["E0806"]),
    ("anyou-lutian-shaokao", Page.Kind.CAUSE, "public", CITY_CODE, "案由解读：露天烧烤",
     f"""## 禁止性规定
{DQ}第八十一条第三款：任何单位和个人不得在当地人民政府禁止的区域内露天烧烤食品或者为露天烧烤食品提供场地。

## 法律责任
同法第一百一十八条第三款：在禁止区域内露天烧烤食品或者为露天烧烤食品提供场地的，责令改正，**没收烧烤工具和违法所得**，并处**五百元以上二万元以下**罚款。

## 现场提示
- 既处罚烧烤者，也可处罚**提供场地**的商户；
- 没收烧烤工具应当开具清单并由当事人签字。""" + NOTE,
     ["06-002"], ["06-002"], ["E0507"]),
    ("biaozhun-gongdi-yangchen", Page.Kind.STANDARD, "public", CITY_CODE, "检查标准：施工工地扬尘防治",
     """## 逐项检查
1. **围挡**：工地周边连续设置硬质围挡，无缺口、无破损；
2. **苫盖**：土方、砂石等易扬尘物料和裸露地面全部覆盖；
3. **冲洗**：出入口设置车辆冲洗设施，出场车辆冲洗干净，不带泥上路；
4. **硬化**：施工道路和出入口地面硬化；
5. **湿法作业**：土方开挖、拆除作业时洒水降尘；
6. **密闭运输**：渣土、砂石运输车辆密闭，不遗撒。

任何一项不符合，记录为“不合格”，拍照取证，并责令限期改正；逾期未改正的，按“施工工地扬尘污染防治措施不到位”立案。""",
     ["08-001"], ["08-001"], ["E0304", "E0308"]),
    ("biaozhun-yejian-shigong", Page.Kind.STANDARD, "public", CITY_CODE, "检查标准：夜间施工噪声",
     f"""## 法律规定
{ZS}第四十三条：在噪声敏感建筑物集中区域，**禁止夜间进行产生噪声的建筑施工作业**，但抢修、抢险施工作业，因生产工艺要求或者其他特殊需要必须连续施工作业的除外。因特殊需要必须连续施工作业的，应当取得有关部门的证明，并在施工现场显著位置公示或者以其他方式公告附近居民。

“夜间”是指晚上十点至次日早晨六点之间的期间（同法第八十八条；设区的市级以上人民政府可以另行规定）。

## 检查要点
- 22时至次日6时是否有产生噪声的施工作业；
- 有连续施工证明的，核对证明的期间、范围与现场公示；
- 用声级计记录噪声值，连同时间、位置拍照留存。""" + NOTE,
     ["08-002"], ["08-002"], ["E0302"]),
    ("liucheng-jianyi-chengxu", Page.Kind.PROCEDURE, "public", CITY_CODE, "处置流程：简易程序现场处罚",
     """1. **确认条件**：事实确凿、有法定依据，罚款在当场处罚限额以内（公民二百元以下，单位三千元以下）；
2. **表明身份**：出示执法证件，告知当事人违法事实、处罚理由和依据；
3. **听取陈述申辩**：当事人提出的事实、理由成立的，应当采纳；
4. **填写决定书**：预定格式、编有号码，当场交付；拒绝签收的注明；
5. **缴纳罚款**：一般自收到决定书之日起十五日内到指定银行或者通过电子支付系统缴纳；符合条件的可当场收缴并出具专用票据；
6. **备案**：决定报所属行政机关备案，在系统中登记现场处罚记录。""",
     ["01-001", "01-002"], [], []),
    ("liucheng-fazhi-shenhe", Page.Kind.PROCEDURE, "staff", "110101", "处置流程：一般程序案件法制审核要点（东城区）",
     """**内部资料，仅供执法人员使用。**

法制审核岗审查以下内容，逐项记录审核意见：

1. 执法主体是否合法，执法人员是否具备执法资格；
2. 案件事实是否清楚，证据是否合法、充分，证据链是否完整；
3. 适用法律、法规、规章是否准确，案由与违法依据、处罚依据是否一致；
4. 程序是否合法：立案、调查、告知、听证（当事人申请的）是否依法进行；
5. 裁量是否适当：是否符合裁量基准，从轻、减轻、从重情节是否认定准确；
6. 文书是否规范、完整。

审核不通过的，写明理由退回承办人补充或者改正。""",
     [], [], []),
    ("changjian-wenti-fanying", Page.Kind.FAQ, "public", CITY_CODE, "常见问题：怎样反映城市管理问题？多久处理？",
     """**在哪里反映？** 拨打12345市民服务热线，或者在本平台“反映问题”页面在地图上标出位置、拍照提交。

**需要登录吗？** 不需要；登录后可以在“我的”页面跟踪处理进度并评价。

**多久处理？** 每类问题有规定的处置时限，紧急问题按小时计算，一般问题按工作日计算；系统会在时限内派给属地执法队。

**怎么知道结果？** 提交后会得到查询编号，可以随时查询；处理完成后会通知您。""",
     [], [], []),
]

REVISED_FAQ = PAGES[-1][5] + "\n\n**商户可以参与吗？** 可以。商户登录后可以按检查单自查自纠，发现问题及时整改。"


def seed(ctx):
    ctx.say("Wiki: knowledge pages")
    causes_model = Page.causes.field.related_model
    items_model = Page.checklist_items.field.related_model
    categories_model = Page.categories.field.related_model
    created = 0
    for slug, kind, visibility, region, title, body, cause_codes, item_codes, category_codes in PAGES:
        if Page.objects.filter(slug=slug).exists():
            continue
        page = services.page_create(user=None, kind=kind, slug=slug, title=title, body=body, reason="初始内容（演示）",
                                    visibility=visibility, region_code=region)
        items = list(items_model.objects.filter(cause_code__in=item_codes)) if item_codes else []
        services.page_links_set(user=None, page=page, causes=list(causes_model.objects.filter(code__in=cause_codes)),
                                checklist_items=items, checklists=list({i.checklist_id: i.checklist for i in items}.values()),
                                categories=list(categories_model.objects.filter(code__in=category_codes)))
        if slug == "changjian-wenti-fanying":
            services.page_edit(user=None, page=page, title=title, body=REVISED_FAQ, reason="补充商户参与的问答（演示）")
        created += 1
    ctx.say(f"  wiki pages: {Page.objects.count()} ({created} new)")
