//! The invariants of ARCHITECTURE.md that review would otherwise have to catch, checked over the
//! source tree (rust-analyzer's `tidy` test in our manner): no SQL outside `store`; no store write
//! from a door (`web`, `cli`) except through `app`; no wall clock outside the one clock; no
//! `unreachable!` in production code; no production file over 1,000 lines and no function over
//! 120; test-only modules of `store` behind a feature.
//!
//! Production code is a crate's `src/` up to its `#[cfg(test)]` module; tests, benches and
//! examples are not checked. Where today's tree still breaks a rule, [`ALLOWED`] names the file,
//! why, and who removes it; an entry no longer needed fails the test too, so the list only
//! shrinks.
//!
//! Lives in `domain` because it is the lightest crate to build; it reads files only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    SqlOutsideStore,
    StoreWriteFromDoor,
    WallClock,
    Unreachable,
    LongFile,
    LongFunction,
    TestOnlyModule,
}

/// `(rule, file, why, who removes it)`.
const ALLOWED: &[(Rule, &str, &str, &str)] = &[
    // Writes that are not records and carry no audit row by design: sessions, the login
    // throttle, flash messages, rate-limit counters, the job queue and the feed's pruning.
    (
        Rule::StoreWriteFromDoor,
        "crates/web/src/auth.rs",
        "sessions, login throttle and flash messages are the server's own state, not records",
        "harden: move into an app::sessions use case if records ever depend on them",
    ),
    (
        Rule::StoreWriteFromDoor,
        "crates/web/src/ratelimit.rs",
        "rate-limit counters of anonymous requests (one upsert per request)",
        "stays: not a record",
    ),
    (
        Rule::StoreWriteFromDoor,
        "crates/web/src/jobs.rs",
        "the job queue (claim, finish, fail) and pruning the change feed",
        "stays: the worker's own bookkeeping",
    ),
    (
        Rule::StoreWriteFromDoor,
        "crates/cli/src/cmd/backup.rs",
        "`gongkai backup` copies the database (VACUUM INTO / pg_dump): not a record",
        "stays: the operator's tool",
    ),
    // Wall clocks that are not the installation's "now": stamps that only decide pruning, file
    // names, the age of tokens and sessions.
    (
        Rule::WallClock,
        "crates/app/src/audit.rs",
        "the change feed's stamp decides only when a row is pruned; a fixed clock must not age it",
        "stays (documented beside the call)",
    ),
    (
        Rule::WallClock,
        "crates/import/src/lib.rs",
        "the change feed's stamp of an import, as in app/src/audit.rs",
        "stays (documented beside the call)",
    ),
    (
        Rule::WallClock,
        "crates/web/src/jobs.rs",
        "the feed's retention is measured on the system clock its rows are stamped with",
        "stays",
    ),
    (
        Rule::WallClock,
        "crates/audit/src/lib.rs",
        "a temporary file's unique name",
        "stays: not a date",
    ),
    (
        Rule::WallClock,
        "crates/store/src/users.rs",
        "API tokens and sessions expire on the real clock",
        "harden: pass the time in from gongkai_app::Time",
    ),
    (
        Rule::WallClock,
        "crates/store/src/backup.rs",
        "the backup manifest's time taken",
        "stays: not a legal date",
    ),
    (
        Rule::WallClock,
        "crates/store/src/testing.rs",
        "a fresh test database's unique name",
        "stays: test-only, behind the `testing` feature",
    ),
    // Functions over 120 lines of production code (the line of `fn` to its closing brace).
    (
        Rule::LongFunction,
        "crates/audit/src/parse/mod.rs",
        "parse (the reader's entry: sections, tables, title)",
        "audit: named steps (issue 26)",
    ),
    (
        Rule::LongFunction,
        "crates/audit/src/parse/rows.rs",
        "read_rows",
        "audit: named steps (issue 26)",
    ),
    (
        Rule::LongFunction,
        "crates/audit/src/parse/unglue.rs",
        "unglue",
        "audit: named steps (issue 26)",
    ),
    (
        Rule::LongFunction,
        "crates/audit/src/parse/reread.rs",
        "reread_rows",
        "audit: named steps (issue 26)",
    ),
    (
        Rule::LongFunction,
        "crates/domain/src/application/reply.rs",
        "body (234 lines: one arm per outcome of table 三), missing",
        "next: one function per outcome",
    ),
    (
        Rule::LongFunction,
        "crates/search/src/lib.rs",
        "build_query, search",
        "next: the query's clauses as named steps",
    ),
    (
        Rule::LongFunction,
        "crates/domain/src/application/notice.rs",
        "build (one arm per kind of notice)",
        "next: one function per notice",
    ),
    (
        Rule::LongFunction,
        "crates/domain/src/application/workflow.rs",
        "apply (one arm per event)",
        "next: one function per event",
    ),
    (
        Rule::LongFunction,
        "crates/render/src/docx.rs",
        "finish (the package's parts)",
        "next: one function per part",
    ),
    (
        Rule::LongFunction,
        "crates/cli/src/cmd/application/steps.rs",
        "input (one arm per sub-command)",
        "next: each step sub-command its own Args with an `input` method",
    ),
    (
        Rule::LongFunction,
        "crates/domain/src/calendar/rows.rs",
        "year_from_rows",
        "next: named steps",
    ),
    (
        Rule::LongFunction,
        "crates/import/src/applications.rs",
        "parse_row (one column after another)",
        "next: named steps",
    ),
    (
        Rule::LongFunction,
        "crates/domain/src/application/next.rs",
        "next_steps (one rule per step)",
        "next: named steps",
    ),
];

