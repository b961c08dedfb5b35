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

/// Where a notice's closing block begins: its last two paragraphs (the last of the body and the
/// closing formula) go on the page of the 落款.
pub fn kept_from(n: &Notice) -> usize {
    n.paragraphs.len().saturating_sub(2)
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
    let (body, last) = notice.paragraphs.split_at(kept_from(notice));
    d.body(&body.join("\n"));
    // The last paragraphs, the organ and the date are kept on one page: the seal goes over the
    // 落款, which never stands alone on a page (GB/T 9704).
    d.keep_together = true;
    d.body(&last.join("\n"));
    d.blank_line();
    d.line(&notice.organ, "right");
    d.keep_together = false;
    d.line(&date_text(notice), "right");
    d.finish(&notice.title, &notice.organ)
}
