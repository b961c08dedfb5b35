//! Who is asking, and may they: password hashing, our own sessions on our database, form tokens
//! against cross-site requests, login throttling, and the permission check every back-office
//! handler makes.

use crate::AppState;
use crate::error::{AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Duration, Utc};
use gongkai_store::users::{Role, Session, User};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "gk_session";
/// Before logging in (login form, public forms) the form token is a random value kept in this
/// cookie and repeated in the form (double submit); a cross-site page can read neither.
pub const FORM_COOKIE: &str = "gk_form";

/// Failed logins before a key is locked, the window they are counted in, and the lockout.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MIN: i64 = 15;
pub const LOCKOUT_MIN: i64 = 15;

/// A random token, hex encoded (32 bytes = 256 bits).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A short code a person can type (query codes for applications and letters): no 0/O, 1/I/L.
pub fn query_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter()
        .map(|x| ALPHABET[(*x as usize) % ALPHABET.len()] as char)
        .collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Password hashes (argon2id, 19 MiB each) computed at once; more wait their turn.
pub const HASHING_AT_ONCE: usize = 2;
/// Hashes waiting for their turn; past this a login answers 503 with `Retry-After`, so a burst
/// of logins can neither exhaust memory nor queue without bound.
pub const HASHING_QUEUE: usize = 32;

/// A hashing job for the argon2 threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// The argon2 threads of this process and their queue. Dedicated threads, not the blocking
/// pool: glibc keeps the 19 MiB an argon2 run allocates in the arena of the thread that ran it,
/// so hashing on whichever of hundreds of blocking threads is free would keep hundreds of such
/// blocks (the 7 GB); two threads keep two.
fn hashers() -> &'static std::sync::mpsc::SyncSender<HashJob> {
    static HASHERS: std::sync::OnceLock<std::sync::mpsc::SyncSender<HashJob>> =
        std::sync::OnceLock::new();
    HASHERS.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<HashJob>(HASHING_QUEUE);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..HASHING_AT_ONCE {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                            Ok(job) => job,
                            Err(_) => return,
                        };
                        // A panicking job must not take a hashing thread with it.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                })
                .expect("cannot start an argon2 thread");
        }
        tx
    })
}

/// Runs `f` (argon2) on one of the [`HASHING_AT_ONCE`] argon2 threads, behind a queue of
/// [`HASHING_QUEUE`]; past that, [`AppError::Busy`] without running it.
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    use std::sync::mpsc::TrySendError;
    let (tx, rx) = std::sync::mpsc::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(f());
    });
    match hashers().try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password hashing queue full; answering 503");
            return Err(AppError::Busy);
        }
        Err(TrySendError::Disconnected(_)) => {
            return Err(AppError::Internal("argon2 threads stopped".into()));
        }
    }
    // Waiting for the answer blocks a thread of the blocking pool, which allocates nothing.
    tokio::task::spawn_blocking(move || rx.recv())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|_| AppError::Internal("argon2 job failed".into()))
}

