//! Text as people collect it rather than as an extractor writes it: pages saved by crawlers
//! (a metadata block before the report, the portal's navigation around it, the body on one
//! line) and Markdown made from PDFs by extraction tools (`#` headings, `|` tables, `**`).
//! Everything here turns such text into the lines the reader knows; nothing here reads a table.

use crate::parse::{Line, heading_of, text_lines};
use crate::structured::row_line;
use gongkai_domain::report::text::compact;

/// Field names crawlers write before a page's body (标题: …, 发布时间: …).
const META_FIELDS: &[&str] = &[
    "标题",
    "题目",
    "发布时间",
    "发布日期",
    "成文日期",
    "原文链接",
    "原文地址",
    "链接",
    "网址",
    "来源",
    "信息来源",
    "采集时间",
    "抓取时间",
    "爬取时间",
    "发布机构",
    "发文机关",
    "单位",
    "索引号",
    "文号",
    "发文字号",
    "主题分类",
    "分类",
    "关键词",
    "作者",
    "浏览次数",
    "点击数",
    "url",
    "URL",
    "title",
    "source",
    "date",
];

/// Words of a portal's navigation and page furniture, on short lines of their own.
const NAV_WORDS: &[&str] = &[
    "当前位置",
    "您的位置",
    "您现在的位置",
    "字体：",
    "字体:",
    "【大】",
    "打印本页",
    "关闭窗口",
    "打印】",
    "【关闭",
    "分享到",
    "扫一扫",
    "返回顶部",
    "网站地图",
    "无障碍",
    "繁體版",
    "上一篇",
    "下一篇",
    "相关链接",
    "版权所有",
    "主办单位",
    "ICP备",
    "网站标识码",
    "公网安备",
];

/// A crawler's metadata line: the field's name and its value.
fn meta_field(c: &str) -> Option<(&str, &str)> {
    let (name, value) = c.split_once(['：', ':'])?;
    let name = name.trim_matches(|ch: char| ch == '*' || ch == '-' || ch.is_whitespace());
    META_FIELDS
        .iter()
        .any(|f| name.eq_ignore_ascii_case(f))
        .then_some((name, value))
}

/// A title line as crawlers label it in a saved page (`标题：某某局2023年…报告`, kept in HTML
/// pages, where no metadata block is dropped): the value without its field name; other text
/// unchanged.
pub(crate) fn title_value(c: &str) -> &str {
    match meta_field(c) {
        Some((name, v))
            if ["标题", "题目", "title"]
                .iter()
                .any(|f| name.eq_ignore_ascii_case(f)) =>
        {
            v
        }
        _ => c,
    }
}

/// A marker line between a crawler's metadata and the body: `==== 正文 ====`, `--- 正文 ---`,
/// `【正文】`.
fn body_marker(c: &str) -> bool {
    let t = c.trim_matches(|ch: char| {
        matches!(
            ch,
            '=' | '-' | '—' | '#' | '*' | '【' | '】' | '[' | ']' | '<' | '>' | '_'
        )
    });
    matches!(
        t,
        "正文" | "正文内容" | "内容" | "全文" | "body" | "BODY" | "content"
    )
}

fn is_nav(c: &str) -> bool {
    let n = c.chars().count();
    if n == 0 || n > 60 {
        return false;
    }
    if NAV_WORDS.iter().any(|w| c.contains(w)) {
        return true;
    }
    // Breadcrumbs: 首页 > 政府信息公开 > 年度报告.
    let crumbs = c.matches(['>', '＞', '»', '›']).count();
    crumbs >= 1 && (c.contains("首页") || crumbs >= 2) && !c.contains("报告>")
}