/// The longest a production function may be, from its `fn` line to its closing brace.
const MAX_FUNCTION_LINES: usize = 120;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// A production source file: its path from the workspace root and its text up to its test
/// module.
struct Source {
    path: String,
    krate: String,
    text: String,
}

/// The production sources of every crate (`crates/*/src`), `bench` aside (benchmark programs).
fn sources() -> Vec<Source> {
    let root = root();
    let mut out = Vec::new();
    let mut crates: Vec<_> = std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    crates.sort();
    for c in crates {
        let krate = c.file_name().unwrap().to_string_lossy().to_string();
        if krate == "bench" {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&c.join("src"), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("source");
            let text = match text.find("\n#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let path = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let path = path.trim_start_matches("./").to_string();
            out.push(Source {
                path,
                krate: krate.clone(),
                text,
            });
        }
    }
    out
}

/// The code of a file without its comments (line comments and doc comments; block comments
/// are not used in this tree), one line per line.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let t = l.trim_start();
        if t.starts_with("//") {
            None
        } else {
            Some((i + 1, l))
        }
    })
}

/// Methods of `store::Db` that write (their body has an INSERT, UPDATE, DELETE or `execute`, or
/// opens its own transaction), found by reading `crates/store/src`; and those that only read.
fn db_methods(sources: &[Source]) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut writes = BTreeSet::new();
    let mut reads = BTreeSet::new();
    for s in sources.iter().filter(|s| s.krate == "store") {
        let mut in_db = false;
        let mut current: Option<(String, String)> = None;
        let mut finish = |c: Option<(String, String)>| {
            if let Some((name, body)) = c {
                let write = ["INSERT INTO", "DELETE FROM", "execute(", "self.begin"]
                    .iter()
                    .any(|k| body.contains(k))
                    || (body.contains("UPDATE ") && body.contains(" SET "));
                if write {
                    writes.insert(name);
                } else {
                    reads.insert(name);
                }
            }
        };
        for line in s.text.lines() {
            if line.starts_with("impl ") {
                finish(current.take());
                in_db = line.starts_with("impl Db {");
                continue;
            }
            let t = line.trim_start();
            if line.starts_with("    ") && !line.starts_with("     ") && t.contains("fn ") {
                finish(current.take());
                if in_db && let Some(rest) = t.strip_prefix("pub ") {
                    let rest = rest.trim_start_matches("async ");
                    if let Some(rest) = rest.strip_prefix("fn ") {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        current = Some((name, String::new()));
                    }
                }
                continue;
            }
            if let Some((_, body)) = &mut current {
                body.push_str(line);
                body.push('\n');
            }
        }
        finish(current.take());
    }
    // A name both read and written on different types is counted as a write.
    let reads = reads.difference(&writes).cloned().collect();
    (writes, reads)
}

