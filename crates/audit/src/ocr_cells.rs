//! A scanned page read cell by cell: once the ruled grid is found ([`crate::grid::tables`]),
//! every cell's ink is cut out (inside its ruled edges, specks ignored), enlarged, and put on
//! its own line of a picture of all the page's cells — one picture read as Chinese text, one
//! read as digits only (`tessedit_char_whitelist`) — so a page costs a few tesseract runs, not
//! one per cell. A cell is a number cell when its Chinese reading holds no Chinese character;
//! its digits reading is then taken. The text outside the tables is read from the page with the
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

/// The part of `g` in `b`, enlarged by `SCALE` (bilinear).
fn crop(g: &Gray, b: (usize, usize, usize, usize)) -> Gray {
    let (w, h) = (b.2 - b.0, b.3 - b.1);
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
            let at = |x: usize, y: usize| g.pixels[(b.1 + y) * g.width + b.0 + x] as f64;
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

/// The words of a strip's OCR given back to its pictures: each word to the picture whose rows
/// hold its centre, a picture's words in reading order (line, then left to right), joined with
/// no space.
pub fn assign(words: &[Word], rows: &[(usize, usize)]) -> Vec<String> {
    let mut per: Vec<Vec<&Word>> = vec![Vec::new(); rows.len()];
    for w in words {
        let cy = (w.y0 + w.y1) / 2.0;
        if let Some(i) = rows.iter().position(|&(a, b)| {
            cy >= a as f64 - GAP as f64 / 2.0 && cy < b as f64 + GAP as f64 / 2.0
        }) {
            per[i].push(w);
        }
    }
    per.into_iter()
        .map(|mut ws| {
            ws.sort_by(|a, b| a.line.cmp(&b.line).then(a.x0.total_cmp(&b.x0)));
            ws.iter().map(|w| w.text.trim()).collect::<String>()
        })
        .collect()
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

/// The strips of a page's cells (at most `PER_STRIP` cells each) with their rows.
pub fn strips(g: &Gray, cells: &[InkCell]) -> Vec<(Gray, Vec<(usize, usize)>)> {
    cells
        .chunks(PER_STRIP)
        .map(|chunk| {
            let parts: Vec<Gray> = chunk.iter().map(|c| crop(g, c.ink)).collect();
            strip(&parts)
        })
        .collect()
}

/// The readings of the cells as words placed in their cells (one word per cell, spread over
/// the cell's ink), for [`crate::grid::page_lines`]. `text` and `digits` are each cell's
/// Chinese and digits-only readings; a cell whose Chinese reading has no Chinese character is
/// a number cell and takes its digits reading (a number cell whose digits reading is empty is
/// unreadable: `？`).
pub fn cell_words(
    cells: &[InkCell],
    text: &[String],
    digits: &[String],
    first_line: usize,
) -> Vec<Word> {
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = text.get(i).map(String::as_str).unwrap_or("");
            let d = digits.get(i).map(String::as_str).unwrap_or("");
            // One Chinese character where a digit stands (号 for 5) is a misread number.
            let value = if t.chars().filter(|c| has_cjk(&c.to_string())).count() > 1
                || (has_cjk(t) && d.is_empty())
            {
                t.to_string()
            } else if d.is_empty() {
                "？".to_string()
            } else {
                d.to_string()
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
            w("5", rows[1].0 as f64 + 5.0, 40.0, 1),
            w("1", rows[1].0 as f64 + 5.0, 30.0, 1),
            w("7", rows[0].0 as f64 + 2.0, 30.0, 0),
        ];
        assert_eq!(
            assign(&words, &rows),
            vec!["7".to_string(), "15".to_string()]
        );
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
        let text = vec!["予以公开".to_string(), "l0".to_string(), "o".to_string()];
        let digits = vec!["".to_string(), "10".to_string(), "".to_string()];
        let ws = cell_words(&cells, &text, &digits, 0);
        assert_eq!(ws[0].text, "予以公开");
        assert_eq!(ws[1].text, "10");
        assert_eq!(ws[2].text, "？");
    }
}
