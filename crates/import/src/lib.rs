//! Import of every record type from CSV (UTF-8 or GBK) or XLSX. All-or-nothing: each row is
//! parsed and checked first, then everything is written in one transaction; any problem (in
//! parsing, in a reference such as an unknown category, or from the database) aborts the lot and
//! lists every problem in Chinese with its row and column.

pub mod applications;
pub mod demo;
pub mod living;
mod living_columns;
mod living_services;
mod living_texts;
pub mod table;
mod write;

use chrono::NaiveDate;
use gongkai_domain::records::*;
use gongkai_store::Tx;
use gongkai_store::changes::NewChange;
pub use table::{CellError, Column, ImportError, Row, Sheet, Table, col, read_file};
use write::Ctx;

/// The record types that can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organs,
    Catalogue,
    Matters,
    Decisions,
    Fees,
    Procurements,
    Cases,
    Letters,
}

const ORGAN_HINT: &str = "机关代码或全称；不填则为命令行 --organ 指定的机关";
const DATE_HINT: &str = "日期，格式 YYYY-MM-DD";

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Organs,
        Kind::Catalogue,
        Kind::Matters,
        Kind::Decisions,
        Kind::Fees,
        Kind::Procurements,
        Kind::Cases,
        Kind::Letters,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organs => "organs",
            Kind::Catalogue => "catalogue",
            Kind::Matters => "matters",
            Kind::Decisions => "decisions",
            Kind::Fees => "fees",
            Kind::Procurements => "procurements",
            Kind::Cases => "cases",
            Kind::Letters => "letters",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Organs => "机关和所属单位",
            Kind::Catalogue => "公开目录",
            Kind::Matters => "事项清单",
            Kind::Decisions => "处理决定",
            Kind::Fees => "行政事业性收费",
            Kind::Procurements => "政府集中采购",
            Kind::Cases => "行政复议和行政诉讼",
            Kind::Letters => "来信和投诉",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s || k.label() == s)
            .or(match s {
                "机关" | "organ" => Some(Kind::Organs),
                "目录" | "items" => Some(Kind::Catalogue),
                "事项" => Some(Kind::Matters),
                "决定" => Some(Kind::Decisions),
                "收费" => Some(Kind::Fees),
                "采购" => Some(Kind::Procurements),
                "复议诉讼" | "案件" => Some(Kind::Cases),
                "来信" | "投诉" => Some(Kind::Letters),
                _ => None,
            })
    }

    /// The columns of the kind's file, in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Organs => COLUMNS_ORGANS,
            Kind::Catalogue => COLUMNS_CATALOGUE,
            Kind::Matters => COLUMNS_MATTERS,
            Kind::Decisions => COLUMNS_DECISIONS,
            Kind::Fees => COLUMNS_FEES,
            Kind::Procurements => COLUMNS_PROCUREMENTS,
            Kind::Cases => COLUMNS_CASES,
            Kind::Letters => COLUMNS_LETTERS,
        }
    }

    pub fn template_csv(self) -> Vec<u8> {
        table::template_csv(self.columns())
    }

    pub fn template_xlsx(self) -> Result<Vec<u8>, String> {
        table::template_xlsx(self.columns(), self.label())
    }
}

const COLUMNS_ORGANS: &[Column] = &[
    col(
        "机关代码",
        true,
        "统一社会信用代码等唯一代码，不含空白和“/”",
    ),
    col("机关全称", true, "如 灵武市教育体育局"),
    col("简称", false, "如 灵武市教体局"),
    col("类型", false, "部门 或 人民政府（默认部门）"),
    col("上级机关", false, "所属单位填上级机关的代码或全称"),
    col("索引号格式", false, "默认 {code}/{year}-{seq:05}"),
];

