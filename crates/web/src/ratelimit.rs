//! Rate limits on what anyone can send without an account: online applications, letters to the
//! 局长信箱, logins and the query-code lookups. Each kind of request has a limit per client
//! address ([`Limits`]), counted in the database ([`gongkai_store::Db::take_rate_limit`], one
//! statement) so that several instances serving one database share it. Past the limit the form
//! is shown again with what was typed and “提交过于频繁，请于N分钟后再试”, answered 429 with
//! `Retry-After`, and nothing is written. Logged-in people are not limited here (their session
//! is accountable; the login itself is).
//!
//! The client address is the TCP peer's. Behind a reverse proxy every request comes from the
//! proxy, so `X-Forwarded-For` is read, but only when the peer is one of the trusted proxies
//! ([`crate::Config::trusted_proxies`], `gongkai serve --trusted-proxy`): the address taken is the
//! right-most one in the header that is not itself a trusted proxy (the left part of the header
//! is whatever the client wrote). An IPv6 client is counted by its /64, the block one customer
//! usually holds. Requests with no known peer (in-process tests) share one key.

use crate::AppState;
use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::rate_limits::RateDecision;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// At most `count` requests per `window` from one address (`count` 0: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn per_hour(count: u32) -> Limit {
        Limit {
            count,
            window: Duration::from_secs(3600),
        }
    }

    /// Reads `N/M` as N requests per M minutes, or `N` as N per hour (`0`: no limit).
    pub fn parse(s: &str) -> Option<Limit> {
        let s = s.trim();
        let (n, m) = s.split_once('/').unwrap_or((s, "60"));
        let minutes: u64 = m.trim().parse().ok().filter(|m| *m > 0)?;
        Some(Limit {
            count: n.trim().parse().ok()?,
            window: Duration::from_secs(minutes * 60),
        })
    }
}

/// The limits of each kind of anonymous request, per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Online applications (依申请公开) accepted; each one starts a statutory deadline. Only
    /// accepted ones count: a form sent back with its mistakes does not.
    pub applications: Limit,
    /// Letters to the 局长信箱 accepted.
    pub letters: Limit,
    /// Submissions of either form, accepted or not: the higher limit a form sent back with its
    /// mistakes counts against (a shared address — a service hall, a school — is not locked out
    /// by a few typos), counted before the body is read.
    pub submissions: Limit,
    /// Online applications accepted per organ from all addresses together: 600 addresses cannot
    /// file 600 applications in a second and a half.
    pub applications_per_organ: Limit,
    /// Letters accepted per organ from all addresses together.
    pub letters_per_organ: Limit,
    /// Login attempts, right or wrong (wrong ones are also throttled per name and address, see
    /// [`crate::auth::login`]).
    pub logins: Limit,
    /// Query-code lookups (applications and letters, the receipt, the reply download): a code
    /// cannot be guessed at this rate.
    pub lookups: Limit,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            applications: Limit::per_hour(10),
            letters: Limit::per_hour(10),
            submissions: Limit::per_hour(40),
            applications_per_organ: Limit::per_hour(120),
            letters_per_organ: Limit::per_hour(240),
            logins: Limit {
                count: 60,
                window: Duration::from_secs(15 * 60),
            },
            lookups: Limit {
                count: 60,
                window: Duration::from_secs(10 * 60),
            },
        }
    }
}

/// The kinds of request limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Application,
    Letter,
    /// A comment on a draft for comment (意见征集): counted under the letters' limits, by its
    /// own counter.
    Comment,
    Login,
    Lookup,
    /// A submission of the application or letter form, accepted or not ([`Limits::submissions`]).
    Submission,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Application => "apply",
            Kind::Letter => "letter",
            Kind::Comment => "comment",
            Kind::Login => "login",
            Kind::Lookup => "lookup",
            Kind::Submission => "submit",
        }
    }

    fn limit(self, l: &Limits) -> Limit {
        match self {
            Kind::Application => l.applications,
            Kind::Letter | Kind::Comment => l.letters,
            Kind::Login => l.logins,
            Kind::Lookup => l.lookups,
            Kind::Submission => l.submissions,
        }
    }

    /// The ceiling of this kind per organ, all addresses together (the two forms only).
    fn per_organ(self, l: &Limits) -> Option<Limit> {
        match self {
            Kind::Application => Some(l.applications_per_organ),
            Kind::Letter | Kind::Comment => Some(l.letters_per_organ),
            _ => None,
        }
    }
}

