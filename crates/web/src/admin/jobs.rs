//! Background jobs (system administrators, read-only): what waits, runs, finished or failed, with
//! its attempts and last error. Jobs are run by `crate::jobs` on whichever instance claims them.

use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::AppResult;
use crate::views::{Ctx, page};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use gongkai_store::changes::JobState;
use serde::Deserialize;

/// Jobs shown, newest first.
const SHOWN: i64 = 200;

pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub state: String,
    pub state_code: String,
    pub attempts: String,
    pub run_at: String,
    pub finished_at: String,
    pub locked_by: String,
    pub last_error: String,
}

#[derive(Deserialize, Default)]
pub struct JobFilter {
    #[serde(default)]
    state: String,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    ctx: Ctx,
    /// (code, label, count) of every state.
    counts: Vec<(String, String, i64)>,
    state: String,
    jobs: Vec<JobView>,
}

pub(super) async fn jobs(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<JobFilter>,
) -> AppResult<Response> {
    user.require_role(Perm::System)?;
    let zone = state.app.time.zone();
    let at = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&zone)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let filter = JobState::parse(f.state.trim());
    let (jobs, counts) =
        gongkai_app::office::jobs(&state.app, &user.actor(), filter, SHOWN).await?;
    let counts = counts
        .into_iter()
        .map(|(s, n)| (s.code().to_string(), s.label().to_string(), n))
        .collect();
    let jobs = jobs
        .into_iter()
        .map(|j| JobView {
            id: j.id,
            kind: crate::jobs::kind_label(&j.kind).to_string(),
            key: j.key,
            state: JobState::parse(&j.state).map_or(j.state.clone(), |s| s.label().to_string()),
            state_code: j.state,
            attempts: format!("{}/{}", j.attempts, j.max_attempts),
            run_at: at(j.run_at),
            finished_at: j.finished_at.map(at).unwrap_or_default(),
            locked_by: j.locked_by,
            last_error: j.last_error,
        })
        .collect();
    page(&JobsPage {
        ctx: Ctx::admin("后台任务", &user),
        counts,
        state: filter.map(|s| s.code().to_string()).unwrap_or_default(),
        jobs,
    })
}
