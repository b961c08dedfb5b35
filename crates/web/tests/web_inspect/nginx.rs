//! The 政府信息公开 column behind a real nginx serving the host site's page around it (issue 36's
//! "tried with nginx"), as `scripts/embed` runs it: the host's own page at `/`, the column at
//! `/xxgk/` with the host's header and footer, its catalogue, an item, its style sheet, every
//! link of ours kept under `/xxgk/`, and the online application posted through the proxy.
//! Runs when nginx is installed (Debian `nginx-light`); otherwise says so and passes, so CI on a
//! fresh machine stays green.

use super::*;
use gongkai_web::inspect::Answer;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn nginx() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// One HTTP/1.1 request on `port` (GET when `body` is `None`, else a form POST).
async fn http(port: u16, path: &str, cookie: &str, body: Option<&str>) -> Answer {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut req = format!(
        "{} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n",
        if body.is_some() { "POST" } else { "GET" }
    );
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Origin: http://127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{b}",
            b.len()
        ));
    } else {
        req.push_str("\r\n");
    }
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    gongkai_web::inspect::parse_answer(&raw).unwrap()
}

fn header_of<'a>(a: &'a Answer, name: &str) -> Vec<&'a str> {
    a.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The links of a page that stay on the site (`href="/…"`, `src="/…"`, `action="/…"`).
fn site_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in [" href=\"/", " src=\"/", " action=\"/"] {
        for (i, _) in html.match_indices(key) {
            let rest = &html[i + key.len() - 1..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx's configuration, as `scripts/embed` writes it, with its files kept in `dir`.
fn config(dir: &Path, host_dir: &Path, listen: u16, upstream: u16, root: bool) -> String {
    let d = dir.display();
    format!(
        "{user}worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  types {{ text/html html; text/css css; }}\n\
         client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         server {{\n    listen 127.0.0.1:{listen};\n    root {host};\n\
         location = / {{ try_files /index.html =404; }}\n    location = /host.css {{ }}\n\
         location /xxgk/ {{\n      proxy_pass http://127.0.0.1:{upstream};\n\
         proxy_set_header Host $host:$server_port;\n      client_max_body_size 10m;\n    }}\n  }}\n}}\n",
        user = if root { "user root;\n" } else { "" },
        host = host_dir.display(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_column_works_behind_nginx_inside_the_host_page() {
    let Some(nginx) = nginx() else {
        println!("skipped: nginx is not installed (Debian package nginx-light)");
        return;
    };
    let host_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/embed-host");
    let host_dir = host_dir.canonicalize().unwrap();
    let read = |f: &str| std::fs::read_to_string(host_dir.join(f)).unwrap();
    let config_web = Config {
        embed: Some(std::sync::Arc::new(gongkai_web::embed::Embed {
            base_path: "/xxgk".into(),
            host_header: read("header.html"),
            host_footer: read("footer.html"),
        })),
        ..Config::default()
    };
    let w = world_with(gongkai_store::Backend::Sqlite, config_web).await;
    let item = insert_item(
        &w.t.db,
        w.organ,
        "灵武市义务教育阶段学校招生入学工作方案",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 3, 3),
    )
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap().port();
    let router = w.app.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let dir = std::env::temp_dir().join(format!("gongkai-nginx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // nginx started by root hands its workers to `nobody` unless told otherwise; they must
    // write the temporary files of large answers in `dir`.
    let probe = dir.join("probe");
    std::fs::write(&probe, b"").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    let port = free_port();
    std::fs::write(
        dir.join("nginx.conf"),
        config(&dir, &host_dir, port, upstream, root),
    )
    .unwrap();
    let mut child = std::process::Command::new(&nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-e")
        .arg(dir.join("error.log"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let log = || std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
    assert!(up, "nginx did not start: {}", log());

    // The host's own page, and its link to the column.
    let host = http(port, "/", "", None).await;
    assert_eq!(host.status, 200, "{}", host.body);
    assert!(host.body.contains("灵武市人民政府门户网站") && host.body.contains("href=\"/xxgk/\""));
    // The column, inside the host's header and footer; our links stay under /xxgk/.
    let home = http(port, "/xxgk/", "", None).await;
    assert_eq!(home.status, 200, "{}", home.body);
    let b = &home.body;
    assert!(b.contains("host-top") && b.contains("host-bottom"), "{b}");
    assert!(b.find("host-top").unwrap() < b.find("<main").unwrap());
    let host_links = site_links(&read("header.html"))
        .into_iter()
        .chain(site_links(&read("footer.html")))
        .collect::<Vec<_>>();
    let mut pages = vec![
        "/xxgk/".to_string(),
        format!("/xxgk/o/{}", w.organ),
        format!("/xxgk/o/{}/catalogue", w.organ),
        format!("/xxgk/items/{item}"),
    ];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(p) = pages.pop() {
        if !seen.insert(p.clone()) || seen.len() > 40 {
            continue;
        }
        let a = http(port, &p, "", None).await;
        assert!(
            a.status == 200 || a.status == 303,
            "{p} through nginx: {}",
            a.status
        );
        for l in site_links(&a.body) {
            assert!(
                l.starts_with("/xxgk/") || host_links.contains(&l),
                "{p} links outside the column: {l}"
            );
            if a.status == 200 && pages.len() < 200 && l.contains(&format!("/o/{}", w.organ)) {
                pages.push(l.replace("&#38;", "&").replace("&amp;", "&"));
            }
        }
    }
    let item_page = http(port, &format!("/xxgk/items/{item}"), "", None).await;
    assert!(
        item_page
            .body
            .contains("灵武市义务教育阶段学校招生入学工作方案")
    );
    // Static assets through the proxy.
    let css = http(port, "/xxgk/static/style.css", "", None).await;
    assert_eq!(css.status, 200);
    assert!(header_of(&css, "content-type")[0].starts_with("text/css"));
    assert!(css.body.len() > 1000, "the whole style sheet");
    let host_css = http(port, "/host.css", "", None).await;
    assert_eq!(host_css.status, 200, "the host's own style sheet");

    // The online application, posted through nginx: Post/Redirect/Get keeps the prefix.
    let path = format!("/xxgk/o/{}/apply", w.organ);
    let form = http(port, &path, "", None).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains(&format!("action=\"{path}\"")),
        "{}",
        form.body
    );
    let cookie = header_of(&form, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("gk_form="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("form cookie");
    let fields = [
        ("csrf", csrf_of(&form.body)),
        ("once", hidden(&form.body, "once")),
        ("applicant_type", "natural_person".into()),
        ("name", "王五".into()),
        ("id_kind", "resident_id".into()),
        ("id_number", "640181199001011232".into()),
        ("phone", "13900003333".into()),
        ("address", "灵武市东塔镇1号".into()),
        ("description", "2024年义务教育招生计划".into()),
        ("form", "电子文档".into()),
    ];
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let r = http(port, &path, &cookie, Some(&body)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = header_of(&r, "location")[0].to_string();
    assert!(to.starts_with("/xxgk/apply/receipt?code="), "{to}");
    let receipt = http(port, &to, "", None).await;
    assert_eq!(receipt.status, 200);
    assert!(receipt.body.contains("2025-0001"), "{}", receipt.body);
    assert_eq!(
        w.t.db
            .applications(Some(w.organ), None)
            .await
            .unwrap()
            .len(),
        1
    );

    let _ = child.kill();
    let _ = child.wait();
    server.abort();
    let errors = log();
    assert!(
        !errors.contains("[crit]") && !errors.contains("[error]"),
        "{errors}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    w.t.cleanup().await;
}
