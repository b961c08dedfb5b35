//! The report as the HTML page an organ would publish: the six sections, the official tables
//! with their merged cells, readable on a phone (tables scroll sideways inside their own box,
//! text reflows), no JavaScript.

use crate::charts;
use crate::tables::{self, Grid, Role};
use crate::text::{self, Level, escape_html as esc};
use gongkai_domain::report::Report;
use gongkai_domain::report::stats::ReportStats;
use std::fmt::Write;

/// The page's style sheet. Every rule is scoped under `.gk-report` so the web app can include
/// it next to its own styles when it embeds [`report_fragment`].
pub const CSS: &str = r#"
.gk-report{max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a;line-height:1.8;
font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:1rem;
overflow-wrap:anywhere}
.gk-report h1{font-size:1.5rem;text-align:center;line-height:1.5;margin:1rem 0 1.5rem;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
.gk-report h2{font-size:1.15rem;margin:1.5rem 0 .5rem;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
.gk-report p{margin:.4rem 0;text-indent:2em}
.gk-report p.gk-h3{font-weight:bold;text-indent:0}
.gk-report .gk-lead{font-weight:bold}
.gk-report .gk-sign{text-align:right;text-indent:0;margin-top:2rem}
.gk-report .gk-table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.75rem 0 1.25rem;
border:1px solid #ccc}
.gk-report .gk-table-wrap:focus{outline:2px solid #2b6cb0}
.gk-report table{border-collapse:collapse;font-size:.875rem;line-height:1.4;min-width:100%}
.gk-report caption{caption-side:top;text-align:left;padding:.4rem .5rem;font-weight:bold}
.gk-report th,.gk-report td{border:1px solid #888;padding:.3rem .4rem;vertical-align:middle}
.gk-report thead th,.gk-report th.gk-head{background:#f2f2f2;font-weight:bold;text-align:center}
.gk-report th.gk-group{background:#fafafa;font-weight:normal;text-align:center;min-width:3em}
.gk-report th.gk-label{font-weight:normal;text-align:left;min-width:10em;background:#fff}
.gk-report td{text-align:center;min-width:3.5em;font-variant-numeric:tabular-nums;white-space:nowrap}
.gk-report table.gk-t4 thead th{min-width:2.5em}
.gk-report .gk-chart{margin:1rem 0}
.gk-report .gk-chart svg{max-width:100%;height:auto}
@media (max-width:40rem){.gk-report{padding:.5rem 0}.gk-report h1{font-size:1.25rem}
.gk-report table{font-size:.8rem}
.gk-report th.gk-label{min-width:8em}}
@media (min-width:40.01rem){.gk-report thead th,.gk-report th.gk-head{word-break:keep-all;overflow-wrap:normal}}
@media print{.gk-report .gk-table-wrap{overflow:visible;border:none}}
"#;

/// A complete, standalone HTML5 page of the report.
pub fn report_page(report: &Report) -> String {
    page(report, &report_fragment(report))
}

pub(crate) fn page(report: &Report, fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len() + CSS.len() + 512);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    out.push_str(&esc(&text::title(report)));
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    out.push_str(fragment);
    out.push_str("</body>\n</html>\n");
    out
}

/// The report without the page around it (no `<html>`, `<head>` or style sheet), for the web
/// app to embed in its own pages; include [`CSS`] in that page.
pub fn report_fragment(report: &Report) -> String {
    fragment_with(report, &|_| None)
}

/// The page with the year's charts (inline SVG) after the sections they illustrate.
pub fn report_page_with_stats(report: &Report, stats: &ReportStats) -> String {
    page(report, &report_fragment_with_stats(report, stats))
}

/// The fragment with the year's charts (inline SVG), for the back office's report page.
pub fn report_fragment_with_stats(report: &Report, stats: &ReportStats) -> String {
    let drawn = charts::all(stats);
    fragment_with(report, &|i| {
        let mut out = String::new();
        for c in drawn.iter().filter(|c| c.kind.section() == i) {
            let _ = writeln!(out, "<figure class=\"gk-chart\">{}</figure>", c.svg);
        }
        (!out.is_empty()).then_some(out)
    })
}

/// The fragment, with extra HTML (charts) inserted after the body of section `i` where `extra`
/// returns some.
pub(crate) fn fragment_with(report: &Report, extra: &dyn Fn(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<article class=\"gk-report\">\n<h1>");
    out.push_str(&esc(&text::title(report)));
    out.push_str("</h1>\n");
    body_paragraphs(&mut out, &report.preamble);
    for s in text::sections(report) {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(s.heading));
        body_paragraphs(&mut out, s.body);
        if let Some(grid) = tables::table_after_section(report, s.index) {
            table(&mut out, &grid);
        }
        if let Some(x) = extra(s.index) {
            out.push_str(&x);
        }
        out.push_str("</section>\n");
    }
    out.push_str("<p class=\"gk-sign\">");
    out.push_str(&esc(&report.organ));
    if let Some(d) = report.published {
        let _ = write!(out, "<br>{}", esc(&d.format("%Y年%-m月%-d日").to_string()));
    }
    out.push_str("</p>\n</article>\n");
    out
}

/// The official table that follows section `index` (0-based: 1 → table 二, 2 → 三, 3 → 四) as
/// an HTML fragment inside its scrolling box, or `None` for sections without a table. The back
/// office shows it in the report editor beside the section's text.
pub fn section_table(report: &Report, index: usize) -> Option<String> {
    let grid = tables::table_after_section(report, index)?;
    let mut out = String::new();
    table(&mut out, &grid);
    Some(out)
}

fn body_paragraphs(out: &mut String, body: &str) {
    for p in text::paragraphs(body) {
        match p.level {
            Level::Heading2 => {
                let _ = writeln!(out, "<p class=\"gk-h3\">{}</p>", esc(p.lead));
            }
            Level::Lead2 => {
                let _ = writeln!(
                    out,
                    "<p><span class=\"gk-lead\">{}</span>{}</p>",
                    esc(p.lead),
                    esc(p.rest)
                );
            }
            Level::Body => {
                let _ = writeln!(out, "<p>{}</p>", esc(p.rest));
            }
        }
    }
}

fn span_attrs(out: &mut String, rowspan: usize, colspan: usize) {
    if rowspan > 1 {
        let _ = write!(out, " rowspan=\"{rowspan}\"");
    }
    if colspan > 1 {
        let _ = write!(out, " colspan=\"{colspan}\"");
    }
}

/// One official table with its merged cells, inside a box that scrolls sideways on a phone.
fn table(out: &mut String, g: &Grid) {
    let caption = esc(g.caption);
    let _ = writeln!(
        out,
        "<div class=\"gk-table-wrap\" role=\"region\" aria-label=\"{caption}\" tabindex=\"0\">\n\
         <table class=\"gk-table gk-t{}\">\n<caption>{caption}</caption>",
        match g.table {
            "二" => 2,
            "三" => 3,
            _ => 4,
        }
    );
    for (i, row) in g.rows.iter().enumerate() {
        if i == 0 && g.header_rows > 0 {
            out.push_str("<thead>\n");
        }
        if i == g.header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for c in row {
            let (tag, class) = match c.role {
                Role::Header if i < g.header_rows => ("th", " scope=\"col\""),
                Role::Header => ("th", " class=\"gk-head\""),
                Role::Group => ("th", " class=\"gk-group\" scope=\"rowgroup\""),
                Role::Label => ("th", " class=\"gk-label\" scope=\"row\""),
                Role::Number => ("td", ""),
            };
            let _ = write!(out, "<{tag}{class}");
            span_attrs(out, c.rowspan, c.colspan);
            let _ = write!(out, ">{}</{tag}>", esc(&c.text));
        }
        out.push_str("</tr>\n");
        if g.header_rows > 0 && i + 1 == g.header_rows {
            out.push_str("</thead>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}
