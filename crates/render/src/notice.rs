//! Notices (告知书) of the applications workflow — acknowledgement, correction request, reply,
//! extension, fee notice — rendered as official documents. The workflow decides what a notice
//! says; this module only lays it out (DOCX here, PDF in `gongkai_pdf::notice`).

use crate::docx::{Doc, DocxOptions};

/// The content of a notice: the applications workflow's type, so a notice goes from the
/// workflow to a file without conversion.
pub use gongkai_domain::application::notice::Notice;

/// The date as notices print it: 2022年3月15日.
pub fn date_text(n: &Notice) -> String {
    n.date.format("%Y年%-m月%-d日").to_string()
}

/// The notice as a DOCX file in the manner of GB/T 9704: title, document number, addressee,
/// body, issuing organ and date.
pub fn docx(notice: &Notice, options: &DocxOptions) -> anyhow::Result<Vec<u8>> {
    let mut d = Doc::new(options);
    d.title(&notice.title);
    if !notice.number.is_empty() {
        d.line(&notice.number, "center");
        d.blank_line();
    }
    d.line(&format!("{}：", notice.addressee), "left");
    d.body(&notice.paragraphs.join("\n"));
    d.signature(&notice.organ, Some(&date_text(notice)));
    d.finish(&notice.title, &notice.organ)
}
