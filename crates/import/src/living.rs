//! The living demo (issue 36): the demo bureau's history carried on from its files' last year
//! (2022) to the clock it is loaded with, so that a newcomer's first look is of a site an
//! inspector would pass — every year's registers and documents, bodies and attachments in
//! realistic wording, 政策解读 linked to their documents, 公示 with their periods, letters with
//! published replies (their writers agreed), and recent news within the last two weeks.
//!
//! Deterministic: what is loaded depends only on the day it is loaded (no randomness). The
//! years after 2022 repeat 2022's shape — its registers' rows and its dated documents, shifted by
//! whole years with the years in their titles and numbers moved with them — and the files'
//! 2020–2022 records stay exactly as they are (the 2020 report's 198 cells come from them).
//! Everything goes through the importer, as an office's own files do; the texts are written
//! after, on the items that have none.

use crate::living_texts as texts;
use crate::table::{Table, read_csv_bytes};
use crate::{ImportError, Kind, import_table};
use chrono::{Datelike, Days, NaiveDate};
use gongkai_domain::calendar::Calendar;
use gongkai_store::Tx;

/// The last year the demo files hold; later years are shaped on it.
pub const FILES_LAST_YEAR: i32 = 2022;

/// What the living layer added.
#[derive(Debug, Clone, Default)]
pub struct LivingSummary {
    /// The years added after the files' last, through the year of the day loaded.
    pub years: Vec<i32>,
    /// Rows imported, by kind.
    pub rows: Vec<(Kind, usize)>,
    pub bodies: usize,
    pub attachments: usize,
    pub interpretations: usize,
    pub announcements: usize,
    pub published_letters: usize,
    pub consultations: usize,
    /// Empty columns explained on their pages (`crate::living_columns`).
    pub explanations: usize,
    /// 办事指南 written for the bureau's services (`crate::living_services`).
    pub guides: usize,
}

fn err(e: gongkai_store::Error) -> ImportError {
    ImportError::file(e.to_string())
}

/// The same day `years` later (29 February becomes 28 February).
fn shift(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

/// Moves every year 2000–2099 written in `text` by `years` (2022年 → 2025年, 〔2022〕 → 〔2025〕,
/// 2021—2022学年 → 2024—2025学年); other numbers stay.
pub fn shift_years(text: &str, years: i32) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run: String = chars[i..i + digits].iter().collect();
        match run.parse::<i32>() {
            Ok(y) if digits == 4 && (2000..2100).contains(&y) => {
                out.push_str(&(y + years).to_string())
            }
            _ => out.push_str(&run),
        }
        i += digits;
    }
    out
}

/// The rows of a demo file dated in the files' last year, moved `years` later, keeping those on
/// or before `today`. `dates` are the columns holding dates (the first decides the year), `texts`
/// those whose years move with them; `keep` may drop or edit a row.
fn shifted(
    file: &Table,
    years: i32,
    today: NaiveDate,
    dates: &[&str],
    texts: &[&str],
    keep: impl Fn(&[String], &dyn Fn(&str) -> usize) -> bool,
) -> Vec<Vec<String>> {
    let col = |name: &str| {
        file.headers
            .iter()
            .position(|h| h.trim() == name)
            .unwrap_or(usize::MAX)
    };
    let date_cols: Vec<usize> = dates.iter().map(|d| col(d)).collect();
    let text_cols: Vec<usize> = texts.iter().map(|t| col(t)).collect();
    let mut out = Vec::new();
    for (_, row) in &file.rows {
        let first = row
            .get(date_cols[0])
            .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok());
        if first.is_none_or(|d| d.year() != FILES_LAST_YEAR) || !keep(row.as_slice(), &col) {
            continue;
        }
        let mut r = row.clone();
        let mut late = false;
        for &c in &date_cols {
            if let Some(d) = r
                .get(c)
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
            {
                let moved = shift(d, years);
                late |= moved > today;
                r[c] = moved.to_string();
            }
        }
        if late {
            continue;
        }
        for &c in &text_cols {
            if let Some(t) = r.get(c) {
                r[c] = shift_years(t, years);
            }
        }
        out.push(r);
    }
    out
}