/// A trusted proxy: an address, or a block of them (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proxy {
    addr: IpAddr,
    prefix: u8,
}

impl Proxy {
    pub fn parse(s: &str) -> Option<Proxy> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.trim().parse().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Proxy { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                masked(u32::from(a).into(), 32, self.prefix)
                    == masked(u32::from(b).into(), 32, self.prefix)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                masked(u128::from(a), 128, self.prefix) == masked(u128::from(b), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u32, prefix: u8) -> u128 {
    let keep = u32::from(prefix).min(width);
    if keep == 0 { 0 } else { bits >> (width - keep) }
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) is
/// the IPv4 address.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address, as described in the module comment: the peer's, or the forwarded one
/// when the peer is a trusted proxy.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Proxy]) -> Option<IpAddr> {
    let peer = canonical(peer?);
    if !trusted.iter().any(|p| p.contains(peer)) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().parse::<IpAddr>().map(canonical))
        .collect::<Result<_, _>>()
        // A header we cannot read whole is not trusted at all.
        .unwrap_or_default();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.iter().any(|p| p.contains(*ip)))
            .unwrap_or(peer),
    )
}

/// The client's address of a request (see [`client_ip`]); `None` when the server did not say
/// (requests made in-process).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(client_ip(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

/// The part of an address a limit counts: an IPv4 address, or an IPv6 address's /64.
fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(a)) => a.to_string(),
        Some(IpAddr::V6(a)) => {
            let s = a.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".into(),
    }
}

/// A request refused by its limit: the client may try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub retry_after: Duration,
    /// Refused by the organ's ceiling of all addresses together, not the client's own limit.
    pub organ_wide: bool,
}

impl Refused {
    /// Whole minutes to wait, at least one (what the message says).
    pub fn minutes(&self) -> u64 {
        self.retry_after.as_secs().div_ceil(60).max(1)
    }

    /// The message shown beside the form.
    pub fn message(&self) -> String {
        if self.organ_wide {
            format!(
                "本机关网上提交量暂时过大，请于{}分钟后再试，或通过信函、当面等方式提交",
                self.minutes()
            )
        } else {
            format!("提交过于频繁，请于{}分钟后再试", self.minutes())
        }
    }

    /// Makes `r` (the form shown again) a 429 with `Retry-After`.
    pub fn apply(&self, mut r: Response) -> Response {
        *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        let secs = self.retry_after.as_secs().max(1);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }

    /// A 429 page for requests that have no form to show again (the lookups).
    pub fn page(&self, what: &str) -> Response {
        self.apply(
            AppError::TooManyRequests(format!("{what}过于频繁，请于{}分钟后再试", self.minutes()))
                .into_response(),
        )
    }
}

/// Rows of the counter table are forgotten once full again, every this many checks.
const HOUSEKEEPING_EVERY: u64 = 1000;

/// Counts one request of `kind` from `ip` and says whether it may proceed.
pub async fn check(state: &AppState, kind: Kind, ip: Option<IpAddr>) -> Result<(), Refused> {
    let limit = kind.limit(&state.config.rate_limits);
    take(
        state,
        kind,
        &format!("{}:{}", kind.key(), address_key(ip)),
        limit,
        false,
    )
    .await
}

