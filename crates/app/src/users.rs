//! Accounts of the back office: create one, change its role, organ and state, set its password.
//! Only an administrator of the organ (or the system administrator, for accounts above any
//! organ) may; nobody changes their own role here.

use crate::audit::{Change, record};
use crate::passwords::{check_new_password, hash_password};
use crate::{Actor, App, Done, Error, Perm, Result};
use gongkai_store::users::{Role, User};

/// A new account as the form, the API or the command line gives it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub organ_id: Option<i64>,
}

async fn require_over(app: &App, actor: &Actor, role: Role, organ_id: Option<i64>) -> Result<()> {
    match (role, organ_id) {
        (Role::SysAdmin, _) => actor.require_role(Perm::System),
        (_, Some(o)) => actor.require(app, Perm::Admin, o).await,
        (_, None) => Err(Error::invalid("organ", "请选择所属机关")),
    }
}

pub async fn create(app: &App, actor: &Actor, new: NewUser) -> Result<Done<User>> {
    actor.require_role(Perm::Admin)?;
    require_over(app, actor, new.role, new.organ_id).await?;
    check_new_password(&new.password).map_err(|m| Error::invalid("password", m))?;
    let display = match new.display_name.trim() {
        "" => new.username.trim().to_string(),
        d => d.to_string(),
    };
    let organ_id = if new.role == Role::SysAdmin {
        None
    } else {
        new.organ_id
    };
    let hash = hash_password(new.password).await?;
    let mut tx = app.db.begin().await?;
    let u = tx
        .create_user(
            &new.username,
            &display,
            &hash,
            new.role,
            organ_id,
            app.time.now(),
        )
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(organ_id, "create", "user", u.id).after(&u),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(u))
}

/// Changes an account's role, organ and whether it is active (deactivating ends its sessions).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: i64,
    role: Role,
    organ_id: Option<i64>,
    active: bool,
) -> Result<Done<User>> {
    actor.require_role(Perm::Admin)?;
    let target = app
        .db
        .user(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {id}")))?;
    if actor.user_id() == Some(id) {
        return Err(Error::Conflict("不能在此修改自己的账号".into()));
    }
    require_over(app, actor, target.role, target.organ_id).await?;
    let organ_id = if role == Role::SysAdmin {
        None
    } else {
        organ_id
    };
    require_over(app, actor, role, organ_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_user_role(id, role, organ_id, active).await?;
    let after = User {
        role,
        organ_id,
        active,
        ..target.clone()
    };
    record(
        app,
        &mut tx,
        actor,
        Change::new(organ_id.or(target.organ_id), "update", "user", id)
            .before(&target)
            .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after))
}

/// Sets a new password (which ends every session of the account).
pub async fn set_password(app: &App, actor: &Actor, id: i64, password: String) -> Result<Done<()>> {
    let target = app
        .db
        .user(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {id}")))?;
    if actor.user_id() != Some(id) {
        require_over(app, actor, target.role, target.organ_id).await?;
    }
    check_new_password(&password).map_err(|m| Error::invalid("password", m))?;
    let hash = hash_password(password).await?;
    let mut tx = app.db.begin().await?;
    tx.set_user_password(id, &hash).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(target.organ_id, "set_password", "user", id),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// A new API token of the acting account: the secret is returned once and only its hash kept.
pub async fn create_token(app: &App, actor: &Actor, name: &str) -> Result<Done<String>> {
    actor.require_role(Perm::Admin)?;
    let Actor::User(u) = actor else {
        return Err(Error::Forbidden);
    };
    let name = match name.trim() {
        "" => "API",
        n if n.chars().count() > 64 => return Err(Error::invalid("name", "令牌名称不能超过64字")),
        n => n,
    };
    let token = crate::passwords::random_token();
    let mut tx = app.db.begin().await?;
    let id = tx
        .create_api_token(
            &crate::passwords::sha256_hex(&token),
            u.id,
            name,
            app.time.now(),
            None,
        )
        .await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(u.organ_id, "create", "api_token", id)
            .after(&serde_json::json!({"name": name})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(token))
}

/// Revokes an API token for good (an administrator over its account's organ, or its owner).
pub async fn revoke_token(app: &App, actor: &Actor, token_id: i64) -> Result<Done<()>> {
    let owner = app
        .db
        .api_tokens(None)
        .await?
        .into_iter()
        .find(|t| t.id == token_id)
        .ok_or_else(|| Error::NotFound(format!("令牌 {token_id}")))?;
    let account = app
        .db
        .user(owner.user_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {}", owner.username)))?;
    if actor.user_id() != Some(account.id) {
        require_over(app, actor, account.role, account.organ_id).await?;
    }
    let mut tx = app.db.begin().await?;
    if !tx.revoke_api_token(token_id, app.time.now()).await? {
        return Err(Error::Conflict(format!(
            "没有编号为 {token_id} 的有效令牌（可能已吊销）"
        )));
    }
    record(
        app,
        &mut tx,
        actor,
        Change::new(account.organ_id, "revoke", "api_token", token_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}
