//! Reports as organs really published them (see tests/corpus/real/SOURCES.md): no wrong cell
//! anywhere, organ, year and format right, every cell either right or under a READ finding.
//! The shares of cells read exactly and declared unreadable are printed per input kind
//! (`cargo test -p gongkai-audit --test real -- --nocapture`).
//!
//! The documents are public material found in other public repositories; SOURCES.md says where
//! each comes from and what the reader makes of each. The small text ones (HTML, Markdown,
//! crawler text) are committed beside their expected files and always read; the PDFs are not
//! committed: set `GONGKAI_REAL_CORPUS` to the folder holding them (file names as in
//! SOURCES.md), or they are skipped with a note.

use gongkai_domain::report::{Report, ReportSet, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn expected() -> Vec<(String, Report)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus/real")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read_to_string(&p).expect("read expected");
        let set: ReportSet = serde_json::from_str(&text).expect("expected json");
        let r = set.reports.into_iter().next().expect("one report");
        let file = r.source.clone().expect("source names the file");
        out.push((file, r));
    }
    out
}

#[derive(Default)]
struct Tally {
    files: usize,
    cells: usize,
    right: usize,
    left_out: usize,
    wrong: usize,
    /// Cells of the official layout for the tables present, and how many the reader gave.
    official: usize,
    official_read: usize,
}

