//! What a handler may lawfully do next on a case, most pressing first: the case file shows these
//! before its forms and opens the form of the first.

use super::clock::Clock;
use super::workflow::{Application, Status};
use crate::calendar::Calendar;
use chrono::NaiveDate;

/// One lawful next step: the action (the name of its form in the case file) and a sentence
/// saying what to do and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextStep {
    pub action: &'static str,
    pub text: String,
}

fn step(action: &'static str, text: impl Into<String>) -> NextStep {
    NextStep {
        action,
        text: text.into(),
    }
}

/// The lawful next steps of `app`, whose clock on `today` is `clock`; the first is the one
/// the law presses for.
pub fn next_steps(
    app: &Application,
    clock: &Clock,
    cal: &Calendar,
    today: NaiveDate,
) -> Vec<NextStep> {
    let due = clock
        .due
        .map(|d| {
            let left = match clock.days_left {
                Some(n) if n < 0 => format!("，已逾期{}个工作日", -n),
                Some(n) => format!("，剩余{n}个工作日"),
                None => String::new(),
            };
            format!("{d}前{left}")
        })
        .unwrap_or_default();
    let mut v = Vec::new();
    match app.status() {
        Status::Closed | Status::Withdrawn => {
            match app.deliveries.last() {
                None => v.push(step(
                    "deliver",
                    "登记答复书的送达：送达方式和申请人收到的日期（邮寄以签收日为准）",
                )),
                Some(d) => v.push(step(
                    "deliver",
                    format!(
                        "答复书已于{}{}；如再次送达（如邮件退回后直接送达），可再登记一次",
                        d.on,
                        d.method.label()
                    ),
                )),
            }
            return v;
        }
        Status::AwaitingCorrection => {
            let by = app
                .supplement
                .as_ref()
                .map(|s| format!("（补正期限 {}）", s.correct_by))
                .unwrap_or_default();
            v.push(step(
                "supplement_received",
                format!("等待申请人补正{by}；收到补正后的申请时登记，答复期限自该日重新计算"),
            ));
            v.push(step(
                "decide",
                "申请人无正当理由逾期不补正的，以“申请人逾期未按要求补正”答复办结",
            ));
        }
        Status::Consulting => {
            v.push(step(
                "consult_answer",
                "等待被征求意见方答复；收到意见时登记（征求意见所需时间不计入答复期限）",
            ));
            v.push(step("decide", format!("作出答复：{due}")));
        }
        Status::AwaitingPayment => {
            let by = app
                .pending_fee()
                .map(|f| format!("（缴费期限 {}）", f.pay_by))
                .unwrap_or_default();
            v.push(step(
                "fee_paid",
                format!("等待申请人缴纳信息处理费{by}；缴费或逾期未缴时登记"),
            ));
        }
        Status::Open => {
            if let Some(r) = &app.reasons
                && r.answered_on.is_none()
            {
                v.push(step(
                    "reasons_answer",
                    format!(
                        "已于{}要求申请人说明理由；收到说明（或期限届满未说明）时登记",
                        r.requested_on
                    ),
                ));
            }
            v.push(step("decide", format!("作出答复：{due}")));
            // Art. 32: a third party that objected is told in writing before a disclosure.
            if let Some(c) = app
                .consultations
                .iter()
                .find(|c| c.objects && c.notified.is_none())
            {
                v.push(step(
                    "notify_third_party",
                    format!(
                        "{}不同意公开；决定公开的，须先将决定公开的内容和理由书面告知（条例第三十二条）",
                        c.with
                    ),
                ));
            }
            // 补正 only within 7 working days of receipt: not offered once the window closed.
            if app.supplement.is_none()
                && let Ok(last) = cal.add_working_days(app.received_on, 7)
                && today <= last
            {
                v.push(step(
                    "supplement",
                    format!(
                        "申请内容不明确的，可在{last}前一次性告知补正（条例第三十条，收到申请后7个工作日内）"
                    ),
                ));
            }
            if app.extension.is_none() {
                v.push(step(
                    "extend",
                    "不能在20个工作日内答复的，经政府信息公开工作机构负责人同意，可延长不超过20个工作日，并告知申请人",
                ));
            }
            v.push(step(
                "consult",
                "涉及第三方合法权益或需其他机关确认的，书面征求意见",
            ));
        }
    }
    v.push(step("withdraw", "申请人撤回申请的，登记撤回"));
    v
}
