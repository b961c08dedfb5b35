//! The audit log in words: the actions use cases write named by [`gongkai_app::audit::Action`],
//! the records they touch named as an officer would say them, and a change's before/after as lines
//! of 字段：值 with the values translated (a role's, a status's, a channel's name; an organ's name
//! instead of its id). A report's section texts changed together are shown once, as a diff of
//! lines per section. An unknown code or value is shown as written, so nothing is hidden.

use gongkai_app::audit::Action;
use serde_json::Value;
use std::collections::HashMap;

/// The Chinese name of an action code (a code no longer written is shown as stored).
pub fn action(code: &str) -> String {
    Action::parse(code).map_or_else(|| code.to_string(), |a| a.name().to_string())
}

/// The Chinese name of an entity code.
pub fn entity(code: &str) -> String {
    let name = match code {
        "catalogue_item" => "公开信息",
        "item_attachment" => "附件",
        "item_interpretation" => "政策解读关联",
        "announcement" => "公示",
        "application" => "依申请公开申请",
        "application_settings" => "申请编号设置",
        "letter" => "来信",
        "consultation" => "意见征集",
        "case" => "登记簿案件",
        "matter" => "事项清单",
        "decision" => "处理决定",
        "fee" => "行政事业性收费",
        "procurement" => "政府集中采购",
        "calendar_year" => "工作日历年度",
        "report_draft" => "年度报告草稿",
        "report_text" => "年度报告章节正文",
        "published_report" => "已发布年度报告",
        "organ_settings" => "公开指南设置",
        "user" => "用户",
        "api_token" => "接口令牌",
        "import" => "导入文件",
        "demo" => "演示数据",
        other => return other.to_string(),
    };
    name.to_string()
}

/// The Chinese name of a field of a before/after record, if known.
fn field(key: &str) -> &str {
    match key {
        "title" => "标题",
        "status" => "状态",
        "due_on" => "答复期限",
        "number" => "编号",
        "channel" => "渠道",
        "received_on" => "收到日期",
        "event" => "办理步骤",
        "notice" => "告知书编号",
        "reason" => "理由",
        "return_reason" => "退回理由",
        "organ" | "organ_id" => "机关",
        "voided_seq" => "作废的步骤",
        "year" => "年度",
        "version" => "版本",
        "include_units" => "含下属单位",
        "published_despite" => "发布时存在的问题",
        "confirmation" => "确认发布的理由",
        "role" => "角色",
        "active" => "启用",
        "username" => "用户名",
        "display_name" => "姓名",
        "filename" => "文件名",
        "bytes" => "字节数",
        "name" => "名称",
        "outcome" => "结果",
        "decided_on" => "决定日期",
        "published_on" => "发布日期",
        "written_on" => "成文日期",
        "doc_number" => "文号",
        "issuing_unit" => "发布机构",
        "summary" => "概述",
        "category_id" => "分类编号",
        "doc_kind" => "文件类型",
        "id" => "记录编号",
        "index_no" => "索引号",
        "validity" => "效力",
        "kind" => "数据类型",
        "rows" => "条数",
        "file" => "文件",
        "notice_prefix" => "告知书文号前缀",
        "number_prefix" => "申请编号前缀",
        "generated_at" => "生成时间",
        "must_change_password" => "须修改密码",
        "interpretation" => "解读",
        "policy" => "政策文件",
        "item" => "公开信息编号",
        "applications" => "依申请公开申请",
        "listed_on" => "列入日期",
        "matter_id" => "事项编号",
        "paid_on" => "缴费日期",
        "fen" => "金额（分）",
        "note" => "备注",
        "signed_on" => "签订日期",
        "filed_on" => "立案日期",
        "application" => "申请编号",
        "party" => "行政相对人",
        other => other,
    }
}

/// What the log needs besides the row to name values: the organs by id.
#[derive(Default)]
pub struct Names {
    pub organs: HashMap<i64, String>,
}

