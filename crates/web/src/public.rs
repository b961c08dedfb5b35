//! The public side, no login: home, 公开指南, 公开目录 and item pages, 公示, the 双公示 register,
//! the annual report archive, letters, the RSS feed and the sitemap, and the login form.

use crate::AppState;
use crate::auth::{self, MaybeUser, SESSION_COOKIE, check_form_token, form_token, set_cookie};
use crate::error::{AppError, AppResult};
use crate::reports;
use crate::views::{
    CategoryView, Ctx, ItemView, OrganLink, category_views, date, expired_cookie, is_https, page,
    page_with_form_cookie,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use gongkai_domain::markup::escape_html as xml_escape;
use gongkai_domain::records::{CatalogueItem, ItemStatus, MatterKind, Organ};
use gongkai_store::published::PublishedQuery;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/style.css", get(stylesheet))
        .route("/o/{organ}", get(organ_home))
        .route("/o/{organ}/guide", get(guide))
        .route("/o/{organ}/catalogue", get(catalogue))
        .route("/o/{organ}/notices", get(notices))
        .route("/o/{organ}/double", get(double_publicity))
        .route("/o/{organ}/reports", get(report_archive))
        .route("/o/{organ}/letters", get(letters).post(letter_submit))
        .route("/letters/lookup", get(letter_lookup))
        .route("/items/{id}", get(item_page))
        .route("/attachments/{id}", get(attachment))
        .route("/reports/{id}", get(report_page))
        .route("/reports/{id}/download/{format}", get(report_download))
        .route("/feed.xml", get(feed))
        .route("/sitemap.xml", get(sitemap))
        .route("/sitemaps/pages.xml", get(sitemap_pages))
        .route("/sitemaps/items/{file}", get(sitemap_items))
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

/// An organ by id, or 404.
pub async fn organ_or_404(state: &AppState, id: i64) -> AppResult<Organ> {
    state.db.organ(id).await?.ok_or(AppError::NotFound)
}

/// Published items of the organs given, newest first.
/// One page of published items of these organs (all organs when empty), newest first, with the
/// number of items matched.
async fn published_page(
    state: &AppState,
    q: &PublishedQuery<'_>,
    offset: usize,
    limit: usize,
) -> AppResult<(Vec<CatalogueItem>, usize)> {
    let (items, total) = state
        .db
        .published_page(q, offset as u64, limit as u64)
        .await?;
    Ok((items, total as usize))
}

/// The newest published items of these organs (all organs when empty).
async fn latest_items(state: &AppState, organs: &[i64], n: usize) -> AppResult<Vec<ItemView>> {
    let q = PublishedQuery {
        organs,
        ..Default::default()
    };
    let (items, _) = published_page(state, &q, 0, n).await?;
    item_views(state, &items).await
}

async fn item_views(state: &AppState, items: &[CatalogueItem]) -> AppResult<Vec<ItemView>> {
    let today = state.today();
    let mut cats = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        if let std::collections::btree_map::Entry::Vacant(e) = cats.entry(it.organ_id) {
            e.insert(state.db.categories(it.organ_id).await?);
        }
        out.push(ItemView::new(it, &cats[&it.organ_id], today));
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------ home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    organs: Vec<OrganLink>,
    latest: Vec<ItemView>,
}

async fn home(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> AppResult<Response> {
    let all = state.db.organs().await?;
    let organs = all
        .iter()
        .filter(|o| o.parent_id.is_none())
        .map(OrganLink::from)
        .collect();
    let latest = latest_items(&state, &[], 10).await?;
    page(&HomePage {
        ctx: Ctx::public("政府信息公开", &user, ""),
        organs,
        latest,
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
}

async fn organ_home(
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
    let statutory = state
        .db
        .categories(id)
        .await?
        .into_iter()
        .find(|c| c.name == "法定主动公开内容")
        .map(|c| c.id);
    page(&OrganPage {
        statutory,
        ctx: Ctx::public(format!("{} - 政府信息公开", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        parent,
        units: units.iter().map(OrganLink::from).collect(),
        latest,
        notices,
    })
}

// ------------------------------------------------------------------------------------ guide

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    ctx: Ctx,
    organ: OrganLink,
    s: gongkai_store::portal::OrganSettings,
    categories: Vec<CategoryView>,
    channels: Vec<String>,
}

/// 政府信息公开指南 (art. 12), generated from the office's settings and the catalogue tree, so it
/// is current whenever they are.
async fn guide(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let s = state.db.organ_settings(id).await?;
    let cats = state.db.categories(id).await?;
    let categories = category_views(&cats)
        .into_iter()
        .filter(|c| c.depth == 0)
        .collect();
    let channels = state
        .db
        .letter_channels()
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    page(&GuidePage {
        ctx: Ctx::public(format!("{}政府信息公开指南", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        s,
        categories,
        channels,
    })
}

// ------------------------------------------------------------------------------------ catalogue

#[derive(Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    category: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: String,
}

/// Items per catalogue page.
pub const PAGE_SIZE: usize = 50;

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    ctx: Ctx,
    organ: OrganLink,
    units: Vec<OrganLink>,
    categories: Vec<CategoryView>,
    years: Vec<i32>,
    selected_category: i64,
    selected_year: i32,
    filter_label: String,
    items: Vec<ItemView>,
    total: usize,
    page: usize,
    pages: usize,
    /// The query string of the current filters, for the page links.
    filter_query: String,
}

async fn catalogue(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    Query(q): Query<CatalogueQuery>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let cats = state.db.categories(id).await?;
    let category: i64 = q.category.trim().parse().unwrap_or(0);
    let year: i32 = q.year.trim().parse().unwrap_or(0);
    let years = state.db.published_years(&[id]).await?;
    // A category includes its subcategories.
    let in_category = |cid: i64| {
        let mut cur = cats.iter().find(|c| c.id == cid);
        let mut depth = 0;
        while let Some(c) = cur {
            if c.id == category {
                return true;
            }
            depth += 1;
            if depth > 16 {
                break;
            }
            cur = c.parent_id.and_then(|p| cats.iter().find(|x| x.id == p));
        }
        false
    };
    let subtree: Vec<i64> = cats
        .iter()
        .map(|c| c.id)
        .filter(|&c| in_category(c))
        .collect();
    let mut filter_label = String::new();
    if category != 0 {
        let name = cats
            .iter()
            .find(|c| c.id == category)
            .map(|c| c.name.clone())
            .ok_or(AppError::NotFound)?;
        filter_label.push_str(&format!("栏目：{name}　"));
    }
    if year != 0 {
        filter_label.push_str(&format!("年份：{year}年"));
    }
    let units = state.db.units_of(id).await?;
    let query = PublishedQuery {
        organs: &[id],
        categories: (category != 0).then_some(subtree.as_slice()),
        year: (year != 0).then_some(year),
    };
    let requested = q.page.trim().parse::<usize>().unwrap_or(1).max(1);
    let (mut items, mut total) =
        published_page(&state, &query, (requested - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page_no = requested.min(pages);
    if page_no != requested {
        // Past the last page: show the last one.
        (items, total) =
            published_page(&state, &query, (page_no - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    }
    let mut filter_query = String::new();
    if category != 0 {
        filter_query.push_str(&format!("&category={category}"));
    }
    if year != 0 {
        filter_query.push_str(&format!("&year={year}"));
    }
    page(&CataloguePage {
        ctx: Ctx::public(format!("{}政府信息公开目录", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        units: units.iter().map(OrganLink::from).collect(),
        categories: category_views(&cats),
        years,
        selected_category: category,
        selected_year: year,
        filter_label,
        items: item_views(&state, &items).await?,
        total,
        page: page_no,
        pages,
        filter_query,
    })
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    ctx: Ctx,
    organ: OrganLink,
    item: ItemView,
    body: String,
    attachments: Vec<gongkai_store::portal::AttachmentInfo>,
    interpretations: Vec<ItemView>,
    policies: Vec<ItemView>,
}

/// Loads an item that is public: unpublished ones do not exist for the public.
async fn public_item(state: &AppState, id: i64) -> AppResult<CatalogueItem> {
    match state.db.item(id).await? {
        Some(it) if it.status == ItemStatus::Published => Ok(it),
        _ => Err(AppError::NotFound),
    }
}

async fn item_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let it = public_item(&state, id).await?;
    let organ = organ_or_404(&state, it.organ_id).await?;
    let mut interp = Vec::new();
    for i in state.db.interpretations_of(id).await? {
        if let Ok(x) = public_item(&state, i).await {
            interp.push(x);
        }
    }
    let mut policies = Vec::new();
    for i in state.db.policies_interpreted_by(id).await? {
        if let Ok(x) = public_item(&state, i).await {
            policies.push(x);
        }
    }
    let view = item_views(&state, std::slice::from_ref(&it))
        .await?
        .remove(0);
    page(&ItemPage {
        ctx: Ctx::public(format!("{} - {}", it.title, organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        item: view,
        body: state.db.item_body(id).await?,
        attachments: state.db.attachments(id).await?,
        interpretations: item_views(&state, &interp).await?,
        policies: item_views(&state, &policies).await?,
    })
}

async fn attachment(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (info, data) = state.db.attachment(id).await?.ok_or(AppError::NotFound)?;
    public_item(&state, info.item_id).await?;
    // The name is ASCII-escaped into the header; the browser shows the UTF-8 one (RFC 5987).
    let encoded: String = info
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{encoded}"),
            ),
        ],
        data,
    )
        .into_response())
}

// ------------------------------------------------------------------------------------ 公示

pub struct NoticeView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub period: String,
    pub state: String,
}

impl NoticeView {
    pub fn new(a: gongkai_store::portal::Announcement, today: NaiveDate) -> NoticeView {
        let state = if a.published == 0 {
            "未发布"
        } else if today < a.starts_on {
            "未开始"
        } else if today > a.ends_on {
            "已结束"
        } else {
            "公示中"
        };
        NoticeView {
            id: a.id,
            period: format!("{} 至 {}", a.starts_on, a.ends_on),
            title: a.title,
            body: a.body,
            state: state.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    ctx: Ctx,
    organ: OrganLink,
    notices: Vec<NoticeView>,
}

async fn notices(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let today = state.today();
    let notices = state
        .db
        .announcements(id, false)
        .await?
        .into_iter()
        .map(|a| NoticeView::new(a, today))
        .collect();
    page(&NoticesPage {
        ctx: Ctx::public(format!("{}公示公告", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        notices,
    })
}

pub struct DecisionRow {
    pub kind: String,
    pub matter: String,
    pub number: String,
    pub decided_on: String,
}

#[derive(Template)]
#[template(path = "double.html")]
struct DoublePage {
    ctx: Ctx,
    organ: OrganLink,
    rows: Vec<DecisionRow>,
}

/// 双公示: licensing and penalty decisions.
async fn double_publicity(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let matters = state.db.matters(id).await?;
    let mut rows: Vec<DecisionRow> = state
        .db
        .decisions(id, crate::views::all_dates().0, state.today())
        .await?
        .into_iter()
        .filter_map(|d| {
            let m = matters.iter().find(|m| m.id == d.matter_id)?;
            matches!(m.kind, MatterKind::Licensing | MatterKind::Penalty).then(|| DecisionRow {
                kind: m.kind.label().to_string(),
                matter: m.name.clone(),
                number: d.number.clone(),
                decided_on: d.decided_on.to_string(),
            })
        })
        .collect();
    rows.reverse();
    page(&DoublePage {
        ctx: Ctx::public(
            format!("{}行政许可和行政处罚信息公示", organ.name),
            &user,
            "",
        ),
        organ: OrganLink::from(&organ),
        rows,
    })
}

// ------------------------------------------------------------------------------------ reports

pub struct ReportVersionView {
    pub id: i64,
    pub year: i32,
    pub version: i32,
    pub reason: String,
    pub published_at: String,
    pub latest: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ArchivePage {
    ctx: Ctx,
    organ: OrganLink,
    reports: Vec<ReportVersionView>,
}

pub fn version_views(list: &[gongkai_store::portal::PublishedReport]) -> Vec<ReportVersionView> {
    list.iter()
        .map(|r| ReportVersionView {
            id: r.id,
            year: r.year,
            version: r.version,
            reason: r.reason.clone(),
            published_at: (r.published_at + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            latest: !list
                .iter()
                .any(|x| x.year == r.year && x.version > r.version),
        })
        .collect()
}

async fn report_archive(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let list = state.db.published_reports(id).await?;
    page(&ArchivePage {
        ctx: Ctx::public(format!("{}政府信息公开工作年度报告", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        reports: version_views(&list),
    })
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    ctx: Ctx,
    organ: OrganLink,
    r: ReportVersionView,
    others: Vec<ReportVersionView>,
    fragment: String,
}

async fn report_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let pr = state
        .db
        .published_report(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let organ = organ_or_404(&state, pr.organ_id).await?;
    let stored = reports::StoredReport::from_json(&pr.report_json)?;
    let all = state.db.published_reports(pr.organ_id).await?;
    let same_year: Vec<_> = all.into_iter().filter(|r| r.year == pr.year).collect();
    let views = version_views(&same_year);
    let r = views
        .iter()
        .find(|v| v.id == id)
        .map(|v| ReportVersionView { ..clone_view(v) })
        .ok_or(AppError::NotFound)?;
    let others = views
        .iter()
        .filter(|v| v.id != id)
        .map(clone_view)
        .collect();
    page(&ReportPage {
        ctx: Ctx::public(gongkai_render_title(&stored), &user, ""),
        organ: OrganLink::from(&organ),
        r,
        others,
        fragment: gongkai_render::html::report_fragment(&stored.to_report()),
    })
}

fn clone_view(v: &ReportVersionView) -> ReportVersionView {
    ReportVersionView {
        id: v.id,
        year: v.year,
        version: v.version,
        reason: v.reason.clone(),
        published_at: v.published_at.clone(),
        latest: v.latest,
    }
}

fn gongkai_render_title(s: &reports::StoredReport) -> String {
    format!(
        "{}{}年政府信息公开工作年度报告",
        s.report.organ, s.report.year
    )
}

async fn report_download(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
) -> AppResult<Response> {
    let pr = state
        .db
        .published_report(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = reports::StoredReport::from_json(&pr.report_json)?;
    let base = format!("report-{}-{}-v{}", pr.organ_id, pr.year, pr.version);
    reports::download(&stored, &pr.html, &format, &base)
}

// ------------------------------------------------------------------------------------ letters

#[derive(Deserialize, Default, Clone)]
pub struct LetterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

pub struct PublicLetter {
    pub subject: String,
    pub body: String,
    pub received_on: String,
    pub reply: String,
    pub replied_on: String,
}

#[derive(Template)]
#[template(path = "letters.html")]
struct LettersPage {
    ctx: Ctx,
    organ: OrganLink,
    form: LetterForm,
    errors: Vec<String>,
    letters: Vec<PublicLetter>,
}

async fn letters_page(
    state: &AppState,
    user: Option<auth::CurrentUser>,
    headers: &HeaderMap,
    organ: &Organ,
    form: LetterForm,
    errors: Vec<String>,
) -> AppResult<Response> {
    let (token, new) = form_token(headers);
    let letters = state
        .db
        .portal_letters(organ.id, false)
        .await?
        .into_iter()
        .map(|l| PublicLetter {
            subject: l.subject,
            body: l.body,
            received_on: l.received_on.to_string(),
            reply: l.reply,
            replied_on: date(l.replied_on),
        })
        .collect();
    let mut resp = page_with_form_cookie(
        state,
        &LettersPage {
            ctx: Ctx::public(format!("{}局长信箱", organ.name), &user, &token),
            organ: OrganLink::from(organ),
            form,
            errors: errors.clone(),
            letters,
        },
        &token,
        new,
    )?;
    if !errors.is_empty() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn letters(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    letters_page(
        &state,
        user,
        &headers,
        &organ,
        LetterForm::default(),
        vec![],
    )
    .await
}

#[derive(Template)]
#[template(path = "letter_receipt.html")]
struct LetterReceipt {
    ctx: Ctx,
    organ: OrganLink,
    code: String,
}

async fn letter_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<LetterForm>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    match &user {
        Some(u) => u.check_csrf(&f.csrf)?,
        None => check_form_token(&headers, &f.csrf)?,
    }
    let new = gongkai_app::letters::NewLetter {
        organ_id: id,
        name: f.name.clone(),
        contact: f.contact.clone(),
        subject: f.subject.clone(),
        body: f.body.clone(),
    };
    let code = match gongkai_app::letters::write(&state.app, &gongkai_app::Actor::Public, new).await
    {
        Ok(done) => done.value,
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let errors = crate::admin::messages(&e);
            return letters_page(&state, user, &headers, &organ, f, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    page(&LetterReceipt {
        ctx: Ctx::public("来信已收到", &user, ""),
        organ: OrganLink::from(&organ),
        code,
    })
}

#[derive(Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "letter_lookup.html")]
struct LetterLookupPage {
    ctx: Ctx,
    code: String,
    found: Option<PublicLetter>,
    searched: bool,
}

async fn letter_lookup(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    let code = q.code.trim().to_uppercase();
    let found = if code.is_empty() {
        None
    } else {
        state
            .db
            .portal_letter_by_code(&code)
            .await?
            .map(|l| PublicLetter {
                subject: l.subject,
                body: String::new(),
                received_on: l.received_on.to_string(),
                reply: l.reply,
                replied_on: date(l.replied_on),
            })
    };
    page(&LetterLookupPage {
        ctx: Ctx::public("来信办理查询", &user, ""),
        searched: !code.is_empty(),
        code,
        found,
    })
}

// ------------------------------------------------------------------------------------ feeds

/// The site's own address, from the request (the portal may run under any host name).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if is_https(headers) { "https" } else { "http" };
    format!("{scheme}://{host}")
}

async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let (items, _) = published_page(&state, &PublishedQuery::default(), 0, 50).await?;
    let base = base_url(&headers);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>政府信息公开 - 最新信息</title>",
    );
    x.push_str(&format!("<link>{base}/</link><description>主动公开的政府信息</description><language>zh-cn</language>"));
    for it in &items {
        let d = it.published_on.unwrap_or_default();
        x.push_str(&format!(
            "<item><title>{}</title><link>{base}/items/{}</link><guid>{base}/items/{}</guid><pubDate>{}</pubDate><description>{}</description></item>",
            xml_escape(&it.title),
            it.id,
            it.id,
            d.format("%a, %d %b %Y 00:00:00 +0800"),
            xml_escape(&it.summary)
        ));
    }
    x.push_str("</channel></rss>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        x,
    )
        .into_response())
}

/// The sitemap index: one file for the pages of every organ and its reports, then one file per
/// block of item ids (sitemaps.org allows 50,000 URLs per file, and a province has millions).
async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = base_url(&headers);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    x.push_str(&format!(
        "<sitemap><loc>{}</loc></sitemap>",
        xml_escape(&format!("{base}/sitemaps/pages.xml"))
    ));
    for k in state.db.published_sitemap_chunks().await? {
        x.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>",
            xml_escape(&format!("{base}/sitemaps/items/{k}.xml"))
        ));
    }
    x.push_str("</sitemapindex>\n");
    Ok(xml(x))
}

/// The organs' pages and their published reports.
async fn sitemap_pages(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let organs = state.db.organs().await?;
    let base = base_url(&headers);
    let mut urls = vec![format!("{base}/")];
    for o in &organs {
        for p in [
            "",
            "/guide",
            "/catalogue",
            "/notices",
            "/double",
            "/reports",
            "/letters",
        ] {
            urls.push(format!("{base}/o/{}{p}", o.id));
        }
        for r in state.db.published_reports(o.id).await? {
            urls.push(format!("{base}/reports/{}", r.id));
        }
    }
    Ok(xml(urlset(urls.iter().map(|u| (u.as_str(), None)))))
}

/// One block of published items (`/sitemaps/items/{k}.xml`).
async fn sitemap_items(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let k: i64 = file
        .strip_suffix(".xml")
        .and_then(|k| k.parse().ok())
        .filter(|k| *k >= 0)
        .ok_or(AppError::NotFound)?;
    let items = state.db.published_sitemap_chunk(k).await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    let base = base_url(&headers);
    let urls: Vec<(String, NaiveDate)> = items
        .into_iter()
        .map(|(id, d)| (format!("{base}/items/{id}"), d))
        .collect();
    Ok(xml(urlset(
        urls.iter().map(|(u, d)| (u.as_str(), Some(*d))),
    )))
}

fn urlset<'a>(urls: impl Iterator<Item = (&'a str, Option<NaiveDate>)>) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for (u, d) in urls {
        x.push_str(&format!("<url><loc>{}</loc>", xml_escape(u)));
        if let Some(d) = d {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        x.push_str("</url>");
    }
    x.push_str("</urlset>\n");
    x
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

// ------------------------------------------------------------------------------------ login

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    username: String,
    error: String,
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let (token, new) = form_token(&headers);
    page_with_form_cookie(
        &state,
        &LoginPage {
            ctx: Ctx::public("登录管理后台", &None, &token),
            username: String::new(),
            error: String::new(),
        },
        &token,
        new,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login_submit(
    State(state): State<AppState>,
    auth::ClientAddr(client): auth::ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    check_form_token(&headers, &f.csrf)?;
    let again = |error: String, status: StatusCode| -> AppResult<Response> {
        let (token, new) = form_token(&headers);
        let mut r = page_with_form_cookie(
            &state,
            &LoginPage {
                ctx: Ctx::public("登录管理后台", &None, &token),
                username: f.username.clone(),
                error,
            },
            &token,
            new,
        )?;
        *r.status_mut() = status;
        Ok(r)
    };
    match auth::login(&state, &f.username, &f.password, client.map(|c| c.ip())).await? {
        auth::LoginOutcome::Ok { token, user } => {
            tracing::info!(user = %user.username, "logged in");
            let secure = state.config.secure_cookies || is_https(&headers);
            let max_age = state.config.session_hours * 3600;
            let mut r = Redirect::to("/admin").into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, max_age, secure, "Lax"),
            );
            Ok(r)
        }
        auth::LoginOutcome::Wrong => again("用户名或密码不正确".into(), StatusCode::UNAUTHORIZED),
        auth::LoginOutcome::Locked(until) => again(
            format!(
                "登录失败次数过多，账号已临时锁定，请于 {} 后再试",
                (until + chrono::Duration::hours(8)).format("%H:%M")
            ),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    user: auth::CurrentUser,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    state.db.delete_session(user.token_hash()).await?;
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie(
            SESSION_COOKIE,
            state.config.secure_cookies || is_https(&headers),
        ),
    );
    Ok(r)
}
