//! Prints what the reader makes of a file: `cargo run -p gongkai-audit --example dump -- FILE`.
fn main() {
    // GONGKAI_DUMP_SCAN=PAGES: the lines OCR gives of a scanned PDF's first PAGES pages.
    if let Some(n) = std::env::var_os("GONGKAI_DUMP_SCAN") {
        let pages: usize = n.to_string_lossy().parse().unwrap_or(1);
        let limits = gongkai_audit::Limits::default();
        for p in std::env::args().skip(1) {
            match gongkai_audit::scan::scan_lines(std::path::Path::new(&p), pages, &limits) {
                Ok(lines) => {
                    for l in &lines {
                        println!(
                            "{}{}",
                            if l.toks.is_some() { "ROW " } else { "    " },
                            l.text
                        );
                    }
                }
                Err(e) => println!("{p}: {e}"),
            }
        }
        return;
    }
    // GONGKAI_DUMP_GRID=1: the lines a PDF's grid reading gives (tables rebuilt from the page).
    if std::env::var_os("GONGKAI_DUMP_GRID").is_some() {
        let limits = gongkai_audit::Limits::default();
        for p in std::env::args().skip(1) {
            let path = std::path::Path::new(&p);
            let deadline = gongkai_audit::bounded::Deadline::after(limits.timeout);
            let pages = gongkai_audit::pdf::bbox_pages(path, &limits, deadline).unwrap_or_default();
            let lines =
                gongkai_audit::pdf::grid_lines(path, &pages, &limits, deadline).unwrap_or_default();
            for l in &lines {
                println!(
                    "{}{}",
                    if l.toks.is_some() { "ROW " } else { "    " },
                    l.text
                );
            }
            let r = gongkai_audit::parse::parse(lines, None);
            let filled = r.cells.iter().filter(|c| c.value.is_some()).count();
            println!(
                "sections {} cells {} filled {filled} findings {:?}",
                r.sections.len(),
                r.cells.len(),
                r.findings
            );
        }
        return;
    }
    // GONGKAI_DUMP_LINES=1: the lines the reader sees (DOCX, HTML, text), table rows as tokens.
    if std::env::var_os("GONGKAI_DUMP_LINES").is_some() {
        for p in std::env::args().skip(1) {
            let bytes = std::fs::read(&p).unwrap_or_default();
            let lines = if p.ends_with(".docx") {
                gongkai_audit::structured::docx_lines(&bytes, &Default::default())
                    .unwrap_or_default()
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
                let checked = gongkai_domain::report::rules::check(&r);
                r.findings.extend(checked);
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
