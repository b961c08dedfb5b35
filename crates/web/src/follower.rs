//! Following the change feed: how one gongkai instance hears of changes made by the others (or
//! by the command line) on the same database.
//!
//! Every write that affects public pages or search appends a row to the feed in its own
//! transaction (`gongkai_store::changes`). This task reads the feed in order of id and, for each
//! batch, updates the search index entries named (`item`, `letter`, `report`) and empties the
//! page cache. It wakes on PostgreSQL's NOTIFY (sent by the writing transaction at commit) and
//! also polls every [`POLL`], which is all it does on SQLite and what catches a missed
//! notification. Changes made through this instance were already applied by
//! [`AppState::refreshed`]; applying them again is harmless (each entry is looked up afresh).
//!
//! State kept by the instance, all of it safe to lose:
//! - the position in the feed: in memory, and written beside the search index
//!   (`feed-position`, with the gongkai version that built the index) after every batch. At
//!   start-up the index is rebuilt from the database when it is empty, when the position is
//!   missing, from another gongkai version, past the feed's end (another database) or older than
//!   the oldest change still kept (pruned); otherwise the follower resumes from it. The position
//!   is written after the index commits, so a crash in between only re-applies changes.
//! - the page cache: empty at start-up.

use crate::{AppState, Reindex};
use gongkai_store::changes::ChangeRow;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

/// How often the feed is read when no notification arrives.
pub const POLL: Duration = Duration::from_secs(1);

/// Changes read per query.
const BATCH: i64 = 500;

/// The file beside the index that says up to which change the index is current.
const POSITION_FILE: &str = "feed-position";

/// The gongkai version that built an index: a new version rebuilds it (the dictionary or the
/// documents may have changed).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Starts following the feed; the returned task runs until the runtime stops.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut f = Follower::start(state).await;
        f.run().await
    })
}

/// One instance's reader of the feed.
pub struct Follower {
    state: AppState,
    /// The id of the last change applied.
    last: i64,
}

impl Follower {
    /// Finds where to start: the saved position when the index is current, else the feed's end
    /// after rebuilding the index.
    pub async fn start(state: AppState) -> Follower {
        let (max, min) = loop {
            match state.db.change_bounds().await {
                Ok(b) => break b,
                Err(e) => {
                    tracing::warn!(error = %e, "change feed unreadable; retrying");
                    tokio::time::sleep(POLL).await;
                }
            }
        };
        let mut f = Follower { state, last: max };
        let Some(index) = f.state.search.clone() else {
            return f;
        };
        let saved = read_position(&position_path(&index));
        let current =
            saved.filter(|&p| !index.is_empty() && p <= max && min.is_none_or(|m| p >= m - 1));
        match current {
            Some(p) => {
                f.last = p;
                tracing::info!(
                    position = p,
                    "search index current up to the change feed's position"
                );
            }
            None => {
                // Changes made while the index is rebuilt are applied afterwards (from `max`).
                f.rebuild().await;
            }
        }
        f
    }

    /// The id of the last change applied.
    pub fn position(&self) -> i64 {
        self.last
    }

    async fn rebuild(&mut self) {
        let Some(index) = self.state.search.clone() else {
            return;
        };
        match gongkai_search::feed::rebuild(&self.state.db, index.clone(), |_, _| {}).await {
            Ok(n) => {
                tracing::info!(documents = n, "search index built");
                self.save();
            }
            Err(e) => tracing::error!(error = %e, "search index not built"),
        }
    }

    fn save(&self) {
        let Some(index) = &self.state.search else {
            return;
        };
        if index.dir().as_os_str().is_empty() {
            return; // an index in memory
        }
        let path = position_path(index);
        if let Err(e) = std::fs::write(&path, format!("{VERSION} {}\n", self.last)) {
            tracing::warn!(error = %e, path = %path.display(), "feed position not saved");
        }
    }

    async fn run(&mut self) {
        let mut listener = None;
        loop {
            if listener.is_none() {
                listener = match self.state.db.listen_changes().await {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for changes; polling only");
                        None
                    }
                };
            }
            if let Err(e) = self.catch_up().await {
                tracing::warn!(error = %e, "change feed unreadable; retrying");
            }
            let lost = match &mut listener {
                Some(l) => tokio::select! {
                    r = l.wait() => r.is_err(),
                    _ = tokio::time::sleep(POLL) => false,
                },
                None => {
                    tokio::time::sleep(POLL).await;
                    false
                }
            };
            if lost {
                listener = None;
            }
        }
    }

    /// Applies every change after the position. Returns how many were applied.
    pub async fn catch_up(&mut self) -> gongkai_store::Result<usize> {
        let mut applied = 0;
        loop {
            let rows = self.state.db.changes_after(self.last, BATCH).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            self.apply(&rows).await;
            applied += rows.len();
            self.last = last;
            self.save();
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        Ok(applied)
    }

    async fn apply(&mut self, rows: &[ChangeRow]) {
        let mut seen = HashSet::new();
        let mut rebuild = false;
        for r in rows {
            if !seen.insert((r.entity.as_str(), r.entity_id.as_str())) {
                continue;
            }
            match what(r) {
                Some(Touch::Entry(x)) => self.state.reindex(x).await,
                Some(Touch::Everything) => rebuild = true,
                None => {}
            }
        }
        if rebuild {
            self.rebuild().await;
        }
        if let Some(cache) = &self.state.page_cache {
            cache.clear();
        }
    }
}

enum Touch {
    Entry(Reindex),
    Everything,
}

/// The search entry a change names, if any (other changes only affect pages).
fn what(r: &ChangeRow) -> Option<Touch> {
    let id = || r.entity_id.parse::<i64>().ok();
    match r.entity.as_str() {
        "item" => id().map(|i| Touch::Entry(Reindex::Item(i))),
        "letter" => id().map(|i| Touch::Entry(Reindex::Letter(i))),
        "report" => {
            let (organ, year) = r.entity_id.split_once(':')?;
            Some(Touch::Entry(Reindex::Report(
                organ.parse().ok()?,
                year.parse().ok()?,
            )))
        }
        "search" if r.kind == "rebuild" => Some(Touch::Everything),
        _ => None,
    }
}

fn position_path(index: &gongkai_search::Index) -> PathBuf {
    index.dir().join(POSITION_FILE)
}

/// The saved position, when it was written by this gongkai version.
fn read_position(path: &std::path::Path) -> Option<i64> {
    let text = std::fs::read_to_string(path).ok()?;
    let (version, pos) = text.trim().split_once(' ')?;
    (version == VERSION).then(|| pos.parse().ok()).flatten()
}
