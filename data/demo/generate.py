#!/usr/bin/env python3
"""Generates the demo records of 灵武市教育体育局 and four of its schools as CSV files that
`gongkai demo` loads through the importer. Deterministic (fixed seed): rerunning gives the same
files. The 2020 figures are those of the bureau's published 2020 report (the seed fixture); the
report is computed from these rows, never from typed-in totals.

Run from the repository root: python3 data/demo/generate.py
"""
import csv, datetime, os, random

OUT = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20201231)
BUREAU = "11640181MB1912004K"
SCHOOLS = [
    ("12640181MB1912101A", "灵武市第四小学", "第四小学"),
    ("12640181MB1912102B", "灵武市第四中学", "第四中学"),
    ("12640181MB1912103C", "灵武市幼儿园", "市幼儿园"),
    ("12640181MB1912104D", "灵武市职业教育中心", "职教中心"),
]


def write(name, header, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def workdays(year, n, start=None, end=None):
    """n sorted weekday dates spread over [start, end] of a year."""
    start = start or datetime.date(year, 1, 6)
    end = end or datetime.date(year, 12, 28)
    days = [start + datetime.timedelta(d) for d in range((end - start).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    return sorted(rng.choice(days) for _ in range(n))


def iso(d):
    return d.isoformat() if d else ""


# ---------------------------------------------------------------- organs
write("organs.csv", ["机关代码", "机关全称", "简称", "类型", "上级机关", "索引号格式"],
      [[BUREAU, "灵武市教育体育局", "灵武市教体局", "部门", "", "{code}/{year}-{seq:05}"]] +
      [[c, n, s, "部门", BUREAU, "{code}/{year}-{seq:04}"] for c, n, s in SCHOOLS])

# ---------------------------------------------------------------- matters
LICENSING = ["教师资格认定", "民办学校设立审批", "民办学校变更审批", "民办学校终止审批",
             "校外培训机构设立审批", "高危险性体育项目经营许可", "举办健身气功活动及设立站点审批",
             "民办幼儿园设立审批"]
SERVICES = ["学生资助申请受理", "中小学生转学", "学籍证明出具", "教师资格证书补发换发",
            "社会体育指导员技术等级认定", "运动员技术等级认定", "学历证明补办",
            "中小学教师职称评审材料受理", "公共体育场馆开放预约"]
matters = []
for i, n in enumerate(LICENSING):
    matters.append([BUREAU, "行政许可", n, f"{2018 + i % 2}-0{1 + i % 3}-15", ""])
for i, n in enumerate(SERVICES):
    matters.append([BUREAU, "其他对外管理服务事项", n, f"2019-0{1 + i % 4}-10", ""])
# From 2021: one licensing matter leaves the list, one enters; a penalty and a fee list appear.
matters[3][4] = "2021-07-01"  # 民办学校终止审批 merged into 变更审批
matters.append([BUREAU, "行政许可", "义务教育阶段民办学校招生简章备案核准", "2021-07-01", ""])
matters.append([BUREAU, "行政处罚", "对民办学校违规办学行为的处罚", "2021-03-01", ""])
matters.append([BUREAU, "行政处罚", "对校外培训机构违规培训行为的处罚", "2021-09-01", ""])
matters.append([BUREAU, "行政事业性收费", "公共体育场馆设施使用费", "2021-01-01", ""])
matters.append([BUREAU, "行政事业性收费", "教师资格认定体检费", "2021-01-01", "2022-07-01"])
write("matters.csv", ["机关", "事项类型", "事项名称", "列入日期", "移出日期"], matters)


# ---------------------------------------------------------------- decisions
def split(total, names, weights=None):
    """Distributes `total` decisions over matters deterministically."""
    weights = weights or [rng.randint(1, 10) for _ in names]
    s = sum(weights)
    counts = [total * w // s for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return list(zip(names, counts))


decisions = []
seq = {}


# 行政相对人: chosen from the decision's own number (not from `rng`, so adding them left every
# other file as it was). Natural persons are written masked (张某某), as many portals publish them.
BRANDS = ["启明", "育才", "博雅", "新星", "阳光", "英才", "明德", "致远", "蓝天", "春晖", "智慧树", "金太阳"]
SURNAMES = "王李张刘陈杨赵黄周吴马何"


def party(matter, number):
    h = sum(ord(c) * (i + 1) for i, c in enumerate(number))
    brand = BRANDS[h % len(BRANDS)]
    if "幼儿园" in matter:
        return f"灵武市{brand}幼儿园"
    if "校外培训" in matter:
        return f"灵武市{brand}培训学校有限公司"
    if "民办学校" in matter:
        return f"灵武市{brand}学校"
    if "高危险性体育" in matter:
        return f"灵武市{brand}体育文化有限公司"
    if "健身气功" in matter:
        return f"灵武市{brand}健身气功站点"
    return f"{SURNAMES[h % len(SURNAMES)]}某某"


def decide(year, kind, plan, prefix):
    for name, n in plan:
        for d in workdays(year, n):
            seq[(year, prefix)] = seq.get((year, prefix), 0) + 1
            number = f"灵教体{prefix}〔{year}〕{seq[(year, prefix)]}号"
            decisions.append([BUREAU, name, kind, iso(d), number, party(name, number)])


decide(2020, "行政许可", split(195, LICENSING), "许")  # 195 under 8 matters
decide(2020, "其他对外管理服务事项", split(16, SERVICES, [2] * 7 + [1, 1]), "服")  # 16 under 9
lic21 = [n for n in LICENSING if n != "民办学校终止审批"] + ["义务教育阶段民办学校招生简章备案核准"]
decide(2021, "行政许可", split(208, lic21), "许")
decide(2021, "其他对外管理服务事项", split(23, SERVICES), "服")
decide(2021, "行政处罚", [("对民办学校违规办学行为的处罚", 2)], "罚")
decide(2022, "行政许可", split(187, lic21), "许")
decide(2022, "其他对外管理服务事项", split(31, SERVICES), "服")
decide(2022, "行政处罚", [("对民办学校违规办学行为的处罚", 1), ("对校外培训机构违规培训行为的处罚", 4)], "罚")
decisions.sort(key=lambda r: (r[3], r[4]))
write("decisions.csv", ["机关", "事项名称", "事项类型", "决定日期", "决定文号", "行政相对人"], decisions)

# ---------------------------------------------------------------- fees (元, two decimals at most)
fees = []
for year, total_fen, n in [(2021, 12_560_000, 40), (2022, 9_874_350, 35)]:
    parts = [rng.randint(50_000, 600_000) for _ in range(n)]
    s = sum(parts)
    amounts = [p * total_fen // s for p in parts]
    amounts[-1] += total_fen - sum(amounts)
    for d, fen in zip(workdays(year, n), amounts):
        fees.append([BUREAU, "公共体育场馆设施使用费", iso(d), f"{fen // 100}.{fen % 100:02d}", "场馆租用"])
fees.append([BUREAU, "教师资格认定体检费", "2021-04-12", "2350.00", "体检"])
fees.sort(key=lambda r: r[2])
write("fees.csv", ["机关", "收费事项", "收费日期", "金额（元）", "备注"], fees)

# ---------------------------------------------------------------- procurement: 24 projects, 3600万元
PROJECTS = ["互联网+教育示范校信息化设备", "教室多媒体一体机", "学生课桌椅", "校园安防监控系统",
            "学生营养餐配送服务", "校车租赁服务", "教师培训服务", "图书馆图书", "实验室仪器设备",
            "体育器材", "食堂设备", "教学楼维修工程", "操场塑胶跑道改造", "校园绿化工程",
            "学生宿舍家具", "计算机教室设备", "录播教室设备", "幼儿园玩教具", "职业教育实训设备",
            "校园网络升级", "办公用品", "物业管理服务", "取暖锅炉改造", "智慧黑板"]
total = 36_000_000  # 元
parts = [rng.randint(40, 400) for _ in PROJECTS]
amounts = [total * p // sum(parts) // 100 * 100 for p in parts]
amounts[0] += total - sum(amounts)
proc = [[BUREAU, f"2020年{n}采购项目", iso(d), str(a)] for n, d, a in zip(PROJECTS, workdays(2020, 24), amounts)]
proc += [[BUREAU, f"2021年{n}采购项目", iso(d), str(rng.randint(200, 2000) * 1000)]
         for n, d in zip(PROJECTS[:15], workdays(2021, 15))]
proc += [[BUREAU, f"2022年{n}采购项目", iso(d), str(rng.randint(200, 2000) * 1000)]
         for n, d in zip(PROJECTS[5:18], workdays(2022, 13))]
proc.append([SCHOOLS[3][0], "2020年职业教育实训耗材采购项目", "2020-09-15", "186500"])
write("procurements.csv", ["机关", "项目名称", "签订日期", "金额（元）"], proc)

# ---------------------------------------------------------------- catalogue
items = []
TITLES = {
    "公示公告": ["{y}年学生资助名单公示", "{y}年校长书记任免公示", "{y}年校外培训机构认定公示",
             "{y}年中考录取工作公告", "{y}年教师招聘公告", "{y}年骨干教师评定公示",
             "{y}年职称评审推荐人选公示", "{y}年义务教育招生片区划分公告"],
    "机构职能": ["灵武市教育体育局主要职责", "灵武市教育体育局内设机构", "灵武市教育体育局领导分工"],
    "部门文件": ["关于做好{y}年秋季学期开学工作的通知", "关于加强中小学校园安全管理的通知",
             "关于开展{y}年政府开放日活动的通知"],
    "规划计划": ["灵武市教育体育局{y}年工作要点", "灵武市教育事业发展规划", "{y}年体育工作计划"],
    "财政预决算及三公经费": ["{unit}{y}年部门预算公开", "{unit}{py}年部门决算公开", "{unit}{y}年“三公”经费预算"],
    "重点建设项目": ["灵武市第四中学扩建项目进展情况", "职业教育中心新校区建设项目", "城区幼儿园新建项目"],
    "重点工作": ["疫情防控期间学校复学工作情况", "创建全国文明城市教育系统工作", "“互联网+教育”示范区建设"],
    "业务公开": ["中高考成绩查询服务", "{y}年教师资格认定工作安排", "社会体育指导员认定", "学籍管理办事指南"],
}
UNITS81 = ["灵武市教育体育局"] + [f"灵武市第{c}小学" for c in "一二三四五六七八九十"] + \
    [f"灵武市第{c}中学" for c in "一二三四五六"] + ["灵武市幼儿园", "灵武市职业教育中心", "灵武市回民中学"]


def item_rows(year, counts):
    dates = workdays(year, sum(counts.values()))
    rng.shuffle(dates)
    out = []
    k = 0
    for cat, n in counts.items():
        for i in range(n):
            if cat == "财政预决算及三公经费":
                unit = UNITS81[i // 3 % len(UNITS81)]
                title = TITLES[cat][i % 3].format(y=year, py=year - 1, unit=unit)
            else:
                t = TITLES[cat][i % len(TITLES[cat])].format(y=year, unit="")
                title = t if i < len(TITLES[cat]) else f"{t}（{i // len(TITLES[cat]) + 1}）"
            number = f"灵教体发〔{year}〕{i + 1}号" if cat == "部门文件" else ""
            d = dates[k]
            k += 1
            out.append([BUREAU, title, cat, title, "灵武市教育体育局", iso(d), iso(d), number,
                        "其他", "已发布", "", ""])
    return out


SEED = {"公示公告": 28, "机构职能": 3, "部门文件": 3, "规划计划": 3, "财政预决算及三公经费": 81,
        "重点建设项目": 3, "重点工作": 3, "业务公开": 11}  # = 135, the seed's breakdown
items += item_rows(2020, SEED)
items += item_rows(2021, {"公示公告": 31, "机构职能": 1, "部门文件": 4, "规划计划": 3,
                          "财政预决算及三公经费": 78, "重点建设项目": 2, "重点工作": 5, "业务公开": 14})
items += item_rows(2022, {"公示公告": 26, "部门文件": 5, "规划计划": 2, "财政预决算及三公经费": 84,
                          "重点建设项目": 3, "重点工作": 4, "业务公开": 17})
# Normative documents (行政规范性文件) from 2021, with repeals, so R8 has non-zero figures.
NORMATIVE = [
    ("灵武市义务教育阶段学校招生入学管理办法", "2021-03-15", "灵教体规发〔2021〕1号", "", ""),
    ("灵武市校外培训机构管理办法", "2021-06-10", "灵教体规发〔2021〕2号", "废止", "2022-09-01"),
    ("灵武市学生资助工作管理办法", "2021-09-20", "灵教体规发〔2021〕3号", "修订", "2022-03-01"),
    ("灵武市中小学教师交流轮岗实施办法", "2022-02-18", "灵教体规发〔2022〕1号", "", ""),
    ("灵武市校外培训机构监督管理办法", "2022-09-01", "灵教体规发〔2022〕2号", "", ""),
    ("灵武市民办幼儿园收费管理办法（试行）", "2021-04-01", "灵教体规发〔2021〕4号", "失效", "2021-12-31"),
]
for title, d, number, validity, changed in NORMATIVE:
    items.append([BUREAU, title, "部门文件", title, "灵武市教育体育局", d, d, number,
                  "行政规范性文件", "已发布", validity, changed])
# A draft not yet published: counted nowhere.
items.append([BUREAU, "灵武市体育场馆开放管理办法（征求意见稿）", "部门文件", "", "灵武市教育体育局",
              "2022-12-20", "", "", "行政规范性文件", "草稿", "", ""])
# Schools keep their own catalogues (MOE's ten items).
SCHOOL_ITEMS = [("招生管理", "{y}年秋季招生简章"), ("学生管理", "{y}年学生评优结果公示"),
                ("财务信息", "{y}年收费项目及标准公示"), ("校园安全", "{y}年校园安全应急预案"),
                ("教师管理", "{y}年教师评优评先公示")]
for code, name, _ in SCHOOLS:
    for y in (2020, 2021, 2022):
        for (cat, t), d in zip(SCHOOL_ITEMS, workdays(y, len(SCHOOL_ITEMS))):
            items.append([code, t.format(y=y), cat, "", name, iso(d), iso(d), "", "其他", "已发布", "", ""])
write("catalogue.csv", ["机关", "标题", "栏目", "内容概述", "发布机构", "成文日期", "发布日期", "文号",
                        "文件类型", "状态", "有效性", "有效性变更日期"], items)

# ---------------------------------------------------------------- cases (application numbers of the demo's applications)
write("cases.csv", ["机关", "类型", "案号", "立案日期", "申请编号", "结果", "审结日期"], [
    [BUREAU, "行政复议", "灵政复〔2021〕12号", "2021-04-06", "LWJT-2021-0002", "维持", "2021-06-02"],
    [BUREAU, "未经复议直接起诉", "（2021）宁0181行初45号", "2021-10-11", "LWJT-2021-0005", "纠正", "2022-03-18"],
    [BUREAU, "行政复议", "灵政复〔2022〕7号", "2022-03-21", "LWJT-2022-0003", "纠正", "2022-05-16"],
    [BUREAU, "行政复议", "灵政复〔2022〕19号", "2022-08-08", "LWJT-2022-0006", "其他", "2022-09-30"],
    [BUREAU, "复议后起诉", "（2022）宁0181行初88号", "2022-11-02", "LWJT-2022-0003", "", ""],
])

# ---------------------------------------------------------------- letters
SUBJECTS = ["咨询义务教育入学片区划分", "反映校外培训机构收费问题", "咨询学生资助政策", "反映校车接送问题",
            "咨询教师资格认定流程", "反映学校食堂饭菜质量", "咨询中考招生政策", "反映学校周边交通安全",
            "咨询转学手续", "建议增加城区幼儿园学位", "反映课后服务收费问题", "咨询体育场馆开放时间"]
REPLY = "已转相关科室和学校核实处理，并向来信人答复。"
letters = []


def letter_rows(year, per_channel, organ=BUREAU):
    for ch, n in per_channel:
        for d in workdays(year, n):
            replied = d + datetime.timedelta(days=rng.randint(1, 10))
            due = d + datetime.timedelta(days=15)
            letters.append([organ, ch, iso(d), rng.choice(SUBJECTS), REPLY, iso(replied), iso(due)])


# 2020: 336 + 18 + 15 + 6 + 5 = 380, as the seed's text lists them.
letter_rows(2020, [("12345热线", 336), ("微博", 18), ("信访转办", 15), ("局长信箱", 6), ("政民互动平台", 5)])
letter_rows(2021, [("12345热线", 352), ("微博", 12), ("信访转办", 11), ("局长信箱", 9), ("政民互动平台", 7)])
letter_rows(2022, [("12345热线", 298), ("微博", 9), ("信访转办", 14), ("局长信箱", 12), ("政民互动平台", 6)])
letter_rows(2022, [("家长来信", 4)], SCHOOLS[0][0])  # a school's own, configurable channel
letters.sort(key=lambda r: (r[2], r[1]))
write("letters.csv", ["机关", "渠道", "收到日期", "事由", "答复内容", "答复日期", "办理时限"], letters)
