//! Writes every export of the sample 2020 and 2022 reports into a directory, for looking at them
//! (pdftoppm, LibreOffice, a browser): `cargo run -p gongkai-pdf --example export_samples -- DIR`.

use gongkai_render::{docx, html, markdown, sample, xlsx};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "exports".into()));
    std::fs::create_dir_all(&dir)?;
    for year in [2020, 2022] {
        let r = sample::report(year);
        let stats = sample::stats(year);
        let name = |ext: &str| dir.join(format!("report-{year}.{ext}"));
        std::fs::write(name("html"), html::report_page_with_stats(&r, &stats))?;
        std::fs::write(name("md"), markdown::report(&r))?;
        std::fs::write(
            name("docx"),
            docx::report_with_stats(&r, &stats, &docx::DocxOptions::default(), &[])?,
        )?;
        std::fs::write(name("xlsx"), xlsx::report(&r, Some(&stats), &[])?)?;
        std::fs::write(
            name("pdf"),
            gongkai_pdf::report_with_stats(&r, Some(&stats), &gongkai_pdf::PdfOptions::default())?,
        )?;
    }
    println!("已写入 {}", dir.display());
    Ok(())
}