impl Names {
    /// A value in words: codes of roles, statuses, channels and the like by their Chinese names,
    /// organs by name, a recorded step by its description; anything else as written.
    fn value(&self, entity: &str, key: &str, v: &Value) -> String {
        use gongkai_domain::records::{
            CaseKind, CaseOutcome, DocKind, ItemStatus, MatterKind, Validity,
        };
        let s = v.as_str().unwrap_or_default();
        let named: Option<&str> = match key {
            "role" => gongkai_store::users::Role::parse(s).map(|r| r.label()),
            "status" if entity == "application" => {
                serde_json::from_value::<gongkai_domain::application::workflow::Status>(v.clone())
                    .ok()
                    .map(|x| x.label())
            }
            "status" => ItemStatus::parse(s).map(|x| x.label()),
            "channel" => {
                serde_json::from_value::<gongkai_domain::application::events::Channel>(v.clone())
                    .ok()
                    .map(|x| x.label())
            }
            "validity" => Validity::parse(s).map(|x| x.label()),
            "kind" if entity == "case" => CaseKind::parse(s).map(|x| x.label()),
            "kind" => MatterKind::parse(s).map(|x| x.label()),
            "doc_kind" => DocKind::parse(s).map(|x| x.label()),
            "outcome" => CaseOutcome::parse(s).map(|x| x.label()),
            "organ" | "organ_id" => v
                .as_i64()
                .and_then(|id| self.organs.get(&id))
                .map(|n| n.as_str()),
            _ => None,
        };
        if let Some(n) = named {
            return n.to_string();
        }
        if key == "event"
            && let Ok(e) =
                serde_json::from_value::<gongkai_domain::application::events::EventKind>(v.clone())
        {
            return e.describe();
        }
        match v {
            Value::String(s) => s.clone(),
            Value::Null => "（空）".to_string(),
            Value::Bool(true) => "是".to_string(),
            Value::Bool(false) => "否".to_string(),
            Value::Array(a) if a.iter().all(|x| x.is_string()) => a
                .iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            other => other.to_string(),
        }
    }

    /// A record as lines of 字段：值; text that is not a JSON object is returned as it is.
    fn lines(&self, entity: &str, v: &Value) -> Vec<String> {
        match v {
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| format!("{}：{}", field(k), self.value(entity, k, x)))
                .collect(),
            Value::Null => vec![],
            Value::String(s) => vec![s.clone()],
            other => vec![other.to_string()],
        }
    }

    /// A change's before and after in words, keeping only the fields that changed when both are
    /// records (an item's whole row is written on each change; the reader wants the difference),
    /// or, for section texts, the lines that changed.
    pub fn change(&self, entity: &str, before: &str, after: &str) -> Readable {
        let parse = |s: &str| -> Option<Value> {
            if s.trim().is_empty() {
                None
            } else {
                Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string())))
            }
        };
        let (b, a) = (parse(before), parse(after));
        if let (Some(b), Some(a)) = (&b, &a)
            && let (Some(b), Some(a)) = (sections(b), sections(a))
        {
            return Readable {
                diff: text_diff(&b, &a),
                ..Readable::default()
            };
        }
        match (b, a) {
            (Some(Value::Object(b)), Some(Value::Object(a))) => {
                let changed =
                    |m: &serde_json::Map<String, Value>, other: &serde_json::Map<String, Value>| {
                        Value::Object(
                            m.iter()
                                .filter(|(k, v)| other.get(*k) != Some(*v))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        )
                    };
                Readable {
                    before: self.lines(entity, &changed(&b, &a)),
                    after: self.lines(entity, &changed(&a, &b)),
                    diff: vec![],
                }
            }
            (b, a) => Readable {
                before: b.map(|v| self.lines(entity, &v)).unwrap_or_default(),
                after: a.map(|v| self.lines(entity, &v)).unwrap_or_default(),
                diff: vec![],
            },
        }
    }
}

/// A change in words.
#[derive(Debug, Default, PartialEq)]
pub struct Readable {
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// The sections whose text changed, each with its lines marked.
    pub diff: Vec<SectionDiff>,
}

/// One section's changed text.
#[derive(Debug, PartialEq)]
pub struct SectionDiff {
    pub heading: String,
    pub lines: Vec<DiffLine>,
}

/// A line of a text diff: kept (context), removed or added.
#[derive(Debug, PartialEq)]
pub struct DiffLine {
    /// `same`, `removed` or `added` (the class the style sheet colours).
    pub kind: &'static str,
    pub text: String,
}

