//! The back office, behind login: catalogue items through draft → review → publish, 公示, letters,
//! the annual report (generate, edit texts, preview, publish, correct), office settings, users
//! and the audit log. Every handler checks the permission for the organ the record belongs to,
//! every form post checks the session's form token, and every change is written to the audit log.

use crate::AppState;
use crate::auth::{CurrentUser, Perm, check_new_password, hash_password};
use crate::error::{AppError, AppResult};
use crate::public::{NoticeView, ReportVersionView, version_views};
use crate::reports::{self, StoredReport};
use crate::views::{CategoryView, Ctx, ItemView, OrganLink, category_views, date, page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate, Weekday};
use gongkai_domain::records::{CatalogueItem, DocKind, ItemStatus, NewCatalogueItem, Organ};
use gongkai_domain::report::layout;
use gongkai_store::users::{NewAudit, Role};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> axum::Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/items", get(items).post(item_create))
        .route("/admin/items/new", get(item_new))
        .route("/admin/items/{id}", get(item_edit).post(item_update))
        .route("/admin/items/{id}/transition", post(item_transition))
        .route("/admin/items/{id}/link", post(item_link))
        .route("/admin/items/{id}/attachments", post(attachment_upload))
        .route("/admin/notices", get(notices).post(notice_create))
        .route("/admin/notices/{id}/publish", post(notice_publish))
        .route("/admin/letters", get(letters))
        .route("/admin/letters/{id}/reply", post(letter_reply))
        .route("/admin/reports", get(reports_list).post(report_generate))
        .route(
            "/admin/reports/{organ}/{year}",
            get(report_edit).post(report_texts),
        )
        .route("/admin/reports/{organ}/{year}/preview", get(report_preview))
        .route(
            "/admin/reports/{organ}/{year}/publish",
            post(report_publish),
        )
        .route("/admin/settings", get(settings).post(settings_save))
        .route("/admin/users", get(users).post(user_create))
        .route("/admin/users/{id}", post(user_update))
        .route("/admin/tokens", post(token_create))
        .route("/admin/audit", get(audit_log))
}

/// Writes one change to the audit log.
#[allow(clippy::too_many_arguments)]
pub async fn audit(
    state: &AppState,
    user: &CurrentUser,
    organ_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AppResult<()> {
    state
        .db
        .audit(
            &NewAudit {
                user_id: Some(user.user.id),
                username: &user.user.username,
                organ_id,
                action,
                entity,
                entity_id: entity_id.to_string(),
                before,
                after,
            },
            state.now(),
        )
        .await?;
    Ok(())
}

#[derive(Deserialize, Default)]
pub struct OrganQuery {
    #[serde(default)]
    organ: String,
}

/// The organ a list page shows: the one asked for if the person may see it, else their first.
pub async fn pick_organ(
    state: &AppState,
    user: &CurrentUser,
    q: &OrganQuery,
) -> AppResult<(Organ, Vec<OrganLink>)> {
    let mine = user.organs(state).await?;
    let links = mine.iter().map(OrganLink::from).collect();
    let organ = match q.organ.trim().parse::<i64>() {
        Ok(id) => {
            user.require(state, Perm::View, id).await?;
            state.db.organ(id).await?.ok_or(AppError::NotFound)?
        }
        Err(_) => mine.into_iter().next().ok_or(AppError::NotFound)?,
    };
    Ok((organ, links))
}

/// Working days from `from` (not counted) to `to`, Monday–Friday. Statutory holidays are not
/// known here, so the count can only be larger than the true one: a warning comes early, never
/// late.
pub fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
        if n > 10_000 {
            break;
        }
    }
    n
}

/// The art. 26 warning for an unpublished item formed on `written_on`.
fn deadline_warning(
    it: &CatalogueItem,
    today: NaiveDate,
    cal: &gongkai_domain::calendar::Calendar,
) -> String {
    if it.status == ItemStatus::Published || it.status == ItemStatus::Withdrawn {
        return String::new();
    }
    let Some(w) = it.written_on else {
        return String::new();
    };
    // The working-day calendar where it covers the dates; Monday–Friday otherwise.
    let n = cal
        .working_days_between(w, today)
        .unwrap_or_else(|_| weekdays_between(w, today));
    if n > 20 {
        format!("已超过20个工作日公开时限（已{n}个工作日）")
    } else if n >= 15 {
        format!("临近20个工作日公开时限（已{n}个工作日）")
    } else {
        String::new()
    }
}

// ------------------------------------------------------------------------------------ dashboard

pub struct WarnRow {
    pub item: ItemView,
    pub warning: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    ctx: Ctx,
    organs: Vec<OrganLink>,
    role: String,
    drafts: usize,
    in_review: usize,
    warnings: Vec<WarnRow>,
    open_letters: usize,
}