/// Calls `db.NAME(` in a file's code, whitespace removed (rustfmt breaks `state\n.db\n.x()`).
fn db_calls<'a>(text: &str, names: &'a BTreeSet<String>) -> Vec<&'a str> {
    let code: String = code_lines(text)
        .flat_map(|(_, l)| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("db.") {
        rest = &rest[i + 3..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with('(')
            && let Some(n) = names.get(&name)
        {
            out.push(n.as_str());
        }
    }
    out
}

/// The functions of a file longer than [`MAX_FUNCTION_LINES`], longest first: from a line
/// declaring `fn NAME` to the first line after it that is its indentation and `}` (rustfmt's
/// layout); a declaration without a body (`;` before any `{`) is not a function here.
fn long_functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let indent = &l[..l.len() - t.len()];
        let mut rest = t;
        for prefix in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let Some(rest) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let body = lines[n..]
            .iter()
            .position(|x| x.contains('{') || x.trim_end().ends_with(';'));
        if body.is_none_or(|b| !lines[n + b].contains('{')) {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = lines[n + 1..].iter().position(|x| *x == close) {
            let len = end + 2;
            if len > MAX_FUNCTION_LINES {
                out.push((name, len));
            }
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.1));
    out
}

/// What breaks the rules, by rule and file, with a line to show.
fn violations(sources: &[Source]) -> BTreeMap<(Rule, String), String> {
    let mut out = BTreeMap::new();
    let (writes, _) = db_methods(sources);
    for s in sources {
        let mut hit = |rule: Rule, what: String| {
            out.entry((rule, s.path.clone())).or_insert(what);
        };
        let door = s.krate == "web" || s.krate == "cli";
        for (n, line) in code_lines(&s.text) {
            if s.krate != "store" {
                let sql = [
                    "SELECT ",
                    "INSERT INTO",
                    "DELETE FROM",
                    "CREATE TABLE",
                    "sqlx::",
                ]
                .iter()
                .any(|k| line.contains(k))
                    || (line.contains("UPDATE ") && line.contains(" SET "));
                if sql {
                    hit(Rule::SqlOutsideStore, format!("{n}: {}", line.trim()));
                }
            }
            if !s.path.ends_with("crates/app/src/clock.rs")
                && ["Utc::now(", "Local::now(", "SystemTime::now("]
                    .iter()
                    .any(|k| line.contains(k))
            {
                hit(Rule::WallClock, format!("{n}: {}", line.trim()));
            }
            if line.contains("unreachable!(") {
                hit(Rule::Unreachable, format!("{n}: {}", line.trim()));
            }
            if door && (line.contains(".begin()") || line.contains(".begin_bulk(")) {
                hit(Rule::StoreWriteFromDoor, format!("{n}: {}", line.trim()));
            }
        }
        if door {
            let w = db_calls(&s.text, &writes);
            if !w.is_empty() {
                hit(
                    Rule::StoreWriteFromDoor,
                    format!("calls Db::{}", w.join(", Db::")),
                );
            }
        }
        if let Some((name, n)) = long_functions(&s.text).into_iter().next() {
            hit(Rule::LongFunction, format!("fn {name}: {n} lines"));
        }
        let lines = s.text.lines().count();
        if lines > 1000 {
            hit(Rule::LongFile, format!("{lines} lines of production code"));
        }
        if s.krate == "store" && s.path.ends_with("src/lib.rs") {
            // Test-only modules are compiled only with their feature.
            let lines: Vec<&str> = s.text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                if ["pub mod testing;", "pub mod fts5_baseline;"].contains(&l.trim())
                    && !(i > 0 && lines[i - 1].trim().starts_with("#[cfg(feature"))
                {
                    hit(
                        Rule::TestOnlyModule,
                        format!("{}: {l} is not behind a feature", i + 1),
                    );
                }
            }
        }
    }
    out
}

