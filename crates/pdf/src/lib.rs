//! Annual reports (and notices) as PDF, typeset by typst used as a library. Kept in a leaf crate
//! because typst takes long to build.
//!
//! The report becomes typst markup ([`report_markup`]) in the GB/T 9704 manner (A4, margins
//! 37/35/28/26 mm, 小标宋-style title, 仿宋-style body at 16 pt, 黑体/楷体 headings), with the
//! official tables as typst tables (merged cells, header rows repeated on each page, rows kept
//! whole). Fonts come from font files on disk (Debian's fonts-noto-cjk by default, or configured
//! directories) and, after them, the GB 2312 subsets of Noto CJK SC built into the binary
//! (`gongkai_render::fonts`), so a server with no font installed still makes Chinese PDFs;
//! nothing is downloaded, no `@preview` package is used. All user text enters the
//! markup as string literals, so nothing in a report can be read as markup.

mod world;

use gongkai_domain::report::stats::ReportStats;
use gongkai_domain::report::{Report, layout};
use gongkai_render::charts;
use gongkai_render::notice::Notice;
use gongkai_render::tables::{self, Grid, Role};
use gongkai_render::text::{self, Level};
use std::fmt::Write;
use std::path::PathBuf;

pub use world::release_memory;

/// Fonts and conformance of a PDF export. Each font is a list tried in order: the official
/// fonts first where an organ has them installed, then the Noto CJK fallbacks Debian ships.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// Directories searched for font files (.ttf, .otf, .ttc) before the built-in fonts; empty
    /// means the installation's (`gongkai_render::fonts::default_dirs`).
    pub font_dirs: Vec<PathBuf>,
    pub title_fonts: Vec<String>,
    pub body_fonts: Vec<String>,
    pub heading1_fonts: Vec<String>,
    pub heading2_fonts: Vec<String>,
    pub table_fonts: Vec<String>,
    /// Write PDF/A-2b (archival). PDF/A needs a document date: the report's publication date,
    /// else `date`; with neither, a plain PDF is written (there is no true date to state).
    pub pdfa: bool,
    /// The document date when the report has no publication date (the caller's "today": this
    /// crate never reads the clock).
    pub date: Option<chrono::NaiveDate>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            font_dirs: Vec::new(),
            title_fonts: names(&["FZXiaoBiaoSong-B05S", "方正小标宋简体", "Noto Serif CJK SC"]),
            body_fonts: names(&[
                "FangSong_GB2312",
                "仿宋_GB2312",
                "FangSong",
                "Noto Serif CJK SC",
            ]),
            heading1_fonts: names(&["SimHei", "黑体", "Noto Sans CJK SC"]),
            heading2_fonts: names(&["KaiTi_GB2312", "楷体_GB2312", "KaiTi", "Noto Serif CJK SC"]),
            table_fonts: names(&[
                "FangSong_GB2312",
                "仿宋_GB2312",
                "FangSong",
                "Noto Serif CJK SC",
            ]),
            pdfa: true,
            date: None,
        }
    }
}

/// A typst string literal: the text exactly, never markup.
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn font_list(fonts: &[String]) -> String {
    let items: Vec<String> = fonts.iter().map(|f| lit(f)).collect();
    format!("({},)", items.join(", "))
}

/// The page set-up and styles shared by reports and notices.
pub(crate) fn preamble(out: &mut String, title: &str, author: &str, o: &PdfOptions) {
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {})\n\
         #set page(paper: \"a4\", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),\n  \
           footer: context align(center, text(size: 14pt, font: {})[— #counter(page).display() —]))\n\
         #set text(font: {}, size: 16pt, lang: \"zh\", region: \"cn\", top-edge: \"ascender\", bottom-edge: \"descender\")\n\
         #set par(first-line-indent: (amount: 2em, all: true), justify: true, leading: 12.95pt, spacing: 12.95pt)\n\
         #show heading: set text(size: 16pt, weight: \"regular\")\n\
         #show heading.where(level: 1): it => block(above: 12.95pt, below: 12.95pt, sticky: true)[#h(2em)#text(font: {})[#it.body]]\n\
         #show heading.where(level: 2): it => block(above: 12.95pt, below: 12.95pt, sticky: true)[#h(2em)#text(font: {})[#it.body]]\n\
         #set table(stroke: 0.5pt, inset: (x: 3pt, y: 4pt), align: center + horizon)\n\
         #set table.cell(breakable: false)\n\
         #show table: set text(size: 10.5pt, font: {}, cjk-latin-spacing: none)\n\
         #show table: set par(first-line-indent: 0pt, justify: false, leading: 0.45em)\n\
         #show table.cell.where(y: 0): set text(weight: \"regular\")",
        lit(title),
        lit(author),
        font_list(&o.body_fonts),
        font_list(&o.body_fonts),
        font_list(&o.heading1_fonts),
        font_list(&o.heading2_fonts),
        font_list(&o.table_fonts),
    );
}

pub(crate) fn title_block(out: &mut String, title: &str, o: &PdfOptions) {
    let _ = writeln!(
        out,
        "#align(center, block(below: 28pt, text(font: {}, size: 22pt)[#{}]))",
        font_list(&o.title_fonts),
        lit(title)
    );
}

/// Body paragraphs: a （一）… heading alone as a level-2 heading, a paragraph opening with one
/// with its first sentence in the heading font.
pub(crate) fn paragraphs(out: &mut String, body: &str, o: &PdfOptions) {
    for p in text::paragraphs(body) {
        match p.level {
            Level::Heading2 => {
                let _ = writeln!(
                    out,
                    "#heading(level: 2, outlined: false)[#{}]\n",
                    lit(p.lead)
                );
            }
            Level::Lead2 => {
                let _ = writeln!(
                    out,
                    "#text(font: {})[#{}]#{}\n",
                    font_list(&o.heading2_fonts),
                    lit(p.lead),
                    lit(p.rest)
                );
            }
            Level::Body => {
                let _ = writeln!(out, "#{}\n", lit(p.rest));
            }
        }
    }
}