async fn dashboard(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let organs = user.organs(&state).await?;
    let today = state.today();
    let cal = state.db.calendar().await?;
    let (mut drafts, mut in_review, mut warnings, mut open_letters) = (0, 0, Vec::new(), 0);
    let ids: Vec<i64> = organs.iter().map(|o| o.id).collect();
    let mut cats = std::collections::BTreeMap::new();
    for it in state.db.items_in_progress(&ids).await? {
        match it.status {
            ItemStatus::Draft => drafts += 1,
            ItemStatus::InReview => in_review += 1,
            _ => {}
        }
        let w = deadline_warning(&it, today, &cal);
        if !w.is_empty() {
            if let std::collections::btree_map::Entry::Vacant(e) = cats.entry(it.organ_id) {
                e.insert(state.db.categories(it.organ_id).await?);
            }
            warnings.push(WarnRow {
                item: ItemView::new(&it, &cats[&it.organ_id], today),
                warning: w,
            });
        }
    }
    for o in &organs {
        open_letters += state
            .db
            .portal_letters(o.id, true)
            .await?
            .iter()
            .filter(|l| l.replied_on.is_none())
            .count();
    }
    page(&Dashboard {
        ctx: Ctx::admin("管理后台", &user),
        organs: organs.iter().map(OrganLink::from).collect(),
        role: user.user.role.label().to_string(),
        drafts,
        in_review,
        warnings,
        open_letters,
    })
}

// ------------------------------------------------------------------------------------ items

#[derive(Template)]
#[template(path = "admin/items.html")]
struct ItemsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<WarnRow>,
    can_edit: bool,
}

async fn items(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let cal = state.db.calendar().await?;
    let today = state.today();
    let cats = state.db.categories(organ.id).await?;
    let mut list = state.db.items(organ.id).await?;
    list.sort_by_key(|b| std::cmp::Reverse(b.id));
    let rows = list
        .iter()
        .map(|it| WarnRow {
            item: ItemView::new(it, &cats, today),
            warning: deadline_warning(it, today, &cal),
        })
        .collect();
    page(&ItemsPage {
        ctx: Ctx::admin(format!("信息发布 - {}", organ.name), &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        rows,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    issuing_unit: String,
    #[serde(default)]
    written_on: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    doc_kind: String,
}

#[derive(Template)]
#[template(path = "admin/item_form.html")]
struct ItemFormPage {
    ctx: Ctx,
    organ: OrganLink,
    /// 0 for a new item.
    id: i64,
    form: ItemForm,
    categories: Vec<CategoryView>,
    selected_category: i64,
    doc_kinds: Vec<(String, String)>,
    errors: Vec<String>,
    item: Option<ItemView>,
    actions: Vec<(String, String)>,
    editable: bool,
    interpretations: Vec<ItemView>,
    policies: Vec<ItemView>,
    can_edit: bool,
    attachments: Vec<gongkai_store::portal::AttachmentInfo>,
}

fn doc_kinds() -> Vec<(String, String)> {
    DocKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect()
}

fn parse_date(s: &str, what: &str, errors: &mut Vec<String>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(format!("{what}“{s}”格式不对，应为 年-月-日，如 2024-03-01"));
            None
        }
    }
}

struct CheckedItem {
    title: String,
    summary: String,
    category_id: i64,
    written_on: Option<NaiveDate>,
    doc_kind: DocKind,
}

fn check_item_form(
    f: &ItemForm,
    cats: &[gongkai_domain::records::Category],
) -> Result<CheckedItem, Vec<String>> {
    let mut errors = Vec::new();
    let title = f.title.trim().to_string();
    if title.is_empty() {
        errors.push("请填写标题".into());
    } else if title.chars().count() > 200 {
        errors.push("标题不能超过200字".into());
    }
    let category_id = f
        .category
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|c| cats.iter().any(|x| x.id == *c));
    if category_id.is_none() {
        errors.push("请选择所属栏目".into());
    }
    let written_on = parse_date(&f.written_on, "成文日期", &mut errors);
    if written_on.is_none() && !errors.iter().any(|e| e.contains("成文日期")) {
        errors.push("请填写成文日期".into());
    }
    let doc_kind = DocKind::parse(&f.doc_kind).unwrap_or(DocKind::Other);
    if errors.is_empty() {
        Ok(CheckedItem {
            title,
            summary: f.summary.trim().to_string(),
            category_id: category_id.unwrap_or_default(),
            written_on,
            doc_kind,
        })
    } else {
        Err(errors)
    }
}