#[test]
fn the_source_keeps_the_architectures_invariants() {
    let sources = sources();
    assert!(
        sources
            .iter()
            .any(|s| s.path.ends_with("crates/store/src/lib.rs")),
        "the workspace's sources were not found from {}",
        root().display()
    );
    let found = violations(&sources);
    let allowed: BTreeSet<(Rule, String)> = ALLOWED
        .iter()
        .map(|(r, f, _, _)| (*r, f.to_string()))
        .collect();
    let mut problems = Vec::new();
    for ((rule, file), what) in &found {
        if !allowed.contains(&(*rule, file.clone())) {
            problems.push(format!("{rule:?} in {file}: {what}"));
        }
    }
    for (rule, file, _, who) in ALLOWED {
        if !found.contains_key(&(*rule, file.to_string())) {
            problems.push(format!(
                "{rule:?} in {file} is allowed but no longer happens ({who}): remove it from ALLOWED"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the source breaks ARCHITECTURE.md's invariants:\n{}",
        problems.join("\n")
    );
}

/// How many reads of the store the doors still make directly (issue 26 wants them in `app`'s
/// read use cases); printed with `--nocapture`, and bounded so the number only goes down.
#[test]
fn doors_read_the_store_less_over_time() {
    let sources = sources();
    let (_, reads) = db_methods(&sources);
    let mut per_file = BTreeMap::new();
    for s in sources
        .iter()
        .filter(|s| s.krate == "web" || s.krate == "cli")
    {
        let n = db_calls(&s.text, &reads).len();
        if n > 0 {
            per_file.insert(s.path.clone(), n);
        }
    }
    let total: usize = per_file.values().sum();
    println!("direct store reads from the doors: {total}");
    for (f, n) in &per_file {
        println!("  {n:4} {f}");
    }
    assert!(total > 0, "no reads found: the scan is broken");
    assert!(
        total <= MAX_DOOR_READS,
        "the doors read the store {total} times directly (at most {MAX_DOOR_READS}): ask a use case of crates/app instead"
    );
}

/// Today's count of direct reads from the doors (lower it as reads move into `app`): 162 when the
/// test was written, 167 after harden's and exports' merges (doctor, input, accounts, follower),
/// 187 after daily's and replies' (the letter receipt, supervision lists, statutory registers,
/// 双公示 details, the acknowledgement and reply pages): each of them is a read use case to move.
/// 81 after contracts moved the back office's cases, dashboard, supervision, accounts, audit
/// log, jobs, settings, reports, letters, registers, items and the API's reads into `app`
/// (`cases`, `supervision`, `accounts`, `office`, `catalogue`, `organs`, `published`), and every
/// read of the CLI's commands but the server's own (serve, backup, index). Left: the portal
/// (`public.rs`, `public/*`, `search.rs`, `demo.rs`: anonymous pages read through the replica's
/// pool, see ARCHITECTURE.md), sessions and tokens (`auth.rs`, `input.rs`), the follower and
/// the job worker.
///
/// 65 after oneway (issue 26) moved the applicant's forms, receipts and lookups by query code
/// into `app` (`applications::by_code`, `stated_due`, `status_by_code`; `letters::by_code`;
/// `consultations::filed`): they are served from the primary, so `app` can answer them. What
/// is left cannot go through `app` as it stands, each for a reason:
/// - the portal's anonymous pages (`public.rs`, `public/*`: home, guide, catalogue, item,
///   notices, reports, sitemaps, feed, 双公示, registers, the letters published) and `search.rs`
///   are served from the read-only replica when one is configured, by handing the same
///   handlers an `AppState` whose `db` is the replica's pool (`replica::Dispatch`); `app` holds
///   the primary's, so through `app` they would read the primary and the replica would serve
///   nothing. Moving them needs a read-only `App` over the replica's pool (a design change of
///   ARCHITECTURE.md's "A read-only replica", not a move);
/// - sessions and API tokens (`auth.rs`, `admin/users.rs`'s forced change, `api.rs`'s bearer
///   token, `input.rs`) are the server's own state, read before any actor exists;
/// - the change feed's follower, the job worker and the replica's watcher (`follower.rs`,
///   `jobs.rs`, `replica.rs`) are the server's machinery, not a door's read of records;
/// - the CLI's `serve`, `backup` and `index` open the database for the server itself, and
///   `demo.rs` checks what the demo already loaded before loading it through `app`.
const MAX_DOOR_READS: usize = 65;

#[test]
fn the_scans_see_what_they_look_for() {
    // The scans themselves, on text made to break each rule.
    let s = |path: &str, krate: &str, text: &str| Source {
        path: path.into(),
        krate: krate.into(),
        text: text.into(),
    };
    let store = s(
        "crates/store/src/x.rs",
        "store",
        "impl Db {\n    pub async fn wipe(&self) -> Result<()> {\n        q(\"DELETE FROM t\").await\n    }\n    pub async fn look(&self) -> Result<()> {\n        q(\"SELECT 1\").await\n    }\n}\n",
    );
    let door = s(
        "crates/web/src/x.rs",
        "web",
        "fn f() {\n    state\n        .db\n        .wipe().await;\n    let _ = state.db.look().await;\n    let t = chrono::Utc::now();\n    let _ = sqlx::query(\"SELECT 1\");\n    unreachable!(\"no\");\n}\n",
    );
    let long = format!(
        "fn short() {{\n}}\n\npub async fn long() {{\n{}}}\n",
        "    step();\n".repeat(MAX_FUNCTION_LINES)
    );
    assert_eq!(
        long_functions(&long),
        vec![("long".to_string(), MAX_FUNCTION_LINES + 2)]
    );
    let (w, r) = db_methods(std::slice::from_ref(&store));
    assert!(w.contains("wipe") && r.contains("look"), "{w:?} {r:?}");
    let found = violations(&[store, door]);
    let rules: BTreeSet<Rule> = found.keys().map(|(r, _)| *r).collect();
    for r in [
        Rule::SqlOutsideStore,
        Rule::StoreWriteFromDoor,
        Rule::WallClock,
        Rule::Unreachable,
    ] {
        assert!(rules.contains(&r), "{r:?} not seen: {found:?}");
    }
}

/// The `gongkai` binary is built without `store`'s test-only features: no crate but the
/// benchmarks asks for `testing` or `bench` of gongkai-store outside its dev-dependencies, and the
/// benchmarks are not among the root's default members, so `cargo build --bin gongkai` and
/// `cargo tree -e features,normal -i gongkai-store` at the root resolve gongkai-store with its
/// default features only (ARCHITECTURE.md shows that command's output).
#[test]
fn the_binary_is_built_without_the_stores_test_features() {
    let root = root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let members = manifest
        .split("default-members = [")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .expect("the root Cargo.toml names its default members");
    assert!(
        !members.contains("crates/bench"),
        "crates/bench is a default member: its `bench` feature of gongkai-store would reach the binary"
    );
    let mut crates: Vec<_> = std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    crates.sort();
    for c in crates {
        let name = c.file_name().unwrap().to_string_lossy().to_string();
        let Ok(toml) = std::fs::read_to_string(c.join("Cargo.toml")) else {
            continue;
        };
        if name != "bench" {
            assert!(
                members.contains(&format!("\"crates/{name}\"")),
                "crates/{name} is not among the root's default members"
            );
        }
        let mut section = String::new();
        for line in toml.lines() {
            let t = line.trim();
            if t.starts_with('[') {
                section = t.to_string();
                continue;
            }
            let normal =
                section.ends_with("dependencies]") && !section.contains("dev-dependencies");
            if name != "bench"
                && normal
                && t.starts_with("gongkai-store")
                && (t.contains("testing") || t.contains("bench"))
            {
                panic!(
                    "crates/{name} turns on a test-only feature of gongkai-store in {section}: {t}"
                );
            }
        }
    }
}
