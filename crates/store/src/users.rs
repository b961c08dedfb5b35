//! People who log in to the back office, their sessions, login throttling, API tokens and the
//! audit log (issue 4). Password hashing and token generation happen in the web crate: the store
//! only ever sees hashes.

use crate::{Db, Error, Result, on_pool, on_tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a person may do in the back office. Every account has exactly one role, scoped to an
/// organ (and its units) except the system administrator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SysAdmin,
    OrganAdmin,
    Editor,
    Reviewer,
    Handler,
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::SysAdmin,
        Role::OrganAdmin,
        Role::Editor,
        Role::Reviewer,
        Role::Handler,
        Role::Supervisor,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Role::SysAdmin => "sysadmin",
            Role::OrganAdmin => "organ_admin",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Handler => "handler",
            Role::Supervisor => "supervisor",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::SysAdmin => "系统管理员",
            Role::OrganAdmin => "机关管理员",
            Role::Editor => "信息编辑",
            Role::Reviewer => "审核员",
            Role::Handler => "依申请公开承办人",
            Role::Supervisor => "监督员（只读）",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s || r.label() == s)
    }
}

/// An account (never carries the password hash outside the store's login query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The organ the account works for; `None` only for a system administrator.
    pub organ_id: Option<i64>,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    organ_id: Option<i64>,
    active: i64,
}

fn user_from(r: UserRow) -> Result<User> {
    Ok(User {
        id: r.id,
        username: r.username,
        display_name: r.display_name,
        role: Role::parse(&r.role)
            .ok_or_else(|| Error::Invalid(format!("未知角色：{}", r.role)))?,
        organ_id: r.organ_id,
        active: r.active != 0,
    })
}

const USER_COLS: &str = "id, username, display_name, role, organ_id, active";

/// A live session: the account and the form token bound to it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// The one-time message set by the previous request (taken when asked, see
    /// [`Db::session_at`]).
    pub flash: Option<String>,
    /// An administrator set the password: it must be changed before anything else.
    pub must_change_password: bool,
}

/// A role an account holds over an organ (and the organ's units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub organ_id: i64,
    pub role: Role,
}

/// The state of a login throttle key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i64,
    pub first_failure_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// An API token as listed (never its value, which only its holder has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: i64,
    user_id: i64,
    username: String,
    name: String,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked: i64,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(r: ApiTokenRow) -> ApiToken {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            username: r.username,
            name: r.name,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked: r.revoked != 0,
            revoked_at: r.revoked_at,
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: String,
    pub organ_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// What a page of the audit log asks for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// The organs whose entries may be shown; `None` for all (the system administrator).
    pub organs: Option<Vec<i64>>,
    /// A username, or empty for anyone.
    pub username: String,
    /// An action code, or empty for any.
    pub action: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
}

/// A change to be written to the audit log.
#[derive(Debug, Clone, Default)]
pub struct NewAudit<'a> {
    pub user_id: Option<i64>,
    pub username: &'a str,
    pub organ_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Timestamps are stored to the second so text comparison on SQLite orders them.
