//! Catalogue items in the back office: the list with art. 26 warnings, the form, the workflow
//! buttons, interpretations and attachments.

use super::{OrganQuery, Pager, enc, messages, organ_of_form, pick_organ};
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{CategoryView, Ctx, ItemView, OrganLink, category_views, date, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::records::{CatalogueItem, DocKind, ItemAction, ItemStatus, Organ, Timeliness};
use gongkai_store::office::ItemFilter;
use serde::Deserialize;

pub use gongkai_app::items::MAX_ATTACHMENT_BYTES;

/// Items per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// An item of the list: its warning against art. 26 and, when its reviewer returned it, why.
pub struct ListRow {
    pub item: ItemView,
    pub warning: String,
    pub returned: String,
}

#[derive(Template)]
#[template(path = "admin/items.html")]
struct ItemsPage {
    ctx: Ctx,
    organ: OrganLink,
    organs: Vec<OrganLink>,
    rows: Vec<ListRow>,
    can_edit: bool,
    /// The filters as asked.
    f: ItemsQuery,
    statuses: Vec<(String, String)>,
    categories: Vec<CategoryView>,
    selected_category: i64,
    units: Vec<String>,
    years: Vec<i32>,
    pager: Pager,
    filtered: bool,
}

/// The list's filters (`?status=` is what the 工作台's tiles link to).
#[derive(Deserialize, Default, Clone)]
pub struct ItemsQuery {
    #[serde(default)]
    pub organ: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

/// A category and every category below it.
fn with_subcategories(cats: &[gongkai_domain::records::Category], id: i64) -> Vec<i64> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            cats.iter()
                .filter(|c| c.parent_id == Some(parent))
                .map(|c| c.id),
        );
        i += 1;
    }
    out
}

pub(super) async fn items(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ItemsQuery>,
) -> AppResult<Response> {
    let (organ, organs) = pick_organ(
        &state,
        &user,
        &OrganQuery {
            organ: q.organ.clone(),
        },
    )
    .await?;
    let cal = gongkai_app::cases::calendar(&state.app).await?;
    let today = state.today();
    let actor = user.actor();
    let cats = gongkai_app::catalogue::categories(&state.app, &actor, organ.id).await?;
    let status = ItemStatus::parse(&q.status)
        .map(|s| s.code().to_string())
        .unwrap_or_default();
    let selected_category = q
        .category
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| cats.iter().any(|c| c.id == *id))
        .unwrap_or(0);
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y));
    let page_no = Pager::page_asked(&q.page);
    let filter = ItemFilter {
        status: status.clone(),
        categories: if selected_category > 0 {
            with_subcategories(&cats, selected_category)
        } else {
            vec![]
        },
        unit: q.unit.trim().to_string(),
        year,
        title: q.q.trim().to_string(),
        limit: PAGE_SIZE,
        offset: (page_no - 1) * PAGE_SIZE,
    };
    let gongkai_app::catalogue::ItemsPage {
        items: list,
        total,
        returned,
        units,
        years,
    } = gongkai_app::catalogue::items_page(&state.app, &actor, organ.id, &filter).await?;
    let rows = list
        .iter()
        .map(|it| ListRow {
            item: ItemView::new(it, &cats, today),
            warning: Timeliness::of(it, today, &cal).warning(),
            returned: returned.get(&it.id).cloned().unwrap_or_default(),
        })
        .collect();
    let base = format!(
        "/admin/items?organ={}&status={}&category={}&unit={}&year={}&q={}&",
        organ.id,
        enc(&status),
        if selected_category > 0 {
            selected_category.to_string()
        } else {
            String::new()
        },
        enc(q.unit.trim()),
        year.map(|y| y.to_string()).unwrap_or_default(),
        enc(q.q.trim()),
    );
    let filtered = !status.is_empty()
        || selected_category > 0
        || !q.unit.trim().is_empty()
        || year.is_some()
        || !q.q.trim().is_empty();
    page(&ItemsPage {
        ctx: Ctx::admin(format!("信息发布 - {}", organ.name), &user),
        can_edit: user.can(&state, Perm::Edit, organ.id).await?,
        organ: OrganLink::from(&organ),
        organs,
        rows,
        f: ItemsQuery {
            status,
            year: year.map(|y| y.to_string()).unwrap_or_default(),
            ..q
        },
        statuses: ItemStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string()))
            .collect(),
        categories: category_views(&cats),
        selected_category,
        units,
        years,
        pager: Pager::new(page_no, total, PAGE_SIZE, base),
        filtered,
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
    /// `submit` when the editor pressed 保存并提交审核: the edits are saved, then submitted.
    #[serde(default)]
    then: String,
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
    /// Why the reviewer returned the item, while it stands.
    returned: String,
    extra: Extra,
    /// Items found by title to link as this one's interpretation.
    candidates: Vec<ItemView>,
    /// The item's recorded changes of 有效性, oldest first, as (date, 有效性, note).
    validity: Vec<(String, String, String)>,
    /// Whether the 有效性 form is offered (an editor, the item not under review).
    can_set_validity: bool,
    validities: Vec<(&'static str, &'static str)>,
}