const COLUMNS_CATALOGUE: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col("标题", true, "信息名称"),
    col(
        "栏目",
        true,
        "目录栏目名称或路径，如 部门文件 或 法定主动公开内容/机构职能",
    ),
    col("内容概述", false, "文字"),
    col("发布机构", false, "默认为机关全称"),
    col("成文日期", false, DATE_HINT),
    col("发布日期", false, DATE_HINT),
    col("文号", false, "如 灵教体发〔2020〕12号"),
    col(
        "文件类型",
        false,
        "规章、行政规范性文件 或 其他（默认其他）",
    ),
    col(
        "状态",
        false,
        "草稿、待审核、已发布 或 已撤回（默认已发布）",
    ),
    col("有效性", false, "有效、修订、废止 或 失效（默认有效）"),
    col(
        "有效性变更日期",
        false,
        "有效性不是“有效”时必填，日期格式 YYYY-MM-DD",
    ),
];

const COLUMNS_MATTERS: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col(
        "事项类型",
        true,
        "行政许可、其他对外管理服务事项、行政处罚、行政强制 或 行政事业性收费",
    ),
    col("事项名称", true, "清单中的事项名称"),
    col("列入日期", true, DATE_HINT),
    col("移出日期", false, DATE_HINT),
];

const COLUMNS_DECISIONS: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col("事项名称", true, "已导入的事项名称"),
    col("事项类型", false, "事项名称重复时用于区分"),
    col("决定日期", true, DATE_HINT),
    col("决定文号", true, "处理决定的文书编号"),
    col(
        "行政相对人",
        false,
        "法人或其他组织的名称，或自然人姓名（按本机关公示规定填写），不超过200字",
    ),
    col(
        "统一社会信用代码",
        false,
        "行政相对人为法人或其他组织的，18位",
    ),
    col(
        "许可内容或处罚结果",
        false,
        "双公示：许可内容，或处罚结果（处罚内容）",
    ),
    col("有效期自", false, DATE_HINT),
    col("有效期至", false, DATE_HINT),
    col(
        "处罚依据",
        false,
        "双公示：处罚所依据的法律、法规、规章条款",
    ),
    col("罚款金额（元）", false, "以元为单位，最多两位小数"),
];

const COLUMNS_FEES: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col("收费事项", true, "已导入的行政事业性收费事项名称"),
    col("收费日期", true, DATE_HINT),
    col("金额（元）", true, "以元为单位，最多两位小数，不能为负"),
    col("备注", false, "文字"),
];

const COLUMNS_PROCUREMENTS: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col("项目名称", true, "采购项目名称"),
    col("签订日期", true, DATE_HINT),
    col("金额（元）", true, "以元为单位，最多两位小数，不能为负"),
];

const COLUMNS_CASES: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col("类型", true, "行政复议、未经复议直接起诉 或 复议后起诉"),
    col("案号", true, "复议或诉讼案号"),
    col("立案日期", true, DATE_HINT),
    col("申请编号", false, "所涉政府信息公开申请的编号"),
    col("结果", false, "维持、纠正 或 其他；尚未审结不填"),
    col("审结日期", false, "填写结果时必填，日期格式 YYYY-MM-DD"),
];

const COLUMNS_LETTERS: &[Column] = &[
    col("机关", false, ORGAN_HINT),
    col(
        "渠道",
        true,
        "12345热线、微博、信访转办、局长信箱、政民互动平台 或 新的渠道名称",
    ),
    col("收到日期", true, DATE_HINT),
    col("事由", true, "来信或投诉的事由"),
    col("答复内容", false, "文字"),
    col("答复日期", false, DATE_HINT),
    col("办理时限", false, "应答复的日期，格式 YYYY-MM-DD"),
];

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub kind: Kind,
    pub rows: usize,
    /// The organs the rows belong to, in id order (those created, for organs), so the caller
    /// can check its actor's permission over each.
    pub organs: Vec<i64>,
}

/// A change of the feed written by an import (`gongkai_store::changes`).
fn import_change(entity: &str, entity_id: String) -> NewChange {
    NewChange {
        organ_id: None,
        entity: entity.into(),
        entity_id,
        kind: "import".into(),
    }
}

