//! Tables rebuilt from a page's picture and its characters' positions, for PDFs whose text
//! stream does not keep a table's cells apart (a browser's print of a portal page: a number's
//! digits stacked on two or three lines, labels wrapped across lines that carry another row's
//! digits) and for scans.
//!
//! The ruled lines of a table are found on the page rendered in grey (`pdftoppm -gray`): long
//! dark runs across and down. A table is a set of such lines that cross; its grid is every line
//! position, and a cell is a group of grid slots with no ruled edge between them (so a merged
//! cell — rowspan or colspan — is one cell, as in HTML). Each character is then put in the cell
//! its centre falls in: a stacked number's digits, one cell, read top to bottom, are one number.
//! A word that crosses a cell's edge is split between its characters only when one of its
//! character boundaries lies on the edge; otherwise both cells are marked unreadable.
//! Table rows come out as [`Line`]s whose cells are tokens, as the HTML reader's do, so the same
//! row reader, with its certainty rules, reads them.

use crate::parse::Line;

/// A page rendered in grey, one byte a pixel (0 black, 255 white).
#[derive(Debug, Clone)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    fn dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.height && self.pixels[y * self.width + x] < 200
    }

    /// Images in binary PGM (P5, 8 bits), as `pdftoppm -gray` writes them, one after another.
    pub fn parse_pgm(mut data: &[u8]) -> Vec<Gray> {
        let mut out = Vec::new();
        while let Some((g, rest)) = Self::one_pgm(data) {
            out.push(g);
            data = rest;
        }
        out
    }

    fn one_pgm(data: &[u8]) -> Option<(Gray, &[u8])> {
        let data = data.strip_prefix(b"P5")?;
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 3 {
            while i < data.len() && data[i].is_ascii_whitespace() {
                i += 1;
            }
            if data.get(i) == Some(&b'#') {
                while i < data.len() && data[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < data.len() && data[i].is_ascii_digit() {
                i += 1;
            }
            fields.push(
                std::str::from_utf8(&data[start..i])
                    .ok()?
                    .parse::<usize>()
                    .ok()?,
            );
        }
        i += 1; // the single whitespace after the maximum value
        let (w, h, max) = (fields[0], fields[1], fields[2]);
        if max != 255 || w == 0 || h == 0 {
            return None;
        }
        let n = w.checked_mul(h)?;
        let pixels = data.get(i..i + n)?.to_vec();
        Some((
            Gray {
                width: w,
                height: h,
                pixels,
            },
            &data[i + n..],
        ))
    }
}

/// A word of a page with its box in the page's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// The index of the text line the word belongs to on its page (words of one line share it).
    pub line: usize,
}

/// One table found on a page: its grid's line positions and its cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// y of the horizontal grid lines, top to bottom.
    pub ys: Vec<usize>,
    /// x of the vertical grid lines, left to right.
    pub xs: Vec<usize>,
    /// Every slot's cell: `cell[row][col]` is the index of its cell in `cells`.
    pub cell: Vec<Vec<usize>>,
    /// Cells: (first row, first column, last row, last column) in slots.
    pub cells: Vec<(usize, usize, usize, usize)>,
}

impl Table {
    pub fn top(&self) -> usize {
        self.ys[0]
    }
    fn contains(&self, x: f64, y: f64) -> bool {
        x > self.xs[0] as f64
            && x < self.xs[self.xs.len() - 1] as f64
            && y > self.ys[0] as f64
            && y < self.ys[self.ys.len() - 1] as f64
    }
    /// The cell whose slots contain the point.
    fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let col = self.xs.iter().rposition(|&v| (v as f64) < x)?;
        let row = self.ys.iter().rposition(|&v| (v as f64) < y)?;
        (col + 1 < self.xs.len() && row + 1 < self.ys.len()).then(|| self.cell[row][col])
    }
    /// The pixel box of a cell (inside its ruled edges).
    pub fn cell_box(&self, c: usize) -> (usize, usize, usize, usize) {
        let (r0, c0, r1, c1) = self.cells[c];
        (self.xs[c0], self.ys[r0], self.xs[c1 + 1], self.ys[r1 + 1])
    }
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Position across the run (y of a horizontal run, x of a vertical one).
    at: usize,
    from: usize,
    to: usize,
}

