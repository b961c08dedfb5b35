//! A scanned page read cell by cell: once the ruled grid is found ([`crate::grid::tables`]),
//! every cell's ink is cut out (inside its ruled edges, specks ignored), enlarged, and put on
//! its own line of a picture of all the page's cells — one picture read as Chinese text, one
//! read as digits only (`tessedit_char_whitelist`), that one with each cell's lines of ink set
//! side by side and its wide gaps closed up (stacked and full-width digits) — so a page costs a
//! few tesseract runs, not one per cell. A cell is a number cell unless its Chinese reading has
//! Chinese characters tesseract is sure of (its misreadings of digits score 0); its value is
//! what the two readings agree on or the one tesseract is sure of ([`number_of`]). The text outside the tables is read from the page with the
//! tables painted white. The cells' readings are given back as words placed in their cells, so
//! the grid's row reader ([`crate::grid::page_lines`]) reads them as it reads a PDF's.

use crate::grid::{Gray, Table, Word};

/// Enlargement of a cell's ink before OCR (the page is rendered at 200 dpi; tesseract reads
/// best at about 300).
const SCALE: f64 = 1.5;
/// White between two cells' lines in the strip, and around it.
const GAP: usize = 28;
/// Cells per strip (a strip stays well under tesseract's picture size limit).
const PER_STRIP: usize = 90;

/// The box (x0, y0, x1, y1) of a cell's ink, inside its ruled edges, or `None` when the cell is
/// blank (fewer dark pixels than a small digit has).
pub fn ink_box(g: &Gray, b: (usize, usize, usize, usize)) -> Option<(usize, usize, usize, usize)> {
    let inset = 8;
    let (x0, y0) = (b.0 + inset, b.1 + inset);
    let (x1, y1) = (b.2.saturating_sub(inset), b.3.saturating_sub(inset));
    if x1 <= x0 + 2 || y1 <= y0 + 2 || x1 > g.width || y1 > g.height {
        return None;
    }
    let dark = |x: usize, y: usize| g.pixels[y * g.width + x] < 128;
    // A row or column with a single dark pixel is a speck, not a stroke.
    let rows: Vec<usize> = (y0..y1)
        .filter(|&y| (x0..x1).filter(|&x| dark(x, y)).count() >= 2)
        .collect();
    let cols: Vec<usize> = (x0..x1)
        .filter(|&x| (y0..y1).filter(|&y| dark(x, y)).count() >= 2)
        .collect();
    let total: usize = (y0..y1)
        .map(|y| (x0..x1).filter(|&x| dark(x, y)).count())
        .sum();
    if rows.is_empty() || cols.is_empty() || total < 20 {
        return None;
    }
    let pad = 3;
    Some((
        cols[0].saturating_sub(pad).max(x0),
        rows[0].saturating_sub(pad).max(y0),
        (cols[cols.len() - 1] + pad + 1).min(x1),
        (rows[rows.len() - 1] + pad + 1).min(y1),
    ))
}

/// The widest white gap kept between two strokes of a cell's ink, in pixels at
/// [`crate::scan::OCR_DPI`]: digits set a full em apart (`３ ７`, a font's full-width digits) are
/// read by tesseract as one digit and a speck; closed up to this they read as one number.
const MAX_GAP: usize = 6;

/// The part of `g` in `b` for the digits reading: its lines of ink (a number wrapped in a
/// narrow cell, `18` over `5`) set side by side on one line, in order, and its white gaps
/// closed up to `MAX_GAP` columns — tesseract drops or misreads a lone digit on a line of its
/// own.
fn closed_up(g: &Gray, b: (usize, usize, usize, usize)) -> Gray {
    let parts: Vec<Gray> = bands(g, b)
        .into_iter()
        .map(|(y0, y1)| closed_up_by(g, (b.0, y0, b.2, y1), MAX_GAP))
        .collect();
    if parts.len() <= 1 {
        return closed_up_by(g, b, MAX_GAP);
    }
    let height = parts.iter().map(|p| p.height).max().unwrap_or(1);
    let width = parts.iter().map(|p| p.width + MAX_GAP).sum::<usize>();
    let mut pixels = vec![255u8; width * height];
    let mut x = 0;
    for p in &parts {
        // Each line sits on the bottom (digits stand on one base line).
        let top = height - p.height;
        for y in 0..p.height {
            let at = (top + y) * width + x;
            pixels[at..at + p.width].copy_from_slice(&p.pixels[y * p.width..(y + 1) * p.width]);
        }
        x += p.width + MAX_GAP;
    }
    Gray {
        width,
        height,
        pixels,
    }
}

