//! Catalogue items in the back office: the list with art. 26 warnings, the form, the workflow
//! buttons, interpretations and attachments.

use super::dashboard::WarnRow;
use super::{OrganQuery, messages, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{CategoryView, Ctx, ItemView, OrganLink, category_views, date, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::records::{CatalogueItem, DocKind, ItemAction, Organ, Timeliness};
use serde::Deserialize;

pub use gongkai_app::items::MAX_ATTACHMENT_BYTES;

#[derive(Template)]
#[template(path = "admin/items.html")]
struct ItemsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<WarnRow>,
    can_edit: bool,
}

pub(super) async fn items(
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
            warning: Timeliness::of(it, today, &cal).warning(),
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

impl ItemForm {
    fn input(&self) -> gongkai_app::items::ItemInput {
        gongkai_app::items::ItemInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            category: self.category.clone(),
            issuing_unit: self.issuing_unit.clone(),
            written_on: self.written_on.clone(),
            doc_number: self.doc_number.clone(),
            doc_kind: self.doc_kind.clone(),
        }
    }
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
    /// Attachments indexed without their text at the last publication, and why.
    index_notes: Vec<String>,
}

fn doc_kinds() -> Vec<(String, String)> {
    DocKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect()
}

/// The workflow actions the person may take on an item in its state, as (action, label).
async fn item_actions(
    state: &AppState,
    user: &CurrentUser,
    it: &CatalogueItem,
) -> AppResult<Vec<(String, String)>> {
    Ok(gongkai_app::items::actions(&state.app, &user.actor(), it)
        .await?
        .into_iter()
        .map(|a| (a.code().to_string(), a.label().to_string()))
        .collect())
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
    item_form_page_noted(state, user, organ, id, form, errors, item, vec![]).await
}

/// [`item_form_page`] with notes for the officer (attachments indexed without their text).
#[allow(clippy::too_many_arguments)]
async fn item_form_page_noted(
    state: &AppState,
    user: &CurrentUser,
    organ: &Organ,
    id: i64,
    form: ItemForm,
    errors: Vec<String>,
    item: Option<&CatalogueItem>,
    index_notes: Vec<String>,
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
                it.status.editable(),
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
        index_notes,
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

pub(super) async fn item_new(
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

pub(super) async fn item_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let organ_id = organ_of_form(&f.organ)?;
    match gongkai_app::items::create(&state.app, &user.actor(), organ_id, &f.input()).await {
        Ok(done) => {
            let it = state.refreshed(done).await;
            Ok(Redirect::to(&format!("/admin/items/{}", it.id)).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let organ = state.db.organ(organ_id).await?.ok_or(AppError::NotFound)?;
            item_form_page(&state, &user, &organ, 0, f, messages(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn item_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
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
    let note = index_note::take(&headers, id);
    let notes = note.as_ref().map(|n| n.0.clone()).unwrap_or_default();
    let mut r =
        item_form_page_noted(&state, &user, &organ, id, form, vec![], Some(&it), notes).await?;
    if let Some((_, clear)) = note {
        r.headers_mut()
            .append(axum::http::header::SET_COOKIE, clear);
    }
    Ok(r)
}

pub(super) async fn item_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    match gongkai_app::items::update(&state.app, &user.actor(), id, &f.input()).await {
        Ok(done) => {
            state.refreshed(done).await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let it = state.db.item(id).await?.ok_or(AppError::NotFound)?;
            let organ = state
                .db
                .organ(it.organ_id)
                .await?
                .ok_or(AppError::NotFound)?;
            item_form_page(&state, &user, &organ, id, f, messages(&e), Some(&it)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TransitionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
}

pub(super) async fn item_transition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<TransitionForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let action =
        ItemAction::parse(&f.action).ok_or_else(|| AppError::BadRequest("未知的操作".into()))?;
    let done = gongkai_app::items::act(&state.app, &user.actor(), id, action).await?;
    let (_, skipped) = state.refreshed_reporting(done).await;
    let mut r = Redirect::to(&format!("/admin/items/{id}")).into_response();
    if !skipped.is_empty() {
        r.headers_mut().append(
            axum::http::header::SET_COOKIE,
            index_note::set(id, &skipped, state.config.secure_cookies),
        );
    }
    Ok(r)
}

/// Tells the officer, on the item's page after the redirect, which attachments were indexed
/// without their text and why: a short-lived cookie for that page only, read and cleared there.
mod index_note {
    use axum::http::{HeaderMap, HeaderValue};

    pub const COOKIE: &str = "gk_index_note";
    /// Messages kept in the cookie (a browser keeps at most 4 KB of it, hex doubles the size).
    const MAX_BYTES: usize = 1500;

    pub fn messages(skipped: &[gongkai_search::extract::Skipped]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut size = 0;
        for (i, s) in skipped.iter().enumerate() {
            let m = format!(
                "附件《{}》的文字未能提取（{}），已按标题收录检索",
                s.filename,
                // The reason as the extractor's error says it, without its generic prefix.
                s.reason.trim_start_matches("附件文字提取失败：")
            );
            if size + m.len() > MAX_BYTES {
                out.push(format!(
                    "另有{}个附件的文字未能提取，已按标题收录检索",
                    skipped.len() - i
                ));
                break;
            }
            size += m.len();
            out.push(m);
        }
        out
    }

    pub fn set(id: i64, skipped: &[gongkai_search::extract::Skipped], secure: bool) -> HeaderValue {
        let value = hex::encode(messages(skipped).join("\n"));
        let mut c = format!(
            "{COOKIE}={value}; Path=/admin/items/{id}; HttpOnly; SameSite=Strict; Max-Age=300"
        );
        if secure {
            c.push_str("; Secure");
        }
        HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The messages left for item `id`'s page, and the header that clears them.
    pub fn take(headers: &HeaderMap, id: i64) -> Option<(Vec<String>, HeaderValue)> {
        let raw = crate::auth::cookie(headers, COOKIE)?;
        let text = String::from_utf8(hex::decode(raw).ok()?).ok()?;
        let clear = HeaderValue::from_str(&format!(
            "{COOKIE}=; Path=/admin/items/{id}; HttpOnly; SameSite=Strict; Max-Age=0"
        ))
        .ok()?;
        Some((text.split('\n').map(String::from).collect(), clear))
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    interpretation: String,
}

/// Links an interpretation (given by id or 索引号) to this policy document.
pub(super) async fn item_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let done =
        gongkai_app::items::link_interpretation(&state.app, &user.actor(), id, &f.interpretation)
            .await?;
    state.refreshed(done).await;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}

pub(super) async fn attachment_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let (csrf, file) = super::read_upload(multipart).await?;
    user.check_csrf(&csrf)?;
    let (name, data) = file.unwrap_or_default();
    let done = gongkai_app::items::attach(&state.app, &user.actor(), id, &name, &data).await?;
    state.refreshed(done).await;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}
