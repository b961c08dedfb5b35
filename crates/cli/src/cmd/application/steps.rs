//! The workflow steps of `gongkai application`: each subcommand is mapped to the step command the
//! back office and the API send too ([`input`]); the application layer parses it (defaults,
//! refusals field by field) and records it, judged by the domain's workflow.

use super::{Args, Sub, Which, actor, find, masked};
use anyhow::bail;
use gongkai_app::App;
use gongkai_app::steps::StepInput;
use gongkai_domain::application::events::EventKind;

pub(super) async fn run(app: &App, args: &Args, sub: &Sub) -> anyhow::Result<()> {
    let (which, input) = input(sub)?;
    step(app, args, which, &input).await
}

/// `字段=内容` pairs into the input.
fn set(mut input: StepInput, pairs: &[String]) -> anyhow::Result<StepInput> {
    for p in pairs {
        let Some((k, v)) = p.split_once('=') else {
            bail!("“{p}”应写成 字段=内容");
        };
        input = input.with(k.trim(), v);
    }
    Ok(input)
}

/// The case a step subcommand names and the step it sends.
fn input(sub: &Sub) -> anyhow::Result<(&Which, StepInput)> {
    let i = StepInput::new;
    Ok(match sub {
        Sub::Assign { which, handler } => (which, i("assign").with("handler", handler)),
        Sub::SupplementRequest {
            which,
            on,
            items,
            correct_by,
        } => (
            which,
            i("supplement")
                .with("on", on)
                .with("items", items)
                .with("correct_by", correct_by.clone().unwrap_or_default()),
        ),
        Sub::SupplementReceived { which, on } => (which, i("supplement_received").with("on", on)),
        Sub::Consult {
            which,
            on,
            party,
            with,
            matter,
        } => (
            which,
            i("consult")
                .with("on", on)
                .with("party", party)
                .with("with", with)
                .with("matter", matter),
        ),
        Sub::ConsultAnswered {
            which,
            on,
            index,
            answer,
            objects,
        } => {
            if *index == Some(0) {
                bail!("第几次征求意见从1起计");
            }
            (
                which,
                i("consult_answer")
                    .with("on", on)
                    .with("index", index.map(|n| n.to_string()).unwrap_or_default())
                    .with("answer", answer)
                    .with("objects", if *objects { "1" } else { "" }),
            )
        }
        Sub::Extend {
            which,
            on,
            days,
            reason,
            approved_by,
        } => (
            which,
            i("extend")
                .with("on", on)
                .with("days", days.to_string())
                .with("reason", reason)
                .with("approved_by", approved_by),
        ),
        Sub::Decide {
            which,
            on,
            result,
            set: pairs,
            withheld,
            text,
        } => (
            which,
            set(
                i("decide")
                    .with("on", on)
                    .with("result", result)
                    .with("withheld", withheld.join("\n"))
                    .with("text", text),
                pairs,
            )?,
        ),
        Sub::FeeNotice {
            which,
            on,
            method,
            pages,
            pay_by,
        } => (
            which,
            i("fee")
                .with("on", on)
                .with("method", method)
                .with("pages", pages.map(|p| p.to_string()).unwrap_or_default())
                .with("pay_by", pay_by.clone().unwrap_or_default()),
        ),
        Sub::FeePaid {
            which,
            on,
            not_paid,
        } => (
            which,
            i(if *not_paid {
                "fee_not_paid"
            } else {
                "fee_paid"
            })
            .with("on", on),
        ),
        Sub::Deliver {
            which,
            on,
            method,
            note,
        } => (
            which,
            i("deliver")
                .with("on", on)
                .with("method", method)
                .with("note", note),
        ),
        Sub::Withdraw { which, on, reason } => {
            (which, i("withdraw").with("on", on).with("reason", reason))
        }
        Sub::Step {
            which,
            action,
            set: pairs,
        } => (which, set(i(action), pairs)?),
        _ => bail!("dispatched by run_on"),
    })
}

/// Records one step and reports it.
async fn step(app: &App, args: &Args, w: &Which, input: &StepInput) -> anyhow::Result<()> {
    let r = find(app, args, w).await?;
    let done = gongkai_app::steps::record(app, &actor(args), r.id, input).await?;
    let (r, issued) = (done.value.record, done.value.notice);
    let events = gongkai_app::cases::events(app, &actor(args), r.id).await?;
    let last = events.last().map(|e| &e.kind);
    if args.json {
        let mut v = masked(&r);
        v["notice"] = serde_json::json!(issued);
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if let Some(k) = last {
            println!("{}：{}", r.number, k.masked().describe());
            if let EventKind::FeeNoticed { method, basis, .. } = k {
                println!(
                    "{}",
                    gongkai_domain::application::fees::explain(*method, *basis)
                );
            }
        }
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