/// The lines of ink in `b`: runs of rows with ink, split where two rows or more are white,
/// each at least a small digit's height (a speck's row is no line).
fn bands(g: &Gray, b: (usize, usize, usize, usize)) -> Vec<(usize, usize)> {
    let ink = |y: usize| {
        (b.0..b.2)
            .filter(|&x| g.pixels[y * g.width + x] < 128)
            .count()
            >= 2
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    let mut white = 0;
    for y in b.1..=b.3 {
        if y < b.3 && ink(y) {
            start.get_or_insert(y);
            white = 0;
            continue;
        }
        white += 1;
        if let Some(s) = start
            && (white >= 2 || y == b.3)
        {
            let end = y + 1 - white;
            if end > s + 8 {
                out.push((s.saturating_sub(2).max(b.1), (end + 2).min(b.3)));
            }
            start = None;
        }
    }
    out
}

fn closed_up_by(g: &Gray, b: (usize, usize, usize, usize), max_gap: usize) -> Gray {
    let (w, h) = (b.2 - b.0, b.3 - b.1);
    let at = |x: usize, y: usize| g.pixels[(b.1 + y) * g.width + b.0 + x];
    // A column with fewer than two dark pixels is white (a speck is no stroke).
    let white: Vec<bool> = (0..w)
        .map(|x| (0..h).filter(|&y| at(x, y) < 128).count() < 2)
        .collect();
    let mut keep = Vec::with_capacity(w);
    let mut run = 0;
    for (x, &wh) in white.iter().enumerate() {
        run = if wh { run + 1 } else { 0 };
        if run <= max_gap {
            keep.push(x);
        }
    }
    let nw = keep.len().max(1);
    let mut pixels = vec![255u8; nw * h];
    for y in 0..h {
        for (i, &x) in keep.iter().enumerate() {
            pixels[y * nw + i] = at(x, y);
        }
    }
    Gray {
        width: nw,
        height: h,
        pixels,
    }
}

/// The part of `g` in `b` enlarged by `SCALE` (bilinear), its gaps closed up
/// ([`closed_up`]) for the digits reading (a Chinese character's own strokes can stand further
/// apart than `MAX_GAP`: 八, 川).
fn crop(g: &Gray, b: (usize, usize, usize, usize), close: bool) -> Gray {
    let g = &if close {
        closed_up(g, b)
    } else {
        closed_up_by(g, b, usize::MAX)
    };
    let (w, h) = (g.width, g.height);
    let (nw, nh) = (
        ((w as f64) * SCALE).round() as usize,
        ((h as f64) * SCALE).round() as usize,
    );
    let mut p = vec![255u8; nw * nh];
    for y in 0..nh {
        let sy = (y as f64 / SCALE).min((h - 1) as f64);
        let (y0, fy) = (sy as usize, sy - sy.floor());
        let y1 = (y0 + 1).min(h - 1);
        for x in 0..nw {
            let sx = (x as f64 / SCALE).min((w - 1) as f64);
            let (x0, fx) = (sx as usize, sx - sx.floor());
            let x1 = (x0 + 1).min(w - 1);
            let at = |x: usize, y: usize| g.pixels[y * w + x] as f64;
            let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x1, y0) * fx * (1.0 - fy)
                + at(x0, y1) * (1.0 - fx) * fy
                + at(x1, y1) * fx * fy;
            p[y * nw + x] = v.round() as u8;
        }
    }
    Gray {
        width: nw,
        height: nh,
        pixels: p,
    }
}

/// Pictures one under another on white; returns the strip and each picture's rows in it.
pub fn strip(parts: &[Gray]) -> (Gray, Vec<(usize, usize)>) {
    let width = parts.iter().map(|p| p.width).max().unwrap_or(0) + 2 * GAP;
    let height = parts.iter().map(|p| p.height + GAP).sum::<usize>() + GAP;
    let mut pixels = vec![255u8; width * height];
    let mut rows = Vec::with_capacity(parts.len());
    let mut y = GAP;
    for p in parts {
        for r in 0..p.height {
            let at = (y + r) * width + GAP;
            pixels[at..at + p.width].copy_from_slice(&p.pixels[r * p.width..(r + 1) * p.width]);
        }
        rows.push((y, y + p.height));
        y += p.height + GAP;
    }
    (
        Gray {
            width,
            height,
            pixels,
        },
        rows,
    )
}

