//! A minimal typst world: one in-memory source, fonts from files on disk, no other files, no
//! packages, no clock (typst's `datetime.today()` is an error: a report's content never depends
//! on the day it is rendered).

use crate::PdfOptions;
use anyhow::{Context, bail};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Where fonts are looked for when no directory is configured: Debian's fonts-noto-cjk.
pub const DEFAULT_FONT_DIRS: &[&str] = &["/usr/share/fonts/opentype/noto"];

/// The fonts found in a set of directories.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn font_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    // A stable order, so the same fonts win on every machine.
    entries.sort();
    for p in entries {
        if p.is_dir() {
            font_files(&p, out);
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(p);
        }
    }
}

fn load_fonts(dirs: &[PathBuf]) -> anyhow::Result<Fonts> {
    let mut files = Vec::new();
    for d in dirs {
        font_files(d, &mut files);
    }
    let mut fonts = Vec::new();
    for f in &files {
        let data = std::fs::read(f).with_context(|| format!("无法读取字体文件 {}", f.display()))?;
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    if fonts.is_empty() {
        bail!(
            "在 {} 中没有找到字体文件：PDF 需要中文字体（如 Debian 的 fonts-noto-cjk），或在选项中配置字体目录",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    Ok(Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
}

/// Fonts are read once per set of directories and kept for the life of the process: reading
/// and indexing the CJK collections costs far more than typesetting a report.
fn fonts_for(dirs: &[PathBuf]) -> anyhow::Result<Arc<Fonts>> {
    static CACHE: OnceLock<Mutex<HashMap<Vec<PathBuf>, Arc<Fonts>>>> = OnceLock::new();
    let dirs: Vec<PathBuf> = if dirs.is_empty() {
        DEFAULT_FONT_DIRS.iter().map(PathBuf::from).collect()
    } else {
        dirs.to_vec()
    };
    let cache = CACHE.get_or_init(Default::default);
    if let Some(f) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&dirs) {
        return Ok(f.clone());
    }
    let loaded = Arc::new(load_fonts(&dirs)?);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(dirs, loaded.clone());
    Ok(loaded)
}

fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::default()))
}

struct ReportWorld {
    main: Source,
    fonts: Arc<Fonts>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::Other(Some("报告排版不读取其他文件".into())))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            Err(FileError::Other(Some("报告排版不读取其他文件".into())))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets markup and exports it as PDF (PDF/A-2b when the options ask for it). `date` becomes
/// the document's creation date, so the same report gives the same file.
pub(crate) fn compile_pdf(
    markup: String,
    options: &PdfOptions,
    date: Option<chrono::NaiveDate>,
) -> anyhow::Result<Vec<u8>> {
    use chrono::Datelike;
    let world = ReportWorld {
        main: Source::detached(markup),
        fonts: fonts_for(&options.font_dirs)?,
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    let doc = warned.output.map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow::anyhow!("PDF 排版失败：{}", msgs.join("；"))
    })?;
    let timestamp = date
        .and_then(|d| Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8))
        .map(typst_pdf::Timestamp::new_utc);
    let standards = if options.pdfa && timestamp.is_some() {
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| anyhow::anyhow!("PDF/A 设置无效：{}", e.message()))?
    } else {
        typst_pdf::PdfStandards::default()
    };
    let pdf_options = typst_pdf::PdfOptions {
        ident: Smart::Auto,
        timestamp,
        standards,
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &pdf_options).map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow::anyhow!("PDF 导出失败：{}", msgs.join("；"))
    })
}
