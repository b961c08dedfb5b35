//! From the store to the index: the documents of published records, a full rebuild, and the
//! calls that keep the index current when something is published, edited or withdrawn.
//!
//! The portal calls [`sync_item`] after every change of a catalogue item's status or content
//! (it indexes a published item and removes anything else), [`sync_letter`] after a reply, and
//! [`sync_report`] after a report is published. Each looks the record up again, so the caller
//! never decides what is public.

use crate::{Doc, Error, Index, Kind, Result, doc_id, extract};
use chrono::NaiveDate;
use gongkai_store::Db;
use gongkai_store::search_feed::{FeedAttachment, FeedItem, FeedLetter, FeedReport};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Items read from the store per query during a rebuild.
const PAGE: i64 = 2000;

/// The index folder that goes with a database: `<file>.search` beside a SQLite file, or
/// `gongkai-search` in the working directory for PostgreSQL and in-memory databases.
pub fn index_dir_for(database_url: &str) -> PathBuf {
    if let Some(rest) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or(rest);
        if !path.is_empty() && !path.contains(":memory:") {
            return PathBuf::from(format!("{path}.search"));
        }
    }
    PathBuf::from("gongkai-search")
}

/// Organ id → its id and its ancestors' ids.
#[derive(Debug, Clone, Default)]
pub struct Organs {
    parent: HashMap<i64, Option<i64>>,
}

impl Organs {
    pub async fn load(db: &Db) -> Result<Organs> {
        let rows = db.feed_organ_parents().await.map_err(store_err)?;
        Ok(Organs {
            parent: rows.into_iter().collect(),
        })
    }

    pub fn chain(&self, organ_id: i64) -> Vec<i64> {
        let mut out = vec![organ_id];
        let mut cur = organ_id;
        while let Some(Some(p)) = self.parent.get(&cur) {
            if out.contains(p) {
                break; // a cycle would be a data error; do not loop on it
            }
            out.push(*p);
            cur = *p;
        }
        out
    }
}

fn store_err(e: gongkai_store::Error) -> Error {
    Error::Invalid(format!("读取数据库失败：{e}"))
}

/// The document of a published item; `attachments` are its files (text extracted here; a file
/// that cannot be read is skipped, the item is still indexed).
pub fn item_doc(item: &FeedItem, attachments: &[FeedAttachment], organs: &Organs) -> Doc {
    let mut body = item.body.clone();
    for a in attachments {
        if let Ok(text) = extract::text_of(&a.filename, &a.content_type, &a.data)
            && !text.trim().is_empty()
        {
            body.push('\n');
            body.push_str(&a.filename);
            body.push('\n');
            body.push_str(&text);
        }
    }
    let unit = if item.issuing_unit.trim().is_empty() || item.issuing_unit == item.organ_name {
        item.organ_name.clone()
    } else {
        format!("{} {}", item.organ_name, item.issuing_unit)
    };
    Doc {
        id: doc_id(Kind::Item, item.id),
        kind: Some(Kind::Item),
        title: item.title.clone(),
        doc_number: item.doc_number.clone(),
        summary: item.summary.clone(),
        body,
        unit,
        organ_ids: organs.chain(item.organ_id),
        category: item.category.clone(),
        date: item.published_on.or(item.written_on),
        validity: if item.validity.is_empty() {
            "in_force".into()
        } else {
            item.validity.clone()
        },
        doc_type: item.doc_kind.clone(),
        url: format!("/items/{}", item.id),
    }
}

/// The document of a letter with a public reply. The writer's name and contact are never part
/// of it.
pub fn letter_doc(l: &FeedLetter, organs: &Organs) -> Doc {
    Doc {
        id: doc_id(Kind::Letter, l.id),
        kind: Some(Kind::Letter),
        title: l.subject.clone(),
        body: format!("{}\n答复：{}", l.body, l.reply),
        unit: l.organ_name.clone(),
        organ_ids: organs.chain(l.organ_id),
        category: "信件".into(),
        date: l.replied_on.or(Some(l.received_on)),
        url: format!("/o/{}/letters", l.organ_id),
        ..Default::default()
    }
}

/// The document of a published annual report (its text read from the published HTML).
pub fn report_doc(r: &FeedReport, organs: &Organs) -> Doc {
    let text = extract::html_text(&r.html);
    Doc {
        id: format!("report:{}-{}", r.organ_id, r.year),
        kind: Some(Kind::Report),
        title: format!("{}{}年政府信息公开工作年度报告", r.organ_name, r.year),
        body: text,
        unit: r.organ_name.clone(),
        organ_ids: organs.chain(r.organ_id),
        category: "年度报告".into(),
        date: r
            .published_at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        url: format!("/reports/{}", r.id),
        ..Default::default()
    }
}

