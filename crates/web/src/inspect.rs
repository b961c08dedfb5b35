//! `gongkai inspect` (and `scripts/inspect`): crawls a running portal as an inspector of
//! government sites does and prints the checklist of 《政府网站与政务新媒体检查指标》 — every
//! link followed, every column counted — so an office can check its own site before the
//! inspection does.
//!
//! Our reading of the indicators (the spec is silent; these are the items a crawler can see):
//! - **单项否决** (one decides alone): the site does not answer; the home page has nothing
//!   published in the two weeks before the check; five or more empty columns that do not say
//!   why; more than ten columns not updated within their period.
//! - **扣分** (deductions): each column not updated within its period (动态 two weeks, 通知公告
//!   and 政策文件 six months, by `gongkai_domain::records::UpdatePeriod`); broken internal
//!   links; identity fields missing from the footer (主办单位, 网站标识码, ICP 备案 linked to
//!   beian.miit.gov.cn, 公安机关备案, 党政机关网站标识; 联系我们, privacy and copyright pages);
//!   an organ page without the four first-level columns of the 2019 notice; last year's annual
//!   report missing after 31 January; no 政府网站工作年度报表; no working 长者模式 switch or
//!   无障碍 entry.
//!
//! The client speaks plain HTTP/1.1 (run it against the portal's own address, behind any TLS
//! proxy; a column inside a host site is checked at its prefix, `http://host/xxgk/`, the host's
//! own header and footer left to the host); report downloads are not fetched unless asked (`--downloads`), since a first
//! request renders the file.

use chrono::{Datelike, NaiveDate};
use gongkai_domain::records::UpdatePeriod;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the crawl may do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The check's date (the inspector's today).
    pub today: NaiveDate,
    /// The most pages fetched.
    pub max_pages: usize,
    /// Also fetch report downloads and attachments.
    pub downloads: bool,
}

/// How heavy an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// 单项否决: the site is unqualified on this item alone.
    Veto,
    /// 扣分.
    Deduction,
    Pass,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Veto => "否决",
            Severity::Deduction => "扣分",
            Severity::Pass => "通过",
        }
    }
}

/// One line of the checklist, with the pages it is about.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub item: &'static str,
    pub text: String,
    pub details: Vec<String>,
}

/// The whole checklist.
#[derive(Debug, Clone)]
pub struct Report {
    pub base: String,
    pub today: NaiveDate,
    pub pages: usize,
    pub findings: Vec<Finding>,
    /// Empty columns without explanation, as `organ › column`.
    pub empty_columns: Vec<String>,
    pub stale_columns: Vec<String>,
    pub broken_links: Vec<String>,
}

impl Report {
    pub fn vetoes(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Veto)
            .count()
    }

    /// The checklist in Chinese, one item a line, what is left under it.
    pub fn text(&self) -> String {
        let mut out = format!(
            "政府网站检查：{}（检查日期 {}，抓取页面 {} 个）\n",
            self.base, self.today, self.pages
        );
        let mut sorted: Vec<&Finding> = self.findings.iter().collect();
        sorted.sort_by_key(|f| f.severity);
        for f in sorted {
            out.push_str(&format!(
                "[{}] {}：{}\n",
                f.severity.label(),
                f.item,
                f.text
            ));
            for d in f.details.iter().take(30) {
                out.push_str(&format!("    {d}\n"));
            }
            if f.details.len() > 30 {
                out.push_str(&format!("    ……共{}项\n", f.details.len()));
            }
        }
        let deductions = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Deduction)
            .count();
        out.push_str(&match self.vetoes() {
            0 => format!("结论：无单项否决项；待改进 {deductions} 项。\n"),
            n => format!("结论：不合格（单项否决 {n} 项）；另有待改进 {deductions} 项。\n"),
        });
        out
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `http://host:port` split into the address to connect to and the Host header.
fn authority(base: &str) -> Result<(String, String), String> {
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("只支持 http:// 地址（请检查门户本机地址）：{base}"))?;
    let host = rest.split('/').next().unwrap_or("").to_string();
    if host.is_empty() {
        return Err(format!("地址缺少主机名：{base}"));
    }
    let addr = if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        && !host.ends_with(']')
    {
        host.clone()
    } else {
        format!("{host}:80")
    };
    Ok((addr, host))
}