/// What tesseract read in one picture: its words joined, and the lowest and highest
/// confidence (0–100) it gave a word of it (both 0 when it read nothing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub text: String,
    pub min_conf: f64,
    pub max_conf: f64,
}

impl Reading {
    /// A reading with every word as sure as `conf` (tests, and readings without scores).
    pub fn sure(text: &str, conf: f64) -> Reading {
        Reading {
            text: text.to_string(),
            min_conf: conf,
            max_conf: conf,
        }
    }
}

/// The words of a strip's OCR given back to its pictures: each word to the picture whose rows
/// hold its centre, a picture's words in reading order (line, then left to right), joined with
/// no space.
pub fn assign(words: &[(Word, f64)], rows: &[(usize, usize)]) -> Vec<Reading> {
    let mut per: Vec<Vec<&(Word, f64)>> = vec![Vec::new(); rows.len()];
    // A word of dots alone is a speck (its confidence says nothing of the cell's digits).
    for sw in words.iter().filter(|w| !w.0.text.chars().all(|c| c == '.')) {
        let w = &sw.0;
        let cy = (w.y0 + w.y1) / 2.0;
        if let Some(i) = rows.iter().position(|&(a, b)| {
            cy >= a as f64 - GAP as f64 / 2.0 && cy < b as f64 + GAP as f64 / 2.0
        }) {
            per[i].push(sw);
        }
    }
    per.into_iter()
        .map(|mut ws| {
            ws.sort_by(|a, b| a.0.line.cmp(&b.0.line).then(a.0.x0.total_cmp(&b.0.x0)));
            let confs = ws.iter().map(|w| w.1);
            Reading {
                text: ws.iter().map(|w| w.0.text.trim()).collect::<String>(),
                min_conf: if ws.is_empty() {
                    0.0
                } else {
                    confs.clone().fold(f64::MAX, f64::min)
                },
                max_conf: confs.fold(0.0, f64::max),
            }
        })
        .collect()
}

/// A reading as a number: its digits with the dots a speck leaves before or after them
/// (`2.` under a stacked `22`) taken off, or `None` when it is not digits and dots.
pub fn as_number(s: &str) -> Option<&str> {
    let t = s.trim_matches('.');
    (!t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1)
        .then_some(t)
}

/// Confidence under which tesseract's reading of a picture is taken for none: a Chinese
/// reading whose every word scores under it is what it makes of digits (`叶子` for a
/// spaced `3 7`, scored 0), a number under it is a guess (`10` for a lone `0`, scored 0).
pub const SURE: f64 = 50.0;

/// The value of a number cell from its two readings: the one they agree on; where they differ,
/// the one tesseract is sure of when the other it is not (a lone `0` read as `10` with
/// confidence 0 in the digits reading and as `0` with 90 in the Chinese one), the digits
/// reading when it is sure or the Chinese reading saw no Chinese; else none. Whatever it gives
/// is stated only where the tables' arithmetic proves it ([`crate::identities`]).
pub fn number_of(text: &Reading, digits: &Reading) -> Option<String> {
    let t = as_number(&text.text);
    let d = as_number(&digits.text);
    let sure_t = t.filter(|_| text.min_conf >= SURE);
    match (sure_t, d) {
        (_, Some(d)) if t == Some(d) => Some(d.to_string()),
        (Some(t), _) if digits.min_conf < SURE || d.is_none() => Some(t.to_string()),
        (_, Some(d)) if digits.min_conf >= SURE || !has_cjk(&text.text) => Some(d.to_string()),
        (_, Some(d)) if same_digits(&text.text, d) => Some(d.to_string()),
        _ => None,
    }
}

/// Whether a Chinese reading that took a digit for a character (`18宁` of a stacked `18` over
/// `5`) has the digits reading's length and its digits wherever it saw one.
fn same_digits(text: &str, digits: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let d: Vec<char> = digits.chars().collect();
    t.len() == d.len()
        && t.iter().any(|c| c.is_ascii_digit())
        && t.iter().zip(&d).all(|(a, b)| !a.is_ascii_digit() || a == b)
}

