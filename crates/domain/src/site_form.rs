//! 政府网站工作年度报表: the yearly form every government site publishes by 31 January (国务院办公厅
//! 《政府网站发展指引》 and the national form issued with it), laid out once here.
//!
//! Our reading of the form (the spec is silent; see also `/work/shared/spec` notes in README):
//! its sections are 基本信息, 访问量, 信息发布, 专栏专题, 政策解读, 解读回应, 办事服务, 互动交流,
//! 安全防护, 移动新媒体, 创新发展, and the signatures. Each field is either **from the records**
//! (what gongkai knows: items published in the year and the columns they are filed in, the
//! interpretations linked to documents, the services of the 事项 register and the decisions made
//! under them, the letters received, answered and published) or **entered by the site** (what
//! only the site's operator knows: visits, security checks, new media, interviews). A field
//! from the records is never typed in; an entered field the site left blank prints as 未填报.

use serde::{Deserialize, Serialize};

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Counted from the records by the report's use case.
    Records,
    /// Entered by the site's operator.
    Entered,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number of `unit`.
    Count(&'static str),
    /// 是 / 否.
    YesNo,
    /// Free text.
    Text,
}

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub code: &'static str,
    pub section: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub source: Source,
}

const fn f(
    code: &'static str,
    section: &'static str,
    label: &'static str,
    kind: Kind,
    source: Source,
) -> Field {
    Field {
        code,
        section,
        label,
        kind,
        source,
    }
}

use Kind::{Count, Text, YesNo};
use Source::{Entered, Records};

/// The form, in its printed order.
pub const FORM: &[Field] = &[
    f("site_name", "基本信息", "网站名称", Text, Records),
    f("home_url", "基本信息", "首页网址", Text, Entered),
    f("sponsor", "基本信息", "主办单位", Text, Records),
    f("site_kind", "基本信息", "网站类型", Text, Entered),
    f("site_code", "基本信息", "政府网站标识码", Text, Records),
    f("icp", "基本信息", "ICP备案号", Text, Records),
    f("police_record", "基本信息", "公安机关备案号", Text, Records),
    f(
        "visitors",
        "访问量",
        "独立用户访问总量",
        Count("个"),
        Entered,
    ),
    f("visits", "访问量", "网站总访问量", Count("次"), Entered),
    f("published", "信息发布", "总数", Count("条"), Records),
    f(
        "published_overview",
        "信息发布",
        "概况类信息更新量",
        Count("条"),
        Records,
    ),
    f(
        "published_news",
        "信息发布",
        "政务动态信息更新量",
        Count("条"),
        Records,
    ),
    f(
        "published_catalogue",
        "信息发布",
        "信息公开目录信息更新量",
        Count("条"),
        Records,
    ),
    f("topics_kept", "专栏专题", "维护数量", Count("个"), Entered),
    f("topics_new", "专栏专题", "新开设数量", Count("个"), Entered),
    f(
        "interpretations",
        "政策解读",
        "解读信息发布总数",
        Count("条"),
        Records,
    ),
    f(
        "interpretation_materials",
        "政策解读",
        "其中：解读材料数量",
        Count("条"),
        Records,
    ),
    f(
        "interpretation_products",
        "政策解读",
        "其中：解读产品数量",
        Count("条"),
        Entered,
    ),
    f(
        "media_articles",
        "政策解读",
        "其中：媒体评论文章数量",
        Count("篇"),
        Entered,
    ),
    f(
        "responses",
        "解读回应",
        "回应公众关注热点或重大舆情数量",
        Count("次"),
        Entered,
    ),
    f(
        "service_catalogue",
        "办事服务",
        "是否发布服务事项目录",
        YesNo,
        Records,
    ),
    f(
        "registered_users",
        "办事服务",
        "注册用户数",
        Count("个"),
        Entered,
    ),
    f(
        "services",
        "办事服务",
        "政务服务事项数量",
        Count("项"),
        Records,
    ),
    f(
        "services_online",
        "办事服务",
        "可全程在线办理政务服务事项数量",
        Count("项"),
        Entered,
    ),
    f("service_cases", "办事服务", "办件量", Count("件"), Records),
    f(
        "letters_received",
        "互动交流",
        "收到留言数量",
        Count("条"),
        Records,
    ),
    f(
        "letters_done",
        "互动交流",
        "办结留言数量",
        Count("条"),
        Records,
    ),
    f(
        "letters_days",
        "互动交流",
        "平均办理时间",
        Count("天"),
        Records,
    ),
    f(
        "letters_public",
        "互动交流",
        "公开答复数量",
        Count("条"),
        Records,
    ),
    f("surveys", "互动交流", "征集调查期数", Count("期"), Entered),
    f(
        "survey_opinions",
        "互动交流",
        "收到意见数量",
        Count("条"),
        Entered,
    ),
    f(
        "survey_results",
        "互动交流",
        "公布调查结果期数",
        Count("期"),
        Entered,
    ),
    f(
        "interviews",
        "互动交流",
        "在线访谈期数",
        Count("期"),
        Entered,
    ),
    f(
        "smart_qa",
        "互动交流",
        "是否提供智能问答功能",
        YesNo,
        Entered,
    ),
    f(
        "security_checks",
        "安全防护",
        "安全检测评估次数",
        Count("次"),
        Entered,
    ),
    f(
        "security_problems",
        "安全防护",
        "发现问题数量",
        Count("个"),
        Entered,
    ),
    f(
        "security_fixed",
        "安全防护",
        "问题整改数量",
        Count("个"),
        Entered,
    ),
    f(
        "security_monitoring",
        "安全防护",
        "是否建立安全监测预警机制",
        YesNo,
        Entered,
    ),
    f(
        "emergency_drill",
        "安全防护",
        "是否开展应急演练",
        YesNo,
        Entered,
    ),
    f(
        "security_officer",
        "安全防护",
        "是否明确网站安全责任人",
        YesNo,
        Entered,
    ),
    f(
        "new_media",
        "移动新媒体",
        "移动新媒体（名称）",
        Text,
        Entered,
    ),
    f("accessibility", "创新发展", "无障碍浏览", YesNo, Records),
    f(
        "elder_mode",
        "创新发展",
        "长者模式（适老化）",
        YesNo,
        Records,
    ),
    f("innovation", "创新发展", "其他", Text, Entered),
    f("head", "签署", "单位负责人", Text, Entered),
    f("reviewer", "签署", "审核人", Text, Entered),
    f("filler", "签署", "填报人", Text, Entered),
    f("phone", "签署", "联系电话", Text, Entered),
];

