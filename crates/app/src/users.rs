//! Accounts of the back office: create one, change its role, organ and state, set its password.
//! Only an administrator of the organ (or the system administrator, for accounts above any
//! organ) may; nobody changes their own role here.

use crate::audit::{Action, Change, record};
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

/// May `actor` manage an account of `role` homed in `organ_id` (creating one, or giving an
/// account that role and home)?
async fn require_over(app: &App, actor: &Actor, role: Role, organ_id: Option<i64>) -> Result<()> {
    match (role, organ_id) {
        (Role::SysAdmin, _) => actor.require_role(Perm::System),
        (_, Some(o)) => actor.require(app, Perm::Admin, o).await,
        (_, None) => Err(Error::invalid("organ", "请选择所属机关")),
    }
}

/// May `actor` change, deactivate or reset the password of `target`? Only if every grant the
/// account holds lies within the organs the actor administers: an administrator of organ A who
/// reset the password of an account homed in A that also holds a role over organ B would
/// otherwise log in as it and act on B, a privilege that grew by itself. A system administrator's
/// account is managed by system administrators only.
pub async fn require_over_account(app: &App, actor: &Actor, target: &User) -> Result<()> {
    if target.role == Role::SysAdmin {
        return actor.require_role(Perm::System);
    }
    let grants = app.db.user_grants(target.id).await?;
    let home = target
        .organ_id
        .filter(|o| !grants.iter().any(|g| g.organ_id == *o));
    if grants.is_empty() && home.is_none() {
        // An account with no organ at all: only the system's administrators.
        return actor.require_role(Perm::System);
    }
    for organ in grants.iter().map(|g| g.organ_id).chain(home) {
        if !actor.can(app, Perm::Admin, organ).await? {
            tracing::warn!(actor = %actor.name(), target = target.id, organ, "account action refused: a grant outside the actor's organs");
            return Err(Error::Forbidden);
        }
    }
    Ok(())
}

