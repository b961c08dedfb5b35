//! How a catalogue item moves from draft to publication (art. 17: 保密审查 before publishing) and
//! when the art. 26 time limit — 20 working days from the information being formed — is near or
//! past. The back office, the API and the CLI all ask here what may happen next.

use super::{CatalogueItem, ItemStatus};
use crate::calendar::Calendar;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A step of the item workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemAction {
    /// 提交审核
    Submit,
    /// 审核通过并发布 (the review includes the 保密审查)
    Publish,
    /// 退回修改
    Return,
    /// 撤回
    Withdraw,
    /// 重新编辑 a withdrawn item
    Redraft,
    /// 撤回审核: the author takes an item back from review to change it (an item under review
    /// is never edited in place, so a reviewer publishes only what they have seen).
    Recall,
}

/// Who may take a step: the editors of the organ or its reviewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Edit,
    Review,
}

/// A step asked for in a state that does not allow it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("该条目当前为“{}”，不能{}", .from.label(), .action.label())]
pub struct NotAllowed {
    pub from: ItemStatus,
    pub action: ItemAction,
}

impl ItemAction {
    pub const ALL: [ItemAction; 6] = [
        ItemAction::Submit,
        ItemAction::Publish,
        ItemAction::Return,
        ItemAction::Recall,
        ItemAction::Withdraw,
        ItemAction::Redraft,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemAction::Submit => "submit",
            ItemAction::Publish => "publish",
            ItemAction::Return => "return",
            ItemAction::Withdraw => "withdraw",
            ItemAction::Redraft => "redraft",
            ItemAction::Recall => "recall",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemAction::Submit => "提交审核",
            ItemAction::Publish => "审核通过并发布（已完成保密审查）",
            ItemAction::Return => "退回修改",
            ItemAction::Withdraw => "撤回",
            ItemAction::Redraft => "重新编辑",
            ItemAction::Recall => "撤回审核以修改",
        }
    }

    pub fn parse(s: &str) -> Option<ItemAction> {
        let s = s.trim();
        ItemAction::ALL
            .into_iter()
            .find(|a| a.code() == s || a.label() == s)
    }

    pub fn duty(self) -> Duty {
        match self {
            ItemAction::Submit | ItemAction::Redraft | ItemAction::Recall => Duty::Edit,
            ItemAction::Publish | ItemAction::Return | ItemAction::Withdraw => Duty::Review,
        }
    }
}

impl ItemStatus {
    /// The state an action leads to from this one, or why it may not be taken.
    pub fn apply(self, action: ItemAction) -> Result<ItemStatus, NotAllowed> {
        use ItemAction::*;
        use ItemStatus::*;
        match (self, action) {
            (Draft, Submit) => Ok(InReview),
            (InReview, Publish) => Ok(Published),
            (InReview, Return) => Ok(Draft),
            (InReview, Recall) => Ok(Draft),
            (Published, Withdraw) => Ok(Withdrawn),
            (Withdrawn, Redraft) => Ok(Draft),
            (from, action) => Err(NotAllowed { from, action }),
        }
    }

    /// The actions this state allows, in the order a page offers them.
    pub fn actions(self) -> Vec<ItemAction> {
        ItemAction::ALL
            .into_iter()
            .filter(|a| self.apply(*a).is_ok())
            .collect()
    }

    /// Whether the item's fields may still be edited in place: only a draft. An item under
    /// review is taken back first (撤回审核), so what the reviewer publishes is what they saw.
    pub fn editable(self) -> bool {
        matches!(self, ItemStatus::Draft)
    }
}

impl CatalogueItem {
    /// The item after `action` on `today`: publishing dates it, withdrawing keeps the date it was
    /// published on, going back to a draft clears it.
    pub fn after(&self, action: ItemAction, today: NaiveDate) -> Result<CatalogueItem, NotAllowed> {
        let status = self.status.apply(action)?;
        let published_on = match status {
            ItemStatus::Published => Some(today),
            ItemStatus::Withdrawn => self.published_on,
            _ => None,
        };
        Ok(CatalogueItem {
            status,
            published_on,
            ..self.clone()
        })
    }
}

/// Where an unpublished item stands against art. 26's 20 working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    InTime,
    /// 15 working days or more have passed.
    Near(i64),
    /// More than 20 working days have passed.
    Late(i64),
}

/// The art. 26 limit: information is published within 20 working days of being formed.
pub const PUBLICATION_LIMIT_WORKING_DAYS: i64 = 20;
/// From this many working days on, the back office warns that the limit is near.
pub const PUBLICATION_WARNING_WORKING_DAYS: i64 = 15;