/// The time stamp of an import's changes. It only decides when the feed's rows are pruned, so the
/// system clock will do: imports take no clock of their own.
fn feed_stamp() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn db_error(e: gongkai_store::Error) -> ImportError {
    ImportError::file(format!("{e}"))
}

/// Imports a table inside a caller's transaction. On `Err` the caller must drop (roll back) the
/// transaction: rows written before the error are not undone here.
pub async fn import_table(
    tx: &mut Tx,
    kind: Kind,
    table: &Table,
    default_organ: Option<&str>,
) -> Result<Summary, ImportError> {
    let sheet = Sheet::new(table, kind.columns())?;
    if sheet.is_empty() {
        return Err(ImportError::file("文件中没有数据行"));
    }
    let mut ctx = Ctx {
        tx,
        default_organ: default_organ.map(str::to_string),
        organs: Vec::new(),
        categories: Vec::new(),
        channels: None,
        errors: Vec::new(),
        changed: Vec::new(),
        created: Vec::new(),
    };
    // Phase 1: parse every row (no database), collecting every problem.
    let parsed: Vec<(usize, Parsed)> = sheet
        .rows()
        .filter_map(|row| match parse_row(kind, &row) {
            Ok(p) => Some((row.number, p)),
            Err(mut es) => {
                ctx.errors.append(&mut es);
                None
            }
        })
        .collect();
    if !ctx.errors.is_empty() {
        return Err(ImportError { errors: ctx.errors });
    }
    // Phase 2: resolve references and write, still collecting problems; the caller rolls back.
    for (n, p) in &parsed {
        if let Err(e) = ctx.write(*n, p).await {
            ctx.errors.push(e);
            if ctx.errors.len() > table::MAX_ERRORS {
                break;
            }
        }
    }
    if !ctx.errors.is_empty() {
        return Err(ImportError { errors: ctx.errors });
    }
    // The change of each item or letter written (search entries) and one for the import as a
    // whole (pages listing such records): every instance hears of them. Appended last, so the
    // feed's lock on PostgreSQL is held only until the commit that follows. (The import's audit
    // row, written by `gongkai_app::imports` in the same transaction, adds no feed entry.)
    ctx.changed
        .push(import_change(kind.name(), "import".into()));
    let now = feed_stamp();
    for c in &ctx.changed {
        ctx.tx.append_change(c, now).await.map_err(db_error)?;
    }
    let mut organs: Vec<i64> = ctx.organs.iter().map(|(_, o)| o.id).collect();
    organs.extend(ctx.created);
    organs.sort_unstable();
    organs.dedup();
    Ok(Summary {
        kind,
        rows: parsed.len(),
        organs,
    })
}

/// Checks a table as an import's first phase does, without a database: the columns, then every
/// row's values. Returns the number of data rows, or every problem found.
pub fn check_table(kind: Kind, table: &Table) -> Result<usize, ImportError> {
    let sheet = Sheet::new(table, kind.columns())?;
    let mut errors = Vec::new();
    for row in sheet.rows() {
        if let Err(mut es) = parse_row(kind, &row) {
            errors.append(&mut es);
        }
    }
    if errors.is_empty() {
        Ok(sheet.len())
    } else {
        Err(ImportError { errors })
    }
}

/// A row parsed into typed values; references (organ, category, matter, channel) still by name.
enum Parsed {
    Organ(OrganIn),
    Item(ItemIn),
    Matter(MatterIn),
    Decision(DecisionIn),
    Fee(FeeIn),
    Procurement(ProcurementIn),
    Case(CaseIn),
    Letter(LetterIn),
}

struct OrganIn {
    new: NewOrgan,
    parent: Option<String>,
}

struct ItemIn {
    organ: Option<String>,
    category: String,
    item: NewCatalogueItem,
}

struct MatterIn {
    organ: Option<String>,
    kind: MatterKind,
    name: String,
    listed: NaiveDate,
    delisted: Option<NaiveDate>,
}

