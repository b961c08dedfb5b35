//! 政府信息公开目录: an organ's catalogue, filtered by column and year, paged.

use super::statutory;
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::{AppError, AppResult};
use crate::views::{CategoryView, Ctx, ItemView, OrganLink, category_views, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use gongkai_domain::records::Category;
use gongkai_store::published::PublishedQuery;
use serde::Deserialize;

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
    /// For a sub-column of 法定主动公开内容: which columns it gathers, in a sentence.
    statutory_note: String,
    /// The office's explanation of why the column is empty (its text, and who wrote it when).
    column_note: Option<(String, String)>,
    /// No register block holds a record (the column lists nothing when it has no item either).
    registers_empty: bool,
    /// For the clauses whose records are kept in registers: those records.
    register_blocks: Vec<statutory::RegisterBlock>,
    items: Vec<ItemView>,
    total: usize,
    page: usize,
    pages: usize,
    /// The query string of the current filters, for the page links.
    filter_query: String,
    /// The numbered page links to show (0 stands for a gap “…”).
    page_links: Vec<usize>,
}

pub(super) async fn catalogue(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    Query(q): Query<CatalogueQuery>,
) -> AppResult<Response> {
    let category: i64 = q.category.trim().parse().unwrap_or(0);
    let year: i32 = q.year.trim().parse().unwrap_or(0);
    // Unfiltered by column, the whole page is one statement (`Db::catalogue_listing`); a column
    // filter needs the tree first, to expand the column into its subcolumns (and, for a
    // sub-column of 法定主动公开内容, the columns serving its clause).
    let cats = if category != 0 {
        state.db.categories(id).await?
    } else {
        Vec::new()
    };
    let filter_label = filter_label(&cats, category, year)?;
    // A sub-column of 法定主动公开内容 also lists the columns that serve its clause of art. 20.
    static SEED: std::sync::LazyLock<gongkai_domain::records::CatalogueSeed> =
        std::sync::LazyLock::new(gongkai_domain::records::CatalogueSeed::education);
    let statutory = gongkai_domain::records::statutory_scope(&cats, category, &SEED)
        .or_else(|| gongkai_domain::records::statutory_column_scope(&cats, category, &SEED));
    let clauses = clauses(&cats, category, statutory.is_some());
    let register_blocks = statutory::register_blocks(&state, id, &clauses).await?;
    let (subtree, statutory_note) = match &statutory {
        Some(s) => (s.categories.clone(), statutory_note(&cats, category, s)),
        None => (subtree(&cats, category), String::new()),
    };
    let organs = [id];
    let query = PublishedQuery {
        organs: &organs,
        categories: (category != 0).then_some(subtree.as_slice()),
        year: (year != 0).then_some(year),
        or_regulations_and_normative: statutory
            .as_ref()
            .is_some_and(|s| s.regulations_and_normative),
    };
    let requested = q.page.trim().parse::<usize>().unwrap_or(1).max(1);
    let listing = |page: usize| {
        let (state, query) = (&state, &query);
        async move {
            state
                .db
                .catalogue_listing(id, query, ((page - 1) * PAGE_SIZE) as u64, PAGE_SIZE as u64)
                .await?
                .ok_or(AppError::NotFound)
        }
    };
    let mut l = listing(requested).await?;
    let total = l.total as usize;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page_no = requested.min(pages);
    if page_no != requested {
        // Past the last page: show the last one.
        l = listing(page_no).await?;
    }
    let column_note = if category != 0 {
        gongkai_app::columns::note(&state.app, category)
            .await?
            .map(|n| (n.note, format!("{}，{}", n.noted_by, n.noted_on)))
    } else {
        None
    };
    let today = state.today();
    page(&CataloguePage {
        column_note,
        registers_empty: register_blocks.iter().all(|b| b.total == 0),
        ctx: Ctx::public(format!("{}政府信息公开目录", l.organ.name), &user, ""),
        organ: OrganLink::from(&l.organ),
        units: l.units.iter().map(OrganLink::from).collect(),
        categories: category_views(&l.categories),
        years: l.years,
        selected_category: category,
        selected_year: year,
        filter_label,
        statutory_note,
        register_blocks,
        items: l
            .items
            .iter()
            .map(|it| ItemView::new(it, &l.categories, today))
            .collect(),
        total: l.total as usize,
        page: page_no,
        pages,
        filter_query: filter_query(category, year),
        page_links: page_links(page_no, pages),
    })
}

/// A column with its subcolumns, at any depth (an empty list for no column).
fn subtree(cats: &[Category], category: i64) -> Vec<i64> {
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
    cats.iter()
        .map(|c| c.id)
        .filter(|&c| in_category(c))
        .collect()
}

/// The filters in words (栏目：… 年份：…年); a column that is not the organ's is not found.
fn filter_label(cats: &[Category], category: i64, year: i32) -> AppResult<String> {
    let mut label = String::new();
    if category != 0 {
        let name = cats
            .iter()
            .find(|c| c.id == category)
            .map(|c| c.name.clone())
            .ok_or(AppError::NotFound)?;
        label.push_str(&format!("栏目：{name}　"));
    }
    if year != 0 {
        label.push_str(&format!("年份：{year}年"));
    }
    Ok(label)
}

/// The filters as a query string, for the page links.
fn filter_query(category: i64, year: i32) -> String {
    let mut q = String::new();
    if category != 0 {
        q.push_str(&format!("&category={category}"));
    }
    if year != 0 {
        q.push_str(&format!("&year={year}"));
    }
    q
}

/// The clauses of art. 20 a statutory column stands for: its own, or (法定主动公开内容 itself)
/// every one of its sub-columns'.
fn clauses(cats: &[Category], category: i64, statutory: bool) -> Vec<String> {
    match cats.iter().find(|c| c.id == category) {
        Some(c) if statutory && c.parent_id.is_none() => cats
            .iter()
            .filter(|x| x.parent_id == Some(c.id))
            .map(|x| x.description.trim().to_string())
            .collect(),
        Some(c) if statutory => vec![c.description.trim().to_string()],
        _ => vec![],
    }
}

/// For a statutory column: which columns it gathers under which clause, in a sentence (empty
/// when it gathers only itself).
fn statutory_note(
    cats: &[Category],
    category: i64,
    s: &gongkai_domain::records::StatutoryScope,
) -> String {
    let clause = cats
        .iter()
        .find(|c| c.id == category)
        .map(|c| {
            if c.parent_id.is_none() {
                "第二十条".to_string()
            } else {
                c.description.clone()
            }
        })
        .unwrap_or_default();
    let mut names: Vec<String> = s
        .categories
        .iter()
        .filter(|&&c| c != category)
        .filter_map(|c| cats.iter().find(|x| x.id == *c && x.parent_id.is_none()))
        .map(|c| format!("“{}”", c.name))
        .collect();
    if s.regulations_and_normative {
        names.push("各栏目中的规章和行政规范性文件".into());
    }
    if names.is_empty() {
        String::new()
    } else {
        format!(
            "本栏按《条例》{clause}汇集本栏目及{}的信息。",
            names.join("、")
        )
    }
}

/// The numbered links of a pager: the first and last pages, and two on each side of the
/// current one; 0 marks a gap.
pub fn page_links(page: usize, pages: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(page) <= 2 {
            out.push(p);
        } else if out.last() != Some(&0) {
            out.push(0);
        }
    }
    out
}