/// The workflow actions the person may take on an item in its state, as (action, label).
async fn item_actions(
    state: &AppState,
    user: &CurrentUser,
    it: &CatalogueItem,
) -> AppResult<Vec<(String, String)>> {
    let edit = user.can(state, Perm::Edit, it.organ_id).await?;
    let review = user.can(state, Perm::Review, it.organ_id).await?;
    let mut out = Vec::new();
    let mut add = |a: &str, l: &str| out.push((a.to_string(), l.to_string()));
    match it.status {
        ItemStatus::Draft if edit => add("submit", "提交审核"),
        ItemStatus::InReview if review => {
            add("publish", "审核通过并发布（已完成保密审查）");
            add("return", "退回修改");
        }
        ItemStatus::Published if review => add("withdraw", "撤回"),
        ItemStatus::Withdrawn if edit => add("redraft", "重新编辑"),
        _ => {}
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn item_form_page(
    state: &AppState,
    user: &CurrentUser,
    organ: &Organ,
    id: i64,
    form: ItemForm,
    errors: Vec<String>,
    item: Option<&CatalogueItem>,
) -> AppResult<Response> {
    let cats = state.db.categories(organ.id).await?;
    let today = state.today();
    let (actions, editable, interpretations, policies) = match item {
        Some(it) => {
            let mut interp = Vec::new();
            for i in state.db.interpretations_of(it.id).await? {
                if let Some(x) = state.db.item(i).await? {
                    interp.push(ItemView::new(&x, &cats, today));
                }
            }
            let mut pol = Vec::new();
            for i in state.db.policies_interpreted_by(it.id).await? {
                if let Some(x) = state.db.item(i).await? {
                    pol.push(ItemView::new(&x, &cats, today));
                }
            }
            (
                item_actions(state, user, it).await?,
                matches!(it.status, ItemStatus::Draft | ItemStatus::InReview),
                interp,
                pol,
            )
        }
        None => (vec![], true, vec![], vec![]),
    };
    let selected_category = form.category.trim().parse().unwrap_or(0);
    let can_edit = user.can(state, Perm::Edit, organ.id).await?;
    let attachments = match item {
        Some(it) => state.db.attachments(it.id).await?,
        None => vec![],
    };
    let mut resp = page(&ItemFormPage {
        attachments,
        ctx: Ctx::admin(
            if id == 0 {
                "新建信息".to_string()
            } else {
                format!("编辑信息 - {}", form.title)
            },
            user,
        ),
        organ: OrganLink::from(organ),
        id,
        form,
        categories: category_views(&cats),
        selected_category,
        doc_kinds: doc_kinds(),
        errors: errors.clone(),
        item: item.map(|it| ItemView::new(it, &cats, today)),
        actions,
        editable: editable && can_edit,
        interpretations,
        policies,
        can_edit,
    })?;
    if !errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn item_new(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, _) = pick_organ(&state, &user, &q).await?;
    user.require(&state, Perm::Edit, organ.id).await?;
    let form = ItemForm {
        organ: organ.id.to_string(),
        issuing_unit: organ.name.clone(),
        ..Default::default()
    };
    item_form_page(&state, &user, &organ, 0, form, vec![], None).await
}

async fn item_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Edit, organ_id).await?;
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let cats = state.db.categories(organ_id).await?;
    let c = match check_item_form(&f, &cats) {
        Ok(c) => c,
        Err(errors) => return item_form_page(&state, &user, &organ, 0, f, errors, None).await,
    };
    let new = NewCatalogueItem {
        organ_id,
        title: c.title,
        summary: c.summary,
        category_id: c.category_id,
        issuing_unit: if f.issuing_unit.trim().is_empty() {
            organ.name.clone()
        } else {
            f.issuing_unit.trim().to_string()
        },
        written_on: c.written_on,
        published_on: None,
        doc_number: f.doc_number.trim().to_string(),
        doc_kind: c.doc_kind,
        status: ItemStatus::Draft,
        validity: vec![],
    };
    if let Err(e) = new.validate() {
        return item_form_page(&state, &user, &organ, 0, f, vec![e], None).await;
    }
    let it = state.db.insert_item(&new).await?;
    state.db.set_item_body(it.id, f.body.trim()).await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "create",
        "catalogue_item",
        it.id,
        None,
        Some(json!(it)),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/items/{}", it.id)).into_response())
}

async fn item_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::View, it.organ_id).await?;
    let organ = state
        .db
        .organ(it.organ_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = ItemForm {
        csrf: String::new(),
        organ: organ.id.to_string(),
        title: it.title.clone(),
        summary: it.summary.clone(),
        body: state.db.item_body(id).await?,
        category: it.category_id.to_string(),
        issuing_unit: it.issuing_unit.clone(),
        written_on: date(it.written_on),
        doc_number: it.doc_number.clone(),
        doc_kind: it.doc_kind.code().to_string(),
    };
    item_form_page(&state, &user, &organ, id, form, vec![], Some(&it)).await
}

