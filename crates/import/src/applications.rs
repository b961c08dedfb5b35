//! Import of applications (依申请公开) from CSV/XLSX, and the demo's applications of 2021 and 2022.
//!
//! Each imported row is a case: it is registered and, when the file gives a reply, decided —
//! through the same workflow as cases handled in the system (the legal checks apply, and each
//! case gets its event log and notice numbers). All-or-nothing in one transaction: any problem
//! aborts the lot, listing every problem with its row and column.

use crate::table::{CellError, Column, ImportError, Row, Sheet, Table, col};
use chrono::{NaiveDate, NaiveDateTime};
use gongkai_domain::application::events::*;
use gongkai_domain::application::fees::{self, FeeMethod};
use gongkai_domain::application::{ApplicantType, ReplyResult};
use gongkai_domain::calendar::Calendar;
use gongkai_store::Tx;
use gongkai_store::applications::NewApplication;

/// The columns of an applications file, in template order.
pub const COLUMNS: &[Column] = &[
    col(
        "机关",
        false,
        "机关代码或全称；不填则为命令行 --organ 指定的机关",
    ),
    col("申请渠道", true, "网络、当面、邮寄、传真 或 电子邮件"),
    col("提交日期", false, "申请人提交或寄出的日期；默认同收到日期"),
    col(
        "收到日期",
        true,
        "收到申请之日：当面提交之日、邮件签收之日或双方确认之日",
    ),
    col(
        "申请人类型",
        true,
        "自然人、商业企业、科研机构、社会公益组织、法律服务机构 或 其他组织",
    ),
    col("申请人", true, "姓名或名称"),
    col("身份证件", false, "证件名称和号码，或统一社会信用代码"),
    col("联系方式", false, "电话或电子邮箱"),
    col("通信地址", false, "文字"),
    col("申请内容", true, "申请获取的政府信息的名称或内容描述"),
    col("获取方式", false, "纸质、电子邮件等"),
    col(
        "办理结果",
        false,
        "如 （一）予以公开、（四）1.本机关不掌握相关政府信息；撤回的填“撤回”；尚未办结不填",
    ),
    col("答复日期", false, "填写办理结果时必填，日期格式 YYYY-MM-DD"),
    col(
        "法律依据",
        false,
        "答复所依据的条款；填写办理结果（撤回除外）时必填",
    ),
    col(
        "不予公开部分",
        false,
        "部分公开时必填：“内容：理由”，多项以“；”分隔",
    ),
];

/// Parses a reply result as people write it: the full row label, the short label, the enum
/// name, or an unambiguous beginning of the short label (`（二）部分公开`, `（三）4`).
pub fn parse_result(s: &str) -> Option<ReplyResult> {
    ReplyResult::parse(s)
}

enum Outcome {
    Open,
    Decided {
        on: NaiveDate,
        result: ReplyResult,
        basis: String,
        withheld: Vec<Withheld>,
    },
    Withdrawn(NaiveDate),
}

struct Parsed {
    organ: Option<String>,
    new: NewApplication,
    outcome: Outcome,
}