#[test]
fn real_reports_never_give_a_wrong_cell() {
    let cases = expected();
    assert!(!cases.is_empty(), "no expected files");
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    let outside = std::env::var_os("GONGKAI_REAL_CORPUS").map(PathBuf::from);
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for (file, want) in &cases {
        let path = match &outside {
            _ if here.join(file).exists() => here.join(file),
            Some(dir) if dir.join(file).exists() => dir.join(file),
            Some(dir) => {
                problems.push(format!("{file}: missing from {}", dir.display()));
                continue;
            }
            None => {
                skipped.push(file.as_str());
                continue;
            }
        };
        let kind = file.rsplit('.').next().unwrap_or("").to_string();
        let mut got = match gongkai_audit::read_path(&path) {
            Ok(r) => vec![r],
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        gongkai_audit::check_all(&mut got);
        let got = &got[0];
        let t = tally.entry(kind).or_default();
        t.files += 1;
        if got.organ != want.organ || got.year != want.year || got.format != want.format {
            problems.push(format!(
                "{file}: read {} {} {} , want {} {} {}",
                got.organ, got.year, got.format, want.organ, want.year, want.format
            ));
        }
        for w in &want.cells {
            t.cells += 1;
            match got.cell(&w.table, &w.row, &w.column) {
                Some(g) if g.value == w.value => t.right += 1,
                Some(g) => {
                    t.wrong += 1;
                    problems.push(format!(
                        "{file}: wrong cell {}/{}/{}: read {:?}, document says {:?}",
                        w.table, w.row, w.column, g.value, w.value
                    ));
                }
                None => {
                    t.left_out += 1;
                    let named = got.findings.iter().any(|f| {
                        f.rule == gongkai_audit::parse::READ_RULE
                            && f.severity == Severity::Error
                            && f.location == w.table
                    });
                    if !named {
                        problems.push(format!(
                            "{file}: {}/{}/{} left out without a READ finding",
                            w.table, w.row, w.column
                        ));
                    }
                }
            }
        }
        // A cell read that the document does not have (a table it lacks) is wrong too.
        for g in &got.cells {
            if want.cell(&g.table, &g.row, &g.column).is_none() {
                t.wrong += 1;
                problems.push(format!(
                    "{file}: cell {}/{}/{} read but not in the document",
                    g.table, g.row, g.column
                ));
            }
        }
        // Cells of the official layout the document does not state on its own (a 2021 report
        // that kept the 2019 single row （六）其他处理): the reader must leave them out too.
        let official = gongkai_domain::report::layout::cell_keys(want.format)
            .into_iter()
            .filter(|(k, _)| want.has_table(k.table))
            .count();
        t.official += official;
        t.official_read += got.cells.len();
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &got.findings {
            *by_rule.entry(f.rule.as_str()).or_default() += 1;
        }
        println!(
            "{file}: {} {} {}; tables {:?}; findings {:?}",
            got.organ,
            got.year,
            got.format,
            gongkai_audit::table_reads(got)
                .iter()
                .map(|(t, r)| format!("{t}:{}", r.as_str()))
                .collect::<Vec<_>>(),
            by_rule
        );
    }
    println!(
        "kind   files  stated cells  exact   unreadable  wrong   official cells  declared unreadable"
    );
    // The input kinds of the issue: Markdown and crawler text are both "text".
    let mut text = Tally::default();
    for k in ["md", "txt"] {
        if let Some(t) = tally.get(k) {
            text.files += t.files;
            text.cells += t.cells;
            text.right += t.right;
            text.left_out += t.left_out;
            text.wrong += t.wrong;
            text.official += t.official;
            text.official_read += t.official_read.min(t.official);
        }
    }
    let mut rows: Vec<(String, &Tally)> = tally.iter().map(|(k, t)| (k.clone(), t)).collect();
    if text.files > 0 {
        rows.push(("text".to_string(), &text));
    }
    for (k, t) in rows {
        let pct = |n: usize| 100.0 * n as f64 / t.cells.max(1) as f64;
        let unread = t.official - t.official_read.min(t.official);
        println!(
            "{k:<6} {:>5}  {:>12}  {:>5.1}%  {:>9.1}%  {:>5}   {:>14}  {:>8} ({:.1}%)",
            t.files,
            t.cells,
            pct(t.right),
            pct(t.left_out),
            t.wrong,
            t.official,
            unread,
            100.0 * unread as f64 / t.official.max(1) as f64
        );
    }
    if !skipped.is_empty() {
        println!(
            "GONGKAI_REAL_CORPUS not set: not read {skipped:?} (see tests/corpus/real/SOURCES.md)"
        );
    }
    let organs: std::collections::BTreeSet<&str> =
        cases.iter().map(|(_, r)| r.organ.as_str()).collect();
    // Names as printed: 洪泽区人民政府 and 淮安市洪泽区人民政府 are one organ.
    println!("{} reports; organs as printed: {organs:?}", cases.len());
    assert!(
        tally.values().map(|t| t.files).sum::<usize>() >= 17,
        "the committed real reports were not read"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn read_committed(file: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/real")
        .join(file);
    let mut r = vec![gongkai_audit::read_path(&path).expect(file)];
    gongkai_audit::check_all(&mut r);
    r.pop().unwrap()
}

/// What the rules say of the committed real reports: no false error where the document leaves
/// cells blank or says "none lost", the real contradictions found.
#[test]
fn the_rules_on_real_reports() {
    let rules = |r: &Report| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.rule != "R6")
            .map(|f| format!("{} {} {}", f.rule, f.location, f.message))
            .collect()
    };
    // 上海市人民政府办公厅 2019: table 三's 总计 cells left blank were read as 0 and gave
    // "总计应为…，报告为 0" (R3); "均获维持" while table 四 shows 2 reviews and 1 suit pending.
    let r = read_committed("shanghai-office-2019.html");
    let found = rules(&r);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("R11 "), "{found:#?}");
    assert!(found[0].contains("均获维持") && found[0].contains("尚未审结2件"));
    // 上海市人民政府办公厅 2025: "未发生因依申请公开被行政复议纠错或行政诉讼败诉情形" is not "no review"
    // (once R11 ×2); table 二's rows, whose cells the extraction tool scattered, are left out and
    // named (once read as 规章 22/16/55, 行政规范性文件 29).
    let r = read_committed("shanghai-office-2025.md");
    let found = rules(&r);
    assert!(found.iter().all(|f| !f.starts_with("R11")), "{found:#?}");
    // Its heading 五、存在的主要问题及改进情况 was lost by the extraction tool, its text kept
    // ((一)2024 年工作中存在问题的改进情况 …): once a false R13 "缺少章节".
    assert!(found.iter().all(|f| !f.starts_with("R13")), "{found:#?}");
    assert!(
        r.text_of(gongkai_domain::report::layout::SECTION_PROBLEMS)
            .is_some_and(|t| t.contains("工作中存在的主要问题"))
    );
    assert_eq!(r.get("二", "规章", "本年废止件数"), None);
    assert!(r.cell("二", "行政规范性文件", "本年制发件数").is_none());
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("READ 二") && f.contains("规章"))
    );
    // 上海市科委 2024: its tables sit under headings numbered its own way; said plainly, and its
    // 2139 条 = 1744 + 393 + 21 + 2 (2160) found.
    let r = read_committed("shanghai-stcsm-2024.md");
    let reads: Vec<_> = gongkai_audit::table_reads(&r)
        .into_iter()
        .map(|(t, k)| format!("{t}:{}", k.as_str()))
        .collect();
    assert_eq!(reads, ["二:unreadable", "三:unreadable", "四:unreadable"]);
    assert!(
        rules(&r)
            .iter()
            .any(|f| f.starts_with("R16") && f.contains("2160"))
    );
}