async fn item_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Edit, it.organ_id).await?;
    let organ = state
        .db
        .organ(it.organ_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(it.status, ItemStatus::Draft | ItemStatus::InReview) {
        return Err(AppError::Conflict(
            "已发布或已撤回的条目不能直接修改".into(),
        ));
    }
    let cats = state.db.categories(it.organ_id).await?;
    let c = match check_item_form(&f, &cats) {
        Ok(c) => c,
        Err(errors) => {
            return item_form_page(&state, &user, &organ, id, f, errors, Some(&it)).await;
        }
    };
    state
        .db
        .update_draft_item(
            id,
            &c.title,
            &c.summary,
            c.category_id,
            f.issuing_unit.trim(),
            c.written_on,
            f.doc_number.trim(),
        )
        .await?;
    state.db.set_item_body(id, f.body.trim()).await?;
    let after = state.db.item(id).await?;
    audit(
        &state,
        &user,
        Some(it.organ_id),
        "update",
        "catalogue_item",
        id,
        Some(json!(it)),
        Some(json!(after)),
    )
    .await?;
    state.reindex(crate::Reindex::Item(id)).await;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct TransitionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
}

async fn item_transition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<TransitionForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
    let (perm, from, to) = match f.action.as_str() {
        "submit" => (Perm::Edit, ItemStatus::Draft, ItemStatus::InReview),
        "publish" => (Perm::Review, ItemStatus::InReview, ItemStatus::Published),
        "return" => (Perm::Review, ItemStatus::InReview, ItemStatus::Draft),
        "withdraw" => (Perm::Review, ItemStatus::Published, ItemStatus::Withdrawn),
        "redraft" => (Perm::Edit, ItemStatus::Withdrawn, ItemStatus::Draft),
        _ => return Err(AppError::BadRequest("未知的操作".into())),
    };
    user.require(&state, perm, it.organ_id).await?;
    if it.status != from {
        return Err(AppError::Conflict(format!(
            "该条目当前为“{}”，不能进行此操作",
            it.status.label()
        )));
    }
    let published_on = match to {
        ItemStatus::Published => Some(state.today()),
        ItemStatus::Withdrawn => it.published_on,
        _ => None,
    };
    state.db.set_item_status(id, to, published_on).await?;
    let after = state.db.item(id).await?;
    audit(
        &state,
        &user,
        Some(it.organ_id),
        &f.action,
        "catalogue_item",
        id,
        Some(json!(it)),
        Some(json!(after)),
    )
    .await?;
    state.reindex(crate::Reindex::Item(id)).await;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    interpretation: String,
}

/// Links an interpretation (given by id or 索引号) to this policy document.
async fn item_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Edit, it.organ_id).await?;
    let key = f.interpretation.trim();
    let other = match key.parse::<i64>() {
        Ok(n) => state.db.item(n).await?,
        Err(_) => state
            .db
            .items(it.organ_id)
            .await?
            .into_iter()
            .find(|x| x.index_no == key),
    }
    .ok_or_else(|| {
        AppError::BadRequest(format!("找不到解读文件“{key}”（请填写条目编号或索引号）"))
    })?;
    state.db.link_interpretation(id, other.id).await?;
    audit(
        &state,
        &user,
        Some(it.organ_id),
        "link",
        "item_interpretation",
        id,
        None,
        Some(json!({"policy": id, "interpretation": other.id})),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}

// ------------------------------------------------------------------------------------ 公示

#[derive(Template)]
#[template(path = "admin/notices.html")]
struct NoticesAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    notices: Vec<NoticeView>,
    can_edit: bool,
    can_review: bool,
}

async fn notices(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let today = state.today();
    let notices = state
        .db
        .announcements(organ.id, true)
        .await?
        .into_iter()
        .map(|a| NoticeView::new(a, today))
        .collect();
    page(&NoticesAdmin {
        ctx: Ctx::admin("公示管理", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        can_review: user.can(&state, Perm::Review, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        notices,
    })
}

#[derive(Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

async fn notice_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NoticeForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Edit, organ_id).await?;
    let mut errors = Vec::new();
    let s = parse_date(&f.starts_on, "公示开始日期", &mut errors);
    let e = parse_date(&f.ends_on, "公示结束日期", &mut errors);
    let (Some(s), Some(e)) = (s, e) else {
        errors.push("请填写公示起止日期".into());
        return Err(AppError::BadRequest(errors.join("；")));
    };
    let id = state
        .db
        .insert_announcement(organ_id, &f.title, f.body.trim(), s, e, false)
        .await?;
    let after = state.db.announcement(id).await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "create",
        "announcement",
        id,
        None,
        Some(json!(after)),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/notices?organ={organ_id}")).into_response())
}

