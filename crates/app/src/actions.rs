//! What an audit row says was done: one enum, so every action a use case writes has a code (the
//! stored `audit_log.action`) and a Chinese name the audit log shows, and a new action cannot be
//! written without both. Rows written before a code existed are still read: [`Action::parse`]
//! returns `None` and the log shows the code as stored.

use gongkai_domain::application::events::EventKind;
use gongkai_domain::records::ItemAction;

/// Declares the actions from one table, so the enum, its codes, its names and [`Action::ALL`]
/// cannot drift apart.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $name:literal;)*) => {
        /// An audited action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every action, in the order the audit log's filter lists them.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The code stored in the audit log.
            pub fn code(self) -> &'static str {
                match self {
                    $(Action::$variant => $code,)*
                }
            }

            /// The name an officer reads in the audit log.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
}

actions! {
    Create => "create", "新建";
    Update => "update", "修改";
    Submit => "submit", "提交审核";
    Publish => "publish", "发布";
    Return => "return", "退回修改";
    Withdraw => "withdraw", "撤回";
    Redraft => "redraft", "重新起草";
    /// The author took an item back from review to change it.
    Recall => "recall", "撤回审核";
    /// A dated change of an item's 有效性 (修订, 废止, 失效).
    Validity => "validity", "变更有效性";
    Attach => "attach", "上传附件";
    Link => "link", "关联解读";
    /// An application registered (online, on paper, at the command line).
    Register => "register", "登记申请";
    Assigned => "assigned", "指定承办人";
    SupplementRequested => "supplement_requested", "告知补正";
    SupplementReceived => "supplement_received", "收到补正";
    ConsultationStarted => "consultation_started", "征求意见";
    ConsultationAnswered => "consultation_answered", "收到意见";
    ThirdPartyNotified => "third_party_notified", "书面告知第三方（决定公开）";
    ReasonsRequested => "reasons_requested", "要求说明理由";
    ReasonsAnswered => "reasons_answered", "登记说明的理由";
    Extended => "extended", "延长答复期限";
    FeeNoticed => "fee_noticed", "收费通知";
    FeePaid => "fee_paid", "登记缴费";
    FeeNotPaid => "fee_not_paid", "逾期未缴费";
    Decided => "decided", "答复";
    Delivered => "delivered", "送达答复";
    Withdrawn => "withdrawn", "申请人撤回";
    DeadlineRecomputed => "deadline_recomputed", "重新计算期限";
    VoidStep => "void_step", "作废办理步骤";
    /// A file of the information released to the applicant with the reply.
    ReleaseFile => "release_file", "提供信息文件";
    /// The prefixes of an organ's notice and application numbers.
    SetPrefixes => "set_prefixes", "设置编号前缀";
    Receive => "receive", "收到来信";
    Reply => "reply", "答复来信";
    Comment => "comment", "收到征集意见";
    Feedback => "feedback", "发布意见采纳情况";
    Decide => "decide", "登记决定";
    /// Records imported from a file (one row per import, with its kind and row count).
    Import => "import", "导入";
    /// The demo dataset loaded (`gongkai demo`).
    LoadDemo => "load_demo", "加载演示数据";
    Generate => "generate", "生成草稿";
    EditTexts => "edit_texts", "修改正文";
    SetText => "set_text", "保存章节正文";
    ClearText => "clear_text", "清除章节正文";
    SetPassword => "set_password", "设置密码";
    ResetPassword => "reset_password", "重置密码（须修改）";
    Grant => "grant", "授予机关角色";
    Revoke => "revoke", "撤销";
    /// An office's explanation of why a column of its catalogue is empty (written or removed).
    ExplainColumn => "explain_column", "说明空白栏目";
    /// The site's identity (name, 主办单位, 网站标识码, 备案 numbers, statements, 标识 image).
    SiteSettings => "site_settings", "修改网站设置";
    /// A 办事指南 of a matter of the 事项 register written or changed.
    ServiceGuide => "service_guide", "编写办事指南";
    /// The figures of a 政府网站工作年度报表 only the site knows (visits, security, new media).
    SiteForm => "site_form", "填报网站年度报表";
    /// A year's 政府网站工作年度报表 published.
    PublishSiteForm => "publish_site_form", "发布网站年度报表";
}

impl Action {
    /// The action of a stored code, if it is one of today's.
    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.code() == code)
    }

    /// The action recording a step of an application's workflow.
    pub fn of_step(kind: &EventKind) -> Action {
        match kind {
            EventKind::Registered { .. } => Action::Register,
            EventKind::Assigned { .. } => Action::Assigned,
            EventKind::SupplementRequested { .. } => Action::SupplementRequested,
            EventKind::SupplementReceived { .. } => Action::SupplementReceived,
            EventKind::ConsultationStarted { .. } => Action::ConsultationStarted,
            EventKind::ConsultationAnswered { .. } => Action::ConsultationAnswered,
            EventKind::ThirdPartyNotified { .. } => Action::ThirdPartyNotified,
            EventKind::ReasonsRequested { .. } => Action::ReasonsRequested,
            EventKind::ReasonsAnswered { .. } => Action::ReasonsAnswered,
            EventKind::Extended { .. } => Action::Extended,
            EventKind::FeeNoticed { .. } => Action::FeeNoticed,
            EventKind::FeePaid { .. } => Action::FeePaid,
            EventKind::FeeNotPaid { .. } => Action::FeeNotPaid,
            EventKind::Decided { .. } => Action::Decided,
            EventKind::Delivered { .. } => Action::Delivered,
            EventKind::Withdrawn { .. } => Action::Withdrawn,
            EventKind::DeadlineRecomputed { .. } => Action::DeadlineRecomputed,
        }
    }
}

impl From<ItemAction> for Action {
    fn from(a: ItemAction) -> Action {
        match a {
            ItemAction::Submit => Action::Submit,
            ItemAction::Publish => Action::Publish,
            ItemAction::Return => Action::Return,
            ItemAction::Withdraw => Action::Withdraw,
            ItemAction::Redraft => Action::Redraft,
            ItemAction::Recall => Action::Recall,
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.code()), "code {} twice", a.code());
            assert_eq!(Action::parse(a.code()), Some(*a));
            assert!(!a.name().is_ascii(), "{a:?} has no Chinese name");
        }
        assert_eq!(Action::parse("something_new"), None);
        // The names issue 26 found missing.
        assert_eq!(Action::Delivered.name(), "送达答复");
        assert_eq!(Action::parse("release_file"), Some(Action::ReleaseFile));
        assert_eq!(
            Action::parse("set_prefixes").map(Action::name),
            Some("设置编号前缀")
        );
    }

    #[test]
    fn every_step_has_the_code_its_event_is_stored_under() {
        // The event log stores `EventKind::name`; the audit row of the same step uses the same
        // word (except a registration, whose row is written by `register`).
        let on = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        let kinds = [
            EventKind::FeePaid { on },
            EventKind::SupplementReceived { on },
            EventKind::FeeNotPaid { on },
            EventKind::Assigned {
                handler: "张三".into(),
            },
        ];
        for k in kinds {
            assert_eq!(Action::of_step(&k).code(), k.name());
        }
    }
}
