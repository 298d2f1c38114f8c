"""Word lists for the generated part of the demo city (names of businesses, places, people)."""

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅海燕文亮波宁俊峰晨阳婷雪琳浩宇欣怡子轩梓涵一诺思远嘉怡佳琪"
SHOP_WORDS = ["福", "顺", "兴", "和", "盛", "隆", "祥", "瑞", "丰", "泰", "德", "鑫", "源", "华", "美", "佳", "新", "宏", "达", "嘉"]
TRADES = [
    ("餐饮", "restaurant", "production", "{a}{b}餐厅"),
    ("餐饮", "restaurant", "production", "{a}{b}小吃店"),
    ("餐饮", "restaurant", "production", "{a}{b}烤鸭店"),
    ("商贸", "shop", "production", "{a}{b}便利店"),
    ("商贸", "shop", "production", "{a}{b}超市"),
    ("商贸", "shop", "production", "{a}{b}五金店"),
    ("商贸", "market", "production", "{a}{b}农贸市场"),
    ("建筑工程", "construction_site", "production", "{a}{b}项目工地"),
    ("物业管理", "building", "community", "{a}{b}家园"),
    ("停车管理", "parking", "public", "{a}{b}停车场"),
    ("广告", "billboard", "public", "{a}{b}户外广告牌"),
]
PUBLIC_PLACES = [
    ("park", "public", "{street}{n}号街心公园"),
    ("street_segment", "public", "{street}{n}号路段"),
    ("manhole", "public", "{street}{n}号井盖"),
    ("street_lamp", "public", "{street}{n}号路灯"),
    ("waste_station", "community", "{street}{n}号垃圾分类驿站"),
]
ROADS = ["大街", "路", "胡同", "街", "巷", "北路", "南路", "东路", "西路"]
ROAD_STEMS = ["长安", "建国", "和平", "光明", "朝阳", "复兴", "幸福", "文化", "安定", "德胜", "永定", "学院", "科技", "团结", "民族", "花园", "青年", "胜利"]
