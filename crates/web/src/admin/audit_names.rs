//! The audit log in Chinese: the codes use cases write (`publish`, `catalogue_item` …) named as
//! an officer would say them, and a change's before/after JSON as lines of 字段：值. An unknown
//! code is shown as written, so nothing is hidden.

/// The Chinese name of an action code.
pub fn action(code: &str) -> String {
    let name = match code {
        "create" => "新建",
        "update" => "修改",
        "submit" => "提交审核",
        "publish" => "发布",
        "return" => "退回修改",
        "withdraw" => "撤回",
        "redraft" => "重新起草",
        "recall" => "撤回审核",
        "validity" => "变更有效性",
        "attach" => "上传附件",
        "link" => "关联解读",
        "register" => "登记申请",
        "assigned" => "指定承办人",
        "supplement_requested" => "告知补正",
        "supplement_received" => "收到补正",
        "consultation_started" => "征求意见",
        "consultation_answered" => "收到意见",
        "extended" => "延长答复期限",
        "fee_noticed" => "收费通知",
        "fee_paid" => "登记缴费",
        "fee_not_paid" => "逾期未缴费",
        "decided" => "答复",
        "withdrawn" => "申请人撤回",
        "deadline_recomputed" => "重新计算期限",
        "void_step" => "作废办理步骤",
        "receive" => "收到来信",
        "reply" => "答复来信",
        "decide" => "登记决定",
        "import" => "导入",
        "generate" => "生成草稿",
        "edit_texts" => "修改正文",
        "set_password" => "设置密码",
        "reset_password" => "重置密码（须修改）",
        "grant" => "授予机关角色",
        "revoke" => "撤销",
        other => return other.to_string(),
    };
    name.to_string()
}

/// The Chinese name of an entity code.
pub fn entity(code: &str) -> String {
    let name = match code {
        "catalogue_item" => "公开信息",
        "item_attachment" => "附件",
        "announcement" => "公示",
        "application" => "依申请公开申请",
        "letter" => "来信",
        "case" => "登记簿案件",
        "calendar_year" => "工作日历年度",
        "report_draft" => "年度报告草稿",
        "published_report" => "已发布年度报告",
        "organ_settings" => "公开指南设置",
        "user" => "用户",
        "api_token" => "接口令牌",
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
        "organ" => "机关",
        "voided_seq" => "作废的步骤",
        "year" => "年度",
        "version" => "版本",
        "include_units" => "含下属单位",
        "published_despite" => "发布时存在的问题",
        "confirmation" => "确认发布的理由",
        "role" => "角色",
        "organ_id" => "机关编号",
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
        other => other,
    }
}

/// A change's before and after as lines of 字段：值, keeping only the fields that changed when both
/// are records (an item's whole row is written on each change; the reader wants the difference).
pub fn readable_change(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    use serde_json::Value;
    match (
        serde_json::from_str::<Value>(before),
        serde_json::from_str::<Value>(after),
    ) {
        (Ok(Value::Object(b)), Ok(Value::Object(a))) => {
            let keep = |k: &String| b.get(k) != a.get(k);
            let b2: serde_json::Map<String, Value> = b
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let a2: serde_json::Map<String, Value> = a
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (
                readable(&Value::Object(b2).to_string()),
                readable(&Value::Object(a2).to_string()),
            )
        }
        _ => (readable(before), readable(after)),
    }
}

/// A before/after JSON record as lines of 字段：值 (nested values kept as compact JSON); text that
/// is not a JSON object is returned as it is.
pub fn readable(json: &str) -> Vec<String> {
    let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(json) else {
        return if json.trim().is_empty() {
            vec![]
        } else {
            vec![json.to_string()]
        };
    };
    m.iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "（空）".to_string(),
                serde_json::Value::Bool(true) => "是".to_string(),
                serde_json::Value::Bool(false) => "否".to_string(),
                serde_json::Value::Array(a) if a.iter().all(|x| x.is_string()) => a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                other => other.to_string(),
            };
            format!("{}：{}", field(k), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_records_read_in_chinese() {
        assert_eq!(action("publish"), "发布");
        assert_eq!(entity("catalogue_item"), "公开信息");
        assert_eq!(action("consultation_answered"), "收到意见");
        assert_eq!(action("something_new"), "something_new");
        let lines = readable(r#"{"status":"open","due_on":null,"include_units":true}"#);
        assert_eq!(lines.len(), 3);
        for l in ["状态：open", "答复期限：（空）", "含下属单位：是"] {
            assert!(lines.iter().any(|x| x == l), "{lines:?}");
        }
        assert!(readable("").is_empty());
        let (b, a) = readable_change(
            r#"{"title":"甲","status":"in_review"}"#,
            r#"{"title":"甲","status":"published"}"#,
        );
        assert_eq!(
            (b, a),
            (
                vec!["状态：in_review".to_string()],
                vec!["状态：published".to_string()]
            )
        );
    }
}
