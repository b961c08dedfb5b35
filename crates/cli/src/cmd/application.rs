//! `gongkai application`: disclosure on application — register a case and take it through the
//! workflow (补正, consultation, extension, fees, reply, withdrawal), list and show cases with
//! their deadline trace, print notices. Every step goes through the domain workflow, which
//! refuses unlawful steps with a Chinese message and writes nothing.
//!
//! Personal data of applicants (identity document, contact, address) is masked in every output
//! unless `show --reveal` asks for the case file.

use super::calendar::parse_date;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use gongkai_domain::application::events::*;
use gongkai_domain::application::fees::{self, FeeMethod};
use gongkai_domain::application::notice::{self, NoticeKind};
use gongkai_domain::application::workflow::Application;
use gongkai_domain::application::{ApplicantType, ReplyResult, clock};
use gongkai_store::Db;
use gongkai_store::applications::{ApplicationRecord, NewApplication};
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
    Register {
        /// 机关代码或全称
        #[arg(long)]
        organ: String,
        /// 申请渠道：online、in_person、post、fax、email（或 网络、当面、邮寄、传真、电子邮件）
        #[arg(long)]
        channel: String,
        /// 申请人提交（寄出）日期；默认同收到日期
        #[arg(long)]
        submitted: Option<String>,
        /// 收到申请之日（条例第三十一条：当面提交之日、签收之日或双方确认之日）
        #[arg(long)]
        received: String,
        /// 申请人类型：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他组织
        #[arg(long = "type")]
        applicant_type: String,
        /// 申请人姓名或名称
        #[arg(long)]
        name: String,
        /// 身份证件（名称和号码）或统一社会信用代码
        #[arg(long, default_value = "")]
        id_document: String,
        /// 联系电话或电子邮箱
        #[arg(long, default_value = "")]
        contact: String,
        /// 通信地址
        #[arg(long, default_value = "")]
        address: String,
        /// 申请获取的政府信息的名称或内容描述
        #[arg(long)]
        description: String,
        /// 获取信息的方式（纸质、电子邮件等）
        #[arg(long, default_value = "")]
        form: String,
    },
    /// 列出申请（某机关、某年度收到或仍在办理的）
    List {
        #[arg(long)]
        organ: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        /// 计算剩余工作日所依据的“今天”（默认今天）
        #[arg(long)]
        today: Option<String>,
        /// 只列出未办结的
        #[arg(long)]
        open: bool,
        /// 只列出已超过答复期限仍未办结的
        #[arg(long)]
        overdue: bool,
    },
    /// 年末结转：列出某年12月31日仍未办结、结转下一年度继续办理的申请（表三“四、结转下年度继续办理”）
    CarryOver {
        #[arg(long)]
        organ: Option<String>,
        #[arg(long)]
        year: i32,
    },
    /// 查看一件申请：状态、答复期限及其计算过程、事件记录、告知书
    Show {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        today: Option<String>,
        /// 显示申请人的完整个人信息（仅供承办人查阅案卷）
        #[arg(long)]
        reveal: bool,
    },
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
        /// 补正期限
        #[arg(long)]
        correct_by: String,
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
        /// 法律依据
        #[arg(long)]
        basis: String,
        /// 部分公开时不予公开的部分及理由，格式“内容：理由”，可多次使用
        #[arg(long)]
        withheld: Vec<String>,
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
    /// 输出告知书（文本、HTML、JSON、DOCX 或 PDF）
    Notice {
        #[command(flatten)]
        which: Which,
        /// 告知书类型：reply、supplement、extension、fee（默认最近发出的一份）
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: NoticeFormat,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// 从 CSV 或 XLSX 文件导入申请（逐件登记并按“办理结果”答复；全部成功才写入）
    Import {
        file: PathBuf,
        /// 文件中未填“机关”时使用的机关
        #[arg(long)]
        organ: Option<String>,
        /// 只输出导入模板（CSV）
        #[arg(long)]
        template: bool,
    },
    /// 设置机关的申请编号前缀和告知书文号前缀
    Prefix {
        #[arg(long)]
        organ: String,
        /// 告知书文号前缀，如 灵教（灵教依申请告〔2021〕3号）
        #[arg(long)]
        notice: Option<String>,
        /// 申请编号前缀，如 LWJT（LWJT-2021-0002）
        #[arg(long)]
        number: Option<String>,
    },
}

