//! The public side, no login: home, 公开指南, 公开目录 and item pages, 公示, the 双公示 register,
//! the annual report archive, letters, the RSS feed and the sitemap, and the login form.

use crate::AppState;
use crate::auth::{self, MaybeUser, SESSION_COOKIE, check_form_token, form_token, set_cookie};
use crate::error::{AppError, AppResult};
use crate::ratelimit::{self, ClientIp};
use crate::reports;
use crate::views::{
    CategoryView, Ctx, ItemView, OrganLink, category_views, expired_cookie, is_https, page,
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
use gongkai_domain::records::{CatalogueItem, ItemStatus, Organ};
use gongkai_store::published::PublishedQuery;
use serde::Deserialize;

mod catalogue;
mod consultations;
mod double;
mod home;
mod letters;
mod registers;
mod services;
mod site;
mod statutory;

use catalogue::catalogue;
pub use catalogue::{CatalogueQuery, PAGE_SIZE, page_links};
use home::{home, organ_home};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/style.css", get(stylesheet))
        .route("/favicon.ico", get(favicon))
        .route("/static/favicon.svg", get(favicon))
        .route("/sitemap", get(sitemap_page))
        .route("/o/{organ}", get(organ_home))
        .route("/o/{organ}/guide", get(guide))
        .route("/o/{organ}/catalogue", get(catalogue))
        .route("/o/{organ}/notices", get(notices))
        .route("/o/{organ}/reports", get(report_archive))
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
        .merge(letters::routes())
        .merge(double::routes())
        .merge(site::routes())
        .merge(services::routes())
        .merge(registers::routes())
        .merge(consultations::routes())
}

/// The site's one style sheet: the portal's own rules, then the report's (scoped under
/// `.gk-report`, the same rules the standalone download carries in its `<style>`), so report
/// pages are styled under the strict policy `style-src 'self'` without any inline style.
pub fn site_css() -> &'static str {
    static CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{}\n/* The annual report (gongkai_render::html::CSS) */\n{}",
            include_str!("../static/style.css"),
            gongkai_render::html::CSS
        )
    });
    &CSS
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        site_css(),
    )
        .into_response()
}

/// The site's icon (an SVG, which browsers accept at `/favicon.ico` too).
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/favicon.svg"),
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
    // One statement (`Db::item_page`).
    let p = state.db.item_page(id).await?.ok_or(AppError::NotFound)?;
    let today = state.today();
    let views = |items: &[CatalogueItem]| -> Vec<ItemView> {
        items
            .iter()
            .map(|it| ItemView::new(it, &p.categories, today))
            .collect()
    };
    page(&ItemPage {
        ctx: Ctx::public(format!("{} - {}", p.item.title, p.organ.name), &user, ""),
        organ: OrganLink::from(&p.organ),
        item: ItemView::new(&p.item, &p.categories, today),
        interpretations: views(&p.interpretations),
        policies: views(&p.policies),
        body: p.body,
        attachments: p.attachments,
    })
}