async fn notice_publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<crate::public::CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let a = state.db.announcement(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Review, a.organ_id).await?;
    state.db.set_announcement_published(id, true).await?;
    let after = state.db.announcement(id).await?;
    audit(
        &state,
        &user,
        Some(a.organ_id),
        "publish",
        "announcement",
        id,
        Some(json!(a)),
        Some(json!(after)),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/notices?organ={}", a.organ_id)).into_response())
}

// ------------------------------------------------------------------------------------ letters

pub struct LetterAdminView {
    pub id: i64,
    pub code: String,
    pub subject: String,
    pub body: String,
    pub received_on: String,
    pub reply: String,
    pub replied_on: String,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "admin/letters.html")]
struct LettersAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    letters: Vec<LetterAdminView>,
    can_handle: bool,
}

async fn letters(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let letters = state
        .db
        .portal_letters(organ.id, true)
        .await?
        .into_iter()
        .map(|l| LetterAdminView {
            id: l.letter_id,
            code: l.query_code,
            subject: l.subject,
            body: l.body,
            received_on: l.received_on.to_string(),
            reply: l.reply,
            replied_on: date(l.replied_on),
            public: l.reply_public != 0,
        })
        .collect();
    page(&LettersAdmin {
        ctx: Ctx::admin("来信办理", &user),
        can_handle: user.can(&state, Perm::Handle, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        letters,
    })
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    public: String,
}

async fn letter_reply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let l = state
        .db
        .portal_letter(id)
        .await?
        .ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Handle, l.organ_id).await?;
    if f.reply.trim().is_empty() {
        return Err(AppError::BadRequest("答复内容不能为空".into()));
    }
    state
        .db
        .reply_letter(id, f.reply.trim(), state.today(), !f.public.is_empty())
        .await?;
    let after = state.db.portal_letter(id).await?;
    audit(
        &state,
        &user,
        Some(l.organ_id),
        "reply",
        "letter",
        id,
        Some(json!(l)),
        Some(json!(after)),
    )
    .await?;
    state.reindex(crate::Reindex::Letter(id)).await;
    Ok(Redirect::to(&format!("/admin/letters?organ={}", l.organ_id)).into_response())
}

// ------------------------------------------------------------------------------------ reports

pub struct DraftRow {
    pub year: i32,
    pub generated_at: String,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsAdmin {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    drafts: Vec<DraftRow>,
    published: Vec<ReportVersionView>,
    default_year: i32,
    can_edit: bool,
}

async fn reports_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    let mut drafts = Vec::new();
    let this_year = state.today().year();
    for y in (this_year - 8..=this_year).rev() {
        if let Some(d) = state.db.report_draft(organ.id, y).await? {
            drafts.push(DraftRow {
                year: y,
                generated_at: (d.generated_at + chrono::Duration::hours(8))
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            });
        }
    }
    let published = version_views(&state.db.published_reports(organ.id).await?);
    page(&ReportsAdmin {
        ctx: Ctx::admin("年度报告", &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        drafts,
        published,
        default_year: this_year - 1,
    })
}

#[derive(Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    year: String,
    /// `alone` for the organ's own records; anything else includes its units.
    #[serde(default)]
    scope: String,
}

async fn report_generate(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<GenerateForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Edit, organ_id).await?;
    let year: i32 = f
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2008..=state.today().year()).contains(y))
        .ok_or_else(|| {
            AppError::BadRequest(format!("年度“{}”不对：应为2008年至今的年份", f.year.trim()))
        })?;
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let include_units = f.scope != "alone";
    let report = reports::generate(&state, &organ, year, include_units).await?;
    let before = state
        .db
        .report_draft(organ_id, year)
        .await?
        .map(|d| d.generated_at.to_string());
    state
        .db
        .save_report_draft(
            organ_id,
            year,
            &StoredReport::with_scope(&report, include_units).to_json(),
            state.now(),
        )
        .await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "generate",
        "report_draft",
        format!("{organ_id}/{year}"),
        before.map(|b| json!({"generated_at": b})),
        Some(json!({"year": year})),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/reports/{organ_id}/{year}")).into_response())
}

pub struct SectionEdit {
    pub index: usize,
    pub heading: String,
    pub body: String,
}

pub struct FindingView {
    pub severity: String,
    pub rule: String,
    pub location: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "admin/report_edit.html")]
struct ReportEdit {
    ctx: Ctx,
    organ: OrganLink,
    year: i32,
    sections: Vec<SectionEdit>,
    findings: Vec<FindingView>,
    published: Vec<ReportVersionView>,
    can_edit: bool,
    can_publish: bool,
}

