//! The import framework every record type uses (and the applications importer reuses): read a
//! CSV (UTF-8, with or without BOM, or GBK) or XLSX file into a [`Table`] of text cells, map
//! headers to columns, parse typed cells, and report every problem in Chinese naming the row and
//! the column, e.g. `第3行“发布日期”列：日期格式应为 YYYY-MM-DD，而不是“2020/13/01”`.
//!
//! Row numbers are those a person sees in a spreadsheet: the header is row 1.

use chrono::NaiveDate;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Spreadsheet row (header = 1); 0 for the file as a whole.
    pub row: usize,
    /// Column header, when the problem is in one column.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, &self.column) {
            (0, None) => f.write_str(&self.message),
            (0, Some(c)) => write!(f, "“{c}”列：{}", self.message),
            (r, None) => write!(f, "第{r}行：{}", self.message),
            (r, Some(c)) => write!(f, "第{r}行“{c}”列：{}", self.message),
        }
    }
}

/// An import refused: every problem found, nothing written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    pub errors: Vec<CellError>,
}

impl ImportError {
    pub fn file(message: impl Into<String>) -> ImportError {
        ImportError {
            errors: vec![CellError {
                row: 0,
                column: None,
                message: message.into(),
            }],
        }
    }
}

/// At most this many problems are listed; a file with more has a systematic fault and the first
/// ones tell what it is.
pub const MAX_ERRORS: usize = 50;

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "导入未执行，数据库未作任何修改。发现{}处问题：",
            self.errors.len()
        )?;
        for e in self.errors.iter().take(MAX_ERRORS) {
            writeln!(f, "{e}")?;
        }
        if self.errors.len() > MAX_ERRORS {
            writeln!(f, "……另有{}处问题未列出", self.errors.len() - MAX_ERRORS)?;
        }
        Ok(())
    }
}

/// A file read as text: a header row and data rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// Data rows with their spreadsheet row numbers.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped) when valid, otherwise GBK (GB18030, its superset),
/// which is what Excel on a Chinese Windows writes.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(ImportError::file(
            "文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV 文件，或 XLSX 文件",
        ));
    }
    Ok(text.into_owned())
}

/// Reads CSV text (comma separated, quotes as Excel writes them).
pub fn read_csv_text(text: &str) -> Result<Table, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut all = Vec::new();
    let bytes = text.as_bytes();
    // Newlines counted so far, up to byte `counted`: records come in order, so each newline is
    // counted once and reading stays linear in the size of the file.
    let (mut counted, mut newlines) = (0usize, 0usize);
    for (i, rec) in rdr.records().enumerate() {
        let rec =
            rec.map_err(|e| ImportError::file(format!("第{}行：CSV 格式错误（{e}）", i + 1)))?;
        // The csv reader skips blank lines; the line a record starts on is what a person sees
        // (its own line count ignores them), so count newlines before the record's first byte.
        let line = rec
            .position()
            .map(|p| {
                let mut b = (p.byte() as usize).min(bytes.len());
                // The position may point at the blank lines skipped before the record.
                while b < bytes.len() && matches!(bytes[b], b'\n' | b'\r') {
                    b += 1;
                }
                if b >= counted {
                    newlines += bytes[counted..b].iter().filter(|&&c| c == b'\n').count();
                    counted = b;
                } else {
                    // Never expected (positions only grow); counted from the start to be sure.
                    return bytes[..b].iter().filter(|&&c| c == b'\n').count() + 1;
                }
                newlines + 1
            })
            .unwrap_or(i + 1);
        all.push((
            line,
            rec.iter().map(|s| s.trim().to_string()).collect::<Vec<_>>(),
        ));
    }
    check_cells(into_table(all))
}

pub fn read_csv_bytes(bytes: &[u8]) -> Result<Table, ImportError> {
    read_csv_text(&decode_text(bytes)?)
}

/// Bounds on an XLSX file, which is a zip archive: entries, and bytes once inflated (all parts
/// together). A spreadsheet of a million catalogue rows is about 150 MB inflated.
pub const XLSX_MAX_ENTRIES: usize = 10_000;
pub const XLSX_MAX_INFLATED: u64 = 256 * 1024 * 1024;
/// The shared strings part, which calamine holds whole in memory (as `String`s, several times
/// its XML's size) before the first cell is read: a 1.1 MB XLSX of long repeated strings took
/// 1.55 GB (issue 33). A million rows of distinct titles are about 80 MB of it.
pub const XLSX_MAX_SHARED_STRINGS: u64 = 96 * 1024 * 1024;

