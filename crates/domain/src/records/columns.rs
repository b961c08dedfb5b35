//! Which columns of an organ's catalogue an inspector would mark: empty with no explanation, or
//! not updated within their period.
//!
//! Our reading of 政府网站与政务新媒体检查指标 and 《政府网站发展指引》 (the spec is silent):
//! - a column is **empty** when its page lists nothing — no published item of its own, of its
//!   sub-columns, nor (for a sub-column of 法定主动公开内容) of the columns serving its clause of
//!   art. 20 or of the registers kept for it. An empty column is accepted when the office says
//!   why on the column's page (a [`ColumnNote`](crate::records) stored with its day and author);
//! - a column is **stale** when its newest item is older than its period: two weeks for 动态
//!   (names containing 动态 or 要闻), six months for 通知公告 (通知公告, 公示公告) and 政策文件;
//!   other columns have no period. An explanation excuses emptiness, not staleness: an
//!   explained empty column is not stale either, since it has nothing to update.

use super::{CatalogueSeed, Category, statutory_column_scope, statutory_scope};
use chrono::{Duration, Months, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// How often a column must be updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdatePeriod {
    /// 动态: two weeks.
    TwoWeeks,
    /// 通知公告, 政策文件: six months.
    SixMonths,
}

impl UpdatePeriod {
    /// The period of a column by its name, if it has one.
    pub fn of(name: &str) -> Option<UpdatePeriod> {
        if name.contains("动态") || name.contains("要闻") {
            Some(UpdatePeriod::TwoWeeks)
        } else if ["通知公告", "公示公告", "政策文件"]
            .iter()
            .any(|n| name.contains(n))
        {
            Some(UpdatePeriod::SixMonths)
        } else {
            None
        }
    }

    /// The last day a column last updated on `latest` is still current.
    pub fn current_until(self, latest: NaiveDate) -> NaiveDate {
        match self {
            UpdatePeriod::TwoWeeks => latest + Duration::days(14),
            UpdatePeriod::SixMonths => latest
                .checked_add_months(Months::new(6))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UpdatePeriod::TwoWeeks => "两周",
            UpdatePeriod::SixMonths => "六个月",
        }
    }
}

/// What the catalogue holds in one column itself (not its sub-columns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnContent {
    /// Published items filed in the column.
    pub items: usize,
    /// The newest one's publication day.
    pub latest: Option<NaiveDate>,
    /// Of them, 规章 and 行政规范性文件 (listed under 第二十条（一） whatever their column).
    pub regulations: usize,
    pub regulations_latest: Option<NaiveDate>,
}

/// One column as the check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnState {
    pub category_id: i64,
    /// Its path from the top (`法定主动公开内容 › 规章和规范性文件`).
    pub path: String,
    /// Items its page lists.
    pub items: usize,
    pub latest: Option<NaiveDate>,
    /// Whether the office explained why it is empty.
    pub explained: bool,
    pub period: Option<UpdatePeriod>,
    pub problem: Option<ColumnProblem>,
}

/// What an inspector would mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnProblem {
    /// Nothing listed and no explanation.
    EmptyUnexplained,
    /// The newest item is older than the column's period allows (current until `until`).
    Stale { until: NaiveDate },
}

impl ColumnProblem {
    pub fn label(self) -> String {
        match self {
            ColumnProblem::EmptyUnexplained => "空白栏目，未说明原因".into(),
            ColumnProblem::Stale { until } => format!("未按期更新（应于{until}前更新）"),
        }
    }
}

/// Checks every column of an organ's tree `all` on `today`: `own` is what each column holds
/// itself, `explained` the columns with an explanation, `register_clauses` the clauses of
/// art. 20 (`第二十条（五）`…) whose registers hold records for this organ.
pub fn check_columns(
    all: &[Category],
    own: &BTreeMap<i64, ColumnContent>,
    explained: &BTreeSet<i64>,
    register_clauses: &BTreeSet<String>,
    seed: &CatalogueSeed,
    today: NaiveDate,
) -> Vec<ColumnState> {
    let regulations: usize = own.values().map(|c| c.regulations).sum();
    let regulations_latest = own.values().filter_map(|c| c.regulations_latest).max();
    let mut out = Vec::with_capacity(all.len());
    for c in ordered(all) {
        let statutory =
            statutory_scope(all, c.id, seed).or_else(|| statutory_column_scope(all, c.id, seed));
        let scope: Vec<i64> = match &statutory {
            Some(s) => s.categories.clone(),
            None => subtree(all, c.id),
        };
        let mut items: usize = scope
            .iter()
            .filter_map(|id| own.get(id))
            .map(|x| x.items)
            .sum();
        let mut latest = scope.iter().filter_map(|id| own.get(id)?.latest).max();
        if let Some(s) = &statutory {
            if s.regulations_and_normative {
                // Counted once: those already in the scope's columns are in `items`.
                let inside: usize = scope
                    .iter()
                    .filter_map(|id| own.get(id))
                    .map(|x| x.regulations)
                    .sum();
                items += regulations - inside;
                latest = latest.max(regulations_latest);
            }
            let clauses: Vec<&str> = if c.parent_id.is_none() {
                all.iter()
                    .filter(|x| x.parent_id == Some(c.id))
                    .map(|x| x.description.trim())
                    .collect()
            } else {
                vec![c.description.trim()]
            };
            if clauses.iter().any(|cl| register_clauses.contains(*cl)) {
                items += 1;
            }
        }
        let period = UpdatePeriod::of(&c.name);
        let is_explained = explained.contains(&c.id);
        let problem = if items == 0 {
            (!is_explained).then_some(ColumnProblem::EmptyUnexplained)
        } else {
            match (period, latest) {
                (Some(p), Some(l)) if p.current_until(l) < today => Some(ColumnProblem::Stale {
                    until: p.current_until(l),
                }),
                _ => None,
            }
        };
        out.push(ColumnState {
            category_id: c.id,
            path: path(all, c),
            items,
            latest,
            explained: is_explained,
            period,
            problem,
        });
    }
    out
}

