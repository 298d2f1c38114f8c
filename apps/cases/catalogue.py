"""The seed catalogue of case causes (案由) with their legal basis and discretion levels (裁量基准).

Pure data, loaded into the cases app's models by its seed/loader, which marks every cause
``citation_confirmed=False``: the bureau's legal office must confirm each citation and amount
before the catalogue is used for real decisions (see docs/CASE_CAUSES.md). Amounts are in
yuan. Each cause has three levels (slight / ordinary / serious) that split the statutory
range: the case form proposes a level and an amount from them and shows the conditions.
"""

AREAS: list[tuple[str, str, str]] = [
    ("01", "市容环境卫生", "City appearance and sanitation"),
    ("02", "市政管理", "Municipal facilities"),
    ("03", "公用事业", "Public utilities"),
    ("04", "城市节水", "Urban water saving"),
    ("05", "园林绿化", "Landscaping and greening"),
    ("06", "环境保护", "Environmental protection"),
    ("07", "城市河湖", "Urban rivers and lakes"),
    ("08", "施工现场", "Construction sites"),
    ("09", "城市停车", "Urban parking"),
    ("10", "交通运输", "Transport"),
    ("11", "流动无照经营", "Unlicensed street vending"),
    ("12", "违法建设", "Illegal construction"),
    ("13", "无证导游", "Unlicensed tour guiding"),
]

LEVELS = ("slight", "ordinary", "serious")

# Simple procedure (简易程序, Administrative Penalty Law 2021 art. 51): a warning, or a fine of
# at most 200 yuan for a citizen / 3,000 yuan for an organisation.
SIMPLE_LIMIT_CITIZEN = 200
SIMPLE_LIMIT_ORGANISATION = 3000

# The codes other parts of the system point at (inspection checklists, dispatch escalation).
REQUIRED_CODES = {"01-001", "01-002", "01-003", "06-001", "06-002", "08-001", "08-002", "11-001", "12-001"}
REQUIRED_NAMES = {
    "01-001": "店外经营（超出门窗、外墙经营）",
    "01-002": "未履行门前三包责任",
    "01-003": "擅自设置牌匾标识或户外广告",
    "06-001": "餐饮服务单位油烟未经净化直接排放",
    "06-002": "露天烧烤",
    "08-001": "施工工地扬尘污染防治措施不到位",
    "08-002": "夜间违规施工噪声扰民",
    "11-001": "无照经营（流动摊贩）",
    "12-001": "违法建设",
}

_CONDITIONS = {
    "slight": "初次违法，情节轻微、持续时间短，未造成明显危害后果，能够配合调查并及时改正",
    "ordinary": "造成一定不良影响，或者经责令改正后未在期限内改正，不属于从轻或者从重情形",
    "serious": "拒不改正、一年内再次实施同类违法行为、造成严重不良影响或者引发多次投诉，或者以暴力、威胁等方法阻碍执法",
}
_HARM = {"slight": "slight", "ordinary": "ordinary", "serious": "serious"}

# Causes whose article numbers or amounts come from memory of Beijing local regulations and
# are the least certain; docs/CASE_CAUSES.md lists them for the legal office to check first.
PROVISIONAL = {
    "01-001", "01-002", "01-003", "01-004", "01-005", "01-006", "01-007", "01-008", "01-009",
    "01-012", "01-013", "01-014", "01-015", "01-016",
    "04-001", "04-002", "05-001", "05-002", "05-003", "05-004", "06-005",
    "07-001", "07-002", "07-003", "08-003", "08-007", "09-001", "09-002", "10-001", "10-003", "11-003",
}


def _nice(value: float) -> int:
    """Round a level boundary to an amount an officer would write down."""
    if value <= 0:
        return 0
    step = 10 if value < 1000 else 100 if value < 10000 else 1000
    return int(round(value / step) * step)


def _split(low: int, high: int, *, warning: bool = False, notes: dict | None = None) -> list[dict]:
    """Three levels over the statutory range [low, high]: lower 30 %, middle 40 %, upper 30 %."""
    first = max(low, _nice(low + (high - low) * 0.3))
    second = max(first, _nice(low + (high - low) * 0.7))
    bounds = {"slight": (low, first), "ordinary": (first, second), "serious": (second, high)}
    return [_level(level, *bounds[level], warning=warning and level == "slight", note=(notes or {}).get(level)) for level in LEVELS]