async fn attachment(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (info, data) = state.db.attachment(id).await?.ok_or(AppError::NotFound)?;
    public_item(&state, info.item_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                crate::views::attachment_disposition(&info.filename),
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
    /// The catalogue's 公示公告 column, when the organ's tree has one: its id and a page of it.
    column: Option<i64>,
    items: Vec<ItemView>,
    total: usize,
    page: usize,
    pages: usize,
    page_links: Vec<usize>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

async fn notices(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
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
    // The items the office filed under 公示公告 in its catalogue are 公示 too.
    let cats = state.db.categories(id).await?;
    let column = cats
        .iter()
        .find(|c| c.name.contains("公示公告") || c.name == "公示")
        .map(|c| c.id);
    let (mut items, mut total, mut page_no, mut pages) = (vec![], 0, 1, 1);
    if let Some(col) = column {
        let mut subtree = vec![col];
        let mut i = 0;
        while i < subtree.len() {
            let p = subtree[i];
            subtree.extend(cats.iter().filter(|c| c.parent_id == Some(p)).map(|c| c.id));
            i += 1;
        }
        let query = PublishedQuery {
            organs: &[id],
            categories: Some(subtree.as_slice()),
            ..Default::default()
        };
        let requested = q.page.trim().parse::<usize>().unwrap_or(1).max(1);
        let (list, n) =
            published_page(&state, &query, (requested - 1) * PAGE_SIZE, PAGE_SIZE).await?;
        total = n;
        pages = n.div_ceil(PAGE_SIZE).max(1);
        page_no = requested.min(pages);
        items = if page_no == requested {
            item_views(&state, &list).await?
        } else {
            let (list, _) =
                published_page(&state, &query, (page_no - 1) * PAGE_SIZE, PAGE_SIZE).await?;
            item_views(&state, &list).await?
        };
    }
    page(&NoticesPage {
        ctx: Ctx::public(format!("{}公示公告", organ.name), &user, ""),
        organ: OrganLink::from(&organ),
        notices,
        column,
        items,
        total,
        page: page_no,
        pages,
        page_links: page_links(page_no, pages),
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
    /// The version that corrected this one (0 for the version in force).
    pub superseded_by: i32,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ArchivePage {
    ctx: Ctx,
    organ: OrganLink,
    reports: Vec<ReportVersionView>,
}

/// The published versions, newest year first and, within a year, the version in force (the
/// latest correction) before those it superseded.
pub fn version_views(list: &[gongkai_store::portal::PublishedReport]) -> Vec<ReportVersionView> {
    let mut sorted: Vec<&gongkai_store::portal::PublishedReport> = list.iter().collect();
    sorted.sort_by(|a, b| b.year.cmp(&a.year).then(b.version.cmp(&a.version)));
    sorted
        .into_iter()
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
            superseded_by: list
                .iter()
                .filter(|x| x.year == r.year && x.version > r.version)
                .map(|x| x.version)
                .min()
                .unwrap_or(0),
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
    // The signature block carries the day the version was published (the stored JSON leaves
    // the date out), as in every downloaded file.
    let (report, stats) = gongkai_app::exports::published_report(&pr)?;
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
        // The charts of the published files too, from the figures frozen at publication.
        fragment: match stats.filter(|s| !s.is_empty()) {
            Some(s) => gongkai_render::html::report_fragment_with_stats(&report, &s),
            None => gongkai_render::html::report_fragment(&report),
        },
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
        superseded_by: v.superseded_by,
    }
}

fn gongkai_render_title(s: &reports::StoredReport) -> String {
    format!(
        "{}{}年政府信息公开工作年度报告",
        s.report.organ, s.report.year
    )
}

/// A published version's file, from the one export use case: made once and kept (a query
/// string or a second instance gets the same kept bytes), rendered off the async workers within
/// the exporter's bounds (503 with Retry-After past them).
async fn report_download(
    State(state): State<AppState>,
    Path((id, format)): Path<(i64, String)>,
) -> AppResult<Response> {
    let format = gongkai_app::exports::Format::parse(&format).ok_or(AppError::NotFound)?;
    let file = gongkai_app::exports::published(&state.app, id, format).await?;
    Ok(reports::answer(file))
}

// ------------------------------------------------------------------------------------ 网站地图

pub struct SitemapOrgan {
    pub organ: OrganLink,
    pub units: Vec<OrganLink>,
    pub reports: Vec<ReportVersionView>,
}

#[derive(Template)]
#[template(path = "sitemap.html")]
struct SitemapPage {
    ctx: Ctx,
    organs: Vec<SitemapOrgan>,
}

/// The 网站地图 for people (the XML sitemap at `/sitemap.xml` is for crawlers).
async fn sitemap_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> AppResult<Response> {
    let all = state.db.organs().await?;
    let mut organs = Vec::new();
    for o in all.iter().filter(|o| o.parent_id.is_none()) {
        let reports = version_views(&state.db.published_reports(o.id).await?)
            .into_iter()
            .filter(|r| r.latest)
            .collect();
        organs.push(SitemapOrgan {
            organ: OrganLink::from(o),
            units: all
                .iter()
                .filter(|u| u.parent_id == Some(o.id))
                .map(OrganLink::from)
                .collect(),
            reports,
        });
    }
    page(&SitemapPage {
        ctx: Ctx::public("网站地图", &user, ""),
        organs,
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
    // The annual reports, each year's latest version.
    for o in state.db.organs().await? {
        for r in version_views(&state.db.published_reports(o.id).await?)
            .into_iter()
            .filter(|r| r.latest)
        {
            let title = format!("{}{}年政府信息公开工作年度报告", o.name, r.year);
            x.push_str(&format!(
                "<item><title>{}</title><link>{base}/reports/{}</link><guid>{base}/reports/{}</guid><description>{}</description></item>",
                xml_escape(&title),
                r.id,
                r.id,
                xml_escape(&format!("{title}（第{}版，发布于{}）", r.version, r.published_at)),
            ));
        }
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
    let mut urls = vec![format!("{base}/"), format!("{base}/sitemap")];
    for o in &organs {
        for p in [
            "",
            "/guide",
            "/catalogue",
            "/notices",
            "/double",
            "/reports",
            "/letters",
            "/consultations",
            "/fees",
            "/procurements",
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
    /// Where to go after logging in (a local path).
    next: String,
    error: String,
    /// Said after a password change, which ends the session.
    notice: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    changed: String,
    /// The page asked for before the login (a local path), to return to after it.
    #[serde(default)]
    next: String,
}

/// `next` when it is a path on this site (`/admin/items/3?x=1`), else `/admin`: never another
/// host (`//evil.example`, `/\evil.example`, `https://…`), so the login cannot be used to send a
/// person elsewhere.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2000
        && !next.starts_with("/login")
        && !next.starts_with("/logout");
    if local {
        next.to_string()
    } else {
        "/admin".to_string()
    }
}

/// A page behind the login asked for without a session redirects to `/login?next=<the page>`,
/// so the person lands where they were going (a link in an e-mail, a bookmarked case file).
pub async fn login_keeps_the_page_asked(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = (req.method() == axum::http::Method::GET)
        .then(|| {
            req.uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default()
        })
        .filter(|p| p != "/admin" && p != "/");
    let mut r = next.run(req).await;
    if let Some(asked) = asked
        && r.status() == StatusCode::SEE_OTHER
        && r.headers()
            .get(header::LOCATION)
            .is_some_and(|l| l == "/login")
        && let Ok(v) = axum::http::HeaderValue::from_str(&format!(
            "/login?next={}",
            crate::views::percent_encode(&asked)
        ))
    {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let (token, new) = form_token(&headers);
    page_with_form_cookie(
        &state,
        &LoginPage {
            ctx: Ctx::public("登录管理后台", &None, &token),
            username: String::new(),
            next: safe_next(&q.next),
            error: String::new(),
            notice: if q.changed == "1" {
                "密码已修改，请用新密码登录。".into()
            } else {
                String::new()
            },
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
    #[serde(default)]
    next: String,
}

async fn login_submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
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
                next: safe_next(&f.next),
                error,
                notice: String::new(),
            },
            &token,
            new,
        )?;
        *r.status_mut() = status;
        Ok(r)
    };
    // The login's rate limit was counted before the body was read (`ratelimit::before_body`).
    let device = auth::cookie(&headers, auth::DEVICE_COOKIE);
    match auth::login(&state, &f.username, &f.password, client, device).await? {
        auth::LoginOutcome::Ok {
            token,
            user,
            device,
        } => {
            tracing::info!(user = %user.username, "logged in");
            let secure = state.config.secure_cookies || is_https(&headers);
            let max_age = state.config.session_hours * 3600;
            let mut r = Redirect::to(&safe_next(&f.next)).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, max_age, secure, "Lax"),
            );
            if let Some(d) = device {
                r.headers_mut()
                    .append(header::SET_COOKIE, auth::device_cookie(&d, secure));
            }
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

// ------------------------------------------------------------------------------------ 依申请公开

/// The online application (依申请公开): the form, its receipt and the status lookup. Not under
/// the page cache: every answer here is one person's.
pub fn apply_routes() -> Router<AppState> {
    Router::new()
        .route("/o/{organ}/apply", get(apply_form).post(apply_submit))
        .route("/apply/receipt", get(apply_receipt))
        .route("/apply/lookup", get(apply_lookup))
        .route("/apply/reply", get(apply_reply_download))
        .route("/apply/file", get(apply_file_download))
        .merge(letters::receipt_routes())
}

/// What an applicant fills in online.
#[derive(Deserialize, Default, Clone)]
pub struct OnlineApplyForm {
    #[serde(default)]
    csrf: String,
    /// The form's one-time token: the query code is derived from it, so the same form filed
    /// twice (reload, back and submit, double click) finds the case it already made.
    #[serde(default)]
    once: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_kind: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    form: String,
}

/// The errors of a form, each beside its field (and listed together above the form).
#[derive(Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }
    /// The message for one field, or "" (templates show it beside the field).
    pub fn of(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
    pub fn all(&self) -> &[(&'static str, String)] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The query code belonging to a one-time form token (12 characters of the query-code
/// alphabet, from its SHA-256).
fn code_of_once(purpose: &str, once: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    Sha256::digest(format!("{purpose}:{once}").as_bytes())
        .iter()
        .take(12)
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect()
}

fn valid_once(once: &str) -> bool {
    once.len() == 64 && once.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks the whole form at once; every problem is reported beside its field. The applicant
/// is checked by the application layer's one validator (`gongkai_app::applicants`), the same
/// for the back office's paper registration and the command line.
fn check_online_application(
    f: &OnlineApplyForm,
) -> Result<gongkai_domain::application::events::Applicant, FieldErrors> {
    let mut e = FieldErrors::default();
    let applicant = gongkai_app::applicants::check_applicant(
        &gongkai_app::applicants::ApplicantInput {
            applicant_type: f.applicant_type.clone(),
            name: f.name.clone(),
            id_kind: f.id_kind.clone(),
            id_number: f.id_number.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            address: f.address.clone(),
        },
        f.form == "电子邮件",
    );
    if let Err(v) = &applicant {
        for fe in v {
            e.add(fe.field, fe.message.clone());
        }
    }
    if let Some(fe) = gongkai_app::applicants::check_description(&f.description) {
        e.add(fe.field, fe.message);
    }
    if !["电子文档", "纸质", "电子邮件"].contains(&f.form.as_str()) {
        e.add("form", "请选择获取信息的方式");
    }
    match applicant {
        Ok(a) if e.is_empty() => Ok(a),
        _ => Err(e),
    }
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    ctx: Ctx,
    organ: OrganLink,
    form: OnlineApplyForm,
    types: Vec<(String, String)>,
    id_kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

async fn apply_page(
    state: &AppState,
    user: Option<auth::CurrentUser>,
    headers: &HeaderMap,
    organ: &Organ,
    form: OnlineApplyForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    use gongkai_domain::application::ApplicantType;
    use gongkai_domain::application::validate::IdKind;
    let (token, new) = form_token(headers);
    let invalid = !errors.is_empty();
    let types = ApplicantType::ALL
        .iter()
        .map(|t| {
            (
                serde_json::to_value(t)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                t.label().to_string(),
            )
        })
        .collect();
    let r = page_with_form_cookie(
        state,
        &ApplyPage {
            ctx: Ctx::public(
                if invalid {
                    format!("（填写有误）{}政府信息公开申请", organ.name)
                } else {
                    format!("{}政府信息公开申请", organ.name)
                },
                &user,
                &token,
            ),
            organ: OrganLink::from(organ),
            form,
            types,
            id_kinds: IdKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
            errors,
        },
        &token,
        new,
    )?;
    Ok(form_page_answer(r, invalid))
}

/// A public form's page as answered: 422 when it comes back with mistakes, and never kept by a
/// cache (it carries the form's one-time token).
fn form_page_answer(mut r: Response, invalid: bool) -> Response {
    if invalid {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

async fn apply_form(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    let form = OnlineApplyForm {
        once: auth::random_token(),
        applicant_type: "natural_person".into(),
        id_kind: "resident_id".into(),
        form: "电子文档".into(),
        ..Default::default()
    };
    apply_page(&state, user, &headers, &organ, form, FieldErrors::default()).await
}

async fn apply_submit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(mut f): Form<OnlineApplyForm>,
) -> AppResult<Response> {
    let organ = organ_or_404(&state, id).await?;
    match &user {
        Some(u) => u.check_csrf(&f.csrf)?,
        None => check_form_token(&headers, &f.csrf)?,
    }
    if !valid_once(&f.once) {
        return Err(AppError::BadRequest(
            "表单已过期，请返回申请页面刷新后重新填写".into(),
        ));
    }
    let code = code_of_once("gongkai-apply", &f.once);
    let receipt = Redirect::to(&format!("/apply/receipt?code={code}")).into_response();
    // Filed already (the same form sent again): show the receipt of that one case.
    if state.db.application_id_by_code(&code).await?.is_some() {
        return Ok(receipt);
    }
    let applicant = match check_online_application(&f) {
        Ok(a) => a,
        Err(errors) => {
            f.csrf.clear();
            return apply_page(&state, user, &headers, &organ, f, errors).await;
        }
    };
    // Only an accepted application counts against the address's limit (issue 28): one sent
    // back with its mistakes counted only against the higher limit of submissions.
    if user.is_none()
        && let Err(refused) = ratelimit::accept(&state, ratelimit::Kind::Application, ip, id).await
    {
        let mut errors = FieldErrors::default();
        errors.add("form-errors", refused.message());
        f.csrf.clear();
        let page = apply_page(&state, user, &headers, &organ, f, errors).await?;
        return Ok(refused.apply(page));
    }
    // Online: received on the day both sides confirm (art. 31); the receipt is that confirmation.
    // The use case dates it today and writes the case, its code and its audit row together.
    let new = gongkai_store::applications::NewApplication {
        organ_id: id,
        channel: gongkai_domain::application::events::Channel::Online,
        submitted_on: state.today(),
        received_on: state.today(),
        applicant,
        description: f.description.trim().to_string(),
        form: f.form.trim().to_string(),
    };
    gongkai_app::applications::register_online(&state.app, new, &code).await?;
    Ok(receipt)
}

#[derive(Deserialize, Default)]
pub struct ApplyCodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Template)]
#[template(path = "apply_receipt.html")]
struct ApplyReceiptPage {
    ctx: Ctx,
    organ: OrganLink,
    number: String,
    received_on: String,
    due_on: String,
    code: String,
}

/// The page refusing a query-code lookup (or a download by code) from an address past its limit.
async fn lookup_refused(state: &AppState, ip: Option<std::net::IpAddr>) -> Option<Response> {
    ratelimit::check(state, ratelimit::Kind::Lookup, ip)
        .await
        .err()
        .map(|refused| refused.page("查询"))
}

/// The receipt after filing (the Get of Post/Redirect/Get): reloading it files nothing.
async fn apply_receipt(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<ApplyCodeQuery>,
) -> AppResult<Response> {
    let code = q.code.trim().to_uppercase();
    if user.is_none()
        && !code.is_empty()
        && let Some(refused) = lookup_refused(&state, ip).await
    {
        return Ok(refused);
    }
    let id = state
        .db
        .application_id_by_code(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = state.db.application(id).await?.ok_or(AppError::NotFound)?;
    let organ = organ_or_404(&state, r.organ_id).await?;
    // A deadline the calendar does not reach yet is stated as provisional, never left out.
    let due_on = match r.due_on {
        Some(d) => cn_date(d),
        None => {
            let events = state.db.application_events(id).await?;
            let case = gongkai_domain::application::workflow::Application::from_events(&events)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let cal = state.db.calendar().await?;
            match gongkai_domain::application::clock::compute_provisional(
                &case,
                &cal,
                state.today(),
            ) {
                (c, true) => c
                    .due
                    .map(|d| format!("预计{}（以国务院办公厅公布的节假日安排为准）", cn_date(d)))
                    .unwrap_or_default(),
                _ => String::new(),
            }
        }
    };
    let mut resp = page(&ApplyReceiptPage {
        ctx: Ctx::public("申请已提交", &user, ""),
        organ: OrganLink::from(&organ),
        number: r.number,
        received_on: cn_date(r.received_on),
        due_on,
        code,
    })?;
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

/// A date as people write it: 2025年3月10日.
pub fn cn_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// A reply in the words a citizen uses: the outcome, then why, in one sentence. Never the
/// counting labels of table 三 (those belong to the annual report).
pub fn reply_in_plain_words(
    r: gongkai_domain::application::ReplyResult,
) -> (&'static str, &'static str) {
    use gongkai_domain::application::ReplyResult as R;
    match r {
        R::Disclosed => (
            "公开",
            "您申请的政府信息已全部向您公开（或已告知您获取该信息的方式和途径）。",
        ),
        R::PartlyDisclosed => (
            "部分公开",
            "您申请的信息中有部分内容依法不能公开，其余内容已向您公开；不能公开的部分和理由见答复书。",
        ),
        R::StateSecret => ("不予公开", "您申请的信息属于国家秘密，依法不能公开。"),
        R::ForbiddenByLaw => (
            "不予公开",
            "有法律、行政法规禁止公开您申请的信息，因此不能公开。",
        ),
        R::ThreeSafetiesOneStability => (
            "不予公开",
            "公开您申请的信息可能危及国家安全、公共安全、经济安全或者社会稳定，因此不能公开。",
        ),
        R::ThirdPartyRights => (
            "不予公开",
            "您申请的信息涉及他人的商业秘密或个人隐私，公开会损害他人的合法权益，因此不能公开。",
        ),
        R::InternalAffairs => (
            "不予公开",
            "您申请的信息是机关内部的人事管理、后勤管理或内部工作流程等事务信息，依法可以不公开。",
        ),
        R::ProcessInformation => (
            "不予公开",
            "您申请的信息是讨论记录、过程稿、请示报告等尚未形成最终结论的过程性信息，依法可以不公开。",
        ),
        R::EnforcementFile => ("不予公开", "您申请的信息属于行政执法案卷，依法可以不公开。"),
        R::QueryProcedure => (
            "不予公开",
            "您申请的信息有专门的查询办法，请按答复书告知的途径查询。",
        ),
        R::NotHeld => (
            "无法提供",
            "本机关没有您申请的信息；如知道由哪个机关负责，答复书中已告知。",
        ),
        R::WouldNeedMaking => (
            "无法提供",
            "您申请的信息本机关没有现成的，需要另行制作或加工分析，依法可以不予提供。",
        ),
        R::UnclearAfterCorrection => (
            "无法提供",
            "补正后申请内容仍不明确，本机关无法确定您需要哪些信息。",
        ),
        R::PetitionOrComplaint => (
            "不予处理",
            "您的申请实际是信访、投诉或举报，本机关已告知您按相应渠道提出。",
        ),
        R::Repeated => (
            "不予处理",
            "您此前已申请过相同的信息并已获答复，本次不再重复处理。",
        ),
        R::Publication => (
            "不予处理",
            "您申请的是公开出版物，请通过购买、借阅等途径获取。",
        ),
        R::ExcessiveRepetition => (
            "不予处理",
            "申请的数量或频次明显超过合理范围，本机关依法不予处理，理由见答复书。",
        ),
        R::ConfirmOrReissue => (
            "不予处理",
            "您要求确认或重新提供已经获取的信息，本机关依法不再重复处理。",
        ),
        R::NoCorrectionInTime => (
            "申请终止",
            "您没有在规定期限内补正申请，视为放弃申请，本机关不再处理。",
        ),
        R::FeeNotPaid => (
            "申请终止",
            "您没有在规定期限内缴纳信息处理费，视为放弃申请，本机关不再处理。",
        ),
        R::Other => ("办理终止", "本申请已终止办理，具体原因见答复书。"),
    }
}

/// What the status lookup shows: the case, never the applicant.
pub struct PublicCase {
    pub number: String,
    pub organ: String,
    pub description: String,
    pub received_on: String,
    pub status: String,
    pub open: bool,
    pub due_on: String,
    pub closed_on: String,
    pub outcome: String,
    pub outcome_reason: String,
    pub withheld: Vec<(String, String)>,
    /// The query string of the reply's download, when a reply notice was issued.
    pub reply: Option<String>,
    pub replied_on: String,
    /// The latest delivery of the reply, in words (`2025年3月12日邮寄送达`).
    pub delivered: String,
    /// Files released with the reply: (query string of the download, file name).
    pub files: Vec<(String, String)>,
    pub review_body: String,
    pub court: String,
    /// How the reply may be challenged: `choice` (review or suit), `review_first`, `appeal`
    /// (申诉, a public institution under art. 55), or empty (none: the case ended on the
    /// applicant's act or silence, or is open).
    pub remedy: &'static str,
    pub appeal_body: String,
    /// Every reply sent, the current one first; a reply later withdrawn or corrected by the
    /// organ stays listed, marked so.
    pub replies: Vec<PublicReply>,
    /// The steps taken so far, as the applicant reads them: (date, words).
    pub progress: Vec<(String, String)>,
}

/// A reply the applicant was sent.
pub struct PublicReply {
    /// The query string of its download.
    pub query: String,
    pub number: String,
    pub issued_on: String,
    /// Empty for the reply in force; else why it no longer is.
    pub superseded: String,
}

#[derive(Template)]
#[template(path = "apply_lookup.html")]
struct LookupPage {
    ctx: Ctx,
    code: String,
    searched: bool,
    found: Option<PublicCase>,
}

async fn apply_lookup(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<ApplyCodeQuery>,
) -> AppResult<Response> {
    let code = q.code.trim().to_uppercase();
    if user.is_none()
        && !code.is_empty()
        && let Some(refused) = lookup_refused(&state, ip).await
    {
        return Ok(refused);
    }
    let mut found = None;
    if !code.is_empty()
        && let Some(id) = state.db.application_id_by_code(&code).await?
        && let Some(r) = state.db.application(id).await?
    {
        let organ = organ_or_404(&state, r.organ_id).await?;
        let settings = state.db.organ_settings(r.organ_id).await?;
        let events = state.db.application_events(id).await?;
        let app = gongkai_domain::application::workflow::Application::from_events(&events)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let today = state.today();
        let open = r.status.is_open();
        // A closing date after today is an entry error on the office's side: never shown as if
        // it had happened.
        let closed = r.closed_on.filter(|d| *d <= today);
        let (outcome, outcome_reason) = match (open, r.result) {
            (false, Some(res)) => reply_in_plain_words(res),
            _ => ("", ""),
        };
        // Every reply sent stays listed: a voided one (the organ withdrew it) is marked, never
        // removed; the one in force is the last issued by a step that stands.
        let voided: Vec<i64> = state
            .db
            .application_log(id)
            .await?
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(e, _)| e.seq)
            .collect();
        let sent: Vec<_> = state
            .db
            .application_notices(id)
            .await?
            .into_iter()
            .filter(|n| {
                n.kind == gongkai_domain::application::notice::NoticeKind::Reply
                    && n.issued_on <= today
            })
            .collect();
        let reply = sent
            .iter()
            .rfind(|n| !voided.contains(&n.event_seq) && !open)
            .cloned();
        let mut replies: Vec<PublicReply> = sent
            .iter()
            .rev()
            .map(|n| PublicReply {
                query: format!("code={code}&seq={}", n.event_seq),
                number: n.number.clone(),
                issued_on: cn_date(n.issued_on),
                superseded: if voided.contains(&n.event_seq) {
                    if reply.is_some() {
                        "已由本机关撤销，以新的答复书为准".into()
                    } else {
                        "已由本机关撤销，将重新答复".into()
                    }
                } else {
                    String::new()
                },
            })
            .collect();
        // The reply in force first.
        replies.sort_by_key(|p| !p.superseded.is_empty());
        use gongkai_domain::application::reply::RemedyKind;
        let remedy = match (open, r.result) {
            (false, Some(res)) if settings.public_institution != 0 => {
                if RemedyKind::of(res) == RemedyKind::None {
                    ""
                } else {
                    "appeal"
                }
            }
            (false, Some(res)) => match RemedyKind::of(res) {
                RemedyKind::Choice => "choice",
                RemedyKind::ReviewFirst => "review_first",
                RemedyKind::None => "",
            },
            _ => "",
        };
        let disclosed = matches!(
            r.result,
            Some(
                gongkai_domain::application::ReplyResult::Disclosed
                    | gongkai_domain::application::ReplyResult::PartlyDisclosed
            )
        );
        found = Some(PublicCase {
            number: r.number,
            organ: organ.name.clone(),
            description: r.description,
            received_on: cn_date(r.received_on),
            status: r.status.label().to_string(),
            open,
            // The deadline as the case's clock gives it today: stopped while a 补正 is awaited,
            // moved by an extension or a consultation, and provisional (never left out) when
            // the calendar does not reach it yet.
            due_on: if open {
                let cal = state.db.calendar().await?;
                match gongkai_domain::application::clock::compute_provisional(&app, &cal, today) {
                    (c, true) => c
                        .due
                        .map(|d| {
                            format!("{}（预计，以国务院办公厅公布的节假日安排为准）", cn_date(d))
                        })
                        .unwrap_or_default(),
                    (c, false) => c.due.map(cn_date).unwrap_or_default(),
                }
            } else {
                String::new()
            },
            progress: gongkai_domain::application::progress::public_steps(&app, today)
                .into_iter()
                .map(|s| (cn_date(s.on), s.what))
                .collect(),
            closed_on: closed.map(cn_date).unwrap_or_default(),
            outcome: outcome.to_string(),
            outcome_reason: outcome_reason.to_string(),
            withheld: app
                .decision
                .as_ref()
                .map(|d| {
                    d.withheld
                        .iter()
                        .map(|w| (w.part.trim().to_string(), w.reason.trim().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            replied_on: reply
                .as_ref()
                .map(|n| cn_date(n.issued_on))
                .unwrap_or_default(),
            reply: reply.map(|n| format!("code={code}&seq={}", n.event_seq)),
            delivered: app
                .deliveries
                .last()
                .filter(|d| d.on <= today)
                .map(|d| format!("{}{}", cn_date(d.on), d.method.label()))
                .unwrap_or_default(),
            files: if open || !disclosed {
                Vec::new()
            } else {
                state
                    .db
                    .application_files(id)
                    .await?
                    .into_iter()
                    .map(|f| (format!("code={code}&file={}", f.id), f.filename))
                    .collect()
            },
            review_body: settings.review_body.trim().to_string(),
            court: settings.court.trim().to_string(),
            remedy,
            appeal_body: settings.appeal_body.trim().to_string(),
            replies,
        });
    }
    let mut resp = page(&LookupPage {
        ctx: Ctx::public("依申请公开办理查询", &user, ""),
        searched: !code.is_empty(),
        code,
        found,
    })?;
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

#[derive(Deserialize, Default)]
pub struct ReplyQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    seq: String,
    /// `pdf` for the PDF; otherwise Word.
    #[serde(default)]
    format: String,
}

#[derive(Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    file: String,
}

/// A file released with an application, for the applicant who holds its query code.
async fn apply_file_download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    if let Some(refused) = lookup_refused(&state, ip).await {
        return Ok(refused);
    }
    let file: i64 = q.file.trim().parse().map_err(|_| AppError::NotFound)?;
    let (info, data) =
        gongkai_app::applications::released_file_by_code(&state.app, &q.code, file).await?;
    Ok(crate::applications::file_download(&info, data))
}

/// The 答复书 of an application, for the applicant who holds its query code (Word or PDF).
async fn apply_reply_download(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<ReplyQuery>,
) -> AppResult<Response> {
    if let Some(refused) = lookup_refused(&state, ip).await {
        return Ok(refused);
    }
    let seq: i64 = q.seq.trim().parse().map_err(|_| AppError::NotFound)?;
    let n = gongkai_app::applications::reply_by_code(&state.app, &q.code, seq).await?;
    crate::applications::notice_file(&n.notice, &format!("reply-{}", n.record.number), &q.format)
}
