//! Prints what the reader makes of a file: `cargo run -p gongkai-audit --example dump -- FILE`.
fn main() {
    // GONGKAI_DUMP_LINES=1: the lines the reader sees (DOCX, HTML, text), table rows as tokens.
    if std::env::var_os("GONGKAI_DUMP_LINES").is_some() {
        for p in std::env::args().skip(1) {
            let bytes = std::fs::read(&p).unwrap_or_default();
            let lines = if p.ends_with(".docx") {
                gongkai_audit::structured::docx_lines(&bytes, &Default::default()).unwrap_or_default()
            } else if p.ends_with(".html") || p.ends_with(".htm") {
                gongkai_audit::structured::html_lines(&String::from_utf8_lossy(&bytes))
            } else {
                gongkai_audit::collected::collected_lines(&String::from_utf8_lossy(&bytes))
            };
            for l in lines {
                match l.toks {
                    Some(t) => println!("ROW {t:?}"),
                    None => println!("{}{}", if l.page_start { "\\f" } else { "" }, l.text),
                }
            }
        }
        return;
    }
    for p in std::env::args().skip(1) {
        match gongkai_audit::read_path(std::path::Path::new(&p)) {
            Ok(mut r) => {
                r.findings = gongkai_domain::report::rules::check(&r);
                println!("{} {} {} {:?}", r.organ, r.year, r.format, r.sections);
                for c in &r.cells {
                    println!(
                        "{}/{}/{} = {:?} {:?}",
                        c.table,
                        c.row,
                        c.column,
                        c.value.map(|v| v.0),
                        c.raw
                    );
                }
                for t in &r.texts {
                    println!("## {}\n{}", t.heading, t.body);
                }
                for f in &r.findings {
                    println!("{} {} {}", f.rule, f.location, f.message);
                }
            }
            Err(e) => println!("{p}: {e}"),
        }
    }
}
