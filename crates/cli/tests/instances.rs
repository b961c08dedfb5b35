//! Two `gongkai serve` processes on one PostgreSQL database (issue 19): what is published on
//! one, or imported from the command line, is found by search and listed in the catalogue of
//! both within 2 seconds; a withdrawal disappears likewise; a session made on one works on the
//! other; a job enqueued twice runs once and jobs are never taken twice; killing one instance
//! mid-request leaves the other serving and loses no committed write.
//!
//! Real processes on real ports (18301, 18302), talked to over TCP. Needs PostgreSQL: skipped,
//! with a message, when `GONGKAI_TEST_PG_URL` is not set (CI and `scripts/test` set it).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Correct-Horse-42";
const BUREAU: &str = "11640181MB1912004K";
const PORT_A: u16 = 18301;
const PORT_B: u16 = 18302;
/// How long a change made anywhere may take to show on every instance.
const WITHIN: Duration = Duration::from_secs(2);

// ------------------------------------------------------------------------ a tiny HTTP client

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `name=value` pair of a cookie set by this answer.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.split(';').next().unwrap_or("").to_string())
            .find(|c| c.starts_with(&format!("{name}=")))
    }
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

/// The request's bytes: a GET without `form`, else a form POST.
fn request(port: u16, path: &str, cookie: &str, form: Option<&[(&str, &str)]>) -> Vec<u8> {
    let mut r = format!(
        "{} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n",
        if form.is_some() { "POST" } else { "GET" }
    );
    if !cookie.is_empty() {
        r.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    let body = form
        .unwrap_or(&[])
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    if form.is_some() {
        r.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        r.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    r.push_str("\r\n");
    r.push_str(&body);
    r.into_bytes()
}

fn send(port: u16, bytes: &[u8]) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.write_all(bytes)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse(&raw).ok_or_else(|| std::io::Error::other("malformed answer"))
}

fn parse(raw: &[u8]) -> Option<Resp> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n")?;
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(rest.get(nl + 2..nl + 2 + size)?);
            rest = rest.get(nl + 4 + size..)?;
        }
        body = out;
    }
    Some(Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn get(port: u16, path: &str, cookie: &str) -> Resp {
    send(port, &request(port, path, cookie, None))
        .unwrap_or_else(|e| panic!("GET {path} on {port}: {e}"))
}

fn post(port: u16, path: &str, cookie: &str, form: &[(&str, &str)]) -> Resp {
    send(port, &request(port, path, cookie, Some(form)))
        .unwrap_or_else(|e| panic!("POST {path} on {port}: {e}"))
}

fn csrf_of(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("page has a form token") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// Logs in on `port`; returns the session cookie.
fn login(port: u16, user: &str) -> String {
    let page = get(port, "/login", "");
    let form = page.cookie("gk_form").expect("form cookie");
    let r = post(
        port,
        "/login",
        &form,
        &[
            ("csrf", &csrf_of(&page.body)),
            ("username", user),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 303, "login: {}", r.body);
    r.cookie("gk_session").expect("session cookie")
}

// ------------------------------------------------------------------------------ processes

fn gongkai(dir: &Path, url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.current_dir(dir)
        .env("GONGKAI_DATABASE_URL", url)
        .env("GONGKAI_PASSWORD", PASSWORD)
        .env("USER", "测试员")
        .env_remove("RUST_BACKTRACE");
    c
}

fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let o = gongkai(dir, url)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        o.status.success(),
        "gongkai {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A running `gongkai serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(dir: &Path, url: &str, port: u16) -> Server {
        Server::start_with(dir, url, port, &[])
    }

    /// With more environment variables (a replica's address).
    fn start_with(dir: &Path, url: &str, port: u16, vars: &[(&str, &str)]) -> Server {
        let log = dir.join(format!("serve-{port}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = gongkai(dir, url)
            .envs(vars.iter().copied())
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--index-dir",
                &format!("index-{port}"),
                "--page-cache-seconds",
                "30",
            ])
            .stdout(Stdio::null())
            .stderr(out)
            .spawn()
            .expect("serve starts");
        let s = Server { child, port, log };
        let t = Instant::now();
        while send(port, &request(port, "/", "", None))
            .map(|r| r.status)
            .ok()
            != Some(200)
        {
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "instance on {port} not up: {}",
                s.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        s
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls `check` until it holds or `limit` has passed; true when it held.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    loop {
        if check() {
            return true;
        }
        if t.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn lists(port: u16, path: &str, item: i64) -> bool {
    get(port, path, "")
        .body
        .contains(&format!("href=\"/items/{item}\""))
}

// ---------------------------------------------------------------------------------- test

#[test]
fn two_instances_on_one_postgresql_database_agree_within_two_seconds() {
    if !postgres_or_skip("two_instances_on_one_postgresql_database_agree_within_two_seconds") {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let t = rt.block_on(gongkai_store::testing::TestDb::postgres());
    let db = t.db.clone();
    let url = t.url.clone();
    let (dir, organ) = demo_with_admin("instances", &rt, &db, &url);

    let category = rt
        .block_on(db.categories(organ.id))
        .unwrap()
        .into_iter()
        .find(|c| c.name == "公示公告")
        .expect("category 公示公告");
    let catalogue = format!("/o/{}/catalogue", organ.id);

    let mut a = Server::start(&dir, &url, PORT_A);
    let b = Server::start(&dir, &url, PORT_B);
    // Each instance built its own index at start-up from the demo's records.
    for s in [&a, &b] {
        assert!(
            within(Duration::from_secs(120), || {
                get(s.port, "/search?q=%E5%AD%A6%E7%94%9F%E8%B5%84%E5%8A%A9", "")
                    .body
                    .contains("href=\"/items/")
            }),
            "instance on {} built no index: {}",
            s.port,
            s.log()
        );
        // The catalogue page is now in the instance's page cache (30 s).
        assert_eq!(get(s.port, &catalogue, "").status, 200);
    }

    // A session made on A works on B.
    let session = login(PORT_A, "admin");
    let on_b = get(PORT_B, "/admin", &session);
    assert_eq!(on_b.status, 200, "the session of A is refused by B");
    let csrf = csrf_of(&on_b.body);
    assert_eq!(csrf, csrf_of(&get(PORT_A, "/admin", &session).body));

    // Published through A: found and listed by A and B within 2 seconds.
    let title = "多实例同步测试通知";
    let organ_id = organ.id.to_string();
    let category_id = category.id.to_string();
    let created = post(
        PORT_A,
        "/admin/items",
        &session,
        &[
            ("csrf", &csrf),
            ("organ", &organ_id),
            ("title", title),
            ("category", &category_id),
            ("summary", "两个实例共用一个数据库"),
            ("written_on", "2026-01-05"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let item: i64 = created
        .header("location")
        .and_then(|l| l.rsplit('/').next())
        .and_then(|n| n.parse().ok())
        .expect("redirect to the new item");
    for action in ["submit", "publish"] {
        let r = post(
            PORT_A,
            &format!("/admin/items/{item}/transition"),
            &session,
            &[("csrf", &csrf), ("action", action)],
        );
        assert_eq!(r.status, 303, "{action}: {}", r.body);
    }
    let search = format!("/search?q={}", enc(title));
    for port in [PORT_A, PORT_B] {
        assert!(
            within(WITHIN, || lists(port, &search, item)
                && lists(port, &catalogue, item)),
            "the item published on A is not found and listed on {port} within 2 s"
        );
    }

    // Imported from the command line: likewise on both.
    let csv = dir.join("items.csv");
    // Published today (Beijing), so that it heads the catalogue's first page above the living
    // demo's recent items.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    std::fs::write(
        &csv,
        format!(
            "机关,标题,栏目,内容概述,发布日期,状态\n{BUREAU},命令行导入的多实例文件,公示公告,导入,{today},已发布\n"
        ),
    )
    .unwrap();
    ok(&dir, &url, &["import", "catalogue", csv.to_str().unwrap()]);
    let imported = rt
        .block_on(db.items(organ.id))
        .unwrap()
        .into_iter()
        .find(|i| i.title == "命令行导入的多实例文件")
        .expect("imported item")
        .id;
    let search_imported = format!("/search?q={}", enc("命令行导入的多实例文件"));
    for port in [PORT_A, PORT_B] {
        assert!(
            within(WITHIN, || lists(port, &search_imported, imported)
                && lists(port, &catalogue, imported)),
            "the imported item is not found and listed on {port} within 2 s"
        );
    }

    // Withdrawn through B: gone from both within 2 seconds.
    let r = post(
        PORT_B,
        &format!("/admin/items/{item}/transition"),
        &session,
        &[("csrf", &csrf), ("action", "withdraw")],
    );
    assert_eq!(r.status, 303, "withdraw: {}", r.body);
    for port in [PORT_A, PORT_B] {
        assert!(
            within(WITHIN, || !lists(port, &search, item)
                && !lists(port, &catalogue, item)),
            "the withdrawn item is still found or listed on {port} after 2 s"
        );
    }

    // A job enqueued twice runs once; twenty jobs taken by two workers are each run once.
    let now = chrono::Utc::now();
    for _ in 0..2 {
        rt.block_on(db.enqueue_job("prune_changes", "prune_changes:twice", "", now, now))
            .unwrap();
    }
    for n in 0..20 {
        let key = format!("prune_changes:many-{n}");
        rt.block_on(db.enqueue_job("prune_changes", &key, "", now, now))
            .unwrap();
    }
    let ours = |j: &gongkai_store::changes::Job| {
        j.key == "prune_changes:twice" || j.key.starts_with("prune_changes:many-")
    };
    assert!(
        within(Duration::from_secs(30), || {
            let jobs = rt.block_on(db.jobs(None, 1000)).unwrap();
            jobs.iter().filter(|j| ours(j)).all(|j| j.state == "done")
        }),
        "jobs not done within 30 s"
    );
    let jobs: Vec<_> = rt
        .block_on(db.jobs(None, 1000))
        .unwrap()
        .into_iter()
        .filter(ours)
        .collect();
    assert_eq!(jobs.len(), 21, "the job enqueued twice is one job");
    for j in &jobs {
        assert_eq!(j.attempts, 1, "job {} ran {} times", j.key, j.attempts);
    }
    let page = get(PORT_B, "/admin/jobs", &session);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("prune_changes:twice") && page.body.contains("已完成"));

    // Kill -9 A while it is writing: B keeps serving, and every write A acknowledged is there.
    let (tx, rx) = std::sync::mpsc::channel::<i64>();
    let (s2, c2, o2) = (session.clone(), csrf.clone(), organ_id.clone());
    let cat2 = category_id.clone();
    let writer = std::thread::spawn(move || {
        for n in 0.. {
            let title = format!("中断测试草稿{n}");
            let req = request(
                PORT_A,
                "/admin/items",
                &s2,
                Some(&[
                    ("csrf", c2.as_str()),
                    ("organ", o2.as_str()),
                    ("title", title.as_str()),
                    ("category", cat2.as_str()),
                    ("written_on", "2026-01-07"),
                ]),
            );
            match send(PORT_A, &req) {
                Ok(r) if r.status == 303 => {
                    let id = r
                        .header("location")
                        .and_then(|l| l.rsplit('/').next())
                        .and_then(|n| n.parse().ok())
                        .unwrap();
                    if tx.send(id).is_err() {
                        return;
                    }
                }
                _ => return, // A is gone
            }
        }
    });
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 5 {
        acknowledged.push(rx.recv_timeout(Duration::from_secs(30)).expect("A writes"));
    }
    a.kill();
    writer.join().unwrap();
    acknowledged.extend(rx.try_iter());
    assert_eq!(get(PORT_B, "/", "").status, 200, "B stopped serving");
    for id in &acknowledged {
        let r = get(PORT_B, &format!("/admin/items/{id}"), &session);
        assert_eq!(r.status, 200, "item {id}, acknowledged by A, is lost");
    }
    let written = rt
        .block_on(db.items(organ.id))
        .unwrap()
        .into_iter()
        .filter(|i| i.title.starts_with("中断测试草稿"))
        .count();
    assert!(
        written == acknowledged.len() || written == acknowledged.len() + 1,
        "{written} drafts written, {} acknowledged (at most the one in flight may be unacknowledged)",
        acknowledged.len()
    );
    // B still follows changes once A is gone.
    let r = post(
        PORT_B,
        &format!("/admin/items/{imported}/transition"),
        &session,
        &[("csrf", &csrf), ("action", "withdraw")],
    );
    assert_eq!(r.status, 303, "withdraw on B: {}", r.body);
    assert!(within(WITHIN, || !lists(PORT_B, &catalogue, imported)));

    drop(b);
    drop(a);
    let _ = std::fs::remove_dir_all(&dir);
    rt.block_on(t.cleanup());
}

// ------------------------------------------------------------------------- a read-only replica

const PORT_R: u16 = 18303;

/// Resumes the replica's replay when dropped (a failed assertion must not leave it paused).
struct Paused(String);

impl Paused {
    fn pause(rt: &tokio::runtime::Runtime, replica: &gongkai_store::Db, url: &str) -> Paused {
        use gongkai_store::testing::{execute, texts};
        rt.block_on(execute(replica, "SELECT pg_wal_replay_pause()"));
        assert!(
            within(Duration::from_secs(10), || rt.block_on(texts(
                replica,
                "SELECT pg_get_wal_replay_pause_state()"
            )) == ["paused"]),
            "the replica's replay does not pause"
        );
        Paused(url.to_string())
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        let url = self.0.clone();
        // A connection and a runtime of its own: drop may run while the test unwinds.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let db = gongkai_store::Db::connect_replica(&url).unwrap();
                gongkai_store::testing::execute(&db, "SELECT pg_wal_replay_resume()").await;
                db.close().await;
            })
        })
        .join();
    }
}

/// `gongkai serve` with a read-only replica (`GONGKAI_REPLICA_URL`): anonymous public pages are
/// read from it, an officer reads their own write at once, anonymous visitors see a change
/// before the replica has replayed it (read from the primary meanwhile) and the replica serves
/// again once it has. With `GONGKAI_TEST_PG_REPLICA_URL` (a streaming replica of the server of
/// `GONGKAI_TEST_PG_URL`, see `scripts/pg-replica`) the replica is real and its replay is paused
/// to tell where a page was read from; without it the "replica" is a read-only pool on the
/// primary's database (every public page still works through it: none writes).
#[test]
fn public_pages_are_read_from_a_replica_and_writers_read_their_writes() {
    use gongkai_store::testing::{execute, replace_db_name, texts};
    if !postgres_or_skip("public_pages_are_read_from_a_replica_and_writers_read_their_writes") {
        return;
    }
    let real = std::env::var("GONGKAI_TEST_PG_REPLICA_URL").ok();
    if real.is_none() {
        eprintln!(
            "public_pages_are_read_from_a_replica…: GONGKAI_TEST_PG_REPLICA_URL is not set; \
             the replica is a read-only pool on the primary (scripts/pg-replica makes a real one)"
        );
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let t = rt.block_on(gongkai_store::testing::TestDb::postgres());
    let db = t.db.clone();
    let url = t.url.clone();
    let name = url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let replica_url = match &real {
        Some(r) => replace_db_name(r, &name),
        None => url.clone(),
    };
    let (dir, organ) = demo_with_admin("replica", &rt, &db, &url);
    let item = rt
        .block_on(db.items(organ.id))
        .unwrap()
        .into_iter()
        .find(|i| i.status == gongkai_domain::records::ItemStatus::Published)
        .expect("a published demo item");
    let category = rt
        .block_on(db.categories(organ.id))
        .unwrap()
        .into_iter()
        .find(|c| c.name == "公示公告")
        .expect("category 公示公告");
    // The test's own look at the replica (read-only too).
    let replica = {
        let _in = rt.enter(); // the pool connects lazily, from the runtime
        gongkai_store::Db::connect_replica(&replica_url).unwrap()
    };
    assert!(
        within(Duration::from_secs(60), || rt
            .block_on(replica.find_organ(BUREAU))
            .ok()
            .flatten()
            .is_some()),
        "the replica never had the demo data"
    );

    // A replica beside SQLite is refused with a clear message.
    let sqlite = format!("sqlite://{}", dir.join("x.db").display());
    let o = gongkai(&dir, &sqlite)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:18309",
            "--replica-url",
            &replica_url,
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("仅用于 PostgreSQL"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let s = Server::start_with(&dir, &url, PORT_R, &[("GONGKAI_REPLICA_URL", &replica_url)]);
    // Anonymous page addresses are made unique, so no answer comes from the page cache.
    let mut n = 0;
    let mut anonymous = |path: &str| {
        n += 1;
        let sep = if path.contains('?') { '&' } else { '?' };
        get(PORT_R, &format!("{path}{sep}n={n}"), "")
    };
    // Every anonymous public page works through the read-only pool (when it has caught up).
    let o = organ.id;
    for path in [
        "/".to_string(),
        "/sitemap".into(),
        format!("/o/{o}"),
        format!("/o/{o}/guide"),
        format!("/o/{o}/catalogue"),
        format!("/o/{o}/notices"),
        format!("/o/{o}/double"),
        format!("/o/{o}/reports"),
        format!("/o/{o}/letters"),
        format!("/items/{}", item.id),
        "/feed.xml".into(),
        "/sitemap.xml".into(),
        "/search?q=%E5%AD%A6%E7%94%9F%E8%B5%84%E5%8A%A9".into(),
    ] {
        let r = anonymous(&path);
        assert_eq!(r.status, 200, "{path}: {}\n{}", r.body, s.log());
    }
    // The server reads through its replica pool, named in pg_stat_activity. (Without a real
    // replica the test's own read-only pool is closed first and the primary's activity read.)
    let probe = if real.is_some() {
        &replica
    } else {
        rt.block_on(replica.close());
        &db
    };
    let backends = rt.block_on(texts(
        probe,
        &format!(
            "SELECT application_name FROM pg_stat_activity WHERE datname = '{name}' \
             AND application_name = 'gongkai-replica' AND pid <> pg_backend_pid()"
        ),
    ));
    assert!(
        !backends.is_empty(),
        "no replica connection from the server"
    );

    let session = login(PORT_R, "admin");
    let csrf = csrf_of(&get(PORT_R, "/admin", &session).body);
    let page = format!("/items/{}", item.id);
    let paused = real
        .as_ref()
        .map(|_| Paused::pause(&rt, &replica, &replica_url));
    if paused.is_some() {
        // A change behind the change feed's back (so no one knows the replica is behind): the
        // officer sees it, anonymous visitors see the replica's page.
        rt.block_on(execute(
            &db,
            &format!(
                "UPDATE catalogue_items SET title = '复制暂停时改的标题' WHERE id = {}",
                item.id
            ),
        ));
        assert!(
            get(PORT_R, &page, &session)
                .body
                .contains("复制暂停时改的标题")
        );
        let r = anonymous(&page);
        assert!(
            r.body.contains(&item.title) && !r.body.contains("复制暂停时改的标题"),
            "the anonymous page was not read from the replica"
        );
    }

    // An officer publishes: they read it at once; anonymous visitors read it within 2 seconds
    // (from the primary while the replica is behind, here paused).
    let created = post(
        PORT_R,
        "/admin/items",
        &session,
        &[
            ("csrf", &csrf),
            ("organ", &organ.id.to_string()),
            ("title", "只读副本测试通知"),
            ("category", &category.id.to_string()),
            ("summary", "副本"),
            ("written_on", "2026-01-05"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    assert!(
        created.cookie("gk_primary").is_some(),
        "the writer is not sent to the primary"
    );
    let new_item: i64 = created
        .header("location")
        .and_then(|l| l.rsplit('/').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    for action in ["submit", "publish"] {
        let r = post(
            PORT_R,
            &format!("/admin/items/{new_item}/transition"),
            &session,
            &[("csrf", &csrf), ("action", action)],
        );
        assert_eq!(r.status, 303, "{action}: {}", r.body);
    }
    let new_page = format!("/items/{new_item}");
    let mine = get(PORT_R, &new_page, &session);
    assert!(mine.status == 200 && mine.body.contains("只读副本测试通知"));
    assert!(
        within(WITHIN, || anonymous(&new_page).status == 200),
        "anonymous visitors do not see the published item within 2 s"
    );
    if let Some(paused) = paused {
        // Read from the primary: the change made behind the feed's back shows too.
        assert!(anonymous(&page).body.contains("复制暂停时改的标题"));
        // The replica has not replayed the item: it was not where that page came from.
        assert!(
            rt.block_on(replica.items(organ.id))
                .unwrap()
                .iter()
                .all(|i| i.id != new_item)
        );
        drop(paused);
        assert!(
            within(Duration::from_secs(10), || rt
                .block_on(replica.items(organ.id))
                .unwrap()
                .iter()
                .any(|i| i.id == new_item)),
            "the replica does not replay"
        );
        // Caught up, the replica serves anonymous pages again: paused once more, it shows the
        // title it has replayed, not one changed on the primary since.
        std::thread::sleep(Duration::from_millis(500));
        let paused = Paused::pause(&rt, &replica, &replica_url);
        rt.block_on(execute(
            &db,
            &format!(
                "UPDATE catalogue_items SET title = '第三个标题' WHERE id = {}",
                item.id
            ),
        ));
        let r = anonymous(&page);
        assert!(
            r.body.contains("复制暂停时改的标题") && !r.body.contains("第三个标题"),
            "anonymous pages are not read from the replica once it has caught up"
        );
        assert!(get(PORT_R, &page, &session).body.contains("第三个标题"));
        drop(paused);
    }
    drop(s);
    rt.block_on(replica.close());
    let _ = std::fs::remove_dir_all(&dir);
    rt.block_on(t.cleanup());
}

/// A fresh folder for the instances' files, and the database at `url` loaded with the demo and
/// an administrator: the demo bureau.
fn demo_with_admin(
    tag: &str,
    rt: &tokio::runtime::Runtime,
    db: &gongkai_store::Db,
    url: &str,
) -> (std::path::PathBuf, gongkai_domain::records::Organ) {
    let dir = std::env::temp_dir().join(format!("gongkai-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ok(&dir, url, &["demo"]);
    ok(
        &dir,
        url,
        &["user", "add", "--username", "admin", "--role", "sysadmin"],
    );
    let organ = rt
        .block_on(db.find_organ(BUREAU))
        .unwrap()
        .expect("demo bureau");
    (dir, organ)
}

/// Whether `GONGKAI_TEST_PG_URL` names a PostgreSQL server; says the test `name` is skipped
/// when it does not.
fn postgres_or_skip(name: &str) -> bool {
    let set = std::env::var_os("GONGKAI_TEST_PG_URL").is_some();
    if !set {
        eprintln!(
            "SKIPPED {name}: GONGKAI_TEST_PG_URL is not set (it needs a PostgreSQL server; CI sets it)"
        );
    }
    set
}