pub fn now_secs(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

impl Db {
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        let row: Option<UserRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(p).await)?;
        row.map(user_from).transpose()
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE username = $1");
        let row: Option<UserRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(username.trim())
            .fetch_optional(p)
            .await)?;
        row.map(user_from).transpose()
    }

    /// The account and its password hash, for checking a login.
    pub async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        let u = self.user_by_name(username).await?;
        let Some(u) = u else { return Ok(None) };
        let hash: String = on_pool!(self, p => sqlx::query_scalar(
            "SELECT password_hash FROM users WHERE id = $1")
            .bind(u.id)
            .fetch_one(p)
            .await)?;
        Ok(Some((u, hash)))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users ORDER BY id");
        let rows: Vec<UserRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(p).await)?;
        rows.into_iter().map(user_from).collect()
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(
            on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?,
        )
    }

    // ------------------------------------------------------------------------------ sessions

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now_secs(now))
            .bind(now_secs(expires_at))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    // ------------------------------------------------------------------------- known devices

    /// Is `token_hash` a device `user_id` has logged in from (since its last password reset)?
    pub async fn known_device(&self, token_hash: &str, user_id: i64) -> Result<bool> {
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM known_devices WHERE token_hash = $1 AND user_id = $2")
            .bind(token_hash)
            .bind(user_id)
            .fetch_one(p)
            .await)?;
        Ok(n > 0)
    }

    /// Remembers a device after a successful login (or notes its use again).
    pub async fn remember_device(
        &self,
        token_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (token_hash) DO UPDATE SET last_used_at = $3 WHERE known_devices.user_id = $2")
            .bind(token_hash)
            .bind(user_id)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The live session of a token hash, if it exists, has not expired and its account is active.
    pub async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        self.session_at(token_hash, now, None, false).await
    }

    /// The live session of a token hash at `now`: not past its absolute expiry, not idle for
    /// longer than `idle` (when given), its account active. A request seen counts as activity
    /// (written at most once a minute). With `take_flash`, the session's one-time message is
    /// returned and cleared.
    pub async fn session_at(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle: Option<chrono::Duration>,
        take_flash: bool,
    ) -> Result<Option<Session>> {
        let now = now_secs(now);
        type Row = (
            i64,
            String,
            DateTime<Utc>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<String>,
        );
        let row: Option<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, csrf_token, expires_at, created_at, last_seen_at, flash FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(p)
            .await)?;
        let Some((user_id, csrf_token, expires_at, created_at, last_seen, flash)) = row else {
            return Ok(None);
        };
        let seen = last_seen.unwrap_or(created_at);
        if let Some(idle) = idle
            && seen + idle <= now
        {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        let Some(user) = self.user(user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let must: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT must_change_password FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(p)
            .await)?;
        let take = take_flash && flash.is_some();
        if take || now - seen >= chrono::Duration::minutes(1) {
            let sql = if take {
                "UPDATE sessions SET last_seen_at = $2, flash = NULL WHERE token_hash = $1"
            } else {
                "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1"
            };
            on_pool!(self, p => sqlx::query(sql).bind(token_hash).bind(now).execute(p).await.map(|_| ()))?;
        }
        Ok(Some(Session {
            user,
            csrf_token,
            expires_at,
            flash: if take_flash { flash } else { None },
            must_change_password: must != 0,
        }))
    }

    /// Keeps a one-time message for the session's next page (Post/Redirect/Get).
    pub async fn set_flash(&self, token_hash: &str, message: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query("UPDATE sessions SET flash = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(message)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The roles an account holds, one per organ (its own organ's included).
    pub async fn user_grants(&self, user_id: i64) -> Result<Vec<Grant>> {
        let rows: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT organ_id, role FROM user_organs WHERE user_id = $1 ORDER BY organ_id")
            .bind(user_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|(organ_id, r)| {
                Ok(Grant {
                    organ_id,
                    role: Role::parse(&r)
                        .ok_or_else(|| Error::Invalid(format!("未知角色：{r}")))?,
                })
            })
            .collect()
    }

    /// Every account's grants, by account (the users page filters and pages in one read instead
    /// of a query per account).
    pub async fn all_grants(&self) -> Result<std::collections::HashMap<i64, Vec<Grant>>> {
        let rows: Vec<(i64, i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, organ_id, role FROM user_organs ORDER BY user_id, organ_id")
            .fetch_all(p)
            .await)?;
        let mut out: std::collections::HashMap<i64, Vec<Grant>> = Default::default();
        for (user_id, organ_id, r) in rows {
            let role = Role::parse(&r).ok_or_else(|| Error::Invalid(format!("未知角色：{r}")))?;
            out.entry(user_id)
                .or_default()
                .push(Grant { organ_id, role });
        }
        Ok(out)
    }

    /// Every organ an account's roles reach, with the role held there: each granted organ and
    /// all its units below it (a unit reached by two grants is listed under each).
    pub async fn user_scope(&self, user_id: i64) -> Result<Vec<Grant>> {
        let rows: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "WITH RECURSIVE scope(organ_id, role) AS ( \
                 SELECT organ_id, role FROM user_organs WHERE user_id = $1 \
                 UNION SELECT o.id, s.role FROM organs o JOIN scope s ON o.parent_id = s.organ_id) \
             SELECT organ_id, role FROM scope ORDER BY organ_id")
            .bind(user_id)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|(organ_id, r)| {
                Ok(Grant {
                    organ_id,
                    role: Role::parse(&r)
                        .ok_or_else(|| Error::Invalid(format!("未知角色：{r}")))?,
                })
            })
            .collect()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let r = on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(r)
    }

    // ------------------------------------------------------------------------------ throttling

    pub async fn throttle(&self, key: &str) -> Result<Option<Throttle>> {
        let row: Option<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT failures, first_failure_at, locked_until FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(p)
            .await)?;
        Ok(
            row.map(|(failures, first_failure_at, locked_until)| Throttle {
                failures,
                first_failure_at,
                locked_until,
            }),
        )
    }

    /// Stores the state of a throttle key (after a failed login).
    pub async fn set_throttle(&self, key: &str, t: &Throttle) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO login_throttle (key, failures, first_failure_at, locked_until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
             first_failure_at = excluded.first_failure_at, locked_until = excluded.locked_until")
            .bind(key)
            .bind(t.failures)
            .bind(now_secs(t.first_failure_at))
            .bind(t.locked_until.map(now_secs))
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Counts one login attempt against a throttle key, in one statement (an upsert that reads
    /// and writes the row at once), and returns the key's state after it: concurrent attempts
    /// each get their own count, so a burst cannot slip past the limit. Attempts older than
    /// `window` start a new count; the key is locked for `lockout` from the attempt that reaches
    /// `max`.
    pub async fn count_login_attempt(
        &self,
        key: &str,
        max: i64,
        now: DateTime<Utc>,
        window: chrono::Duration,
        lockout: chrono::Duration,
    ) -> Result<Throttle> {
        let now = now_secs(now);
        let row: (i64, DateTime<Utc>, Option<DateTime<Utc>>) = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO login_throttle (key, failures, first_failure_at, locked_until) \
             VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $5 ELSE NULL END) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.first_failure_at > $3 \
                 THEN login_throttle.failures + 1 ELSE 1 END, \
             first_failure_at = CASE WHEN login_throttle.first_failure_at > $3 \
                 THEN login_throttle.first_failure_at ELSE $2 END, \
             locked_until = CASE \
                 WHEN (CASE WHEN login_throttle.first_failure_at > $3 \
                     THEN login_throttle.failures + 1 ELSE 1 END) >= $4 THEN $5 \
                 WHEN login_throttle.first_failure_at > $3 THEN login_throttle.locked_until \
                 ELSE NULL END \
             RETURNING failures, first_failure_at, locked_until")
            .bind(key)
            .bind(now)
            .bind(now_secs(now - window))
            .bind(max)
            .bind(now_secs(now + lockout))
            .fetch_one(p)
            .await)?;
        Ok(Throttle {
            failures: row.0,
            first_failure_at: row.1,
            locked_until: row.2,
        })
    }

    /// Takes back one counted attempt (it was a successful login from a shared address), unless
    /// the key is locked.
    pub async fn forgive_login_attempt(&self, key: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "UPDATE login_throttle SET failures = failures - 1 \
             WHERE key = $1 AND failures > 0 AND locked_until IS NULL")
            .bind(key)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn clear_throttle(&self, key: &str) -> Result<()> {
        on_pool!(self, p => sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    // ------------------------------------------------------------------------------ API tokens

    /// Creates an API token that stops working at `expires_at` (if given).
    pub async fn create_api_token_until(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        now: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<i64> {
        self.write(async |tx| {
            tx.create_api_token(token_hash, user_id, name, now, expires_at)
                .await
        })
        .await
    }

    /// The active account a live API token belongs to, at the system clock's time.
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        self.api_token_user_at(token_hash, Utc::now()).await
    }

    /// The active account an API token belongs to, if the token is not revoked and has not
    /// expired at `now`.
    pub async fn api_token_user_at(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let row: Option<(i64, Option<DateTime<Utc>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, expires_at FROM api_tokens WHERE token_hash = $1 AND revoked = 0")
            .bind(token_hash)
            .fetch_optional(p)
            .await)?;
        let Some((uid, expires_at)) = row else {
            return Ok(None);
        };
        if expires_at.is_some_and(|e| e <= now) {
            return Ok(None);
        }
        Ok(self.user(uid).await?.filter(|u| u.active))
    }

    /// The API tokens of an account (or of every account), newest first.
    pub async fn api_tokens(&self, user_id: Option<i64>) -> Result<Vec<ApiToken>> {
        let cols = "t.id, t.user_id, u.username, t.name, t.created_at, t.expires_at, t.revoked, t.revoked_at";
        let sql = format!(
            "SELECT {cols} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE $1 IS NULL OR t.user_id = $1 ORDER BY t.id DESC"
        );
        let rows: Vec<ApiTokenRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(user_id)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    /// Revokes one token for good. `false` if there is no such token or it was revoked already.
    pub async fn revoke_api_token(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        self.write(async |tx| tx.revoke_api_token(id, now).await)
            .await
    }

    /// Revokes every token of an account (it was deactivated): reactivating it later does not
    /// bring them back. Returns how many were revoked.
    pub async fn revoke_api_tokens_of(&self, user_id: i64, now: DateTime<Utc>) -> Result<u64> {
        let n = on_pool!(self, p => sqlx::query(
            "UPDATE api_tokens SET revoked = 1, revoked_at = $2 WHERE user_id = $1 AND revoked = 0")
            .bind(user_id)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n)
    }

    // ------------------------------------------------------------------------------ audit log

    /// One page of the audit log, newest first, filtered by organs (`None`: all), person and
    /// action (empty: any) and a time window; with the number of entries that match.
    pub async fn audit_search(&self, q: &AuditQuery) -> Result<(Vec<AuditEntry>, i64)> {
        let cols = "id, at, user_id, username, organ_id, action, entity, entity_id, before_json, after_json";
        // Organ ids are integers: written into the statement, never text from a request.
        let organs = match &q.organs {
            None => String::new(),
            Some(v) if v.is_empty() => " AND 1 = 0".to_string(),
            Some(v) => format!(
                " AND organ_id IN ({})",
                v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
        };
        let filter = format!(
            "WHERE ($1 = '' OR username = $1) AND ($2 = '' OR action = $2) AND at >= $3 AND at < $4{organs}"
        );
        // Four-digit years: SQLite compares the stored text.
        let from = q.from.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let to = q.to.unwrap_or_else(|| {
            DateTime::parse_from_rfc3339("9999-12-31T00:00:00Z")
                .map(|d| d.to_utc())
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        });
        let count_sql = format!("SELECT COUNT(*) FROM audit_log {filter}");
        let total: i64 = on_pool!(self, p => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()))
            .bind(&q.username).bind(&q.action).bind(from).bind(to)
            .fetch_one(p).await)?;
        let sql =
            format!("SELECT {cols} FROM audit_log {filter} ORDER BY id DESC LIMIT $5 OFFSET $6");
        let rows: Vec<AuditEntry> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&q.username).bind(&q.action).bind(from).bind(to).bind(q.limit).bind(q.offset)
            .fetch_all(p).await)?;
        Ok((rows, total))
    }

    /// The newest audit entries, optionally of one organ, newest first.
    pub async fn audit_entries(
        &self,
        organ_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let cols = "id, at, user_id, username, organ_id, action, entity, entity_id, before_json, after_json";
        let rows: Vec<AuditEntry> = match organ_id {
            Some(o) => {
                let sql = format!(
                    "SELECT {cols} FROM audit_log WHERE organ_id = $1 ORDER BY id DESC LIMIT $2"
                );
                on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(o).bind(limit).fetch_all(p).await)?
            }
            None => {
                let sql = format!("SELECT {cols} FROM audit_log ORDER BY id DESC LIMIT $1");
                on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(limit).fetch_all(p).await)?
            }
        };
        Ok(rows)
    }
}

