//! `gongkai audit` as a user runs it: the JSON says per report how each table was read
//! (`"read": {"二": "exact", "三": "partial", …}`), for one file and for a folder (the batch), and
//! the human output and the batch summary say it in words.

mod common;

use common::Env;
use gongkai_domain::report::layout::{ROW_DISCLOSED, TABLE_3};

/// The sample report of `year` as our HTML page; `uncertain`: one row of table 三 given a value
/// more than the table has columns, so the reader cannot vouch for that row.
fn page(year: i32, uncertain: bool) -> String {
    let r = gongkai_render::sample::report(year);
    let html = gongkai_render::html::report_page(&r);
    if !uncertain {
        return html;
    }
    let label = format!("{ROW_DISCLOSED}</th>");
    let at = html.find(&label).expect("the row's label") + label.len();
    format!("{}<td>9</td>{}", &html[..at], &html[at..])
}

fn reads(json: &serde_json::Value, i: usize) -> serde_json::Value {
    json["reports"][i]["read"].clone()
}

#[test]
fn the_json_says_how_each_table_was_read_for_one_file_and_a_batch() {
    let env = Env::new("audit-read");
    let exact = env.dir.join("a-2021.html");
    std::fs::write(&exact, page(2021, false)).unwrap();
    let out = env.ok(&["audit", "--json", exact.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        reads(&json, 0),
        serde_json::json!({"二": "exact", "三": "exact", "四": "exact"})
    );

    // A folder: the batch's JSON carries the same field on each report.
    let dir = env.dir.join("batch");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a-2021.html"), page(2021, false)).unwrap();
    std::fs::write(dir.join("b-2022.html"), page(2022, true)).unwrap();
    let out = env.ok(&["audit", "--json", dir.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["reports"].as_array().map(Vec::len), Some(2));
    assert_eq!(reads(&json, 0)["三"], "exact");
    assert_eq!(
        reads(&json, 1),
        serde_json::json!({"二": "exact", "三": "partial", "四": "exact"})
    );
    // The row left out is named in a READ finding on table 三, and not read as anything.
    let b = &json["reports"][1];
    assert!(
        b["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "READ" && f["where"] == TABLE_3),
        "{b}"
    );

    // In words: per report, and in the batch summary.
    let text = env.ok(&["audit", dir.to_str().unwrap()]);
    assert!(
        text.contains("读取：表二完整读出，表三部分读出，表四完整读出"),
        "{text}"
    );
    let summary = text.split("══ 汇总").nth(1).expect("a summary");
    assert!(summary.contains("读取"), "{summary}");
    assert!(summary.contains("表三部分读出"), "{summary}");
    assert!(summary.contains("完整"), "{summary}");
}
