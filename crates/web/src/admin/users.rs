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
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
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
    Ok(Redirect::to("/admin/users").into_response())
}
