//! Notices (告知书) of the applications workflow — acknowledgement, correction request, reply,
//! extension, fee notice — rendered as official documents. The workflow decides what a notice
//! says; this module only lays it out (DOCX here, PDF in `gongkai_pdf::notice`).

use crate::docx::{Doc, DocxOptions};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The content of one notice, as the applications workflow writes it. It carries no identity
/// number, phone or address of the applicant: a notice is addressed by name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The document number, e.g. 灵教体依公开告〔2022〕3号.
    pub number: String,
    /// e.g. 政府信息公开申请答复告知书.
    pub title: String,
    /// Who the notice is addressed to (the applicant's name), without the trailing colon.
    pub addressee: String,
    /// The body, one paragraph per entry.
    pub paragraphs: Vec<String>,
    /// The issuing organ.
    pub organ: String,
    pub date: NaiveDate,
}

impl Notice {
    /// The date as notices print it: 2022年3月1日.
    pub fn date_text(&self) -> String {
        self.date.format("%Y年%-m月%-d日").to_string()
    }
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
    d.signature(&notice.organ, Some(&notice.date_text()));
    d.finish(&notice.title, &notice.organ)
}
