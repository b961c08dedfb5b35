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

    /// May this actor do `perm` on the records of `organ_id`? An account's organ covers its units.
    pub async fn can(&self, app: &App, perm: Perm, organ_id: i64) -> Result<bool> {
        let u = match self {
            Actor::Operator(_) => return Ok(true),
            Actor::Public => return Ok(false),
            Actor::User(u) => u,
        };
        if !u.active || !perm.allowed(u.role) {
            return Ok(false);
        }
        match u.organ_id {
            None => Ok(u.role == Role::SysAdmin),
            Some(own) if own == organ_id => Ok(true),
            Some(own) => Ok(app.db.units_of(own).await?.iter().any(|x| x.id == organ_id)),
        }
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

    /// The organs this actor works on: their organ and its units, or all.
    pub async fn organs(&self, app: &App) -> Result<Vec<Organ>> {
        match self {
            Actor::Public => Ok(vec![]),
            Actor::Operator(_) => Ok(app.db.organs().await?),
            Actor::User(u) => match u.organ_id {
                None => Ok(app.db.organs().await?),
                Some(own) => {
                    let mut v: Vec<_> = app.db.organ(own).await?.into_iter().collect();
                    v.extend(app.db.units_of(own).await?);
                    Ok(v)
                }
            },
        }
    }
}
