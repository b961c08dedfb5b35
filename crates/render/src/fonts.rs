//! The fonts every export draws Chinese with.
//!
//! Two open fonts are built into the binary (`crates/render/fonts/`, SIL OFL 1.1): Noto Serif
//! CJK SC and Noto Sans CJK SC, each cut down to the GB 2312 character set (6,763 hanzi) with
//! ASCII, Latin-1, general and CJK punctuation, full-width forms, circled numbers and box
//! drawing — 4.1 MB and 3.0 MB instead of 26 MB and 19 MB for the whole collections, which would
//! make the binary seven times its size. So a PDF, the charts of a DOCX and every notice come
//! out with Chinese text on a server with no font installed and no network to install one.
//!
//! Fonts on disk come first when present (the organ's official 方正小标宋/仿宋_GB2312, or
//! Debian's full fonts-noto-cjk): a character outside GB 2312 (a rare character in a person's
//! name) is drawn from them. With the built-in fonts alone such a character has no glyph;
//! `gongkai doctor` says so. How the subsets are made: `scripts/subset-fonts`.

use std::path::{Path, PathBuf};

/// Where fonts are looked for when nothing is configured: Debian's fonts-noto-cjk.
pub const SYSTEM_FONT_DIRS: &[&str] = &["/usr/share/fonts/opentype/noto"];

/// The environment variable naming the font directories instead of [`SYSTEM_FONT_DIRS`]
/// (separated by `:`; set but empty means no directory: the built-in fonts alone).
pub const FONT_DIRS_ENV: &str = "GONGKAI_FONT_DIRS";

/// A font built into the binary.
pub struct Embedded {
    pub family: &'static str,
    pub file: &'static str,
    pub data: &'static [u8],
}

/// The built-in fonts (GB 2312 subsets of Noto CJK SC).
pub static EMBEDDED: [Embedded; 2] = [
    Embedded {
        family: "Noto Serif CJK SC",
        file: "NotoSerifCJKsc-Regular-GB2312.otf",
        data: include_bytes!("../fonts/NotoSerifCJKsc-Regular-GB2312.otf"),
    },
    Embedded {
        family: "Noto Sans CJK SC",
        file: "NotoSansCJKsc-Regular-GB2312.otf",
        data: include_bytes!("../fonts/NotoSansCJKsc-Regular-GB2312.otf"),
    },
];

/// The font directories of this installation: `GONGKAI_FONT_DIRS` when set, else
/// [`SYSTEM_FONT_DIRS`].
pub fn default_dirs() -> Vec<PathBuf> {
    match std::env::var_os(FONT_DIRS_ENV) {
        Some(v) => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        None => SYSTEM_FONT_DIRS.iter().map(PathBuf::from).collect(),
    }
}

/// `dirs`, or the installation's default directories when empty.
pub fn dirs_or_default(dirs: &[PathBuf]) -> Vec<PathBuf> {
    if dirs.is_empty() {
        default_dirs()
    } else {
        dirs.to_vec()
    }
}

/// Font files (.ttf, .otf, .ttc, .otc) under `dir`, in a stable order (so the same fonts win
/// on every machine).
pub fn font_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
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

/// What fonts an installation has, for `gongkai doctor` and the server's start-up check.
#[derive(Debug, Clone)]
pub struct Status {
    pub dirs: Vec<PathBuf>,
    /// Font files found in `dirs`.
    pub files: usize,
    /// Whether a font on disk draws hanzi beyond GB 2312 (checked with [`OUTSIDE_GB2312`]).
    pub full_cjk: bool,
}

/// A character outside GB 2312 that names often carry (堃), to tell a full CJK font from the
/// built-in subsets.
pub const OUTSIDE_GB2312: char = '堃';

/// Looks at the fonts in `dirs` (or the default directories).
pub fn status(dirs: &[PathBuf]) -> Status {
    let dirs = dirs_or_default(dirs);
    let mut files = Vec::new();
    for d in &dirs {
        font_files(d, &mut files);
    }
    let mut db = resvg::usvg::fontdb::Database::new();
    for f in &files {
        let _ = db.load_font_file(f);
    }
    let mut full_cjk = false;
    for face in db.faces() {
        let covers = db
            .with_face_data(face.id, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .ok()
                    .and_then(|f| f.glyph_index(OUTSIDE_GB2312))
                    .is_some()
            })
            .unwrap_or(false);
        if covers {
            full_cjk = true;
            break;
        }
    }
    Status {
        dirs,
        files: files.len(),
        full_cjk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_draw_chinese_but_not_beyond_gb2312() {
        for e in &EMBEDDED {
            let face = ttf_parser::Face::parse(e.data, 0).expect(e.file);
            let family = face
                .names()
                .into_iter()
                .find(|n| n.name_id == 1 && n.is_unicode())
                .and_then(|n| n.to_string())
                .unwrap_or_default();
            assert_eq!(family, e.family, "{}", e.file);
            for c in "政府信息公开工作年度报告（一）：，。、0123456789ABC％①".chars()
            {
                assert!(face.glyph_index(c).is_some(), "{} lacks {c}", e.file);
            }
            assert!(face.glyph_index(OUTSIDE_GB2312).is_none());
        }
    }
}
