//! `gongkai doctor`: what this installation has and lacks, in Chinese, with the features each
//! missing piece disables — so an operator on a server with no network learns it before the
//! first visitor does. `gongkai serve` logs the same check at start-up.
//!
//! What is looked for: the Chinese fonts (always present: two fonts are built into the binary;
//! a full CJK font on disk adds the characters outside GB 2312), `pdftotext` (poppler-utils: the
//! text of PDF attachments in search, and the auditor's PDF reader), `tesseract` with its
//! Simplified Chinese data (scanned PDFs in the auditor), LibreOffice (`.doc`/`.wps` reports in
//! the auditor), and the database. The exit code is 0 when nothing is missing, 1 otherwise.

use clap::Args as ClapArgs;
use std::process::{Command, Stdio};

#[derive(ClapArgs)]
pub struct Args {
    /// 同时检查数据库能否连接（默认检查）
    #[arg(long)]
    pub no_database: bool,
}

/// One thing looked at.
pub struct Check {
    /// What it is, in words.
    pub what: &'static str,
    /// `None` when present; else what is missing and what it disables.
    pub missing: Option<String>,
    /// What was found (a version, a path), for the report.
    pub found: String,
}

/// Whether `program` runs (with `args`), and the first line it prints.
fn runs(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Some(
        String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
    )
}

/// The checks that need no database.
pub fn checks() -> Vec<Check> {
    let mut v = Vec::new();
    let fonts = gongkai_render::fonts::status(&[]);
    let dirs = fonts
        .dirs
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join("、");
    v.push(Check {
        what: "中文字体",
        missing: (!fonts.full_cjk).then(|| {
            format!(
                "{}未找到完整的中文字体（如 Debian 的 fonts-noto-cjk）：年度报告与告知书的 PDF、图表仍可生成（使用内置的 Noto CJK 字体，含 GB 2312 的 6763 个汉字），但 GB 2312 以外的生僻字（如人名中的“{}”）无法显示",
                if dirs.is_empty() {
                    "未配置字体目录（GONGKAI_FONT_DIRS 为空），".to_string()
                } else {
                    format!("在 {dirs} 中")
                },
                gongkai_render::fonts::OUTSIDE_GB2312
            )
        }),
        found: format!(
            "内置 Noto Serif/Sans CJK SC（GB 2312）；{} 中字体文件 {} 个",
            if dirs.is_empty() { "（无目录）".to_string() } else { dirs },
            fonts.files
        ),
    });
    let pdftotext = runs("pdftotext", &["-v"]);
    v.push(Check {
        what: "pdftotext（poppler-utils）",
        missing: pdftotext.is_none().then(|| {
            "未安装 pdftotext（Debian 软件包 poppler-utils）：发布的 PDF 附件不能按正文检索（只按标题），gongkai audit 不能读取 PDF 格式的年度报告".to_string()
        }),
        found: pdftotext.unwrap_or_default(),
    });
    let tesseract = runs("tesseract", &["--list-langs"]);
    let chi_sim = tesseract.is_some()
        && Command::new("tesseract")
            .arg("--list-langs")
            .output()
            .map(|o| {
                let all = [o.stdout, o.stderr].concat();
                String::from_utf8_lossy(&all)
                    .lines()
                    .any(|l| l.trim() == "chi_sim")
            })
            .unwrap_or(false);
    v.push(Check {
        what: "tesseract（文字识别）",
        missing: (!chi_sim).then(|| {
            if tesseract.is_none() {
                "未安装 tesseract（Debian 软件包 tesseract-ocr 与 tesseract-ocr-chi-sim）：gongkai audit 不能识别扫描版 PDF 年度报告中的文字".to_string()
            } else {
                "tesseract 缺少简体中文识别数据（Debian 软件包 tesseract-ocr-chi-sim）：gongkai audit 不能识别扫描版 PDF 年度报告中的文字".to_string()
            }
        }),
        found: if chi_sim { "chi_sim".into() } else { String::new() },
    });
    let office = ["soffice", "libreoffice"]
        .iter()
        .find_map(|p| runs(p, &["--version"]).map(|v| format!("{p}：{v}")));
    v.push(Check {
        what: "LibreOffice",
        missing: office.is_none().then(|| {
            "未安装 LibreOffice（Debian 软件包 libreoffice-writer-nogui）：gongkai audit 不能读取 .doc、.wps 格式的年度报告（.docx、PDF、网页不受影响）".to_string()
        }),
        found: office.unwrap_or_default(),
    });
    v
}

/// Logs what is missing, for `gongkai serve` at start-up (one line each).
pub fn log_missing() {
    for c in checks() {
        if let Some(m) = c.missing {
            tracing::warn!(target: "gongkai::doctor", "{}：{m}", c.what);
        }
    }
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<std::process::ExitCode> {
    let mut all = checks();
    if !args.no_database {
        let rt = tokio::runtime::Runtime::new()?;
        let db = rt.block_on(async {
            let app = super::app(database_url).await?;
            let organs = gongkai_app::organs::all(&app).await?.len();
            Ok::<usize, anyhow::Error>(organs)
        });
        all.push(Check {
            what: "数据库",
            missing: db.as_ref().err().map(|e| {
                format!(
                    "无法连接数据库 {database_url}（{e:#}）：门户网站、管理后台和各命令都不能运行"
                )
            }),
            found: db
                .map(|n| format!("{database_url}：机关 {n} 个"))
                .unwrap_or_default(),
        });
    }
    let mut bad = 0;
    for c in &all {
        match &c.missing {
            None => println!("正常  {}：{}", c.what, c.found),
            Some(m) => {
                bad += 1;
                println!("缺少  {}：{m}", c.what);
            }
        }
    }
    if bad == 0 {
        println!("检查完毕：所需组件齐全，全部功能可用。");
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        println!("检查完毕：{bad} 项缺少，上面列出了受影响的功能；其余功能正常。");
        Ok(std::process::ExitCode::FAILURE)
    }
}