/// The path prefix of `base` (`http://host/xxgk` → `/xxgk`): a column served inside a host
/// site (`gongkai serve --base-path`).
fn prefix_of(base: &str) -> &str {
    let rest = base.strip_prefix("http://").unwrap_or(base);
    rest.find('/')
        .map(|i| rest[i..].trim_end_matches('/'))
        .unwrap_or("")
}

/// A page of a column served under `prefix` as the same page served at the root: the host's
/// own header and footer (between `<!--gk-host-->` marks) left out — they are the host site's
/// to check — and our links, redirects and forms without the prefix, so every check reads it as
/// it reads a standalone portal.
fn unprefixed(mut a: Answer, prefix: &str) -> Answer {
    if prefix.is_empty() {
        return a;
    }
    let mut body = String::with_capacity(a.body.len());
    let mut rest = a.body.as_str();
    while let Some(i) = rest.find("<!--gk-host-->") {
        body.push_str(&rest[..i]);
        match rest[i..].find("<!--/gk-host-->") {
            Some(j) => rest = &rest[i + j + "<!--/gk-host-->".len()..],
            None => rest = "",
        }
    }
    body.push_str(rest);
    a.body = body
        .replace(&format!("=\"{prefix}/"), "=\"/")
        .replace(&format!("=\"{prefix}\""), "=\"/\"");
    for (k, v) in &mut a.headers {
        if k.eq_ignore_ascii_case("location")
            && let Some(r) = v.strip_prefix(prefix)
            && (r.is_empty() || r.starts_with('/'))
        {
            *v = if r.is_empty() { "/".into() } else { r.into() };
        }
    }
    a
}

/// A GET of `path` on `base`, with `cookie`; redirects are not followed. When `base` has a path
/// (`http://host/xxgk`), `path` is under it and the answer reads as from the root
/// ([`unprefixed`]).
pub async fn fetch(base: &str, path: &str, cookie: &str) -> Result<Answer, String> {
    let prefix = prefix_of(base);
    let path = &format!("{prefix}{path}");
    fetch_raw(base, path, cookie)
        .await
        .map(|a| unprefixed(a, prefix))
}

