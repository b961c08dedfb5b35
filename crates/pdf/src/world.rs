//! A minimal typst world: one in-memory source, fonts from files on disk and built into the
//! binary, no other files, no packages, no clock (typst's `datetime.today()` is an error: a report's content never depends
//! on the day it is rendered).

use crate::PdfOptions;
use anyhow::{Context, bail};
use gongkai_render::fonts;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts found in a set of directories, then the built-in ones.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The fonts of `dirs` and, after them, the fonts built into the binary
/// (`gongkai_render::fonts::EMBEDDED`): fonts on disk win where they draw the same family, and
/// a machine with none still typesets Chinese.
fn load_fonts(dirs: &[PathBuf]) -> anyhow::Result<Fonts> {
    let mut files = Vec::new();
    for d in dirs {
        fonts::font_files(d, &mut files);
    }
    let mut found = Vec::new();
    for f in &files {
        // Mapped, not read: the CJK collections are ~90 MB, of which a report touches a few
        // hundred glyphs; mapped pages are the file's, shared and given back under pressure.
        let file =
            std::fs::File::open(f).with_context(|| format!("无法读取字体文件 {}", f.display()))?;
        // SAFETY: font files are not written while gongkai runs (a package upgrade replaces
        // them with new files, which leaves this mapping on the old one).
        let map = unsafe { memmap2::Mmap::map(&file) }
            .with_context(|| format!("无法读取字体文件 {}", f.display()))?;
        found.extend(Font::iter(Bytes::new(map)));
    }
    for e in &fonts::EMBEDDED {
        found.extend(Font::iter(Bytes::new(e.data)));
    }
    if found.is_empty() {
        bail!("没有可用的中文字体");
    }
    Ok(Fonts {
        book: LazyHash::new(FontBook::from_fonts(&found)),
        fonts: found,
    })
}

/// Fonts are read once per set of directories and kept for the life of the process: reading
/// and indexing the CJK collections costs far more than typesetting a report.
fn fonts_for(dirs: &[PathBuf]) -> anyhow::Result<Arc<Fonts>> {
    static CACHE: OnceLock<Mutex<HashMap<Vec<PathBuf>, Arc<Fonts>>>> = OnceLock::new();
    let dirs = fonts::dirs_or_default(dirs);
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
    let pdf = typst_pdf::pdf(&doc, &pdf_options).map_err(|errors| {
        let msgs: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        anyhow::anyhow!("PDF 导出失败：{}", msgs.join("；"))
    });
    drop(doc);
    release_memory();
    pdf
}

/// Gives back what a typesetting kept: typst memoizes layout across compilations (comemo), which
/// for a long report is hundreds of megabytes a server would hold for ever; each report is
/// typeset once (its file is then kept), so nothing is lost by dropping it. The allocator is
/// then asked to return freed pages to the system (glibc keeps them otherwise).
pub fn release_memory() {
    typst::comemo::evict(0);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory at the top of glibc's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
