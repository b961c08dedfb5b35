//! Who acts, and may they. Every use case names the permission it needs for the organ the record
//! belongs to; the doors (a logged-in session, an API token, the operator at the command line)
//! only say who is acting.

use crate::{App, Error, Result};
use gongkai_domain::records::Organ;
use gongkai_store::users::{Role, User};

/// What a person may do. Each use case asks for exactly one of these, for the organ the record
/// belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// See the back office (every role, read-only for the supervisor).
    View,
    /// Draft and edit catalogue items, 公示, report texts.
    Edit,
    /// 审核 and 保密审查: publish or withdraw items, publish 公示 and reports.
    Review,
    /// Handle applications and letters.
    Handle,
    /// Office settings (the guide), users of the organ.
    Admin,
    /// Read the audit log.
    Audit,
    /// The working-day calendar and things across organs.
    System,
}

impl Perm {
    pub fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            Perm::View => true,
            Perm::Edit => matches!(role, SysAdmin | OrganAdmin | Editor),
            Perm::Review => matches!(role, SysAdmin | OrganAdmin | Reviewer),
            Perm::Handle => matches!(role, SysAdmin | OrganAdmin | Handler),
            Perm::Admin => matches!(role, SysAdmin | OrganAdmin),
            Perm::Audit => matches!(role, SysAdmin | OrganAdmin | Supervisor),
            Perm::System => matches!(role, SysAdmin),
        }
    }
}

/// The person or process a change is made by, as the audit log names it.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A back-office account (through a session or an API token).
    User(User),
    /// Whoever runs the `gongkai` command on the server: they hold the database itself, so the
    /// command line acts with every permission, under the name given (`--actor`, else $USER).
    Operator(String),
    /// A member of the public on the portal (an online application, a letter).
    Public,
}

impl Actor {
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User(u) => Some(u.id),
            _ => None,
        }
    }

    /// The name written in audit rows and case files.
    pub fn name(&self) -> String {
        match self {
            Actor::User(u) => u.username.clone(),
            Actor::Operator(n) => format!("命令行：{n}"),
            Actor::Public => "公众（网上提交）".to_string(),
        }
    }

    /// May this actor do `perm` on the records of `organ_id`? An account holds a role over each
    /// organ of its grants (its own organ's among them, `user_organs`), and a grant covers the
    /// organ's units; the system administrator's covers every organ.
    pub async fn can(&self, app: &App, perm: Perm, organ_id: i64) -> Result<bool> {
        let u = match self {
            Actor::Operator(_) => return Ok(true),
            Actor::Public => return Ok(false),
            Actor::User(u) => u,
        };
        if !u.active {
            return Ok(false);
        }
        if u.role == Role::SysAdmin && u.organ_id.is_none() {
            return Ok(perm.allowed(Role::SysAdmin));
        }
        Ok(app
            .db
            .user_scope(u.id)
            .await?
            .iter()
            .any(|g| g.organ_id == organ_id && perm.allowed(g.role)))
    }

    /// Does any role this actor holds, over any organ, carry `perm`? (menus, pages across
    /// organs; each record is still checked with [`Actor::can`]).
    pub async fn holds(&self, app: &App, perm: Perm) -> Result<bool> {
        match self {
            Actor::Operator(_) => Ok(true),
            Actor::Public => Ok(false),
            Actor::User(u) if !u.active => Ok(false),
            Actor::User(u) if u.role == Role::SysAdmin => Ok(perm.allowed(Role::SysAdmin)),
            Actor::User(u) => Ok(app
                .db
                .user_grants(u.id)
                .await?
                .iter()
                .any(|g| perm.allowed(g.role))),
        }
    }

    /// The organs over which this actor holds `perm`, in id order.
    pub async fn organs_with(&self, app: &App, perm: Perm) -> Result<Vec<Organ>> {
        let mut out = Vec::new();
        for o in self.organs(app).await? {
            if self.can(app, perm, o.id).await? {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// Refuses unless [`Actor::can`].
    pub async fn require(&self, app: &App, perm: Perm, organ_id: i64) -> Result<()> {
        if self.can(app, perm, organ_id).await? {
            Ok(())
        } else {
            tracing::warn!(actor = %self.name(), ?perm, organ_id, "refused");
            Err(Error::Forbidden)
        }
    }

    /// Refuses unless the role has `perm` at all (pages that list several organs).
    pub fn require_role(&self, perm: Perm) -> Result<()> {
        match self {
            Actor::Operator(_) => Ok(()),
            Actor::User(u) if u.active && perm.allowed(u.role) => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// The organs this actor works on: those of its grants and their units, or all.
    pub async fn organs(&self, app: &App) -> Result<Vec<Organ>> {
        match self {
            Actor::Public => Ok(vec![]),
            Actor::Operator(_) => Ok(app.db.organs().await?),
            Actor::User(u) if u.role == Role::SysAdmin && u.organ_id.is_none() => {
                Ok(app.db.organs().await?)
            }
            Actor::User(u) => {
                let scope: std::collections::BTreeSet<i64> = app
                    .db
                    .user_scope(u.id)
                    .await?
                    .into_iter()
                    .map(|g| g.organ_id)
                    .collect();
                // The account's own organ first, as before: list pages open on it.
                let mut v: Vec<Organ> = app
                    .db
                    .organs()
                    .await?
                    .into_iter()
                    .filter(|o| scope.contains(&o.id))
                    .collect();
                v.sort_by_key(|o| (Some(o.id) != u.organ_id, o.id));
                Ok(v)
            }
        }
    }
}
