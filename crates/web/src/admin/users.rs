//! Accounts of the back office and their API tokens.

use super::messages;
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_app::accounts::TokenState;
use gongkai_store::users::{Grant, Role, User};
use serde::Deserialize;

pub struct UserView {
    pub id: i64,
    pub role_code: String,
    pub organ_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub organ: String,
    pub active: bool,
    /// Roles over other organs: (organ id, organ, role).
    pub grants: Vec<(i64, String, String)>,
    /// Every grant of the account lies within the organs the viewer administers, so the viewer
    /// may change it, reset its password and revoke its tokens
    /// (`gongkai_app::users::require_over_account`).
    pub manageable: bool,
    /// The viewer's own account (changed through 修改密码, never here).
    pub own: bool,
}

/// Accounts (and tokens) per page.
pub const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<UserView>,
    pager: super::Pager,
    organs: Vec<OrganLink>,
    roles: Vec<(String, String)>,
    /// The roles a new account may be given, least privilege first; none is preselected.
    new_roles: Vec<(String, String)>,
    is_sysadmin: bool,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

/// The accounts a person administering `admin_organs` sees: those homed in or holding a role
/// over one of them (a system administrator sees every account), each marked manageable when
/// every grant it holds lies within those organs.
async fn visible_accounts(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<(
    Vec<gongkai_domain::records::Organ>,
    Vec<(User, Vec<Grant>, bool)>,
)> {
    let actor = user.actor();
    let admin_organs = actor.organs_with(&state.app, Perm::Admin).await?;
    let out = gongkai_app::accounts::visible(&state.app, &actor)
        .await?
        .into_iter()
        .map(|a| (a.user, a.grants, a.manageable))
        .collect();
    Ok((admin_organs, out))
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<String>,
    page_asked: i64,
) -> AppResult<Response> {
    user.require_held(Perm::Admin)?;
    let (organs, accounts) = visible_accounts(state, user).await?;
    let all = gongkai_app::organs::all(&state.app).await?;
    let name = |id: i64| {
        all.iter()
            .find(|x| x.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let total = accounts.len() as i64;
    let pager = super::Pager::new(page_asked, total, PAGE_SIZE, "/admin/users?".into());
    let page_no = page_asked.min(pager.pages);
    let list = accounts
        .into_iter()
        .skip(((page_no - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|(u, g, manageable)| UserView {
            grants: g
                .iter()
                .filter(|g| Some(g.organ_id) != u.organ_id)
                .map(|g| (g.organ_id, name(g.organ_id), g.role.label().to_string()))
                .collect(),
            manageable,
            own: u.id == user.user.id,
            id: u.id,
            role_code: u.role.code().to_string(),
            organ_id: u.organ_id.unwrap_or(0),
            organ: u
                .organ_id
                .map(name)
                .unwrap_or_else(|| "（全部机关）".into()),
            username: u.username,
            display_name: u.display_name,
            role: u.role.label().to_string(),
            active: u.active,
        })
        .collect();
    let is_sysadmin = user.user.role == Role::SysAdmin;
    let roles = Role::ALL
        .iter()
        .filter(|r| **r != Role::SysAdmin || is_sysadmin)
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    // Least privilege first: the read-only supervisor, then one task each, the administrators
    // last.
    let new_roles = [
        Role::Supervisor,
        Role::Editor,
        Role::Handler,
        Role::Reviewer,
        Role::OrganAdmin,
        Role::SysAdmin,
    ]
    .iter()
    .filter(|r| **r != Role::SysAdmin || is_sysadmin)
    .map(|r| (r.code().to_string(), r.label().to_string()))
    .collect();
    let mut resp = page(&UsersPage {
        new_roles,
        is_sysadmin,
        ctx: Ctx::admin("用户与角色", user),
        users: list,
        pager: super::Pager {
            page: page_no,
            ..pager
        },
        organs: organs.iter().map(OrganLink::from).collect(),
        roles,
        errors: errors.clone(),
    })?;
    if !errors.is_empty() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

pub(super) async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    users_page(&state, &user, vec![], super::Pager::page_asked(&q.page)).await
}

pub struct TokenView {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    /// 有效, 已吊销（时间）, 已过期.
    pub state: String,
    pub live: bool,
    pub own: bool,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    ctx: Ctx,
    tokens: Vec<TokenView>,
    pager: super::Pager,
    new_token: String,
}

/// The API tokens of the accounts a person may manage and their own, newest first, a page at a
/// time, each with a button that revokes it.
async fn tokens_page(
    state: &AppState,
    user: &CurrentUser,
    page_asked: i64,
    new_token: String,
) -> AppResult<Response> {
    user.require_held(Perm::Admin)?;
    let zone = state.app.time.zone();
    let at = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
    };
    let tokens = gongkai_app::accounts::tokens(&state.app, &user.actor(), None).await?;
    let total = tokens.len() as i64;
    let pager = super::Pager::new(page_asked, total, PAGE_SIZE, "/admin/tokens?".into());
    let page_no = page_asked.min(pager.pages);
    let list = tokens
        .into_iter()
        .skip(((page_no - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|(t, token_state)| TokenView {
            id: t.id,
            own: t.user_id == user.user.id,
            state: match token_state {
                TokenState::Revoked(Some(r)) => format!("已吊销（{}）", at(r)),
                TokenState::Revoked(None) => "已吊销".into(),
                TokenState::Expired => "已过期".into(),
                TokenState::Valid(_) => "有效".into(),
            },
            live: token_state.live(),
            username: t.username,
            name: t.name,
            created: at(t.created_at),
            expires: t.expires_at.map(at).unwrap_or_else(|| "长期".into()),
        })
        .collect();
    page(&TokensPage {
        ctx: Ctx::admin("接口令牌", user),
        tokens: list,
        pager: super::Pager {
            page: page_no,
            ..pager
        },
        new_token,
    })
}

pub(super) async fn tokens(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    tokens_page(
        &state,
        &user,
        super::Pager::page_asked(&q.page),
        String::new(),
    )
    .await
}

/// Revokes a token for good (its owner, or an administrator who may manage its account).
pub(super) async fn token_revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    gongkai_app::users::revoke_token(&state.app, &user.actor(), id).await?;
    user.flash(&state, &format!("已吊销编号为 {id} 的接口令牌"))
        .await;
    Ok(Redirect::to("/admin/tokens").into_response())
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

pub(super) async fn user_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let Some(role) = Role::parse(&f.role) else {
        return users_page(&state, &user, vec!["请选择角色".into()], 1).await;
    };
    let new = gongkai_app::users::NewUser {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        password: f.password.clone(),
        role,
        organ_id: f.organ.trim().parse::<i64>().ok(),
    };
    match gongkai_app::users::create(&state.app, &user.actor(), new).await {
        Ok(done) => {
            user.flash(&state, &format!("已创建用户“{}”", done.value.username))
                .await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => users_page(&state, &user, messages(&e), 1).await,
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

pub(super) async fn token_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let done = gongkai_app::users::create_token(&state.app, &user.actor(), &f.name).await?;
    tokens_page(&state, &user, 1, done.value).await
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
pub(super) async fn user_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<UserUpdateForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let role = Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("请选择角色".into()))?;
    let organ_id = match role {
        Role::SysAdmin => None,
        _ => Some(
            f.organ
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("请选择所属机关".into()))?,
        ),
    };
    gongkai_app::users::update(
        &state.app,
        &user.actor(),
        id,
        role,
        organ_id,
        !f.active.is_empty(),
    )
    .await?;
    user.flash(&state, "已保存用户的角色和状态").await;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

/// An administrator sets a temporary password: every session of the account ends, and its
/// holder must choose a new one at the next login.
pub(super) async fn user_reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ResetForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    if user.user.id == id {
        return users_page(
            &state,
            &user,
            vec!["修改自己的密码请使用“修改密码”".into()],
            1,
        )
        .await;
    }
    match gongkai_app::users::set_password(&state.app, &user.actor(), id, f.password).await {
        Ok(_) => {
            user.flash(&state, "已重置密码：该用户下次登录时须修改密码")
                .await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => users_page(&state, &user, messages(&e), 1).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    role: String,
}

/// Gives an account a role over one more organ.
pub(super) async fn grant_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let (Some(role), Ok(organ)) = (Role::parse(&f.role), f.organ.trim().parse::<i64>()) else {
        return users_page(&state, &user, vec!["请选择机关和角色".into()], 1).await;
    };
    match gongkai_app::users::grant(&state.app, &user.actor(), id, organ, role).await {
        Ok(_) => {
            user.flash(&state, "已授予该机关的角色").await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e @ (gongkai_app::Error::Invalid(_) | gongkai_app::Error::Conflict(_))) => {
            users_page(&state, &user, messages(&e), 1).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn grant_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, organ)): Path<(i64, i64)>,
    Form(f): Form<CsrfOnly>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    gongkai_app::users::revoke(&state.app, &user.actor(), id, organ).await?;
    user.flash(&state, "已撤销该机关的角色").await;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    ctx: Ctx,
    forced: bool,
    errors: Vec<(String, String)>,
}

impl PasswordPage {
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn forced(state: &AppState, user: &CurrentUser) -> AppResult<bool> {
    Ok(state
        .db
        .session(user.token_hash(), state.now())
        .await?
        .is_some_and(|s| s.must_change_password))
}

/// Changing one's own password (required after an administrator's reset).
pub(super) async fn own_password(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Response> {
    page(&PasswordPage {
        ctx: Ctx::admin("修改密码", &user),
        forced: forced(&state, &user).await?,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct OwnPasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub(super) async fn own_password_save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<OwnPasswordForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let result = if f.password != f.confirm {
        Err(gongkai_app::Error::invalid(
            "confirm",
            "两次输入的新密码不一致",
        ))
    } else {
        gongkai_app::users::change_own_password(&state.app, &user.actor(), &f.current, f.password)
            .await
    };
    match result {
        // The new password ended every session, this one too: log in again with it.
        Ok(_) => Ok(Redirect::to("/login?changed=1").into_response()),
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            let mut resp = page(&PasswordPage {
                ctx: Ctx::admin("修改密码", &user),
                forced: forced(&state, &user).await?,
                errors: e
                    .fields()
                    .iter()
                    .map(|f| (f.field.to_string(), f.message.clone()))
                    .collect(),
            })?;
            *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}