struct DecisionIn {
    organ: Option<String>,
    matter: String,
    kind: Option<MatterKind>,
    date: NaiveDate,
    number: String,
    party: String,
    /// The 双公示 fields (empty when the sheet has none).
    details: gongkai_domain::records::DecisionDetails,
}

struct FeeIn {
    organ: Option<String>,
    matter: String,
    date: NaiveDate,
    fen: Fen,
    note: String,
}

struct ProcurementIn {
    organ: Option<String>,
    name: String,
    date: NaiveDate,
    fen: Fen,
}

struct CaseIn {
    organ: Option<String>,
    kind: CaseKind,
    number: String,
    filed: NaiveDate,
    application: String,
    outcome: Option<(CaseOutcome, NaiveDate)>,
}

struct LetterIn {
    organ: Option<String>,
    channel: String,
    received: NaiveDate,
    subject: String,
    reply: String,
    replied: Option<NaiveDate>,
    due: Option<NaiveDate>,
}

/// Collects the errors of several getters of one row.
struct Errs(Vec<CellError>);

impl Errs {
    fn take<T: Default>(&mut self, r: Result<T, CellError>) -> T {
        r.unwrap_or_else(|e| {
            self.0.push(e);
            T::default()
        })
    }
}

fn matter_kinds() -> Vec<&'static str> {
    MatterKind::ALL.iter().map(|k| k.label()).collect()
}

fn parse_row(kind: Kind, row: &Row<'_>) -> Result<Parsed, Vec<CellError>> {
    let mut e = Errs(Vec::new());
    let organ = row.opt_text("机关").map(str::to_string);
    let p = match kind {
        Kind::Organs => parse_organs(row, &mut e),
        Kind::Catalogue => parse_catalogue(row, &mut e, organ),
        Kind::Matters => parse_matters(row, &mut e, organ),
        Kind::Decisions => parse_decisions(row, &mut e, organ),
        Kind::Fees => parse_fees(row, &mut e, organ),
        Kind::Procurements => parse_procurements(row, &mut e, organ),
        Kind::Cases => parse_cases(row, &mut e, organ),
        Kind::Letters => parse_letters(row, &mut e, organ),
    };
    if e.0.is_empty() { Ok(p) } else { Err(e.0) }
}

/// A row of the organs sheet; problems go to `e`, all of them.
fn parse_organs(row: &Row<'_>, e: &mut Errs) -> Parsed {
    let code = e.take(row.required("机关代码").map(str::to_string));
    let name = e.take(row.required("机关全称").map(str::to_string));
    let kind = e
        .take(row.choice(
            "类型",
            |s| parse_organ_kind(s).map(Some),
            &["部门", "人民政府"],
        ))
        .unwrap_or_default();
    let pattern = row
        .opt_text("索引号格式")
        .unwrap_or(DEFAULT_INDEX_PATTERN)
        .to_string();
    let new = NewOrgan {
        code,
        name,
        short_name: row.text("简称").to_string(),
        kind,
        parent_id: None,
        index_pattern: pattern,
    };
    if e.0.is_empty()
        && let Err(m) = new.validate()
    {
        let column = if m.contains("索引号") {
            "索引号格式"
        } else if m.contains("代码") {
            "机关代码"
        } else {
            "机关全称"
        };
        e.0.push(row.error(column, m));
    }
    Parsed::Organ(OrganIn {
        new,
        parent: row.opt_text("上级机关").map(str::to_string),
    })
}

