"""Code values the demo registers use, with their sampling weights.

Codes are the canonical ones of the field catalog's code lists (national standards where one
exists), so that a source configuration maps most columns without a transform. The registers
that deliberately keep local spellings (the housing fund and disability registers) say so where
they are built.
"""

from __future__ import annotations

__all__ = [
    "BANKS",
    "DISABILITY_LEVELS",
    "DISABILITY_TYPES",
    "EDUCATION_BY_COHORT",
    "ENTERPRISE_TYPES",
    "ETHNICITIES",
    "HIGHER_EDUCATION",
    "HUKOU_TYPES",
    "INDUSTRIES",
    "INSURED_STATUS",
    "LICENCE_CLASSES",
    "MAJORS",
    "MEDICAL_INSURANCE_TYPES",
    "OCCUPATIONS",
    "POLITICAL",
    "RELATION",
    "SENIOR_MIDDLE",
    "TAXPAYER_TYPES",
    "TRADE_NAME_CHARS",
    "TUJIA",
    "UNIVERSITIES",
    "VEHICLE_MODELS",
]

# fmt: off
ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("01", 0.962), ("03", 0.008), ("06", 0.007), ("02", 0.004), ("11", 0.004), ("08", 0.003),
    ("12", 0.003), ("07", 0.002), ("13", 0.002), ("14", 0.002), ("04", 0.001), ("10", 0.002),
)
"""GB/T 3304 codes and shares, besides Tujia (15), whose share depends on the district."""
TUJIA = "15"

RELATION = {"head": "02", "spouse": "10", "son": "20", "daughter": "30", "father": "51",
            "mother": "52"}
"""GB/T 4761 family relation codes (relation to the head of household)."""

POLITICAL = {"party_member": "01", "league_member": "03", "masses": "13"}
"""GB/T 4762 political status codes."""

EDUCATION_BY_COHORT: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (1960, (("80", .40), ("70", .35), ("60", .17), ("40", .04), ("30", .02), ("20", .02))),
    (1980, (("80", .15), ("70", .40), ("60", .22), ("40", .08), ("30", .08), ("20", .06),
            ("14", .01))),
    (1995, (("80", .03), ("70", .25), ("60", .17), ("40", .10), ("30", .20), ("20", .20),
            ("14", .045), ("11", .005))),
    (9999, (("70", .12), ("60", .15), ("40", .10), ("30", .28), ("20", .28), ("14", .06),
            ("11", .01))),
)
"""GB/T 4658 education codes by birth year (people born before the year): 80 primary school,
70 junior middle, 60 senior middle, 40 secondary vocational, 30 college, 20 bachelor, 14 master,
11 doctor."""
SENIOR_MIDDLE = "60"
HIGHER_EDUCATION: dict[str, tuple[str, int, str]] = {
    "30": ("", 21, "3"), "20": ("学士", 22, "5"), "14": ("硕士", 25, "6"), "11": ("博士", 28, "7"),
}
"""Higher education codes: the degree conferred, the usual age at graduation, and the level digit
of the diploma number."""

HUKOU_TYPES = {"rural": "1", "urban": "2"}
"""Hukou type (户口性质): agricultural (village) or non-agricultural (town)."""

INSURED_STATUS = {"insured": "1", "suspended": "2", "terminated": "3"}
"""Pension insurance status: insured (contributing or drawing a pension), suspended, ended."""

MEDICAL_INSURANCE_TYPES = {"employee": "310", "resident": "390"}
"""National medical insurance scheme codes: employee basic (310), urban-rural resident (390)."""

TAXPAYER_TYPES = {"general": "1", "small": "2"}
"""VAT taxpayer type: general taxpayer, small-scale taxpayer."""

ENTERPRISE_TYPES: tuple[tuple[str, float], ...] = (
    ("1130", 0.55), ("1151", 0.20), ("1190", 0.08), ("1200", 0.04), ("4540", 0.06),
    ("9100", 0.07),
)
"""Enterprise type codes: limited company owned by natural persons (1130), one-person limited
company (1151), other limited company (1190), joint stock company (1200), sole proprietorship
(4540), farmers' cooperative (9100)."""

DISABILITY_TYPES: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7")
"""GB/T 26341 categories: sight, hearing, speech, physical, intellectual, mental, multiple."""
DISABILITY_LEVELS: tuple[str, ...] = ("1", "2", "3", "4")
"""GB/T 26341 levels one (most severe) to four."""

OCCUPATIONS: tuple[str, ...] = (
    "专业技术人员", "办事人员和有关人员", "社会生产服务和生活服务人员", "生产制造及有关人员",
    "农、林、牧、渔业生产及辅助人员", "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "不便分类的其他从业人员",
)
"""Major groups of the national occupation classification (2015)."""

INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("科技", "I6513", "技术开发、技术咨询、技术服务；软件开发；信息系统集成服务"),
    ("建设工程", "E4700", "房屋建筑工程施工；市政公用工程施工；建筑装饰装修工程设计与施工"),
    ("商贸", "F5191", "日用百货、五金交电、建筑材料、机电设备批发兼零售"),
    ("物流", "G5430", "普通货物道路运输；仓储服务（不含危险化学品）；货物装卸搬运"),
    ("食品", "C1430", "食品生产；食品销售；农副产品收购"),
    ("化工", "C2614", "化工产品（不含危险化学品）生产、销售；化工技术咨询"),
    ("文化传媒", "L7251", "广告设计、制作、代理、发布；文化艺术交流活动策划；会议及展览服务"),
    ("餐饮管理", "H6210", "餐饮服务；餐饮管理；食品经营"),
    ("医药", "F5251", "药品零售；医疗器械经营；保健食品销售"),
    ("新能源", "D4416", "太阳能发电技术服务；光伏设备及元器件销售；合同能源管理"),
    ("农业开发", "A0190", "柑橘种植、销售；农业技术推广服务；农产品初加工"),
    ("机械设备", "C3490", "通用机械设备制造、销售、维修；机电设备安装"),
    ("旅游发展", "N7851", "旅游景区开发与管理；旅游信息咨询；票务代理"),
)
"""Business lines: the word used in enterprise names, a GB/T 4754 industry code, the scope."""

TRADE_NAME_CHARS = (
    "恒达鑫源华瑞宏图天成金桥盛世汇通鼎立博远嘉禾丰"
    "同创众邦信诚弘毅凯越峡江清楚荆长隆兴泰安康德顺"
)
"""Characters of two-character trade names (字号) in enterprise names."""

UNIVERSITIES: tuple[tuple[str, str], ...] = (
    ("三峡大学", "11075"), ("武汉大学", "10486"), ("华中科技大学", "10487"),
    ("华中师范大学", "10511"), ("武汉理工大学", "10497"), ("中南财经政法大学", "10520"),
    ("湖北大学", "10512"), ("长江大学", "10489"), ("湖北三峡职业技术学院", "13248"),
    ("三峡旅游职业技术学院", "14229"),
)
"""Universities and their national school codes (the start of their diploma numbers)."""

MAJORS: tuple[str, ...] = (
    "计算机科学与技术", "土木工程", "临床医学", "会计学", "汉语言文学", "法学",
    "电气工程及其自动化", "机械设计制造及其自动化", "护理学", "工商管理", "英语",
    "数学与应用数学", "水利水电工程",
)
"""Majors of degree holders."""

BANKS: tuple[tuple[str, str], ...] = (
    ("中国工商银行宜昌分行", "622202"), ("中国建设银行宜昌分行", "621700"),
    ("中国农业银行宜昌分行", "622848"), ("中国银行宜昌分行", "621661"),
    ("湖北银行宜昌分行", "621977"), ("宜昌农村商业银行", "623521"),
)
"""Banks where pensions are paid, with the card number prefix (BIN) of each."""

LICENCE_CLASSES: tuple[tuple[str, float], ...] = (
    ("C1", 0.80), ("C2", 0.10), ("B2", 0.05), ("A2", 0.03), ("A1", 0.02),
)
"""Driving licence classes (准驾车型) and their shares."""

VEHICLE_MODELS: tuple[tuple[bytes, str, str], ...] = (
    (b"LSV", "大众汽车牌SVW71520FJ", "小型轿车"), (b"LFV", "大众汽车牌FV7155BBDBG", "小型轿车"),
    (b"LGB", "东风日产牌DFL7160VAL1", "小型轿车"), (b"LHG", "本田牌HG7150BBC6", "小型轿车"),
    (b"LVS", "福特牌CAF7150A6", "小型轿车"), (b"LBV", "宝马牌BMW7200MX", "小型轿车"),
    (b"LGX", "比亚迪牌BYD7152WT6HEVC", "小型轿车"), (b"LSG", "别克牌SGM7151DAT", "小型轿车"),
    (b"LFM", "丰田牌TV7180GLXS", "小型轿车"), (b"LB3", "吉利牌MR7153D03", "小型轿车"),
    (b"LVV", "奇瑞牌SQR7150J615", "小型轿车"), (b"LGW", "长城牌CC6460RM21", "小型普通客车"),
    (b"LRW", "特斯拉牌TSL7000BEVAR0", "小型轿车"),
)
"""World manufacturer identifier, brand and model (品牌型号), and vehicle type of cars."""
# fmt: on