def _level(level: str, fine_min: int, fine_max: int, *, warning: bool = False, note: str | None = None, conditions: str | None = None) -> dict:
    text = conditions or _CONDITIONS[level]
    if note:
        text = f"{text}；{note}"
    return {
        "level": level,
        "conditions": text,
        "harm": _HARM[level],
        "fine_min": int(fine_min),
        "fine_max": int(fine_max),
        "warning_allowed": bool(warning),
    }


def _cause(code, name, categories, legal_basis, penalty_basis, levels, *, simple=None, serious_harm=False) -> dict:
    lowest = levels[0]
    possible = lowest["warning_allowed"] or (lowest["fine_max"] > 0 and lowest["fine_min"] <= SIMPLE_LIMIT_ORGANISATION)
    return {
        "code": code,
        "name": name,
        "area": code[:2],
        "category_codes": list(categories),
        "legal_basis": legal_basis,
        "penalty_basis": penalty_basis,
        # By default the simple procedure is open whenever the lowest level allows it; a cause
        # can close it (demolition orders, percentage fines) but never open it beyond the law.
        "simple_allowed": possible if simple is None else (simple and possible),
        "serious_harm": serious_harm,
        "levels": levels,
    }


# Law names used below, spelt once.
SRHJ = "《北京市市容环境卫生条例》"
LJGL = "《北京市生活垃圾管理条例》"
GGTJ = "《北京市户外广告设施、牌匾标识和标语宣传品设置管理条例》"
MQSB = "《北京市“门前三包”责任制管理办法》"
GWY_SR = "《城市市容和环境卫生管理条例》"
JZLJ = "《城市建筑垃圾管理规定》"
DLGL = "《城市道路管理条例》"
RQGL = "《城镇燃气管理条例》"
JSTL = "《北京市节水条例》"
LHTL = "《北京市绿化条例》"
GWY_LH = "《城市绿化条例》"
DQFZ = "《中华人民共和国大气污染防治法》"
BJDQ = "《北京市大气污染防治条例》"
ZSFZ = "《中华人民共和国噪声污染防治法》"
HHBH = "《北京市河湖保护管理条例》"
TCTL = "《北京市机动车停车条例》"
XYCZ = "《巡游出租汽车经营服务管理规定》"
WZWZ = "《无证无照经营查处办法》"
CXGH = "《中华人民共和国城乡规划法》"
LYF = "《中华人民共和国旅游法》"
DYTL = "《导游人员管理条例》"