/// A row of the catalogue sheet; problems go to `e`, all of them.
fn parse_catalogue(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let title = e.take(row.required("标题").map(str::to_string));
    let category = e.take(row.required("栏目").map(str::to_string));
    let written_on = e.take(row.opt_date("成文日期"));
    let published_on = e.take(row.opt_date("发布日期"));
    let doc_kind = e
        .take(row.choice(
            "文件类型",
            |s| DocKind::parse(s).map(Some),
            &["规章", "行政规范性文件", "其他"],
        ))
        .unwrap_or(DocKind::Other);
    let status = if row.text("状态").is_empty() {
        ItemStatus::Published
    } else {
        e.take(row.choice(
            "状态",
            |s| ItemStatus::parse(s).map(Some),
            &["草稿", "待审核", "已发布", "已撤回"],
        ))
        .unwrap_or(ItemStatus::Published)
    };
    let validity = if row.text("有效性").is_empty() {
        Validity::InForce
    } else {
        e.take(row.choice(
            "有效性",
            |s| Validity::parse(s).map(Some),
            &["有效", "修订", "废止", "失效"],
        ))
        .unwrap_or(Validity::InForce)
    };
    let changed = e.take(row.opt_date("有效性变更日期"));
    let mut changes = Vec::new();
    match (validity, changed) {
        (Validity::InForce, None) => {}
        (v, Some(d)) => changes.push(ValidityChange {
            changed_on: d,
            validity: v,
            note: String::new(),
        }),
        (v, None) => e.0.push(row.error(
            "有效性变更日期",
            format!("有效性为“{}”时必须填写变更日期", v.label()),
        )),
    }
    let item = NewCatalogueItem {
        organ_id: 0,
        title,
        summary: row.text("内容概述").to_string(),
        category_id: 0,
        issuing_unit: row.text("发布机构").to_string(),
        written_on,
        published_on,
        doc_number: row.text("文号").to_string(),
        doc_kind,
        status,
        validity: changes,
    };
    {
        use gongkai_domain::records::{MAX_SHORT, MAX_SUMMARY, MAX_TITLE};
        for (column, v, max) in [
            ("标题", &item.title, MAX_TITLE),
            ("内容概述", &item.summary, MAX_SUMMARY),
            ("发布机构", &item.issuing_unit, MAX_SHORT),
            ("文号", &item.doc_number, MAX_SHORT),
        ] {
            let n = v.trim().chars().count();
            if n > max {
                e.0.push(row.error(column, format!("不能超过{max}字（现有{n}字）")));
            }
        }
    }
    if e.0.is_empty()
        && let Err(m) = item.validate()
    {
        let column = if m.contains("有效性") {
            "有效性变更日期"
        } else {
            "发布日期"
        };
        e.0.push(row.error(column, m));
    }
    Parsed::Item(ItemIn {
        organ,
        category,
        item,
    })
}

/// A row of the matters sheet; problems go to `e`, all of them.
fn parse_matters(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let kind = e
        .take(row.choice(
            "事项类型",
            |s| MatterKind::parse(s).map(Some),
            &matter_kinds(),
        ))
        .unwrap_or(MatterKind::Licensing);
    let name = e.take(row.required("事项名称").map(str::to_string));
    let listed = e.take(row.date("列入日期").map(Some)).unwrap_or_default();
    let delisted = e.take(row.opt_date("移出日期"));
    if let Some(d) = delisted
        && d < listed
    {
        e.0.push(row.error("移出日期", format!("移出日期 {d} 早于列入日期 {listed}")));
    }
    Parsed::Matter(MatterIn {
        organ,
        kind,
        name,
        listed,
        delisted,
    })
}

