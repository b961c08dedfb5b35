//! Who is asking, and may they: password hashing, our own sessions on our database, form tokens
//! against cross-site requests, login throttling, and the permission check every back-office
//! handler makes.

use crate::AppState;
use crate::error::{AppError, AppResult};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Duration, Utc};
use gongkai_store::users::{Session, User};

pub const SESSION_COOKIE: &str = "gk_session";
/// Before logging in (login form, public forms) the form token is a random value kept in this
/// cookie and repeated in the form (double submit); a cross-site page can read neither.
pub const FORM_COOKIE: &str = "gk_form";

/// Failed logins before a key is locked, the window they are counted in, and the lockout.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MIN: i64 = 15;
pub const LOCKOUT_MIN: i64 = 15;

pub use gongkai_app::applications::query_code;
pub use gongkai_app::passwords::{random_token, sha256_hex};

pub use gongkai_app::passwords::{
    HASHING_AT_ONCE, HASHING_QUEUE, check_new_password, is_common_password,
};

/// Hashes a password with argon2id off the async runtime, behind the hashing queue (503 past it).
pub async fn hash_password(password: String) -> AppResult<String> {
    Ok(gongkai_app::passwords::hash_password(password).await?)
}

/// Checks a password against a stored hash, behind the hashing queue.
pub async fn verify_password(password: String, hash: String) -> AppResult<bool> {
    Ok(gongkai_app::passwords::verify_password(password, hash).await?)
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly always, Secure when served over https, SameSite as given.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    same_site: &str,
) -> HeaderValue {
    let mut s =
        format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age_secs}");
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub use gongkai_app::Perm;

/// The logged-in person of a back-office request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// Every role the account holds over some organ (its home role among them): what the menus
    /// offer follows these, each record is still checked per organ.
    pub roles: Vec<gongkai_store::users::Role>,
    pub csrf: String,
    token_hash: String,
    /// The one-time message of the previous action, shown once by the page (back-office GETs).
    pub flash: Option<String>,
}

/// A session unused this long ends (besides its absolute expiry, `Config::session_hours`).
pub const SESSION_IDLE_MINUTES: i64 = 30;

impl CurrentUser {
    /// The account an API token belongs to (no session, so no form token: the API takes no
    /// cookies, which is what makes it safe from cross-site requests).
    pub fn from_api(user: User) -> CurrentUser {
        CurrentUser {
            roles: vec![user.role],
            user,
            csrf: String::new(),
            token_hash: String::new(),
            flash: None,
        }
    }

    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// The actor the use cases know this person as.
    pub fn actor(&self) -> gongkai_app::Actor {
        gongkai_app::Actor::User(self.user.clone())
    }

    /// May this person do `perm` on the records of `organ_id`? Their organ covers its units.
    pub async fn can(&self, state: &AppState, perm: Perm, organ_id: i64) -> AppResult<bool> {
        Ok(self.actor().can(&state.app, perm, organ_id).await?)
    }

    /// Refuses unless [`CurrentUser::can`].
    pub async fn require(&self, state: &AppState, perm: Perm, organ_id: i64) -> AppResult<()> {
        Ok(self.actor().require(&state.app, perm, organ_id).await?)
    }

    /// Does a role this person holds over some organ carry `perm` (menus, pages across organs)?
    pub fn holds(&self, perm: Perm) -> bool {
        self.user.active && self.roles.iter().any(|r| perm.allowed(*r))
    }

