//! The public side, no login: home, 公开指南, 公开目录 and item pages, 公示, the 双公示 register,
//! the annual report archive, letters, the RSS feed and the sitemap; the online application is in
//! `public/apply.rs`, the login form in `public/login.rs`.

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::reports;
use crate::views::{CategoryView, Ctx, ItemView, OrganLink, category_views, is_https, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use gongkai_domain::markup::escape_html as xml_escape;
use gongkai_domain::records::{CatalogueItem, ItemStatus, Organ};
use gongkai_store::published::PublishedQuery;
use serde::Deserialize;

mod apply;
mod catalogue;
mod consultations;
mod double;
pub(crate) mod forms;
mod home;
mod letters;
mod login;
mod registers;
mod services;
mod site;
mod statutory;

use catalogue::catalogue;
pub use catalogue::{CatalogueQuery, PAGE_SIZE, page_links};
use home::{home, organ_home};

pub use apply::{PublicCase, PublicReply, apply_routes, reply_in_plain_words};
pub use forms::FieldErrors;
pub use login::{CsrfOnly, login_keeps_the_page_asked, safe_next};

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
        .merge(login::routes())
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

/// A date as people write it: 2025年3月10日.
pub fn cn_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}