CAUSES: list[dict] = [
    # 01 市容环境卫生 ------------------------------------------------------------------
    _cause("01-001", "店外经营（超出门窗、外墙经营）", ["E0502"], f"{SRHJ}第二十二条", f"{SRHJ}第五十四条",
           _split(500, 5000, notes={"slight": "经营面积小、当场收回物品的，可以只责令改正"})),
    _cause("01-002", "未履行门前三包责任", ["E0110"], f"{MQSB}第五条", f"{MQSB}第十五条",
           _split(100, 1000, warning=True, notes={"slight": "首次发现的，给予警告并责令改正"})),
    _cause("01-003", "擅自设置牌匾标识或户外广告", ["C0304", "C0306", "E0204"], f"{GGTJ}第十一条", f"{GGTJ}第四十二条",
           _split(1000, 10000, notes={"serious": "逾期不拆除的，可以按日连续处罚"})),
    _cause("01-004", "户外广告设施、牌匾标识存在安全隐患未及时整改", ["E0408", "E0208"], f"{GGTJ}第三十二条",
           f"{GGTJ}第四十五条", _split(5000, 50000), serious_harm=True),
    _cause("01-005", "随地吐痰便溺、乱扔废弃物", ["E0107"], f"{SRHJ}第四十三条", f"{SRHJ}第四十三条",
           [_level("slight", 0, 50, note="当场改正的，可以只责令改正"), _level("ordinary", 50, 50),
            _level("serious", 200, 200, note="情节严重的，处200元罚款")]),
    _cause("01-006", "在建筑物、设施上乱张贴、乱涂写、乱刻画", ["E0201", "E0202", "E0203"],
           f"{GWY_SR}第十七条、{SRHJ}第二十九条", f"{SRHJ}第五十五条",
           _split(50, 500, notes={"serious": "组织张贴、涂写的，从重处罚"})),
    _cause("01-007", "未经批准在街头散发商业广告", ["E0205"], f"{SRHJ}第二十九条", f"{SRHJ}第五十五条", _split(50, 500)),
    _cause("01-008", "擅自悬挂、张贴标语宣传品", ["E0206"], f"{GGTJ}第三十条", f"{GGTJ}第四十四条", _split(500, 5000)),
    _cause("01-009", "在道路、公共场地乱堆物堆料", ["E0106"], f"{GWY_SR}第十四条", f"{GWY_SR}第三十六条第（二）项",
           _split(0, 1000, notes={"slight": "当场清理的，可以只责令改正"})),
    _cause("01-010", "单位未按规定分类投放生活垃圾", ["E0108"], f"{LJGL}第三十三条", f"{LJGL}第七十三条",
           [_level("slight", 1000, 1000, note="首次违反的，处1000元罚款"),
            _level("ordinary", 10000, 30000, note="再次违反的，处1万元以上5万元以下罚款"),
            _level("serious", 30000, 50000, note="再次违反且拒不改正或造成严重影响")]),
    _cause("01-011", "个人未按规定分类投放生活垃圾", ["E0108"], f"{LJGL}第三十三条", f"{LJGL}第七十三条",
           [_level("slight", 0, 0, warning=True, note="拒不听从劝阻的，给予书面警告；自愿参加社区服务活动的，不予行政处罚"),
            _level("ordinary", 50, 100, note="再次违反的"), _level("serious", 100, 200, note="再次违反且拒不改正的")]),
    _cause("01-012", "餐厨垃圾未交由有资质单位收集运输处理", ["E0109"], f"{LJGL}第三十八条", f"{LJGL}第七十六条",
           _split(10000, 100000)),
    _cause("01-013", "在临街建筑物阳台和窗外堆放、吊挂有碍市容物品", ["E0112"], f"{GWY_SR}第十条",
           f"{GWY_SR}第三十四条第（三）项", _split(0, 200, warning=True)),
    _cause("01-014", "随意丢弃大件垃圾、装修垃圾", ["E0113", "E0102"], f"{LJGL}第三十五条", f"{LJGL}第七十四条",
           _split(100, 1000, warning=True)),
    _cause("01-015", "建筑物外立面不洁、破损未及时修复", ["C0501"], f"{SRHJ}第十五条", f"{SRHJ}第五十二条",
           _split(500, 5000)),
    _cause("01-016", "未按规定时间、地点、方式倾倒垃圾", ["E0107", "E0101"], f"{GWY_SR}第二十八条",
           f"{GWY_SR}第三十四条第（四）项", _split(0, 500, warning=True)),
    # 02 市政管理 ----------------------------------------------------------------------
    _cause("02-001", "擅自占用或者挖掘城市道路", ["E0307", "E0309"], f"{DLGL}第二十七条第（一）项", f"{DLGL}第四十二条",
           _split(0, 20000, notes={"serious": "造成损失的，依法承担赔偿责任"})),
    _cause("02-002", "未对检查井、箱盖或道路附属设施缺损及时补缺或修复", ["E0401", "E0602", "C0101", "C0102", "C0103", "C0107"],
           f"{DLGL}第二十三条", f"{DLGL}第四十二条第（一）项", _split(0, 20000), serious_harm=True),
    _cause("02-003", "城市道路施工现场未设置明显标志和安全防围设施", ["E0307"], f"{DLGL}第三十五条",
           f"{DLGL}第四十二条第（二）项", _split(0, 20000), serious_harm=True),
    _cause("02-004", "占用城市道路期满或挖掘后未及时清理现场", ["E0307", "E0309"], f"{DLGL}第三十一条",
           f"{DLGL}第四十二条第（三）项", _split(0, 20000)),
    _cause("02-005", "擅自在城市道路上建设建筑物、构筑物", ["E0701"], f"{DLGL}第二十七条第（四）项", f"{DLGL}第四十二条",
           _split(0, 20000)),
    _cause("02-006", "占用城市道路洗车、修车", ["E0512", "E0513"], f"{DLGL}第二十七条第（一）项", f"{DLGL}第四十二条",
           _split(0, 20000, warning=False, notes={"slight": "当场停止、清理现场的"})),
    _cause("02-007", "擅自在桥梁或路灯设施上设置广告牌或其他挂浮物", ["C0111", "E0604"], f"{DLGL}第二十七条第（六）项",
           f"{DLGL}第四十二条", _split(0, 20000)),
    _cause("02-008", "依附城市道路建设管线、杆线未办理批准手续", ["E0604"], f"{DLGL}第二十九条", f"{DLGL}第四十二条第（四）项",
           _split(0, 20000)),
    # 03 公用事业 ----------------------------------------------------------------------
    _cause("03-001", "未取得燃气经营许可证从事燃气经营活动", [], f"{RQGL}第十五条", f"{RQGL}第四十五条",
           _split(50000, 500000, notes={"slight": "有违法所得的，没收违法所得"}), serious_harm=True),
    _cause("03-002", "在不具备安全条件的场所使用、储存燃气", [], f"{RQGL}第二十八条", f"{RQGL}第四十九条",
           [_level("slight", 0, 1000, note="逾期不改正的，对个人可以处1000元以下罚款"),
            _level("ordinary", 1000, 50000, note="对单位可以处10万元以下罚款"),
            _level("serious", 50000, 100000)], serious_harm=True),
    _cause("03-003", "擅自安装、改装、拆除户内燃气设施", [], f"{RQGL}第二十八条", f"{RQGL}第四十九条",
           [_level("slight", 0, 1000, note="逾期不改正的，对个人可以处1000元以下罚款"),
            _level("ordinary", 1000, 50000, note="对单位可以处10万元以下罚款"),
            _level("serious", 50000, 100000)], serious_harm=True),
    # 04 城市节水 ----------------------------------------------------------------------
    _cause("04-001", "洗车经营未按规定使用循环用水设施或再生水", ["E0512"], f"{JSTL}第三十条", f"{JSTL}第五十二条",
           _split(1000, 10000)),
    _cause("04-002", "具备条件的绿化、环卫、施工用水未按规定使用再生水", [], f"{JSTL}第二十九条", f"{JSTL}第五十一条",
           _split(1000, 10000, warning=True)),
    # 05 园林绿化 ----------------------------------------------------------------------
    _cause("05-001", "损坏城市树木花草", ["C0401", "C0402", "E0105"], f"{GWY_LH}第二十条、{LHTL}第四十条", f"{LHTL}第五十六条",
           _split(0, 5000, warning=True)),
    _cause("05-002", "擅自修剪或者砍伐城市树木", ["C0401"], f"{GWY_LH}第二十一条、{LHTL}第四十一条", f"{LHTL}第五十七条",
           _split(1000, 50000)),
    _cause("05-003", "擅自占用城市绿地", ["C0402"], f"{GWY_LH}第十九条、{LHTL}第三十六条", f"{LHTL}第五十五条",
           _split(1000, 20000)),
    _cause("05-004", "损坏城市绿化设施", ["C0403", "C0404", "C0406"], f"{GWY_LH}第二十条、{LHTL}第四十条", f"{LHTL}第五十六条",
           _split(0, 5000, warning=True)),
    # 06 环境保护 ----------------------------------------------------------------------
    _cause("06-001", "餐饮服务单位油烟未经净化直接排放", ["E0802", "E0806"], f"{DQFZ}第八十一条第一款",
           f"{DQFZ}第一百一十八条第一款", _split(5000, 50000, notes={"serious": "拒不改正的，责令停业整治"})),
    _cause("06-002", "露天烧烤", ["E0507"], f"{DQFZ}第八十一条第三款、{BJDQ}第七十四条", f"{DQFZ}第一百一十八条第三款",
           _split(500, 20000, notes={"slight": "没收烧烤工具和违法所得"})),
    _cause("06-003", "在禁止区域露天焚烧落叶、枯草等产生烟尘污染的物质", ["E0801"], f"{DQFZ}第七十七条",
           f"{DQFZ}第一百一十九条第一款", _split(500, 2000)),
    _cause("06-004", "在人口集中地区焚烧沥青、塑料、垃圾等产生有毒有害烟尘的物质", ["E0801"], f"{DQFZ}第八十二条第一款",
           f"{DQFZ}第一百一十九条第二款",
           [_level("slight", 500, 2000, note="对个人处500元以上2000元以下罚款"),
            _level("ordinary", 10000, 40000, note="对单位处1万元以上10万元以下罚款"),
            _level("serious", 40000, 100000)]),
    _cause("06-005", "商业经营中使用高音广播喇叭等方法招揽顾客", ["E0803"], f"{ZSFZ}第六十四条", f"{ZSFZ}第八十二条",
           [_level("slight", 0, 0, warning=True, note="说服教育、责令改正；拒不改正的，给予警告"),
            _level("ordinary", 200, 1000, note="拒不改正的个人，可以处200元以上1000元以下罚款"),
            _level("serious", 2000, 20000, note="拒不改正的单位，可以处2000元以上2万元以下罚款")]),
    _cause("06-006", "在居民住宅楼等禁止区域新建产生油烟的餐饮服务项目", ["E0802"], f"{DQFZ}第八十一条第二款",
           f"{DQFZ}第一百一十八条第二款", _split(10000, 100000, notes={"slight": "拒不改正的，予以关闭并处罚款"})),
    _cause("06-007", "堆放易产生扬尘的物料未密闭或覆盖", ["E0805"], f"{DQFZ}第七十二条", f"{DQFZ}第一百一十七条第（一）项",
           _split(10000, 100000, notes={"serious": "拒不改正的，责令停工整治或者停业整治"})),
    # 07 城市河湖 ----------------------------------------------------------------------
    _cause("07-001", "向河湖水域倾倒垃圾、渣土等废弃物", ["E0104"], f"{HHBH}第三十二条", f"{HHBH}第四十九条",
           _split(500, 50000)),
    _cause("07-002", "在河湖管理范围内违规设置排污口或排放污水", ["E0606"], f"{HHBH}第三十三条", f"{HHBH}第五十条",
           _split(10000, 100000)),
    _cause("07-003", "在河湖管理范围内违规从事经营活动", ["E0104"], f"{HHBH}第三十二条", f"{HHBH}第四十九条",
           _split(100, 1000, warning=True)),
    # 08 施工现场 ----------------------------------------------------------------------
    _cause("08-001", "施工工地扬尘污染防治措施不到位", ["E0304"], f"{DQFZ}第六十九条", f"{DQFZ}第一百一十五条第一款",
           _split(10000, 100000, notes={"serious": "拒不改正的，责令停工整治"})),
    _cause("08-002", "夜间违规施工噪声扰民", ["E0302", "E0301"], f"{ZSFZ}第四十三条", f"{ZSFZ}第七十七条",
           _split(10000, 100000, notes={"serious": "拒不改正的，可以责令暂停施工"})),
    _cause("08-003", "临街工地未设置护栏或遮挡", ["E0303"], f"{GWY_SR}第十六条", f"{GWY_SR}第三十四条第（七）项",
           _split(0, 5000, warning=True)),
    _cause("08-004", "施工工地未冲洗车辆致带泥上路", ["E0308"], f"{DQFZ}第六十九条第三款",
           f"{DQFZ}第一百一十五条第一款第（一）项", _split(10000, 100000, notes={"serious": "拒不改正的，责令停工整治"})),
    _cause("08-005", "随意倾倒、抛撒或者堆放建筑垃圾", ["E0306", "E0102"], f"{JZLJ}第十五条", f"{JZLJ}第二十六条",
           [_level("slight", 0, 200, warning=True, note="个人给予警告，并处200元以下罚款"),
            _level("ordinary", 5000, 20000, note="单位处5000元以上5万元以下罚款"),
            _level("serious", 20000, 50000)]),
    _cause("08-006", "建筑土方、工程渣土、建筑垃圾未及时清运或未密闭遮盖", ["E0102", "E0310"], f"{DQFZ}第六十九条第三款",
           f"{DQFZ}第一百一十五条第一款第（二）项", _split(10000, 100000, notes={"serious": "拒不改正的，责令停工整治"})),
    _cause("08-007", "将建筑垃圾交给个人或者未经核准的单位运输处置", ["E0306"], f"{JZLJ}第十三条", f"{JZLJ}第二十二条第二款",
           _split(10000, 100000)),
    # 09 城市停车 ----------------------------------------------------------------------
    _cause("09-001", "在道路或公共区域擅自设置地锁等障碍物", ["E0508"], f"{TCTL}第二十七条", f"{TCTL}第三十八条",
           _split(100, 1000, warning=True)),
    _cause("09-002", "未经许可擅自施划停车泊位并收费", ["E0509"], f"{TCTL}第二十条", f"{TCTL}第三十五条",
           _split(2000, 20000)),
    _cause("09-003", "未经批准占用城市道路设置停车场所", ["E0509", "E0504"], f"{DLGL}第二十七条第（一）项", f"{DLGL}第四十二条",
           _split(0, 20000)),
    # 10 交通运输 ----------------------------------------------------------------------
    _cause("10-001", "未取得经营许可擅自从事出租汽车客运经营（黑车）", ["E0510"], f"{XYCZ}第八条",
           f"{XYCZ}第四十五条", _split(5000, 20000)),
    _cause("10-002", "运输渣土、砂石等散装物料未采取密闭措施造成遗撒", ["E0305"], f"{DQFZ}第七十条",
           f"{DQFZ}第一百一十六条", _split(2000, 20000, notes={"serious": "拒不改正的，车辆不得上道路行驶"})),
    _cause("10-003", "运输液体、散装货物未密封、包扎、覆盖造成泄漏遗撒", ["E0305"], f"{GWY_SR}第十五条",
           f"{GWY_SR}第三十四条第（六）项", _split(0, 5000, warning=True)),
    # 11 流动无照经营 ------------------------------------------------------------------
    _cause("11-001", "无照经营（流动摊贩）", ["E0501"], f"{WZWZ}第二条", f"{WZWZ}第十三条",
           _split(0, 10000, notes={"slight": "没收违法所得；经营规模小、当场停止的，从轻处罚"})),
    _cause("11-002", "无照占道收购废品", ["E0503"], f"{WZWZ}第二条", f"{WZWZ}第十三条", _split(0, 10000)),
    _cause("11-003", "明知无照经营仍为其提供经营场所等条件", ["E0501"], f"{WZWZ}第二条", f"{WZWZ}第十四条",
           _split(0, 5000)),
    # 12 违法建设 ----------------------------------------------------------------------
    _cause("12-001", "违法建设", ["E0702", "E0701"], f"{CXGH}第四十条", f"{CXGH}第六十四条",
           [_level("slight", 0, 0, note="尚可采取改正措施消除对规划实施影响的，限期改正，处建设工程造价5%以上10%以下罚款（按造价计算）"),
            _level("ordinary", 0, 0, note="无法采取改正措施消除影响的，限期拆除"),
            _level("serious", 0, 0, note="不能拆除的，没收实物或者违法收入，可以并处建设工程造价10%以下罚款")],
           simple=False),
    _cause("12-002", "未经批准进行临时建设或临时建筑逾期不拆除", ["E0701", "E0705"], f"{CXGH}第四十四条", f"{CXGH}第六十六条",
           [_level("slight", 0, 0, note="责令限期拆除"),
            _level("ordinary", 0, 0, note="可以并处临时建设工程造价一倍以下罚款（按造价计算）"),
            _level("serious", 0, 0, note="逾期不拆除的，依法强制拆除，并处临时建设工程造价一倍以下罚款")],
           simple=False),
    _cause("12-003", "擅自改变建筑外立面或开墙打洞", ["E0703", "E0704"], f"{CXGH}第四十条", f"{CXGH}第六十四条",
           [_level("slight", 0, 0, note="限期恢复原状或改正，处建设工程造价5%以上10%以下罚款（按造价计算）"),
            _level("ordinary", 0, 0, note="无法改正的，限期拆除"),
            _level("serious", 0, 0, note="不能拆除的，没收实物或者违法收入，可以并处建设工程造价10%以下罚款")],
           simple=False),
    # 13 无证导游 ----------------------------------------------------------------------
    _cause("13-001", "未取得导游证从事导游活动", ["E0511"], f"{LYF}第三十七条", f"{LYF}第一百零二条第一款",
           _split(1000, 10000, notes={"slight": "没收违法所得，并予以公告"})),
    _cause("13-002", "导游人员未经旅行社委派私自承揽导游业务", ["E0511"], f"{DYTL}第九条", f"{DYTL}第十九条",
           _split(1000, 30000, notes={"serious": "情节严重的，提请吊销导游证"})),
    _cause("13-003", "导游人员向旅游者兜售物品或索要小费", ["E0511"], f"{DYTL}第十五条", f"{DYTL}第二十三条",
           _split(1000, 30000)),
]


def cause_by_code(code: str) -> dict | None:
    return next((cause for cause in CAUSES if cause["code"] == code), None)


def causes_for_category(category_code: str) -> list[dict]:
    return [cause for cause in CAUSES if category_code in cause["category_codes"]]


def area_name(area_code: str) -> str:
    return next((name for code, name, _ in AREAS if code == area_code), "")
