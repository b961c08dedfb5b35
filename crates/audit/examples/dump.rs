//! Prints what the reader makes of a file: `cargo run -p gongkai-audit --example dump -- FILE`.
fn main() {
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
