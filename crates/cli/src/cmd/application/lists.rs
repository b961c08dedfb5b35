//! `gongkai application list` and `carry-over`: cases of an organ and year, with the days left.
//! Which cases are open, overdue or carried over is decided by `gongkai_app::cases`.

use super::{Args, CarryOverArgs, ListArgs, actor, masked, organ_of, today};
use gongkai_app::App;
use gongkai_app::cases::{self, Filter, Urgency};
use gongkai_domain::application::ApplicantType;

/// `gongkai application carry-over`.
pub(super) async fn carry_over(app: &App, args: &Args, c: &CarryOverArgs) -> anyhow::Result<()> {
    let organ = organ_of(app, &c.organ).await?;
    let year = c.year;
    let rows = cases::carried_over(app, &actor(args), organ, year).await?;
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
    Ok(())
}

/// `gongkai application list`.
pub(super) async fn list(app: &App, args: &Args, l: &ListArgs) -> anyhow::Result<()> {
    let organ = organ_of(app, &l.organ).await?;
    let today = today(app, &l.today)?;
    let filter = Filter {
        open: l.open,
        overdue: l.overdue,
    };
    let rows = cases::states(app, &actor(args), organ, l.year, filter, today).await?;
    if args.json {
        let mut out = Vec::new();
        for s in &rows {
            let mut v = masked(&s.record);
            if s.record.status.is_open() && s.clock.due.is_some() {
                v["days_left"] = serde_json::json!(s.clock.days_left);
                v["overdue"] = serde_json::json!(s.urgency == Urgency::Overdue);
            }
            out.push(v);
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("编号\t收到日期\t申请人类型\t申请人\t状态\t答复期限\t剩余工作日\t办理结果");
    for s in &rows {
        let r = &s.record;
        let left = match (r.status.is_open(), s.clock.days_left) {
            (true, Some(n)) if n < 0 => format!("已超期{}", -n),
            (true, Some(n)) => n.to_string(),
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
    Ok(())
}
