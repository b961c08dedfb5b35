//! Helpers shared by the writers: the title, the sections in order, paragraphs and their levels.

pub use gongkai_domain::markup::escape_html;
use gongkai_domain::report::{Report, layout};

/// The title an organ gives its report: `<organ><year>年政府信息公开工作年度报告`.
pub fn title(report: &Report) -> String {
    format!("{}{}年政府信息公开工作年度报告", report.organ, report.year)
}

/// One section as written: its heading and its body.
pub struct Section<'a> {
    pub index: usize,
    pub heading: &'a str,
    pub body: &'a str,
}

/// The six sections in official order. The heading is the one the report carries (a report read
/// back may use a variant such as 五、存在主要问题和改进情况), matched by its numeral; where the
/// report has no text for a section the official heading is written with an empty body.
pub fn sections(report: &Report) -> Vec<Section<'_>> {
    layout::SECTIONS
        .iter()
        .enumerate()
        .map(|(index, official)| {
            let numeral = &official[..official.find('、').unwrap_or(0)];
            let found = report
                .texts
                .iter()
                .find(|t| t.heading == *official)
                .or_else(|| {
                    report
                        .texts
                        .iter()
                        .find(|t| t.heading.split('、').next() == Some(numeral))
                });
            match found {
                Some(t) => Section {
                    index,
                    heading: t.heading.as_str(),
                    body: t.body.as_str(),
                },
                None => Section {
                    index,
                    heading: official,
                    body: "",
                },
            }
        })
        .collect()
}

/// How a paragraph of body text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A second-level heading standing alone: （一）主动公开.
    Heading2,
    /// A paragraph opening with a second-level heading sentence: （一）以…为重点，做好主动公开。一是…
    /// The first sentence is set like a heading, the rest as body.
    Lead2,
    /// Ordinary body text.
    Body,
}

/// A paragraph with its level; for [`Level::Lead2`] `lead` is the heading sentence and `rest`
/// what follows it.
pub struct Para<'a> {
    pub level: Level,
    pub lead: &'a str,
    pub rest: &'a str,
}

const CN_NUMERALS: &str = "一二三四五六七八九十";

fn opens_level2(p: &str) -> bool {
    let mut it = p.chars();
    if it.next() != Some('（') {
        return false;
    }
    for (n, c) in it.enumerate() {
        if c == '）' {
            return n > 0;
        }
        if !CN_NUMERALS.contains(c) || n > 2 {
            return false;
        }
    }
    false
}

/// The paragraphs of a body, one per non-empty line.
pub fn paragraphs(body: &str) -> Vec<Para<'_>> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|p| {
            if opens_level2(p) {
                // Short and ending without a full stop, or a single sentence: a heading line.
                let end = p.find('。').map(|i| i + '。'.len_utf8());
                match end {
                    Some(e) if e < p.len() => Para {
                        level: Level::Lead2,
                        lead: &p[..e],
                        rest: &p[e..],
                    },
                    _ if p.chars().count() <= 40 => Para {
                        level: Level::Heading2,
                        lead: p,
                        rest: "",
                    },
                    _ => Para {
                        level: Level::Body,
                        lead: "",
                        rest: p,
                    },
                }
            } else {
                Para {
                    level: Level::Body,
                    lead: "",
                    rest: p,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_levels() {
        let ps = paragraphs(
            "（一）主动公开\n\n（二）以扩大渠道为出口，做好依申请公开。细化流程。\n一是梳理。\n（十一）很长很长的段落没有句号但是超过四十个字符的时候就当作正文来处理而不是标题来处理吧好的",
        );
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[0].level, Level::Heading2);
        assert_eq!(ps[1].level, Level::Lead2);
        assert_eq!(ps[1].lead, "（二）以扩大渠道为出口，做好依申请公开。");
        assert_eq!(ps[1].rest, "细化流程。");
        assert_eq!(ps[2].level, Level::Body);
        assert_eq!(ps[3].level, Level::Body);
        assert!(!opens_level2("（本列）"));
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
