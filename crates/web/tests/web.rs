//! The portal and back office, exercised in-process with `oneshot` requests on the same router the
//! binary serves: public pages, login and lockout, form tokens, every role refused what it may not
//! do (direct URL and form post), the catalogue workflow, the report publication and corrections,
//! letters, and the JSON API.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{NaiveDate, TimeZone, Utc};
use gongkai_domain::records::{CatalogueSeed, DocKind, ItemStatus, NewCatalogueItem, NewOrgan};
use gongkai_domain::report::OrganKind;
use gongkai_store::Db;
use gongkai_store::testing::TestDb;
use gongkai_store::users::Role;
use gongkai_web::{AppState, Config, FixedClock, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Correct-Horse-42";

struct World {
    t: TestDb,
    app: Router,
    organ: i64,
    other_organ: i64,
    unit: i64,
}

fn organ(code: &str, name: &str, parent: Option<i64>) -> NewOrgan {
    NewOrgan {
        code: code.into(),
        name: name.into(),
        short_name: String::new(),
        kind: OrganKind::Department,
        parent_id: parent,
        index_pattern: "{code}/{year}-{seq:05}".into(),
    }
}

async fn add_user(db: &Db, name: &str, role: Role, organ: Option<i64>) {
    let hash = gongkai_web::auth::hash_password(PASSWORD.into())
        .await
        .unwrap();
    db.create_user(name, name, &hash, role, organ, Utc::now())
        .await
        .unwrap();
}

async fn world() -> World {
    world_on(gongkai_store::Backend::Sqlite).await
}

async fn world_on(backend: gongkai_store::Backend) -> World {
    world_with(backend, Config::default()).await
}

async fn world_with(backend: gongkai_store::Backend, config: Config) -> World {
    let t = TestDb::new(backend).await;
    let db = t.db.clone();
    let seed = CatalogueSeed::education();
    let o = db
        .create_organ(&organ("ORG1", "灵武市教育局", None), Some(&seed))
        .await
        .unwrap();
    let u = db
        .create_organ(&organ("UNIT1", "灵武市第一小学", Some(o.id)), Some(&seed))
        .await
        .unwrap();
    let other = db
        .create_organ(&organ("ORG2", "灵武市民政局", None), Some(&seed))
        .await
        .unwrap();
    add_user(&db, "sys", Role::SysAdmin, None).await;
    add_user(&db, "oadmin", Role::OrganAdmin, Some(o.id)).await;
    add_user(&db, "editor", Role::Editor, Some(o.id)).await;
    add_user(&db, "reviewer", Role::Reviewer, Some(o.id)).await;
    add_user(&db, "handler", Role::Handler, Some(o.id)).await;
    add_user(&db, "super", Role::Supervisor, Some(o.id)).await;
    add_user(&db, "other_editor", Role::Editor, Some(other.id)).await;
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let state = AppState::new(db, config).with_clock(clock);
    World {
        app: app(state),
        t,
        organ: o.id,
        other_organ: other.id,
        unit: u.id,
    }
}

struct Resp {
    status: StatusCode,
    location: String,
    cookies: Vec<String>,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let cookies = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let bytes = r.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        location,
        cookies,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, path: &str, cookie: &str) -> Resp {
    let mut b = Request::get(path);
    if !cookie.is_empty() {
        b = b.header(header::COOKIE, cookie);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn post(app: &Router, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if !cookie.is_empty() {
        b = b.header(header::COOKIE, cookie);
    }
    send(app, b.body(Body::from(body)).unwrap()).await
}

/// The value of the first hidden form token on a page.
fn csrf_of(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("page has a form token") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// The value of a hidden form field.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let i = html.find(&key).expect("page has the field") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

fn cookie_pair(set_cookie: &[String], name: &str) -> Option<String> {
    set_cookie
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// An anonymous visitor's form cookie and token from a page with a form.
async fn anon_form(app: &Router, path: &str) -> (String, String) {
    let r = get(app, path, "").await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    let cookie = cookie_pair(&r.cookies, "gk_form").expect("form cookie set");
    (cookie, csrf_of(&r.body))
}

async fn try_login(app: &Router, user: &str, password: &str) -> Resp {
    let (cookie, token) = anon_form(app, "/login").await;
    post(
        app,
        "/login",
        &cookie,
        &[("csrf", &token), ("username", user), ("password", password)],
    )
    .await
}

/// Logs in; returns the session cookie and the session's form token.
async fn login(app: &Router, user: &str) -> (String, String) {
    let r = try_login(app, user, PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "login of {user}: {}",
        r.body
    );
    let set = r
        .cookies
        .iter()
        .find(|c| c.starts_with("gk_session="))
        .expect("session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let page = get(app, "/admin", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = csrf_of(&page.body);
    (cookie, token)
}

async fn insert_item(
    db: &Db,
    organ: i64,
    title: &str,
    status: ItemStatus,
    published: Option<NaiveDate>,
) -> i64 {
    let cats = db.categories(organ).await.unwrap();
    let it = db
        .insert_item(&NewCatalogueItem {
            organ_id: organ,
            title: title.into(),
            summary: format!("{title}的概述"),
            category_id: cats[0].id,
            issuing_unit: "灵武市教育局".into(),
            written_on: Some(
                published
                    .map(|p| p - chrono::Duration::days(2))
                    .unwrap_or(NaiveDate::from_ymd_opt(2025, 1, 6).unwrap()),
            ),
            published_on: published,
            doc_number: "灵教发〔2025〕1号".into(),
            doc_kind: DocKind::Normative,
            status,
            validity: vec![],
        })
        .await
        .unwrap();
    it.id
}

#[tokio::test]
async fn public_pages_show_published_items_and_hide_drafts() {
    let w = world().await;
    let db = &w.t.db;
    let pubd = insert_item(
        db,
        w.organ,
        "关于做好2025年春季学期开学工作的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    let draft = insert_item(db, w.organ, "尚未发布的草稿文件", ItemStatus::Draft, None).await;
    db.set_item_body(pubd, "正文<script>alert(1)</script>")
        .await
        .unwrap();

    let home = get(&w.app, "/", "").await;
    assert_eq!(home.status, StatusCode::OK);
    // The home page's title is the site's name (the generic one until 网站设置 names it).
    assert!(home.body.contains("<title>政府信息公开平台</title>"));
    assert!(home.body.contains("关于做好2025年春季学期开学工作的通知"));
    assert!(!home.body.contains("尚未发布的草稿文件"));

    let item = get(&w.app, &format!("/items/{pubd}"), "").await;
    assert_eq!(item.status, StatusCode::OK);
    for label in [
        "索引号",
        "发布机构",
        "成文日期",
        "发布日期",
        "文号",
        "有效性",
        "ORG1/2025-",
        "灵教发〔2025〕1号",
        "2025-01-06",
        "2025-01-08",
        "有效",
    ] {
        assert!(item.body.contains(label), "item page lacks {label}");
    }
    // Escaped by the template engine.
    assert!(item.body.contains("alert(1)") && !item.body.contains("<script>alert"));
    assert_eq!(
        get(&w.app, &format!("/items/{draft}"), "").await.status,
        StatusCode::NOT_FOUND
    );

    let cat = get(&w.app, &format!("/o/{}/catalogue?year=2025", w.organ), "").await;
    assert!(
        cat.body.contains("关于做好2025年春季学期开学工作的通知") && !cat.body.contains("尚未发布")
    );
    let cat2024 = get(&w.app, &format!("/o/{}/catalogue?year=2024", w.organ), "").await;
    assert!(
        !cat2024
            .body
            .contains("关于做好2025年春季学期开学工作的通知")
    );

    db.set_organ_settings(
        w.organ,
        &gongkai_store::portal::OrganSettings {
            office_name: "灵武市教育局办公室".into(),
            phone: "0951-4000000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let guide = get(&w.app, &format!("/o/{}/guide", w.organ), "").await;
    assert!(
        guide
            .body
            .contains("<title>灵武市教育局政府信息公开指南 - 政府信息公开平台</title>")
    );
    assert!(guide.body.contains("灵武市教育局办公室") && guide.body.contains("0951-4000000"));
    assert!(guide.body.contains("20个工作日"));

    let feed = get(&w.app, "/feed.xml", "").await;
    assert!(
        feed.body.contains("<rss")
            && feed.body.contains(&format!("/items/{pubd}"))
            && !feed.body.contains(&format!("/items/{draft}<"))
    );
    // The sitemap is an index: the pages, then blocks of 50,000 item ids.
    let sitemap = get(&w.app, "/sitemap.xml", "").await;
    assert!(sitemap.body.contains("<sitemapindex"), "{}", sitemap.body);
    assert!(sitemap.body.contains("/sitemaps/pages.xml</loc>"));
    let block = pubd / gongkai_store::published::SITEMAP_CHUNK;
    assert!(
        sitemap
            .body
            .contains(&format!("/sitemaps/items/{block}.xml</loc>"))
    );
    let pages = get(&w.app, "/sitemaps/pages.xml", "").await;
    assert!(
        pages
            .body
            .contains(&format!("/o/{}/catalogue</loc>", w.organ))
    );
    let items = get(&w.app, &format!("/sitemaps/items/{block}.xml"), "").await;
    assert!(
        items
            .body
            .contains(&format!("/items/{pubd}</loc><lastmod>"))
            && !items.body.contains(&format!("/items/{draft}</loc>")),
        "{}",
        items.body
    );
    assert_eq!(
        get(&w.app, "/sitemaps/items/99999.xml", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&w.app, "/no/such/page", "").await.status,
        StatusCode::NOT_FOUND
    );
    for p in [
        format!("/o/{}", w.organ),
        format!("/o/{}/notices", w.organ),
        format!("/o/{}/double", w.organ),
        format!("/o/{}/reports", w.organ),
        format!("/o/{}", w.unit),
    ] {
        assert_eq!(get(&w.app, &p, "").await.status, StatusCode::OK, "{p}");
    }
    w.t.cleanup().await;
}

#[tokio::test]
async fn policy_and_interpretation_are_linked_both_ways() {
    let w = world().await;
    let db = &w.t.db;
    let d = NaiveDate::from_ymd_opt(2025, 1, 8);
    let policy = insert_item(db, w.organ, "学生资助管理办法", ItemStatus::Published, d).await;
    let interp = insert_item(
        db,
        w.organ,
        "《学生资助管理办法》政策解读",
        ItemStatus::Published,
        d,
    )
    .await;
    let (cookie, csrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &format!("/admin/items/{policy}/link"),
        &cookie,
        &[("csrf", &csrf), ("interpretation", &interp.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = get(&w.app, &format!("/items/{policy}"), "").await;
    assert!(p.body.contains(&format!("/items/{interp}")) && p.body.contains("政策解读"));
    let i = get(&w.app, &format!("/items/{interp}"), "").await;
    assert!(i.body.contains(&format!("/items/{policy}")) && i.body.contains("解读的政策文件"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn login_is_throttled_and_locked_after_repeated_failures() {
    let w = world().await;
    let bad = try_login(&w.app, "editor", "wrong-password").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("用户名或密码不正确"));
    assert!(
        bad.body.contains("value=\"editor\""),
        "the name typed is kept"
    );
    for _ in 0..4 {
        try_login(&w.app, "editor", "wrong-password").await;
    }
    // Locked: even the right password is refused now.
    let locked = try_login(&w.app, "editor", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("临时锁定"));
    // Unknown names answer the same way as known ones.
    let unknown = try_login(&w.app, "nobody", "whatever-pass").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.body.contains("用户名或密码不正确"));
    // Other accounts are unaffected.
    login(&w.app, "reviewer").await;
    w.t.cleanup().await;
}

#[tokio::test]
async fn forms_without_the_session_token_are_refused() {
    let w = world().await;
    // Login form without its double-submit token.
    let r = post(
        &w.app,
        "/login",
        "",
        &[("username", "editor"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (cookie, csrf) = login(&w.app, "editor").await;
    let fields = |tok: &'static str| {
        vec![
            ("csrf", tok),
            ("title", "无令牌的文件"),
            ("category", "1"),
            ("written_on", "2025-01-06"),
        ]
    };
    let organ = w.organ.to_string();
    let mut f = fields("");
    f.push(("organ", &organ));
    assert_eq!(
        post(&w.app, "/admin/items", &cookie, &f).await.status,
        StatusCode::FORBIDDEN
    );
    let mut f = fields("0000");
    f.push(("organ", &organ));
    assert_eq!(
        post(&w.app, "/admin/items", &cookie, &f).await.status,
        StatusCode::FORBIDDEN
    );
    // Another session's token does not work either.
    let (_, other_csrf) = login(&w.app, "oadmin").await;
    let f = vec![
        ("csrf", other_csrf.as_str()),
        ("organ", organ.as_str()),
        ("title", "x"),
        ("category", "1"),
        ("written_on", "2025-01-06"),
    ];
    assert_eq!(
        post(&w.app, "/admin/items", &cookie, &f).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        w.t.db.items(w.organ).await.unwrap().is_empty(),
        "nothing was created"
    );
    // Logging out ends the session.
    assert_eq!(
        post(&w.app, "/logout", &cookie, &[("csrf", &csrf)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let after = get(&w.app, "/admin", &cookie).await;
    assert_eq!(
        (after.status, after.location.as_str()),
        (StatusCode::SEE_OTHER, "/login")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn anonymous_visitors_cannot_reach_the_back_office() {
    let w = world().await;
    for p in [
        "/admin",
        "/admin/items",
        "/admin/users",
        "/admin/audit",
        "/admin/reports",
        "/admin/letters",
    ] {
        let r = get(&w.app, p, "").await;
        // The login keeps the page asked for, to return to it.
        let login = if p == "/admin" {
            "/login".to_string()
        } else {
            format!("/login?next={}", enc(p))
        };
        assert_eq!(
            (r.status, r.location.as_str()),
            (StatusCode::SEE_OTHER, login.as_str()),
            "{p}"
        );
    }
    let r = post(
        &w.app,
        "/admin/items",
        "gk_session=forged",
        &[("csrf", "x"), ("organ", &w.organ.to_string())],
    )
    .await;
    assert_eq!(r.location, "/login");
    w.t.cleanup().await;
}

/// What each role may not do, tried by direct URL and by form post.
#[tokio::test]
async fn every_role_is_refused_what_it_may_not_do() {
    let w = world().await;
    let db = &w.t.db;
    let draft = insert_item(db, w.organ, "草稿文件", ItemStatus::Draft, None).await;
    let review = insert_item(db, w.organ, "待审核文件", ItemStatus::InReview, None).await;
    let other_item = insert_item(
        db,
        w.other_organ,
        "他机关的待审核文件",
        ItemStatus::InReview,
        None,
    )
    .await;
    let cat = db.categories(w.organ).await.unwrap()[0].id.to_string();
    let organ = w.organ.to_string();
    let other = w.other_organ.to_string();
    let notice = db
        .insert_announcement(
            w.organ,
            "待审核公示",
            "内容",
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 3, 8).unwrap(),
            false,
        )
        .await
        .unwrap();
    db.save_report_draft(
        w.organ,
        2024,
        &gongkai_web::reports::StoredReport::new(
            &gongkai_domain::report::Report::blank(
                "灵武市教育局",
                2024,
                gongkai_domain::report::Format::for_year(2024),
            ),
            true,
        )
        .to_json(),
        Utc::now(),
    )
    .await
    .unwrap();

    let forbidden = StatusCode::FORBIDDEN;
    for (user, checks) in [
        (
            "editor",
            vec![
                (
                    "POST",
                    "/admin/applications".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("channel", "post"),
                        ("name", "x"),
                    ],
                ),
                (
                    "POST",
                    "/admin/calendar".to_string(),
                    vec![("content", "year = 2027")],
                ),
                ("POST", format!("/admin/notices/{notice}/publish"), vec![]),
                (
                    "POST",
                    format!("/admin/items/{review}/transition"),
                    vec![("action", "publish")],
                ),
                (
                    "POST",
                    format!("/admin/items/{review}/transition"),
                    vec![("action", "return")],
                ),
                (
                    "POST",
                    format!("/admin/reports/{organ}/2024/publish"),
                    vec![],
                ),
                (
                    "POST",
                    "/admin/users".to_string(),
                    vec![
                        ("username", "x1"),
                        ("password", PASSWORD),
                        ("role", "editor"),
                        ("organ", organ.as_str()),
                    ],
                ),
                ("GET", "/admin/users".to_string(), vec![]),
                ("GET", "/admin/audit".to_string(), vec![]),
                (
                    "POST",
                    "/admin/settings".to_string(),
                    vec![("organ", organ.as_str()), ("phone", "1")],
                ),
                (
                    "POST",
                    "/admin/items".to_string(),
                    vec![
                        ("organ", other.as_str()),
                        ("title", "t"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
            ],
        ),
        (
            "reviewer",
            vec![
                (
                    "POST",
                    "/admin/registers/case".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("kind", "review"),
                        ("number", "1"),
                        ("date", "2025-01-01"),
                    ],
                ),
                (
                    "POST",
                    "/admin/applications".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("channel", "post"),
                        ("name", "x"),
                    ],
                ),
                (
                    "GET",
                    format!("/admin/applications/new?organ={organ}"),
                    vec![],
                ),
                (
                    "POST",
                    "/admin/items".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
                (
                    "POST",
                    format!("/admin/items/{draft}/transition"),
                    vec![("action", "submit")],
                ),
                (
                    "POST",
                    format!("/admin/items/{draft}"),
                    vec![
                        ("title", "改标题"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
                (
                    "POST",
                    "/admin/reports".to_string(),
                    vec![("organ", organ.as_str()), ("year", "2024")],
                ),
                (
                    "POST",
                    format!("/admin/items/{other_item}/transition"),
                    vec![("action", "publish")],
                ),
                ("GET", "/admin/users".to_string(), vec![]),
            ],
        ),
        (
            "handler",
            vec![
                (
                    "POST",
                    "/admin/registers/matter".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("kind", "penalty"),
                        ("name", "x"),
                        ("date", "2020-01-01"),
                    ],
                ),
                (
                    "POST",
                    "/admin/calendar".to_string(),
                    vec![("content", "year = 2027")],
                ),
                (
                    "POST",
                    "/admin/notices".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("starts_on", "2025-03-01"),
                        ("ends_on", "2025-03-08"),
                    ],
                ),
                (
                    "POST",
                    "/admin/items".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
                (
                    "POST",
                    format!("/admin/items/{review}/transition"),
                    vec![("action", "publish")],
                ),
                (
                    "POST",
                    "/admin/reports".to_string(),
                    vec![("organ", organ.as_str()), ("year", "2024")],
                ),
                (
                    "POST",
                    format!("/admin/reports/{organ}/2024/publish"),
                    vec![],
                ),
                ("GET", "/admin/audit".to_string(), vec![]),
            ],
        ),
        (
            "super",
            vec![
                (
                    "POST",
                    "/admin/applications".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("channel", "post"),
                        ("name", "x"),
                    ],
                ),
                (
                    "POST",
                    "/admin/registers/case".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("kind", "review"),
                        ("number", "1"),
                        ("date", "2025-01-01"),
                    ],
                ),
                (
                    "POST",
                    "/admin/calendar".to_string(),
                    vec![("content", "year = 2027")],
                ),
                (
                    "POST",
                    format!("/admin/items/{draft}/link"),
                    vec![("interpretation", "1")],
                ),
                (
                    "POST",
                    "/admin/items".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
                (
                    "POST",
                    format!("/admin/items/{review}/transition"),
                    vec![("action", "publish")],
                ),
                (
                    "POST",
                    format!("/admin/items/{draft}/transition"),
                    vec![("action", "submit")],
                ),
                (
                    "POST",
                    format!("/admin/reports/{organ}/2024"),
                    vec![("s1", "改写")],
                ),
                (
                    "POST",
                    format!("/admin/reports/{organ}/2024/publish"),
                    vec![],
                ),
                (
                    "POST",
                    "/admin/notices".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("starts_on", "2025-03-01"),
                        ("ends_on", "2025-03-08"),
                    ],
                ),
                (
                    "POST",
                    "/admin/settings".to_string(),
                    vec![("organ", organ.as_str()), ("phone", "1")],
                ),
                ("GET", "/admin/users".to_string(), vec![]),
                ("POST", "/admin/tokens".to_string(), vec![("name", "t")]),
            ],
        ),
        (
            "oadmin",
            vec![
                (
                    "POST",
                    format!("/admin/items/{other_item}/transition"),
                    vec![("action", "publish")],
                ),
                ("GET", format!("/admin/items/{other_item}"), vec![]),
                ("GET", format!("/admin/items?organ={other}"), vec![]),
                (
                    "POST",
                    "/admin/users".to_string(),
                    vec![
                        ("username", "root2"),
                        ("password", PASSWORD),
                        ("role", "sysadmin"),
                    ],
                ),
                (
                    "POST",
                    "/admin/users".to_string(),
                    vec![
                        ("username", "x2"),
                        ("password", PASSWORD),
                        ("role", "editor"),
                        ("organ", other.as_str()),
                    ],
                ),
                (
                    "POST",
                    "/admin/settings".to_string(),
                    vec![("organ", other.as_str()), ("phone", "1")],
                ),
            ],
        ),
        (
            "other_editor",
            vec![
                (
                    "POST",
                    format!("/admin/items/{draft}/transition"),
                    vec![("action", "submit")],
                ),
                ("GET", format!("/admin/reports/{organ}/2024"), vec![]),
                (
                    "POST",
                    "/admin/items".to_string(),
                    vec![
                        ("organ", organ.as_str()),
                        ("title", "t"),
                        ("category", cat.as_str()),
                        ("written_on", "2025-01-06"),
                    ],
                ),
            ],
        ),
    ] {
        let (cookie, csrf) = login(&w.app, user).await;
        for (method, path, fields) in checks {
            let r = if method == "GET" {
                get(&w.app, &path, &cookie).await
            } else {
                let mut f = vec![("csrf", csrf.as_str())];
                f.extend(fields.iter().copied());
                post(&w.app, &path, &cookie, &f).await
            };
            assert_eq!(
                r.status, forbidden,
                "{user} {method} {path} should be refused: {}",
                r.body
            );
        }
    }
    // Nothing changed.
    assert_eq!(
        db.item(draft).await.unwrap().unwrap().status,
        ItemStatus::Draft
    );
    assert_eq!(
        db.item(review).await.unwrap().unwrap().status,
        ItemStatus::InReview
    );
    assert_eq!(
        db.item(other_item).await.unwrap().unwrap().status,
        ItemStatus::InReview
    );
    assert!(db.published_reports(w.organ).await.unwrap().is_empty());
    assert_eq!(db.users().await.unwrap().len(), 7);
    assert_eq!(db.items(w.organ).await.unwrap().len(), 2);
    assert!(db.organ_settings(w.organ).await.unwrap().phone.is_empty());
    assert!(
        db.applications(Some(w.organ), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.matters(w.organ).await.unwrap().is_empty());
    assert!(
        db.announcements(w.organ, false).await.unwrap().is_empty(),
        "the 公示 stays unpublished"
    );

    // The supervisor reads, including the audit log; the system administrator may do anything.
    let (sc, _) = login(&w.app, "super").await;
    assert_eq!(
        get(&w.app, "/admin/audit", &sc).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&w.app, &format!("/admin/items/{review}"), &sc)
            .await
            .status,
        StatusCode::OK
    );
    let (root, rcsrf) = login(&w.app, "sys").await;
    let r = post(
        &w.app,
        &format!("/admin/items/{other_item}/transition"),
        &root,
        &[("csrf", &rcsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    w.t.cleanup().await;
}

#[tokio::test]
async fn an_editor_drafts_a_reviewer_publishes_and_it_appears_in_the_catalogue() {
    an_editor_drafts_a_reviewer_publishes_and_it_appears_in_the_catalogue_case(world().await).await;
}

#[tokio::test]
async fn an_editor_drafts_a_reviewer_publishes_and_it_appears_in_the_catalogue_on_postgres() {
    an_editor_drafts_a_reviewer_publishes_and_it_appears_in_the_catalogue_case(
        world_on(gongkai_store::Backend::Postgres).await,
    )
    .await;
}

async fn an_editor_drafts_a_reviewer_publishes_and_it_appears_in_the_catalogue_case(w: World) {
    let db = &w.t.db;
    let cat = db.categories(w.organ).await.unwrap()[0].id.to_string();
    let organ = w.organ.to_string();
    let (ec, ecsrf) = login(&w.app, "editor").await;
    // Invalid input is refused with reasons, and what was typed comes back.
    let bad = post(
        &w.app,
        "/admin/items",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("title", "学校收费公示"),
            ("category", ""),
            ("written_on", "2025/13/01"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("请选择所属栏目")
            && bad.body.contains("格式不对")
            && bad.body.contains("value=\"学校收费公示\"")
    );
    let r = post(
        &w.app,
        "/admin/items",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("title", "学校收费公示"),
            ("category", &cat),
            ("written_on", "2025-03-03"),
            ("summary", "2025年春季学期收费项目"),
            ("body", "收费项目与标准……"),
            ("doc_kind", "other"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(
        db.item(id).await.unwrap().unwrap().status,
        ItemStatus::Draft
    );
    assert_eq!(
        get(&w.app, &format!("/items/{id}"), "").await.status,
        StatusCode::NOT_FOUND
    );
    let r = post(
        &w.app,
        &format!("/admin/items/{id}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "submit")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let (rc, rcsrf) = login(&w.app, "reviewer").await;
    let page = get(&w.app, &format!("/admin/items/{id}"), &rc).await;
    assert!(page.body.contains("审核通过并发布"));
    let r = post(
        &w.app,
        &format!("/admin/items/{id}/transition"),
        &rc,
        &[("csrf", &rcsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let it = db.item(id).await.unwrap().unwrap();
    assert_eq!(
        (it.status, it.published_on),
        (ItemStatus::Published, NaiveDate::from_ymd_opt(2025, 3, 10))
    );
    // Publishing twice is a conflict, not a second publication.
    let again = post(
        &w.app,
        &format!("/admin/items/{id}/transition"),
        &rc,
        &[("csrf", &rcsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let cat_page = get(&w.app, &format!("/o/{}/catalogue", w.organ), "").await;
    assert!(cat_page.body.contains("学校收费公示") && cat_page.body.contains(&it.index_no));
    assert_eq!(
        get(&w.app, &format!("/items/{id}"), "").await.status,
        StatusCode::OK
    );

    let (oc, _) = login(&w.app, "oadmin").await;
    let log = get(&w.app, "/admin/audit", &oc).await;
    assert_eq!(log.status, StatusCode::OK);
    // The log reads in Chinese: actions, objects and fields named, no raw codes or JSON.
    let table = section(&log.body, "<tbody>", "</tbody>");
    assert!(
        table.contains(">提交审核</td>")
            && table.contains(">发布</td>")
            && table.contains("公开信息")
            && table.contains("标题："),
        "{table}"
    );
    assert!(
        !table.contains(">publish</td>")
            && !table.contains("catalogue_item")
            && !table.contains("{&quot;"),
        "{table}"
    );
    let entries = db.audit_entries(Some(w.organ), 50).await.unwrap();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| (e.username.as_str(), e.action.as_str()))
        .collect();
    assert!(
        actions.contains(&("editor", "create"))
            && actions.contains(&("editor", "submit"))
            && actions.contains(&("reviewer", "publish")),
        "{actions:?}"
    );
    let publish = entries.iter().find(|e| e.action == "publish").unwrap();
    assert!(
        publish
            .before_json
            .as_deref()
            .unwrap()
            .contains("in_review")
            && publish.after_json.as_deref().unwrap().contains("published")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn dashboard_warns_of_items_near_or_past_the_20_working_day_limit() {
    let w = world().await;
    // Formed 2025-01-06, unpublished on 2025-03-10: well past 20 working days.
    insert_item(
        &w.t.db,
        w.organ,
        "逾期未公开的文件",
        ItemStatus::Draft,
        None,
    )
    .await;
    let (c, _) = login(&w.app, "editor").await;
    let d = get(&w.app, "/admin", &c).await;
    assert!(
        d.body.contains("逾期未公开的文件") && d.body.contains("已超过20个工作日公开时限"),
        "{}",
        d.body
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_office_generates_edits_previews_and_publishes_the_report_and_corrections_keep_both() {
    the_office_generates_edits_previews_and_publishes_the_report_and_corrections_keep_both_case(
        world().await,
    )
    .await;
}

#[tokio::test]
async fn the_office_generates_edits_previews_and_publishes_the_report_and_corrections_keep_both_on_postgres()
 {
    the_office_generates_edits_previews_and_publishes_the_report_and_corrections_keep_both_case(
        world_on(gongkai_store::Backend::Postgres).await,
    )
    .await;
}

async fn the_office_generates_edits_previews_and_publishes_the_report_and_corrections_keep_both_case(
    w: World,
) {
    let organ = w.organ.to_string();
    // Two normative documents published in 2024 (one by a unit): the report counts both.
    insert_item(
        &w.t.db,
        w.organ,
        "规范性文件甲",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2024, 5, 6),
    )
    .await;
    insert_item(
        &w.t.db,
        w.unit,
        "规范性文件乙",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2024, 7, 1),
    )
    .await;
    insert_item(
        &w.t.db,
        w.organ,
        "2025年的文件",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    let (c, csrf) = login(&w.app, "oadmin").await;
    let bad = post(
        &w.app,
        "/admin/reports",
        &c,
        &[("csrf", &csrf), ("organ", &organ), ("year", "1999")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let r = post(
        &w.app,
        "/admin/reports",
        &c,
        &[("csrf", &csrf), ("organ", &organ), ("year", "2024")],
    )
    .await;
    assert_eq!(
        (r.status, r.location.clone()),
        (
            StatusCode::SEE_OTHER,
            format!("/admin/reports/{organ}/2024")
        )
    );
    let edit = get(&w.app, &r.location, &c).await;
    assert!(edit.body.contains("一、总体情况"));
    // Not published on 2025-03-10: past the 31 January deadline of a department (R12), and
    // the finding says so without a publication date.
    assert!(
        edit.body.contains("R12")
            && edit.body.contains("2025年1月31日")
            && edit.body.contains("本报告尚未公布，已逾期38天")
            && !edit.body.contains("实际公布于"),
        "{}",
        edit.body
    );
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024"),
        &c,
        &[
            ("csrf", &csrf),
            ("s1", "2024年，本局认真贯彻落实《条例》。"),
            ("s6", "无其他事项。"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let preview = get(&w.app, &format!("/admin/reports/{organ}/2024/preview"), &c).await;
    assert!(preview.body.contains("2024年，本局认真贯彻落实《条例》。"));
    assert!(
        w.t.db.published_reports(w.organ).await.unwrap().is_empty(),
        "preview publishes nothing"
    );

    // Section 五 is empty: publishing asks for a confirmation with a reason, on the form.
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024/publish"),
        &c,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = section(&r.body, "id=\"publish-error\"", "</form>");
    assert!(
        form.contains("五、存在的主要问题及改进情况”尚未填写") && form.contains("name=\"confirm\""),
        "{form}"
    );
    // Ticking the box without a reason is not a confirmation either.
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024/publish"),
        &c,
        &[("csrf", &csrf), ("confirm", "1"), ("confirmation", " ")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(w.t.db.published_reports(w.organ).await.unwrap().is_empty());
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024/publish"),
        &c,
        &[
            ("csrf", &csrf),
            ("confirm", "1"),
            ("confirmation", "本年度无突出问题，经领导同意发布"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let audit = w.t.db.audit_entries(Some(w.organ), 20).await.unwrap();
    let row = audit
        .iter()
        .find(|e| e.action == "publish" && e.entity == "published_report")
        .unwrap();
    let after = row.after_json.clone().unwrap_or_default();
    assert!(
        after.contains("本年度无突出问题，经领导同意发布") && after.contains("尚未填写"),
        "{after}"
    );
    let first = r.location.clone();
    let page = get(&w.app, &first, "").await;
    assert!(
        page.body.contains("第1版") && page.body.contains("2024年，本局认真贯彻落实《条例》。")
    );
    let archive = get(&w.app, &format!("/o/{organ}/reports"), "").await;
    assert!(archive.body.contains("2024年度报告"));

    // A published report is frozen: editing the draft does not change it.
    post(
        &w.app,
        &format!("/admin/reports/{organ}/2024"),
        &c,
        &[("csrf", &csrf), ("s1", "更正后的总体情况。")],
    )
    .await;
    assert!(
        get(&w.app, &first, "")
            .await
            .body
            .contains("2024年，本局认真贯彻落实《条例》。")
    );
    // A correction needs a reason…
    let confirmed = [("confirm", "1"), ("confirmation", "第五部分确无内容")];
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(confirmed);
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024/publish"),
        &c,
        &fields,
    )
    .await;
    // …shown on the form, not a bare error page…
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(section(&r.body, "id=\"publish-error\"", "</p>").contains("更正原因"));
    // …and then both versions stay visible.
    fields.push(("reason", "总体情况表述有误"));
    let r = post(
        &w.app,
        &format!("/admin/reports/{organ}/2024/publish"),
        &c,
        &fields,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = get(&w.app, &r.location, "").await;
    assert!(
        second.body.contains("第2版")
            && second.body.contains("总体情况表述有误")
            && second.body.contains("更正后的总体情况。")
    );
    let old = get(&w.app, &first, "").await;
    assert!(
        old.body.contains("已被更正版本取代")
            && old.body.contains("2024年，本局认真贯彻落实《条例》。")
    );
    let list = w.t.db.published_reports(w.organ).await.unwrap();
    assert_eq!(
        list.iter().map(|r| r.version).collect::<Vec<_>>(),
        vec![1, 2]
    );

    let id = list[0].id;
    let data: serde_json::Value =
        serde_json::from_str(&get(&w.app, &format!("/api/v1/reports/{id}"), "").await.body)
            .unwrap();
    let cell = data["reports"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["table"] == "二" && c["row"] == "行政规范性文件" && c["column"] == "本年制发件数"
        })
        .expect("cell present")
        .clone();
    assert_eq!(cell["value"].as_f64(), Some(2.0), "{cell}");
    for (fmt, ctype) in [
        ("html", "text/html"),
        ("md", "text/markdown"),
        ("json", "application/json"),
        ("docx", "wordprocessingml"),
        ("xlsx", "spreadsheetml"),
        ("pdf", "application/pdf"),
    ] {
        let r = w
            .app
            .clone()
            .oneshot(
                Request::get(format!("/reports/{id}/download/{fmt}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{fmt}");
        assert!(
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains(ctype),
            "{fmt}"
        );
    }
    assert_eq!(
        get(&w.app, &format!("/reports/{id}/download/exe"), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The organ alone: the unit's document is not counted.
    let r = post(
        &w.app,
        "/admin/reports",
        &c,
        &[
            ("csrf", &csrf),
            ("organ", &organ),
            ("year", "2024"),
            ("scope", "alone"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let draft = w.t.db.report_draft(w.organ, 2024).await.unwrap().unwrap();
    let stored = gongkai_web::reports::StoredReport::from_json(&draft.report_json).unwrap();
    assert!(!stored.include_units);
    assert_eq!(
        stored
            .report
            .get("二", "行政规范性文件", "本年制发件数")
            .map(|n| n.0),
        Some(1.0)
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_json_api_reads_publicly_and_writes_with_a_token() {
    let w = world().await;
    let db = &w.t.db;
    let pubd = insert_item(
        db,
        w.organ,
        "公开文件",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    insert_item(db, w.organ, "草稿", ItemStatus::Draft, None).await;
    let organs = get(&w.app, "/api/v1/organs", "").await;
    assert!(organs.body.contains("灵武市教育局"));
    let items: serde_json::Value = serde_json::from_str(
        &get(&w.app, &format!("/api/v1/organs/{}/items", w.organ), "")
            .await
            .body,
    )
    .unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["id"], pubd);
    let missing = get(&w.app, "/api/v1/items/99999", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let e: serde_json::Value = serde_json::from_str(&missing.body).unwrap();
    assert_eq!(e["code"], "not_found");
    assert!(e["message"].as_str().unwrap().contains("不存在"));

    let body = serde_json::json!({"title": "接口提交的文件", "category": "政策文件", "written_on": "2025-03-01"}).to_string();
    let req = |auth: Option<&str>| {
        let mut b = Request::post(format!("/api/v1/organs/{}/items", w.organ))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, format!("Bearer {a}"));
        }
        b.body(Body::from(body.clone())).unwrap()
    };
    assert_eq!(
        send(&w.app, req(None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&w.app, req(Some("not-a-token"))).await.status,
        StatusCode::UNAUTHORIZED
    );
    let (c, csrf) = login(&w.app, "oadmin").await;
    let page = post(
        &w.app,
        "/admin/tokens",
        &c,
        &[("csrf", &csrf), ("name", "对接")],
    )
    .await;
    let token = page
        .body
        .split("<p class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let r = send(&w.app, req(Some(&token))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(created["status"], "draft");
    let spec: serde_json::Value =
        serde_json::from_str(&get(&w.app, "/api/openapi.json", "").await.body).unwrap();
    assert!(spec["paths"]["/api/v1/organs/{id}/items"]["post"].is_object());
    w.t.cleanup().await;
}

#[tokio::test]
async fn security_headers_and_cookies_are_set() {
    let w = world().await;
    let r = w
        .app
        .clone()
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let set = h[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn registers_feed_the_double_publicity_page_and_cases_are_for_handlers() {
    let w = world().await;
    let organ = w.organ.to_string();
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        "/admin/registers/matter",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("kind", "licensing"),
            ("name", "民办学校办学许可"),
            ("date", "2020-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = w.t.db.matters(w.organ).await.unwrap()[0].id.to_string();
    let bad = post(
        &w.app,
        "/admin/registers/decision",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &m),
            ("number", "灵教许〔2025〕3号"),
            ("date", "2025-02-30"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("决定日期") && bad.body.contains("格式不对"));
    let r = post(
        &w.app,
        "/admin/registers/decision",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &m),
            ("number", "灵教许〔2025〕3号"),
            ("date", "2025-02-20"),
            ("party", "灵武市启明培训学校有限公司"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(
        &w.app,
        "/admin/registers/fee",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &m),
            ("amount", "-5"),
            ("date", "2025-02-20"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let dbl = get(&w.app, &format!("/o/{organ}/double"), "").await;
    assert!(dbl.body.contains("民办学校办学许可") && dbl.body.contains("灵教许〔2025〕3号"));
    // Filtered by 行政相对人 (part of the name), the filter kept in the form.
    assert!(dbl.body.contains("灵武市启明培训学校有限公司"));
    let by_party = get(
        &w.app,
        &format!("/o/{organ}/double?party={}", enc("启明")),
        "",
    )
    .await;
    assert!(
        by_party.body.contains("灵教许〔2025〕3号") && by_party.body.contains("value=\"启明\"")
    );
    let nobody = get(
        &w.app,
        &format!("/o/{organ}/double?party={}", enc("育才")),
        "",
    )
    .await;
    assert!(!nobody.body.contains("灵教许〔2025〕3号"));
    // Cases belong to handlers; a matter of another organ cannot be used.
    let r = post(
        &w.app,
        "/admin/registers/case",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("kind", "review"),
            ("number", "复1"),
            ("date", "2025-02-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (hc, hcsrf) = login(&w.app, "handler").await;
    let r = post(
        &w.app,
        "/admin/registers/case",
        &hc,
        &[
            ("csrf", &hcsrf),
            ("organ", &organ),
            ("kind", "review"),
            ("number", "灵复〔2025〕1号"),
            ("date", "2025-02-01"),
            ("application", "YSQ-2025-001"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let case =
        w.t.db
            .cases(w.organ, NaiveDate::from_ymd_opt(9999, 12, 31).unwrap())
            .await
            .unwrap()[0]
            .id;
    let r = post(
        &w.app,
        &format!("/admin/cases/{case}/decide"),
        &hc,
        &[
            ("csrf", &hcsrf),
            ("organ", &organ),
            ("outcome", "upheld"),
            ("date", "2025-01-01"),
        ],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "decided before it was filed"
    );
    let r = post(
        &w.app,
        &format!("/admin/cases/{case}/decide"),
        &hc,
        &[
            ("csrf", &hcsrf),
            ("organ", &organ),
            ("outcome", "upheld"),
            ("date", "2025-03-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        w.t.db
            .cases(w.organ, NaiveDate::from_ymd_opt(9999, 12, 31).unwrap())
            .await
            .unwrap()[0]
            .outcome
            .is_some()
    );
    let (sc, scsrf) = login(&w.app, "super").await;
    let r = post(
        &w.app,
        "/admin/registers/matter",
        &sc,
        &[
            ("csrf", &scsrf),
            ("organ", &organ),
            ("kind", "penalty"),
            ("name", "x"),
            ("date", "2020-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&w.app, "/admin/registers", &sc).await.status,
        StatusCode::OK
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_public_applies_online_and_looks_up_by_code_without_personal_data() {
    let w = world().await;
    let path = format!("/o/{}/apply", w.organ);
    let form = get(&w.app, &path, "").await;
    let once = hidden(&form.body, "once");
    let cookie = cookie_pair(&form.cookies, "gk_form").expect("form cookie set");
    let token = csrf_of(&form.body);
    let bad = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("applicant_type", "natural_person"),
            ("name", "王五"),
            ("id_kind", "resident_id"),
            ("id_number", "12345"),
            ("phone", ""),
            ("description", ""),
            ("form", "电子文档"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("18位")
            && bad.body.contains("请填写联系电话")
            && bad.body.contains("特征性描述")
            && bad.body.contains("value=\"王五\"")
    );
    assert!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .is_empty()
    );
    let fields = [
        ("csrf", token.as_str()),
        ("once", once.as_str()),
        ("applicant_type", "natural_person"),
        ("name", "王五"),
        ("id_kind", "resident_id"),
        ("id_number", "640181199001011232"),
        ("phone", "13900003333"),
        ("address", "灵武市东塔镇1号"),
        ("description", "2024年义务教育招生计划"),
        ("form", "电子文档"),
    ];
    let r = post(&w.app, &path, &cookie, &fields).await;
    // Post/Redirect/Get: the receipt is a page of its own.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location.starts_with("/apply/receipt?code="),
        "{}",
        r.location
    );
    let receipt = get(&w.app, &r.location, "").await;
    assert!(
        receipt.body.contains("2025-0001") && receipt.body.contains("2025年3月10日"),
        "{}",
        receipt.body
    );
    let code = r.location.rsplit('=').next().unwrap().to_string();
    assert!(receipt.body.contains(&format!("id=\"query-code\">{code}<")));
    let look = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    assert!(
        look.body.contains("2024年义务教育招生计划")
            && look.body.contains("办理中")
            && look.body.contains("2025-0001")
    );
    // Received Monday 2025-03-10: the 20th working day after it is 2025-04-08 (清明 04-04 off).
    assert!(look.body.contains("最迟于2025年4月"), "{}", look.body);
    for secret in [
        "640181199001011232",
        "13900003333",
        "灵武市东塔镇1号",
        "王五",
    ] {
        assert!(!look.body.contains(secret), "lookup shows {secret}");
    }
    // The handler sees the case on the dashboard, the name masked; the full file in the case.
    let (hc, _) = login(&w.app, "handler").await;
    let dash = get(&w.app, "/admin/applications", &hc).await;
    assert!(dash.body.contains("2025-0001") && !dash.body.contains("王五"));
    // The supervisor reads the case file, masked.
    let id = w.t.db.applications(Some(w.organ), None).await.unwrap()[0].id;
    let (sc, _) = login(&w.app, "super").await;
    let file = get(&w.app, &format!("/admin/applications/{id}"), &sc).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(!file.body.contains("640181199001011232") && !file.body.contains("13900003333"));
    let full = get(&w.app, &format!("/admin/applications/{id}"), &hc).await;
    assert!(full.body.contains("640181199001011232"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_handler_registers_a_paper_application_asks_for_correction_and_decides_it() {
    a_handler_registers_a_paper_application_asks_for_correction_and_decides_it_case(world().await)
        .await;
}

#[tokio::test]
async fn a_handler_registers_a_paper_application_asks_for_correction_and_decides_it_on_postgres() {
    a_handler_registers_a_paper_application_asks_for_correction_and_decides_it_case(
        world_on(gongkai_store::Backend::Postgres).await,
    )
    .await;
}

/// Journey 7: a paper application with a mistyped phone and a receipt date in the future shows
/// both errors in one answer (the date was reported only once the other fields were right), and
/// files nothing.
#[tokio::test]
async fn the_paper_form_reports_a_future_date_with_the_other_errors() {
    let w = world().await;
    let organ = w.organ.to_string();
    let (hc, csrf) = login(&w.app, "handler").await;
    let before = get(&w.app, "/admin/applications", &hc).await.body;
    let r = post(
        &w.app,
        "/admin/applications",
        &hc,
        &[
            ("csrf", csrf.as_str()),
            ("organ", organ.as_str()),
            ("channel", "post"),
            ("submitted_on", "2099-01-02"),
            ("received_on", "2099-01-01"),
            ("applicant_type", "natural_person"),
            ("name", "张三"),
            ("id_kind", "resident_id"),
            ("id_number", "640181199001011232"),
            ("phone", "139"),
            ("description", "学校食堂采购合同"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for part in [
        "联系电话格式不正确",
        "收到申请日期 2099-01-01 晚于今天",
        "提交日期 2099-01-02 晚于今天",
        "早于申请人提交之日",
    ] {
        assert!(r.body.contains(part), "{part}: {}", r.body);
    }
    // Each beside its field too, as on the public form.
    for field in ["phone", "received_on", "submitted_on"] {
        assert!(
            r.body.contains(&format!(
                "<span class=\"field-error\" id=\"{field}-error\">"
            )),
            "{field} error beside the field: {}",
            r.body
        );
    }
    assert_eq!(get(&w.app, "/admin/applications", &hc).await.body, before);
    w.t.cleanup().await;
}

async fn a_handler_registers_a_paper_application_asks_for_correction_and_decides_it_case(w: World) {
    let organ = w.organ.to_string();
    let (hc, csrf) = login(&w.app, "handler").await;
    let fields = |received: &'static str| {
        vec![
            ("organ", organ.clone()),
            ("channel", "in_person".to_string()),
            ("submitted_on", "2025-03-03".to_string()),
            ("received_on", received.to_string()),
            ("applicant_type", "business".to_string()),
            ("name", "宁夏某某科技有限公司".to_string()),
            ("id_number", "91350100M000100Y43".to_string()),
            ("phone", "0951-5000000".to_string()),
            ("description", "学校食堂采购合同".to_string()),
        ]
    };
    let with_csrf = |f: Vec<(&'static str, String)>| {
        let mut v = vec![("csrf", csrf.clone())];
        v.extend(f);
        v
    };
    let bad = with_csrf(fields("2025-03-20"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&w.app, "/admin/applications", &hc, &bad).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "received after today is refused"
    );
    let good = with_csrf(fields("2025-03-03"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&w.app, "/admin/applications", &hc, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location.clone();
    let file = get(&w.app, &url, &hc).await;
    assert!(file.body.contains("办理中") && file.body.contains("期限计算"));
    let ev = format!("{url}/event");
    let r = post(
        &w.app,
        &ev,
        &hc,
        &[
            ("csrf", &csrf),
            ("action", "supplement"),
            ("on", "2025-03-05"),
            ("items", "请说明合同所属学校和年度"),
            ("correct_by", "2025-03-26"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(get(&w.app, &url, &hc).await.body.contains("等待补正"));
    // A second 补正 is refused by the workflow (art. 30: once).
    let again = post(
        &w.app,
        &ev,
        &hc,
        &[
            ("csrf", &csrf),
            ("action", "supplement"),
            ("on", "2025-03-06"),
            ("items", "再次补正"),
            ("correct_by", "2025-03-26"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("未能办理") && again.body.contains("等待补正"),
        "the refusal is shown on the case file"
    );
    let r = post(
        &w.app,
        &ev,
        &hc,
        &[
            ("csrf", &csrf),
            ("action", "supplement_received"),
            ("on", "2025-03-07"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = get(&w.app, &url, &hc).await;
    assert!(file.body.contains("办理中"), "{}", file.body);
    // No reply names remedies the organ has not configured: refused beside the result.
    let decide = [
        ("csrf", csrf.as_str()),
        ("action", "decide"),
        ("on", "2025-03-10"),
        ("result", "disclosed"),
        ("provided", "合同复印件，随本答复书邮寄"),
    ];
    let r = post(&w.app, &ev, &hc, &decide).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"dec-result-error\"")
            && r.body.contains("行政复议机关和行政诉讼管辖法院"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("合同复印件，随本答复书邮寄"),
        "what was typed is kept"
    );
    w.t.db
        .set_organ_settings(
            w.organ,
            &gongkai_store::portal::OrganSettings {
                review_body: "某某市人民政府".into(),
                court: "某某市人民法院".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // A required part left empty is refused beside its field.
    let r = post(&w.app, &ev, &hc, &decide[..4]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"dec-provided-error\""), "{}", r.body);
    let r = post(&w.app, &ev, &hc, &decide).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = get(&w.app, &url, &hc).await;
    assert!(file.body.contains("已办结"));
    let rec = &w.t.db.applications(Some(w.organ), None).await.unwrap()[0];
    assert_eq!(
        rec.result,
        Some(gongkai_domain::application::ReplyResult::Disclosed)
    );
    assert!(
        !w.t.db.application_notices(rec.id).await.unwrap().is_empty(),
        "notices were numbered"
    );
    let n = &w.t.db.application_notices(rec.id).await.unwrap()[0];
    let docx = w
        .app
        .clone()
        .oneshot(
            Request::get(format!("{url}/notices/{}", n.event_seq))
                .header(header::COOKIE, &hc)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    let bytes = docx.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"), "a DOCX (zip) file");
    // The same notice as PDF.
    let pdf = get(
        &w.app,
        &format!("{url}/notices/{}?format=pdf", n.event_seq),
        &hc,
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"), "a PDF file");
    // The reply names the review body and the court of the organ's settings.
    let app = gongkai_app::App::new(w.t.db.clone(), gongkai_app::Time::system());
    let reply = w.t.db.application_notices(rec.id).await.unwrap();
    let reply = reply
        .iter()
        .find(|n| n.kind == gongkai_domain::application::notice::NoticeKind::Reply)
        .unwrap();
    let issued = gongkai_app::applications::notice(
        &app,
        &gongkai_app::Actor::Operator("测试".into()),
        rec.id,
        reply.event_seq,
    )
    .await
    .unwrap();
    let text = issued.notice.paragraphs.join("");
    assert!(
        text.contains("向某某市人民政府申请行政复议")
            && text.contains("向某某市人民法院提起行政诉讼"),
        "{text}"
    );
    let (sc, _) = login(&w.app, "super").await;
    assert_eq!(
        get(&w.app, &format!("{url}/notices/{}", n.event_seq), &sc)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Others may not handle it.
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &ev,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("action", "withdraw"),
            ("on", "2025-03-10"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(
            &w.app,
            &format!("/admin/applications/new?organ={organ}"),
            &ec
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let (oc, ocsrf) = login(&w.app, "other_editor").await;
    assert_eq!(get(&w.app, &url, &oc).await.status, StatusCode::FORBIDDEN);
    let r = post(
        &w.app,
        &ev,
        &oc,
        &[
            ("csrf", &ocsrf),
            ("action", "withdraw"),
            ("on", "2025-03-10"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let entries = w.t.db.audit_entries(Some(w.organ), 50).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "supplement_requested" && e.entity == "application")
    );
    w.t.cleanup().await;
}

async fn upload(
    app: &Router,
    path: &str,
    cookie: &str,
    csrf: &str,
    filename: &str,
    data: &[u8],
) -> Resp {
    let boundary = "gongkaiBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn attachments_are_checked_for_type_and_size_and_served_once_published() {
    let w = world().await;
    let id = insert_item(&w.t.db, w.organ, "带附件的文件", ItemStatus::Draft, None).await;
    let path = format!("/admin/items/{id}/attachments");
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = upload(&w.app, &path, &ec, "", "附件.pdf", b"%PDF-1.4 test").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no form token");
    let r = upload(&w.app, &path, &ec, &ecsrf, "病毒.exe", b"MZ\x90\x00").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("附件只能是"));
    let r = upload(&w.app, &path, &ec, &ecsrf, "假装.pdf", b"<html>").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("不符"));
    let big = vec![b'%'; gongkai_web::admin::MAX_ATTACHMENT_BYTES + 10];
    let r = upload(&w.app, &path, &ec, &ecsrf, "大.pdf", &big).await;
    assert!(
        r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        r.status
    );
    let mut three_mb = b"%PDF-1.7\n".to_vec();
    three_mb.resize(3 * 1024 * 1024, b' ');
    let r = upload(&w.app, &path, &ec, &ecsrf, "扫描件.pdf", &three_mb).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "a 3 MB scan is accepted: {}",
        r.body
    );
    let r = upload(
        &w.app,
        &path,
        &ec,
        &ecsrf,
        "../../实施方案.pdf",
        b"%PDF-1.4 test",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let atts = w.t.db.attachments(id).await.unwrap();
    assert_eq!(
        (
            atts.len(),
            atts[1].filename.as_str(),
            atts[1].content_type.as_str()
        ),
        (2, "实施方案.pdf", "application/pdf")
    );
    let atts = &atts[1..];
    // Not public while the item is a draft; public once published.
    assert_eq!(
        get(&w.app, &format!("/attachments/{}", atts[0].id), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (sc, scsrf) = login(&w.app, "super").await;
    assert_eq!(
        upload(&w.app, &path, &sc, &scsrf, "a.pdf", b"%PDF-1.4")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    w.t.db
        .set_item_status(
            id,
            ItemStatus::Published,
            NaiveDate::from_ymd_opt(2025, 3, 10),
        )
        .await
        .unwrap();
    let got = get(&w.app, &format!("/attachments/{}", atts[0].id), "").await;
    assert_eq!(
        (got.status, got.body.as_str()),
        (StatusCode::OK, "%PDF-1.4 test")
    );
    assert!(
        get(&w.app, &format!("/items/{id}"), "")
            .await
            .body
            .contains("实施方案.pdf")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_catalogue_is_paged() {
    let w = world().await;
    for i in 0..55 {
        insert_item(
            &w.t.db,
            w.organ,
            &format!("第{i:02}号文件"),
            ItemStatus::Published,
            NaiveDate::from_ymd_opt(2025, 1, 8),
        )
        .await;
    }
    let p1 = get(&w.app, &format!("/o/{}/catalogue", w.organ), "").await;
    assert!(
        p1.body.contains("共 55 条，第 1/2 页")
            && p1.body.contains("rel=\"next\"")
            && !p1.body.contains("rel=\"prev\"")
    );
    assert_eq!(p1.body.matches("<tr><td class=\"index-no\"").count(), 50);
    let p2 = get(
        &w.app,
        &format!("/o/{}/catalogue?page=2&year=2025", w.organ),
        "",
    )
    .await;
    assert_eq!(p2.body.matches("<tr><td class=\"index-no\"").count(), 5);
    assert!(p2.body.contains("?page=1") && p2.body.contains("year=2025\" rel=\"prev\""));
    let beyond = get(&w.app, &format!("/o/{}/catalogue?page=99", w.organ), "").await;
    assert!(beyond.body.contains("第 2/2 页"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn administrators_change_roles_within_their_scope_and_deactivation_ends_sessions() {
    let w = world().await;
    let db = &w.t.db;
    let id_of =
        |name: &'static str| async move { db.user_by_name(name).await.unwrap().unwrap().id };
    let editor = id_of("editor").await;
    let other = id_of("other_editor").await;
    let sys = id_of("sys").await;
    let (vc, _) = login(&w.app, "editor").await;
    let (oc, ocsrf) = login(&w.app, "oadmin").await;
    let organ = w.organ.to_string();
    // Out of scope: another organ's account, a system administrator, making one, oneself.
    for (id, role, org) in [
        (other, "editor", w.other_organ.to_string()),
        (sys, "editor", organ.clone()),
        (editor, "sysadmin", String::new()),
    ] {
        let r = post(
            &w.app,
            &format!("/admin/users/{id}"),
            &oc,
            &[
                ("csrf", &ocsrf),
                ("role", role),
                ("organ", &org),
                ("active", "1"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{id} {role}");
    }
    let me = id_of("oadmin").await;
    let r = post(
        &w.app,
        &format!("/admin/users/{me}"),
        &oc,
        &[("csrf", &ocsrf), ("role", "supervisor"), ("organ", &organ)],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // In scope: the editor becomes a reviewer of the unit, then is deactivated.
    let r = post(
        &w.app,
        &format!("/admin/users/{editor}"),
        &oc,
        &[
            ("csrf", &ocsrf),
            ("role", "reviewer"),
            ("organ", &w.unit.to_string()),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let u = db.user(editor).await.unwrap().unwrap();
    assert_eq!((u.role, u.organ_id), (Role::Reviewer, Some(w.unit)));
    let r = post(
        &w.app,
        &format!("/admin/users/{editor}"),
        &oc,
        &[
            ("csrf", &ocsrf),
            ("role", "reviewer"),
            ("organ", &w.unit.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&w.app, "/admin", &vc).await.location,
        "/login",
        "the deactivated account's session ended"
    );
    assert_eq!(
        try_login(&w.app, "editor", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn one_address_trying_many_names_is_locked_out() {
    let w = world().await;
    let addr: std::net::SocketAddr = "203.0.113.9:40000".parse().unwrap();
    let attempt = |user: String, password: &'static str| {
        let app = w.app.clone();
        async move {
            let (cookie, token) = anon_form(&app, "/login").await;
            let body = format!("csrf={token}&username={user}&password={password}");
            let mut req = Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
            send(&app, req).await.status
        }
    };
    for i in 0..gongkai_web::auth::MAX_FAILURES_PER_ADDRESS - 1 {
        assert_eq!(
            attempt(format!("guess{i}"), "Password-123").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("guess-last".into(), "Password-123").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Even a right password from that address waits; the same account elsewhere does not.
    assert_eq!(
        attempt("reviewer".into(), PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    login(&w.app, "reviewer").await;
    w.t.cleanup().await;
}

#[tokio::test]
async fn consultations_and_fees_go_through_the_workflow() {
    use gongkai_domain::application::events::{Applicant, Channel};
    let w = world().await;
    let rec =
        w.t.db
            .register_application(
                &gongkai_store::applications::NewApplication {
                    organ_id: w.organ,
                    channel: Channel::InPerson,
                    submitted_on: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
                    received_on: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
                    applicant: Applicant {
                        kind: gongkai_domain::application::ApplicantType::NaturalPerson,
                        name: "钱七".into(),
                        id_document: "640181199202021234".into(),
                        contact: "13900005555".into(),
                        address: String::new(),
                    },
                    description: "2024年校舍维修工程全部资料".into(),
                    form: "纸质".into(),
                },
                "test",
                NaiveDate::from_ymd_opt(2025, 3, 3)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
            )
            .await
            .unwrap();
    let (hc, csrf) = login(&w.app, "handler").await;
    let url = format!("/admin/applications/{}", rec.id);
    let ev = format!("{url}/event");
    let step = |fields: Vec<(&'static str, &'static str)>| {
        let mut f = vec![("csrf", csrf.as_str())];
        f.extend(fields);
        let (app, ev, hc) = (w.app.clone(), ev.clone(), hc.clone());
        async move { post(&app, &ev, &hc, &f).await }
    };
    let r = step(vec![
        ("action", "consult"),
        ("on", "2025-03-04"),
        ("party", "third_party"),
        ("with", "某建筑公司"),
        ("matter", "资料含该公司的施工报价"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(get(&w.app, &url, &hc).await.body.contains("征求意见中"));
    let r = step(vec![
        ("action", "consult_answer"),
        ("on", "2025-03-07"),
        ("index", "1"),
        ("answer", "同意公开"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Thirty pages are free: no fee notice.
    let r = step(vec![
        ("action", "fee"),
        ("on", "2025-03-10"),
        ("method", "按量计收"),
        ("pages", "30"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不收取信息处理费"));
    // A fee notice says how to pay, and gives 20 working days.
    let r = step(vec![
        ("action", "fee"),
        ("on", "2025-03-10"),
        ("method", "按量计收"),
        ("pages", "50"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("信息处理费缴费方式"), "{}", r.body);
    w.t.db
        .set_organ_settings(
            w.organ,
            &gongkai_store::portal::OrganSettings {
                review_body: "某某市人民政府".into(),
                court: "某某市人民法院".into(),
                fee_payment: "到政务服务中心缴费窗口缴纳".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = step(vec![
        ("action", "fee"),
        ("on", "2025-03-10"),
        ("method", "按量计收"),
        ("pages", "50"),
        ("pay_by", "2025-03-20"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("20个工作日"), "{}", r.body);
    let r = step(vec![
        ("action", "fee"),
        ("on", "2025-03-10"),
        ("method", "按量计收"),
        ("pages", "50"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Not paid: the case cannot close as unpaid before the 20 working days (to 2025-04-08).
    let r = step(vec![("action", "fee_not_paid"), ("on", "2025-04-07")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("2025-04-08"), "{}", r.body);
    let file = get(&w.app, &url, &hc).await;
    assert!(file.body.contains("等待缴费") && file.body.contains("登记已缴费"));
    let r = step(vec![("action", "fee_paid"), ("on", "2025-03-10")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = step(vec![
        ("action", "decide"),
        ("on", "2025-03-10"),
        ("result", "disclosed"),
        ("provided", "维修工程合同及验收资料，随本答复书邮寄"),
    ])
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = w.t.db.application(rec.id).await.unwrap().unwrap();
    assert_eq!(after.fee_paid_fen, 20 * 10 * 100, "pages 31-50 at 10 元");
    w.t.cleanup().await;
}

#[tokio::test]
async fn search_finds_what_is_published_and_follows_withdrawal() {
    let w = world().await;
    let index = std::sync::Arc::new(gongkai_search::Index::in_memory().unwrap());
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let app = app(AppState::new(w.t.db.clone(), Config::default())
        .with_clock(clock)
        .with_search(index));
    let db = &w.t.db;
    let draft = insert_item(db, w.organ, "校车安全管理办法", ItemStatus::InReview, None).await;
    let (rc, rcsrf) = login(&app, "reviewer").await;
    let none = get(&app, "/search?q=%E6%A0%A1%E8%BD%A6", "").await; // 校车
    assert_eq!(none.status, StatusCode::OK);
    assert!(
        none.body.contains("找到 0 条结果"),
        "drafts are not searchable"
    );
    let r = post(
        &app,
        &format!("/admin/items/{draft}/transition"),
        &rc,
        &[("csrf", &rcsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let found = get(&app, "/search?q=%E6%A0%A1%E8%BD%A6", "").await;
    assert!(
        found.body.contains("找到 1 条结果") && found.body.contains(&format!("/items/{draft}")),
        "{}",
        found.body
    );
    assert!(
        found.body.contains("<b>校车</b>"),
        "matched words are highlighted"
    );
    let r = post(
        &app,
        &format!("/admin/items/{draft}/transition"),
        &rc,
        &[("csrf", &rcsrf), ("action", "withdraw")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        get(&app, "/search?q=%E6%A0%A1%E8%BD%A6", "")
            .await
            .body
            .contains("找到 0 条结果"),
        "withdrawn items leave the index"
    );
    // Without an index the page says so instead of failing.
    assert!(
        get(&w.app, "/search?q=x", "")
            .await
            .body
            .contains("搜索服务暂不可用")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn anonymous_pages_are_cached_until_something_changes() {
    let w = world_with(
        gongkai_store::Backend::Sqlite,
        Config {
            page_cache_seconds: 600,
            ..Config::default()
        },
    )
    .await;
    let first = insert_item(
        &w.t.db,
        w.organ,
        "第一份文件",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    let catalogue = format!("/o/{}/catalogue", w.organ);
    let a = get(&w.app, &catalogue, "").await;
    assert!(a.body.contains("第一份文件"));
    // A change behind the server's back (another process) is not seen while the entry lives...
    let second = insert_item(
        &w.t.db,
        w.organ,
        "第二份文件",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 9),
    )
    .await;
    let b = get(&w.app, &catalogue, "").await;
    assert_eq!(a.body, b.body, "served from the cache");
    assert!(!b.body.contains("第二份文件"));
    // ...but a signed-in visitor always gets a fresh page, and is never served a cached one.
    let (cookie, _) = login(&w.app, "editor").await;
    let fresh = get(&w.app, &catalogue, &cookie).await;
    assert!(fresh.body.contains("第二份文件") && fresh.body.contains("退出登录"));
    // Any change through the server empties the cache: here, a withdrawal in the back office.
    let (rcookie, rcsrf) = login(&w.app, "reviewer").await;
    let r = post(
        &w.app,
        &format!("/admin/items/{first}/transition"),
        &rcookie,
        &[("csrf", &rcsrf), ("action", "withdraw")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = get(&w.app, &catalogue, "").await;
    assert!(c.body.contains("第二份文件") && !c.body.contains("第一份文件"));
    assert!(
        !c.body.contains("退出登录"),
        "an anonymous page never shows a login"
    );
    // Pages that set a cookie (forms with their token) are not kept.
    let form = get(&w.app, "/login", "").await;
    assert!(!form.cookies.is_empty());
    let again = get(&w.app, "/login", "").await;
    assert!(
        !again.cookies.is_empty(),
        "each visitor gets a token of their own"
    );
    let _ = second;
    w.t.cleanup().await;
}

// ------------------------------------------------------------------------------------ issue 16

/// Publishes the organ's report of `year` computed from its records, as the office would.
async fn publish_computed_report(w: &World, year: i32) -> i64 {
    let db = &w.t.db;
    let organ = db.organ(w.organ).await.unwrap().unwrap();
    let input = db.report_input(&organ, year, true).await.unwrap();
    let mut r = gongkai_domain::report::compute::compute(&input);
    r.published = NaiveDate::from_ymd_opt(year + 1, 1, 20);
    let html = gongkai_render::html::report_page(&r);
    db.publish_report(
        w.organ,
        year,
        &gongkai_web::reports::StoredReport::new(&r, true).to_json(),
        &html,
        "",
        "oadmin",
        Utc.with_ymd_and_hms(year + 1, 1, 20, 2, 0, 0).unwrap(),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn report_pages_are_styled_by_the_site_stylesheet_under_a_strict_policy() {
    let w = world().await;
    let id = publish_computed_report(&w, 2024).await;
    // The site's one style sheet carries the report's rules (bordered cells, the box that
    // scrolls, a label column wide enough to read on a phone).
    let css = get(&w.app, "/static/style.css", "").await;
    assert!(
        css.body
            .contains(".gk-report th,.gk-report td{border:1px solid")
    );
    assert!(
        css.body
            .contains(".gk-report .gk-table-wrap{overflow-x:auto")
    );
    assert!(css.body.contains(".gk-report th.gk-label{min-width:8em}"));
    let r = send(
        &w.app,
        Request::get(format!("/reports/{id}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("class=\"gk-report\"") && r.body.contains("gk-table-wrap"));
    assert!(
        !r.body.contains("<style") && !r.body.contains("style=\""),
        "no inline style"
    );
    for f in ["pdf", "docx", "xlsx", "html", "json"] {
        assert!(
            r.body.contains(&format!("/reports/{id}/download/{f}\"")),
            "the page links the {f} download"
        );
    }
    // The signature block carries the date.
    assert!(r.body.contains("2025年1月20日"), "{}", r.body);
    // The page itself runs under the site's strict policy.
    let resp = w
        .app
        .clone()
        .oneshot(
            Request::get(format!("/reports/{id}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("style-src 'self';"), "{csp}");
    // The standalone download keeps its own <style>, allowed by hash for that answer only.
    let resp = w
        .app
        .clone()
        .oneshot(
            Request::get(format!("/reports/{id}/download/html"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let html = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("<style>") && html.contains(".gk-report th,.gk-report td{border"));
    assert_eq!(csp, gongkai_web::views::standalone_policy(&html));
    assert!(
        csp.contains("'sha256-") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // The back office's preview, likewise.
    let (c, csrf) = login(&w.app, "oadmin").await;
    let organ = w.organ.to_string();
    let _ = post(
        &w.app,
        "/admin/reports",
        &c,
        &[("csrf", &csrf), ("organ", &organ), ("year", "2024")],
    )
    .await;
    let resp = w
        .app
        .clone()
        .oneshot(
            Request::get(format!("/admin/reports/{organ}/2024/preview"))
                .header(header::COOKIE, &c)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("'sha256-"), "{csp}");
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_resubmitted_application_form_never_files_a_second_case() {
    let w = world().await;
    let path = format!("/o/{}/apply", w.organ);
    let form = get(&w.app, &path, "").await;
    let once = hidden(&form.body, "once");
    assert_eq!(once.len(), 64);
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let fields = [
        ("csrf", token.as_str()),
        ("once", once.as_str()),
        ("applicant_type", "natural_person"),
        ("name", "王五"),
        ("id_kind", "resident_id"),
        ("id_number", "11010519491231002X"),
        ("phone", "0951-4021664"),
        ("email", "wangwu@example.cn"),
        ("description", "2024年义务教育招生计划"),
        ("form", "电子邮件"),
    ];
    let first = post(&w.app, &path, &cookie, &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    // Sent again (reload after an error, back and submit, a double click): the same receipt.
    let (a, b) = tokio::join!(
        post(&w.app, &path, &cookie, &fields),
        post(&w.app, &path, &cookie, &fields)
    );
    for again in [a, b] {
        assert_eq!(
            (again.status, again.location.as_str()),
            (StatusCode::SEE_OTHER, first.location.as_str())
        );
    }
    assert_eq!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .len(),
        1
    );
    // Reloading the receipt files nothing either.
    for _ in 0..2 {
        assert_eq!(
            get(&w.app, &first.location, "").await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .len(),
        1
    );
    // A fresh form is a new application.
    let form2 = get(&w.app, &path, &cookie).await;
    let once2 = hidden(&form2.body, "once");
    assert_ne!(once, once2);
    let mut fields2 = fields;
    fields2[1] = ("once", once2.as_str());
    let second = post(&w.app, &path, &cookie, &fields2).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    assert_ne!(second.location, first.location);
    assert_eq!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .len(),
        2
    );
    // A forged or missing token files nothing.
    let mut forged = fields;
    forged[1] = ("once", "abc");
    assert_eq!(
        post(&w.app, &path, &cookie, &forged).await.status,
        StatusCode::BAD_REQUEST
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn every_mistake_on_the_application_form_shows_beside_its_field_at_once() {
    let w = world().await;
    let path = format!("/o/{}/apply", w.organ);
    let form = get(&w.app, &path, "").await;
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let once = hidden(&form.body, "once");
    let bad = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("applicant_type", "natural_person"),
            ("name", "王五"),
            ("id_kind", "resident_id"),
            // The check digit of 64018119900101123x is 2.
            ("id_number", "640181199001011234"),
            ("phone", "abc"),
            ("email", "wangwu@"),
            ("description", "招生计划"),
            ("form", "电子文档"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, words) in [
        ("id_number", "校验位"),
        ("phone", "联系电话格式不正确"),
        ("email", "电子邮箱格式不正确"),
    ] {
        let marker = format!("id=\"{field}-error\">");
        let at = bad
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("{field} error: {}", bad.body));
        assert!(
            bad.body[at..]
                .split("</span>")
                .next()
                .unwrap()
                .contains(words)
        );
        assert!(
            bad.body
                .contains(&format!("aria-describedby=\"{field}-hint {field}-error\""))
                || bad
                    .body
                    .contains(&format!("aria-describedby=\"{field}-error\""))
        );
    }
    assert!(bad.body.contains("3处问题"), "{}", bad.body);
    // The same one-time token is kept, so correcting and sending files the one case.
    assert_eq!(hidden(&bad.body, "once"), once);
    // An organisation gives its credit code, checked too.
    let org = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("applicant_type", "business"),
            ("name", "某某有限公司"),
            ("id_kind", "credit_code"),
            ("id_number", "91350100M000100Y44"),
            ("phone", "13900003333"),
            ("description", "招生计划"),
            ("form", "电子文档"),
        ],
    )
    .await;
    assert!(org.body.contains("id=\"id_number-error\""), "{}", org.body);
    assert!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .is_empty()
    );
    w.t.cleanup().await;
}

/// Files an application online and returns its query code.
async fn file_online(w: &World, description: &str) -> String {
    let path = format!("/o/{}/apply", w.organ);
    let form = get(&w.app, &path, "").await;
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let r = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &csrf_of(&form.body)),
            ("once", &hidden(&form.body, "once")),
            ("applicant_type", "natural_person"),
            ("name", "王五"),
            ("id_kind", "resident_id"),
            ("id_number", "640181199001011232"),
            ("phone", "13900003333"),
            ("description", description),
            ("form", "电子文档"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location.rsplit('=').next().unwrap().to_string()
}

/// Journey 4: while the case is pending the citizen reads each step taken and the deadline as
/// the clock gives it — stopped while a 补正 is awaited, running again once it came — and never
/// the name of the third party consulted.
#[tokio::test]
async fn the_citizen_follows_each_step_of_a_pending_case() {
    let w = world().await;
    let code = file_online(&w, "某小学校舍维修工程的招标文件").await;
    let rec = w.t.db.applications(Some(w.organ), None).await.unwrap()[0].clone();
    let on = rec.received_on.to_string();
    let (c, csrf) = login(&w.app, "handler").await;
    let step = |fields: Vec<(&'static str, String)>| {
        let mut v = vec![("csrf", csrf.clone()), ("on", on.clone())];
        v.extend(fields);
        v
    };
    let ev = format!("/admin/applications/{}/event", rec.id);
    let look = |w: &World| {
        let app = w.app.clone();
        let code = code.clone();
        async move {
            get(&app, &format!("/apply/lookup?code={code}"), "")
                .await
                .body
        }
    };
    let before = look(&w).await;
    assert!(
        before.contains("最迟于") && before.contains("<li><span class=\"date\">"),
        "{before}"
    );
    let f = step(vec![
        ("action", "supplement".to_string()),
        ("items", "请写明工程项目名称".to_string()),
    ]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&w.app, &ev, &c, &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let waiting = look(&w).await;
    assert!(
        waiting.contains("等待补正") && waiting.contains("告知补正：请于"),
        "{waiting}"
    );
    assert!(
        !waiting.contains("最迟于"),
        "no deadline while the clock is stopped: {waiting}"
    );
    for fields in [
        vec![("action", "supplement_received".to_string())],
        vec![
            ("action", "consult".to_string()),
            ("party", "third_party".to_string()),
            ("with", "宁夏某建筑工程有限公司".to_string()),
            ("matter", "投标报价明细可能涉及商业秘密".to_string()),
        ],
    ] {
        let f = step(fields);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post(&w.app, &ev, &c, &f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let consulting = look(&w).await;
    assert!(consulting.contains("收到补正后的申请"), "{consulting}");
    assert!(
        consulting.contains("书面征求第三方意见，所需时间不计入答复期限"),
        "{consulting}"
    );
    assert!(!consulting.contains("宁夏某建筑") && !consulting.contains("投标报价"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_citizen_reads_the_reply_in_plain_words_with_remedies_and_downloads_it() {
    let w = world().await;
    w.t.db
        .set_organ_settings(
            w.organ,
            &gongkai_store::portal::OrganSettings {
                review_body: "灵武市人民政府".into(),
                court: "灵武市人民法院".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let code = file_online(&w, "某小学2024年度收费明细").await;
    let pending = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    assert!(pending.body.contains("办理中") && pending.body.contains("最迟于2025年4月"));
    assert!(!pending.body.contains("id=\"outcome\"") && !pending.body.contains("行政复议"));
    let id = w.t.db.applications(Some(w.organ), None).await.unwrap()[0].id;
    let (c, csrf) = login(&w.app, "handler").await;
    let r = post(
        &w.app,
        &format!("/admin/applications/{id}/event"),
        &c,
        &[
            ("csrf", &csrf),
            ("action", "decide"),
            ("on", "2025-03-10"),
            ("result", "partly_disclosed"),
            ("provided", "收费明细（已删去学生名单），通过网上平台提供"),
            ("withheld", "学生名单：涉及个人隐私（条例第十五条）"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    let b = &done.body;
    assert!(b.contains("id=\"outcome\">部分公开<"), "{b}");
    assert!(b.contains("有部分内容依法不能公开"));
    assert!(b.contains("学生名单：涉及个人隐私"));
    assert!(
        !b.contains("区分处理") && !b.contains("只计这一情形"),
        "{b}"
    );
    // Withholding: review first (行政复议法 art. 23), then suit within 15 days.
    assert!(b.contains("先申请行政复议") && b.contains("60日内") && b.contains("灵武市人民政府"));
    assert!(b.contains("15日内") && b.contains("灵武市人民法院"));
    assert!(!b.contains("6个月内"), "{b}");
    assert!(b.contains("办结日期</dt><dd>2025年3月10日"));
    let link = b
        .split("id=\"reply-download\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let resp = w
        .app
        .clone()
        .oneshot(Request::get(&link).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{link}");
    assert!(
        resp.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".docx\"")
    );
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"));
    // Another code, or no code, downloads nothing.
    let other = link.replace(&code, "ZZZZZZZZZZZZ");
    assert_eq!(get(&w.app, &other, "").await.status, StatusCode::NOT_FOUND);

    // The released files: checked like attachments, listed for the applicant, downloaded with
    // the code only; the reply's delivery is shown.
    let files = format!("/admin/applications/{id}/files");
    let r = upload(&w.app, &files, &c, &csrf, "假装.pdf", b"<html>").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("未能上传"), "{}", r.body);
    let r = upload(
        &w.app,
        &files,
        &c,
        &csrf,
        "收费明细（删除学生名单）.pdf",
        b"%PDF-1.4 released",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(
        &w.app,
        &format!("/admin/applications/{id}/event"),
        &c,
        &[
            ("csrf", &csrf),
            ("action", "deliver"),
            ("on", "2025-03-10"),
            ("method", "email"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    assert!(
        done.body.contains("2025年3月10日电子邮件送达"),
        "{}",
        done.body
    );
    let file_link = done
        .body
        .split("<a href=\"/apply/file?")
        .nth(1)
        .expect("the released file is listed")
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    assert!(done.body.contains("收费明细（删除学生名单）.pdf"));
    let got = get(&w.app, &format!("/apply/file?{file_link}"), "").await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, "%PDF-1.4 released");
    let stolen = format!("/apply/file?{}", file_link.replace(&code, "ZZZZZZZZZZZZ"));
    assert_eq!(get(&w.app, &stolen, "").await.status, StatusCode::NOT_FOUND);

    // Voiding the delivered reply asks for confirmation, never takes from the applicant what
    // was sent, and withholds the released file with the decision (issue 33).
    let decided =
        w.t.db
            .application_events(id)
            .await
            .unwrap()
            .into_iter()
            .find(|e| {
                matches!(
                    e.kind,
                    gongkai_domain::application::events::EventKind::Decided { .. }
                )
            })
            .unwrap()
            .seq;
    let void = format!("/admin/applications/{id}/void");
    let seq = decided.to_string();
    let r = post(
        &w.app,
        &void,
        &c,
        &[("csrf", &csrf), ("seq", &seq), ("reason", "答复结果选错")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("作废答复或送达须确认"), "{}", r.body);
    let r = post(
        &w.app,
        &void,
        &c,
        &[
            ("csrf", &csrf),
            ("seq", &seq),
            ("reason", "答复结果选错"),
            ("confirm", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    assert!(
        after.body.contains("已由本机关撤销，将重新答复"),
        "the reply sent stays listed: {}",
        after.body
    );
    assert_eq!(
        get(&w.app, &format!("/apply/file?{file_link}"), "")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a released file goes with its voided decision"
    );
    // The corrected reply is issued like the first; the applicant sees both, current first.
    let r = post(
        &w.app,
        &format!("/admin/applications/{id}/event"),
        &c,
        &[
            ("csrf", &csrf),
            ("action", "decide"),
            ("on", "2025-03-10"),
            ("result", "disclosed"),
            ("provided", "收费明细全文，通过网上平台提供"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = get(&w.app, &format!("/apply/lookup?code={code}"), "").await;
    let b = &after.body;
    let current = b.find("现行答复").expect("the corrected reply is listed");
    let withdrawn = b
        .find("已由本机关撤销，以新的答复书为准")
        .expect("the first stays");
    assert!(current < withdrawn, "current first: {b}");
    assert!(b.contains("id=\"outcome\">公开<"), "{b}");
    // The first reply's delivery is not the corrected reply's: not stated until it is delivered.
    assert!(
        !b.contains("id=\"delivered\""),
        "the voided reply's delivery shown as the current one's: {b}"
    );
    let case = get(&w.app, &format!("/admin/applications/{id}"), &c).await;
    let cur = case
        .body
        .find("答复书（现行答复）")
        .expect("the case marks the reply in force");
    let old = case.body.find("答复书（所属步骤已作废）").unwrap();
    assert!(cur < old, "the case lists the current reply first");
    assert!(
        case.body.contains("电子邮件送达，所送达的答复已作废"),
        "{}",
        case.body
    );
    assert!(
        case.body.contains("id=\"form-deliver\" open"),
        "the corrected reply is to be delivered"
    );
    w.t.cleanup().await;
}

#[test]
fn every_reply_has_plain_words_without_the_reports_counting_notes() {
    for r in gongkai_domain::application::ReplyResult::ALL {
        let (outcome, why) = gongkai_web::public::reply_in_plain_words(r);
        assert!(!outcome.is_empty() && why.ends_with('。'), "{r:?}");
        for note in ["区分处理", "只计这一情形", "（一）", "（二）", "（三）"] {
            assert!(!why.contains(note) && !outcome.contains(note), "{r:?}");
        }
    }
}

#[tokio::test]
async fn error_pages_are_chinese_even_for_paths_that_do_not_parse() {
    let w = world().await;
    for path in [
        "/items/abc",
        "/reports/abc",
        "/o/abc/guide",
        "/o/1x/catalogue",
        "/reports/1/download/exe",
        "/no-such-page",
    ] {
        let r = get(&w.app, path, "").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("页面不存在"), "{path}: {}", r.body);
        assert!(!r.body.contains("Invalid URL") && !r.body.contains("Cannot parse"));
    }
    // A method a page does not take.
    let r = send(
        &w.app,
        Request::delete("/sitemap").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("不支持这种访问方式"), "{}", r.body);
    // The API keeps answering JSON.
    let r = get(&w.app, "/api/v1/items/abc", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body.starts_with('{') && r.body.contains("not_found"),
        "{}",
        r.body
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_portal_has_a_favicon_an_html_sitemap_and_a_home_page_to_start_from() {
    let w = world().await;
    let fav = w
        .app
        .clone()
        .oneshot(Request::get("/favicon.ico").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(fav.status(), StatusCode::OK);
    assert_eq!(fav.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let id = publish_computed_report(&w, 2024).await;
    let xml = get(&w.app, "/sitemaps/pages.xml", "").await;
    assert!(xml.body.contains("/sitemap</loc>"), "{}", xml.body);
    let map = get(&w.app, "/sitemap", "").await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(map.body.contains("<h1>网站地图</h1>"));
    for link in [
        format!("/o/{}/guide", w.organ),
        format!("/o/{}/apply", w.organ),
        format!("/reports/{id}"),
        format!("/o/{}", w.unit),
    ] {
        assert!(map.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let home = get(&w.app, "/", "").await;
    assert!(home.body.contains("href=\"/sitemap\""));
    for link in ["guide", "apply", "reports"] {
        assert!(
            home.body
                .contains(&format!("href=\"/o/{}/{link}\"", w.organ)),
            "{link}"
        );
    }
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_guide_names_every_element_and_links_the_online_form() {
    let w = world().await;
    // Nothing configured: each element is named and said to be missing, never dropped.
    let g = get(&w.app, &format!("/o/{}/guide", w.organ), "").await;
    for label in [
        "受理机构",
        "通信地址",
        "邮政编码",
        "办公时间",
        "联系电话",
        "传真",
        "电子邮箱",
    ] {
        assert!(g.body.contains(&format!("<dt>{label}</dt>")), "{label}");
    }
    assert!(g.body.contains("尚未公布"));
    // What the organ publishes of its own accord: the fifteen items of art. 20, and art. 21.
    let art20 = g
        .body
        .split("id=\"art20\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(art20.matches("<li>").count(), 15);
    assert!(g.body.contains("第二十一条"));
    assert!(
        !g.body.contains("政府信息公开工作机构</dd>"),
        "no placeholder office"
    );
    assert!(g.body.contains(&format!("href=\"/o/{}/apply\"", w.organ)));
    // The officers are told what is missing.
    let (c, _) = login(&w.app, "oadmin").await;
    let s = get(&w.app, &format!("/admin/settings?organ={}", w.organ), &c).await;
    assert!(s.body.contains("id=\"guide-missing\"") && s.body.contains("<li>通信地址</li>"));
    w.t.cleanup().await;
}

/// Every page a visitor can reach from the home page, in-process: each answers, and no counting
/// note of the report (“区分处理的，只计这一情形”) shows anywhere but inside the report's tables.
#[tokio::test]
async fn no_public_page_shows_the_reports_counting_notes_outside_its_tables() {
    let w = world().await;
    insert_item(
        &w.t.db,
        w.organ,
        "关于招生工作的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 3, 3),
    )
    .await;
    publish_computed_report(&w, 2024).await;
    let code = file_online(&w, "招生计划").await;
    let mut queue = vec![
        "/".to_string(),
        format!("/apply/lookup?code={code}"),
        "/search?q=招生".to_string(),
    ];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(path) = queue.pop() {
        let path = path.replace("&amp;", "&").replace("&#38;", "&");
        if !seen.insert(path.clone()) || seen.len() > 200 {
            continue;
        }
        let r = get(&w.app, &path, "").await;
        assert!(r.status == StatusCode::OK, "{path} answers {}", r.status);
        if !r.body.starts_with("<!DOCTYPE html>") {
            continue;
        }
        // The report's tables are where the notes belong.
        let mut text = r.body.clone();
        while let Some(a) = text.find("<table class=\"gk-table") {
            let b = text[a..].find("</table>").map(|b| a + b + 8).unwrap();
            text.replace_range(a..b, "");
        }
        for note in ["区分处理", "只计这一情形", "不计其他情形"] {
            assert!(!text.contains(note), "{path} shows {note}");
        }
        for part in r.body.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap();
            let skip = [
                "/admin",
                "/api",
                "/feed.xml",
                "/sitemap.xml",
                "/sitemaps/",
                "/logout",
                "/static/",
                "/attachments/",
                "/apply/reply",
                "/apply/file",
                // The 长者模式 switch: a redirect that sets a cookie, not a page.
                "/elder",
            ];
            if href.starts_with('/')
                && !href.starts_with("//")
                && !skip.iter().any(|s| href.starts_with(s))
                && !href.contains("/download/")
            {
                queue.push(href.split('#').next().unwrap().to_string());
            }
        }
    }
    assert!(seen.len() > 25, "crawled {} pages", seen.len());
    w.t.cleanup().await;
}

/// `gongkai demo` publishes the bureau's reports from 2020 through last year, each in January
/// of the next: the archive lists them, the 2020 one carries every figure of the seed report,
/// and search and RSS find them.
#[tokio::test]
async fn the_demo_publishes_every_year_through_last_year_and_2020_is_the_seeds() {
    let t = TestDb::sqlite().await;
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    gongkai_app::imports::demo(
        &gongkai_app::App::new(
            t.db.clone(),
            gongkai_app::Time::fixed("2026-12-07T02:00:00Z".parse().unwrap()),
        ),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let n = gongkai_web::demo::publish_history(&t.db, gongkai_import::demo::BUREAU_NAME, today)
        .await
        .unwrap();
    assert_eq!(n, 6);
    // Twice changes nothing.
    assert_eq!(
        gongkai_web::demo::publish_history(&t.db, gongkai_import::demo::BUREAU_NAME, today)
            .await
            .unwrap(),
        0
    );
    let organ =
        t.db.find_organ(gongkai_import::demo::BUREAU_NAME)
            .await
            .unwrap()
            .unwrap();
    let published = t.db.published_reports(organ.id).await.unwrap();
    let mut years: Vec<i32> = published.iter().map(|p| p.year).collect();
    years.sort();
    assert_eq!(years, [2020, 2021, 2022, 2023, 2024, 2025]);
    let p2025 = published.iter().find(|p| p.year == 2025).unwrap();
    assert_eq!(
        p2025.published_at.date_naive(),
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        "published in January of the next year"
    );
    let expected: gongkai_domain::report::ReportSet = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../audit/tests/corpus/seed/lingwu-edu-2020.expected.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let p2020 = published.iter().find(|p| p.year == 2020).unwrap();
    let r2020 = gongkai_web::reports::StoredReport::from_json(&p2020.report_json)
        .unwrap()
        .to_report();
    assert_eq!(r2020.cells.len(), expected.reports[0].cells.len());
    for (got, want) in r2020.cells.iter().zip(&expected.reports[0].cells) {
        assert_eq!(
            (&got.table, &got.row, &got.column, got.value),
            (&want.table, &want.row, &want.column, want.value)
        );
    }
    assert!(p2020.html.contains("2021年1月27日"));
    // The portal: archive, RSS, guide with the office's details, and search.
    let index = std::sync::Arc::new(gongkai_search::Index::in_memory().unwrap());
    gongkai_search::feed::rebuild(&t.db, index.clone(), |_, _| {})
        .await
        .unwrap();
    let hits = index
        .search(&gongkai_search::Query::new("年度报告"))
        .unwrap();
    let reports = hits
        .hits
        .iter()
        .filter(|h| h.kind == gongkai_search::Kind::Report)
        .count();
    assert_eq!(
        reports,
        6,
        "{:?}",
        hits.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
    let app = app(AppState::new(t.db.clone(), Config::default()).with_search(index));
    let archive = get(&app, &format!("/o/{}/reports", organ.id), "").await;
    for y in 2020..=2025 {
        assert!(archive.body.contains(&format!("{y}年度报告")), "{y}");
    }
    let rss = get(&app, "/feed.xml", "").await;
    assert!(
        rss.body.contains("2025年政府信息公开工作年度报告</title>"),
        "{}",
        rss.body
    );
    let guide = get(&app, &format!("/o/{}/guide", organ.id), "").await;
    assert!(guide.body.contains("西平街142号") && !guide.body.contains("尚未公布"));
    // 法定主动公开内容: the sub-columns list the columns serving their clause of art. 20, so
    // 第二十条（七） shows the budgets filed under 财政预决算及三公经费, while a clause no column
    // serves (（六）行政处罚) stays empty.
    let cats = t.db.categories(organ.id).await.unwrap();
    let sub = |clause: &str| cats.iter().find(|c| c.description == clause).unwrap().id;
    let budgets = get(
        &app,
        &format!(
            "/o/{}/catalogue?category={}",
            organ.id,
            sub("第二十条（七）")
        ),
        "",
    )
    .await;
    assert!(
        budgets.body.contains("部门预算公开") && !budgets.body.contains("该范围内暂无公开信息"),
        "{}",
        budgets.body
    );
    for clause in [
        "第二十条（二）",
        "第二十条（三）",
        "第二十条（五）",
        "第二十条（十）",
    ] {
        let page = get(
            &app,
            &format!("/o/{}/catalogue?category={}", organ.id, sub(clause)),
            "",
        )
        .await;
        assert!(
            !page.body.contains("该范围内暂无公开信息"),
            "{clause} is empty"
        );
    }
    let penalties = get(
        &app,
        &format!(
            "/o/{}/catalogue?category={}",
            organ.id,
            sub("第二十条（六）")
        ),
        "",
    )
    .await;
    // （六）行政处罚: no document serves it, but the register's penalty decisions are listed.
    assert!(
        !penalties.body.contains("该范围内暂无公开信息")
            && penalties.body.contains("行政处罚、行政强制决定（登记簿"),
        "{}",
        penalties.body
    );
    let search = get(&app, &format!("/search?q={}", enc("年度报告")), "").await;
    assert!(
        search.body.contains("2020年政府信息公开工作年度报告") || search.body.contains("2020年"),
        "{}",
        search.body
    );
    t.cleanup().await;
}

/// Registers an in-person application of the world's organ received on `received`.
async fn seed_application(w: &World, name: &str, received: NaiveDate) -> i64 {
    use gongkai_domain::application::events::{Applicant, Channel};
    w.t.db
        .register_application(
            &gongkai_store::applications::NewApplication {
                organ_id: w.organ,
                channel: Channel::InPerson,
                submitted_on: received,
                received_on: received,
                applicant: Applicant {
                    kind: gongkai_domain::application::ApplicantType::NaturalPerson,
                    name: name.into(),
                    id_document: "640181199202021234".into(),
                    contact: "13900005555".into(),
                    address: String::new(),
                },
                description: format!("{name}申请的信息"),
                form: "纸质".into(),
            },
            "test",
            received.and_hms_opt(9, 0, 0).unwrap(),
        )
        .await
        .unwrap()
        .id
}

/// The text between `start` and the next `end` (a page's section), for assertions on one part.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let Some(i) = html.find(start) else {
        return "";
    };
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_handlers_workbench_shows_overdue_and_due_soon_cases_first() {
    let w = world().await;
    let d = |m, dd| NaiveDate::from_ymd_opt(2025, m, dd).unwrap();
    // Today is 2025-03-10: received in January → long overdue; 14 February → due within days;
    // 7 March → weeks left.
    let late = seed_application(&w, "逾期甲", d(1, 20)).await;
    let soon = seed_application(&w, "临期乙", d(2, 14)).await;
    let fresh = seed_application(&w, "新收丙", d(3, 7)).await;
    let (hc, _) = login(&w.app, "handler").await;
    let page = get(&w.app, "/admin", &hc).await;
    assert_eq!(page.status, StatusCode::OK);
    let cases = section(&page.body, "id=\"due-cases\"", "</table>");
    assert!(
        cases.contains(&format!("/admin/applications/{late}\""))
            && cases.contains("badge overdue")
            && cases.contains("已逾期"),
        "{cases}"
    );
    assert!(
        cases.contains(&format!("/admin/applications/{soon}\"")) && cases.contains("剩余"),
        "{cases}"
    );
    assert!(
        !cases.contains(&format!("/admin/applications/{fresh}\"")),
        "{cases}"
    );
    // Overdue first, and the cases come before the item tiles.
    assert!(
        cases.find(&format!("/{late}\"")).unwrap() < cases.find(&format!("/{soon}\"")).unwrap()
    );
    assert!(page.body.find("due-cases").unwrap() < page.body.find("待办").unwrap());
    // An editor does not handle applications: no case list on their workbench.
    let (ec, _) = login(&w.app, "editor").await;
    let page = get(&w.app, "/admin", &ec).await;
    assert!(!page.body.contains("due-cases") && !page.body.contains("逾期甲"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_reviewers_workbench_lists_items_waiting_with_their_age() {
    let w = world().await;
    let id = insert_item(&w.t.db, w.organ, "等待审核的通知", ItemStatus::Draft, None).await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &format!("/admin/items/{id}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "submit")],
    )
    .await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let (rc, _) = login(&w.app, "reviewer").await;
    let page = get(&w.app, "/admin", &rc).await;
    let queue = section(&page.body, "id=\"review-queue\"", "</ul>");
    assert!(
        queue.contains("等待审核的通知") && queue.contains("今天提交"),
        "{queue}"
    );
    // A handler does not review: no queue.
    let (hc, _) = login(&w.app, "handler").await;
    assert!(
        !get(&w.app, "/admin", &hc)
            .await
            .body
            .contains("review-queue")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn each_roles_menu_shows_only_what_it_may_open_and_the_rest_answers_403() {
    let w = world().await;
    let all = [
        "/admin",
        "/admin/items",
        "/admin/notices",
        "/admin/applications",
        "/admin/letters",
        "/admin/registers",
        "/admin/reports",
        "/admin/settings",
        "/admin/calendar",
        "/admin/users",
        "/admin/audit",
        "/admin/supervision",
        "/admin/password",
    ];
    for user in ["sys", "oadmin", "editor", "reviewer", "handler", "super"] {
        let (c, _) = login(&w.app, user).await;
        let page = get(&w.app, "/admin", &c).await;
        let nav = section(&page.body, "<nav aria-label=\"主导航\">", "</nav>");
        let mut shown = 0;
        for url in all {
            let in_menu = nav.contains(&format!("href=\"{url}\""));
            let status = get(&w.app, url, &c).await.status;
            if in_menu {
                shown += 1;
                assert_eq!(status, StatusCode::OK, "{user}: {url} is in the menu");
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{user}: {url} is not in the menu"
                );
            }
        }
        let expected = match user {
            "sys" | "oadmin" => all.len(),
            "super" => all.len() - 1,
            _ => all.len() - 3,
        };
        assert_eq!(shown, expected, "{user}: {nav}");
    }
    w.t.cleanup().await;
}

/// The case file's 答复期限 (`<strong id="case-due">…</strong>`).
fn case_due(html: &str) -> String {
    section(html, "id=\"case-due\">", "</strong>")
        .trim_start_matches("id=\"case-due\">")
        .to_string()
}

#[tokio::test]
async fn a_future_dated_step_is_refused_with_the_reason_on_its_form() {
    let w = world().await;
    let id = seed_application(&w, "孙八", NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()).await;
    let (hc, csrf) = login(&w.app, "handler").await;
    let ev = format!("/admin/applications/{id}/event");
    let r = post(
        &w.app,
        &ev,
        &hc,
        &[
            ("csrf", &csrf),
            ("action", "consult"),
            ("on", "2025-03-12"),
            ("party", "third_party"),
            ("with", "某建筑公司"),
            ("matter", "资料含该公司的报价"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The reason is inside the consultation form, which keeps the date typed.
    let form = section(&r.body, "value=\"consult\">", "</form>");
    assert!(
        form.contains("id=\"step-error\"") && form.contains("晚于今天"),
        "{form}"
    );
    assert!(form.contains("value=\"2025-03-12\""), "{form}");
    // The other forms show no error and today's date.
    let decide = section(&r.body, "value=\"decide\">", "</form>");
    assert!(!decide.contains("step-error") && decide.contains("value=\"2025-03-10\""));
    // Nothing was recorded.
    assert_eq!(w.t.db.application_events(id).await.unwrap().len(), 1);
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_voided_step_stays_in_the_log_and_the_deadline_is_recomputed() {
    let w = world().await;
    let id = seed_application(&w, "周九", NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()).await;
    let (hc, csrf) = login(&w.app, "handler").await;
    let url = format!("/admin/applications/{id}");
    let due0 = case_due(&get(&w.app, &url, &hc).await.body);
    assert!(due0.starts_with("2025-03"), "{due0}");
    let r = post(
        &w.app,
        &format!("{url}/event"),
        &hc,
        &[
            ("csrf", &csrf),
            ("action", "extend"),
            ("on", "2025-03-07"),
            ("days", "20"),
            ("reason", "需要调取档案"),
            ("approved_by", "李主任"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let due1 = case_due(&get(&w.app, &url, &hc).await.body);
    assert!(due1 > due0, "{due0} → {due1}");
    // A void needs a reason, shown on that step's form.
    let r = post(
        &w.app,
        &format!("{url}/void"),
        &hc,
        &[("csrf", &csrf), ("seq", "2"), ("reason", " ")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = section(&r.body, "id=\"event-2\"", "</li>");
    assert!(form.contains("请填写作废理由"), "{form}");
    // The registration cannot be voided.
    let r = post(
        &w.app,
        &format!("{url}/void"),
        &hc,
        &[("csrf", &csrf), ("seq", "1"), ("reason", "误登记")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another role may not void.
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &format!("{url}/void"),
        &ec,
        &[("csrf", &ecsrf), ("seq", "2"), ("reason", "误操作")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &w.app,
        &format!("{url}/void"),
        &hc,
        &[
            ("csrf", &csrf),
            ("seq", "2"),
            ("reason", "延期未经批准，误登记"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = get(&w.app, &url, &hc).await;
    assert_eq!(case_due(&file.body), due0, "the deadline is back");
    let step = section(&file.body, "id=\"event-2\"", "</li>");
    assert!(
        step.contains("<del>") && step.contains("已作废") && step.contains("延期未经批准"),
        "{step}"
    );
    // The extension's notice stays listed, marked as belonging to a voided step.
    assert!(file.body.contains("（所属步骤已作废）"));
    let trace = section(&file.body, "class=\"trace\"", "</ol>");
    assert!(
        trace.contains("作废第2步") && trace.contains("延期未经批准"),
        "{trace}"
    );
    // Append-only: the extension is still in the log, with the void and its recomputation.
    let log = w.t.db.application_log(id).await.unwrap();
    assert_eq!(log.len(), 3);
    assert!(log[1].1.is_some() && log[0].1.is_none());
    // The same step cannot be voided twice; the case can be extended again.
    let r = post(
        &w.app,
        &format!("{url}/void"),
        &hc,
        &[("csrf", &csrf), ("seq", "2"), ("reason", "再次")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(file.body.contains("延长期限"));
    // The audit log names the void.
    let audit = w.t.db.audit_entries(Some(w.organ), 10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "void_step"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_new_user_gets_no_role_until_one_is_chosen_least_privilege_first() {
    let w = world().await;
    let (c, csrf) = login(&w.app, "sys").await;
    let page = get(&w.app, "/admin/users", &c).await;
    let select = section(&page.body, "<select id=\"role\"", "</select>");
    // Nothing preselected but the empty placeholder; the read-only role first, 系统管理员 last.
    assert!(
        select.contains("<option value=\"\" selected disabled>请选择角色</option>"),
        "{select}"
    );
    assert_eq!(select.matches(" selected").count(), 1, "{select}");
    let first = select.find("supervisor").unwrap();
    assert!(first < select.find("editor").unwrap());
    assert!(select.find("sysadmin").unwrap() > select.find("organ_admin").unwrap_or(0));
    // The organ defaults to a real organ, not to "all organs".
    let organ = section(&page.body, "<select id=\"organ\"", "</select>");
    assert!(
        organ.find("value=\"\"").unwrap() > organ.find(&format!("value=\"{}\"", w.organ)).unwrap()
    );
    // Sent without a role: refused on the form, not a bare error page, and nobody is created.
    let r = post(
        &w.app,
        "/admin/users",
        &c,
        &[
            ("csrf", &csrf),
            ("username", "newbie"),
            ("password", PASSWORD),
            ("role", ""),
            ("organ", &w.organ.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请选择角色") && r.body.contains("新建用户"));
    assert!(
        !w.t.db
            .users()
            .await
            .unwrap()
            .iter()
            .any(|u| u.username == "newbie")
    );
    // An organ administrator is not offered 系统管理员.
    let (oc, _) = login(&w.app, "oadmin").await;
    let page = get(&w.app, "/admin/users", &oc).await;
    let select = section(&page.body, "<select id=\"role\"", "</select>");
    assert!(!select.contains("sysadmin"), "{select}");
    w.t.cleanup().await;
}

#[tokio::test]
async fn from_november_the_back_office_warns_that_next_years_calendar_is_missing() {
    let t = TestDb::new(gongkai_store::Backend::Sqlite).await;
    let db = t.db.clone();
    let o = db
        .create_organ(
            &organ("ORG1", "灵武市教育局", None),
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    add_user(&db, "handler", Role::Handler, Some(o.id)).await;
    add_user(&db, "sys", Role::SysAdmin, None).await;
    let last = gongkai_domain::calendar::Calendar::builtin()
        .span()
        .unwrap()
        .1;
    let at = |m, d| FixedClock(Utc.with_ymd_and_hms(last, m, d, 2, 0, 0).unwrap());
    // 31 October: no warning yet.
    let app_oct = app(AppState::new(db.clone(), Config::default()).with_clock(at(10, 31)));
    let (c, _) = login(&app_oct, "handler").await;
    assert!(
        !get(&app_oct, "/admin", &c)
            .await
            .body
            .contains("calendar-warning")
    );
    // 2 November: the 工作台 and the calendar page warn, in words, not commands.
    let w = app(AppState::new(db.clone(), Config::default()).with_clock(at(11, 2)));
    let (c, _) = login(&w, "handler").await;
    let page = get(&w, "/admin", &c).await;
    let warning = section(&page.body, "id=\"calendar-warning\"", "</p>");
    assert!(
        warning.contains(&format!("{}年", last + 1)) && warning.contains("系统管理员"),
        "{warning}"
    );
    let (sc, _) = login(&w, "sys").await;
    let cal = get(&w, "/admin/calendar", &sc).await;
    assert!(section(&cal.body, "id=\"calendar-warning\"", "</p>").contains("“工作日历”页"));
    // A case whose period runs into the missing year: the case file names no command.
    let received = NaiveDate::from_ymd_opt(last, 12, 20).unwrap();
    let rec = db
        .register_application(
            &gongkai_store::applications::NewApplication {
                organ_id: o.id,
                channel: gongkai_domain::application::events::Channel::InPerson,
                submitted_on: received,
                received_on: received,
                applicant: gongkai_domain::application::events::Applicant {
                    kind: gongkai_domain::application::ApplicantType::NaturalPerson,
                    name: "吴十".into(),
                    id_document: "640181199202021234".into(),
                    contact: "13900005555".into(),
                    address: String::new(),
                },
                description: "年底申请".into(),
                form: "纸质".into(),
            },
            "test",
            received.and_hms_opt(9, 0, 0).unwrap(),
        )
        .await
        .unwrap();
    let late = app(AppState::new(db.clone(), Config::default()).with_clock(at(12, 22)));
    let (c, _) = login(&late, "handler").await;
    let file = get(&late, &format!("/admin/applications/{}", rec.id), &c).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.body.contains("工作日历未覆盖") && file.body.contains("“工作日历”页"),
        "{}",
        section(&file.body, "class=\"trace\"", "</ol>")
    );
    for page in [&file.body, &get(&late, "/admin", &c).await.body] {
        assert!(!page.contains("gongkai ") && !page.contains("calendar import"));
    }
    t.cleanup().await;
}

async fn audit_log_filters_and_pages_on(backend: gongkai_store::Backend) {
    let w = world_on(backend).await;
    let db = &w.t.db;
    let day = |d| Utc.with_ymd_and_hms(2025, 3, d, 2, 0, 0).unwrap();
    for i in 0..60 {
        db.audit(
            &gongkai_store::users::NewAudit {
                username: "editor",
                organ_id: Some(w.organ),
                action: "update",
                entity: "catalogue_item",
                entity_id: i.to_string(),
                after: Some(serde_json::json!({"title": format!("标题{i}")})),
                ..Default::default()
            },
            day(3),
        )
        .await
        .unwrap();
    }
    for (organ, name) in [(w.organ, "reviewer"), (w.other_organ, "other_editor")] {
        db.audit(
            &gongkai_store::users::NewAudit {
                username: name,
                organ_id: Some(organ),
                action: "publish",
                entity: "catalogue_item",
                entity_id: "99".into(),
                ..Default::default()
            },
            day(7),
        )
        .await
        .unwrap();
    }
    let (c, _) = login(&w.app, "oadmin").await;
    let page = get(&w.app, "/admin/audit", &c).await;
    assert!(page.body.contains("共 61 条，第 1/2 页"), "{}", page.body);
    assert!(page.body.contains("下一页") && !page.body.contains("other_editor"));
    let p2 = get(&w.app, "/admin/audit?action=update&page=2", &c).await;
    assert!(p2.body.contains("共 60 条，第 2/2 页") && p2.body.contains("上一页"));
    assert_eq!(p2.body.matches(">修改</td>").count(), 10);
    let r = get(&w.app, "/admin/audit?user=reviewer", &c).await;
    assert!(r.body.contains("共 1 条") && r.body.contains(">发布</td>"));
    let r = get(&w.app, "/admin/audit?from=2025-03-05&to=2025-03-07", &c).await;
    assert!(r.body.contains("共 1 条"), "{}", r.body);
    let r = get(&w.app, "/admin/audit?to=2025-03-03", &c).await;
    assert!(r.body.contains("共 60 条"));
    let r = get(&w.app, "/admin/audit?from=2025-13-01", &c).await;
    assert!(r.body.contains("格式不对"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_person_action_and_date_and_paged() {
    audit_log_filters_and_pages_on(gongkai_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_person_action_and_date_and_paged_on_postgres() {
    audit_log_filters_and_pages_on(gongkai_store::Backend::Postgres).await;
}

#[tokio::test]
async fn publishing_tells_the_officer_which_attachment_was_indexed_without_its_text() {
    let w = world().await;
    let index = std::sync::Arc::new(gongkai_search::Index::in_memory().unwrap());
    let app = app(AppState::new(w.t.db.clone(), Config::default())
        .with_search(index.clone())
        .with_clock(FixedClock(
            Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap(),
        )));
    // Attachments are added to a draft; an item under review is not changed in place.
    let id = insert_item(&w.t.db, w.organ, "招生工作方案", ItemStatus::Draft, None).await;
    let (ec, ecsrf) = login(&app, "editor").await;
    let path = format!("/admin/items/{id}/attachments");
    // A DOCX that is no zip archive: accepted as an upload, unreadable for the index.
    let r = upload(
        &app,
        &path,
        &ec,
        &ecsrf,
        "实施细则.docx",
        b"PK\x03\x04 broken",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(
        &app,
        &format!("/admin/items/{id}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "submit")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (rc, rcsrf) = login(&app, "reviewer").await;
    let r = post(
        &app,
        &format!("/admin/items/{id}/transition"),
        &rc,
        &[("csrf", &rcsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = get(&app, &r.location, &rc).await;
    assert!(
        page.body
            .contains("附件《实施细则.docx》的文字未能提取（DOCX 文件无法打开（不是有效的 zip 文件）），已按标题收录检索"),
        "{}",
        page.body
    );
    // Shown once, as every flash message.
    let again = get(&app, &r.location, &rc).await;
    assert!(!again.body.contains("未能提取"));
    // The item is findable by its title all the same.
    let hits = index
        .search(&gongkai_search::Query::new("招生工作方案"))
        .unwrap();
    assert!(hits.hits.iter().any(|h| h.title == "招生工作方案"));
    w.t.cleanup().await;
}
#[path = "web_accounts/mod.rs"]
mod accounts;
#[path = "web_daily/mod.rs"]
mod daily;
#[path = "web_inspect/mod.rs"]
mod inspect;
#[path = "web_instances/mod.rs"]
mod instances;
#[path = "web_office/mod.rs"]
mod office;