/// Whether a cell's Chinese reading makes it a label whatever its digits reading says: more
/// than one Chinese character, and tesseract sure of one of them. Such cells are not read as
/// digits at all (a label's lines side by side make the digits strip long and slow).
pub fn sure_label(text: &Reading) -> bool {
    text.text
        .chars()
        .filter(|c| has_cjk(&c.to_string()))
        .count()
        > 1
        && text.max_conf >= SURE
}

/// Whether a reading holds a Chinese character (a label, not a number).
pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c as u32, 0x4e00..=0x9fff) && c != '〇')
}

/// One cell of a page to read: its table, its index there, and its ink's box on the page.
#[derive(Debug, Clone)]
pub struct InkCell {
    pub table: usize,
    pub cell: usize,
    pub ink: (usize, usize, usize, usize),
}

/// The non-blank cells of the tables of a page.
pub fn ink_cells(g: &Gray, tables: &[Table]) -> Vec<InkCell> {
    let mut out = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        for c in 0..t.cells.len() {
            if let Some(ink) = ink_box(g, t.cell_box(c)) {
                out.push(InkCell {
                    table: ti,
                    cell: c,
                    ink,
                });
            }
        }
    }
    out
}

/// The strips of a page's cells (at most `PER_STRIP` cells each) with their rows; `close`:
/// each cell's gaps closed up, for the digits reading.
pub fn strips(g: &Gray, cells: &[InkCell], close: bool) -> Vec<(Gray, Vec<(usize, usize)>)> {
    cells
        .chunks(PER_STRIP)
        .map(|chunk| {
            let parts: Vec<Gray> = chunk.iter().map(|c| crop(g, c.ink, close)).collect();
            strip(&parts)
        })
        .collect()
}

/// The readings of the cells as words placed in their cells (one word per cell, spread over
/// the cell's ink), for [`crate::grid::page_lines`]. `text` and `digits` are each cell's
/// Chinese and digits-only readings. A cell is a label when its Chinese reading has Chinese
/// characters tesseract is sure of (more than one: one Chinese character where a digit stands,
/// 号 for 5, is a misread number); otherwise it is a number cell, valued by [`number_of`], and
/// unreadable (`？`) when that gives none.
pub fn cell_words(
    cells: &[InkCell],
    text: &[Reading],
    digits: &[Reading],
    first_line: usize,
) -> Vec<Word> {
    let none = Reading::default();
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = text.get(i).unwrap_or(&none);
            let d = digits.get(i).unwrap_or(&none);
            let cjk = t.text.chars().filter(|c| has_cjk(&c.to_string())).count();
            let label = sure_label(t)
                || (cjk > 0 && as_number(&d.text).is_none() && as_number(&t.text).is_none());
            let value = if label {
                t.text.clone()
            } else {
                number_of(t, d).unwrap_or_else(|| "？".to_string())
            };
            let (x0, y0, x1, y1) = c.ink;
            Word {
                text: value,
                x0: x0 as f64,
                y0: y0 as f64,
                x1: x1 as f64,
                y1: y1 as f64,
                line: first_line + i,
            }
        })
        .collect()
}