    /// Refuses unless [`CurrentUser::holds`] (pages over the organs where the role is held).
    pub fn require_held(&self, perm: Perm) -> AppResult<()> {
        if self.holds(perm) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Refuses unless the role has `perm` at all (for pages that list several organs).
    pub fn require_role(&self, perm: Perm) -> AppResult<()> {
        Ok(self.actor().require_role(perm)?)
    }

    /// The organs this person works on: their organ and its units, or all for a system admin.
    pub async fn organs(&self, state: &AppState) -> AppResult<Vec<gongkai_domain::records::Organ>> {
        Ok(self.actor().organs(&state.app).await?)
    }

    /// Keeps a one-time message (已保存, 已发布…) for the next page of this session: in the
    /// database, so whichever instance serves the redirect shows it.
    pub async fn flash(&self, state: &AppState, message: &str) {
        if self.token_hash.is_empty() {
            return;
        }
        if let Err(e) = state.db.set_flash(&self.token_hash, message).await {
            tracing::warn!(error = %e, "flash message not kept");
        }
    }

    /// Checks the form token of a state-changing request against the session's.
    pub fn check_csrf(&self, token: &str) -> AppResult<()> {
        if !token.is_empty() && constant_time_eq(token.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the double-submit form token of a request made before logging in.
pub fn check_form_token(headers: &HeaderMap, token: &str) -> AppResult<()> {
    match cookie(headers, FORM_COOKIE) {
        Some(c) if !token.is_empty() && constant_time_eq(c.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// The form token of an anonymous visitor: the cookie's if present, else a new one to be set.
pub fn form_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, FORM_COOKIE) {
        Some(c) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (c.to_string(), false)
        }
        _ => (random_token(), true),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let token_hash = sha256_hex(token);
        let path = parts.uri.path();
        let back_office = path == "/admin" || path.starts_with("/admin/");
        // A back-office page shown takes the message left by the action before it.
        let take_flash = back_office && parts.method == axum::http::Method::GET;
        let session: Option<Session> = state
            .db
            .session_at(
                &token_hash,
                state.now(),
                Some(Duration::minutes(SESSION_IDLE_MINUTES)),
                take_flash,
            )
            .await?;
        let s = session.ok_or(AppError::Unauthorized)?;
        if s.must_change_password && back_office && path != "/admin/password" {
            return Err(AppError::PasswordChange);
        }
        let mut roles: Vec<_> = if s.user.role == gongkai_store::users::Role::SysAdmin {
            vec![]
        } else {
            state
                .db
                .user_grants(s.user.id)
                .await?
                .into_iter()
                .map(|g| g.role)
                .collect()
        };
        roles.push(s.user.role);
        Ok(CurrentUser {
            roles,
            user: s.user,
            csrf: s.csrf_token,
            token_hash,
            flash: s.flash,
        })
    }
}

/// Ends the session of the person logging out (the session is the server's own state, not a
/// record: no audit row).
pub async fn logout(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    state.db.delete_session(user.token_hash()).await?;
    Ok(())
}

/// The logged-in person if any (public pages show a link to the back office).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(MaybeUser(Some(u))),
            Err(AppError::Unauthorized) => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}

/// The client's address when the server knows it (served with connect info); tests and
/// in-process requests have none.
pub struct ClientAddr(pub Option<std::net::SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The outcome of a login attempt.
pub enum LoginOutcome {
    Ok {
        user: User,
        token: String,
        /// A new device cookie to set (see [`DEVICE_COOKIE`]); `None` when the client's is kept.
        device: Option<String>,
    },
    Wrong,
    Locked(DateTime<Utc>),
}

/// Failed logins from one client address (across user names) before it is locked: a password
/// tried against many names is stopped too.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// Failed logins for one account from clients it has never logged in from, all addresses
/// together, before the account is locked for such clients (its known devices still log in).
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 20;

/// The cookie that marks a device an account has logged in from: a random token, its hash kept
/// in `known_devices`, sent only to `/login`.
pub const DEVICE_COOKIE: &str = "gk_device";

/// How long a device is remembered (days).
pub const DEVICE_DAYS: i64 = 180;

/// The `Set-Cookie` value of a device cookie.
pub fn device_cookie(token: &str, secure: bool) -> HeaderValue {
    let mut s = format!(
        "{DEVICE_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={}",
        DEVICE_DAYS * 86_400
    );
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Checks a login against the throttles, then the password: a lockout that slows an attacker
/// without locking out the owner (issue 33, where five wrong passwords for `admin` from any
/// address locked the account for everyone, its owner included).
///
/// The design. After a successful login the client is given a device cookie
/// ([`DEVICE_COOKIE`]), remembered for the account until its password is reset. Failures are
/// counted per key, each in one statement before the password is checked
/// ([`gongkai_store::Db::count_login_attempt`]), so concurrent attempts cannot slip past a limit:
///
/// - from a **known device** of the account: only that device's own counter
///   (`device:…`, locked at its [`MAX_FAILURES`]th failure for [`LOCKOUT_MIN`] minutes). Nothing
///   an attacker does elsewhere locks it, and its password checks have their own argon2 lane
///   (`gongkai_app::passwords::verify_password_known`), so a login flood that fills the common
///   queue (503) does not reach the officers either;
/// - from **any other client**: the pair of account and address (`user:…|ip:…`,
///   [`MAX_FAILURES`]), the address across names (`ip:…`, [`MAX_FAILURES_PER_ADDRESS`]) and the
///   account across addresses (`user:…`, [`MAX_FAILURES_PER_ACCOUNT`]: four times the pair's, so
///   a distributed guesser gets about 80 guesses an hour against a 10-character policy password
///   hashed with argon2, and the owner on a new device is locked out only while such an attack
///   runs).
///
/// A successful login clears the counters it was checked against (the address's only gives
/// its attempt back). Unknown names are throttled the same way (and a password hashed), so the
/// answer does not tell which names exist.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
    device: Option<&str>,
) -> AppResult<LoginOutcome> {
    let now = state.now();
    let name = username.trim().to_lowercase();
    let found = state.db.user_for_login(username).await?;
    let device_hash = device
        .filter(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(sha256_hex);
    let known = match (&device_hash, &found) {
        (Some(h), Some((u, _))) => state.db.known_device(h, u.id).await?,
        _ => false,
    };
    let ip = client.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    let keys: Vec<(String, i64)> = match (&device_hash, known) {
        (Some(h), true) => vec![(format!("device:{h}"), MAX_FAILURES)],
        _ => {
            let mut k = vec![(format!("user:{name}|ip:{ip}"), MAX_FAILURES)];
            if client.is_some() {
                k.push((format!("ip:{ip}"), MAX_FAILURES_PER_ADDRESS));
            }
            k.push((format!("user:{name}"), MAX_FAILURES_PER_ACCOUNT));
            k
        }
    };
    for (k, _) in &keys {
        if let Some(t) = state.db.throttle(k).await?
            && let Some(until) = t.locked_until
            && until > now
        {
            return Ok(LoginOutcome::Locked(until));
        }
    }
    let (window, lockout) = (
        Duration::minutes(FAILURE_WINDOW_MIN),
        Duration::minutes(LOCKOUT_MIN),
    );
    let mut lock = None;
    for (k, max) in &keys {
        let t = state
            .db
            .count_login_attempt(k, *max, now, window, lockout)
            .await?;
        if t.failures > *max {
            // Attempts that raced past the lock check: no password is tried for them.
            tracing::warn!("login refused: locked");
            return Ok(LoginOutcome::Locked(
                t.locked_until.unwrap_or(now + lockout),
            ));
        }
        lock = lock.or(t.locked_until);
    }
    // Hash anyway when the name is unknown, so timing does not reveal it either.
    let (ok, user) = match found {
        Some((u, hash)) => {
            let right = if known {
                gongkai_app::passwords::verify_password_known(password.to_string(), hash).await?
            } else {
                verify_password(password.to_string(), hash).await?
            };
            (right && u.active, Some(u))
        }
        None => {
            hash_password(password.to_string()).await?;
            (false, None)
        }
    };
    if let (true, Some(user)) = (ok, user) {
        for (k, _) in &keys {
            if k.starts_with("ip:") {
                state.db.forgive_login_attempt(k).await?;
            } else {
                state.db.clear_throttle(k).await?;
            }
        }
        // Housekeeping at a moment that is rare and never hot: forget expired sessions.
        state.db.delete_expired_sessions(now).await?;
        let token = random_token();
        let hours = state.config.session_hours;
        state
            .db
            .create_session(
                &sha256_hex(&token),
                user.id,
                &random_token(),
                now,
                now + Duration::hours(hours),
            )
            .await?;
        let new_device = (!known).then(random_token);
        let remembered = new_device
            .as_deref()
            .map(sha256_hex)
            .or(device_hash)
            .unwrap_or_default();
        state.db.remember_device(&remembered, user.id, now).await?;
        return Ok(LoginOutcome::Ok {
            user,
            token,
            device: new_device,
        });
    }
    tracing::warn!("failed login");
    Ok(match lock {
        Some(until) => LoginOutcome::Locked(until),
        None => LoginOutcome::Wrong,
    })
}
