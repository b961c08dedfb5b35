//! `gongkai application`: disclosure on application — register a case and take it through the
//! workflow (补正, consultation, extension, fees, reply, withdrawal), list and show cases with
//! their deadline trace, print notices. Every step goes through the domain workflow, which
//! refuses unlawful steps with a Chinese message and writes nothing.
//!
//! Personal data of applicants (identity document, contact, address) is masked in every output
//! unless `show --reveal` asks for the case file.
//!
//! One file per kind of work: `register`, `lists` (list, carry-over), `case_file` (show, notice),
//! `steps` (every workflow step), `setup` (import, number prefixes).

mod case_file;
mod lists;
mod register;
mod setup;
mod steps;

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use gongkai_app::App;
use gongkai_store::applications::ApplicationRecord;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub sub: Sub,
    /// 操作人（记入事件记录）
    #[arg(long, global = true, env = "USER", default_value = "系统管理员")]
    pub actor: String,
    /// 以 JSON 输出（个人信息已脱敏）
    #[arg(long, global = true)]
    pub json: bool,
}

/// A case by its number, and the organ when numbers repeat across organs.
#[derive(ClapArgs)]
pub struct Which {
    /// 申请编号，如 LWJT-2021-0002
    pub number: String,
    /// 机关代码或全称（多个机关有相同编号时必填）
    #[arg(long)]
    pub organ: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NoticeFormat {
    Html,
    Text,
    Json,
    Docx,
    Pdf,
}

#[derive(Subcommand)]
pub enum Sub {
    /// 登记政府信息公开申请
    Register(RegisterArgs),
    /// 列出申请（某机关、某年度收到或仍在办理的）
    List(ListArgs),
    /// 年末结转：列出某年12月31日仍未办结、结转下一年度继续办理的申请（表三“四、结转下年度继续办理”）
    CarryOver(CarryOverArgs),
    /// 查看一件申请：状态、答复期限及其计算过程、事件记录、告知书
    Show(ShowArgs),
    /// 分办给承办人
    Assign {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        handler: String,
    },
    /// 发出补正告知（收到申请后7个工作日内，一次性）
    SupplementRequest {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// 需要补正的事项
        #[arg(long)]
        items: String,
        /// 补正期限（默认按本机关设置的补正期限，工作日计）
        #[arg(long)]
        correct_by: Option<String>,
    },
    /// 登记收到补正后的申请（答复期限重新计算）
    SupplementReceived {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
    },
    /// 书面征求第三方或其他机关意见（期间不计入答复期限）
    Consult {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// third-party（第三方）或 organ（其他行政机关）
        #[arg(long)]
        party: String,
        /// 征求意见的对象
        #[arg(long)]
        with: String,
        /// 公开可能损害第三方合法权益的情形（征求第三方意见书写明）
        #[arg(long, default_value = "")]
        matter: String,
    },
    /// 登记征求意见的答复
    ConsultAnswered {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// 第几次征求意见（从1起；默认唯一尚未答复的那次）
        #[arg(long)]
        index: Option<usize>,
        #[arg(long, default_value = "")]
        answer: String,
        /// 第三方不同意公开
        #[arg(long)]
        objects: bool,
    },
    /// 延长答复期限（一次，最长20个工作日）
    Extend {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        #[arg(long, default_value_t = 20)]
        days: u32,
        #[arg(long)]
        reason: String,
        /// 批准人（政府信息公开工作机构负责人）
        #[arg(long)]
        approved_by: String,
    },
    /// 作出答复（每件申请只计一种办理结果）
    Decide {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// 办理结果：如 “（一）予以公开”、“（三）4.保护第三方合法权益”、或 disclosed、not_held 等
        #[arg(long)]
        result: String,
        /// 答复书的具体内容，如 --set reason=… --set provided=…（字段：published_at、provided、law、
        /// harm、reason、channel、responsible_organ、responsible_contact、searched、earlier_reply）；
        /// 法律依据按答复结果和这些内容确定
        #[arg(long = "set", value_name = "字段=内容")]
        set: Vec<String>,
        /// 部分公开时不予公开的部分及理由，格式“内容：理由”，可多次使用
        #[arg(long)]
        withheld: Vec<String>,
        /// 答复内容（写入答复书：提供的信息，或获取的方式、途径和时间）
        #[arg(long, default_value = "")]
        text: String,
    },
    /// 其他办理步骤（与管理后台、API 相同的字段），如
    /// step LWJT-2024-0001 reasons --set on=2024-03-05 --set items=…
    /// 操作：reasons 要求说明理由、reasons_answer 登记说明的理由、notify_third_party 书面告知第三方
    Step {
        #[command(flatten)]
        which: Which,
        /// 办理操作
        action: String,
        /// 字段=内容，可多次使用
        #[arg(long = "set", value_name = "字段=内容")]
        set: Vec<String>,
    },
    /// 发出信息处理费收费通知（国办函〔2020〕109号）
    FeeNotice {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// per-item（按件计收）或 per-page（按量计收）
        #[arg(long)]
        method: String,
        /// 按量计收的页数
        #[arg(long)]
        pages: Option<u32>,
        /// 缴费期限（默认发出通知后第20个工作日）
        #[arg(long)]
        pay_by: Option<String>,
    },
    /// 登记缴费，或逾期未缴费（不再处理）
    FeePaid {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        #[arg(long)]
        not_paid: bool,
    },
    /// 申请人撤回申请
    Withdraw {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// 登记答复书送达（送达方式和申请人收到的日期）
    Deliver {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        on: String,
        /// 送达方式：in_person 直接送达、post 邮寄送达、email 电子邮件送达、online 网上平台送达、other 其他方式
        #[arg(long)]
        method: String,
        /// 说明（快递单号、签收人等）
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 输出告知书（文本、HTML、JSON、DOCX 或 PDF）
    Notice(NoticeArgs),
    /// 从 CSV 或 XLSX 文件导入申请（逐件登记并按“办理结果”答复；全部成功才写入）
    Import(ImportArgs),
    /// 设置机关的申请编号前缀和告知书文号前缀
    Prefix(PrefixArgs),
}

#[derive(ClapArgs)]
pub struct RegisterArgs {
    /// 机关代码或全称
    #[arg(long)]
    pub organ: String,
    /// 申请渠道：online、in_person、post、fax、email（或 网络、当面、邮寄、传真、电子邮件）
    #[arg(long)]
    pub channel: String,
    /// 申请人提交（寄出）日期；默认同收到日期
    #[arg(long)]
    pub submitted: Option<String>,
    /// 收到申请之日（条例第三十一条：当面提交之日、签收之日或双方确认之日）；默认今天（北京时间）
    #[arg(long)]
    pub received: Option<String>,
    /// 申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他组织
    #[arg(long = "type")]
    pub applicant_type: String,
    /// 申请人姓名或名称
    #[arg(long)]
    pub name: String,
    /// 身份证件（名称和号码）或统一社会信用代码
    #[arg(long, default_value = "")]
    pub id_document: String,
    /// 联系电话或电子邮箱
    #[arg(long, default_value = "")]
    pub contact: String,
    /// 通信地址
    #[arg(long, default_value = "")]
    pub address: String,
    /// 申请获取的政府信息的名称或内容描述
    #[arg(long)]
    pub description: String,
    /// 获取信息的方式（纸质、电子邮件等）
    #[arg(long, default_value = "")]
    pub form: String,
}

#[derive(ClapArgs)]
pub struct ListArgs {
    #[arg(long)]
    pub organ: Option<String>,
    #[arg(long)]
    pub year: Option<i32>,
    /// 计算剩余工作日所依据的“今天”（默认今天）
    #[arg(long)]
    pub today: Option<String>,
    /// 只列出未办结的
    #[arg(long)]
    pub open: bool,
    /// 只列出已超过答复期限仍未办结的
    #[arg(long)]
    pub overdue: bool,
}

#[derive(ClapArgs)]
pub struct CarryOverArgs {
    #[arg(long)]
    pub organ: Option<String>,
    #[arg(long)]
    pub year: i32,
}

#[derive(ClapArgs)]
pub struct ShowArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(long)]
    pub today: Option<String>,
    /// 显示申请人的完整个人信息（仅供承办人查阅案卷）
    #[arg(long)]
    pub reveal: bool,
}

#[derive(ClapArgs)]
pub struct NoticeArgs {
    #[command(flatten)]
    pub which: Which,
    /// 告知书类型：reply、supplement、extension、fee、reasons、consultation、disclosure（默认最近发出的一份）
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: NoticeFormat,
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(ClapArgs)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// 文件中未填“机关”时使用的机关
    #[arg(long)]
    pub organ: Option<String>,
    /// 只输出导入模板（CSV）
    #[arg(long)]
    pub template: bool,
    /// 以该后台用户的身份导入（按其角色和机关检查权限）；不给则以 --actor 命名的命令行操作员身份
    #[arg(long = "as", value_name = "USERNAME")]
    pub as_user: Option<String>,
}

#[derive(ClapArgs)]
pub struct PrefixArgs {
    #[arg(long)]
    pub organ: String,
    /// 告知书文号前缀，如 灵教（灵教依申请告〔2021〕3号）
    #[arg(long)]
    pub notice: Option<String>,
    /// 申请编号前缀，如 LWJT（LWJT-2021-0002）
    #[arg(long)]
    pub number: Option<String>,
}

pub(super) async fn organ_id(app: &App, key: &str) -> anyhow::Result<i64> {
    Ok(gongkai_app::organs::find(app, key).await?.id)
}

/// An organ named or none.
pub(super) async fn organ_of(app: &App, key: &Option<String>) -> anyhow::Result<Option<i64>> {
    Ok(match key {
        Some(o) => Some(organ_id(app, o).await?),
        None => None,
    })
}

pub(super) async fn find(app: &App, args: &Args, w: &Which) -> anyhow::Result<ApplicationRecord> {
    let organ = organ_of(app, &w.organ).await?;
    Ok(gongkai_app::cases::find(app, &actor(args), &w.number, organ).await?)
}

/// The day given, else today on the installation's clock (Beijing time, never the machine's zone).
fn today(app: &App, s: &Option<String>) -> anyhow::Result<NaiveDate> {
    match s {
        Some(s) => super::calendar::parse_date(s),
        None => Ok(app.time.today()),
    }
}

/// A record for output: the applicant's name masked.
pub(super) fn masked(r: &ApplicationRecord) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap_or_default();
    v["applicant_name"] = serde_json::Value::String(r.masked_name());
    v["status_label"] = serde_json::Value::String(r.status.label().into());
    v["result_label"] = match r.result {
        Some(x) => serde_json::Value::String(x.label()),
        None => serde_json::Value::Null,
    };
    v
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        run_on(&app, args).await
    })
}

/// The operator named by `--actor`.
fn actor(args: &Args) -> gongkai_app::Actor {
    super::operator_named(&args.actor)
}

pub async fn run_on(app: &App, args: Args) -> anyhow::Result<()> {
    match &args.sub {
        Sub::Register(r) => register::run(app, &args, r).await,
        Sub::List(l) => lists::list(app, &args, l).await,
        Sub::CarryOver(c) => lists::carry_over(app, &args, c).await,
        Sub::Show(s) => case_file::show(app, &args, s).await,
        Sub::Notice(n) => case_file::notice(app, &args, n).await,
        Sub::Import(i) => setup::import(app, &args, i).await,
        Sub::Prefix(p) => setup::prefix(app, &args, p).await,
        step => steps::run(app, &args, step).await,
    }
}