/// The page with its tables painted white (what is left is the text around them).
pub fn without_tables(g: &Gray, tables: &[Table]) -> Gray {
    let mut out = g.clone();
    for t in tables {
        let (x0, x1) = (
            t.xs[0].saturating_sub(4),
            (t.xs[t.xs.len() - 1] + 5).min(g.width),
        );
        let (y0, y1) = (
            t.ys[0].saturating_sub(4),
            (t.ys[t.ys.len() - 1] + 5).min(g.height),
        );
        for y in y0..y1 {
            out.pixels[y * g.width + x0..y * g.width + x1].fill(255);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn white(w: usize, h: usize) -> Gray {
        Gray {
            width: w,
            height: h,
            pixels: vec![255; w * h],
        }
    }

    #[test]
    fn a_blank_or_speckled_cell_has_no_ink_and_a_stroke_has() {
        let mut g = white(100, 60);
        assert!(ink_box(&g, (0, 0, 100, 60)).is_none());
        // Specks: single dark pixels here and there.
        for (x, y) in [(20, 20), (50, 30), (70, 40)] {
            g.pixels[y * 100 + x] = 0;
        }
        assert!(ink_box(&g, (0, 0, 100, 60)).is_none());
        // A digit's stroke: a bar 3 wide, 20 high.
        for y in 20..40 {
            for x in 40..43 {
                g.pixels[y * 100 + x] = 0;
            }
        }
        let b = ink_box(&g, (0, 0, 100, 60)).expect("ink");
        assert!(b.0 <= 40 && b.2 >= 43 && b.1 <= 20 && b.3 >= 40, "{b:?}");
    }

    #[test]
    fn words_go_back_to_the_picture_whose_rows_hold_them() {
        let parts = vec![white(30, 20), white(50, 30)];
        let (s, rows) = strip(&parts);
        assert_eq!(rows, vec![(GAP, GAP + 20), (2 * GAP + 20, 2 * GAP + 50)]);
        assert_eq!(s.width, 50 + 2 * GAP);
        let w = |t: &str, y: f64, x: f64, line: usize| Word {
            text: t.into(),
            x0: x,
            x1: x + 10.0,
            y0: y,
            y1: y + 10.0,
            line,
        };
        let words = vec![
            (w("5", rows[1].0 as f64 + 5.0, 40.0, 1), 90.0),
            (w("1", rows[1].0 as f64 + 5.0, 30.0, 1), 40.0),
            (w("7", rows[0].0 as f64 + 2.0, 30.0, 0), 80.0),
        ];
        let read = assign(&words, &rows);
        assert_eq!(read[0], Reading::sure("7", 80.0));
        assert_eq!((read[1].text.as_str(), read[1].min_conf), ("15", 40.0));
        assert_eq!(read[1].max_conf, 90.0);
    }

    #[test]
    fn a_cell_without_chinese_takes_its_digits() {
        let cells = vec![
            InkCell {
                table: 0,
                cell: 0,
                ink: (0, 0, 10, 10),
            },
            InkCell {
                table: 0,
                cell: 1,
                ink: (20, 0, 30, 10),
            },
            InkCell {
                table: 0,
                cell: 2,
                ink: (40, 0, 50, 10),
            },
        ];
        let text = vec![
            Reading::sure("予以公开", 95.0),
            Reading::sure("l0", 70.0),
            Reading::sure("o", 60.0),
        ];
        let digits = vec![
            Reading::default(),
            Reading::sure("10", 90.0),
            Reading::default(),
        ];
        let ws = cell_words(&cells, &text, &digits, 0);
        assert_eq!(ws[0].text, "予以公开");
        assert_eq!(ws[1].text, "10");
        assert_eq!(ws[2].text, "？");
    }

    #[test]
    fn a_number_is_taken_from_the_reading_tesseract_is_sure_of() {
        // Spaced digits `3 7` read as Chinese with confidence 0: a number cell, not a label.
        let cells = vec![InkCell {
            table: 0,
            cell: 0,
            ink: (0, 0, 10, 10),
        }];
        let ws = cell_words(
            &cells,
            &[Reading::sure("叶子", 0.0)],
            &[Reading::sure("37", 96.0)],
            0,
        );
        assert_eq!(ws[0].text, "37");
        // A lone 0: `10` with confidence 0 as digits, `0` with 90 as Chinese.
        let n = number_of(&Reading::sure("0", 90.0), &Reading::sure("10", 0.0));
        assert_eq!(n.as_deref(), Some("0"));
        // Both sure and different: the digits reading.
        let n = number_of(&Reading::sure("3", 90.0), &Reading::sure("8", 92.0));
        assert_eq!(n.as_deref(), Some("8"));
        // A speck's dot after a stacked number's last line.
        let n = number_of(&Reading::sure("22<", 40.0), &Reading::sure("222.", 70.0));
        assert_eq!(n.as_deref(), Some("222"));
        // A stacked 18 over 5: 宁 for the 5, the digits reading unsure but of the same length
        // and digits.
        let n = number_of(&Reading::sure("18宁", 0.0), &Reading::sure("185", 8.0));
        assert_eq!(n.as_deref(), Some("185"));
        let n = number_of(&Reading::sure("3及", 40.0), &Reading::sure("3", 0.0));
        assert_eq!(n, None);
        // Neither a number: unreadable.
        assert_eq!(
            number_of(&Reading::sure("叶", 0.0), &Reading::default()),
            None
        );
        assert_eq!(as_number("0.0125"), Some("0.0125"));
        assert_eq!(as_number("1.2.3"), None);
    }
}
