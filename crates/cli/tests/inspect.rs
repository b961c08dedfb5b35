//! `scripts/inspect` run as an office would, against the demo served on a local port at today's
//! date: it crawls the whole portal and prints the checklist; the living demo passes (no
//! 单项否决 item, exit code 0, what is left listed), and its count of empty columns is the
//! columns check's (`gongkai_app::columns`) over every organ it crawled: none.

mod common;

use common::Env;
use gongkai_app::{Actor, App, Time};
use gongkai_store::Db;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripts_inspect_checks_the_demo() {
    let env = Env::new("inspect");
    env.ok(&["demo"]);
    let db = Db::connect(&env.url).await.unwrap();
    let state = gongkai_web::AppState::new(db.clone(), gongkai_web::Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, gongkai_web::app(state))
            .await
            .unwrap();
    });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/inspect");
    let url = base.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(script)
            .arg(&url)
            .env("GONGKAI_BIN", env!("CARGO_BIN_EXE_gongkai"))
            .output()
            .expect("scripts/inspect runs")
    })
    .await
    .unwrap();
    server.abort();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{text}{}", String::from_utf8_lossy(&out.stderr));
    for item in [
        "首页更新",
        "网站标识",
        "适老化与无障碍",
        "链接可用性",
        "空白栏目",
        "栏目更新",
        "一级栏目",
        "年度报告",
        "网站年度报表",
    ] {
        assert!(
            text.contains(&format!("] {item}：")),
            "checklist item {item}:\n{text}"
        );
    }
    // The living demo passes: no 单项否决 item, exit code 0, and what is left is listed (each
    // 扣分 line counted in the verdict).
    assert!(!text.contains("[否决]"), "{text}");
    assert_eq!(out.status.code(), Some(0), "{text}");
    let deductions = text.lines().filter(|l| l.starts_with("[扣分] ")).count();
    assert!(
        text.contains(&format!("结论：无单项否决项；待改进 {deductions} 项。")),
        "{text}"
    );
    // The site's identity is the demo's, last year's 年度报表 is published, and no
    // column is stale or empty without a word.
    for item in [
        "网站标识",
        "网站年度报表",
        "空白栏目",
        "栏目更新",
        "首页更新",
    ] {
        assert!(
            text.contains(&format!("[通过] {item}：")),
            "{item}:\n{text}"
        );
    }
    // Every internal link of the demo works.
    assert!(text.contains("无错误链接"), "{text}");
    // The crawler's empty columns are the columns check's, over every organ.
    let app = App::new(db.clone(), Time::system());
    let op = Actor::Operator("测试".into());
    let mut empty = 0;
    for o in db.organs().await.unwrap() {
        let states = gongkai_app::columns::check(&app, &op, o.id).await.unwrap();
        empty += gongkai_app::columns::tally(&states).0;
    }
    let line = text
        .lines()
        .find(|l| l.contains("] 空白栏目："))
        .unwrap()
        .to_string();
    assert_eq!(empty, 0, "{line}");
    assert!(line.contains("没有未说明原因的空白栏目"), "{line}");
}