async fn load_draft(state: &AppState, organ_id: i64, year: i32) -> AppResult<StoredReport> {
    let d = state
        .db
        .report_draft(organ_id, year)
        .await?
        .ok_or_else(|| AppError::BadRequest(format!("{year}年度报告尚未生成，请先生成")))?;
    StoredReport::from_json(&d.report_json)
}

async fn report_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
) -> AppResult<Response> {
    user.require(&state, Perm::View, organ_id).await?;
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let s = load_draft(&state, organ_id, year).await?;
    let r = s.to_report();
    let sections = layout::SECTIONS
        .iter()
        .enumerate()
        .map(|(i, h)| SectionEdit {
            index: i + 1,
            heading: h.to_string(),
            body: r.text_of(h).unwrap_or("").to_string(),
        })
        .collect();
    let findings = r
        .findings
        .clone()
        .into_iter()
        .map(|f| FindingView {
            severity: f.severity.label().to_string(),
            rule: f.rule,
            location: f.location,
            message: f.message,
        })
        .collect();
    let published: Vec<_> = version_views(&state.db.published_reports(organ_id).await?)
        .into_iter()
        .filter(|v| v.year == year)
        .collect();
    page(&ReportEdit {
        ctx: Ctx::admin(format!("{year}年度报告"), &user),
        can_edit: user.can(&state, Perm::Edit, organ_id).await?,
        can_publish: user.can(&state, Perm::Review, organ_id).await?,
        organ: OrganLink::from(&organ),
        year,
        sections,
        findings,
        published,
    })
}

/// The six section texts as posted (`s1` … `s6`).
#[derive(Deserialize)]
pub struct TextsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    s1: String,
    #[serde(default)]
    s2: String,
    #[serde(default)]
    s3: String,
    #[serde(default)]
    s4: String,
    #[serde(default)]
    s5: String,
    #[serde(default)]
    s6: String,
}

async fn report_texts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
    Form(f): Form<TextsForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    user.require(&state, Perm::Edit, organ_id).await?;
    let before = load_draft(&state, organ_id, year).await?;
    let mut r = before.to_report();
    let bodies = [&f.s1, &f.s2, &f.s3, &f.s4, &f.s5, &f.s6];
    for (i, (h, b)) in layout::SECTIONS.iter().zip(bodies).enumerate() {
        let b = b.replace("\r\n", "\n");
        r.set_text(h, b.trim());
        // Keep the records' copy in step, so regenerating the report keeps the edited texts.
        if b.trim().is_empty() {
            state
                .db
                .clear_report_text(organ_id, year, i as i32 + 1)
                .await?;
        } else {
            state
                .db
                .set_report_text(organ_id, year, i as i32 + 1, b.trim())
                .await?;
        }
    }
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let r = reports::with_findings(&state, &organ, r, before.include_units).await?;
    let after = StoredReport::with_scope(&r, before.include_units);
    state
        .db
        .save_report_draft(organ_id, year, &after.to_json(), state.now())
        .await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "edit_texts",
        "report_draft",
        format!("{organ_id}/{year}"),
        Some(json!(before.texts)),
        Some(json!(after.texts)),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/reports/{organ_id}/{year}")).into_response())
}

/// The draft exactly as it would be published (E's standalone page).
async fn report_preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
) -> AppResult<Response> {
    user.require(&state, Perm::View, organ_id).await?;
    let s = load_draft(&state, organ_id, year).await?;
    Ok(crate::views::standalone_html(
        gongkai_render::html::report_page(&s.to_report()),
    ))
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn report_publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((organ_id, year)): Path<(i64, i32)>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    user.require(&state, Perm::Review, organ_id).await?;
    let s = load_draft(&state, organ_id, year).await?;
    let mut r = s.to_report();
    r.published = Some(state.today());
    let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
    let r = reports::with_findings(&state, &organ, r, s.include_units).await?;
    let html = gongkai_render::html::report_page(&r);
    let pr = state
        .db
        .publish_report(
            organ_id,
            year,
            &StoredReport::with_scope(&r, s.include_units).to_json(),
            &html,
            &f.reason,
            &user.user.username,
            state.now(),
        )
        .await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "publish",
        "published_report",
        pr.id,
        None,
        Some(json!({"year": year, "version": pr.version, "reason": pr.reason})),
    )
    .await?;
    state.reindex(crate::Reindex::Report(organ_id, year)).await;
    Ok(Redirect::to(&format!("/reports/{}", pr.id)).into_response())
}

// ------------------------------------------------------------------------------------ settings

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    s: gongkai_store::portal::OrganSettings,
    can_admin: bool,
}