/// Hashes a password with argon2id off the async runtime (it is deliberately slow), behind the
/// hashing queue.
pub async fn hash_password(password: String) -> AppResult<String> {
    hashing(move || {
        let mut salt = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

/// Checks a password against a stored hash, off the async runtime, behind the hashing queue.
pub async fn verify_password(password: String, hash: String) -> AppResult<bool> {
    hashing(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// Passwords (and the words under them) that appear at the top of every leaked-password list;
/// matched case-insensitively on the letters alone, so `Password1!` and `P@ssword2024` are
/// refused with `password`.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwort",
    "passw",
    "pass",
    "pwd",
    "qwerty",
    "qwertyuiop",
    "qwer",
    "asdf",
    "asdfgh",
    "asdfghjkl",
    "zxcvbn",
    "zxcvbnm",
    "qazwsx",
    "qwe",
    "qweasd",
    "qweasdzxc",
    "abc",
    "abcd",
    "abcde",
    "abcdef",
    "abcdefg",
    "abcdefgh",
    "admin",
    "administrator",
    "root",
    "user",
    "test",
    "guest",
    "welcome",
    "letmein",
    "iloveyou",
    "monkey",
    "dragon",
    "master",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "shadow",
    "superman",
    "trustno",
    "changeme",
    "secret",
    "default",
    "login",
    "woaini",
    "wang",
    "zhang",
    "china",
    "beijing",
    "shanghai",
    "gongkai",
    "a",
    "p",
    "q",
    "x",
];

/// Words that make a password common wherever they stand in it.
const COMMON_INSIDE: &[&str] = &[
    "password", "passwort", "qwerty", "iloveyou", "letmein", "welcome", "admin", "woaini",
];

/// Whole passwords often tried that the word rule above does not catch.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "1qaz@wsx",
    "1qaz!qaz",
    "1q2w3e4r!",
    "zaq12wsx",
    "!qaz2wsx",
    "5201314",
    "52013145201314",
    "a1b2c3d4e5",
];

/// The password with the usual substitutions undone (`@`→a, `0`→o, `$`→s…), lower case.
fn unleet(p: &str) -> String {
    p.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '$' | '5' => 's',
            '3' => 'e',
            '1' | '!' => 'i',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Is this one of the passwords every guessing list starts with?
pub fn is_common_password(p: &str) -> bool {
    let lower = p.to_lowercase();
    if COMMON_PASSWORDS.iter().any(|c| lower.contains(c)) {
        return true;
    }
    let unleeted = unleet(p);
    if COMMON_INSIDE
        .iter()
        .any(|w| lower.contains(w) || unleeted.contains(w))
    {
        return true;
    }
    // The letters alone: a common word, possibly repeated, with digits and symbols around it.
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    letters.is_empty()
        || COMMON_WORDS.iter().any(|w| {
            letters.len().is_multiple_of(w.len()) && letters == w.repeat(letters.len() / w.len())
        })
}

/// Checks a new password is acceptable; the message says what is wrong.
pub fn check_new_password(p: &str) -> Result<(), String> {
    if p.chars().count() < 10 {
        return Err("密码至少需要10个字符".into());
    }
    let classes = [
        p.chars().any(|c| c.is_ascii_lowercase()),
        p.chars().any(|c| c.is_ascii_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少三类".into());
    }
    if is_common_password(p) {
        return Err("该密码过于常见，容易被猜中，请换一个".into());
    }
    Ok(())
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

/// What a person may do. Each back-office handler asks for exactly one of these, for the organ
/// the record belongs to.
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

/// The logged-in person of a back-office request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub csrf: String,
    token_hash: String,
}

impl CurrentUser {
    /// The account an API token belongs to (no session, so no form token: the API takes no
    /// cookies, which is what makes it safe from cross-site requests).
    pub fn from_api(user: User) -> CurrentUser {
        CurrentUser {
            user,
            csrf: String::new(),
            token_hash: String::new(),
        }
    }

    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// May this person do `perm` on the records of `organ_id`? Their organ covers its units.
    pub async fn can(&self, state: &AppState, perm: Perm, organ_id: i64) -> AppResult<bool> {
        if !perm.allowed(self.user.role) {
            return Ok(false);
        }
        match self.user.organ_id {
            None => Ok(self.user.role == Role::SysAdmin),
            Some(own) if own == organ_id => Ok(true),
            Some(own) => Ok(state
                .db
                .units_of(own)
                .await?
                .iter()
                .any(|u| u.id == organ_id)),
        }
    }

    /// Refuses unless [`CurrentUser::can`].
    pub async fn require(&self, state: &AppState, perm: Perm, organ_id: i64) -> AppResult<()> {
        if self.can(state, perm, organ_id).await? {
            Ok(())
        } else {
            tracing::warn!(user = %self.user.username, ?perm, organ_id, "refused");
            Err(AppError::Forbidden)
        }
    }

    /// Refuses unless the role has `perm` at all (for pages that list several organs).
    pub fn require_role(&self, perm: Perm) -> AppResult<()> {
        if perm.allowed(self.user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The organs this person works on: their organ and its units, or all for a system admin.
    pub async fn organs(&self, state: &AppState) -> AppResult<Vec<gongkai_domain::records::Organ>> {
        match self.user.organ_id {
            None => Ok(state.db.organs().await?),
            Some(own) => {
                let mut v: Vec<_> = state.db.organ(own).await?.into_iter().collect();
                v.extend(state.db.units_of(own).await?);
                Ok(v)
            }
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
        let session: Option<Session> = state.db.session(&token_hash, state.now()).await?;
        let s = session.ok_or(AppError::Unauthorized)?;
        Ok(CurrentUser {
            user: s.user,
            csrf: s.csrf_token,
            token_hash,
        })
    }
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
    Ok { user: User, token: String },
    Wrong,
    Locked(DateTime<Utc>),
}

/// Failed logins from one client address (across user names) before it is locked: a password
/// tried against many names is stopped too.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// Checks a login against the throttles of the user name and of the client address, then the
/// password. Each attempt is counted before its password is checked, in one statement per key
/// ([`gongkai_store::Db::count_login_attempt`]), so concurrent attempts cannot slip past the
/// limit: a name is locked for [`LOCKOUT_MIN`] minutes at its [`MAX_FAILURES`]th attempt in the
/// window (an address at its [`MAX_FAILURES_PER_ADDRESS`]th), and no further password is tried
/// for it. A successful login clears the name's count and takes its attempt back from the
/// address. Unknown names are throttled the same way, so the answer does not tell which names
/// exist.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> AppResult<LoginOutcome> {
    let now = state.now();
    let key = format!("user:{}", username.trim().to_lowercase());
    let ip_key = client.map(|ip| format!("ip:{ip}"));
    for k in std::iter::once(&key).chain(ip_key.as_ref()) {
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
    let mut keys = vec![(key.as_str(), MAX_FAILURES)];
    if let Some(k) = &ip_key {
        keys.push((k.as_str(), MAX_FAILURES_PER_ADDRESS));
    }
    for (k, max) in keys {
        let t = state
            .db
            .count_login_attempt(k, max, now, window, lockout)
            .await?;
        if t.failures > max {
            // Attempts that raced past the lock check: no password is tried for them.
            tracing::warn!("login refused: locked");
            return Ok(LoginOutcome::Locked(
                t.locked_until.unwrap_or(now + lockout),
            ));
        }
        lock = lock.or(t.locked_until);
    }
    let found = state.db.user_for_login(username).await?;
    // Hash anyway when the name is unknown, so timing does not reveal it either.
    let (ok, user) = match found {
        Some((u, hash)) => (
            verify_password(password.to_string(), hash).await? && u.active,
            Some(u),
        ),
        None => {
            hash_password(password.to_string()).await?;
            (false, None)
        }
    };
    if let (true, Some(user)) = (ok, user) {
        state.db.clear_throttle(&key).await?;
        if let Some(k) = &ip_key {
            state.db.forgive_login_attempt(k).await?;
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
        return Ok(LoginOutcome::Ok { user, token });
    }
    tracing::warn!("failed login");
    Ok(match lock {
        Some(until) => LoginOutcome::Locked(until),
        None => LoginOutcome::Wrong,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused() {
        for p in [
            "Password1!",
            "Password123!",
            "P@ssw0rd2024",
            "Qwerty12345!",
            "Admin@123456",
            "Welcome2026!",
            "1qaz@WSX3edc",
            "Abc123456789!",
            "Woaini5201314!",
        ] {
            assert!(check_new_password(p).is_err(), "{p} should be refused");
        }
        for p in ["Huanghe-Liu2026", "x7Kp!mR2vQ9s", "教育局Gk-2026-春"] {
            assert_eq!(check_new_password(p), Ok(()), "{p} should pass");
        }
    }
}