async fn organ_id(db: &Db, key: &str) -> anyhow::Result<i64> {
    Ok(db
        .find_organ(key)
        .await?
        .with_context(|| format!("未找到机关“{key}”（可用机关代码、全称或简称）"))?
        .id)
}

async fn find(db: &Db, w: &Which) -> anyhow::Result<ApplicationRecord> {
    let organ = match &w.organ {
        Some(o) => Some(organ_id(db, o).await?),
        None => None,
    };
    Ok(db.find_application(&w.number, organ).await?)
}

fn today(s: &Option<String>) -> anyhow::Result<NaiveDate> {
    match s {
        Some(s) => parse_date(s),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// A record for output: the applicant's name masked.
fn masked(r: &ApplicationRecord) -> serde_json::Value {
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
        let db = Db::connect(database_url).await?;
        run_on(&db, args).await
    })
}

/// Records one event and reports it.
async fn step(db: &Db, args: &Args, w: &Which, kind: EventKind) -> anyhow::Result<()> {
    let r = find(db, w).await?;
    let now = chrono::Local::now().naive_local();
    let desc = kind.describe();
    let (r, issued) = db
        .record_application_event(r.id, kind, &args.actor, now)
        .await?;
    if args.json {
        let mut v = masked(&r);
        v["notice"] = serde_json::json!(issued);
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{}：{desc}", r.number);
        if let Some(n) = issued {
            println!(
                "已发出告知书 {n}（gongkai application notice {} 查看）",
                r.number
            );
        }
        println!(
            "状态：{}；答复期限：{}",
            r.status.label(),
            r.due_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "暂停计算".into())
        );
    }
    Ok(())
}