/// Refuses a zip archive past [`XLSX_MAX_ENTRIES`] entries or [`XLSX_MAX_INFLATED`] bytes
/// inflated, counting the bytes actually inflated (declared sizes can lie) without keeping them.
pub fn check_zip_bounds(
    bytes: &[u8],
    max_entries: usize,
    max_inflated: u64,
) -> Result<(), ImportError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        ImportError::file(format!("XLSX 文件无法打开（不是有效的 XLSX 文件）：{e}"))
    })?;
    if zip.len() > max_entries {
        return Err(ImportError::file(format!(
            "XLSX 文件包含 {} 个条目，超过上限 {max_entries}：请检查文件",
            zip.len()
        )));
    }
    let too_big = || {
        ImportError::file(format!(
            "XLSX 文件解压后超过 {} MB（可能是压缩炸弹）：请拆分后分批导入",
            max_inflated / (1024 * 1024)
        ))
    };
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max_inflated {
        return Err(too_big());
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip
            .by_index(i)
            .map_err(|e| ImportError::file(format!("XLSX 文件已损坏：{e}")))?;
        let shared = f
            .name()
            .is_ok_and(|n| n.eq_ignore_ascii_case("xl/sharedStrings.xml"));
        let left = max_inflated - total;
        let n = std::io::copy(&mut (&mut f).take(left + 1), &mut std::io::sink())
            .map_err(|e| ImportError::file(format!("XLSX 文件已损坏：{e}")))?;
        total += n;
        if total > max_inflated {
            return Err(too_big());
        }
        if shared && n > XLSX_MAX_SHARED_STRINGS.min(max_inflated) {
            return Err(ImportError::file(format!(
                "XLSX 文件的文字部分解压后超过 {} MB：请拆分后分批导入，或另存为 CSV",
                XLSX_MAX_SHARED_STRINGS / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// Reads the first worksheet of an XLSX file. Date cells become `YYYY-MM-DD`; whole numbers lose
/// the `.0` spreadsheets add.
pub fn read_xlsx(path: &Path) -> Result<Table, ImportError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::file(format!("无法打开 XLSX 文件 {}：{e}", path.display())))?;
    read_xlsx_bytes(&bytes)
}

/// [`read_xlsx`] of the bytes of a file, within [`XLSX_MAX_ENTRIES`] and [`XLSX_MAX_INFLATED`].
pub fn read_xlsx_bytes(bytes: &[u8]) -> Result<Table, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    check_zip_bounds(bytes, XLSX_MAX_ENTRIES, XLSX_MAX_INFLATED)?;
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::file(format!("无法打开 XLSX 文件：{e}")))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ImportError::file("XLSX 文件中没有工作表"))?;
    // Cells are read one by one and kept sparse: a dense range would allocate every cell
    // between A1 and the farthest one (a sheet with one cell at XFD1048576 asks for 17 billion).
    let mut reader = wb
        .worksheet_cells_reader(&first)
        .map_err(|e| ImportError::file(format!("无法读取工作表：{e}")))?;
    let mut rows: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
    let mut min_col = u32::MAX;
    let mut cells = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| ImportError::file(format!("无法读取工作表：{e}")))?
    {
        let (r, c) = cell.get_position();
        let text = cell_text(Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if c >= XLSX_MAX_COLUMNS {
            return Err(ImportError::file(format!(
                "第{}行：第{}列超出范围（最多 {XLSX_MAX_COLUMNS} 列）",
                r + 1,
                c + 1
            )));
        }
        cells += 1;
        if cells > XLSX_MAX_CELLS {
            return Err(ImportError::file(format!(
                "工作表的非空单元格超过 {XLSX_MAX_CELLS} 个（读到第{}行），请拆分为多个文件分批导入",
                r + 1
            )));
        }
        min_col = min_col.min(c);
        rows.entry(r).or_default().push((c, text));
    }
    let all = rows
        .into_iter()
        .map(|(r, cells)| {
            let width = cells
                .iter()
                .map(|(c, _)| c - min_col + 1)
                .max()
                .unwrap_or(0);
            let mut out = vec![String::new(); width as usize];
            for (c, text) in cells {
                out[(c - min_col) as usize] = text;
            }
            (r as usize + 1, out)
        })
        .collect();
    check_cells(into_table(all))
}