fn table(headers: &[String], rows: Vec<Vec<String>>) -> Table {
    Table {
        headers: headers.to_vec(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect(),
    }
}

fn file(name: &str) -> Result<Table, ImportError> {
    let (_, _, bytes) = crate::demo::FILES
        .iter()
        .find(|(_, n, _)| *n == name)
        .ok_or_else(|| ImportError::file(format!("演示文件缺失：{name}")))?;
    read_csv_bytes(bytes)
}

/// Carries the demo bureau's history on from 2022 through `today` inside the caller's
/// transaction (after [`crate::demo::load_in`]): see the module comment.
pub async fn extend_in(
    tx: &mut Tx,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<LivingSummary, ImportError> {
    let mut summary = LivingSummary::default();
    let catalogue = file("catalogue.csv")?;
    let mut rows: Vec<(Kind, Table)> = Vec::new();
    let years: Vec<i32> = ((FILES_LAST_YEAR + 1)..=today.year()).collect();
    for kind in [
        Kind::Decisions,
        Kind::Fees,
        Kind::Procurements,
        Kind::Letters,
    ] {
        let (name, dates, moved): (&str, &[&str], &[&str]) = match kind {
            Kind::Decisions => ("decisions.csv", &["决定日期"], &["决定文号"]),
            Kind::Fees => ("fees.csv", &["收费日期"], &["备注"]),
            Kind::Procurements => ("procurements.csv", &["签订日期"], &["项目名称"]),
            _ => (
                "letters.csv",
                &["收到日期", "答复日期", "办理时限"],
                &["事由", "答复内容"],
            ),
        };
        let f = file(name)?;
        let mut all = Vec::new();
        for &y in &years {
            all.extend(shifted(
                &f,
                y - FILES_LAST_YEAR,
                today,
                dates,
                moved,
                |_, _| true,
            ));
        }
        if !all.is_empty() {
            rows.push((kind, table(&f.headers, all)));
        }
    }
    // The catalogue: 2022's published documents whose titles carry a year (budgets, 公示, plans
    // of a year), moved on; undated titles (a bureau's duties, a standing rule) are not repeated.
    // Their 有效性 history stays with the 2022 documents.
    let mut items = Vec::new();
    for &y in &years {
        items.extend(
            shifted(
                &catalogue,
                y - FILES_LAST_YEAR,
                today,
                &["发布日期", "成文日期"],
                &["标题", "内容概述", "文号"],
                |row, col| {
                    row.get(col("状态")).is_some_and(|s| s.trim() == "已发布")
                        && row
                            .get(col("标题"))
                            .is_some_and(|t| shift_years(t, 1) != *t)
                },
            )
            .into_iter()
            .map(|mut r| {
                for c in ["有效性", "有效性变更日期"] {
                    if let Some(i) = catalogue.headers.iter().position(|h| h.trim() == c) {
                        r[i].clear();
                    }
                }
                r
            }),
        );
    }
    // Each year's own documents with their interpretations, and the news of the last two weeks.
    for d in documents(today) {
        items.push(d.row(&catalogue.headers));
    }
    if !items.is_empty() {
        rows.push((Kind::Catalogue, table(&catalogue.headers, items)));
    }
    for (kind, t) in &rows {
        let s = import_table(tx, *kind, t, None).await.map_err(|mut e| {
            for x in &mut e.errors {
                x.message = format!("演示数据（{}）：{}", kind.label(), x.message);
            }
            e
        })?;
        summary.rows.push((*kind, s.rows));
    }
    summary.years = years;
    write_texts(tx, cal, today, &mut summary).await?;
    explain_columns(tx, today, &mut summary).await?;
    write_guides(tx, today, &mut summary).await?;
    Ok(summary)
}

/// The documents the living layer adds: the bureau's rules, plans and news
/// (`crate::living_texts`) and what each organ's columns hold (`crate::living_columns`).
fn documents(today: NaiveDate) -> Vec<texts::Doc> {
    let mut out = texts::documents(today);
    out.extend(crate::living_columns::documents(today));
    out
}

/// Writes the explanations of the columns an organ has nothing for (`crate::living_columns`).
/// A column the catalogue does not hold is an error: the demo's words and its tree disagree.
async fn explain_columns(
    tx: &mut Tx,
    today: NaiveDate,
    summary: &mut LivingSummary,
) -> Result<(), ImportError> {
    use crate::living_columns::{Column, notes};
    use gongkai_domain::records::STATUTORY_COLUMN;
    for n in notes(today) {
        let organ = tx
            .find_organ(n.organ)
            .await
            .map_err(err)?
            .ok_or_else(|| ImportError::file(format!("演示机关不存在：{}", n.organ)))?;
        let cats = tx.categories(organ.id).await.map_err(err)?;
        let top = |name: &str| {
            cats.iter()
                .find(|c| c.parent_id.is_none() && c.name == name)
        };
        let found = match n.column {
            Column::Top(name) => top(name),
            Column::Clause(clause) => top(STATUTORY_COLUMN).and_then(|s| {
                cats.iter()
                    .find(|c| c.parent_id == Some(s.id) && c.description.trim() == clause)
            }),
        };
        let c = found.ok_or_else(|| {
            let name = match n.column {
                Column::Top(name) => name.to_string(),
                Column::Clause(clause) => format!("{STATUTORY_COLUMN} › {clause}"),
            };
            ImportError::file(format!("演示数据：{}没有栏目“{name}”", organ.name))
        })?;
        tx.set_category_note(c.id, &n.text, n.on, &n.by)
            .await
            .map_err(err)?;
        summary.explanations += 1;
    }
    Ok(())
}

/// The 办事指南 of the bureau's listed 行政许可 and services, dated the day loaded.
async fn write_guides(
    tx: &mut Tx,
    today: NaiveDate,
    summary: &mut LivingSummary,
) -> Result<(), ImportError> {
    use gongkai_domain::records::MatterKind;
    let bureau = tx
        .find_organ(crate::demo::BUREAU_CODE)
        .await
        .map_err(err)?
        .ok_or_else(|| ImportError::file("演示机关不存在"))?;
    for m in tx.matters(bureau.id).await.map_err(err)? {
        if !matches!(m.kind, MatterKind::Licensing | MatterKind::OtherService)
            || !m.listed_at(today)
        {
            continue;
        }
        if let Some(g) = crate::living_services::guide(&m.name) {
            tx.set_service_guide(m.id, &g, today).await.map_err(err)?;
            summary.guides += 1;
        }
    }
    Ok(())
}

/// Bodies for every demo item without one, the documents' attachments and interpretations'
/// links, the 公示 with their periods and the letters published with their replies.
async fn write_texts(
    tx: &mut Tx,
    cal: &Calendar,
    today: NaiveDate,
    summary: &mut LivingSummary,
) -> Result<(), ImportError> {
    let bureau = tx
        .find_organ(crate::demo::BUREAU_CODE)
        .await
        .map_err(err)?
        .ok_or_else(|| ImportError::file("演示机关不存在"))?;
    let mut organs = vec![bureau.clone()];
    for (code, _, _) in texts::SCHOOL_CODES {
        if let Some(o) = tx.find_organ(code).await.map_err(err)? {
            organs.push(o);
        }
    }
    let documents = documents(today);
    for organ in &organs {
        let items = tx.items_without_body(organ.id).await.map_err(err)?;
        let by_title: std::collections::HashMap<&str, i64> = items
            .iter()
            .map(|(id, t, _, _)| (t.as_str(), *id))
            .collect();
        for (id, title, category, written) in &items {
            let doc = documents.iter().find(|d| d.title == *title);
            let body = match doc {
                Some(d) => d.body.clone(),
                None => texts::body(cal, &organ.name, title, category, *written),
            };
            tx.set_item_body(*id, &body).await.map_err(err)?;
            summary.bodies += 1;
            if texts::attached(category) || doc.is_some_and(|d| d.attach) {
                let docx = texts::docx(title, &body);
                tx.add_attachment(
                    *id,
                    &format!("{}.docx", texts::file_name(title)),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    &docx,
                )
                .await
                .map_err(err)?;
                summary.attachments += 1;
            }
            if let Some(policy) = doc.and_then(|d| d.interprets.as_deref())
                && let Some(&policy_id) = by_title.get(policy)
            {
                tx.link_interpretation(policy_id, *id).await.map_err(err)?;
                summary.interpretations += 1;
            }
        }
    }
    for a in texts::announcements(cal, today) {
        tx.insert_announcement(bureau.id, &a.title, &a.body, a.starts_on, a.ends_on, true)
            .await
            .map_err(err)?;
        summary.announcements += 1;
    }
    for k in texts::consultations(today) {
        let id = tx
            .insert_consultation(bureau.id, &k.title, &k.body, k.starts_on, k.ends_on)
            .await
            .map_err(err)?;
        tx.set_consultation_published(id, true).await.map_err(err)?;
        if let Some(on) = k.feedback_on.filter(|d| *d <= today) {
            tx.set_consultation_feedback(id, &k.feedback, on)
                .await
                .map_err(err)?;
        }
        summary.consultations += 1;
    }
    let channel = tx
        .add_letter_channel(crate::demo::PORTAL_MAILBOX, crate::demo::PORTAL_MAILBOX)
        .await
        .map_err(err)?;
    for (n, l) in texts::portal_letters(cal, today).into_iter().enumerate() {
        let code = format!("LWDEMO{:06}", n + 1);
        let id = tx
            .insert_portal_letter(
                bureau.id,
                channel,
                l.received_on,
                &l.subject,
                &l.body,
                "（演示来信人）",
                "13800000000",
                &code,
            )
            .await
            .map_err(err)?;
        tx.set_letter_publish_consent(id, l.consent)
            .await
            .map_err(err)?;
        if let Some(on) = l.replied_on {
            tx.reply_letter(id, &l.reply, on, l.consent)
                .await
                .map_err(err)?;
            summary.published_letters += usize::from(l.consent);
        }
    }
    Ok(())
}

/// `n` working days after `d` on the calendar; past the years it holds, weekdays only (a
/// demo's 公示 period, not a legal deadline).
pub fn days_after_working(cal: &Calendar, d: NaiveDate, n: u32) -> NaiveDate {
    cal.add_working_days_provisional(d, n)
        .map(|(x, _)| x)
        .unwrap_or_else(|_| {
            let mut x = d;
            let mut left = n;
            while left > 0 {
                x = x + Days::new(1);
                if !matches!(x.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                    left -= 1;
                }
            }
            x
        })
}

/// The day `n` days before `today`.
pub fn days_before(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_move_in_titles_and_numbers_but_other_numbers_stay() {
        assert_eq!(
            shift_years("灵教体许〔2022〕50号", 3),
            "灵教体许〔2025〕50号"
        );
        assert_eq!(
            shift_years("2021—2022学年第一学期12345", 1),
            "2022—2023学年第一学期12345"
        );
        assert_eq!(shift_years("第1号", 3), "第1号");
        assert_eq!(
            shift(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap(), 1),
            NaiveDate::from_ymd_opt(2021, 2, 28).unwrap()
        );
    }
}