impl Timeliness {
    /// How an item formed on `written_on` and not yet published stands on `today`. Working days
    /// come from the calendar; where it does not cover the dates (a year not yet imported), from
    /// Monday–Friday, which can only count more days than the true calendar: the warning may
    /// come early, never late.
    pub fn of(item: &CatalogueItem, today: NaiveDate, cal: &Calendar) -> Timeliness {
        if matches!(item.status, ItemStatus::Published | ItemStatus::Withdrawn) {
            return Timeliness::InTime;
        }
        let Some(written) = item.written_on else {
            return Timeliness::InTime;
        };
        let n = cal
            .working_days_between(written, today)
            .unwrap_or_else(|_| weekdays_between(written, today));
        if n > PUBLICATION_LIMIT_WORKING_DAYS {
            Timeliness::Late(n)
        } else if n >= PUBLICATION_WARNING_WORKING_DAYS {
            Timeliness::Near(n)
        } else {
            Timeliness::InTime
        }
    }

    /// The warning an officer reads, empty when in time.
    pub fn warning(self) -> String {
        match self {
            Timeliness::InTime => String::new(),
            Timeliness::Late(n) => format!("已超过20个工作日公开时限（已{n}个工作日）"),
            Timeliness::Near(n) => format!("临近20个工作日公开时限（已{n}个工作日）"),
        }
    }
}

/// Monday–Friday from `from` (not counted) to `to`.
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    if to <= from {
        return 0;
    }
    let days = (to - from).num_days();
    let (weeks, rest) = (days / 7, days % 7);
    let mut n = weeks * 5;
    let mut d = from;
    for _ in 0..rest {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::DocKind;

    fn item(status: ItemStatus, written: &str) -> CatalogueItem {
        CatalogueItem {
            id: 1,
            organ_id: 1,
            index_no: "X/2024-00001".into(),
            title: "t".into(),
            summary: String::new(),
            category_id: 1,
            issuing_unit: String::new(),
            written_on: Some(written.parse().unwrap()),
            published_on: None,
            doc_number: String::new(),
            doc_kind: DocKind::Other,
            status,
            validity: vec![],
        }
    }

    #[test]
    fn every_state_allows_exactly_its_actions() {
        use ItemAction::*;
        use ItemStatus::*;
        assert_eq!(Draft.actions(), vec![Submit]);
        assert_eq!(InReview.actions(), vec![Publish, Return, Recall]);
        assert!(Draft.editable() && !InReview.editable() && !Published.editable());
        assert_eq!(Published.actions(), vec![Withdraw]);
        assert_eq!(Withdrawn.actions(), vec![Redraft]);
        let e = Draft.apply(Publish).unwrap_err();
        assert_eq!(
            e.to_string(),
            "该条目当前为“草稿”，不能审核通过并发布（已完成保密审查）"
        );
    }

    #[test]
    fn publishing_dates_the_item_and_withdrawing_keeps_the_date() {
        let today: NaiveDate = "2024-05-06".parse().unwrap();
        let it = item(ItemStatus::InReview, "2024-04-01");
        let p = it.after(ItemAction::Publish, today).unwrap();
        assert_eq!(p.published_on, Some(today));
        let w = p
            .after(ItemAction::Withdraw, "2024-06-01".parse().unwrap())
            .unwrap();
        assert_eq!(
            (w.status, w.published_on),
            (ItemStatus::Withdrawn, Some(today))
        );
        let d = w.after(ItemAction::Redraft, today).unwrap();
        assert_eq!((d.status, d.published_on), (ItemStatus::Draft, None));
    }

    #[test]
    fn art26_counts_working_days_of_the_calendar() {
        let cal = Calendar::builtin();
        // 2024-04-01 (Mon) + 20 working days: the Qingming holiday 4–6 April and the
        // 7 April make-up day, May Day 1–5 May with 28 April and 11 May worked.
        let it = item(ItemStatus::Draft, "2024-04-01");
        let on = |d: &str| Timeliness::of(&it, d.parse().unwrap(), &cal);
        assert_eq!(on("2024-04-10"), Timeliness::InTime);
        let near = on("2024-04-23");
        assert!(matches!(near, Timeliness::Near(_)), "{near:?}");
        assert!(matches!(on("2024-05-31"), Timeliness::Late(_)));
        assert_eq!(
            Timeliness::of(
                &item(ItemStatus::Published, "2020-01-01"),
                "2024-05-31".parse().unwrap(),
                &cal
            ),
            Timeliness::InTime
        );
    }

    #[test]
    fn outside_the_calendar_weekdays_are_counted() {
        let cal = Calendar::new();
        let it = item(ItemStatus::Draft, "2031-03-03"); // a Monday
        // 3 weeks later: 15 weekdays.
        assert_eq!(
            Timeliness::of(&it, "2031-03-24".parse().unwrap(), &cal),
            Timeliness::Near(15)
        );
        assert_eq!(
            weekdays_between("2031-03-07".parse().unwrap(), "2031-03-10".parse().unwrap()),
            1
        );
        assert_eq!(
            weekdays_between("2031-03-10".parse().unwrap(), "2031-03-10".parse().unwrap()),
            0
        );
    }
}
