//! Small text helpers shared by the rules (which read a report's section texts) and the reader
//! (which reads published documents): published Chinese text mixes full-width and half-width
//! digits, and PDF extraction breaks lines (and inserts spaces) in the middle of words.

/// Maps full-width digits, signs and spaces to their ASCII forms; leaves Chinese punctuation
/// (，（）：；) alone since the official labels are written with it.
pub fn norm_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '＋' => '+',
        '－' | '−' | '﹣' => '-',
        '．' => '.',
        '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' => ' ',
        '\u{200b}' | '\u{feff}' => ' ',
        _ => c,
    }
}

/// The text with full-width forms normalised and every whitespace removed: Chinese prose has no
/// meaningful spaces, and extraction puts them (and line breaks) anywhere.
pub fn compact(s: &str) -> String {
    s.chars()
        .map(norm_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Sentences of compacted text, split at 。！？； (a clause list like "其中：A 3条，B 4条" stays
/// within one sentence).
pub fn sentences(s: &str) -> impl Iterator<Item = &str> {
    s.split(['。', '！', '？', '；', '!', '?', ';'])
        .filter(|x| !x.is_empty())
}

/// Parses a number at the start of `s` (ASCII digits, optional decimal part, or a simple Chinese
/// numeral such as 十二 / 两 / 零); returns it with the number of bytes read.
pub fn number_at(s: &str) -> Option<(f64, usize)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',') {
        i += 1;
    }
    if i > 0 && bytes[0].is_ascii_digit() {
        let mut j = i;
        if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
        }
        // A trailing comma is punctuation, not a thousands separator.
        let mut end = j;
        while end > 0 && bytes[end - 1] == b',' {
            end -= 1;
        }
        let txt: String = s[..end].chars().filter(|c| *c != ',').collect();
        return txt.parse().ok().map(|v| (v, end));
    }
    chinese_number_at(s)
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Simple Chinese numerals up to 9999 (一千二百三十四, 十五, 两).
fn chinese_number_at(s: &str) -> Option<(f64, usize)> {
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    let mut read = 0;
    let mut any = false;
    for (i, c) in s.char_indices() {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else {
            let mul = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                _ => break,
            };
            total += digit.unwrap_or(1) * mul;
            digit = None;
        }
        any = true;
        read = i + c.len_utf8();
    }
    if !any {
        return None;
    }
    total += digit.unwrap_or(0);
    Some((total as f64, read))
}

/// Every number in `s` with its byte range, scanning left to right (digits only: Chinese
/// numerals are only read where a rule expects a count, via [`number_at`]).
pub fn numbers(s: &str) -> Vec<(f64, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i].is_ascii_digit()
            && let Some((v, n)) = number_at(&s[i..])
        {
            out.push((v, i, i + n));
            i += n.max(1);
            continue;
        }
        i += 1;
        while i < s.len() && !s.is_char_boundary(i) {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_spaces_are_normalised() {
        assert_eq!(compact("收到 １２ 件\n申请"), "收到12件申请");
        assert_eq!(compact("－３"), "-3");
    }

    #[test]
    fn numbers_are_read_in_both_scripts() {
        assert_eq!(number_at("135条"), Some((135.0, 3)));
        assert_eq!(number_at("3.5万元"), Some((3.5, 3)));
        assert_eq!(number_at("十二件"), Some((12.0, 6)));
        assert_eq!(number_at("两件"), Some((2.0, 3)));
        assert_eq!(number_at("件"), None);
        assert_eq!(number_at("1,234件"), Some((1234.0, 5)));
        let ns = numbers("共135条，其中28条");
        assert_eq!(ns.len(), 2);
        assert_eq!(ns[1].0, 28.0);
    }
}
