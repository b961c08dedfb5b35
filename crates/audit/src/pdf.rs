//! Reading a PDF. The text layer is read once with `pdftotext -layout`; when that reading
//! leaves cells unread (a READ finding) the text in reading order is tried, and then the tables
//! rebuilt from the characters' positions (`pdftotext -bbox-layout`) inside the ruled grid found
//! on the rendered page ([`crate::grid`]; pages with numbers, one `pdftoppm` run per stretch of
//! them) — how a browser's print of a portal page, digits
//! stacked in narrow cells, reads — merged with the better text reading cell by cell
//! ([`crate::merge`]). A PDF with no text layer at all is a scan, said in words
//! ([`crate::ReadError::Scan`]) and read by OCR where tesseract is installed ([`crate::scan`]).

use crate::ReadError;
use crate::bounded::{self, Deadline, Limits};
use crate::grid::{Gray, Word};
use crate::parse::Line;
use gongkai_domain::report::{Report, rules};
use std::path::Path;
use std::process::Command;

/// The resolution pages are rendered at to find a table's ruled lines.
pub const GRID_DPI: u32 = 150;

/// One page of a PDF's text layer: its size in points and its words (boxes in points).
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

/// The words of every page, with their boxes, from `pdftotext -bbox-layout`.
pub fn bbox_pages(
    path: &Path,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Page>, ReadError> {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-");
    let out = bounded::run(cmd, None, limits, deadline)
        .map_err(|e| bounded::read_error("pdftotext", e, limits))?;
    Ok(parse_bbox(&String::from_utf8_lossy(&out)))
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> f64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.value.parse().ok())
        .unwrap_or(0.0)
}