fn parse_row(row: &Row<'_>) -> Result<Parsed, Vec<CellError>> {
    let mut errors = Vec::new();
    let mut ok = |r: Result<(), CellError>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    let channel = row.choice(
        "申请渠道",
        Channel::parse,
        &["网络", "当面", "邮寄", "传真", "电子邮件"],
    );
    let received = row.date("收到日期");
    let submitted = row.opt_date("提交日期");
    let kind = row.choice(
        "申请人类型",
        ApplicantType::parse,
        &[
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他组织",
        ],
    );
    let name = row.required("申请人").map(str::to_string);
    let description = row.required("申请内容").map(str::to_string);
    let result_text = row.text("办理结果").trim().to_string();
    let reply_on = row.opt_date("答复日期");
    let outcome = (|| -> Result<Outcome, CellError> {
        if result_text.is_empty() {
            if row.opt_text("答复日期").is_some() {
                return Err(row.error("办理结果", "填写了答复日期，却没有填写办理结果"));
            }
            return Ok(Outcome::Open);
        }
        let on = reply_on
            .clone()?
            .ok_or_else(|| row.error("答复日期", "填写办理结果时必填"))?;
        if result_text == "撤回" || result_text == "申请人撤回" {
            return Ok(Outcome::Withdrawn(on));
        }
        let result = parse_result(&result_text).ok_or_else(|| {
            row.error(
                "办理结果",
                format!(
                    "无法识别“{result_text}”（如 （一）予以公开、（三）4.保护第三方合法权益、撤回）"
                ),
            )
        })?;
        let basis = row.required("法律依据")?.to_string();
        let mut withheld = Vec::new();
        for part in row.text("不予公开部分").split(['；', ';']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (p, r) = part
                .split_once('：')
                .or_else(|| part.split_once(':'))
                .ok_or_else(|| row.error("不予公开部分", format!("“{part}”应写成“内容：理由”")))?;
            withheld.push(Withheld {
                part: p.trim().into(),
                reason: r.trim().into(),
            });
        }
        Ok(Outcome::Decided {
            on,
            result,
            basis,
            withheld,
        })
    })();
    match (
        channel,
        received,
        submitted,
        kind,
        name,
        description,
        outcome,
    ) {
        (
            Ok(channel),
            Ok(received),
            Ok(submitted),
            Ok(kind),
            Ok(name),
            Ok(description),
            Ok(outcome),
        ) => Ok(Parsed {
            organ: row.opt_text("机关").map(str::to_string),
            new: NewApplication {
                organ_id: 0,
                channel,
                submitted_on: submitted.unwrap_or(received),
                received_on: received,
                applicant: Applicant {
                    kind,
                    name,
                    id_document: row.text("身份证件").to_string(),
                    contact: row.text("联系方式").to_string(),
                    address: row.text("通信地址").to_string(),
                },
                description,
                form: row.text("获取方式").to_string(),
            },
            outcome,
        }),
        (a, b, c, d, e, f, g) => {
            ok(a.map(|_| ()));
            ok(b.map(|_| ()));
            ok(c.map(|_| ()));
            ok(d.map(|_| ()));
            ok(e.map(|_| ()));
            ok(f.map(|_| ()));
            ok(g.map(|_| ()));
            Err(errors)
        }
    }
}

fn nine(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(9, 0, 0).expect("valid time")
}

/// What an import of applications wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Cases registered.
    pub rows: usize,
    /// The organs they belong to, in id order.
    pub organs: Vec<i64>,
}