/// The tree in page order: each column followed by its sub-columns.
fn ordered(all: &[Category]) -> Vec<&Category> {
    fn walk<'a>(all: &'a [Category], parent: Option<i64>, out: &mut Vec<&'a Category>) {
        let mut kids: Vec<&Category> = all.iter().filter(|c| c.parent_id == parent).collect();
        kids.sort_by_key(|c| (c.position, c.id));
        for k in kids {
            if out.iter().any(|x| x.id == k.id) {
                continue;
            }
            out.push(k);
            walk(all, Some(k.id), out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    walk(all, None, &mut out);
    out
}

fn subtree(all: &[Category], id: i64) -> Vec<i64> {
    let mut ids = vec![id];
    let mut i = 0;
    while i < ids.len() {
        let p = ids[i];
        for c in all.iter().filter(|c| c.parent_id == Some(p)) {
            if !ids.contains(&c.id) {
                ids.push(c.id);
            }
        }
        i += 1;
    }
    ids
}

fn path(all: &[Category], c: &Category) -> String {
    let mut names = vec![c.name.as_str()];
    let mut cur = c.parent_id;
    while let Some(p) = cur {
        let Some(x) = all.iter().find(|x| x.id == p) else {
            break;
        };
        if names.len() > 16 {
            break;
        }
        names.push(x.name.as_str());
        cur = x.parent_id;
    }
    names.reverse();
    names.join(" › ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, parent: Option<i64>, name: &str, desc: &str) -> Category {
        Category {
            id,
            organ_id: 1,
            parent_id: parent,
            name: name.into(),
            description: desc.into(),
            position: id as i32,
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tree() -> Vec<Category> {
        vec![
            cat(1, None, "政策文件", ""),
            cat(2, None, "工作动态", ""),
            cat(3, None, "公示公告", ""),
            cat(4, None, "规划计划", ""),
            cat(5, None, "法定主动公开内容", ""),
            cat(6, Some(5), "规章和规范性文件", "第二十条（一）"),
            cat(7, Some(5), "国民经济和社会发展规划", "第二十条（三）"),
            cat(8, Some(5), "行政许可", "第二十条（五）"),
            cat(9, Some(1), "政策解读", ""),
        ]
    }

    fn content(items: usize, latest: &str) -> ColumnContent {
        ColumnContent {
            items,
            latest: Some(d(latest)),
            ..Default::default()
        }
    }

    #[test]
    fn empty_stale_explained_and_statutory_columns() {
        let seed = CatalogueSeed::education();
        let all = tree();
        let today = d("2026-12-08");
        let mut own = BTreeMap::new();
        // 政策文件 only through its sub-column, seven months ago: stale.
        own.insert(9, content(2, "2026-05-01"));
        // 动态: fifteen days ago is stale, fourteen is not.
        own.insert(2, content(5, "2026-11-23"));
        // 公示公告 five months ago: current.
        own.insert(3, content(1, "2026-07-08"));
        let explained: BTreeSet<i64> = [4].into();
        let registers: BTreeSet<String> = ["第二十条（五）".to_string()].into();
        let states = check_columns(&all, &own, &explained, &registers, &seed, today);
        let of = |id: i64| states.iter().find(|s| s.category_id == id).unwrap();
        assert_eq!(
            of(1).problem,
            Some(ColumnProblem::Stale {
                until: d("2026-11-01")
            })
        );
        assert_eq!(of(1).items, 2);
        assert_eq!(
            of(2).problem,
            Some(ColumnProblem::Stale {
                until: d("2026-12-07")
            })
        );
        assert_eq!(of(3).problem, None);
        // Empty but explained.
        assert_eq!(of(4).problem, None);
        assert!(of(4).explained);
        // 第二十条（一） gathers 政策文件 (which serves it in the education seed).
        assert_eq!(of(6).items, 2);
        assert_eq!(of(6).problem, None);
        // 第二十条（三） is served by 规划计划, empty: unexplained on its own page.
        assert_eq!(of(7).problem, Some(ColumnProblem::EmptyUnexplained));
        // 第二十条（五） has register records.
        assert_eq!(of(8).problem, None);
        assert_eq!(of(9).path, "政策文件 › 政策解读");
        // Page order: a column then its sub-columns.
        let order: Vec<i64> = states.iter().map(|s| s.category_id).collect();
        assert_eq!(order, vec![1, 9, 2, 3, 4, 5, 6, 7, 8]);
        // Fourteen days is still current.
        own.insert(2, content(5, "2026-11-24"));
        let states = check_columns(&all, &own, &explained, &registers, &seed, today);
        assert_eq!(
            states.iter().find(|s| s.category_id == 2).unwrap().problem,
            None
        );
    }

    #[test]
    fn periods_by_name() {
        assert_eq!(UpdatePeriod::of("工作动态"), Some(UpdatePeriod::TwoWeeks));
        assert_eq!(UpdatePeriod::of("通知公告"), Some(UpdatePeriod::SixMonths));
        assert_eq!(UpdatePeriod::of("政策文件"), Some(UpdatePeriod::SixMonths));
        assert_eq!(UpdatePeriod::of("机构职能"), None);
        assert_eq!(
            UpdatePeriod::SixMonths.current_until(d("2026-08-31")),
            d("2027-02-28")
        );
    }
}
