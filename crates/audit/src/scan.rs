//! Scanned reports: a PDF with no text layer (or an image file). Said in words — "扫描件，无文字层"
//! — and, where tesseract with Debian's chi_sim data is installed, read by OCR: each page is
//! rendered in grey and straightened, its ruled grid found ([`crate::grid`]), and every cell read
//! on its own ([`crate::ocr_cells`]: the cells' ink cut out and read in one strip per page, as
//! Chinese and as digits only), the text around the tables read once; all bounded subprocesses.
//! OCR can misread a digit, so of what it reads only the cells the tables' arithmetic proves are
//! stated ([`crate::identities::keep_confirmed`]; a cell left unread or located as misread costs
//! only itself, [`crate::located`]); the rest of every table is declared unreadable, and a READ
//! warning on each table says its cells came from OCR.

use crate::ReadError;
use crate::bounded::{self, Deadline, Limits};
use crate::grid::{Gray, Word};
use crate::parse::{Line, READ_RULE};
use gongkai_domain::report::layout::{self, TABLE_2, TABLE_3, TABLE_4};
use gongkai_domain::report::{Finding, Report, Severity};
use std::path::Path;
use std::process::Command;

/// The resolution scanned pages are rendered at for OCR.
pub const OCR_DPI: u32 = 200;

/// The message of a scan that could not be read.
pub const SCAN: &str = "扫描件，无文字层";

/// Whether a report was read by OCR (its tables carry the OCR warning): the rules that read
/// its sentences and headings are not reported on it, since OCR may have missed a word.
pub fn read_by_ocr(r: &Report) -> bool {
    r.findings
        .iter()
        .any(|f| f.rule == READ_RULE && f.message.starts_with(SCAN))
}

/// How tesseract is asked to read a picture.
#[derive(Debug, Clone, Copy)]
enum Ocr {
    /// Chinese text (labels, headings, paragraphs).
    Text,
    /// Digits only (a table's number cells): `tessedit_char_whitelist`.
    Digits,
}

/// Words tesseract recognises on a picture, with their boxes in its pixels and its confidence.
fn ocr_words(
    g: &Gray,
    how: Ocr,
    limits: &Limits,
    deadline: Deadline,
) -> Result<Vec<(Word, f64)>, ReadError> {
    let mut pgm = format!("P5\n{} {}\n255\n", g.width, g.height).into_bytes();
    pgm.extend_from_slice(&g.pixels);
    let mut cmd = Command::new("tesseract");
    cmd.args(["stdin", "stdout", "--psm", "6", "--dpi"])
        .arg(OCR_DPI.to_string());
    match how {
        Ocr::Text => cmd.args(["-l", "chi_sim", "-c", "preserve_interword_spaces=1"]),
        Ocr::Digits => cmd.args(["-l", "eng", "-c", "tessedit_char_whitelist=0123456789."]),
    };
    cmd.arg("tsv").env("OMP_THREAD_LIMIT", "1");
    let out = bounded::run(cmd, Some(pgm), limits, deadline).map_err(|e| match e {
        bounded::RunError::Missing => ReadError::Scan(format!(
            "{SCAN}，且未安装文字识别程序 tesseract（tesseract-ocr、tesseract-ocr-chi-sim），无法读取"
        )),
        e => bounded::read_error("tesseract", e, limits),
    })?;
    Ok(parse_tsv(&String::from_utf8_lossy(&out)))
}

/// Words of tesseract's TSV output (level 5 rows), a line index per (block, paragraph, line),
/// each with tesseract's confidence in it (0–100).
pub fn parse_tsv(tsv: &str) -> Vec<(Word, f64)> {
    let mut out = Vec::new();
    let mut lines: Vec<(u32, u32, u32)> = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        let num = |i: usize| f[i].parse::<f64>().unwrap_or(0.0);
        if text.is_empty() || num(10) < 0.0 {
            continue;
        }
        let id = (num(2) as u32, num(3) as u32, num(4) as u32);
        let line = lines.iter().position(|l| *l == id).unwrap_or_else(|| {
            lines.push(id);
            lines.len() - 1
        });
        let (x, y, w, h) = (num(6), num(7), num(8), num(9));
        out.push((
            Word {
                text: text.to_string(),
                x0: x,
                y0: y,
                x1: x + w,
                y1: y + h,
                line,
            },
            num(10),
        ));
    }
    out
}