/// Pages of `pdftotext -bbox-layout` output.
pub fn parse_bbox(xml: &str) -> Vec<Page> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut pages: Vec<Page> = Vec::new();
    let mut line = 0usize;
    let mut word: Option<Word> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "page" => pages.push(Page {
                    width: attr(&e, "width"),
                    height: attr(&e, "height"),
                    words: Vec::new(),
                }),
                "line" => line += 1,
                "word" => {
                    word = Some(Word {
                        text: String::new(),
                        x0: attr(&e, "xMin"),
                        y0: attr(&e, "yMin"),
                        x1: attr(&e, "xMax"),
                        y1: attr(&e, "yMax"),
                        line,
                    })
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if let Some(w) = word.as_mut() {
                    w.text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(w) = word.as_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        w.text.push(c);
                    } else {
                        w.text.push_str(match r.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        });
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "word" => {
                if let (Some(w), Some(p)) = (word.take(), pages.last_mut())
                    && !w.text.trim().is_empty()
                {
                    p.words.push(w);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    pages
}

/// Pages `first..=last` (1-based) rendered in grey at `dpi`.
pub fn render(
    path: &Path,
    dpi: u32,
    first: usize,
    last: usize,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Gray>, ReadError> {
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-gray", "-r", &dpi.to_string()])
        .args(["-f", &first.to_string(), "-l", &last.to_string()])
        .arg(path);
    // An A4 page is 1240 × 1754 pixels at 150 dpi; a page four times as large still fits.
    let per_page = (dpi as usize * 12).pow(2);
    let local = Limits {
        max_output_bytes: per_page * (last + 1 - first),
        ..*limits
    };
    let out = bounded::run(cmd, None, &local, deadline)
        .map_err(|e| bounded::read_error("pdftoppm", e, limits))?;
    Ok(Gray::parse_pgm(&out))
}

/// A page worth rendering for its tables: at least a few words that are numbers. (Rendering
/// only pages whose numbers stand apart as cells' do was tried: a browser's print in narrow
/// cells puts a number's stacked digits within a character of the next cell's, its table
/// pages were left unrendered and read wrong from their words alone.)
pub fn has_numbers(p: &Page) -> bool {
    p.words
        .iter()
        .filter(|w| {
            crate::parse::parse_value(&w.text)
                .is_some_and(|t| !matches!(t, crate::parse::Tok::Val { value: None, .. }))
        })
        .count()
        >= 4
}

/// The pages worth rendering, rendered with one `pdftoppm` run per stretch of consecutive
/// such pages (each run opens the file and loads its fonts again): page index → its picture.
fn table_pictures(
    path: &Path,
    pages: &[Page],
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Option<Gray>>, ReadError> {
    let mut out: Vec<Option<Gray>> = vec![None; pages.len()];
    let mut i = 0;
    while i < pages.len() {
        if !has_numbers(&pages[i]) {
            i += 1;
            continue;
        }
        let first = i;
        while i + 1 < pages.len() && has_numbers(&pages[i + 1]) {
            i += 1;
        }
        let imgs = render(path, GRID_DPI, first + 1, i + 1, limits, deadline)?;
        // A run that gives fewer pictures than pages leaves those pages to their text.
        if imgs.len() == i + 1 - first {
            for (k, g) in imgs.into_iter().enumerate() {
                out[first + k] = Some(g);
            }
        }
        i += 1;
    }
    Ok(out)
}

/// The lines of the whole document, tables rebuilt from the grid of each page with numbers.
pub fn grid_lines(
    path: &Path,
    pages: &[Page],
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<Line>, ReadError> {
    let pictures = table_pictures(path, pages, limits, deadline)?;
    let mut out = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let scale = GRID_DPI as f64 / 72.0;
        let words: Vec<Word> = p
            .words
            .iter()
            .map(|w| Word {
                x0: w.x0 * scale,
                y0: w.y0 * scale,
                x1: w.x1 * scale,
                y1: w.y1 * scale,
                ..w.clone()
            })
            .collect();
        let mut lines = match (has_numbers(p), pictures.get(i).and_then(Option::as_ref)) {
            (true, Some(g)) => crate::grid::page_lines(g, GRID_DPI, &words),
            (true, None) => crate::grid::text_lines(&words)
                .into_iter()
                .map(|(_, l)| l)
                .collect(),
            (false, _) => {
                let mut t = crate::grid::text_lines(&words);
                t.sort_by_key(|(y, _)| *y);
                t.into_iter().map(|(_, l)| l).collect()
            }
        };
        if let Some(first) = lines.first_mut() {
            first.page_start = i > 0;
        }
        out.extend(lines);
    }
    Ok(out)
}

/// How good a reading is: sections found, cells read, then fewer findings.
fn score(r: &Report) -> (usize, usize, usize) {
    (
        r.sections.len() + r.cells.len() / 10,
        r.cells.iter().filter(|c| c.value.is_some()).count(),
        usize::MAX - rules::check(r).len(),
    )
}

/// Every cell it could read is read and no table is left out (no READ finding of severity
/// error).
fn complete(r: &Report) -> bool {
    !r.cells.is_empty()
        && !r.findings.iter().any(|f| {
            f.rule == crate::parse::READ_RULE
                && f.severity == gongkai_domain::report::Severity::Error
        })
}

/// Reads a PDF within `limits`: see the module's comment for the order of the readings.
pub fn read_pdf_with(
    path: &Path,
    source: Option<String>,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Report, ReadError> {
    let layout_text = crate::pdftotext_with(path, true, limits, deadline)?;
    if layout_text.chars().filter(|c| !c.is_whitespace()).count() < 20 {
        // pdftotext ends every page with a form feed.
        let pages = layout_text.matches('\u{c}').count().max(1);
        return crate::scan::read_scan(path, pages, source, limits);
    }
    // Each text reading, and the same before its rows whose own sum fails are left out.
    let reading = |text: &str| {
        let withheld = crate::parse::parse(crate::collected::collected_lines(text), source.clone());
        let mut r = withheld.clone();
        crate::identities::drop_inconsistent_rows(&mut r);
        (r, withheld)
    };
    let layout = reading(&layout_text);
    if complete(&layout.0) {
        return Ok(layout.0);
    }
    let plain = reading(&crate::pdftotext_with(path, false, limits, deadline)?);
    let (best, withheld) = if score(&layout.0) > score(&plain.0) {
        layout
    } else {
        plain
    };
    if complete(&best) {
        return Ok(best);
    }
    // The tables rebuilt from the grid, merged with the text's reading cell by cell
    // ([`crate::merge`]): a cell is stated where both agree, or where one alone states it and
    // the tables' arithmetic proves it.
    // The grid's reading renders pages: it has a deadline of its own, as long as the text's.
    let deadline = Deadline::after(limits.timeout);
    let pages = bbox_pages(path, limits, deadline)?;
    let gridded = crate::parse::parse(grid_lines(path, &pages, limits, deadline)?, source);
    if gridded.cells.is_empty() {
        return Ok(best);
    }
    Ok(crate::merge::merge(best, &withheld, gridded))
}