/// The field of `code`.
pub fn field(code: &str) -> Option<&'static Field> {
    FORM.iter().find(|f| f.code == code)
}

/// One printed line: section, label, value as printed (with its unit), and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub section: String,
    pub label: String,
    pub value: String,
    pub from_records: bool,
}

/// Checks an entered value: a count is a whole number ≥ 0, a yes/no is 是 or 否; `None` for
/// blank. The message says what is wrong, in Chinese.
pub fn parse_entered(field: &Field, raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match field.kind {
        Count(_) => v
            .parse::<u64>()
            .map(|n| Some(n.to_string()))
            .map_err(|_| format!("“{}”应填写非负整数，“{v}”不是", field.label)),
        YesNo => match v {
            "是" | "否" => Ok(Some(v.to_string())),
            _ => Err(format!("“{}”应填写“是”或“否”", field.label)),
        },
        Text if v.chars().count() > 500 => Err(format!("“{}”不能超过500字", field.label)),
        Text => Ok(Some(v.to_string())),
    }
}

/// The form's lines from the values of every field (`code → value`, records and entered alike).
pub fn lines(values: &std::collections::BTreeMap<String, String>) -> Vec<Line> {
    FORM.iter()
        .map(|f| {
            let value = match (values.get(f.code), f.kind) {
                (Some(v), Count(unit)) if !v.is_empty() => format!("{v}{unit}"),
                (Some(v), _) if !v.is_empty() => v.clone(),
                _ if f.source == Records => "0".to_string(),
                _ => "未填报".to_string(),
            };
            Line {
                section: f.section.to_string(),
                label: f.label.to_string(),
                value,
                from_records: f.source == Records,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn codes_are_unique_and_values_checked() {
        let mut codes: Vec<&str> = FORM.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), FORM.len());
        let visits = field("visits").unwrap();
        assert_eq!(parse_entered(visits, " 12034 "), Ok(Some("12034".into())));
        assert!(
            parse_entered(visits, "-3")
                .unwrap_err()
                .contains("非负整数")
        );
        assert_eq!(parse_entered(visits, ""), Ok(None));
        let drill = field("emergency_drill").unwrap();
        assert!(parse_entered(drill, "有").is_err());
        let mut v = BTreeMap::new();
        v.insert("visits".to_string(), "12034".to_string());
        let l = lines(&v);
        assert_eq!(
            l.iter().find(|l| l.label == "网站总访问量").unwrap().value,
            "12034次"
        );
        assert_eq!(
            l.iter()
                .find(|l| l.label == "独立用户访问总量")
                .unwrap()
                .value,
            "未填报"
        );
        assert_eq!(l.iter().find(|l| l.label == "总数").unwrap().value, "0");
    }
}