/// A Markdown table's separator row: `|---|:---:|`.
fn md_separator(s: &str) -> bool {
    let t = s.trim();
    t.starts_with('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// A Markdown table row's cells, if the line is one.
fn md_cells(s: &str) -> Option<Vec<String>> {
    let t = s.trim();
    if !(t.starts_with('|') && t.ends_with('|') && t.len() >= 2) {
        return None;
    }
    let inner = &t[1..t.len() - 1];
    Some(
        inner
            .split('|')
            .map(|c| c.trim().trim_matches('*').trim().to_string())
            .collect(),
    )
}

/// Strips Markdown's heading marks, emphasis and quote marks from a line of text.
fn md_plain(s: &str) -> String {
    let t = s.trim_start();
    let t = t.trim_start_matches('>').trim_start();
    let t = if t.starts_with('#') {
        t.trim_start_matches('#').trim_start()
    } else {
        t
    };
    t.replace("**", "").replace("__", "")
}

/// Whether the text looks like Markdown made by a tool (a table with pipes, or `#` headings).
fn is_markdown(lines: &[Line]) -> bool {
    let pipes = lines.iter().filter(|l| md_cells(&l.text).is_some()).count();
    let hashes = lines
        .iter()
        .filter(|l| l.text.trim_start().starts_with('#'))
        .count();
    pipes >= 2 || hashes >= 2
}

/// The official section headings a long line (a body collected on one line) is split before.
const ONE_LINE_HEADINGS: &[&str] = &[
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    // 平潭综合实验区行政审批局 2024.
    "四、政府信息公开行政复议与行政诉讼情况",
    // The typo of 平潭综合实验区 2022 (and the marker list of table 四 in parse/mod.rs).
    "四、政府信息公开行政法复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "五、存在的主要问题及整改措施",
    // 平潭综合实验区公安局 2024.
    "五、存在的主要问题及明年工作计划",
    "五、存在主要问题和改进情况",
    "六、其他需要报告的事项",
];

/// Row labels (and block headings) of tables 二 and 三 in either format, and the group labels
/// of table 三: a table collected on one line is split before each of them.
fn table_row_labels() -> &'static [&'static str] {
    static LABELS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LABELS.get_or_init(row_labels)
}

fn row_labels() -> Vec<&'static str> {
    use gongkai_domain::report::Format;
    use gongkai_domain::report::layout::{blocks, table3_rows};
    let mut out: Vec<&'static str> = vec![
        "信息内容",
        "规范性文件",
        "三、本年度办理结果",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ];
    for f in [Format::F2019, Format::F2021] {
        for b in blocks(f) {
            out.push(b.heading);
            out.extend(b.rows.iter().copied());
        }
        out.extend(table3_rows(f));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A table of a page body collected on one line (`规章000行政规范性文件6233440第二十条第（五）项…`,
/// `一、本年新收政府信息公开申请数量21710000218二、上年结转…`): split before each row label, one
/// row a line, so that each row's (glued) digits stand after its own label. Text that is not
/// such a table (prose: it has a full stop; no table marker) is left whole.
fn split_table_rows(s: &str) -> Vec<&str> {
    let c = compact(s);
    let table = !s.contains('。')
        && (c.contains("第二十条") || c.contains("本列数据") || c.contains("申请人情况"))
        && c.chars().filter(|ch| ch.is_ascii_digit()).count() >= 7;
    if !table {
        return vec![s];
    }
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for &label in table_row_labels() {
        let mut from = 0;
        while let Some(p) = s[from..].find(label) {
            let at = from + p;
            cuts.push((at, at + label.len()));
            from = at + label.len();
        }
    }
    cuts.sort_unstable();
    // Overlapping labels (行政规范性文件 / 规范性文件): the first, longest one.
    let mut starts: Vec<usize> = Vec::new();
    let mut end = 0;
    for (a, b) in cuts {
        if a >= end {
            starts.push(a);
        }
        end = end.max(b);
    }
    let mut out = Vec::with_capacity(starts.len() + 1);
    let mut last = 0;
    for a in starts {
        if a > last {
            out.push(&s[last..a]);
        }
        last = a;
    }
    out.push(&s[last..]);
    out
}

/// Splits a very long line before each official heading it contains (a page body collected on
/// one line), each heading on a line of its own.
fn split_long(line: Line, out: &mut Vec<Line>) {
    if line.text.chars().count() < 200 {
        out.push(line);
        return;
    }
    let text = line.text;
    // (start, end) of every official heading in the line.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for h in ONE_LINE_HEADINGS {
        let mut from = 0;
        while let Some(p) = text[from..].find(h) {
            let at = from + p;
            cuts.push((at, at + h.len()));
            from = at + h.len();
        }
    }
    cuts.sort_unstable();
    // Overlapping matches (a longer variant of a heading): keep the first, longest.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for c in cuts {
        match kept.last_mut() {
            Some(last) if c.0 < last.1 => last.1 = last.1.max(c.1),
            _ => kept.push(c),
        }
    }
    let mut first = line.page_start;
    let mut push = |s: &str, out: &mut Vec<Line>| {
        for piece in split_table_rows(s) {
            if !piece.trim().is_empty() {
                out.push(Line {
                    text: piece.to_string(),
                    toks: None,
                    page_start: first,
                });
                first = false;
            }
        }
    };
    let mut last = 0;
    for (a, b) in kept {
        push(&text[last..a], out);
        push(&text[a..b], out);
        last = b;
    }
    push(&text[last..], out);
}