pub async fn create(app: &App, actor: &Actor, new: NewUser) -> Result<Done<User>> {
    if !actor.holds(app, Perm::Admin).await? {
        return Err(Error::Forbidden);
    }
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
        Change::new(organ_id, Action::Create, "user", u.id).after(&u),
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
    if !actor.holds(app, Perm::Admin).await? {
        return Err(Error::Forbidden);
    }
    let target = app
        .db
        .user(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {id}")))?;
    if actor.user_id() == Some(id) {
        return Err(Error::Conflict("不能在此修改自己的账号".into()));
    }
    require_over_account(app, actor, &target).await?;
    let organ_id = if role == Role::SysAdmin {
        None
    } else {
        organ_id
    };
    require_over(app, actor, role, organ_id).await?;
    let mut tx = app.db.begin().await?;
    tx.set_user_role(id, role, organ_id, active).await?;
    if !active && target.active {
        // A deactivated account's tokens stop at once and do not come back with it.
        tx.revoke_api_tokens_of(id, app.time.now()).await?;
    }
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
        Change::new(organ_id.or(target.organ_id), Action::Update, "user", id)
            .before(&target)
            .after(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(after))
}

/// Sets a new password (which ends every session of the account). Set by an administrator for
/// someone else, it must be changed by its holder at the next login and every API token of the
/// account is revoked (whoever had the account's password may have made one); set by the
/// holder, that requirement is lifted and the tokens are kept (listed and revocable in the back
/// office).
pub async fn set_password(app: &App, actor: &Actor, id: i64, password: String) -> Result<Done<()>> {
    let target = app
        .db
        .user(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {id}")))?;
    let own = actor.user_id() == Some(id);
    if !own {
        require_over_account(app, actor, &target).await?;
    }
    check_new_password(&password).map_err(|m| Error::invalid("password", m))?;
    let hash = hash_password(password).await?;
    // The operator at the command line sets the first password of an installation: no change
    // is forced then; an administrator's reset in the back office forces one.
    let forced = !own && matches!(actor, Actor::User(_));
    let mut tx = app.db.begin().await?;
    tx.set_user_password(id, &hash).await?;
    tx.set_must_change_password(id, forced).await?;
    if !own {
        tx.revoke_api_tokens_of(id, app.time.now()).await?;
    }
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            target.organ_id,
            if forced {
                Action::ResetPassword
            } else {
                Action::SetPassword
            },
            "user",
            id,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// The holder changes their own password, giving the current one (after an administrator's
/// reset, the one they were given).
pub async fn change_own_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new: String,
) -> Result<Done<()>> {
    let Actor::User(u) = actor else {
        return Err(Error::Forbidden);
    };
    let (_, hash) = app
        .db
        .user_for_login(&u.username)
        .await?
        .ok_or(Error::Forbidden)?;
    if !crate::passwords::verify_password(current.to_string(), hash).await? {
        return Err(Error::invalid("current", "当前密码不正确"));
    }
    if new == current {
        return Err(Error::invalid("password", "新密码不能与当前密码相同"));
    }
    set_password(app, actor, u.id, new).await
}

/// Gives an account a role over one more organ (a 政务公开办 supervisor over every organ of a
/// county, say). Only an administrator over that organ may; the role of a system administrator
/// is never granted this way.
pub async fn grant(
    app: &App,
    actor: &Actor,
    user_id: i64,
    organ_id: i64,
    role: Role,
) -> Result<Done<()>> {
    let target = app
        .db
        .user(user_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {user_id}")))?;
    actor.require(app, Perm::Admin, organ_id).await?;
    if actor.user_id() == Some(user_id) {
        return Err(Error::Conflict("不能给自己增加权限".into()));
    }
    if role == Role::SysAdmin {
        return Err(Error::invalid("role", "系统管理员不按机关授权"));
    }
    if target.role == Role::SysAdmin {
        return Err(Error::Conflict("系统管理员已可管理全部机关".into()));
    }
    if Some(organ_id) == target.organ_id {
        return Err(Error::invalid(
            "organ",
            "这是该用户的所属机关，请在上方修改其角色",
        ));
    }
    app.db
        .organ(organ_id)
        .await?
        .ok_or_else(|| Error::invalid("organ", "请选择机关"))?;
    let mut tx = app.db.begin().await?;
    tx.grant_organ(user_id, organ_id, role).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Grant, "user", user_id)
            .after(&serde_json::json!({"organ": organ_id, "role": role.code()})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// Takes an account's role over an organ other than its own away.
pub async fn revoke(app: &App, actor: &Actor, user_id: i64, organ_id: i64) -> Result<Done<()>> {
    let target = app
        .db
        .user(user_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户 {user_id}")))?;
    if Some(organ_id) == target.organ_id {
        return Err(Error::Conflict(
            "所属机关的角色不能在此撤销，请修改角色或停用账号".into(),
        ));
    }
    actor.require(app, Perm::Admin, organ_id).await?;
    let mut tx = app.db.begin().await?;
    if !tx.revoke_organ(user_id, organ_id).await? {
        return Err(Error::Conflict("该用户在此机关没有角色".into()));
    }
    record(
        app,
        &mut tx,
        actor,
        Change::new(Some(organ_id), Action::Revoke, "user", user_id)
            .before(&serde_json::json!({"organ": organ_id})),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

/// A new API token of the acting account: the secret is returned once and only its hash kept.
pub async fn create_token(app: &App, actor: &Actor, name: &str) -> Result<Done<String>> {
    if !actor.holds(app, Perm::Admin).await? {
        return Err(Error::Forbidden);
    }
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
        Change::new(u.organ_id, Action::Create, "api_token", id)
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
        require_over_account(app, actor, &account).await?;
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
        Change::new(account.organ_id, Action::Revoke, "api_token", token_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}
