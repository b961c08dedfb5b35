//! The annual report as the portal keeps it: a draft generated from the records whose texts the
//! office edits, and frozen published versions, each downloadable in the usual formats. The
//! files themselves come from the one export use case, `gongkai_app::exports`, as they do for
//! the command line and the API; this module only turns a file into an answer.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gongkai_app::exports::{File, Format};

pub use gongkai_app::reports::StoredReport;

/// A report file as a download: its Chinese name in `filename*` (RFC 6266/5987, which every
/// current browser reads) with an ASCII `filename` beside it for older clients. The HTML page
/// opens in the browser, with the policy that allows exactly its own style sheet.
pub fn answer(file: File) -> Response {
    if file.format == Format::Html {
        let html = String::from_utf8_lossy(&file.bytes).into_owned();
        return crate::views::standalone_html(html);
    }
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file.ascii_name,
        percent_encode(&file.name)
    );
    let mut resp = (
        [(header::CONTENT_TYPE, file.mime())],
        axum::body::Bytes::from(file.bytes.as_ref().clone()),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// RFC 5987 `attr-char` encoding: letters, digits and `!#$&+-.^_`|~` as they are, every other
/// byte of the UTF-8 as `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_names_are_percent_encoded() {
        assert_eq!(
            super::percent_encode("报告（第2版）.pdf"),
            "%E6%8A%A5%E5%91%8A%EF%BC%88%E7%AC%AC2%E7%89%88%EF%BC%89.pdf"
        );
    }
}