/// Counts one accepted submission of a form (`Kind::Application` or `Kind::Letter`) from `ip`
/// to `organ`: against the address's limit, then the organ's ceiling of all addresses together
/// (a refusal there gives the address's count back). A submission sent back with its mistakes
/// is not counted here (see [`before_body`] for what it counts against).
pub async fn accept(
    state: &AppState,
    kind: Kind,
    ip: Option<IpAddr>,
    organ: i64,
) -> Result<(), Refused> {
    check(state, kind, ip).await?;
    if let Some(limit) = kind.per_organ(&state.config.rate_limits) {
        let key = format!("{}-organ:{organ}", kind.key());
        if let Err(r) = take(state, kind, &key, limit, true).await {
            give_back_key(
                state,
                &format!("{}:{}", kind.key(), address_key(ip)),
                kind.limit(&state.config.rate_limits),
            )
            .await;
            return Err(r);
        }
    }
    Ok(())
}

/// Gives back what [`accept`] counted: the submission turned out not to be accepted (the use
/// case found a mistake in it).
pub async fn give_back(state: &AppState, kind: Kind, ip: Option<IpAddr>, organ: i64) {
    let limits = &state.config.rate_limits;
    give_back_key(
        state,
        &format!("{}:{}", kind.key(), address_key(ip)),
        kind.limit(limits),
    )
    .await;
    if let Some(limit) = kind.per_organ(limits) {
        give_back_key(state, &format!("{}-organ:{organ}", kind.key()), limit).await;
    }
}

async fn give_back_key(state: &AppState, key: &str, limit: Limit) {
    if limit.count == 0 {
        return;
    }
    if let Err(e) = state
        .db
        .give_back_rate_limit(key, limit.count, limit.window)
        .await
    {
        tracing::warn!(error = %e, "rate limit not given back");
    }
}

async fn take(
    state: &AppState,
    kind: Kind,
    key: &str,
    limit: Limit,
    organ_wide: bool,
) -> Result<(), Refused> {
    if limit.count == 0 {
        return Ok(());
    }
    let now = state.now();
    let decision = state
        .db
        .take_rate_limit(key, limit.count, limit.window, now)
        .await;
    // Housekeeping, deciding nothing: which instance does it and when does not matter.
    if state.rate_checks.fetch_add(1, Ordering::Relaxed) % HOUSEKEEPING_EVERY
        == HOUSEKEEPING_EVERY - 1
        && let Err(e) = state.db.delete_idle_rate_limits(now).await
    {
        tracing::warn!(error = %e, "rate limit housekeeping failed");
    }
    match decision {
        Ok(RateDecision::Allowed) => Ok(()),
        Ok(RateDecision::Refused { retry_after }) => {
            tracing::warn!(kind = kind.key(), organ_wide, "rate limit reached");
            Err(Refused {
                retry_after,
                organ_wide,
            })
        }
        // The limit is a protection, not a function: when it cannot be counted the request
        // goes on (its own write will meet the same database problem and say so).
        Err(e) => {
            tracing::error!(error = %e, "rate limit not counted");
            Ok(())
        }
    }
}

/// Largest body of an anonymous form (an application's 2,000 characters of description, a
/// letter's 5,000, percent-encoded at up to 9 bytes a character, with room to spare).
pub const FORM_BODY_MAX: usize = 128 * 1024;

/// Is this one of the anonymous forms limited before their body is read?
pub fn is_limited_form(method: &axum::http::Method, path: &str) -> bool {
    limited_form(method, path).is_some()
}

/// The anonymous forms limited before their body is read: the kind, by method and path.
fn limited_form(method: &axum::http::Method, path: &str) -> Option<Kind> {
    if method != axum::http::Method::POST {
        return None;
    }
    if path == "/login" {
        return Some(Kind::Login);
    }
    let rest = path.strip_prefix("/o/")?;
    let (organ, form) = rest.split_once('/')?;
    if organ.is_empty() || !organ.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match form {
        "apply" => Some(Kind::Application),
        "letters" => Some(Kind::Letter),
        f if f
            .strip_prefix("consultations/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(Kind::Comment)
        }
        _ => None,
    }
}