async fn settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<OrganQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(&state, &user, &q).await?;
    page(&SettingsPage {
        ctx: Ctx::admin("公开指南设置", &user),
        s: state.db.organ_settings(organ.id).await?,
        can_admin: user.can(&state, Perm::Admin, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(flatten)]
    s: gongkai_store::portal::OrganSettings,
}

async fn settings_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id: i64 = f
        .organ
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("未指定机关".into()))?;
    user.require(&state, Perm::Admin, organ_id).await?;
    let before = state.db.organ_settings(organ_id).await?;
    state.db.set_organ_settings(organ_id, &f.s).await?;
    audit(
        &state,
        &user,
        Some(organ_id),
        "update",
        "organ_settings",
        organ_id,
        Some(json!(before)),
        Some(json!(f.s)),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/settings?organ={organ_id}")).into_response())
}

// ------------------------------------------------------------------------------------ users

pub struct UserView {
    pub id: i64,
    pub role_code: String,
    pub organ_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub organ: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<UserView>,
    organs: Vec<OrganLink>,
    roles: Vec<(String, String)>,
    errors: Vec<String>,
    new_token: String,
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<String>,
    new_token: String,
) -> AppResult<Response> {
    user.require_role(Perm::Admin)?;
    let organs = user.organs(state).await?;
    let all = state.db.organs().await?;
    let mut list = Vec::new();
    for u in state.db.users().await? {
        let visible = match u.organ_id {
            Some(o) => organs.iter().any(|x| x.id == o),
            None => user.user.role == Role::SysAdmin,
        };
        if visible {
            list.push(UserView {
                id: u.id,
                role_code: u.role.code().to_string(),
                organ_id: u.organ_id.unwrap_or(0),
                organ: u
                    .organ_id
                    .and_then(|o| all.iter().find(|x| x.id == o))
                    .map(|o| o.name.clone())
                    .unwrap_or_else(|| "（全部机关）".into()),
                username: u.username,
                display_name: u.display_name,
                role: u.role.label().to_string(),
                active: u.active,
            });
        }
    }
    let roles = Role::ALL
        .iter()
        .filter(|r| **r != Role::SysAdmin || user.user.role == Role::SysAdmin)
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    let mut resp = page(&UsersPage {
        ctx: Ctx::admin("用户与角色", user),
        users: list,
        organs: organs.iter().map(OrganLink::from).collect(),
        roles,
        errors: errors.clone(),
        new_token,
    })?;
    if !errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn users(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    users_page(&state, &user, vec![], String::new()).await
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organ: String,
}

async fn user_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    user.require_role(Perm::Admin)?;
    let role = Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let organ_id = f.organ.trim().parse::<i64>().ok();
    match (role, organ_id) {
        (Role::SysAdmin, _) => user.require_role(Perm::System)?,
        (_, Some(o)) => user.require(&state, Perm::Admin, o).await?,
        (_, None) => {
            return users_page(&state, &user, vec!["请选择所属机关".into()], String::new()).await;
        }
    }
    if let Err(e) = check_new_password(&f.password) {
        return users_page(&state, &user, vec![e], String::new()).await;
    }
    let display = if f.display_name.trim().is_empty() {
        f.username.trim()
    } else {
        f.display_name.trim()
    };
    let hash = hash_password(f.password.clone()).await?;
    let organ_id = if role == Role::SysAdmin {
        None
    } else {
        organ_id
    };
    match state
        .db
        .create_user(&f.username, display, &hash, role, organ_id, state.now())
        .await
    {
        Ok(u) => {
            audit(
                &state,
                &user,
                organ_id,
                "create",
                "user",
                u.id,
                None,
                Some(json!(u)),
            )
            .await?;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(gongkai_store::Error::Invalid(m)) => {
            users_page(&state, &user, vec![m], String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// Creates an API token for the logged-in person; it is shown once and only its hash is kept.
async fn token_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    user.require_role(Perm::Admin)?;
    let token = crate::auth::random_token();
    let name = if f.name.trim().is_empty() {
        "API"
    } else {
        f.name.trim()
    };
    let id = state
        .db
        .create_api_token(
            &crate::auth::sha256_hex(&token),
            user.user.id,
            name,
            state.now(),
        )
        .await?;
    audit(
        &state,
        &user,
        user.user.organ_id,
        "create",
        "api_token",
        id,
        None,
        Some(json!({"name": name})),
    )
    .await?;
    users_page(&state, &user, vec![], token).await
}

// ------------------------------------------------------------------------------------ audit

pub struct AuditView {
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    entries: Vec<AuditView>,
}

async fn audit_log(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require_role(Perm::Audit)?;
    let entries = match user.user.organ_id {
        None => state.db.audit_entries(None, 200).await?,
        Some(_) => {
            let mut v = Vec::new();
            for o in user.organs(&state).await? {
                v.extend(state.db.audit_entries(Some(o.id), 200).await?);
            }
            v.sort_by_key(|b| std::cmp::Reverse(b.id));
            v
        }
    };
    let entries = entries
        .into_iter()
        .map(|e| AuditView {
            at: (e.at + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            username: e.username,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    page(&AuditPage {
        ctx: Ctx::admin("操作日志", &user),
        entries,
    })
}

// ------------------------------------------------------------------------------------ attachments

/// Largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;

/// The types accepted, by extension, with the bytes a genuine file of that type starts with: the
/// type is decided here, never taken from the browser.
const ATTACHMENT_TYPES: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    ("doc", "application/msword", b"\xD0\xCF\x11\xE0"),
    ("xls", "application/vnd.ms-excel", b"\xD0\xCF\x11\xE0"),
    ("ofd", "application/ofd", b"PK\x03\x04"),
    ("zip", "application/zip", b"PK\x03\x04"),
    ("png", "image/png", b"\x89PNG"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
];

/// Checks an upload's name, size and content; returns the content type to serve it with.
pub fn check_attachment(filename: &str, data: &[u8]) -> Result<&'static str, String> {
    if data.is_empty() {
        return Err("附件是空文件".into());
    }
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(format!(
            "附件不能超过{}MB",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        ));
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, ctype, magic)) = ATTACHMENT_TYPES.iter().find(|(e, _, _)| *e == ext) else {
        return Err("附件只能是 PDF、Word、Excel、OFD、ZIP 或 PNG/JPEG 图片".into());
    };
    if !data.starts_with(magic) {
        return Err(format!("文件内容与扩展名 .{ext} 不符"));
    }
    Ok(ctype)
}

async fn attachment_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("上传的表单无法读取：{e}")))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                // Keep only the last path component of what the browser calls the file.
                let name = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                let data = field.bytes().await.map_err(|_| {
                    AppError::BadRequest(format!(
                        "附件不能超过{}MB",
                        MAX_ATTACHMENT_BYTES / 1024 / 1024
                    ))
                })?;
                file = Some((name, data.to_vec()));
            }
            _ => {}
        }
    }
    user.check_csrf(&csrf)?;
    let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
    user.require(&state, Perm::Edit, it.organ_id).await?;
    if !matches!(it.status, ItemStatus::Draft | ItemStatus::InReview) {
        return Err(AppError::Conflict("已发布的条目不能再添加附件".into()));
    }
    let (name, data) = file
        .filter(|(n, _)| !n.is_empty())
        .ok_or_else(|| AppError::BadRequest("请选择要上传的附件".into()))?;
    if name.chars().count() > 200 {
        return Err(AppError::BadRequest("附件文件名过长".into()));
    }
    let ctype = check_attachment(&name, &data).map_err(AppError::BadRequest)?;
    let aid = state.db.add_attachment(id, &name, ctype, &data).await?;
    audit(
        &state,
        &user,
        Some(it.organ_id),
        "attach",
        "item_attachment",
        aid,
        None,
        Some(json!({"item": id, "filename": name, "bytes": data.len()})),
    )
    .await?;
    state.reindex(crate::Reindex::Item(id)).await;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct UserUpdateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    active: String,
}