pub async fn run_on(db: &Db, args: Args) -> anyhow::Result<()> {
    match &args.sub {
        Sub::Register {
            organ,
            channel,
            submitted,
            received,
            applicant_type,
            name,
            id_document,
            contact,
            address,
            description,
            form,
        } => {
            let organ_id = organ_id(db, organ).await?;
            let channel = Channel::parse(channel).with_context(|| {
                format!("无法识别的申请渠道“{channel}”（可用：网络、当面、邮寄、传真、电子邮件）")
            })?;
            let kind = ApplicantType::parse(applicant_type).with_context(|| {
                format!("无法识别的申请人类型“{applicant_type}”（可用：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他组织）")
            })?;
            let received = parse_date(received)?;
            let submitted = match submitted {
                Some(s) => parse_date(s)?,
                None => received,
            };
            let r = db
                .register_application(
                    &NewApplication {
                        organ_id,
                        channel,
                        submitted_on: submitted,
                        received_on: received,
                        applicant: Applicant {
                            kind,
                            name: name.clone(),
                            id_document: id_document.clone(),
                            contact: contact.clone(),
                            address: address.clone(),
                        },
                        description: description.clone(),
                        form: form.clone(),
                    },
                    &args.actor,
                    chrono::Local::now().naive_local(),
                )
                .await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&masked(&r))?);
            } else {
                println!(
                    "已登记申请 {}（{}，收到申请之日 {}）",
                    r.number,
                    channel.label(),
                    r.received_on
                );
                match r.due_on {
                    Some(d) => println!("答复期限：{d}"),
                    None => println!("答复期限暂无法计算（工作日历未覆盖）"),
                }
            }
        }
        Sub::CarryOver { organ, year } => {
            let organ = match organ {
                Some(o) => Some(organ_id(db, o).await?),
                None => None,
            };
            let end = NaiveDate::from_ymd_opt(*year, 12, 31).context("年份无效")?;
            let rows: Vec<ApplicationRecord> = db
                .applications(organ, Some(*year))
                .await?
                .into_iter()
                .filter(|r| r.summary().open_at(end))
                .collect();
            if args.json {
                let v: Vec<_> = rows.iter().map(masked).collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(());
            }
            println!(
                "{year}年12月31日仍未办结、结转{}年继续办理的申请：",
                year + 1
            );
            for r in &rows {
                println!(
                    "  {}\t{}\t{}\t答复期限 {}",
                    r.number,
                    r.received_on,
                    r.applicant_type.label(),
                    r.due_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "暂停计算".into())
                );
            }
            for t in ApplicantType::ALL {
                let n = rows.iter().filter(|r| r.applicant_type == t).count();
                if n > 0 {
                    println!("{}：{n}件", t.label());
                }
            }
            println!("合计{}件", rows.len());
        }
        Sub::List {
            organ,
            year,
            today: t,
            open,
            overdue,
        } => {
            let organ = match organ {
                Some(o) => Some(organ_id(db, o).await?),
                None => None,
            };
            let today = today(t)?;
            let cal = db.calendar().await?;
            let rows: Vec<ApplicationRecord> = db
                .applications(organ, *year)
                .await?
                .into_iter()
                .filter(|r| !*open || r.status.is_open())
                .filter(|r| {
                    !*overdue || (r.status.is_open() && r.due_on.is_some_and(|d| today > d))
                })
                .collect();
            if args.json {
                let mut out = Vec::new();
                for r in &rows {
                    let mut v = masked(r);
                    if r.status.is_open()
                        && let Some(due) = r.due_on
                    {
                        v["days_left"] =
                            serde_json::json!(cal.working_days_between(today, due).ok());
                        v["overdue"] = serde_json::json!(today > due);
                    }
                    out.push(v);
                }
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!(
                    "编号\t收到日期\t申请人类型\t申请人\t状态\t答复期限\t剩余工作日\t办理结果"
                );
                for r in &rows {
                    let left = match (r.status.is_open(), r.due_on) {
                        (true, Some(due)) => match cal.working_days_between(today, due) {
                            Ok(n) if n < 0 => format!("已超期{}", -n),
                            Ok(n) => n.to_string(),
                            Err(_) => "-".into(),
                        },
                        _ => "-".into(),
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        r.number,
                        r.received_on,
                        r.applicant_type.label(),
                        r.masked_name(),
                        r.status.label(),
                        r.due_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                        left,
                        r.result.map(|x| x.label()).unwrap_or_else(|| "-".into())
                    );
                }
                println!("共{}件", rows.len());
            }
        }
        Sub::Show {
            which,
            today: t,
            reveal,
        } => {
            let r = find(db, which).await?;
            let today = today(t)?;
            let cal = db.calendar().await?;
            let events = db.application_events(r.id).await?;
            let app = Application::from_events(&events)?;
            let clock = clock::compute_for(&app, &cal, today);
            let notices = db.application_notices(r.id).await?;
            let applicant = if *reveal {
                app.applicant.clone()
            } else {
                app.applicant.masked()
            };
            if args.json {
                let ev: Vec<_> = events
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "seq": e.seq, "at": e.at, "actor": e.actor,
                            "event": if *reveal { e.kind.clone() } else { e.kind.masked() },
                            "description": e.kind.describe(),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "application": masked(&r),
                        "applicant": applicant,
                        "clock": clock,
                        "events": ev,
                        "notices": notices,
                    }))?
                );
                return Ok(());
            }
            println!("申请编号：{}", r.number);
            println!("申请渠道：{}", app.channel.label());
            println!("申请人：{}（{}）", applicant.name, applicant.kind.label());
            if !applicant.id_document.is_empty() {
                println!("身份证件：{}", applicant.id_document);
            }
            if !applicant.contact.is_empty() {
                println!("联系方式：{}", applicant.contact);
            }
            if !applicant.address.is_empty() {
                println!("通信地址：{}", applicant.address);
            }
            println!("申请内容：{}", app.description);
            if let Some(h) = &app.handler {
                println!("承办人：{h}");
            }
            println!("状态：{}", r.status.label());
            if let Some((on, result)) = app.closed() {
                println!("办理结果：{}（{on}）", result.label());
            }
            println!(
                "答复期限：{}",
                clock
                    .due
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "暂停计算或无法计算".into())
            );
            println!("\n期限计算过程：");
            for (i, line) in clock.trace.iter().enumerate() {
                println!("  {}. {line}", i + 1);
            }
            println!("\n事件记录：");
            for e in &events {
                println!(
                    "  #{} {} {}：{}",
                    e.seq,
                    e.at.format("%Y-%m-%d %H:%M"),
                    e.actor,
                    e.kind.describe()
                );
            }
            if !notices.is_empty() {
                println!("\n告知书：");
                for n in &notices {
                    println!("  {} {}（{}）", n.number, n.kind.label(), n.issued_on);
                }
            }
        }
        Sub::Assign { which, handler } => {
            step(
                db,
                &args,
                which,
                EventKind::Assigned {
                    handler: handler.clone(),
                },
            )
            .await?
        }
        Sub::SupplementRequest {
            which,
            on,
            items,
            correct_by,
        } => {
            let kind = EventKind::SupplementRequested {
                on: parse_date(on)?,
                items: items.clone(),
                correct_by: parse_date(correct_by)?,
                notice: None,
            };
            step(db, &args, which, kind).await?
        }
        Sub::SupplementReceived { which, on } => {
            step(
                db,
                &args,
                which,
                EventKind::SupplementReceived {
                    on: parse_date(on)?,
                },
            )
            .await?
        }
        Sub::Consult {
            which,
            on,
            party,
            with,
        } => {
            let party = ConsultParty::parse(party).with_context(|| {
                format!("无法识别的征求意见对象“{party}”（third-party 或 organ）")
            })?;
            let kind = EventKind::ConsultationStarted {
                on: parse_date(on)?,
                party,
                with: with.clone(),
            };
            step(db, &args, which, kind).await?
        }
        Sub::ConsultAnswered {
            which,
            on,
            index,
            answer,
        } => {
            let r = find(db, which).await?;
            let app = Application::from_events(&db.application_events(r.id).await?)?;
            let index = match index {
                Some(0) => bail!("第几次征求意见从1起计"),
                Some(i) => i - 1,
                None => {
                    let open: Vec<usize> = app
                        .consultations
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.answered_on.is_none())
                        .map(|(i, _)| i)
                        .collect();
                    match open.as_slice() {
                        [i] => *i,
                        [] => bail!("本案没有尚未答复的征求意见"),
                        _ => bail!("本案有{}次征求意见尚未答复，请用 --index 指明", open.len()),
                    }
                }
            };
            let kind = EventKind::ConsultationAnswered {
                on: parse_date(on)?,
                index,
                answer: answer.clone(),
            };
            step(db, &args, which, kind).await?
        }
        Sub::Extend {
            which,
            on,
            days,
            reason,
            approved_by,
        } => {
            let kind = EventKind::Extended {
                on: parse_date(on)?,
                days: *days,
                reason: reason.clone(),
                approved_by: approved_by.clone(),
                notice: None,
            };
            step(db, &args, which, kind).await?
        }
        Sub::Decide {
            which,
            on,
            result,
            basis,
            withheld,
        } => {
            let result = gongkai_import::applications::parse_result(result).with_context(|| {
                let all: Vec<String> = ReplyResult::ALL.iter().map(|r| r.label()).collect();
                format!("无法识别的办理结果“{result}”。可用：{}", all.join("、"))
            })?;
            let mut parts = Vec::new();
            for w in withheld {
                let (part, reason) = w
                    .split_once('：')
                    .or_else(|| w.split_once(':'))
                    .with_context(|| format!("不予公开的部分“{w}”应写成“内容：理由”"))?;
                parts.push(Withheld {
                    part: part.trim().into(),
                    reason: reason.trim().into(),
                });
            }
            let kind = EventKind::Decided {
                on: parse_date(on)?,
                result,
                basis: basis.clone(),
                withheld: parts,
                notice: None,
            };
            step(db, &args, which, kind).await?
        }
        Sub::FeeNotice {
            which,
            on,
            method,
            pages,
            pay_by,
        } => {
            let r = find(db, which).await?;
            let on = parse_date(on)?;
            let method = FeeMethod::parse(method).with_context(|| {
                format!("无法识别的计费方式“{method}”（per-item 按件计收，per-page 按量计收）")
            })?;
            let basis = match (method, pages) {
                (FeeMethod::PerPage, Some(p)) => FeeBasis::Pages(*p),
                (FeeMethod::PerPage, None) => bail!("按量计收须用 --pages 给出页数"),
                (FeeMethod::PerItem, Some(_)) => {
                    bail!("按件计收按申请人本月第几件申请计算，不需要 --pages")
                }
                (FeeMethod::PerItem, None) => {
                    FeeBasis::NthInMonth(db.applicant_rank_in_month(r.id).await?)
                }
            };
            let amount = fees::amount_fen(method, basis).expect("method and basis match");
            let pay_by = match pay_by {
                Some(s) => parse_date(s)?,
                None => db.calendar().await?.add_working_days(on, 20)?,
            };
            let kind = EventKind::FeeNoticed {
                on,
                method,
                basis,
                amount_fen: amount,
                pay_by,
                notice: None,
            };
            step(db, &args, which, kind).await?;
            if !args.json {
                println!("{}", fees::explain(method, basis));
            }
        }
        Sub::FeePaid {
            which,
            on,
            not_paid,
        } => {
            let on = parse_date(on)?;
            let kind = if *not_paid {
                EventKind::FeeNotPaid { on }
            } else {
                EventKind::FeePaid { on }
            };
            step(db, &args, which, kind).await?
        }
        Sub::Withdraw { which, on, reason } => {
            let kind = EventKind::Withdrawn {
                on: parse_date(on)?,
                reason: reason.clone(),
            };
            step(db, &args, which, kind).await?
        }
        Sub::Notice {
            which,
            kind,
            format,
            output,
        } => {
            let r = find(db, which).await?;
            let notices = db.application_notices(r.id).await?;
            let wanted = match kind {
                Some(k) => Some(NoticeKind::parse(k).with_context(|| {
                    format!("无法识别的告知书类型“{k}”（reply、supplement、extension、fee）")
                })?),
                None => None,
            };
            let rec = notices
                .iter()
                .rev()
                .find(|n| wanted.is_none_or(|k| n.kind == k))
                .with_context(|| {
                    format!(
                        "申请 {} 尚未发出{}",
                        r.number,
                        wanted.map(|k| k.label()).unwrap_or("告知书")
                    )
                })?;
            let events = db.application_events(r.id).await?;
            // The notice says what the case was when it was issued: replay up to its event.
            let upto: Vec<Event> = events
                .into_iter()
                .filter(|e| e.seq <= rec.event_seq)
                .collect();
            let app = Application::from_events(&upto)?;
            let organ = db
                .organ(r.organ_id)
                .await?
                .map(|o| o.name)
                .unwrap_or_default();
            let n = notice::build(&app, rec.kind, &rec.number, &organ, rec.issued_on)
                .with_context(|| format!("告知书 {} 无法生成", rec.number))?;
            let bytes: Vec<u8> = match format {
                NoticeFormat::Html => n.to_html().into_bytes(),
                NoticeFormat::Text => n.to_text().into_bytes(),
                NoticeFormat::Json => serde_json::to_string_pretty(&n)?.into_bytes(),
                NoticeFormat::Docx => {
                    gongkai_render::notice::docx(&n, &gongkai_render::docx::DocxOptions::default())?
                }
                NoticeFormat::Pdf => gongkai_pdf::notice(&n, &gongkai_pdf::PdfOptions::default())?,
            };
            match output {
                Some(p) => {
                    std::fs::write(p, bytes)
                        .with_context(|| format!("无法写入 {}", p.display()))?;
                    eprintln!("已写入 {}", p.display());
                }
                None if matches!(format, NoticeFormat::Docx | NoticeFormat::Pdf) => {
                    bail!("DOCX 和 PDF 格式请用 -o 指定输出文件")
                }
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
        }
        Sub::Import {
            file,
            organ,
            template,
        } => {
            if *template {
                std::fs::write(file, gongkai_import::applications::template_csv())
                    .with_context(|| format!("无法写入 {}", file.display()))?;
                println!("已生成导入模板 {}", file.display());
                return Ok(());
            }
            let table = gongkai_import::read_file(file)?;
            let n = gongkai_import::applications::import(db, &table, organ.as_deref(), &args.actor)
                .await?;
            println!("已导入{n}件申请");
        }
        Sub::Prefix {
            organ,
            notice,
            number,
        } => {
            let id = organ_id(db, organ).await?;
            if notice.is_none() && number.is_none() {
                bail!("请给出 --notice 或 --number");
            }
            db.set_application_prefixes(id, notice.as_deref(), number.as_deref())
                .await?;
            println!("已设置编号前缀");
        }
    }
    Ok(())
}