/// The limits of the anonymous forms, checked before their body is read, so a flood past them
/// costs the server a header's worth each: a body larger than any such form is refused (413)
/// or cut at [`FORM_BODY_MAX`]; a login counts against [`Limits::logins`]; an application or a
/// letter counts against [`Limits::submissions`] (accepted or not). Past those the answer is a
/// 429 page and the body is never read. Within them, the handler counts an accepted form
/// against [`Limits::applications`] or [`Limits::letters`] ([`accept`]) and, past that, shows
/// the form again with what was typed (a body of at most [`FORM_BODY_MAX`]). Logged-in people
/// are not limited.
pub async fn before_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(kind) = limited_form(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > FORM_BODY_MAX as u64);
    if too_large {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest("提交的内容过长".into()),
        )
            .into_response();
    }
    let (mut parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, FORM_BODY_MAX));
    let user = match crate::auth::MaybeUser::from_request_parts(&mut parts, &state).await {
        Ok(u) => u.0,
        Err(e) => return e.into_response(),
    };
    if user.is_none() {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(&mut parts, &state).await;
        let refused = match kind {
            Kind::Login => check(&state, Kind::Login, ip).await.err(),
            _ => check(&state, Kind::Submission, ip).await.err(),
        };
        if let Some(r) = refused {
            let what = if kind == Kind::Login {
                "登录"
            } else {
                "提交"
            };
            return r.page(what);
        }
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// The counter of checks made by this process, for the housekeeping above.
pub type Checks = std::sync::Arc<AtomicU64>;

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted = [
            Proxy::parse("10.0.0.0/8").unwrap(),
            Proxy::parse("::1").unwrap(),
        ];
        // Not from a proxy: the header is the client's own words.
        assert_eq!(
            client_ip(Some(ip("198.51.100.7")), &xff("1.2.3.4"), &trusted),
            Some(ip("198.51.100.7"))
        );
        // From the proxy: the right-most address the proxies did not add.
        assert_eq!(
            client_ip(
                Some(ip("10.1.2.3")),
                &xff("6.6.6.6, 203.0.113.5, 10.9.9.9"),
                &trusted
            ),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(
            client_ip(Some(ip("::1")), &xff("203.0.113.5"), &trusted),
            Some(ip("203.0.113.5"))
        );
        // No header, or one that cannot be read: the proxy's own address.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &HeaderMap::new(), &trusted),
            Some(ip("10.1.2.3"))
        );
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &xff("junk, 203.0.113.5"), &trusted),
            Some(ip("10.1.2.3"))
        );
        // Without trusted proxies the header is never read.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &xff("203.0.113.5"), &[]),
            Some(ip("10.1.2.3"))
        );
        // An IPv4 peer on a dual-stack socket.
        assert_eq!(
            client_ip(Some(ip("::ffff:198.51.100.7")), &HeaderMap::new(), &[]),
            Some(ip("198.51.100.7"))
        );
    }

    #[test]
    fn addresses_and_limits_parse() {
        assert!(Proxy::parse("10.0.0.0/33").is_none());
        assert!(Proxy::parse("nonsense").is_none());
        assert!(!Proxy::parse("10.0.0.0/8").unwrap().contains(ip("11.0.0.1")));
        assert!(Proxy::parse("0.0.0.0/0").unwrap().contains(ip("11.0.0.1")));
        assert_eq!(Limit::parse("10"), Some(Limit::per_hour(10)));
        assert_eq!(
            Limit::parse("5/10"),
            Some(Limit {
                count: 5,
                window: Duration::from_secs(600)
            })
        );
        assert_eq!(Limit::parse("5/0"), None);
        assert_eq!(
            address_key(Some(ip("2001:db8:1:2:3:4:5:6"))),
            "2001:db8:1:2::/64"
        );
        assert_eq!(address_key(Some(ip("::ffff:192.0.2.1"))), "192.0.2.1");
    }

    #[test]
    fn the_message_rounds_up_to_whole_minutes() {
        let r = Refused {
            retry_after: Duration::from_secs(361),
            organ_wide: false,
        };
        assert_eq!(r.message(), "提交过于频繁，请于7分钟后再试");
        assert_eq!(
            Refused {
                retry_after: Duration::from_millis(10),
                organ_wide: false,
            }
            .minutes(),
            1
        );
    }
}
