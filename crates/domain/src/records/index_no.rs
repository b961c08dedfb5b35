//! 索引号: generated from a per-organ pattern, unique, never reused. There is no national
//! format; the usual one is `<organ code>/<year>-<zero-padded sequence>`.

/// A parsed 索引号 pattern. Placeholders: `{code}` (the organ's code), `{year}`, `{seq}` or
/// `{seq:0N}` (the per-organ-year sequence number, zero-padded to N digits). `{seq}` must occur
/// exactly once and `{year}` at least once, since the sequence restarts each year: without the
/// year two items would get the same number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Code,
    Year,
    Seq(usize),
}

pub const DEFAULT_INDEX_PATTERN: &str = "{code}/{year}-{seq:05}";

impl IndexPattern {
    pub fn parse(s: &str) -> Result<IndexPattern, String> {
        let mut parts = Vec::new();
        let mut rest = s;
        let (mut seqs, mut years) = (0, 0);
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Lit(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| format!("索引号格式“{s}”中的“{{”没有配对的“}}”"))?;
            let name = &rest[open + 1..close];
            match name {
                "code" => parts.push(Part::Code),
                "year" => {
                    years += 1;
                    parts.push(Part::Year)
                }
                "seq" => {
                    seqs += 1;
                    parts.push(Part::Seq(0))
                }
                _ => match name.strip_prefix("seq:") {
                    Some(w) if w.starts_with('0') && w.len() >= 2 => {
                        let width: usize = w[1..]
                            .parse()
                            .map_err(|_| format!("索引号格式“{s}”中的“{{{name}}}”宽度不对"))?;
                        if !(1..=12).contains(&width) {
                            return Err(format!("索引号格式“{s}”中的序号宽度应为1到12位"));
                        }
                        seqs += 1;
                        parts.push(Part::Seq(width))
                    }
                    _ => {
                        return Err(format!(
                            "索引号格式“{s}”中有未知的占位符“{{{name}}}”（可用 {{code}}、{{year}}、{{seq}}、{{seq:05}}）"
                        ));
                    }
                },
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            if rest.contains('}') {
                return Err(format!("索引号格式“{s}”中的“}}”没有配对的“{{”"));
            }
            parts.push(Part::Lit(rest.to_string()));
        }
        if seqs != 1 {
            return Err(format!("索引号格式“{s}”必须恰好包含一个序号占位符 {{seq}}"));
        }
        if years == 0 {
            return Err(format!("索引号格式“{s}”必须包含年份占位符 {{year}}"));
        }
        Ok(IndexPattern { parts })
    }

    /// The 索引号 of the `seq`-th item of `year` for the organ with `code`.
    pub fn format(&self, code: &str, year: i32, seq: i64) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Code => out.push_str(code),
                Part::Year => out.push_str(&year.to_string()),
                Part::Seq(w) => out.push_str(&format!("{seq:0w$}", w = *w)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pattern_gives_the_usual_shape() {
        let p = IndexPattern::parse(DEFAULT_INDEX_PATTERN).unwrap();
        assert_eq!(
            p.format("11640181MB1234567X", 2020, 12),
            "11640181MB1234567X/2020-00012"
        );
        assert_eq!(p.format("A", 2021, 123456), "A/2021-123456");
    }

    #[test]
    fn other_patterns_and_errors() {
        let p = IndexPattern::parse("JY-{year}{seq:03}-{code}").unwrap();
        assert_eq!(p.format("X1", 2022, 7), "JY-2022007-X1");
        assert!(
            IndexPattern::parse("{code}/{seq}")
                .unwrap_err()
                .contains("{year}")
        );
        assert!(
            IndexPattern::parse("{code}/{year}")
                .unwrap_err()
                .contains("{seq}")
        );
        assert!(IndexPattern::parse("{code}/{year}-{seq}{seq}").is_err());
        assert!(
            IndexPattern::parse("{code}/{year}-{nr}")
                .unwrap_err()
                .contains("未知")
        );
        assert!(IndexPattern::parse("{code/{year}-{seq}").is_err());
    }
}