/// Columns read from a worksheet; a cell farther right is an error.
pub const XLSX_MAX_COLUMNS: u32 = 256;

/// Non-empty cells read from a worksheet (200,000 rows of ten columns). Issue 33: within the
/// inflated-size bound a 615 KB file still held 17 million one-character cells, which took
/// 1.3 GB as strings; each kept cell costs about 64 bytes, so this keeps a file under 200 MB.
pub const XLSX_MAX_CELLS: usize = 2_000_000;

/// A cell as text: dates as `YYYY-MM-DD`, whole numbers without the `.0` spreadsheets add.
fn cell_text(c: calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => d.date().format("%Y-%m-%d").to_string(),
            None => dt.to_string(),
        },
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(&s).to_string(),
        Data::DurationIso(s) => s,
        Data::Error(e) => format!("#错误:{e:?}"),
    }
}

/// Reads a file by its extension: `.csv` (UTF-8 or GBK) or `.xlsx`.
pub fn read_file(path: &Path) -> Result<Table, ImportError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path),
        "csv" | "txt" => {
            let bytes = std::fs::read(path)
                .map_err(|e| ImportError::file(format!("无法读取文件 {}：{e}", path.display())))?;
            read_csv_bytes(&bytes)
        }
        "xls" => Err(ImportError::file(
            "不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 或 CSV",
        )),
        _ => Err(ImportError::file(format!(
            "无法识别文件类型“{}”：请使用 .csv 或 .xlsx 文件",
            path.display()
        ))),
    }
}

/// Longest cell any import takes (a letter's 5,000 characters, with room): a longer cell is
/// refused with its row, before any row is checked, instead of being carried into a page (a
/// 20-million-character 内容概述 made a 60 MB public page). Each column has its own, lower,
/// limit checked with the row (标题 200, 内容概述 2,000…).
pub const MAX_CELL_CHARS: usize = 10_000;

/// Refuses a table with a cell longer than [`MAX_CELL_CHARS`].
fn check_cells(t: Table) -> Result<Table, ImportError> {
    for (line, cells) in &t.rows {
        for (i, c) in cells.iter().enumerate() {
            // Bytes first: a cell under the limit in bytes is under it in characters.
            if c.len() > MAX_CELL_CHARS && c.chars().count() > MAX_CELL_CHARS {
                let header = t.headers.get(i).map(String::as_str).unwrap_or("");
                return Err(ImportError::file(format!(
                    "第{line}行“{header}”有 {} 字，超过任何一栏的上限（{MAX_CELL_CHARS} 字）：请检查文件",
                    c.chars().count()
                )));
            }
        }
    }
    Ok(t)
}

/// Header row = the first non-empty row; fully empty rows are dropped.
fn into_table(all: Vec<(usize, Vec<String>)>) -> Table {
    let mut it = all
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, headers)) = it.next() else {
        return Table::default();
    };
    Table {
        headers: headers.into_iter().map(|h| normalise_header(&h)).collect(),
        rows: it.collect(),
    }
}

/// Headers as people type them: full-width brackets, a trailing `*` marking required columns.
pub fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_end_matches(['*', '＊'])
        .replace('(', "（")
        .replace(')', "）")
        .trim()
        .to_string()
}

/// A column an import kind expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    /// What to write in it, for templates and error messages.
    pub hint: &'static str,
}

pub const fn col(header: &'static str, required: bool, hint: &'static str) -> Column {
    Column {
        header,
        required,
        hint,
    }
}

/// A table whose headers were checked against the expected columns.
pub struct Sheet<'a> {
    table: &'a Table,
    index: Vec<(&'static str, Option<usize>)>,
}

