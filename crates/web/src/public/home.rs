//! The portal's home page and an organ's home page.

use super::{NoticeView, latest_items, organ_or_404};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::AppResult;
use crate::views::{Ctx, ItemView, OrganLink, page};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    organs: Vec<OrganLink>,
    latest: Vec<ItemView>,
    /// Whether the search box works (an index is loaded).
    search: bool,
}

pub(super) async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Response> {
    let all = state.db.organs().await?;
    let organs = all
        .iter()
        .filter(|o| o.parent_id.is_none())
        .map(OrganLink::from)
        .collect();
    let latest = latest_items(&state, &[], 10).await?;
    page(&HomePage {
        ctx: Ctx::public(String::new(), &user, ""),
        organs,
        latest,
        search: state.search.is_some(),
    })
}

#[derive(Template)]
#[template(path = "organ.html")]
struct OrganPage {
    ctx: Ctx,
    organ: OrganLink,
    parent: Option<OrganLink>,
    units: Vec<OrganLink>,
    latest: Vec<ItemView>,
    notices: Vec<NoticeView>,
    /// The catalogue column of the content art. 20 requires, when the organ's tree has one.
    statutory: Option<i64>,
    /// The column of the organ's 政府信息公开制度, when its tree has one.
    rules: Option<i64>,
    /// How many 行政许可 and public services the organ lists (办事服务 shown when any).
    services: usize,
}

pub(super) async fn organ_home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let units = state.db.units_of(id).await?;
    let scope: Vec<i64> = std::iter::once(id)
        .chain(units.iter().map(|u| u.id))
        .collect();
    let latest = latest_items(&state, &scope, 10).await?;
    let today = state.today();
    let notices = state
        .db
        .announcements(id, false)
        .await?
        .into_iter()
        .filter(|a| a.starts_on <= today && a.ends_on >= today)
        .map(|a| NoticeView::new(a, today))
        .collect();
    let parent = match organ.parent_id {
        Some(p) => state.db.organ(p).await?.as_ref().map(OrganLink::from),
        None => None,
    };
    let cats = state.db.categories(id).await?;
    let top = |name: &str| {
        cats.iter()
            .find(|c| c.parent_id.is_none() && c.name == name)
            .map(|c| c.id)
    };
    let statutory = top(gongkai_domain::records::STATUTORY_COLUMN);
    let rules = top("政府信息公开制度");
    let services = gongkai_app::services::services(&state.app, id).await?.len();
    page(&OrganPage {
        statutory,
        rules,
        services,
        ctx: Ctx::public(format!("{} - 政府信息公开", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        parent,
        units: units.iter().map(OrganLink::from).collect(),
        latest,
        notices,
    })
}