/// Changes an account's role, organ or whether it may log in. An organ administrator manages the
/// accounts of their organ and units only, never a system administrator; nobody changes their own
/// account here (so the last administrator cannot lock everyone out by mistake).
async fn user_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<UserUpdateForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    user.require_role(Perm::Admin)?;
    let target = state.db.user(id).await?.ok_or(AppError::NotFound)?;
    if target.id == user.user.id {
        return Err(AppError::Conflict("不能在此修改自己的账号".into()));
    }
    match target.organ_id {
        Some(o) => user.require(&state, Perm::Admin, o).await?,
        None => user.require_role(Perm::System)?,
    }
    let role = Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let organ_id = if role == Role::SysAdmin {
        user.require_role(Perm::System)?;
        None
    } else {
        let o: i64 = f
            .organ
            .trim()
            .parse()
            .map_err(|_| AppError::BadRequest("请选择所属机关".into()))?;
        user.require(&state, Perm::Admin, o).await?;
        Some(o)
    };
    let active = !f.active.is_empty();
    state.db.set_user_role(id, role, organ_id, active).await?;
    let after = state.db.user(id).await?;
    audit(
        &state,
        &user,
        organ_id.or(target.organ_id),
        "update",
        "user",
        id,
        Some(json!(target)),
        Some(json!(after)),
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}