// Writes, inside a caller's transaction: a change and its audit row commit together.
impl crate::Tx {
    /// Revokes every live token of an account (its password was reset, it was deactivated).
    pub async fn revoke_api_tokens_of(&mut self, user_id: i64, now: DateTime<Utc>) -> Result<u64> {
        let n = on_tx!(self, p => sqlx::query(
            "UPDATE api_tokens SET revoked = 1, revoked_at = $2 WHERE user_id = $1 AND revoked = 0")
            .bind(user_id)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n)
    }

    /// Revokes a live token for good; false when there is none of that number.
    pub async fn revoke_api_token(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let n = on_tx!(self, p => sqlx::query(
            "UPDATE api_tokens SET revoked = 1, revoked_at = $2 WHERE id = $1 AND revoked = 0")
            .bind(id)
            .bind(now_secs(now))
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Creates an account. `password_hash` is a PHC string made by the caller.
    pub async fn create_user(
        &mut self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organ_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<User> {
        let username = username.trim();
        if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
            return Err(Error::Invalid(
                "用户名不能为空、不能含空白，最长64个字符".into(),
            ));
        }
        if (role == Role::SysAdmin) != organ_id.is_none() {
            return Err(Error::Invalid(
                "系统管理员不属于任何机关；其他角色必须指定所属机关".into(),
            ));
        }
        let taken: Option<i64> = on_tx!(self, p => sqlx::query_scalar(
            "SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(p)
            .await)?;
        if taken.is_some() {
            return Err(Error::Invalid(format!("用户名“{username}”已被使用")));
        }
        let id: i64 = on_tx!(self, p => sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, role, organ_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id")
            .bind(username)
            .bind(display_name.trim())
            .bind(password_hash)
            .bind(role.code())
            .bind(organ_id)
            .bind(now_secs(now))
            .fetch_one(p)
            .await)?;
        if let Some(o) = organ_id {
            self.grant_organ(id, o, role).await?;
        }
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        let row: UserRow = on_tx!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_one(p).await)?;
        user_from(row)
    }

    /// Gives an account `role` over an organ (replacing the role it held there).
    pub async fn grant_organ(&mut self, user_id: i64, organ_id: i64, role: Role) -> Result<()> {
        if role == Role::SysAdmin {
            return Err(Error::Invalid("系统管理员不属于任何机关".into()));
        }
        on_tx!(self, p => sqlx::query(
            "INSERT INTO user_organs (user_id, organ_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, organ_id) DO UPDATE SET role = excluded.role")
            .bind(user_id)
            .bind(organ_id)
            .bind(role.code())
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Takes an account's role over an organ away; false when it held none there.
    pub async fn revoke_organ(&mut self, user_id: i64, organ_id: i64) -> Result<bool> {
        let n = on_tx!(self, p => sqlx::query(
            "DELETE FROM user_organs WHERE user_id = $1 AND organ_id = $2")
            .bind(user_id)
            .bind(organ_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Marks whether the account must change its password at its next request.
    pub async fn set_must_change_password(&mut self, user_id: i64, must: bool) -> Result<()> {
        on_tx!(self, p => sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
            .bind(i64::from(must))
            .bind(user_id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_user_password(&mut self, id: i64, password_hash: &str) -> Result<()> {
        on_tx!(self, p => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        // A new password ends every session of the account.
        on_tx!(self, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        // And forgets the devices it was used from (whoever had the password may have logged in).
        on_tx!(self, p => sqlx::query("DELETE FROM known_devices WHERE user_id = $1")
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn set_user_role(
        &mut self,
        id: i64,
        role: Role,
        organ_id: Option<i64>,
        active: bool,
    ) -> Result<()> {
        if (role == Role::SysAdmin) != organ_id.is_none() {
            return Err(Error::Invalid(
                "系统管理员不属于任何机关；其他角色必须指定所属机关".into(),
            ));
        }
        let old_home: Option<Option<i64>> = on_tx!(self, p => sqlx::query_scalar(
            "SELECT organ_id FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await)?;
        if let Some(Some(old)) = old_home {
            self.revoke_organ(id, old).await?;
        }
        match organ_id {
            Some(o) => self.grant_organ(id, o, role).await?,
            // A system administrator holds no organ: its grants go with the promotion.
            None => {
                on_tx!(self, p => sqlx::query("DELETE FROM user_organs WHERE user_id = $1")
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|_| ()))?;
            }
        }
        on_tx!(self, p => sqlx::query("UPDATE users SET role = $1, organ_id = $2, active = $3 WHERE id = $4")
            .bind(role.code())
            .bind(organ_id)
            .bind(i64::from(active))
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()))?;
        if !active {
            on_tx!(self, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(p)
                .await
                .map(|_| ()))?;
            // Its API tokens die with the deactivation, for good.
            on_tx!(self, p => sqlx::query(
                "UPDATE api_tokens SET revoked = 1, revoked_at = $2 WHERE user_id = $1 AND revoked = 0")
                .bind(id)
                .bind(now_secs(Utc::now()))
                .execute(p)
                .await
                .map(|_| ()))?;
        }
        Ok(())
    }

    pub async fn audit(&mut self, a: &NewAudit<'_>, now: DateTime<Utc>) -> Result<()> {
        let before = a.before.as_ref().map(|v| v.to_string());
        let after = a.after.as_ref().map(|v| v.to_string());
        on_tx!(self, p => sqlx::query(
            "INSERT INTO audit_log (at, user_id, username, organ_id, action, entity, entity_id, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(now_secs(now))
            .bind(a.user_id)
            .bind(a.username)
            .bind(a.organ_id)
            .bind(a.action)
            .bind(a.entity)
            .bind(&a.entity_id)
            .bind(before)
            .bind(after)
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

// The same writes, each in a transaction of its own.
impl Db {
    /// Creates an account. `password_hash` is a PHC string made by the caller.
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        organ_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<User> {
        self.write(async |tx| {
            tx.create_user(username, display_name, password_hash, role, organ_id, now)
                .await
        })
        .await
    }

    pub async fn set_user_password(&self, id: i64, password_hash: &str) -> Result<()> {
        self.write(async |tx| tx.set_user_password(id, password_hash).await)
            .await
    }

    pub async fn set_user_role(
        &self,
        id: i64,
        role: Role,
        organ_id: Option<i64>,
        active: bool,
    ) -> Result<()> {
        self.write(async |tx| tx.set_user_role(id, role, organ_id, active).await)
            .await
    }

    pub async fn audit(&self, a: &NewAudit<'_>, now: DateTime<Utc>) -> Result<()> {
        self.write(async |tx| tx.audit(a, now).await).await
    }

    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.create_api_token_until(token_hash, user_id, name, now, None)
            .await
    }
}

// Writes, inside a caller's transaction.
impl crate::Tx {
    /// Creates an API token that stops working at `expires_at` (if given).
    pub async fn create_api_token(
        &mut self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        now: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<i64> {
        Ok(on_tx!(self, p => sqlx::query_scalar(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, revoked, expires_at) \
             VALUES ($1, $2, $3, $4, 0, $5) RETURNING id")
            .bind(token_hash)
            .bind(user_id)
            .bind(name)
            .bind(now_secs(now))
            .bind(expires_at.map(now_secs))
            .fetch_one(p)
            .await)?)
    }
}
