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

/// The document of a published item; `attachments` are its files (text extracted here, on this
/// thread, within [`extract::Limits`]; a file that cannot be read is skipped, the item is still
/// indexed). Async callers use [`attachment_texts`] and [`item_doc_with_texts`] instead.
pub fn item_doc(item: &FeedItem, attachments: &[FeedAttachment], organs: &Organs) -> Doc {
    let texts: Vec<(String, String)> = attachments
        .iter()
        .filter_map(|a| {
            extract::text_of(&a.filename, &a.content_type, &a.data)
                .ok()
                .map(|t| (a.filename.clone(), t))
        })
        .collect();
    item_doc_with_texts(item, &texts, organs)
}

/// The texts of attachments, read on a blocking thread within [`extract::Limits`]: per item id,
/// the (file name, text) of each readable file, and the files skipped with the reason.
pub async fn attachment_texts(
    files: Vec<FeedAttachment>,
) -> (
    HashMap<i64, Vec<(String, String)>>,
    Vec<(i64, extract::Skipped)>,
) {
    let ids: Vec<i64> = files.iter().map(|f| f.item_id).collect();
    let read = extract::texts_of_blocking(
        files
            .into_iter()
            .map(|f| (f.filename, f.content_type, f.data))
            .collect(),
    )
    .await;
    let mut texts: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut skipped = Vec::new();
    for (item_id, (filename, r)) in ids.into_iter().zip(read) {
        match r {
            Ok(text) => texts.entry(item_id).or_default().push((filename, text)),
            Err(reason) => {
                tracing::warn!(item_id, %filename, %reason, "attachment indexed without its text");
                skipped.push((item_id, extract::Skipped { filename, reason }));
            }
        }
    }
    (texts, skipped)
}