/// The words of a scanned page: the text around its tables read once, and every cell of its
/// tables read on its own ([`crate::ocr_cells`]).
fn page_words(g: &Gray, limits: &Limits, deadline: Deadline) -> Result<Vec<Word>, ReadError> {
    use crate::ocr_cells as oc;
    let tables = crate::grid::tables(g, OCR_DPI);
    let mut words: Vec<Word> =
        ocr_words(&oc::without_tables(g, &tables), Ocr::Text, limits, deadline)?
            .into_iter()
            .map(|(w, _)| w)
            .collect();
    let cells = oc::ink_cells(g, &tables);
    let (mut text, mut digits) = (Vec::new(), Vec::new());
    for (s, rows) in oc::strips(g, &cells, false) {
        text.extend(oc::assign(
            &ocr_words(&s, Ocr::Text, limits, deadline)?,
            &rows,
        ));
    }
    // Only the cells that may hold a number are read as digits.
    let maybe: Vec<usize> = (0..cells.len())
        .filter(|&i| !text.get(i).is_some_and(oc::sure_label))
        .collect();
    let numeric: Vec<oc::InkCell> = maybe.iter().map(|&i| cells[i].clone()).collect();
    let mut read = Vec::new();
    for (s, rows) in oc::strips(g, &numeric, true) {
        read.extend(oc::assign(
            &ocr_words(&s, Ocr::Digits, limits, deadline)?,
            &rows,
        ));
    }
    digits.resize(cells.len(), oc::Reading::default());
    for (&i, r) in maybe.iter().zip(read) {
        digits[i] = r;
    }
    let first_line = words.iter().map(|w| w.line + 1).max().unwrap_or(0);
    words.extend(oc::cell_words(&cells, &text, &digits, first_line));
    Ok(words)
}

/// OCR reads a lone `0` in a ruled cell as `10` now and then (the cell's edge taken for a 1).
/// In a row of table 三 or 四 whose own sum fails, the readings `10` are tried as `0`; the row is changed only when exactly one choice of them makes its sum hold (and
/// likewise a column of table 三 by its sums). What
/// is then stated still has to be proved by every identity ([`crate::identities::keep_confirmed`]).
pub fn stray_ones(r: &mut Report) {
    use crate::identities::identities;
    let ids = identities(r.format);
    // Rows first, then columns (a row its own sum leaves open: 0 0 10 10), then rows again.
    for across in [false, true, false] {
        for id in ids.iter().filter(|id| id.across == across) {
            if id.holds(r) != Some(false) {
                continue;
            }
            let cells: Vec<_> = id.cells().copied().collect();
            let stripped = |v: f64| -> Option<f64> {
                let s = format!("{}", v as i64);
                // Only a lone 0 read as 10: a 1 taken off a longer number (148 → 48) can make
                // a row whose other cell is misread (11 for a stacked 111) add up wrongly.
                (v.fract() == 0.0 && s == "10")
                    .then(|| s[1..].parse::<f64>().ok())
                    .flatten()
            };
            let cands: Vec<(usize, f64)> = cells
                .iter()
                .enumerate()
                .filter_map(|(i, k)| Some((i, stripped(r.get(k.0, k.1, k.2)?.0)?)))
                .collect();
            if cands.is_empty() || cands.len() > 8 {
                continue;
            }
            let mut fits = Vec::new();
            for mask in 1u32..(1 << cands.len()) {
                let mut t = r.clone();
                for (j, (i, v)) in cands.iter().enumerate() {
                    if mask & (1 << j) != 0 {
                        let k = cells[*i];
                        t.set(k.0, k.1, k.2, Some(gongkai_domain::report::Num(*v)));
                    }
                }
                if id.holds(&t) == Some(true) {
                    fits.push(mask);
                }
            }
            if let [mask] = fits[..] {
                for (j, (i, v)) in cands.iter().enumerate() {
                    if mask & (1 << j) != 0 {
                        let k = cells[*i];
                        r.set(k.0, k.1, k.2, Some(gongkai_domain::report::Num(*v)));
                    }
                }
            }
        }
    }
}