impl<'a> Sheet<'a> {
    /// Maps the expected columns to the file's headers. A missing required column, an unknown
    /// or a duplicated header is an error (an unknown header is usually a misspelling, and
    /// silently ignoring it would drop data).
    pub fn new(table: &'a Table, columns: &[Column]) -> Result<Sheet<'a>, ImportError> {
        let mut errors = Vec::new();
        if table.headers.is_empty() {
            return Err(ImportError::file("文件是空的：第1行应为表头"));
        }
        for (i, h) in table.headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if table.headers[..i].contains(h) {
                errors.push(CellError {
                    row: 1,
                    column: Some(h.clone()),
                    message: "表头重复".into(),
                });
            } else if !columns.iter().any(|c| c.header == h) {
                errors.push(CellError {
                    row: 1,
                    column: Some(h.clone()),
                    message: format!(
                        "无法识别的列（可用的列：{}）",
                        columns
                            .iter()
                            .map(|c| c.header)
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                });
            }
        }
        let mut index = Vec::new();
        for c in columns {
            let pos = table.headers.iter().position(|h| h == c.header);
            if pos.is_none() && c.required {
                errors.push(CellError {
                    row: 1,
                    column: Some(c.header.to_string()),
                    message: format!("缺少必填列（{}）", c.hint),
                });
            }
            index.push((c.header, pos));
        }
        if !errors.is_empty() {
            return Err(ImportError { errors });
        }
        Ok(Sheet { table, index })
    }

    pub fn has(&self, header: &str) -> bool {
        self.index.iter().any(|(h, p)| *h == header && p.is_some())
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.table.rows.iter().map(move |(n, cells)| Row {
            sheet: self,
            number: *n,
            cells,
        })
    }

    pub fn len(&self) -> usize {
        self.table.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.rows.is_empty()
    }
}

/// One data row: typed getters that return a [`CellError`] naming row and column.
pub struct Row<'a> {
    sheet: &'a Sheet<'a>,
    pub number: usize,
    cells: &'a [String],
}

impl Row<'_> {
    pub fn error(&self, column: &str, message: impl Into<String>) -> CellError {
        CellError {
            row: self.number,
            column: Some(column.to_string()),
            message: message.into(),
        }
    }

    pub fn row_error(&self, message: impl Into<String>) -> CellError {
        CellError {
            row: self.number,
            column: None,
            message: message.into(),
        }
    }

    /// The text of a column ("" when the column is absent or the cell empty).
    pub fn text(&self, column: &str) -> &str {
        self.sheet
            .index
            .iter()
            .find(|(h, _)| *h == column)
            .and_then(|(_, p)| *p)
            .and_then(|p| self.cells.get(p))
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    pub fn opt_text(&self, column: &str) -> Option<&str> {
        Some(self.text(column)).filter(|s| !s.is_empty())
    }

    pub fn required(&self, column: &str) -> Result<&str, CellError> {
        self.opt_text(column)
            .ok_or_else(|| self.error(column, "不能为空"))
    }

    pub fn opt_date(&self, column: &str) -> Result<Option<NaiveDate>, CellError> {
        match self.opt_text(column) {
            None => Ok(None),
            Some(s) => parse_date(s)
                .map(Some)
                .ok_or_else(|| self.error(column, format!("日期格式应为 YYYY-MM-DD，而不是“{s}”"))),
        }
    }

    pub fn date(&self, column: &str) -> Result<NaiveDate, CellError> {
        self.opt_date(column)?
            .ok_or_else(|| self.error(column, "不能为空（日期格式 YYYY-MM-DD）"))
    }

    /// A value from a fixed list, parsed by `parse`; `choices` lists what may be written.
    pub fn choice<T>(
        &self,
        column: &str,
        parse: impl Fn(&str) -> Option<T>,
        choices: &[&str],
    ) -> Result<T, CellError> {
        let s = self.text(column);
        parse(s).ok_or_else(|| {
            if s.is_empty() {
                self.error(column, format!("不能为空（可填：{}）", choices.join("、")))
            } else {
                self.error(
                    column,
                    format!("无法识别“{s}”（可填：{}）", choices.join("、")),
                )
            }
        })
    }

    /// An amount in 元, into 分.
    pub fn yuan(&self, column: &str) -> Result<i64, CellError> {
        gongkai_domain::records::parse_yuan(self.text(column)).map_err(|m| self.error(column, m))
    }
}

