//! The read side of accounts: which accounts a person sees and may manage, an account by name,
//! and API tokens with their state now. The back office's user and token pages and `gongkai
//! user` read them here, so "may manage" and "expired" are decided once.

use crate::{Actor, App, Error, Perm, Result};
use chrono::{DateTime, Utc};
use gongkai_store::users::{ApiToken, Grant, Role, User};
use std::collections::HashSet;

/// An account as an administrator's list shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    /// The roles it holds over organs (`user_organs`).
    pub grants: Vec<Grant>,
    /// Every organ it holds a role over is one the reader administers (and it is not the
    /// reader's own account): the reader may change, deactivate or reset it.
    pub manageable: bool,
}

/// The accounts `actor` sees: those homed in or holding a role over an organ it administers (a
/// system administrator and the operator see every account), in id order.
pub async fn visible(app: &App, actor: &Actor) -> Result<Vec<Account>> {
    let everything = match actor {
        Actor::Operator(_) => true,
        Actor::User(u) => u.active && u.role == Role::SysAdmin && u.organ_id.is_none(),
        Actor::Public => return Err(Error::Forbidden),
    };
    if !everything && !actor.holds(app, Perm::Admin).await? {
        return Err(Error::Forbidden);
    }
    let ids: HashSet<i64> = actor
        .organs_with(app, Perm::Admin)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let mut grants = app.db.all_grants().await?;
    let mut out = Vec::new();
    for u in app.db.users().await? {
        let g = grants.remove(&u.id).unwrap_or_default();
        let organs = || g.iter().map(|g| g.organ_id).chain(u.organ_id);
        let (visible, manageable) = if everything {
            (true, true)
        } else if u.role == Role::SysAdmin {
            (false, false)
        } else {
            let any = organs().any(|o| ids.contains(&o));
            (any, any && organs().all(|o| ids.contains(&o)))
        };
        let manageable = manageable && Some(u.id) != actor.user_id();
        if visible {
            out.push(Account {
                user: u,
                grants: g,
                manageable,
            });
        }
    }
    Ok(out)
}

/// The account named `username`, if the actor may see it (the operator sees every one).
pub async fn named(app: &App, actor: &Actor, username: &str) -> Result<User> {
    let u = app
        .db
        .user_by_name(username)
        .await?
        .ok_or_else(|| Error::NotFound(format!("用户“{}”", username.trim())))?;
    if Some(u.id) != actor.user_id() && !matches!(actor, Actor::Operator(_)) {
        crate::users::require_over_account(app, actor, &u).await?;
    }
    Ok(u)
}

/// Whether an API token still opens the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// Revoked (when, if recorded).
    Revoked(Option<DateTime<Utc>>),
    /// Past its expiry.
    Expired,
    /// Valid, until its expiry if it has one.
    Valid(Option<DateTime<Utc>>),
}

impl TokenState {
    pub fn of(t: &ApiToken, now: DateTime<Utc>) -> TokenState {
        if t.revoked || t.revoked_at.is_some() {
            TokenState::Revoked(t.revoked_at)
        } else if t.expires_at.is_some_and(|e| e <= now) {
            TokenState::Expired
        } else {
            TokenState::Valid(t.expires_at)
        }
    }

    pub fn live(self) -> bool {
        matches!(self, TokenState::Valid(_))
    }
}

/// The API tokens `actor` may see — its own and those of the accounts it may manage (every
/// token for the operator), of one account when `user_id` is given — newest first, each with
/// its state on the installation's clock.
pub async fn tokens(
    app: &App,
    actor: &Actor,
    user_id: Option<i64>,
) -> Result<Vec<(ApiToken, TokenState)>> {
    let managed: Option<HashSet<i64>> = match actor {
        Actor::Operator(_) => None,
        _ => Some(
            visible(app, actor)
                .await?
                .into_iter()
                .filter(|a| a.manageable)
                .map(|a| a.user.id)
                .chain(actor.user_id())
                .collect(),
        ),
    };
    let now = app.time.now();
    Ok(app
        .db
        .api_tokens(user_id)
        .await?
        .into_iter()
        .filter(|t| managed.as_ref().is_none_or(|m| m.contains(&t.user_id)))
        .map(|t| {
            let s = TokenState::of(&t, now);
            (t, s)
        })
        .collect())
}