impl DiffLine {
    /// The mark read before the line (also for screen readers and print, where colour is lost).
    pub fn mark(&self) -> &'static str {
        match self.kind {
            "removed" => "－",
            "added" => "＋",
            _ => "\u{3000}",
        }
    }
}

/// A report's section texts as the audit row stores them: `[[heading, body], …]`.
fn sections(v: &Value) -> Option<Vec<(String, String)>> {
    v.as_array()?
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            match p.as_slice() {
                [Value::String(h), Value::String(b)] => Some((h.clone(), b.clone())),
                _ => None,
            }
        })
        .collect()
}

/// Unchanged lines shown around a change.
const CONTEXT: usize = 1;

/// The line diff of each section whose text changed (sections matched by heading).
fn text_diff(before: &[(String, String)], after: &[(String, String)]) -> Vec<SectionDiff> {
    use similar::{ChangeTag, TextDiff};
    let mut out = Vec::new();
    for (heading, new) in after {
        let old = before
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, b)| b.as_str())
            .unwrap_or("");
        if old == new {
            continue;
        }
        let diff = TextDiff::from_lines(old, new.as_str());
        let mut lines = Vec::new();
        for group in diff.grouped_ops(CONTEXT) {
            if !lines.is_empty() {
                lines.push(DiffLine {
                    kind: "same",
                    text: "……".into(),
                });
            }
            for op in group {
                for c in diff.iter_changes(&op) {
                    let kind = match c.tag() {
                        ChangeTag::Equal => "same",
                        ChangeTag::Delete => "removed",
                        ChangeTag::Insert => "added",
                    };
                    lines.push(DiffLine {
                        kind,
                        text: c.value().trim_end_matches(['\n', '\r']).to_string(),
                    });
                }
            }
        }
        out.push(SectionDiff {
            heading: heading.clone(),
            lines,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_values_read_in_chinese() {
        assert_eq!(action("publish"), "发布");
        assert_eq!(action("delivered"), "送达答复");
        assert_eq!(action("release_file"), "提供信息文件");
        assert_eq!(action("set_prefixes"), "设置编号前缀");
        assert_eq!(entity("catalogue_item"), "公开信息");
        assert_eq!(action("something_new"), "something_new");
        let names = Names {
            organs: [(3, "灵武市教育体育局".to_string())].into(),
        };
        let r = names.change(
            "user",
            "",
            r#"{"role":"editor","organ_id":3,"active":true,"due_on":null}"#,
        );
        for l in [
            "角色：信息编辑",
            "机关：灵武市教育体育局",
            "启用：是",
            "答复期限：（空）",
        ] {
            assert!(r.after.iter().any(|x| x == l), "{l} not in {:?}", r.after);
        }
        let r = names.change(
            "catalogue_item",
            r#"{"title":"甲","status":"in_review"}"#,
            r#"{"title":"甲","status":"published"}"#,
        );
        assert_eq!(r.before, vec!["状态：待审核".to_string()]);
        assert_eq!(r.after, vec!["状态：已发布".to_string()]);
        let r = names.change("application", "", r#"{"status":"awaiting_correction"}"#);
        assert_eq!(r.after, vec!["状态：等待补正".to_string()]);
        // An unknown value is shown as written.
        let r = names.change("user", "", r#"{"role":"astronaut"}"#);
        assert_eq!(r.after, vec!["角色：astronaut".to_string()]);
    }

    #[test]
    fn section_texts_are_one_diff_not_two_arrays() {
        let before =
            r#"[["一、总体情况","第一行\n第二行\n第三行"],["二、主动公开政府信息情况","不变"]]"#;
        let after = r#"[["一、总体情况","第一行\n第二行改了\n第三行"],["二、主动公开政府信息情况","不变"]]"#;
        let r = Names::default().change("report_draft", before, after);
        assert!(r.before.is_empty() && r.after.is_empty(), "{r:?}");
        assert_eq!(r.diff.len(), 1, "only the changed section: {r:?}");
        assert_eq!(r.diff[0].heading, "一、总体情况");
        let kinds: Vec<_> = r.diff[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("same", "第一行"),
                ("removed", "第二行"),
                ("added", "第二行改了"),
                ("same", "第三行"),
            ]
        );
    }
}