/// An official table: header rows in `table.header(repeat: true)`, merged cells as
/// `table.cell(colspan:, rowspan:)`, rows unbreakable except where a group cell spans many rows
/// (those may continue on the next page, their rows each kept whole).
pub(crate) fn table(out: &mut String, g: &Grid) {
    let widths: Vec<String> = g.widths.iter().map(|w| format!("{w}fr")).collect();
    let _ = writeln!(out, "#table(columns: ({}),", widths.join(", "));
    let placed = g.placed();
    let cell = |p: &tables::Placed<'_>| -> String {
        let c = p.cell;
        let mut args = Vec::new();
        if c.colspan > 1 {
            args.push(format!("colspan: {}", c.colspan));
        }
        if c.rowspan > 1 {
            args.push(format!("rowspan: {}", c.rowspan));
            args.push("breakable: true".into());
        }
        match c.role {
            // 行政复议 spans two header rows; set at the top it shares a line with 行政诉讼, so
            // text extraction reads the two in the order of the columns beneath them.
            Role::Header if c.rowspan > 1 && g.table == layout::TABLE_4 => {
                args.push("fill: luma(242)".into());
                args.push("align: center + top".into());
            }
            Role::Header => args.push("fill: luma(242)".into()),
            Role::Label => args.push("align: left + horizon".into()),
            _ => {}
        }
        format!("  table.cell({})[#{}],", args.join(", "), lit(&c.text))
    };
    if g.header_rows > 0 {
        out.push_str("  table.header(repeat: true,\n");
        for p in placed.iter().filter(|p| p.row < g.header_rows) {
            out.push_str(&cell(p));
            out.push('\n');
        }
        out.push_str("  ),\n");
    }
    for p in placed.iter().filter(|p| p.row >= g.header_rows) {
        out.push_str(&cell(p));
        out.push('\n');
    }
    out.push_str(")\n\n");
}

fn chart(out: &mut String, c: &charts::Chart) {
    let _ = writeln!(
        out,
        "#figure(image(bytes({}), format: \"svg\", width: 100%, alt: {}))\n",
        lit(&c.svg),
        lit(&c.description)
    );
}

/// The typst markup of a report (with its charts when `stats` has figures).
pub fn report_markup(report: &Report, stats: Option<&ReportStats>, o: &PdfOptions) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = text::title(report);
    preamble(&mut out, &title, &report.organ, o);
    title_block(&mut out, &title, o);
    paragraphs(&mut out, &report.preamble, o);
    let drawn = stats.map(charts::all).unwrap_or_default();
    for s in text::sections(report) {
        let _ = writeln!(out, "#heading(level: 1)[#{}]\n", lit(s.heading));
        paragraphs(&mut out, s.body, o);
        if let Some(g) = tables::table_after_section(report, s.index) {
            table(&mut out, &g);
        }
        for c in drawn.iter().filter(|c| c.kind.section() == s.index) {
            chart(&mut out, c);
        }
    }
    signature(&mut out, &report.organ, report.published);
    out
}

pub(crate) fn signature(out: &mut String, organ: &str, date: Option<chrono::NaiveDate>) {
    let _ = writeln!(out, "#v(1em)\n#align(right)[#{}]", lit(organ));
    if let Some(d) = date {
        let _ = writeln!(
            out,
            "#align(right)[#{}]",
            lit(&d.format("%Y年%-m月%-d日").to_string())
        );
    }
}

/// The report as PDF.
pub fn report(report: &Report, options: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    report_with_stats(report, None, options)
}

/// The report as PDF, with charts when `stats` has figures.
pub fn report_with_stats(
    report: &Report,
    stats: Option<&ReportStats>,
    options: &PdfOptions,
) -> anyhow::Result<Vec<u8>> {
    let markup = report_markup(report, stats, options);
    world::compile_pdf(markup, options, report.published.or(options.date))
}

/// The typst markup of a notice (告知书).
pub fn notice_markup(n: &Notice, o: &PdfOptions) -> String {
    let mut out = String::with_capacity(8 * 1024);
    preamble(&mut out, &n.title, &n.organ, o);
    title_block(&mut out, &n.title, o);
    if !n.number.is_empty() {
        let _ = writeln!(out, "#align(center)[#{}]\n#v(0.5em)", lit(&n.number));
    }
    let _ = writeln!(
        out,
        "#par(first-line-indent: 0pt)[#{}]\n",
        lit(&format!("{}：", n.addressee))
    );
    let (body, last) = n.paragraphs.split_at(gongkai_render::notice::kept_from(n));
    paragraphs(&mut out, &body.join("\n"), o);
    // The last paragraphs and the 落款 in one unbreakable block: the organ and date never stand
    // alone on a page (GB/T 9704), they move with the paragraphs before them.
    out.push_str("#block(breakable: false, width: 100%)[\n");
    paragraphs(&mut out, &last.join("\n"), o);
    signature(&mut out, &n.organ, Some(n.date));
    out.push_str("]\n");
    out
}

/// A notice (告知书) as PDF, dated with its own date (PDF/A when the options ask for it).
pub fn notice(n: &Notice, options: &PdfOptions) -> anyhow::Result<Vec<u8>> {
    world::compile_pdf(notice_markup(n, options), options, Some(n.date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_break_out() {
        assert_eq!(lit("a\"b\\c\n#d"), "\"a\\\"b\\\\c\\n#d\"");
    }
}