/// Empties the index and fills it with everything public in the store. `progress(done, total)`
/// is called as documents are indexed. Reading the store and indexing run side by side: the
/// store is read here, the index is written on a blocking thread.
pub async fn rebuild(
    db: &Db,
    index: Arc<Index>,
    progress: impl FnMut(u64, u64) + Send + 'static,
) -> Result<u64> {
    let organs = Organs::load(db).await?;
    let items = db.feed_item_count().await.map_err(store_err)?;
    let letters = db.feed_letters().await.map_err(store_err)?;
    let reports = db.feed_reports().await.map_err(store_err)?;
    let total = items as u64 + letters.len() as u64 + reports.len() as u64;
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::result::Result<Doc, String>>(4096);
    let mut progress = progress;
    let writer =
        tokio::task::spawn_blocking(move || index.rebuild(rx, move |n| progress(n, total)));
    let send = |d: std::result::Result<Doc, String>| tx.send(d).is_ok();
    let mut after = 0i64;
    'items: loop {
        let page = match db.feed_items_after(after, PAGE).await {
            Ok(p) => p,
            Err(e) => {
                send(Err(e.to_string()));
                break;
            }
        };
        let Some(last) = page.last() else { break };
        after = last.id;
        let first = page[0].id;
        let mut files: HashMap<i64, Vec<FeedAttachment>> = HashMap::new();
        if page.iter().any(|i| i.attachment_count > 0) {
            match db.feed_attachments(first, after).await {
                Ok(all) => {
                    for a in all {
                        files.entry(a.item_id).or_default().push(a);
                    }
                }
                Err(e) => {
                    send(Err(e.to_string()));
                    break;
                }
            }
        }
        for item in &page {
            let att = files.get(&item.id).map(Vec::as_slice).unwrap_or(&[]);
            if !send(Ok(item_doc(item, att, &organs))) {
                break 'items; // the indexer stopped (an error): it reports why
            }
        }
    }
    for l in &letters {
        send(Ok(letter_doc(l, &organs)));
    }
    for r in &reports {
        send(Ok(report_doc(r, &organs)));
    }
    drop(tx);
    writer
        .await
        .map_err(|e| Error::Invalid(format!("索引线程异常退出：{e}")))?
}

/// Brings one catalogue item's entry up to date: indexed if published, removed otherwise.
/// Call after publishing, editing a published item, withdrawing or deleting.
pub async fn sync_item(db: &Db, index: &Index, item_id: i64) -> Result<()> {
    let id = doc_id(Kind::Item, item_id);
    match db.feed_item(item_id).await.map_err(store_err)? {
        Some(item) => {
            let organs = Organs::load(db).await?;
            let files = if item.attachment_count > 0 {
                db.feed_attachments(item_id, item_id)
                    .await
                    .map_err(store_err)?
            } else {
                Vec::new()
            };
            index.update(&item_doc(&item, &files, &organs))
        }
        None => index.delete(&id),
    }
}

/// Brings one letter's entry up to date (indexed when its reply is public).
pub async fn sync_letter(db: &Db, index: &Index, letter_id: i64) -> Result<()> {
    match db.feed_letter(letter_id).await.map_err(store_err)? {
        Some(l) => {
            let organs = Organs::load(db).await?;
            index.update(&letter_doc(&l, &organs))
        }
        None => index.delete(&doc_id(Kind::Letter, letter_id)),
    }
}

/// Indexes the latest published version of an organ's report of a year.
pub async fn sync_report(db: &Db, index: &Index, organ_id: i64, year: i32) -> Result<()> {
    let reports = db.feed_reports().await.map_err(store_err)?;
    let organs = Organs::load(db).await?;
    for r in reports
        .iter()
        .filter(|r| r.organ_id == organ_id && r.year == year)
    {
        index.update(&report_doc(r, &organs))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_dir_sits_beside_the_database() {
        assert_eq!(
            index_dir_for("sqlite://data/gongkai.db"),
            PathBuf::from("data/gongkai.db.search")
        );
        assert_eq!(
            index_dir_for("sqlite:gongkai.db?mode=rwc"),
            PathBuf::from("gongkai.db.search")
        );
        assert_eq!(
            index_dir_for("postgres://u@h/db"),
            PathBuf::from("gongkai-search")
        );
        assert_eq!(
            index_dir_for("sqlite::memory:"),
            PathBuf::from("gongkai-search")
        );
    }

    #[test]
    fn organ_chain_goes_up_to_the_root() {
        let o = Organs {
            parent: [(1, None), (2, Some(1)), (3, Some(2))]
                .into_iter()
                .collect(),
        };
        assert_eq!(o.chain(3), [3, 2, 1]);
        assert_eq!(o.chain(9), [9]);
    }
}