async fn fetch_raw(base: &str, path: &str, cookie: &str) -> Result<Answer, String> {
    let (addr, host) = authority(base)?;
    let go = async {
        let mut s = tokio::net::TcpStream::connect(&addr)
            .await
            .map_err(|e| format!("无法连接 {addr}：{e}"))?;
        let mut req = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: gongkai-inspect\r\nAccept: text/html,*/*\r\nConnection: close\r\n"
        );
        if !cookie.is_empty() {
            req.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.map_err(|e| e.to_string())?;
        parse_answer(&raw)
    };
    tokio::time::timeout(Duration::from_secs(60), go)
        .await
        .map_err(|_| format!("{path}：60秒无应答"))?
}

pub fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("应答不完整")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("应答没有状态码")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&b[..i])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 || b.len() < i + 2 + size {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[(i + 4 + size).min(b.len())..];
    }
    out
}

/// The values of attribute `attr` in `html` (`href`, `src`), entities decoded.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let key = format!(" {attr}=\"");
    html.match_indices(key.as_str())
        .filter_map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest.find('"').map(|e| unescape(&rest[..e]))
        })
        .collect()
}

/// The first value of `attr` from `html`'s element with `id` on.
fn attr_after_id(html: &str, id: &str, attr: &str) -> Option<String> {
    let i = html.find(&format!("id=\"{id}\""))?;
    // The element's own tag: back to its `<`, forward to its `>`.
    let start = html[..i].rfind('<')?;
    let end = i + html[i..].find('>')?;
    attr_values(&html[start..=end], attr).into_iter().next()
}

fn unescape(s: &str) -> String {
    s.replace("&#38;", "&")
        .replace("&#34;", "\"")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The text of the element with `id` (up to its first tag's end), tags removed.
fn text_of(html: &str, id: &str) -> Option<String> {
    let i = html.find(&format!("id=\"{id}\""))?;
    let start = i + html[i..].find('>')? + 1;
    let rest = &html[start..];
    let mut depth = 0usize;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((j, c)) = chars.next() {
        if c == '<' {
            let tag = &rest[j..];
            if tag.starts_with("</") {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if !tag.starts_with("<br") && !tag.starts_with("<img") {
                depth += 1;
            }
            for (_, c) in chars.by_ref() {
                if c == '>' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    Some(unescape(out.trim()))
}

fn title_of(html: &str) -> String {
    html.split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .map(unescape)
        .unwrap_or_default()
}

/// Dates `YYYY-MM-DD` in the spans of class `date` or the cells labelled 发布日期.
fn published_dates(html: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for key in ["<span class=\"date\">", "data-label=\"发布日期\">"] {
        for (i, _) in html.match_indices(key) {
            let s = &html[i + key.len()..];
            if let Some(d) = s.get(..10).and_then(|d| d.parse().ok()) {
                out.push(d);
            }
        }
    }
    out
}

/// Whether a link is to be fetched (same site, a page, not a form's target).
fn crawlable(href: &str, downloads: bool) -> bool {
    if !href.starts_with('/') || href.starts_with("//") {
        return false;
    }
    let path = href.split(['?', '#']).next().unwrap_or("");
    const SKIP: [&str; 8] = [
        "/admin",
        "/login",
        "/logout",
        "/elder",
        "/apply",
        "/letters/lookup",
        "/search",
        "/api",
    ];
    if SKIP
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
    {
        return false;
    }
    if !downloads && (path.contains("/download/") || path.starts_with("/attachments/")) {
        return false;
    }
    true
}

/// Pages whose links are followed too (not the year and page variants of a list, which only
/// repeat the list's links).
fn follow_links(href: &str) -> bool {
    !(href.contains("year=") || href.contains("page=") || href.starts_with("/items/"))
}

/// Crawls the portal at `base` and checks it.
pub async fn inspect(base: &str, opts: &Options) -> Report {
    let base = base.trim_end_matches('/').to_string();
    let mut r = Report {
        base: base.clone(),
        today: opts.today,
        pages: 0,
        findings: vec![],
        empty_columns: vec![],
        stale_columns: vec![],
        broken_links: vec![],
    };
    let home = match fetch(&base, "/", "").await {
        Ok(a) if a.status == 200 => a,
        Ok(a) => {
            r.findings
                .push(veto("网站可用性", format!("首页返回 HTTP {}", a.status)));
            return r;
        }
        Err(e) => {
            r.findings
                .push(veto("网站可用性", format!("首页无法访问：{e}")));
            return r;
        }
    };
    check_home_update(&mut r, &home.body, opts.today);
    check_identity(&mut r, &base, &home.body).await;
    check_elder_and_a11y(&mut r, &base, &home.body).await;

    // The crawl: every page once, links from pages that are not list variants.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    seen.insert("/".into());
    pages.insert("/".into(), home.body.clone());
    for h in attr_values(&home.body, "href") {
        if crawlable(&h, opts.downloads) && seen.insert(h.clone()) {
            queue.push_back((h, "/".into()));
        }
    }
    let mut fetched = 1;
    while fetched < opts.max_pages {
        let Some((path, from)) = queue.pop_front() else {
            break;
        };
        fetched += 1;
        match fetch(&base, &path, "").await {
            Ok(a) if a.status == 200 => {
                if follow_links(&path)
                    && a.header("content-type").is_some_and(|t| t.contains("html"))
                {
                    let mut links = attr_values(&a.body, "href");
                    links.extend(attr_values(&a.body, "src"));
                    for h in links {
                        if crawlable(&h, opts.downloads) && seen.insert(h.clone()) {
                            queue.push_back((h, path.clone()));
                        }
                    }
                }
                // Kept for the checks below: organ pages and column pages.
                let organ_page = path
                    .strip_prefix("/o/")
                    .is_some_and(|id| id.chars().all(|c| c.is_ascii_digit()));
                if organ_page || (path.contains("/catalogue?category=") && follow_links(&path)) {
                    pages.insert(path, a.body);
                }
            }
            Ok(a) if (300..400).contains(&a.status) => {}
            Ok(a) => r
                .broken_links
                .push(format!("{path}（HTTP {}，链接所在页面 {from}）", a.status)),
            Err(e) => r
                .broken_links
                .push(format!("{path}（{e}，链接所在页面 {from}）")),
        }
    }
    r.pages = fetched;
    if queue.is_empty() {
        r.findings.push(if r.broken_links.is_empty() {
            pass("链接可用性", format!("抓取 {fetched} 个页面，无错误链接"))
        } else {
            Finding {
                severity: Severity::Deduction,
                item: "链接可用性",
                text: format!("{} 个错误链接", r.broken_links.len()),
                details: r.broken_links.clone(),
            }
        });
    } else {
        r.findings.push(Finding {
            severity: Severity::Deduction,
            item: "链接可用性",
            text: format!(
                "已达抓取上限 {} 个页面，尚有 {} 个未检查；已发现 {} 个错误链接",
                opts.max_pages,
                queue.len(),
                r.broken_links.len()
            ),
            details: r.broken_links.clone(),
        });
    }
    check_columns(&mut r, &pages, opts.today);
    check_organs(&mut r, &base, &home.body, &pages, opts.today).await;
    r
}

fn veto(item: &'static str, text: String) -> Finding {
    Finding {
        severity: Severity::Veto,
        item,
        text,
        details: vec![],
    }
}

fn pass(item: &'static str, text: String) -> Finding {
    Finding {
        severity: Severity::Pass,
        item,
        text,
        details: vec![],
    }
}

fn deduction(item: &'static str, text: String, details: Vec<String>) -> Finding {
    Finding {
        severity: Severity::Deduction,
        item,
        text,
        details,
    }
}

/// 首页更新: something published within the two weeks before the check.
fn check_home_update(r: &mut Report, home: &str, today: NaiveDate) {
    let latest = published_dates(home).into_iter().max();
    r.findings.push(match latest {
        Some(d) if (today - d).num_days() <= 14 => {
            pass("首页更新", format!("最近一条信息发布于 {d}"))
        }
        Some(d) => veto(
            "首页更新",
            format!(
                "最近一条信息发布于 {d}，已 {} 天无更新（应在两周内更新）",
                (today - d).num_days()
            ),
        ),
        None => veto("首页更新", "首页没有列出任何带发布日期的信息".into()),
    });
}

/// The site's identity in the footer, and its statements.
async fn check_identity(r: &mut Report, base: &str, home: &str) {
    let title = title_of(home);
    let mut missing = Vec::new();
    if title.is_empty() || ["政府信息公开", "政府信息公开平台"].contains(&title.as_str())
    {
        missing.push(format!("首页标题“{title}”不是网站名称"));
    }
    for (id, label) in [
        ("site-sponsor", "主办单位"),
        ("site-code", "网站标识码"),
        ("site-icp", "ICP备案编号"),
        ("site-police", "公安机关备案号"),
        ("site-badge", "党政机关网站标识"),
    ] {
        if !home.contains(&format!("id=\"{id}\"")) {
            missing.push(format!("页脚缺少{label}"));
        }
    }
    if home.contains("id=\"site-icp\"") && !home.contains("href=\"https://beian.miit.gov.cn/\"") {
        missing.push("ICP备案编号未链接至 beian.miit.gov.cn".into());
    }
    for (path, label) in [
        ("/contact", "联系我们"),
        ("/privacy", "隐私声明"),
        ("/copyright", "版权声明"),
    ] {
        if !home.contains(&format!("href=\"{path}\"")) {
            missing.push(format!("页脚没有“{label}”链接"));
            continue;
        }
        match fetch(base, path, "").await {
            Ok(a) if a.status == 200 && !a.body.contains("id=\"statement-missing\"") => {}
            Ok(a) if a.status == 200 => missing.push(format!("“{label}”页面尚未填写")),
            Ok(a) => missing.push(format!("“{label}”页面返回 HTTP {}", a.status)),
            Err(e) => missing.push(format!("“{label}”页面无法访问：{e}")),
        }
    }
    r.findings.push(if missing.is_empty() {
        pass(
            "网站标识",
            format!(
                "网站名称“{title}”，{}，{}",
                text_of(home, "site-sponsor").unwrap_or_default(),
                text_of(home, "site-code").unwrap_or_default()
            ),
        )
    } else {
        deduction("网站标识", format!("{} 项缺失", missing.len()), missing)
    });
}

/// The 长者模式 switch works without JavaScript and is kept across pages; an 无障碍 entry.
async fn check_elder_and_a11y(r: &mut Report, base: &str, home: &str) {
    let mut problems = Vec::new();
    let switch = attr_after_id(home, "elder-switch", "href");
    match switch {
        None => problems.push("首页没有长者模式切换入口".to_string()),
        Some(href) => match fetch(base, &href, "").await {
            Ok(a) => {
                let cookie = a
                    .header("set-cookie")
                    .and_then(|c| c.split(';').next())
                    .unwrap_or("")
                    .to_string();
                let back = a.header("location").unwrap_or("/").to_string();
                if cookie.is_empty() {
                    problems.push("长者模式切换未设置 Cookie".into());
                } else {
                    // Kept on the page it came back to and on another.
                    for path in [back.as_str(), "/sitemap"] {
                        match fetch(base, path, &cookie).await {
                            Ok(p) if p.body.contains("class=\"elder\"") => {}
                            _ => problems.push(format!("长者模式在 {path} 未保持")),
                        }
                    }
                }
            }
            Err(e) => problems.push(format!("长者模式切换无法访问：{e}")),
        },
    }
    let a11y = attr_after_id(home, "a11y-link", "href");
    match a11y {
        None => problems.push("首页没有无障碍入口".into()),
        Some(href) => match fetch(base, &href, "").await {
            Ok(a) if a.status == 200 => {}
            _ => problems.push("无障碍入口无法打开".into()),
        },
    }
    if !home.contains("class=\"skip\"") || !home.contains("<main") {
        problems.push("页面缺少跳转链接或主体区域（landmark）".into());
    }
    r.findings.push(if problems.is_empty() {
        pass(
            "适老化与无障碍",
            "长者模式切换可用并跨页面保持；有无障碍入口".into(),
        )
    } else {
        deduction(
            "适老化与无障碍",
            format!("{} 项问题", problems.len()),
            problems,
        )
    });
}

/// The column pages (`/o/N/catalogue?category=K`): empty ones without explanation, and those
/// not updated within their period.
fn check_columns(r: &mut Report, pages: &BTreeMap<String, String>, today: NaiveDate) {
    for (path, html) in pages {
        if !path.contains("/catalogue?category=")
            || path.contains("year=")
            || path.contains("page=")
        {
            continue;
        }
        let column = text_of(html, "list-h")
            .and_then(|t| {
                t.split("栏目：")
                    .nth(1)
                    .map(|s| s.trim_end_matches('）').trim().to_string())
            })
            .unwrap_or_else(|| path.clone());
        let organ = html
            .split("<h1>")
            .nth(1)
            .and_then(|h| h.split("政府信息公开目录").next())
            .map(unescape)
            .unwrap_or_default();
        let name = format!("{organ} › {column}（{path}）");
        if html.contains("id=\"column-empty\"") {
            r.empty_columns.push(name);
            continue;
        }
        if let Some(p) = UpdatePeriod::of(&column)
            && let Some(latest) = published_dates(html).into_iter().max()
            && p.current_until(latest) < today
        {
            r.stale_columns
                .push(format!("{name}：最近更新 {latest}，应每{}更新", p.label()));
        }
    }
    let empty = r.empty_columns.len();
    r.findings.push(match empty {
        0 => pass("空白栏目", "没有未说明原因的空白栏目".into()),
        n if n >= 5 => Finding {
            severity: Severity::Veto,
            item: "空白栏目",
            text: format!("{n} 个空白栏目未说明原因（5个及以上即单项否决）"),
            details: r.empty_columns.clone(),
        },
        n => deduction(
            "空白栏目",
            format!("{n} 个空白栏目未说明原因"),
            r.empty_columns.clone(),
        ),
    });
    let stale = r.stale_columns.len();
    r.findings.push(match stale {
        0 => pass(
            "栏目更新",
            "动态、通知公告、政策文件类栏目均按期更新".into(),
        ),
        n => Finding {
            severity: if n > 10 {
                Severity::Veto
            } else {
                Severity::Deduction
            },
            item: "栏目更新",
            text: format!("{n} 个栏目未按期更新（超过10个即单项否决）"),
            details: r.stale_columns.clone(),
        },
    });
}

/// Each organ linked from the home page: the four first-level columns, last year's annual
/// report, and the 政府网站工作年度报表.
async fn check_organs(
    r: &mut Report,
    base: &str,
    home: &str,
    pages: &BTreeMap<String, String>,
    today: NaiveDate,
) {
    let organs: BTreeSet<String> = attr_values(home, "href")
        .into_iter()
        .filter(|h| {
            h.strip_prefix("/o/")
                .is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    let mut four = Vec::new();
    let mut reports = Vec::new();
    for o in &organs {
        let Some(html) = pages.get(o) else { continue };
        let name = html
            .split("<h1>")
            .nth(1)
            .and_then(|h| h.split("</h1>").next())
            .map(unescape)
            .unwrap_or_else(|| o.clone());
        for (id, label) in [
            ("col-guide", "政府信息公开指南"),
            ("col-rules", "政府信息公开制度"),
            ("col-statutory", "法定主动公开内容"),
            ("col-reports", "政府信息公开年报"),
        ] {
            let href = attr_after_id(html, id, "href");
            match href {
                None => four.push(format!("{name}：缺少“{label}”栏目")),
                Some(h) => match fetch(base, &h, "").await {
                    Ok(a) if a.status == 200 => {
                        if id == "col-statutory" && a.body.contains("id=\"column-empty\"") {
                            four.push(format!("{name}：“{label}”栏目为空"));
                        }
                        if id == "col-reports" && today.month() * 100 + today.day() > 131 {
                            let last = today.year() - 1;
                            if !a.body.contains(&format!("{last}年度报告")) {
                                reports.push(format!(
                                    "{name}：未见{last}年度报告（应于1月31日前发布）"
                                ));
                            }
                        }
                    }
                    _ => four.push(format!("{name}：“{label}”栏目无法打开（{h}）")),
                },
            }
        }
    }
    r.findings.push(if four.is_empty() {
        pass(
            "一级栏目",
            format!(
                "{} 个机关均设政府信息公开指南、制度、法定主动公开内容、年报四个一级栏目",
                organs.len()
            ),
        )
    } else {
        deduction("一级栏目", format!("{} 项问题", four.len()), four)
    });
    r.findings.push(if reports.is_empty() {
        pass("年度报告", "上一年度政府信息公开工作年度报告已发布".into())
    } else {
        deduction(
            "年度报告",
            format!("{} 个机关未发布", reports.len()),
            reports,
        )
    });
    let form = attr_after_id(home, "site-annual-form", "href");
    let last = today.year() - 1;
    r.findings.push(match form {
        Some(h) => match fetch(base, &h, "").await {
            Ok(a) if a.status == 200 && a.body.contains(&format!("{last}年度")) => pass(
                "网站年度报表",
                format!("{last}年度政府网站工作年度报表已发布"),
            ),
            Ok(a) if a.status == 200 && today.month() == 1 => pass(
                "网站年度报表",
                format!("{last}年度报表尚未发布（1月31日前发布）"),
            ),
            _ => deduction(
                "网站年度报表",
                format!("未见{last}年度政府网站工作年度报表（应于1月31日前发布）"),
                vec![h],
            ),
        },
        None => deduction(
            "网站年度报表",
            "首页没有政府网站工作年度报表的入口".into(),
            vec![],
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_pages_are_read() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let a = parse_answer(raw).unwrap();
        assert_eq!((a.status, a.body.as_str()), (200, "hello world"));
        let html = "<title>灵武 &amp; 公开</title><p id=\"site-code\">网站标识码：<b>6401810001</b></p>\
                    <a href=\"/o/1/catalogue?category=2&amp;year=2025\">x</a><span class=\"date\">2025-03-01</span>";
        assert_eq!(title_of(html), "灵武 & 公开");
        assert_eq!(
            text_of(html, "site-code").as_deref(),
            Some("网站标识码：6401810001")
        );
        assert_eq!(
            attr_values(html, "href"),
            vec!["/o/1/catalogue?category=2&year=2025"]
        );
        assert_eq!(
            attr_after_id(
                "<p><a id=\"x\" href=\"/a\">a</a><a href=\"/b\">",
                "x",
                "href"
            )
            .as_deref(),
            Some("/a")
        );
        assert_eq!(
            published_dates(html),
            vec![NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()]
        );
        assert!(!crawlable("/admin/items", false));
        assert!(!crawlable("//evil.example/", false));
        assert!(!crawlable("/reports/3/download/pdf", false));
        assert!(crawlable("/reports/3/download/pdf", true));
        assert!(crawlable("/o/1/guide", false));
        assert_eq!(
            authority("http://127.0.0.1:18900").unwrap().0,
            "127.0.0.1:18900"
        );
        assert_eq!(
            authority("http://gov.example/xxgk").unwrap().0,
            "gov.example:80"
        );
        assert!(authority("https://gov.example").is_err());
    }

    #[test]
    fn a_column_under_a_prefix_reads_as_from_the_root_without_the_hosts_fragments() {
        assert_eq!(prefix_of("http://127.0.0.1:8202/xxgk/"), "/xxgk");
        assert_eq!(prefix_of("http://127.0.0.1:8202"), "");
        let a = Answer {
            status: 303,
            headers: vec![("Location".into(), "/xxgk/sitemap".into())],
            body: "<!--gk-host--><a href=\"/news/\">主站</a><!--/gk-host--><a href=\"/xxgk/o/1\">局</a>\
                   <a href=\"/xxgk\">首页</a><form action=\"/xxgk/search\"><!--gk-host--><a href=\"/\">x</a><!--/gk-host-->"
                .into(),
        };
        let b = unprefixed(a, "/xxgk");
        assert_eq!(
            b.body,
            "<a href=\"/o/1\">局</a><a href=\"/\">首页</a><form action=\"/search\">"
        );
        assert_eq!(b.header("location"), Some("/sitemap"));
    }
}
