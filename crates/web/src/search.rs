//! Public full-text search over published records (F's index): a plain GET form, results with
//! highlighted passages, optional limit to one organ (with its units), paged.

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// Hits per page.
pub const PER_PAGE: usize = 20;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    page: String,
    /// `date`: newest first; otherwise by relevance.
    #[serde(default)]
    sort: String,
}

pub struct HitView {
    pub kind: String,
    pub url: String,
    /// Escaped by the index, with `<b>` around matched words.
    pub title_html: String,
    pub snippet_html: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    organ: i64,
    organs: Vec<OrganLink>,
    available: bool,
    searched: bool,
    total: usize,
    page: usize,
    pages: usize,
    hits: Vec<HitView>,
    /// Newest first rather than by relevance.
    by_date: bool,
    /// The item whose 索引号 is the query, shown before the other results.
    exact: Option<HitView>,
}

/// Whether the query is written like a 索引号 (`11640181MB1234567X/2025-00001`): letters,
/// digits and the separators of an index pattern, with a slash or a dash.
fn looks_like_index_no(text: &str) -> bool {
    (4..=64).contains(&text.len())
        && text.contains(['/', '-'])
        && text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
}

async fn search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    let text: String = q.q.trim().chars().take(100).collect();
    let organ: i64 = q.organ.trim().parse().unwrap_or(0);
    let page_no: usize = q.page.trim().parse().unwrap_or(1).clamp(1, 50);
    let organs = state
        .db
        .organs()
        .await?
        .iter()
        .filter(|o| o.parent_id.is_none())
        .map(OrganLink::from)
        .collect();
    let mut view = SearchPage {
        ctx: Ctx::public(
            if text.is_empty() {
                "站内搜索".to_string()
            } else {
                format!("{text} - 站内搜索")
            },
            &user,
            "",
        ),
        q: text.clone(),
        organ,
        organs,
        available: state.search.is_some(),
        searched: !text.is_empty(),
        total: 0,
        page: page_no,
        pages: 1,
        hits: vec![],
        by_date: q.sort == "date",
        exact: None,
    };
    if looks_like_index_no(&text)
        && let Some(id) = state.db.published_item_by_index_no(&text).await?
        && let Some(it) = state.db.item(id).await?
    {
        view.exact = Some(HitView {
            kind: "索引号".into(),
            url: format!("/items/{id}"),
            title_html: escape(&it.title),
            snippet_html: escape(&it.summary.chars().take(120).collect::<String>()),
            meta: [
                it.index_no.clone(),
                it.doc_number.clone(),
                it.published_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        });
    }
    if let (Some(index), false) = (state.search.clone(), text.is_empty()) {
        let mut query = gongkai_search::Query::new(text);
        query.filters.organ_id = (organ != 0).then_some(organ);
        query.limit = PER_PAGE;
        query.offset = (page_no - 1) * PER_PAGE;
        query.newest_first = q.sort == "date";
        let results = tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        view.total = results.total;
        view.pages = results.total.div_ceil(PER_PAGE).max(1);
        view.hits = results
            .hits
            .into_iter()
            .map(|h| HitView {
                kind: h.kind.label().to_string(),
                url: h.url,
                title_html: whole_title_html(&h.title, &h.title_html),
                snippet_html: h.snippet_html,
                meta: [
                    h.unit,
                    h.doc_number,
                    h.date.map(|d| d.to_string()).unwrap_or_default(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            })
            .collect();
        if let Some(exact) = &view.exact {
            view.hits.retain(|h| h.url != exact.url);
        }
    }
    page(&view)
}

/// The whole title, escaped, with the words the index highlighted in `snippet_html` (a fragment
/// of at most 200 characters, which may lose the title's end) marked in `<b>` again.
pub fn whole_title_html(title: &str, snippet_html: &str) -> String {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let mut words: Vec<String> = snippet_html
        .split("<b>")
        .skip(1)
        .filter_map(|p| p.split("</b>").next())
        .map(unescape)
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    let mut out = String::with_capacity(title.len() + 16);
    let mut rest = title;
    'outer: while !rest.is_empty() {
        for w in &words {
            if let Some(tail) = rest.strip_prefix(w.as_str()) {
                out.push_str("<b>");
                out.push_str(&escape(w));
                out.push_str("</b>");
                rest = tail;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push_str(&escape(&c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::whole_title_html;

    #[test]
    fn titles_are_shown_whole_with_their_highlights() {
        let title = "关于公布2020年城区小学学区划分的公告（3）";
        // The index's fragment lost the title's last character.
        let snippet = "关于公布2020年城区小学<b>学区</b>划分的公告（3";
        assert_eq!(
            whole_title_html(title, snippet),
            "关于公布2020年城区小学<b>学区</b>划分的公告（3）"
        );
        assert_eq!(whole_title_html("A&B <x>", ""), "A&amp;B &lt;x&gt;");
        assert_eq!(
            whole_title_html("招生与招生", "<b>招生</b>与"),
            "<b>招生</b>与<b>招生</b>"
        );
    }
}
