//! `gongkai calendar`: the working-day calendar (built-in years 2019–2026 plus imported years).

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use gongkai_domain::calendar::{DayKind, date_cn, parse_year};
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub sub: Sub,
}

#[derive(Subcommand)]
pub enum Sub {
    /// 计算某日之后第 N 个工作日（起算日不计入）
    AddWorkingDays {
        /// 起算日期（YYYY-MM-DD）
        date: String,
        /// 工作日数
        n: u32,
    },
    /// 计算两个日期之间的工作日数（不含起始日，含结束日）
    Between { a: String, b: String },
    /// 列出某年的法定节假日和调休上班日
    Show {
        year: i32,
        /// 以 JSON 输出全年每一天
        #[arg(long)]
        json: bool,
    },
    /// 导入或更正某一年的节假日安排（TOML 格式，见 data/calendar/），并重新计算未办结申请的答复期限
    Import {
        file: PathBuf,
        /// 操作人（记入申请的事件记录）
        #[arg(long, env = "USER", default_value = "系统管理员")]
        actor: String,
    },
}

pub fn parse_date(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("“{s}”不是有效日期，格式应为 YYYY-MM-DD"))
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        let cal = gongkai_app::cases::calendar(&app).await?;
        match args.sub {
            Sub::AddWorkingDays { date, n } => {
                let d = parse_date(&date)?;
                let r = cal.add_working_days(d, n)?;
                println!("{r}");
                eprintln!("{}之后第{n}个工作日为{}", date_cn(d), date_cn(r));
            }
            Sub::Between { a, b } => {
                let (a, b) = (parse_date(&a)?, parse_date(&b)?);
                println!("{}", cal.working_days_between(a, b)?);
            }
            Sub::Show { year, json } => {
                let days = cal.days_of(year)?;
                if json {
                    let v: Vec<_> = days
                        .iter()
                        .map(|(d, k)| serde_json::json!({"date": d, "kind": k, "working": k.is_working()}))
                        .collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "year": year,
                            "source": cal.year(year).map(|y| y.source.clone()),
                            "working_days": days.iter().filter(|(_, k)| k.is_working()).count(),
                            "days": v,
                        }))?
                    );
                    return Ok(());
                }
                match cal.year(year) {
                    Some(y) => println!("{}年工作日历（依据：{}）", year, y.source),
                    None => println!("{year}年工作日历"),
                }
                for (d, k) in &days {
                    if matches!(k, DayKind::Holiday | DayKind::AdjustedWorkday) {
                        println!("  {}  {}", date_cn(*d), k.label());
                    }
                }
                println!(
                    "全年工作日 {} 天",
                    days.iter().filter(|(_, k)| k.is_working()).count()
                );
            }
            Sub::Import { file, actor } => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("无法读取文件 {}", file.display()))?;
                let year = parse_year(&text)?.year;
                let changed = gongkai_app::registers::import_calendar(&app, &super::operator_named(&actor), &text)
                    .await?
                    .value;
                println!("已导入{year}年工作日历。");
                if changed.is_empty() {
                    println!("未办结申请的答复期限均无变化。");
                } else {
                    println!("以下{}件未办结申请的答复期限已重新计算：", changed.len());
                    for c in changed {
                        println!(
                            "  {}：{} → {}",
                            c.number,
                            c.old_due.map(|d| d.to_string()).unwrap_or_else(|| "无法计算".into()),
                            c.new_due.map(|d| d.to_string()).unwrap_or_else(|| "无法计算".into())
                        );
                    }
                }
            }
        }
        Ok(())
    })
}