fn finding(table: &str, severity: Severity, message: String) -> Finding {
    Finding::new(READ_RULE, severity, table.into(), message)
}

/// The lines of a scanned PDF's `pages` pages: text around the tables and the tables' rows,
/// read by OCR.
pub fn scan_lines(path: &Path, pages: usize, limits: &Limits) -> Result<Vec<Line>, ReadError> {
    let deadline = Deadline::after(limits.ocr_timeout);
    let mut lines: Vec<Line> = Vec::new();
    for page in 1..=pages {
        let imgs = crate::pdf::render(path, OCR_DPI, page, page, limits, deadline)?;
        let Some(g) = imgs.into_iter().next() else {
            break;
        };
        let g = crate::grid::deskew(&g);
        let words = page_words(&g, limits, deadline)?;
        let mut page_lines = crate::grid::page_lines(&g, OCR_DPI, &words);
        if let Some(first) = page_lines.first_mut() {
            first.page_start = page > 1;
        }
        lines.extend(page_lines);
    }
    Ok(lines)
}

/// Reads a scanned PDF of `pages` pages by OCR, stating only the cells the identities prove.
pub fn read_scan(
    path: &Path,
    pages: usize,
    source: Option<String>,
    limits: &Limits,
) -> Result<Report, ReadError> {
    if pages > limits.max_ocr_pages {
        return Err(ReadError::Bound(format!(
            "{SCAN}，共 {pages} 页，超过文字识别（OCR）的上限 {} 页，未读取",
            limits.max_ocr_pages
        )));
    }
    let lines = scan_lines(path, pages, limits)?;
    let mut r = crate::parse::parse(lines, source);
    if r.sections.is_empty() && r.cells.is_empty() {
        return Err(ReadError::Scan(format!(
            "{SCAN}，文字识别（OCR）未能读出年度报告的内容"
        )));
    }
    stray_ones(&mut r);
    crate::identities::keep_confirmed(&mut r);
    for t in [TABLE_2, TABLE_3, TABLE_4] {
        let official = layout::cell_keys(r.format)
            .iter()
            .filter(|(k, _)| k.table == t)
            .count();
        let read = r.cells.iter().filter(|c| c.table == t).count();
        if read > 0 {
            r.findings.push(finding(
                t,
                Severity::Warning,
                format!(
                    "{SCAN}：表{t}的数字由文字识别（OCR）读出，只保留经表内勾稽关系验证一致的单元格"
                ),
            ));
        }
        if read < official {
            r.findings.push(finding(
                t,
                Severity::Error,
                format!("{SCAN}：表{t}中文字识别（OCR）未能读出或未经勾稽关系验证的单元格未采用，请核对原文件"),
            ));
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_domain::report::layout::{APPLICANT_COLUMNS, ROW_NEW, TOTAL};
    use gongkai_domain::report::{Format, Num};

    fn row(vals: [i64; 7]) -> Report {
        let mut r = Report::blank("某局", 2022, Format::F2021);
        r.cells.retain(|c| c.table == TABLE_3 && c.row == ROW_NEW);
        for (c, v) in APPLICANT_COLUMNS.iter().zip(vals) {
            r.set_int(TABLE_3, ROW_NEW, c, v);
        }
        r
    }

    #[test]
    fn a_stray_one_goes_only_where_one_choice_makes_the_row_add_up() {
        // 6 2 10 1 0 0 | 9: only 10 → 0 fits.
        let mut r = row([6, 2, 10, 1, 0, 0, 9]);
        stray_ones(&mut r);
        assert_eq!(
            r.get(TABLE_3, ROW_NEW, APPLICANT_COLUMNS[2]),
            Some(Num::int(0))
        );
        // 10 10 0 0 0 0 | 10: stripping the first or the second fits (0 + 10 = 10): left as read.
        let mut r = row([10, 10, 0, 0, 0, 0, 10]);
        stray_ones(&mut r);
        assert_eq!(
            r.get(TABLE_3, ROW_NEW, APPLICANT_COLUMNS[0]),
            Some(Num::int(10))
        );
        assert_eq!(r.get(TABLE_3, ROW_NEW, TOTAL), Some(Num::int(10)));
    }
}