/// What the item page carries besides the item: the 退回 reason being typed and its error, the
/// words searched for an interpretation.
#[derive(Default)]
pub struct Extra {
    pub reason: String,
    pub reason_error: String,
    pub find: String,
    pub link_error: String,
    /// The 有效性 change being entered, and its errors.
    pub validity: gongkai_app::items::ValidityInput,
    pub validity_errors: Vec<String>,
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
    item_page_with(state, user, organ, id, form, errors, item, Extra::default()).await
}

#[allow(clippy::too_many_arguments)]
async fn item_page_with(
    state: &AppState,
    user: &CurrentUser,
    organ: &Organ,
    id: i64,
    form: ItemForm,
    errors: Vec<String>,
    item: Option<&CatalogueItem>,
    extra: Extra,
) -> AppResult<Response> {
    let cats = gongkai_app::catalogue::categories(&state.app, &user.actor(), organ.id).await?;
    let today = state.today();
    let details = match item {
        Some(it) => Some(gongkai_app::catalogue::details(&state.app, &user.actor(), it).await?),
        None => None,
    };
    let views = |v: &[CatalogueItem]| -> Vec<ItemView> {
        v.iter().map(|x| ItemView::new(x, &cats, today)).collect()
    };
    let (actions, editable, interpretations, policies) = match (item, &details) {
        (Some(it), Some(d)) => {
            let (interp, pol) = (views(&d.interpretations), views(&d.policies));
            let mut actions = item_actions(state, user, it).await?;
            // A draft is submitted by the form's own 保存并提交审核 button, so edits typed and
            // not yet saved are never left behind by a separate 提交审核.
            if it.status.editable() {
                actions.retain(|(a, _)| a != ItemAction::Submit.code());
            }
            (actions, it.status.editable(), interp, pol)
        }
        _ => (vec![], true, vec![], vec![]),
    };
    let selected_category = form.category.trim().parse().unwrap_or(0);
    let can_edit = user.can(state, Perm::Edit, organ.id).await?;
    let (attachments, returned) = match details {
        Some(d) => (d.attachments, d.returned),
        None => (vec![], String::new()),
    };
    let candidates = match item {
        Some(it) if can_edit && !extra.find.trim().is_empty() => {
            gongkai_app::items::interpretation_candidates(
                &state.app,
                &user.actor(),
                it.id,
                &extra.find,
            )
            .await?
            .iter()
            .map(|x| ItemView::new(x, &cats, today))
            .collect()
        }
        _ => vec![],
    };
    let invalid = !errors.is_empty()
        || !extra.reason_error.is_empty()
        || !extra.link_error.is_empty()
        || !extra.validity_errors.is_empty();
    let validity = item
        .map(|it| {
            it.validity
                .iter()
                .map(|c| {
                    (
                        c.changed_on.to_string(),
                        c.validity.label().to_string(),
                        c.note.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let can_set_validity = can_edit && item.is_some_and(|it| it.status != ItemStatus::InReview);
    let mut resp = page(&ItemFormPage {
        attachments,
        returned,
        extra,
        candidates,
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
        validity,
        can_set_validity,
        validities: gongkai_domain::records::Validity::ALL
            .iter()
            .map(|v| (v.code(), v.label()))
            .collect(),
    })?;
    if invalid {
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
        // 其他 unless the editor says otherwise: a 规章 or 规范性文件 is a choice, not a default.
        doc_kind: DocKind::Other.code().to_string(),
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
            let message = submit_if_asked(&state, &user, it.id, &f.then, "已保存为草稿").await?;
            user.flash(&state, &message).await;
            Ok(Redirect::to(&format!("/admin/items/{}", it.id)).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let organ = gongkai_app::organs::get(&state.app, organ_id).await?;
            item_form_page(&state, &user, &organ, 0, f, messages(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct ItemPageQuery {
    /// Words of an interpretation's title to search for.
    #[serde(default)]
    find: String,
}

pub(super) async fn item_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ItemPageQuery>,
) -> AppResult<Response> {
    let extra = Extra {
        find: q.find,
        ..Extra::default()
    };
    stored_item_page(&state, &user, id, extra).await
}

/// The page of stored item `id` (for those who may view it), with `extra` beside the item.
async fn stored_item_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    extra: Extra,
) -> AppResult<Response> {
    let it = gongkai_app::catalogue::item(&state.app, &user.actor(), id).await?;
    let organ = gongkai_app::organs::get(&state.app, it.organ_id).await?;
    let form = stored_form(state, user, &organ, &it).await?;
    item_page_with(state, user, &organ, id, form, vec![], Some(&it), extra).await
}

/// The form as the stored item fills it.
async fn stored_form(
    state: &AppState,
    user: &CurrentUser,
    organ: &Organ,
    it: &CatalogueItem,
) -> AppResult<ItemForm> {
    Ok(ItemForm {
        csrf: String::new(),
        organ: organ.id.to_string(),
        title: it.title.clone(),
        summary: it.summary.clone(),
        body: gongkai_app::catalogue::body(&state.app, &user.actor(), it).await?,
        category: it.category_id.to_string(),
        issuing_unit: it.issuing_unit.clone(),
        written_on: date(it.written_on),
        doc_number: it.doc_number.clone(),
        doc_kind: it.doc_kind.code().to_string(),
        then: String::new(),
    })
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
            let message = submit_if_asked(&state, &user, id, &f.then, "已保存").await?;
            user.flash(&state, &message).await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let it = gongkai_app::catalogue::item(&state.app, &user.actor(), id).await?;
            let organ = gongkai_app::organs::get(&state.app, it.organ_id).await?;
            item_form_page(&state, &user, &organ, id, f, messages(&e), Some(&it)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// After a save: submits the item for review when the editor pressed 保存并提交审核; returns
/// what the next page says.
async fn submit_if_asked(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    then: &str,
    saved: &str,
) -> AppResult<String> {
    if then != ItemAction::Submit.code() {
        return Ok(saved.to_string());
    }
    match gongkai_app::items::act(&state.app, &user.actor(), id, ItemAction::Submit).await {
        Ok(done) => {
            state.refreshed(done).await;
            Ok("已保存，已提交审核".to_string())
        }
        // Saved, but not submitted (another tab submitted it meanwhile, or the role changed).
        Err(e @ (gongkai_app::Error::Conflict(_) | gongkai_app::Error::Forbidden)) => {
            Ok(format!("已保存，但未能提交审核：{e}"))
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
    /// Why, for 退回修改.
    #[serde(default)]
    reason: String,
}

/// What the next page says after a step.
fn done_message(a: ItemAction) -> &'static str {
    match a {
        ItemAction::Submit => "已提交审核",
        ItemAction::Publish => "已发布",
        ItemAction::Return => "已退回修改，退回理由已告知编辑",
        ItemAction::Withdraw => "已撤回",
        ItemAction::Redraft => "已转为草稿，可以重新编辑",
        ItemAction::Recall => "已撤回审核，修改后请重新提交审核",
    }
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
    match gongkai_app::items::act_with_reason(&state.app, &user.actor(), id, action, &f.reason)
        .await
    {
        Ok(done) => {
            // Attachments indexed without their text are named in the message, with why.
            let (_, indexed) = state.refreshed_reporting(done).await;
            let mut message = done_message(action).to_string();
            for note in index_notes(&indexed.skipped) {
                message.push('；');
                message.push_str(&note);
            }
            if indexed.pending {
                message.push_str("；附件文字仍在后台提取，完成后即可检索");
            }
            user.flash(&state, &message).await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        // The reason is missing or too long: the page again, with the message beside the box.
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let extra = Extra {
                reason: f.reason,
                reason_error: messages(&e).join("；"),
                ..Extra::default()
            };
            stored_item_page(&state, &user, id, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the officer is told of attachments indexed without their text (at most a few, then a
/// count, so the message stays readable).
fn index_notes(skipped: &[gongkai_search::extract::Skipped]) -> Vec<String> {
    const SHOWN: usize = 5;
    let mut out: Vec<String> = skipped
        .iter()
        .take(SHOWN)
        .map(|s| {
            format!(
                "附件《{}》的文字未能提取（{}），已按标题收录检索",
                s.filename,
                // The reason as the extractor's error says it, without its generic prefix.
                s.reason.trim_start_matches("附件文字提取失败：")
            )
        })
        .collect();
    if skipped.len() > SHOWN {
        out.push(format!(
            "另有{}个附件的文字未能提取，已按标题收录检索",
            skipped.len() - SHOWN
        ));
    }
    out
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    interpretation: String,
}

/// Links an interpretation (picked from a title search, or given by 索引号) to this policy
/// document.
pub(super) async fn item_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    match gongkai_app::items::link_interpretation(&state.app, &user.actor(), id, &f.interpretation)
        .await
    {
        Ok(done) => {
            state.refreshed(done).await;
            user.flash(&state, "已关联解读").await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let extra = Extra {
                link_error: messages(&e).join("；"),
                ..Extra::default()
            };
            stored_item_page(&state, &user, id, extra).await
        }
        Err(e) => Err(e.into()),
    }
}

/// An attachment of an item not yet public, for its organ's staff (the reviewer reads it before
/// deciding).
pub(super) async fn attachment_download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(aid): Path<i64>,
) -> AppResult<Response> {
    let (info, data) = gongkai_app::catalogue::attachment(&state.app, &user.actor(), aid).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, info.content_type.clone()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", enc(&info.filename)),
            ),
        ],
        data,
    )
        .into_response())
}

/// Uploads an attachment. From the item form (its 保存并上传附件 button, or Enter in one of its
/// fields), the form's edits are saved first, so choosing a file never loses what was typed: a
/// save refused for its mistakes shows them with the text kept and uploads nothing; an upload
/// refused after the save says the edits were saved.
pub(super) async fn attachment_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let (fields, file) = super::read_upload_fields(multipart).await?;
    user.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let (name, data) = file.unwrap_or_default();
    if !fields.contains_key("title") {
        let done = gongkai_app::items::attach(&state.app, &user.actor(), id, &name, &data).await?;
        state.refreshed(done).await;
        user.flash(&state, "附件已上传").await;
        return Ok(Redirect::to(&format!("/admin/items/{id}")).into_response());
    }
    let f: ItemForm = serde_json::to_value(&fields)
        .and_then(serde_json::from_value)
        .map_err(|e| AppError::BadRequest(format!("表单无法读取：{e}")))?;
    let form_page = |f: ItemForm, errors: Vec<String>| {
        let state = state.clone();
        let user = &user;
        async move {
            let it = gongkai_app::catalogue::item(&state.app, &user.actor(), id).await?;
            let organ = gongkai_app::organs::get(&state.app, it.organ_id).await?;
            item_form_page(&state, user, &organ, id, f, errors, Some(&it)).await
        }
    };
    match gongkai_app::items::update(&state.app, &user.actor(), id, &f.input()).await {
        Ok(done) => {
            state.refreshed(done).await;
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let mut errors = messages(&e);
            if !name.is_empty() {
                errors.push(format!(
                    "附件“{name}”未上传：请修改以上问题后重新选择文件上传"
                ));
            }
            return form_page(f, errors).await;
        }
        Err(e) => return Err(e.into()),
    }
    // Enter in a field, or the button without a file: the edits are saved, nothing to upload.
    if name.is_empty() && data.is_empty() {
        user.flash(&state, "已保存").await;
        return Ok(Redirect::to(&format!("/admin/items/{id}")).into_response());
    }
    match gongkai_app::items::attach(&state.app, &user.actor(), id, &name, &data).await {
        Ok(done) => {
            state.refreshed(done).await;
            user.flash(&state, "已保存，附件已上传").await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let errors = messages(&e)
                .into_iter()
                .map(|m| format!("填写的内容已保存，附件未上传：{m}"))
                .collect();
            form_page(f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ValidityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    validity: String,
    #[serde(default)]
    changed_on: String,
    #[serde(default)]
    note: String,
}

/// Records a change of the item's 有效性 (修订/废止/失效, or 有效 again) from the item page.
pub(super) async fn item_validity(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ValidityForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let input = gongkai_app::items::ValidityInput {
        validity: f.validity,
        changed_on: f.changed_on,
        note: f.note,
    };
    match gongkai_app::items::set_validity(&state.app, &user.actor(), id, &input).await {
        Ok(done) => {
            let it = state.refreshed(done).await;
            let now = it.validity_on(state.today());
            user.flash(&state, &format!("已登记有效性变更，现为“{}”", now.label()))
                .await;
            Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let extra = Extra {
                validity_errors: messages(&e),
                validity: input,
                ..Extra::default()
            };
            stored_item_page(&state, &user, id, extra).await
        }
        Err(e) => Err(e.into()),
    }
}
