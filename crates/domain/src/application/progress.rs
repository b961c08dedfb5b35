//! What an applicant is told of the handling of their case while they wait: each step the office
//! took that bears on them or on the deadline, in plain words, with its date. Nothing an applicant
//! must not read is named — not the third party consulted, not the officer, not the reasons
//! recorded inside the office.

use super::workflow::Application;
use chrono::NaiveDate;

/// Dates in the words, as people write them.
const CN: &str = "%Y年%-m月%-d日";

/// One step of a case as the applicant reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub on: NaiveDate,
    pub what: String,
}

/// The steps of `case` dated on or before `today`, in date order (steps of one day in the order
/// they were taken). The reply itself is not listed: the lookup page states it in full.
pub fn public_steps(case: &Application, today: NaiveDate) -> Vec<Step> {
    let mut steps = vec![Step {
        on: case.received_on,
        what: "收到申请".into(),
    }];
    if let Some(s) = &case.supplement {
        steps.push(Step {
            on: s.requested_on,
            what: format!(
                "告知补正：请于{}前补正；答复期限自本机关收到补正后的申请之日起计算（条例第三十条）",
                s.correct_by.format(CN)
            ),
        });
        if let Some(r) = s.received_on {
            steps.push(Step {
                on: r,
                what: "收到补正后的申请，答复期限自该日重新计算".into(),
            });
        }
    }
    for c in &case.consultations {
        steps.push(Step {
            on: c.started_on,
            what: format!(
                "书面征求{}意见，所需时间不计入答复期限（{}）",
                c.party.label(),
                c.party.article()
            ),
        });
        if let Some(a) = c.answered_on {
            steps.push(Step {
                on: a,
                what: format!("征求{}意见结束，答复期限继续计算", c.party.label()),
            });
        }
    }
    if let Some(e) = &case.extension {
        steps.push(Step {
            on: e.on,
            what: format!(
                "经政府信息公开工作机构负责人同意，答复期限延长{}个工作日（条例第三十三条）",
                e.days
            ),
        });
    }
    if let Some(r) = &case.reasons {
        steps.push(Step {
            on: r.requested_on,
            what: "要求说明理由（条例第三十五条），答复期限自收到说明之日起计算".into(),
        });
        if let Some(a) = r.answered_on {
            steps.push(Step {
                on: a,
                what: "收到申请人说明的理由".into(),
            });
        }
    }
    for f in &case.fees {
        steps.push(Step {
            on: f.on,
            what: format!(
                "发出收费通知（{}，应于{}前缴纳），缴费期间不计入答复期限",
                f.method.label(),
                f.pay_by.format(CN)
            ),
        });
        if let Some(p) = f.paid_on {
            steps.push(Step {
                on: p,
                what: "收到信息处理费，答复期限继续计算".into(),
            });
        }
    }
    if let Some((on, _)) = &case.withdrawn {
        steps.push(Step {
            on: *on,
            what: "申请人撤回申请".into(),
        });
    }
    steps.retain(|s| s.on <= today);
    // Stable: steps of one day keep the order above (a request before its answer).
    steps.sort_by_key(|s| s.on);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::ApplicantType;
    use crate::application::events::{Applicant, Channel, ConsultParty, Event, EventKind};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_applicant_reads_each_step_without_the_third_party_named() {
        let reg = EventKind::Registered {
            channel: Channel::Post,
            submitted_on: d("2026-11-30"),
            received_on: d("2026-12-03"),
            applicant: Applicant {
                kind: ApplicantType::NaturalPerson,
                name: "张三".into(),
                id_document: String::new(),
                contact: String::new(),
                address: String::new(),
            },
            description: "校舍维修工程的招标文件".into(),
            form: String::new(),
        };
        let events: Vec<Event> = [
            reg,
            EventKind::SupplementRequested {
                on: d("2026-12-04"),
                items: "请写明项目名称".into(),
                correct_by: d("2026-12-25"),
                notice: None,
            },
            EventKind::SupplementReceived {
                on: d("2026-12-07"),
            },
            EventKind::ConsultationStarted {
                on: d("2026-12-08"),
                party: ConsultParty::ThirdParty,
                with: "宁夏某建筑工程有限公司".into(),
                matter: "投标报价明细".into(),
                notice: None,
            },
        ]
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Event {
            seq: i as i64 + 1,
            at: d("2026-12-08").and_hms_opt(9, 0, 0).unwrap(),
            actor: "经办人".into(),
            kind,
        })
        .collect();
        let case = Application::from_events(&events).unwrap();
        let steps = public_steps(&case, d("2026-12-08"));
        let words: Vec<&str> = steps.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(words.len(), 4, "{words:?}");
        assert_eq!(words[0], "收到申请");
        assert!(words[1].starts_with("告知补正：请于2026年12月25日前补正"));
        assert!(words[2].contains("重新计算"));
        assert!(words[3].starts_with("书面征求第三方意见"));
        assert!(!words.concat().contains("宁夏某建筑"), "{words:?}");
        assert!(!words.concat().contains("投标报价"), "{words:?}");
        // A step dated after today is not shown as if it had happened.
        assert_eq!(public_steps(&case, d("2026-12-05")).len(), 2);
    }
}