/// A row of the decisions sheet; problems go to `e`, all of them.
fn parse_decisions(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let matter = e.take(row.required("事项名称").map(str::to_string));
    let kind = if row.text("事项类型").is_empty() {
        None
    } else {
        e.take(row.choice(
            "事项类型",
            |s| MatterKind::parse(s).map(Some),
            &matter_kinds(),
        ))
    };
    let date = e.take(row.date("决定日期").map(Some)).unwrap_or_default();
    let number = e.take(row.required("决定文号").map(str::to_string));
    let party = row.text("行政相对人").trim().to_string();
    if party.chars().count() > 200 {
        e.0.push(row.error("行政相对人", "不能超过200字"));
    }
    let details = gongkai_domain::records::DecisionDetails::parse(
        row.text("统一社会信用代码"),
        row.text("许可内容或处罚结果"),
        row.text("有效期自"),
        row.text("有效期至"),
        row.text("处罚依据"),
        row.text("罚款金额（元）"),
    )
    .map_err(|list| {
        for (field, m) in list {
            let column = match field {
                "credit_code" => "统一社会信用代码",
                "content" => "许可内容或处罚结果",
                "valid_from" => "有效期自",
                "valid_to" => "有效期至",
                "basis" => "处罚依据",
                _ => "罚款金额（元）",
            };
            e.0.push(row.error(column, &m));
        }
    })
    .unwrap_or_default();
    Parsed::Decision(DecisionIn {
        organ,
        matter,
        kind,
        date,
        number,
        party,
        details,
    })
}

/// A row of the fees sheet; problems go to `e`, all of them.
fn parse_fees(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let matter = e.take(row.required("收费事项").map(str::to_string));
    let date = e.take(row.date("收费日期").map(Some)).unwrap_or_default();
    let fen = e.take(row.yuan("金额（元）"));
    Parsed::Fee(FeeIn {
        organ,
        matter,
        date,
        fen,
        note: row.text("备注").to_string(),
    })
}

/// A row of the procurements sheet; problems go to `e`, all of them.
fn parse_procurements(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let name = e.take(row.required("项目名称").map(str::to_string));
    let date = e.take(row.date("签订日期").map(Some)).unwrap_or_default();
    let fen = e.take(row.yuan("金额（元）"));
    Parsed::Procurement(ProcurementIn {
        organ,
        name,
        date,
        fen,
    })
}

/// A row of the cases sheet; problems go to `e`, all of them.
fn parse_cases(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let kind = e
        .take(row.choice(
            "类型",
            |s| CaseKind::parse(s).map(Some),
            &["行政复议", "未经复议直接起诉", "复议后起诉"],
        ))
        .unwrap_or(CaseKind::Review);
    let number = e.take(row.required("案号").map(str::to_string));
    let filed = e.take(row.date("立案日期").map(Some)).unwrap_or_default();
    let outcome = if row.text("结果").is_empty() {
        None
    } else {
        e.take(row.choice(
            "结果",
            |s| CaseOutcome::parse(s).map(Some),
            &["维持", "纠正", "其他"],
        ))
    };
    let decided = e.take(row.opt_date("审结日期"));
    let outcome = match (outcome, decided) {
        (Some(o), Some(d)) => {
            if d < filed {
                e.0.push(row.error("审结日期", format!("审结日期 {d} 早于立案日期 {filed}")));
            }
            Some((o, d))
        }
        (None, None) => None,
        (Some(_), None) => {
            e.0.push(row.error("审结日期", "填写了结果时必须填写审结日期"));
            None
        }
        (None, Some(_)) => {
            e.0.push(row.error("结果", "填写了审结日期时必须填写结果（维持、纠正或其他）"));
            None
        }
    };
    Parsed::Case(CaseIn {
        organ,
        kind,
        number,
        filed,
        application: row.text("申请编号").to_string(),
        outcome,
    })
}

/// A row of the letters sheet; problems go to `e`, all of them.
fn parse_letters(row: &Row<'_>, e: &mut Errs, organ: Option<String>) -> Parsed {
    let channel = e.take(row.required("渠道").map(str::to_string));
    let received = e.take(row.date("收到日期").map(Some)).unwrap_or_default();
    let subject = e.take(row.required("事由").map(str::to_string));
    let replied = e.take(row.opt_date("答复日期"));
    let due = e.take(row.opt_date("办理时限"));
    if let Some(r) = replied
        && r < received
    {
        e.0.push(row.error("答复日期", format!("答复日期 {r} 早于收到日期 {received}")));
    }
    Parsed::Letter(LetterIn {
        organ,
        channel,
        received,
        subject,
        reply: row.text("答复内容").to_string(),
        replied,
        due,
    })
}