/// The lines of collected text: crawler metadata and navigation dropped (a 标题 field kept as
/// the title line), Markdown turned into plain lines and table rows, one-line bodies split at
/// their headings.
pub fn collected_lines(text: &str) -> Vec<Line> {
    let raw = text_lines(text);
    let total = raw.len();
    // Navigation is dropped before the first heading and among the last lines only: prose may
    // mention 无障碍 or 网站地图.
    let mut seen_heading = false;
    let markdown = is_markdown(&raw);

    // Where the body starts: after a `==== 正文 ====` marker in the first lines, else after
    // the leading metadata block.
    let head = raw.len().min(60);
    let marker = raw[..head]
        .iter()
        .position(|l| body_marker(&compact(&md_plain(&l.text))));
    let mut title_field: Option<String> = None;
    let mut lines: Vec<Line> = Vec::with_capacity(raw.len());
    let mut in_meta = true;
    for (i, l) in raw.into_iter().enumerate() {
        let plain = md_plain(&l.text);
        let c = compact(&plain);
        if let Some(m) = marker {
            if i < m {
                if let Some(("标题" | "题目" | "title", v)) = meta_field(&c) {
                    title_field = Some(v.to_string());
                }
                continue;
            }
            if i == m {
                continue;
            }
        } else if in_meta && i < head {
            if let Some((name, v)) = meta_field(&c) {
                if matches!(name, "标题" | "题目" | "title") {
                    title_field = Some(v.to_string());
                }
                continue;
            }
            if !c.is_empty() {
                in_meta = false;
            }
        }
        if is_nav(&c) && (!seen_heading || i + 10 >= total) {
            continue;
        }
        seen_heading |= heading_of(&c).is_some();
        if markdown {
            if md_separator(&l.text) {
                continue;
            }
            if let Some(cells) = md_cells(&l.text) {
                let mut row = row_line(cells);
                row.page_start = l.page_start;
                lines.push(row);
                continue;
            }
            lines.push(Line {
                text: plain,
                toks: None,
                page_start: l.page_start,
            });
            continue;
        }
        split_long(l, &mut lines);
    }
    // The title the crawler recorded, when the body does not carry one before its first
    // heading: put it first.
    if let Some(t) = title_field {
        let t = t.trim().to_string();
        // A title line of the body: short, naming the report (the body's first paragraph also
        // says 本报告…, and a breadcrumb may run into the title on one long line).
        // Only lines before the first section heading count (六、其他需要报告的事项 is no title).
        let body_has_title = lines
            .iter()
            .take(12)
            .take_while(|l| heading_of(&compact(&l.text)).is_none())
            .any(|l| {
                let c = compact(&l.text);
                c.contains("报告")
                    && c.chars().count() <= 80
                    && l.toks.is_none()
                    && !c.contains('。')
                    && !c.starts_with("本报告")
            });
        if !t.is_empty() && !body_has_title {
            lines.insert(0, Line::text(t));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| l.text.clone())
            .collect()
    }

    #[test]
    fn crawler_metadata_and_navigation_are_dropped() {
        let t = "标题: 某某局2021年政府信息公开工作年度报告\n发布时间: 2022-01-20\n原文链接: http://x.gov.cn/a.html\n==== 正文 ====\n首页 > 政务公开 > 年度报告\n某某局2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n打印本页 关闭窗口";
        let got = texts(&collected_lines(t));
        assert_eq!(
            got,
            [
                "某某局2021年政府信息公开工作年度报告",
                "一、总体情况",
                "正文。"
            ]
        );
    }

    #[test]
    fn the_title_field_stands_in_for_a_missing_title() {
        let t = "标题：某某局2021年政府信息公开工作年度报告\n来源：某某局\n一、总体情况\n正文。";
        let got = texts(&collected_lines(t));
        assert_eq!(got[0], "某某局2021年政府信息公开工作年度报告");
        assert_eq!(got[1], "一、总体情况");
    }

    #[test]
    fn markdown_tables_become_rows_and_headings_plain_lines() {
        let t = "# 某某局 2021 年政府信息公开工作年度报告\n## 一、总体情况\n| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | 5 |";
        let lines = collected_lines(t);
        assert_eq!(lines[0].text, "某某局 2021 年政府信息公开工作年度报告");
        assert_eq!(lines[1].text, "一、总体情况");
        assert_eq!(lines.len(), 4);
        assert!(lines[3].toks.is_some());
    }

    #[test]
    fn a_body_on_one_line_is_split_at_its_headings() {
        let body = "前言".repeat(120);
        let t = format!("{body}一、总体情况今年工作。二、主动公开政府信息情况表略。");
        let got = texts(&collected_lines(&t));
        assert_eq!(
            got,
            [
                body.as_str(),
                "一、总体情况",
                "今年工作。",
                "二、主动公开政府信息情况",
                "表略。"
            ]
        );
    }
}