/// The document of a published item whose attachments' texts (file name, text) are already read.
pub fn item_doc_with_texts(item: &FeedItem, texts: &[(String, String)], organs: &Organs) -> Doc {
    let mut body = item.body.clone();
    for (filename, text) in texts {
        if !text.trim().is_empty() {
            body.push('\n');
            body.push_str(filename);
            body.push('\n');
            body.push_str(text);
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
    let items = db.feed_item_count().await.map_err(store_err)?;
    let total = Arc::new(std::sync::atomic::AtomicU64::new(items as u64));
    let t = total.clone();
    let mut progress = progress;
    let run = Rebuild::start(db, index, move |n| {
        progress(n, t.load(std::sync::atomic::Ordering::Relaxed))
    })
    .await?;
    // Letters and reports are counted once read; items were counted above.
    total.store(
        run.queued().max(items as u64),
        std::sync::atomic::Ordering::Relaxed,
    );
    run.finish().await
}

/// Documents handed to the index writer at a time; the loader may be this many batches ahead.
const BATCHES_AHEAD: usize = 2;

/// A rebuild in progress that also takes documents of records being loaded into the store right
/// now (`bench_data --index`), so loading and indexing run side by side instead of one
/// after the other.
///
/// [`Rebuild::start`] empties the index (for searches, only when the rebuild is finished) and
/// queues everything public in the store; [`Rebuild::add`] queues more documents, and
/// [`Rebuild::finish`] waits for the writer and makes the new content visible at once. If the
/// `Rebuild` is dropped without `finish` (the load failed), the writer rolls back and the old
/// content stays.
pub struct Rebuild {
    index: Arc<Index>,
    /// The change feed's newest change when the rebuild began: the index is current up to it
    /// once the rebuild is finished.
    position: i64,
    tx: Option<tokio::sync::mpsc::Sender<Vec<Doc>>>,
    /// `None` once awaited (after an error).
    writer: Option<tokio::task::JoinHandle<Result<u64>>>,
    finished: Arc<std::sync::atomic::AtomicBool>,
    sent: u64,
}

impl Rebuild {
    /// Starts the writer on a blocking thread and queues every public record of the store (items
    /// with their attachments' text, public letter replies, reports). `progress(done)` is called
    /// now and then with the number of documents indexed.
    pub async fn start(
        db: &Db,
        index: Arc<Index>,
        progress: impl FnMut(u64) + Send + 'static,
    ) -> Result<Rebuild> {
        // Read before the store is: a change committed during the rebuild is after it.
        let position = db.change_bounds().await.map_err(store_err)?.0;
        let handle = index.clone();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Doc>>(BATCHES_AHEAD);
        let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let done = finished.clone();
        let writer = tokio::task::spawn_blocking(move || {
            let mut batch = Vec::new().into_iter();
            let docs = std::iter::from_fn(move || {
                loop {
                    if let Some(d) = batch.next() {
                        return Some(Ok(d));
                    }
                    match rx.blocking_recv() {
                        Some(b) => batch = b.into_iter(),
                        // Closed: either finished, or the loader gave up and nothing may be kept.
                        None if done.load(std::sync::atomic::Ordering::Acquire) => return None,
                        None => return Some(Err("写入数据库未完成，索引保持原状")),
                    }
                }
            });
            index.rebuild(docs, progress)
        });
        let mut run = Rebuild {
            index: handle,
            position,
            tx: Some(tx),
            writer: Some(writer),
            finished,
            sent: 0,
        };
        run.queue_store(db).await?;
        Ok(run)
    }

    /// Queues what the store holds now.
    async fn queue_store(&mut self, db: &Db) -> Result<()> {
        let organs = Organs::load(db).await?;
        let mut after = 0i64;
        loop {
            let page = db.feed_items_after(after, PAGE).await.map_err(store_err)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let first = page[0].id;
            let mut texts = HashMap::new();
            if page.iter().any(|i| i.attachment_count > 0) {
                let files = db.feed_attachments(first, after).await.map_err(store_err)?;
                // pdftotext and the DOCX reader run on a blocking thread, within their limits.
                texts = attachment_texts(files).await.0;
            }
            let docs = page
                .iter()
                .map(|item| {
                    let t = texts.get(&item.id).map(Vec::as_slice).unwrap_or(&[]);
                    item_doc_with_texts(item, t, &organs)
                })
                .collect();
            self.add(docs).await?;
        }
        let letters = db.feed_letters().await.map_err(store_err)?;
        self.add(letters.iter().map(|l| letter_doc(l, &organs)).collect())
            .await?;
        let reports = db.feed_reports().await.map_err(store_err)?;
        self.add(reports.iter().map(|r| report_doc(r, &organs)).collect())
            .await
    }

    /// Queues documents (of records already committed to the store, as [`item_doc`] and the
    /// others make them). Waits while the writer is [`BATCHES_AHEAD`] batches behind.
    pub async fn add(&mut self, docs: Vec<Doc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let n = docs.len() as u64;
        let Some(tx) = self.tx.as_ref() else {
            return Err(stopped());
        };
        if tx.send(docs).await.is_err() {
            // The writer stopped on an error: finishing reports it.
            return self.fail().await;
        }
        self.sent += n;
        Ok(())
    }

    /// Number of documents queued so far.
    pub fn queued(&self) -> u64 {
        self.sent
    }

    async fn fail(&mut self) -> Result<()> {
        self.tx = None;
        let Some(writer) = self.writer.take() else {
            return Err(stopped());
        };
        match writer.await {
            Ok(Err(e)) => Err(e),
            Ok(Ok(_)) => Err(stopped()),
            Err(e) => Err(Error::Invalid(format!("索引线程异常退出：{e}"))),
        }
    }

    /// Waits for every queued document to be indexed, then commits: searches see the new
    /// content. Returns the number of documents.
    pub async fn finish(mut self) -> Result<u64> {
        self.finished
            .store(true, std::sync::atomic::Ordering::Release);
        self.tx = None;
        let Some(writer) = self.writer.take() else {
            return Err(stopped());
        };
        let n = writer
            .await
            .map_err(|e| Error::Invalid(format!("索引线程异常退出：{e}")))??;
        // Whoever rebuilt it (a server, `bench_data --index`), the index says how far it is
        // current, so a server starting on it follows the feed from there instead of
        // rebuilding it again.
        if let Err(e) = save_position(&self.index, self.position) {
            tracing::warn!(error = %e, "feed position not saved");
        }
        Ok(n)
    }
}

/// The file beside the search index that says up to which change of the feed it is current,
/// with the gongkai version that built it.
const POSITION_FILE: &str = "feed-position";

/// The gongkai version that built an index: a new version rebuilds it (the dictionary or the
/// documents may have changed).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Records that `index` is current up to change `position` of the feed (nothing for an index
/// in memory).
pub fn save_position(index: &Index, position: i64) -> std::io::Result<()> {
    if index.dir().as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::write(
        index.dir().join(POSITION_FILE),
        format!("{VERSION} {position}\n"),
    )
}

/// Up to which change `index` is current, when this gongkai version recorded it.
pub fn saved_position(index: &Index) -> Option<i64> {
    let text = std::fs::read_to_string(index.dir().join(POSITION_FILE)).ok()?;
    let (version, pos) = text.trim().split_once(' ')?;
    (version == VERSION).then(|| pos.parse().ok()).flatten()
}

fn stopped() -> Error {
    Error::Invalid("索引线程已因错误停止".into())
}

/// Brings one catalogue item's entry up to date: indexed if published, removed otherwise.
/// Call after publishing, editing a published item, withdrawing or deleting. Attachments that
/// could not be read are logged; [`sync_item_reporting`] returns them.
pub async fn sync_item(db: &Db, index: &Index, item_id: i64) -> Result<()> {
    sync_item_reporting(db, index, item_id).await.map(|_| ())
}

/// [`sync_item`], returning the attachments indexed without their text and why (for the officer
/// who published the item).
pub async fn sync_item_reporting(
    db: &Db,
    index: &Index,
    item_id: i64,
) -> Result<Vec<extract::Skipped>> {
    let id = doc_id(Kind::Item, item_id);
    match db.feed_item(item_id).await.map_err(store_err)? {
        Some(item) => {
            let organs = Organs::load(db).await?;
            let (texts, skipped) = if item.attachment_count > 0 {
                let files = db
                    .feed_attachments(item_id, item_id)
                    .await
                    .map_err(store_err)?;
                attachment_texts(files).await
            } else {
                Default::default()
            };
            let t = texts.get(&item_id).map(Vec::as_slice).unwrap_or(&[]);
            let doc = item_doc_with_texts(&item, t, &organs);
            retrying(&id, || index.update(&doc)).await?;
            Ok(skipped.into_iter().map(|(_, s)| s).collect())
        }
        None => retrying(&id, || index.delete(&id))
            .await
            .map(|_| Vec::new()),
    }
}

/// Pauses between attempts at an index update that failed (the writer held by another process
/// for a moment, a full disk being cleared).
const RETRY_PAUSES_MS: [u64; 3] = [100, 500, 2000];

/// Runs an index update, retrying it after a failure; the last error is returned (and logged
/// here with the document id, so an item left unfindable is never silent).
async fn retrying(doc: &str, mut f: impl FnMut() -> Result<()>) -> Result<()> {
    let mut pauses = RETRY_PAUSES_MS.iter();
    loop {
        match f() {
            Ok(()) => return Ok(()),
            Err(e) => match pauses.next() {
                Some(ms) => {
                    tracing::warn!(doc, error = %e, "search index update failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
                }
                None => {
                    tracing::error!(doc, error = %e, "search index update failed after retries");
                    return Err(e);
                }
            },
        }
    }
}

/// Brings one letter's entry up to date (indexed when its reply is public).
pub async fn sync_letter(db: &Db, index: &Index, letter_id: i64) -> Result<()> {
    let id = doc_id(Kind::Letter, letter_id);
    match db.feed_letter(letter_id).await.map_err(store_err)? {
        Some(l) => {
            let organs = Organs::load(db).await?;
            let doc = letter_doc(&l, &organs);
            retrying(&id, || index.update(&doc)).await
        }
        None => retrying(&id, || index.delete(&id)).await,
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
        let doc = report_doc(r, &organs);
        retrying(&doc.id, || index.update(&doc)).await?;
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
