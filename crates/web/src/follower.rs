//! Following the change feed: how one gongkai instance hears of changes made by the others (or
//! by the command line) on the same database.
//!
//! Every write that affects public pages or search appends a row to the feed in its own
//! transaction (`gongkai_store::changes`). This task reads the feed in order of id and, for each
//! batch, updates the search index entries named (`item`, `letter`, `report`) and empties the
//! page cache. It wakes on PostgreSQL's NOTIFY (sent by the writing transaction at commit) and
//! also polls every [`POLL`], which is all it does on SQLite and what catches a missed
//! notification. Changes made through this instance were already indexed by
//! [`AppState::refreshed`], which notes them in [`OwnWrites`]: the follower does not index them
//! again (it still empties the page cache for them). With a read-only replica
//! (`crate::replica`) the follower also reads the primary's WAL position after each batch and
//! requires the replica to have replayed that far before it serves public pages again — before
//! it empties the page cache.
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
use gongkai_store::Db;
use gongkai_store::changes::ChangeRow;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

/// Search entries this process has updated itself after its own writes, each with the newest
/// change of the feed committed before it read the entry's record: the follower need not index
/// again for a change of that entry up to that id (the entry was read after it committed).
/// Entries are forgotten once the follower has passed them, so the map stays as small as the
/// writes of the last moment.
#[derive(Default)]
pub struct OwnWrites {
    seen: Mutex<HashMap<Reindex, i64>>,
}

impl OwnWrites {
    /// The feed's newest change now: call before reading the record to index. `None` when the
    /// feed cannot be read (the follower then indexes the entry again, which is harmless).
    pub async fn seen(&self, db: &Db) -> Option<i64> {
        db.change_bounds().await.ok().map(|(max, _)| max)
    }

    /// Notes that `entry` was indexed from a read made after change `seen` had committed.
    pub fn indexed(&self, entry: Reindex, seen: Option<i64>) {
        let Some(seen) = seen else { return };
        let mut m = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let v = m.entry(entry).or_insert(seen);
        *v = (*v).max(seen);
    }

    /// True when change `id` of `entry` is already in the index.
    fn covers(&self, entry: Reindex, id: i64) -> bool {
        let m = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        m.get(&entry).is_some_and(|&seen| seen >= id)
    }

    /// Forgets what the follower, now at change `position`, has passed.
    fn forget_up_to(&self, position: i64) {
        let mut m = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, seen| *seen > position);
    }

    /// How many entries are noted (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a [`Follower::catch_up`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CaughtUp {
    /// Changes read from the feed.
    pub changes: usize,
    /// Search entries indexed.
    pub indexed: usize,
    /// Search entries not indexed because this process had indexed them after its own write.
    pub own: usize,
}

/// How often the feed is read when no notification arrives.
pub const POLL: Duration = Duration::from_secs(1);

/// Changes read per query.
const BATCH: i64 = 500;

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
        let saved = gongkai_search::feed::saved_position(&index);
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
        if let Err(e) = gongkai_search::feed::save_position(index, self.last) {
            tracing::warn!(error = %e, "feed position not saved");
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

    /// Applies every change after the position.
    pub async fn catch_up(&mut self) -> gongkai_store::Result<CaughtUp> {
        let mut done = CaughtUp::default();
        loop {
            let rows = self.state.db.changes_after(self.last, BATCH).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                // Nothing new; but a feed that now ends before our position was put back (a
                // restore): read the position again from the feed and rebuild, rather than wait
                // for ids already passed.
                let (max, _) = self.state.db.change_bounds().await?;
                if max < self.last {
                    tracing::warn!(
                        position = self.last,
                        feed_end = max,
                        "the change feed went back (database restored?); rebuilding the search index"
                    );
                    self.last = max;
                    self.rebuild().await;
                    if let Some(cache) = &self.state.page_cache {
                        cache.clear();
                    }
                }
                break;
            };
            // Read after the changes, so past their commits; required before the page cache
            // is emptied (see `crate::replica`).
            if let Some(replica) = &self.state.replica
                && let Some(position) = self.state.db.wal_position().await?
            {
                replica.require(position);
            }
            self.apply(&rows, &mut done).await;
            done.changes += rows.len();
            self.last = last;
            self.state.own_writes.forget_up_to(last);
            self.save();
            if (rows.len() as i64) < BATCH {
                break;
            }
        }
        Ok(done)
    }

    async fn apply(&mut self, rows: &[ChangeRow], done: &mut CaughtUp) {
        // The newest change of each entry decides (an entry is indexed from its current record).
        let mut newest: HashMap<(&str, &str), i64> = HashMap::new();
        for r in rows {
            newest.insert((r.entity.as_str(), r.entity_id.as_str()), r.id);
        }
        let mut seen = HashSet::new();
        let mut rebuild = false;
        for r in rows {
            let key = (r.entity.as_str(), r.entity_id.as_str());
            if !seen.insert(key) {
                continue;
            }
            match what(r) {
                Some(Touch::Entry(x)) if self.state.own_writes.covers(x, newest[&key]) => {
                    done.own += 1;
                }
                Some(Touch::Entry(x)) => done.indexed += usize::from(self.state.reindex(x).await),
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
