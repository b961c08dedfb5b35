//! The workflow steps of `gongkai application`: each subcommand is read into the event it
//! records ([`event`]); the use case records it ([`step`]), judged by the domain's workflow.

use super::super::calendar::parse_date;
use super::{Args, Sub, Which, actor, find, masked};
use anyhow::{Context, bail};
use gongkai_app::App;
use gongkai_domain::application::ReplyResult;
use gongkai_domain::application::events::{
    ConsultParty, DeliveryMethod, EventKind, FeeBasis, Withheld,
};
use gongkai_domain::application::fees::{self, FeeMethod};
use gongkai_domain::application::workflow::Application;

pub(super) async fn run(app: &App, args: &Args) -> anyhow::Result<()> {
    let (which, kind) = event(app, &args.sub).await?;
    let fee = match &kind {
        EventKind::FeeNoticed { method, basis, .. } => Some(fees::explain(*method, *basis)),
        _ => None,
    };
    step(app, args, which, kind).await?;
    if let Some(f) = fee
        && !args.json
    {
        println!("{f}");
    }
    Ok(())
}

/// The case a step subcommand names and the event it records.
async fn event<'a>(app: &App, sub: &'a Sub) -> anyhow::Result<(&'a Which, EventKind)> {
    let db = &app.db;
    Ok(match sub {
        Sub::Assign { which, handler } => (
            which,
            EventKind::Assigned {
                handler: handler.clone(),
            },
        ),
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
            (which, kind)
        }
        Sub::SupplementReceived { which, on } => (
            which,
            EventKind::SupplementReceived {
                on: parse_date(on)?,
            },
        ),
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
            (which, kind)
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
            (which, kind)
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
            (which, kind)
        }
        Sub::Decide {
            which,
            on,
            result,
            basis,
            withheld,
            text,
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
                text: text.clone(),
            };
            (which, kind)
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
            (which, kind)
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
            (which, kind)
        }
        Sub::Deliver {
            which,
            on,
            method,
            note,
        } => {
            let method = DeliveryMethod::parse(method).with_context(|| {
                format!("无法识别的送达方式“{method}”（in_person、post、email、online、other）")
            })?;
            let kind = EventKind::Delivered {
                on: parse_date(on)?,
                method,
                note: note.clone(),
            };
            (which, kind)
        }
        Sub::Withdraw { which, on, reason } => {
            let kind = EventKind::Withdrawn {
                on: parse_date(on)?,
                reason: reason.clone(),
            };
            (which, kind)
        }
        _ => unreachable!("dispatched by run_on"),
    })
}

/// Records one event and reports it.
async fn step(app: &App, args: &Args, w: &Which, kind: EventKind) -> anyhow::Result<()> {
    let r = find(&app.db, w).await?;
    let desc = kind.describe();
    let done = gongkai_app::applications::record_step(app, &actor(args), r.id, kind).await?;
    let (r, issued) = (done.value.record, done.value.notice);
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