/// Accepts `2020-03-01`, `2020/3/1`, `2020.3.1`, `2020年3月1日`, `20200301`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let cleaned: String = s
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    let parts: Vec<&str> = cleaned.split('-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (*y, *m, *d),
        [ymd] if ymd.len() == 8 && ymd.chars().all(|c| c.is_ascii_digit()) => {
            (&ymd[..4], &ymd[4..6], &ymd[6..])
        }
        _ => return None,
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Writes an empty template: the headers (required ones marked `*`) and, in CSV, a UTF-8 BOM so
/// Excel opens it in the right encoding.
pub fn template_csv(columns: &[Column]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::Writer::from_writer(Vec::new());
    let headers: Vec<String> = columns
        .iter()
        .map(|c| {
            if c.required {
                format!("{}*", c.header)
            } else {
                c.header.to_string()
            }
        })
        .collect();
    w.write_record(&headers).expect("writing to memory");
    out.extend(w.into_inner().expect("writing to memory"));
    out
}

/// The same template as XLSX, with each column's hint as a cell note-like second sheet.
pub fn template_xlsx(columns: &[Column], sheet_name: &str) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name).map_err(|e| e.to_string())?;
    for (i, c) in columns.iter().enumerate() {
        let h = if c.required {
            format!("{}*", c.header)
        } else {
            c.header.to_string()
        };
        ws.write_string_with_format(0, i as u16, &h, &bold)
            .map_err(|e| e.to_string())?;
        ws.set_column_width(i as u16, 18)
            .map_err(|e| e.to_string())?;
    }
    let help = wb.add_worksheet();
    help.set_name("填写说明").map_err(|e| e.to_string())?;
    help.write_string_with_format(0, 0, "列名", &bold)
        .map_err(|e| e.to_string())?;
    help.write_string_with_format(0, 1, "必填", &bold)
        .map_err(|e| e.to_string())?;
    help.write_string_with_format(0, 2, "填写说明", &bold)
        .map_err(|e| e.to_string())?;
    for (i, c) in columns.iter().enumerate() {
        let r = i as u32 + 1;
        help.write_string(r, 0, c.header)
            .map_err(|e| e.to_string())?;
        help.write_string(r, 1, if c.required { "是" } else { "否" })
            .map_err(|e| e.to_string())?;
        help.write_string(r, 2, c.hint).map_err(|e| e.to_string())?;
    }
    help.set_column_width(2, 60).map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_spellings() {
        let d = NaiveDate::from_ymd_opt(2020, 3, 1).unwrap();
        for s in [
            "2020-03-01",
            "2020/3/1",
            "2020.3.1",
            "2020年3月1日",
            "20200301",
            " 2020-3-01 ",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        for s in [
            "2020-13-01",
            "20-3-1",
            "2020-02-30",
            "三月一日",
            "2020-03",
            "",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn gbk_and_utf8_with_bom_decode_alike() {
        let (gbk, _, _) = encoding_rs::GBK.encode("标题,发布日期\n通知,2020-01-02\n");
        let a = read_csv_bytes(&gbk).unwrap();
        let b = read_csv_bytes("\u{feff}标题,发布日期\n通知,2020-01-02\n".as_bytes()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.headers, vec!["标题", "发布日期"]);
        assert_eq!(
            a.rows,
            vec![(2, vec!["通知".to_string(), "2020-01-02".to_string()])]
        );
    }

    #[test]
    fn missing_and_unknown_columns_are_named() {
        let t = read_csv_text("标题,发布日起\nx,2020-01-01\n").unwrap();
        let cols = [
            col("标题", true, "文字"),
            col("发布日期", true, "YYYY-MM-DD"),
        ];
        let e = Sheet::new(&t, &cols).err().unwrap().to_string();
        assert!(e.contains("第1行“发布日起”列：无法识别的列"), "{e}");
        assert!(e.contains("第1行“发布日期”列：缺少必填列"), "{e}");
    }

    #[test]
    fn errors_name_row_and_column() {
        let t = read_csv_text("标题,发布日期\n\nx,2020/13/01\n").unwrap();
        let cols = [col("标题*", true, ""), col("发布日期", true, "")];
        // a `*` in the file's header is accepted
        let cols = [col("标题", cols[0].required, ""), cols[1]];
        let s = Sheet::new(&t, &cols).unwrap();
        let row = s.rows().next().unwrap();
        assert_eq!(row.number, 3, "blank rows keep the numbering a person sees");
        let e = row.date("发布日期").unwrap_err().to_string();
        assert_eq!(
            e,
            "第3行“发布日期”列：日期格式应为 YYYY-MM-DD，而不是“2020/13/01”"
        );
    }

    #[test]
    fn templates_carry_the_headers() {
        let cols = [col("标题", true, "文字"), col("文号", false, "")];
        let csv = template_csv(&cols);
        let t = read_csv_bytes(&csv).unwrap();
        assert_eq!(t.headers, vec!["标题", "文号"]);
        assert!(t.rows.is_empty());
        let x = template_xlsx(&cols, "目录").unwrap();
        assert_eq!(&x[..2], b"PK");
    }
}