/// Dark runs at least `min` long along rows (`horizontal`) or columns, thick runs merged into
/// one line at their middle.
fn runs(g: &Gray, horizontal: bool, min: usize) -> Vec<Seg> {
    let (outer, inner) = if horizontal {
        (g.height, g.width)
    } else {
        (g.width, g.height)
    };
    let mut raw = Vec::new();
    for o in 0..outer {
        let mut start = None;
        for i in 0..=inner {
            let d = i < inner
                && if horizontal {
                    g.dark(i, o)
                } else {
                    g.dark(o, i)
                };
            match (d, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if i - s >= min {
                        raw.push(Seg {
                            at: o,
                            from: s,
                            to: i - 1,
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    // Merge runs on neighbouring rows (a line two or three pixels thick) that overlap.
    let mut merged: Vec<(Seg, usize, usize)> = Vec::new(); // (seg, first at, last at)
    for s in raw {
        if let Some(m) = merged
            .iter_mut()
            .rev()
            .take(64)
            .find(|(m, _, last)| s.at <= *last + 1 && s.from <= m.to + 2 && m.from <= s.to + 2)
        {
            m.0.from = m.0.from.min(s.from);
            m.0.to = m.0.to.max(s.to);
            m.2 = s.at;
        } else {
            merged.push((s, s.at, s.at));
        }
    }
    merged
        .into_iter()
        .filter(|(_, first, last)| last - first <= 6)
        .map(|(s, first, last)| Seg {
            at: (first + last) / 2,
            ..s
        })
        .collect()
}

fn cluster(mut v: Vec<usize>, tol: usize) -> Vec<usize> {
    v.sort_unstable();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x <= c[c.len() - 1] + tol => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.into_iter().map(|c| c[c.len() / 2]).collect()
}

/// Share of the run from `a` to `b` that is dark within one pixel of `at`.
fn coverage(g: &Gray, horizontal: bool, at: usize, a: usize, b: usize) -> f64 {
    if b <= a + 2 {
        return 0.0;
    }
    let (a, b) = (a + 2, b - 2);
    let mut dark = 0;
    for i in a..=b {
        let hit = (at.saturating_sub(2)..=at + 2).any(|o| {
            if horizontal {
                g.dark(i, o)
            } else {
                g.dark(o, i)
            }
        });
        if hit {
            dark += 1;
        }
    }
    dark as f64 / (b - a + 1) as f64
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The ruled tables of a page. `dpi` sets the shortest run taken for a line.
pub fn tables(g: &Gray, dpi: u32) -> Vec<Table> {
    let min_h = (dpi as usize * 15 / 100).max(12); // 3.8 mm
    let min_v = (dpi as usize * 8 / 100).max(8); // 2 mm
    let hs = runs(g, true, min_h);
    if hs.len() < 2 {
        return Vec::new();
    }
    let touches = |y: usize, x: usize, v: &Seg| {
        y + 3 >= v.from && y <= v.to + 3 && x + 3 >= v.at && x <= v.at + 3
    };
    // Vertical runs that meet or cross two horizontal lines are table edges (an outer edge
    // may run on past the last line, to a page break); glyph strokes do not.
    let vs: Vec<Seg> = runs(g, false, min_v)
        .into_iter()
        .filter(|v| {
            hs.iter()
                .filter(|h| {
                    h.at + 3 >= v.from && h.at <= v.to + 3 && h.from <= v.at + 3 && v.at <= h.to + 3
                })
                .count()
                >= 2
        })
        .collect();
    if vs.len() < 2 {
        return Vec::new();
    }
    // Tables: horizontal and vertical lines that cross, grouped.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            let crosses = v.at + 3 >= h.from && v.at <= h.to + 3 && touches(h.at, v.at, v);
            if crosses {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        let r = find(&mut parent, hs.len() + j);
        groups.entry(r).or_default().1.push(*v);
    }
    let mut out: Vec<Table> = groups
        .into_values()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        // A table has a line at least 2 cm long; a large heading's strokes that cross (三 over
        // the stem of 府) are no table.
        .filter(|(h, _)| h.iter().any(|s| s.to - s.from >= dpi as usize * 8 / 10))
        .filter_map(|(h, v)| table_of(g, &h, &v))
        .collect();
    out.sort_by_key(|t| t.top());
    out
}

fn table_of(g: &Gray, hs: &[Seg], vs: &[Seg]) -> Option<Table> {
    let ys = cluster(hs.iter().map(|s| s.at).collect(), 3);
    let mut xs = cluster(vs.iter().map(|s| s.at).collect(), 3);
    // A table wider than the page (a browser's print at a narrow width) is cut at the page's
    // edge: its rows' lines run on past the last ruled edge to where the page ends. The end of
    // those lines is the table's edge there.
    // Counted per ruled line, not per run: on a scan a line turned a little breaks into a long
    // run and short pieces beside it, which end where the line does not.
    if let Some(&last) = xs.last() {
        let mut ends: Vec<usize> = ys
            .iter()
            .filter_map(|&y| {
                hs.iter()
                    .filter(|s| s.at.abs_diff(y) <= 3)
                    .map(|s| s.to)
                    .max()
            })
            .filter(|&e| e > last + 8)
            .collect();
        if ends.len() * 2 > ys.len() {
            ends.sort_unstable();
            xs.push(ends[ends.len() / 2]);
        }
    }
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        for c in 0..cols {
            // No ruled edge to the right: one cell with its neighbour.
            if c + 1 < cols && coverage(g, false, xs[c + 1], ys[r], ys[r + 1]) < 0.8 {
                let (a, b) = (
                    find(&mut parent, r * cols + c),
                    find(&mut parent, r * cols + c + 1),
                );
                parent[a] = b;
            }
            if r + 1 < rows && coverage(g, true, ys[r + 1], xs[c], xs[c + 1]) < 0.8 {
                let (a, b) = (
                    find(&mut parent, r * cols + c),
                    find(&mut parent, (r + 1) * cols + c),
                );
                parent[a] = b;
            }
        }
    }
    let mut index = std::collections::HashMap::new();
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut cell = vec![vec![0usize; cols]; rows];
    for (r, row) in cell.iter_mut().enumerate() {
        for (c, slot) in row.iter_mut().enumerate() {
            let root = find(&mut parent, r * cols + c);
            let k = *index.entry(root).or_insert_with(|| {
                cells.push((r, c, r, c));
                cells.len() - 1
            });
            let b = &mut cells[k];
            b.0 = b.0.min(r);
            b.1 = b.1.min(c);
            b.2 = b.2.max(r);
            b.3 = b.3.max(c);
            *slot = k;
        }
    }
    Some(Table {
        ys,
        xs,
        cell,
        cells,
    })
}

/// What a cell holds: its characters in reading order, or `None` when a word crossed its edge
/// between two characters (the cell is then unreadable).
type CellText = Option<String>;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x9fff | 0xff00..=0xffef)
}

fn join(a: &mut String, b: &str) {
    let last_cjk = a.chars().last().is_some_and(is_cjk);
    let first_cjk = b.chars().next().is_some_and(is_cjk);
    if !a.is_empty() && !last_cjk && !first_cjk {
        a.push(' ');
    }
    a.push_str(b);
}

/// Puts each character of `words` into the cell of `t` its centre falls in. Returns the cells'
/// texts and the words left outside the table.
fn fill(t: &Table, words: &[Word]) -> (Vec<CellText>, Vec<Word>) {
    // Per cell: (line, x, piece) to order by line then x.
    let mut parts: Vec<Vec<(f64, f64, String)>> = vec![Vec::new(); t.cells.len()];
    let mut broken = vec![false; t.cells.len()];
    let mut outside = Vec::new();
    for w in words {
        let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.y0 + w.y1) / 2.0);
        if !t.contains(cx, cy) {
            outside.push(w.clone());
            continue;
        }
        let chars: Vec<char> = w.text.chars().collect();
        let n = chars.len().max(1) as f64;
        let cw = (w.x1 - w.x0) / n;
        let mut prev: Option<usize> = None;
        let mut piece = String::new();
        let mut piece_x = w.x0;
        for (k, ch) in chars.iter().enumerate() {
            let x = w.x0 + cw * (k as f64 + 0.5);
            let Some(c) = t.cell_at(x, cy) else { continue };
            if let Some(p) = prev
                && p != c
            {
                // The word crosses an edge here: the edge must lie on a character boundary.
                let boundary = w.x0 + cw * k as f64;
                let on_edge =
                    t.xs.iter()
                        .any(|&e| (e as f64 - boundary).abs() <= cw * 0.25);
                if !on_edge {
                    broken[p] = true;
                    broken[c] = true;
                }
                parts[p].push((cy, piece_x, std::mem::take(&mut piece)));
                piece_x = x;
            }
            prev = Some(c);
            piece.push(*ch);
        }
        if let Some(p) = prev {
            parts[p].push((cy, piece_x, piece));
        }
    }
    let texts = parts
        .into_iter()
        .zip(broken)
        .map(|(mut ps, broken)| {
            if broken {
                return None;
            }
            // Top to bottom (lines of one cell more than half a line apart), then left to right.
            ps.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            // A cell's pieces are one value or one label wrapped: joined without a space, except
            // between two Latin words.
            let mut s = String::new();
            for (_, _, p) in ps {
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
                if latin(s.chars().last()) && latin(p.chars().next()) {
                    s.push(' ');
                }
                s.push_str(&p);
            }
            Some(s)
        })
        .collect();
    (texts, outside)
}

/// A table's rows as lines: each row's cells are the cells that start in it (a rowspan's
/// continuation is no cell, a colspan is one), left to right; a cell a word crossed is a
/// garbage value.
pub fn table_lines(t: &Table, words: &[Word]) -> (Vec<(usize, Line)>, Vec<Word>) {
    let (texts, outside) = fill(t, words);
    let mut out = Vec::new();
    for r in 0..t.ys.len() - 1 {
        let mut cells = Vec::new();
        let mut seen = Vec::new();
        for c in 0..t.xs.len() - 1 {
            let k = t.cell[r][c];
            if t.cells[k].0 != r || seen.contains(&k) {
                continue;
            }
            seen.push(k);
            cells.push(texts[k].clone().unwrap_or_else(|| "？".into()));
        }
        if cells.iter().any(|c| !c.is_empty()) {
            out.push((t.ys[r], crate::structured::row_line(cells)));
        }
    }
    (out, outside)
}

/// Words outside tables as text lines: words of one line joined (CJK without a space).
pub fn text_lines(words: &[Word]) -> Vec<(usize, Line)> {
    let mut by_line: std::collections::BTreeMap<usize, Vec<&Word>> = Default::default();
    for w in words {
        by_line.entry(w.line).or_default().push(w);
    }
    by_line
        .into_values()
        .map(|mut ws| {
            ws.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let mut s = String::new();
            for w in &ws {
                join(&mut s, &w.text);
            }
            let y = ws.iter().map(|w| w.y0).fold(f64::MAX, f64::min);
            (y.max(0.0) as usize, Line::text(s))
        })
        .collect()
}

/// A page's lines in order down the page: text lines and the tables' rows.
pub fn page_lines(g: &Gray, dpi: u32, words: &[Word]) -> Vec<Line> {
    let mut rest: Vec<Word> = words.to_vec();
    let mut items: Vec<(usize, usize, Line)> = Vec::new(); // (y, order, line)
    for t in tables(g, dpi) {
        let (rows, outside) = table_lines(&t, &rest);
        rest = outside;
        for (y, l) in rows {
            items.push((y, items.len(), l));
        }
    }
    for (y, l) in text_lines(&rest) {
        items.push((y, items.len(), l));
    }
    items.sort_by_key(|(y, o, _)| (*y, *o));
    items.into_iter().map(|(_, _, l)| l).collect()
}

/// `g` turned by `deg` degrees about its centre (bilinear), white where nothing was.
pub fn rotate(g: &Gray, deg: f64) -> Gray {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (g.width as f64 / 2.0, g.height as f64 / 2.0);
    let mut p = vec![255u8; g.pixels.len()];
    for y in 0..g.height {
        let dy = y as f64 - cy;
        for x in 0..g.width {
            let dx = x as f64 - cx;
            let sx = c * dx + s * dy + cx;
            let sy = -s * dx + c * dy + cy;
            if sx < 0.0 || sy < 0.0 || sx >= (g.width - 1) as f64 || sy >= (g.height - 1) as f64 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
            let at = |x: usize, y: usize| g.pixels[y * g.width + x] as f64;
            let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x0 + 1, y0) * fx * (1.0 - fy)
                + at(x0, y0 + 1) * (1.0 - fx) * fy
                + at(x0 + 1, y0 + 1) * fx * fy;
            p[y * g.width + x] = v.round() as u8;
        }
    }
    Gray {
        pixels: p,
        ..g.clone()
    }
}

/// The slope of a scanned page's lines, in degrees (within ±3°): the angle whose projection of
/// the dark pixels along it gives the sharpest profile (text lines and ruled lines piled up).
pub fn skew(g: &Gray) -> f64 {
    let mut dark = Vec::new();
    let step = ((g.width * g.height) / 400_000).max(1);
    let mut i = 0;
    while i < g.pixels.len() {
        if g.pixels[i] < 128 {
            dark.push(((i % g.width) as f64, (i / g.width) as f64));
        }
        i += step;
    }
    if dark.len() < 100 {
        return 0.0;
    }
    let score = |deg: f64| {
        let t = deg.to_radians().tan();
        let mut bins = vec![0u32; g.height * 2 + 1];
        for (x, y) in &dark {
            let b = (y - x * t + g.height as f64 / 2.0).round();
            if b >= 0.0 && (b as usize) < bins.len() {
                bins[b as usize] += 1;
            }
        }
        bins.iter().map(|&c| (c as f64).powi(2)).sum::<f64>()
    };
    let mut best = (0.0, score(0.0));
    for k in -30..=30 {
        let deg = k as f64 / 10.0;
        let s = score(deg);
        if s > best.1 {
            best = (deg, s);
        }
    }
    let coarse = best.0;
    for k in -9..=9 {
        let deg = coarse + k as f64 / 100.0;
        let s = score(deg);
        if s > best.1 {
            best = (deg, s);
        }
    }
    best.0
}

/// A scanned page turned straight (a skew under 0.05° is left as it is).
pub fn deskew(g: &Gray) -> Gray {
    let a = skew(g);
    if a.abs() < 0.05 {
        g.clone()
    } else {
        rotate(g, -a)
    }
}

/// The table's ruled lines painted white (so OCR does not read them as characters).
pub fn erase_lines(g: &mut Gray, t: &Table) {
    let (x0, x1) = (t.xs[0], t.xs[t.xs.len() - 1]);
    let (y0, y1) = (t.ys[0], t.ys[t.ys.len() - 1]);
    for &y in &t.ys {
        for yy in y.saturating_sub(3)..=(y + 3).min(g.height - 1) {
            for x in x0.saturating_sub(3)..=(x1 + 3).min(g.width - 1) {
                g.pixels[yy * g.width + x] = 255;
            }
        }
    }
    for &x in &t.xs {
        for y in y0.saturating_sub(3)..=(y1 + 3).min(g.height - 1) {
            for xx in x.saturating_sub(3)..=(x + 3).min(g.width - 1) {
                g.pixels[y * g.width + xx] = 255;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with a ruled grid: rows at `ys`, columns at `xs`, the vertical edge at
    /// xs[1] missing in the first row (a cell spanning two columns there).
    fn page(xs: &[usize], ys: &[usize]) -> Gray {
        let (w, h) = (400, 300);
        let mut p = vec![255u8; w * h];
        for &y in ys {
            for x in xs[0]..=xs[xs.len() - 1] {
                p[y * w + x] = 0;
            }
        }
        for (j, &x) in xs.iter().enumerate() {
            for y in ys[0]..=ys[ys.len() - 1] {
                if j == 1 && y < ys[1] {
                    continue;
                }
                p[y * w + x] = 0;
            }
        }
        Gray {
            width: w,
            height: h,
            pixels: p,
        }
    }

    fn word(text: &str, x0: f64, y0: f64, x1: f64, y1: f64, line: usize) -> Word {
        Word {
            text: text.into(),
            x0,
            y0,
            x1,
            y1,
            line,
        }
    }

    #[test]
    fn a_ruled_grid_with_a_merged_cell_and_stacked_digits() {
        let g = page(&[20, 120, 180, 240], &[40, 80, 140, 200]);
        let ts = tables(&g, 100);
        assert_eq!(ts.len(), 1);
        let t = &ts[0];
        assert_eq!(t.xs, vec![20, 120, 180, 240]);
        assert_eq!(t.ys, vec![40, 80, 140, 200]);
        // First row: the first two slots are one cell.
        assert_eq!(t.cell[0][0], t.cell[0][1]);
        assert_ne!(t.cell[1][0], t.cell[1][1]);
        let words = vec![
            word("申请人情况", 30.0, 50.0, 110.0, 70.0, 0),
            word("总计", 190.0, 50.0, 230.0, 70.0, 0),
            word("（一）予以公开", 25.0, 95.0, 115.0, 115.0, 1),
            // 215 stacked in the second column, 1 in the third, on the digits' lines.
            word("２", 140.0, 85.0, 152.0, 97.0, 1),
            word("１", 140.0, 100.0, 152.0, 112.0, 2),
            word("５", 140.0, 115.0, 152.0, 127.0, 3),
            word("2", 200.0, 100.0, 206.0, 112.0, 2),
            word("16", 200.0, 115.0, 212.0, 127.0, 3),
            word("正文", 20.0, 250.0, 60.0, 262.0, 9),
        ];
        let (rows, outside) = table_lines(t, &words);
        assert_eq!(outside.len(), 1);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1.text, "（一）予以公开 ２１５ 216");
    }

    #[test]
    fn a_word_across_an_edge_off_a_character_boundary_makes_both_cells_unreadable() {
        let g = page(&[20, 120, 180, 240], &[40, 80, 140, 200]);
        let t = &tables(&g, 100)[0];
        // "3 4" glued by the extractor into one word whose character boundary is 10 px off
        // the edge at 180.
        let words = vec![
            word("label", 25.0, 95.0, 115.0, 115.0, 1),
            word("34", 140.0, 95.0, 200.0, 115.0, 1),
        ];
        let (rows, _) = table_lines(t, &words);
        assert_eq!(rows[0].1.text, "label ？ ？");
        // On the boundary: split.
        let words = vec![
            word("label", 25.0, 95.0, 115.0, 115.0, 1),
            word("34", 170.0, 95.0, 190.0, 115.0, 1),
        ];
        let (rows, _) = table_lines(t, &words);
        assert_eq!(rows[0].1.text, "label 3 4");
    }

    #[test]
    fn pgm_images_one_after_another() {
        let mut data = b"P5\n2 1\n255\n\x00\xff".to_vec();
        data.extend_from_slice(b"P5 1 2 255 \x10\x20");
        let g = Gray::parse_pgm(&data);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].pixels, vec![0, 255]);
        assert_eq!((g[1].width, g[1].height), (1, 2));
    }
}
