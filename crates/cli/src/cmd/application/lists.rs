//! `gongkai application list` and `carry-over`: cases of an organ and year, with the days left.

use super::{Args, Sub, masked, organ_id, today};
use anyhow::Context;
use chrono::NaiveDate;
use gongkai_app::App;
use gongkai_domain::application::ApplicantType;
use gongkai_store::applications::ApplicationRecord;

pub(super) async fn run(app: &App, args: &Args) -> anyhow::Result<()> {
    let db = &app.db;
    match &args.sub {
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
            let today = today(app, t)?;
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
        _ => unreachable!("dispatched by run_on"),
    }
    Ok(())
}