/// Imports the cases of a table inside a caller's transaction (`gongkai_app::imports`, which
/// checks the actor's permission over [`Imported::organs`] and writes the audit row).
/// `default_organ` is used for rows without an organ; `actor` names who registered each case in
/// its event log. On `Err` the caller rolls back.
pub async fn import_in(
    tx: &mut Tx,
    table: &Table,
    default_organ: Option<&str>,
    actor: &str,
    cal: &Calendar,
) -> Result<Imported, ImportError> {
    let sheet = Sheet::new(table, COLUMNS)?;
    if sheet.is_empty() {
        return Err(ImportError::file("文件中没有数据行"));
    }
    let mut errors = Vec::new();
    let parsed: Vec<(usize, Parsed)> = sheet
        .rows()
        .filter_map(|row| match parse_row(&row) {
            Ok(p) => Some((row.number, p)),
            Err(mut es) => {
                errors.append(&mut es);
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(ImportError { errors });
    }
    // Rows in order of receipt, so numbers follow the dates.
    let mut parsed = parsed;
    parsed.sort_by_key(|(n, p)| (p.new.received_on, *n));
    let mut organs = Vec::new();
    for (n, p) in &parsed {
        let row_err = |m: String| CellError {
            row: *n,
            column: None,
            message: m,
        };
        let organ_key = match p.organ.as_deref().or(default_organ) {
            Some(k) => k,
            None => {
                errors.push(row_err("没有填写机关，命令行也未用 --organ 指定".into()));
                continue;
            }
        };
        let organ = match tx.find_organ(organ_key).await {
            Ok(Some(o)) => o,
            Ok(None) => {
                errors.push(row_err(format!("未找到机关“{organ_key}”")));
                continue;
            }
            Err(e) => {
                errors.push(row_err(e.to_string()));
                continue;
            }
        };
        organs.push(organ.id);
        if let Err(e) = write_case(tx, organ.id, p, actor, cal).await {
            errors.push(row_err(e.to_string()));
            if errors.len() > crate::table::MAX_ERRORS {
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportError { errors });
    }
    organs.sort_unstable();
    organs.dedup();
    Ok(Imported {
        rows: parsed.len(),
        organs,
    })
}

async fn write_case(
    tx: &mut Tx,
    organ_id: i64,
    p: &Parsed,
    actor: &str,
    cal: &Calendar,
) -> gongkai_store::Result<()> {
    let mut new = p.new.clone();
    new.organ_id = organ_id;
    let r = tx
        .register_application(&new, actor, nine(new.received_on), cal)
        .await?;
    let kind = match &p.outcome {
        Outcome::Open => return Ok(()),
        Outcome::Withdrawn(on) => EventKind::Withdrawn {
            on: *on,
            reason: String::new(),
        },
        Outcome::Decided {
            on,
            result,
            basis,
            withheld,
        } => EventKind::Decided {
            on: *on,
            result: *result,
            basis: basis.clone(),
            withheld: withheld.clone(),
            notice: None,
            text: String::new(),
            parts: Default::default(),
        },
    };
    let on = match &kind {
        EventKind::Withdrawn { on, .. } | EventKind::Decided { on, .. } => *on,
        _ => new.received_on,
    };
    tx.record_application_event(r.id, kind, actor, nine(on), cal)
        .await?;
    Ok(())
}

/// The CSV template of the applications file.
pub fn template_csv() -> Vec<u8> {
    crate::table::template_csv(COLUMNS)
}

// ------------------------------------------------------------------------------------ the demo

/// One step of a demo case, on its legal date.
enum Step {
    Assign(&'static str),
    Supplement(&'static str, &'static str, &'static str),
    SupplementReceived(&'static str),
    Consult(&'static str, ConsultParty, &'static str),
    Answered(&'static str, &'static str),
    Extend(&'static str, u32, &'static str),
    FeePages(&'static str, u32),
    FeePaid(&'static str),
    FeeNotPaid(&'static str),
    Decide(&'static str, ReplyResult, &'static str),
    Partly(&'static str, &'static str, &'static str),
    Withdraw(&'static str, &'static str),
}

struct DemoCase {
    organ: &'static str,
    channel: Channel,
    submitted: &'static str,
    received: &'static str,
    kind: ApplicantType,
    name: &'static str,
    id_document: &'static str,
    description: &'static str,
    steps: &'static [Step],
}

const BUREAU: &str = super::demo::BUREAU_CODE;
const SCHOOL: &str = "12640181MB1912101A";

use ApplicantType::*;
use Channel::*;
use ReplyResult as R;
use Step::*;

const ART: &str = "《中华人民共和国政府信息公开条例》";

/// The demo's cases, in order of receipt per organ (numbers follow that order; the review and
/// litigation cases of the demo refer to LWJT-2021-0002, -0005, LWJT-2022-0003 and -0006).
const DEMO: &[DemoCase] = &[
    // ---- 2021
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-01-11",
        received: "2021-01-11",
        kind: NaturalPerson,
        name: "马文军",
        id_document: "居民身份证 640181198503120011",
        description: "2021年城区小学招生片区划分方案",
        steps: &[
            Assign("杨丽"),
            Decide(
                "2021-01-20",
                R::Disclosed,
                "条例第二十七条、第三十六条第一项",
            ),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Post,
        submitted: "2021-02-01",
        received: "2021-02-03",
        kind: NaturalPerson,
        name: "李红梅",
        id_document: "居民身份证 640181197908230026",
        description: "某民办培训机构2015年办学许可审批材料",
        steps: &[
            Assign("杨丽"),
            Decide("2021-02-24", R::NotHeld, "条例第三十六条第四项"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-03-08",
        received: "2021-03-08",
        kind: Business,
        name: "宁夏某教育科技有限公司",
        id_document: "91640181MA76XXXX1A",
        description: "2020年教育信息化设备采购项目投标文件",
        steps: &[
            Consult("2021-03-10", ConsultParty::ThirdParty, "中标供应商"),
            Answered("2021-03-19", "不同意公开报价明细"),
            Decide(
                "2021-04-02",
                R::ThirdPartyRights,
                "条例第十五条、第三十二条",
            ),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: InPerson,
        submitted: "2021-04-12",
        received: "2021-04-12",
        kind: NaturalPerson,
        name: "张志强",
        id_document: "居民身份证 640181199002150031",
        description: "学校收费文件",
        steps: &[
            Supplement(
                "2021-04-14",
                "请明确学校名称、收费项目和文件年份",
                "2021-04-28",
            ),
            SupplementReceived("2021-04-20"),
            Decide(
                "2021-05-12",
                R::Disclosed,
                "条例第二十七条、第三十六条第一项",
            ),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Email,
        submitted: "2021-06-07",
        received: "2021-06-07",
        kind: NaturalPerson,
        name: "王建国",
        id_document: "居民身份证 640181196811020057",
        description: "2020年教师职称评审结果及评审记录",
        steps: &[
            Assign("周军"),
            Partly(
                "2021-06-28",
                "评审专家个人评分记录",
                "属于过程性信息（条例第十六条第二款）",
            ),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-07-05",
        received: "2021-07-05",
        kind: LegalService,
        name: "宁夏某律师事务所",
        id_document: "31640000XXXXXXXX2B",
        description: "学校安全事故调查过程中的内部讨论记录",
        steps: &[Decide(
            "2021-07-23",
            R::ProcessInformation,
            "条例第十六条第二款",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-08-02",
        received: "2021-08-02",
        kind: NaturalPerson,
        name: "刘海燕",
        id_document: "居民身份证 640181198807070048",
        description: "有关文件",
        steps: &[
            Supplement(
                "2021-08-04",
                "请说明所需文件的名称、文号或内容",
                "2021-08-16",
            ),
            Decide("2021-08-17", R::NoCorrectionInTime, "条例第三十条"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Post,
        submitted: "2021-09-01",
        received: "2021-09-06",
        kind: Research,
        name: "某大学教育研究院",
        id_document: "12100000XXXXXXXX3C",
        description: "2016—2020年全市各校生均经费按学校分年统计表",
        steps: &[
            Extend("2021-09-29", 20, "需汇总五个年度各学校的原始账目"),
            Decide("2021-10-29", R::WouldNeedMaking, "条例第三十八条"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-10-11",
        received: "2021-10-11",
        kind: NaturalPerson,
        name: "李红梅",
        id_document: "居民身份证 640181197908230026",
        description: "某民办培训机构2015年办学许可审批材料",
        steps: &[Decide("2021-10-20", R::Repeated, "条例第三十六条第六项")],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-11-01",
        received: "2021-11-01",
        kind: NaturalPerson,
        name: "赵晓东",
        id_document: "居民身份证 640181199512120013",
        description: "2018—2021年全部校舍维修工程的合同、验收资料",
        steps: &[
            FeePages("2021-11-03", 120),
            FeePaid("2021-11-08"),
            Decide("2021-11-26", R::Disclosed, "条例第二十七条、第四十二条"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-11-15",
        received: "2021-11-15",
        kind: PublicInterest,
        name: "灵武市某助学公益协会",
        id_document: "51640181XXXXXXXX4D",
        description: "2021年学生资助资金分配情况",
        steps: &[Withdraw("2021-11-19", "已在门户网站找到所需信息")],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2021-12-20",
        received: "2021-12-20",
        kind: NaturalPerson,
        name: "杨帆",
        id_document: "居民身份证 640181200001010029",
        description: "2022年寒假中小学生安全工作通知",
        steps: &[Decide(
            "2022-01-10",
            R::Disclosed,
            "条例第二十七条、第三十六条第二项",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Fax,
        submitted: "2021-12-27",
        received: "2021-12-27",
        kind: Business,
        name: "灵武市某建筑工程有限公司",
        id_document: "91640181MA77XXXX5E",
        description: "某中学教学楼建设项目规划审批意见",
        steps: &[
            Consult("2021-12-29", ConsultParty::OtherOrgan, "灵武市自然资源局"),
            Answered("2022-01-07", "同意公开"),
            Decide("2022-01-25", R::Disclosed, "条例第二十七条、第三十四条"),
        ],
    },
    // ---- 2022
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-01-17",
        received: "2022-01-17",
        kind: NaturalPerson,
        name: "孙立新",
        id_document: "居民身份证 640181197706060035",
        description: "要求查处某校教师有偿补课并答复处理结果",
        steps: &[Decide(
            "2022-01-26",
            R::PetitionOrComplaint,
            "条例第三十九条第一款",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Post,
        submitted: "2022-02-10",
        received: "2022-02-14",
        kind: NaturalPerson,
        name: "马文军",
        id_document: "居民身份证 640181198503120011",
        description: "2022年义务教育招生工作实施方案",
        steps: &[Decide(
            "2022-02-28",
            R::Disclosed,
            "条例第二十七条、第三十六条第一项",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-02-21",
        received: "2022-02-21",
        kind: NaturalPerson,
        name: "周明",
        id_document: "居民身份证 640181198210100018",
        description: "局机关2021年干部考核谈话记录",
        steps: &[Decide(
            "2022-03-08",
            R::InternalAffairs,
            "条例第十六条第一款",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Email,
        submitted: "2022-03-14",
        received: "2022-03-14",
        kind: LegalService,
        name: "宁夏某律师事务所",
        id_document: "31640000XXXXXXXX2B",
        description: "某学生学籍档案",
        steps: &[Decide(
            "2022-03-25",
            R::QueryProcedure,
            "条例第三十六条第七项",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-04-06",
        received: "2022-04-06",
        kind: NaturalPerson,
        name: "赵晓东",
        id_document: "居民身份证 640181199512120013",
        description: "2015—2021年全部学校食堂供货合同",
        steps: &[FeePages("2022-04-08", 45), FeeNotPaid("2022-05-12")],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-05-09",
        received: "2022-05-09",
        kind: Business,
        name: "宁夏某教育科技有限公司",
        id_document: "91640181MA76XXXX1A",
        description: "2021年智慧校园项目评标报告",
        steps: &[Partly(
            "2022-05-27",
            "评标专家姓名及联系方式",
            "个人隐私（条例第十五条）",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: InPerson,
        submitted: "2022-06-13",
        received: "2022-06-13",
        kind: NaturalPerson,
        name: "王桂兰",
        id_document: "居民身份证 640181195904040042",
        description: "《灵武市教育志》",
        steps: &[Decide("2022-06-20", R::Publication, "条例第三十九条第二款")],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-07-11",
        received: "2022-07-11",
        kind: Research,
        name: "某师范学院教育发展研究中心",
        id_document: "12640000XXXXXXXX6F",
        description: "2021年全市教师培训经费使用情况",
        steps: &[
            Consult("2022-07-13", ConsultParty::ThirdParty, "承办培训的机构"),
            Answered("2022-07-29", "同意公开"),
            Decide("2022-08-10", R::Disclosed, "条例第二十七条、第三十二条"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-08-15",
        received: "2022-08-15",
        kind: NaturalPerson,
        name: "陈静",
        id_document: "居民身份证 640181199106060020",
        description: "那个关于学校的文件",
        steps: &[
            Supplement(
                "2022-08-17",
                "请说明文件的名称、发文单位或大致内容",
                "2022-08-31",
            ),
            SupplementReceived("2022-08-29"),
            Decide("2022-09-16", R::UnclearAfterCorrection, "条例第三十条"),
        ],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-09-13",
        received: "2022-09-13",
        kind: NaturalPerson,
        name: "王建国",
        id_document: "居民身份证 640181196811020057",
        description: "请重新出具2021年已提供的职称评审结果并加盖公章",
        steps: &[Decide("2022-09-22", R::ConfirmOrReissue, "条例第三十九条")],
    },
    DemoCase {
        organ: BUREAU,
        channel: Post,
        submitted: "2022-10-08",
        received: "2022-10-10",
        kind: OtherOrganisation,
        name: "灵武市某社区居民委员会",
        id_document: "55640181XXXXXXXX7G",
        description: "辖区内幼儿园2022年秋季招生计划",
        steps: &[Decide(
            "2022-10-28",
            R::Disclosed,
            "条例第二十七条、第三十六条第一项",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-11-07",
        received: "2022-11-07",
        kind: NaturalPerson,
        name: "孙立新",
        id_document: "居民身份证 640181197706060035",
        description: "2022年中考试题命题人员名单",
        steps: &[Decide(
            "2022-11-25",
            R::ForbiddenByLaw,
            "条例第十四条，《中华人民共和国保守国家秘密法》",
        )],
    },
    DemoCase {
        organ: BUREAU,
        channel: Online,
        submitted: "2022-12-19",
        received: "2022-12-19",
        kind: NaturalPerson,
        name: "杨帆",
        id_document: "居民身份证 640181200001010029",
        description: "2023年春季学期开学工作方案",
        steps: &[
            Extend("2023-01-16", 10, "方案尚待市政府审定"),
            Decide(
                "2023-01-30",
                R::Disclosed,
                "条例第二十七条、第三十六条第二项",
            ),
        ],
    },
    // A school's own case (counted in the bureau's report with its units).
    DemoCase {
        organ: SCHOOL,
        channel: InPerson,
        submitted: "2022-03-07",
        received: "2022-03-07",
        kind: NaturalPerson,
        name: "刘海燕",
        id_document: "居民身份证 640181198807070048",
        description: "2022年春季学期课后服务收费标准",
        steps: &[Decide(
            "2022-03-14",
            R::Disclosed,
            "条例第二十七条、第三十六条第一项",
        )],
    },
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("demo dates are valid")
}

/// What the demo's replies say of their case, so its 答复书 read as an office's would.
fn demo_parts(result: R) -> gongkai_domain::application::reply::ReplyParts {
    let mut p = gongkai_domain::application::reply::ReplyParts::default();
    let s = |t: &str| t.to_string();
    match result {
        R::Disclosed => p.provided = s("所申请的文件一份，随本答复书一并送达"),
        R::PartlyDisclosed => p.provided = s("删去不予公开内容后的文件一份，随本答复书一并送达"),
        R::ForbiddenByLaw => p.law = s("《中华人民共和国未成年人保护法》第四条"),
        R::ThirdPartyRights => {
            p.reason = s("所申请的材料载有相关学生及其家长的个人信息，属于个人隐私")
        }
        R::InternalAffairs => p.reason = s("所申请的材料为本局机关内部的人员考勤和工作分工安排"),
        R::ProcessInformation => {
            p.reason = s("所申请的材料为制定方案过程中的内部讨论记录和征求意见稿")
        }
        R::EnforcementFile => p.reason = s("所申请的材料为行政处罚案件的调查笔录和证据材料"),
        R::QueryProcedure => {
            p.law = s("《中华人民共和国档案法》");
            p.channel = s("向灵武市档案馆申请查阅，地址：灵武市西平街，电话：0951-4022000");
        }
        R::NotHeld => p.searched = s("检索了本局2015年以来的收文、发文登记和业务档案"),
        R::WouldNeedMaking => {
            p.reason = s("本局未制作所申请的汇总统计，须对各校报送材料另行汇总分析")
        }
        R::PetitionOrComplaint => {
            p.channel = s("灵武市信访局，地址：灵武市西平街，电话：0951-4011111")
        }
        R::Publication => p.channel = s("《灵武市人民政府公报》，可在灵武市图书馆查阅"),
        _ => {}
    }
    p
}

fn step_kind(s: &Step) -> (EventKind, NaiveDate) {
    match *s {
        Assign(h) => (EventKind::Assigned { handler: h.into() }, NaiveDate::MIN),
        Supplement(on, items, by) => (
            EventKind::SupplementRequested {
                on: day(on),
                items: items.into(),
                correct_by: day(by),
                notice: None,
            },
            day(on),
        ),
        SupplementReceived(on) => (EventKind::SupplementReceived { on: day(on) }, day(on)),
        Consult(on, party, with) => (
            EventKind::ConsultationStarted {
                on: day(on),
                party,
                with: with.into(),
                matter: String::new(),
                notice: None,
            },
            day(on),
        ),
        Answered(on, answer) => (
            EventKind::ConsultationAnswered {
                on: day(on),
                index: 0,
                answer: answer.into(),
                objects: false,
            },
            day(on),
        ),
        Extend(on, days, reason) => (
            EventKind::Extended {
                on: day(on),
                days,
                reason: reason.into(),
                approved_by: "政务公开办公室主任".into(),
                notice: None,
            },
            day(on),
        ),
        FeePages(on, pages) => (
            EventKind::FeeNoticed {
                on: day(on),
                method: FeeMethod::PerPage,
                basis: FeeBasis::Pages(pages),
                amount_fen: fees::per_page_fen(pages),
                pay_by: NaiveDate::MIN, // filled with the 20th working day by the loader
                notice: None,
            },
            day(on),
        ),
        FeePaid(on) => (EventKind::FeePaid { on: day(on) }, day(on)),
        FeeNotPaid(on) => (EventKind::FeeNotPaid { on: day(on) }, day(on)),
        Decide(on, result, basis) => (
            EventKind::Decided {
                on: day(on),
                result,
                basis: format!("{ART}{basis}"),
                withheld: vec![],
                notice: None,
                text: String::new(),
                parts: demo_parts(result),
            },
            day(on),
        ),
        Partly(on, part, reason) => (
            EventKind::Decided {
                on: day(on),
                result: R::PartlyDisclosed,
                basis: format!("{ART}第三十七条"),
                withheld: vec![Withheld {
                    part: part.into(),
                    reason: reason.into(),
                }],
                notice: None,
                text: String::new(),
                parts: Default::default(),
            },
            day(on),
        ),
        Withdraw(on, reason) => (
            EventKind::Withdrawn {
                on: day(on),
                reason: reason.into(),
            },
            day(on),
        ),
    }
}

/// Loads the demo's applications through the workflow, inside the demo's transaction, after the
/// demo organs are written. Returns the bureau's id and the number of cases.
pub async fn load_demo_in(tx: &mut Tx, cal: &Calendar) -> Result<(i64, usize), ImportError> {
    let dberr = |e: gongkai_store::Error| ImportError::file(format!("演示申请：{e}"));
    let bureau = tx
        .find_organ(BUREAU)
        .await
        .map_err(dberr)?
        .ok_or_else(|| ImportError::file("演示申请：尚未加载演示机关"))?;
    tx.set_application_prefixes(bureau.id, Some("灵教"), Some("LWJT"))
        .await
        .map_err(dberr)?;
    for c in DEMO {
        let organ = tx
            .find_organ(c.organ)
            .await
            .map_err(dberr)?
            .ok_or_else(|| ImportError::file(format!("演示申请：未找到机关 {}", c.organ)))?;
        let received = day(c.received);
        let new = NewApplication {
            organ_id: organ.id,
            channel: c.channel,
            submitted_on: day(c.submitted),
            received_on: received,
            applicant: Applicant {
                kind: c.kind,
                name: c.name.into(),
                id_document: c.id_document.into(),
                contact: "0951-40000000".into(),
                address: "宁夏回族自治区灵武市".into(),
            },
            description: c.description.into(),
            form: "纸质".into(),
        };
        let r = tx
            .register_application(&new, "演示数据", nine(received), cal)
            .await
            .map_err(dberr)?;
        for s in c.steps {
            let (mut kind, on) = step_kind(s);
            let on = if on == NaiveDate::MIN { received } else { on };
            if let EventKind::FeeNoticed { pay_by, on, .. } = &mut kind {
                *pay_by = cal
                    .add_working_days(*on, 20)
                    .map_err(|e| ImportError::file(e.to_string()))?;
            }
            tx.record_application_event(r.id, kind, "演示数据", nine(on), cal)
                .await
                .map_err(|e| ImportError::file(format!("演示申请 {}：{e}", r.number)))?;
        }
    }
    Ok((bureau.id, DEMO.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_parse_loosely_but_unambiguously() {
        assert_eq!(parse_result("（二）部分公开"), Some(R::PartlyDisclosed));
        assert_eq!(parse_result("（三）4"), Some(R::ThirdPartyRights));
        assert_eq!(parse_result("disclosed"), Some(R::Disclosed));
        assert_eq!(parse_result("（三）"), None);
        assert_eq!(parse_result(""), None);
    }
}
