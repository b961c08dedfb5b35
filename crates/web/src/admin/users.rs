//! Accounts of the back office and their API tokens.

use super::messages;
use crate::AppState;
use crate::auth::{CurrentUser, Perm};
use crate::error::{AppError, AppResult};
use crate::views::{Ctx, OrganLink, page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::users::Role;
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
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<UserView>,
    organs: Vec<OrganLink>,
    roles: Vec<(String, String)>,
    /// The roles a new account may be given, least privilege first; none is preselected.
    new_roles: Vec<(String, String)>,
    is_sysadmin: bool,
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
            let mut grants = Vec::new();
            for g in state.db.user_grants(u.id).await? {
                if Some(g.organ_id) != u.organ_id {
                    let name = all
                        .iter()
                        .find(|x| x.id == g.organ_id)
                        .map(|o| o.name.clone())
                        .unwrap_or_default();
                    grants.push((g.organ_id, name, g.role.label().to_string()));
                }
            }
            list.push(UserView {
                grants,
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
    .filter(|r| **r != Role::SysAdmin || user.user.role == Role::SysAdmin)
    .map(|r| (r.code().to_string(), r.label().to_string()))
    .collect();
    let mut resp = page(&UsersPage {
        new_roles,
        is_sysadmin: user.user.role == Role::SysAdmin,
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

pub(super) async fn users(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
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

pub(super) async fn user_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let Some(role) = Role::parse(&f.role) else {
        return users_page(&state, &user, vec!["请选择角色".into()], String::new()).await;
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
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            users_page(&state, &user, messages(&e), String::new()).await
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

pub(super) async fn token_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    user.check_csrf(&f.csrf)?;
    let done = gongkai_app::users::create_token(&state.app, &user.actor(), &f.name).await?;
    users_page(&state, &user, vec![], done.value).await
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
            String::new(),
        )
        .await;
    }
    match gongkai_app::users::set_password(&state.app, &user.actor(), id, f.password).await {
        Ok(_) => {
            user.flash(&state, "已重置密码：该用户下次登录时须修改密码")
                .await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e @ gongkai_app::Error::Invalid(_)) => {
            users_page(&state, &user, messages(&e), String::new()).await
        }
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
        return users_page(
            &state,
            &user,
            vec!["请选择机关和角色".into()],
            String::new(),
        )
        .await;
    };
    match gongkai_app::users::grant(&state.app, &user.actor(), id, organ, role).await {
        Ok(_) => {
            user.flash(&state, "已授予该机关的角色").await;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(e @ (gongkai_app::Error::Invalid(_) | gongkai_app::Error::Conflict(_))) => {
            users_page(&state, &user, messages(&e), String::new()).await
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
