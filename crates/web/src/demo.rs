//! What the demo organ has published besides its records: its annual reports from 2020 through
//! last year, as the bureau published them each January (the 2020 one computed from the demo records equals
//! the seed report's figures), and its office details for the 公开指南 and the remedies of a
//! reply. `gongkai demo` calls [`publish_history`] after loading the records, so a newcomer's
//! archive, search and RSS show reports from the first run.

use chrono::{TimeZone, Utc};
use gongkai_app::{Actor, App, Time};
use gongkai_store::Db;
use gongkai_store::portal::OrganSettings;

/// The years the demo bureau published, with the day each report went online (the seed's three).
pub const PUBLISHED: [(i32, (i32, u32, u32)); 3] = [
    (2020, (2021, 1, 27)),
    (2021, (2022, 1, 25)),
    (2022, (2023, 1, 19)),
];

/// Every year the demo bureau has published by `today`: the seed's three, then each later year
/// in January of the next (the third Thursday, before art. 49's 31 January), through last year.
pub fn published_by(today: chrono::NaiveDate) -> Vec<(i32, chrono::NaiveDate)> {
    use chrono::{Datelike, NaiveDate, Weekday};
    let mut out: Vec<(i32, NaiveDate)> = PUBLISHED
        .iter()
        .filter_map(|&(y, (py, m, d))| Some((y, NaiveDate::from_ymd_opt(py, m, d)?)))
        .collect();
    for year in (PUBLISHED[2].0 + 1)..today.year() {
        if let Some(day) = NaiveDate::from_weekday_of_month_opt(year + 1, 1, Weekday::Thu, 3) {
            out.push((year, day));
        }
    }
    out.retain(|(_, day)| *day < today);
    out
}

/// The bureau's office as its 2020 report names it.
pub fn bureau_settings() -> OrganSettings {
    OrganSettings {
        office_name: "灵武市教育体育局办公室".into(),
        address: "宁夏回族自治区灵武市西平街142号".into(),
        postcode: "750400".into(),
        hours: "法定工作日 上午8:30—12:00，下午14:30—18:00".into(),
        phone: "0951-4021664".into(),
        fax: "0951-4021664".into(),
        email: "lwjydt@163.com".into(),
        website: String::new(),
        extra: String::new(),
        review_body: "灵武市人民政府".into(),
        court: "灵武市人民法院".into(),
        fee_payment: "持收费通知书到灵武市政务服务中心非税收入缴款窗口缴纳，或通过宁夏回族自治区非税收入网上缴款系统按通知书上的缴款码缴纳".into(),
        correction_days: 15,
        ..OrganSettings::default()
    }
}

/// Publishes the bureau's reports of [`published_by`] `today` (its own records, not its
/// schools', as the seed report counts) and sets its office details when none are set, through
/// the same use cases an office uses, on a clock set to each publication day. Returns the number
/// of reports published; a year already published is left as it is.
pub async fn publish_history(
    db: &Db,
    organ_key: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<usize> {
    let organ = db
        .find_organ(organ_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("演示机关不存在：{organ_key}"))?;
    let actor = Actor::Operator("演示数据".into());
    if db.organ_settings(organ.id).await? == OrganSettings::default() {
        let app = App::new(db.clone(), Time::system());
        gongkai_app::notices::save_settings(&app, &actor, organ.id, bureau_settings()).await?;
    }
    let already = db.published_reports(organ.id).await?;
    let mut n = 0;
    for (year, day) in published_by(today) {
        if already.iter().any(|p| p.year == year) {
            continue;
        }
        // 10:00 Beijing time on the day.
        let at = Utc
            .with_ymd_and_hms(
                chrono::Datelike::year(&day),
                chrono::Datelike::month(&day),
                chrono::Datelike::day(&day),
                2,
                0,
                0,
            )
            .single()
            .expect("valid instant");
        let app = App::new(db.clone(), Time::fixed(at));
        gongkai_app::reports::generate(&app, &actor, organ.id, year, false).await?;
        gongkai_app::reports::publish(&app, &actor, organ.id, year, "", None).await?;
        n += 1;
    }
    Ok(n)
}
