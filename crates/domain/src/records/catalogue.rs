//! The catalogue (公开目录): a tree of categories per organ and the items filed under it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One category of an organ's catalogue tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub organ_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub position: i32,
}

/// A node of a starting catalogue as shipped in `data/catalogue/*.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySeed {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub children: Vec<CategorySeed>,
    /// The clauses of art. 20 a topical column serves, by the description of their sub-column
    /// of 法定主动公开内容 (`第二十条（七）`): its items are also listed there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
}

/// A starting catalogue tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueSeed {
    pub name: String,
    #[serde(default)]
    pub source: String,
    pub categories: Vec<CategorySeed>,
}

/// The education catalogue shipped with gongkai (MOE's ten first-level items for schools, the
/// bureau-level columns, and art. 20's mandatory content).
pub const EDUCATION_CATALOGUE_JSON: &str =
    include_str!("../../../../data/catalogue/education.json");

impl CatalogueSeed {
    pub fn parse(json: &str) -> Result<CatalogueSeed, String> {
        let seed: CatalogueSeed =
            serde_json::from_str(json).map_err(|e| format!("目录文件格式不对：{e}"))?;
        fn check(nodes: &[CategorySeed], path: &str) -> Result<(), String> {
            let mut seen = std::collections::BTreeSet::new();
            for n in nodes {
                if n.name.trim().is_empty() || n.name.contains('/') {
                    return Err(format!("目录“{path}”下有空的或含“/”的栏目名"));
                }
                if !seen.insert(n.name.as_str()) {
                    return Err(format!("目录“{path}”下栏目“{}”重复", n.name));
                }
                check(&n.children, &format!("{path}/{}", n.name))?;
            }
            Ok(())
        }
        check(&seed.categories, "")?;
        Ok(seed)
    }

    pub fn education() -> CatalogueSeed {
        CatalogueSeed::parse(EDUCATION_CATALOGUE_JSON).expect("the shipped catalogue is valid")
    }
}

/// The column of art. 20's statutory list (“法定主动公开内容”).
pub const STATUTORY_COLUMN: &str = "法定主动公开内容";

/// What a sub-column of 法定主动公开内容 lists: the items filed in it, those of the topical
/// columns that serve its clause (the shipped catalogue's `serves`, matched by column name), and
/// for 第二十条（一） every published 规章 and 行政规范性文件 whatever its column. The sub-columns
/// are a view: an item is filed in one column only, so counting (table 二) is not affected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatutoryScope {
    pub categories: Vec<i64>,
    /// Whether items of type 规章 / 行政规范性文件 belong to it whatever their column.
    pub regulations_and_normative: bool,
}

/// The scope of `category` when it is a sub-column of 法定主动公开内容 in `all` (an organ's
/// tree), by `seed`'s `serves`; `None` for any other column.
pub fn statutory_scope(
    all: &[Category],
    category: i64,
    seed: &CatalogueSeed,
) -> Option<StatutoryScope> {
    let sub = all.iter().find(|c| c.id == category)?;
    let parent = all.iter().find(|c| Some(c.id) == sub.parent_id)?;
    if parent.name != STATUTORY_COLUMN || parent.parent_id.is_some() {
        return None;
    }
    let clause = sub.description.trim();
    let serving: Vec<&str> = seed
        .categories
        .iter()
        .filter(|s| s.serves.iter().any(|c| c == clause))
        .map(|s| s.name.as_str())
        .collect();
    // A serving column includes its own subcolumns.
    let mut categories = vec![sub.id];
    let mut i = 0;
    categories.extend(
        all.iter()
            .filter(|c| c.parent_id.is_none() && serving.contains(&c.name.as_str()))
            .map(|c| c.id),
    );
    while i < categories.len() {
        let p = categories[i];
        for c in all.iter().filter(|c| c.parent_id == Some(p)) {
            if !categories.contains(&c.id) {
                categories.push(c.id);
            }
        }
        i += 1;
    }
    Some(StatutoryScope {
        categories,
        regulations_and_normative: clause == "第二十条（一）",
    })
}

/// The path of a category, `一级/二级`, as written in import files.
pub fn category_path(all: &[Category], id: i64) -> String {
    let mut names = Vec::new();
    let mut cur = all.iter().find(|c| c.id == id);
    while let Some(c) = cur {
        names.push(c.name.as_str());
        cur = c.parent_id.and_then(|p| all.iter().find(|x| x.id == p));
        if names.len() > 64 {
            break; // a cycle cannot be stored, but never loop forever
        }
    }
    names.reverse();
    names.join("/")
}

/// Finds a category by its path (`部门文件` or `政策文件/教育法规`), or by its bare name when that
/// name is unique in the tree.
pub fn find_category<'a>(all: &'a [Category], path: &str) -> Option<&'a Category> {
    let path = path.trim().trim_matches('/');
    if path.is_empty() {
        return None;
    }
    if let Some(c) = all.iter().find(|c| category_path(all, c.id) == path) {
        return Some(c);
    }
    let mut by_name = all.iter().filter(|c| c.name == path);
    match (by_name.next(), by_name.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// 规章 / 行政规范性文件 / 其他: decides which items table 二 第二十条第（一）项 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Regulation,
    Normative,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Regulation, DocKind::Normative, DocKind::Other];
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Regulation => "规章",
            DocKind::Normative => "行政规范性文件",
            DocKind::Other => "其他",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Regulation => "regulation",
            DocKind::Normative => "normative",
            DocKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<DocKind> {
        let s = s.trim();
        match s {
            "" | "其他" | "其它" => Some(DocKind::Other),
            "规范性文件" => Some(DocKind::Normative),
            _ => DocKind::ALL
                .into_iter()
                .find(|k| k.label() == s || k.code() == s),
        }
    }
}

/// 有效性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    InForce,
    /// Amended (修订): still in force, in its amended text.
    Amended,
    Repealed,
    Expired,
}

impl Validity {
    pub const ALL: [Validity; 4] = [
        Validity::InForce,
        Validity::Amended,
        Validity::Repealed,
        Validity::Expired,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Validity::InForce => "有效",
            Validity::Amended => "修订",
            Validity::Repealed => "废止",
            Validity::Expired => "失效",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Validity::InForce => "in_force",
            Validity::Amended => "amended",
            Validity::Repealed => "repealed",
            Validity::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<Validity> {
        let s = s.trim();
        Validity::ALL
            .into_iter()
            .find(|v| v.label() == s || v.code() == s)
            .or(match s {
                "已修订" | "修改" => Some(Validity::Amended),
                "已废止" => Some(Validity::Repealed),
                "已失效" => Some(Validity::Expired),
                _ => None,
            })
    }
    /// Is a document with this validity in force (an amended one is, in its new text)?
    pub fn in_force(self) -> bool {
        matches!(self, Validity::InForce | Validity::Amended)
    }
}

/// A dated change of validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityChange {
    pub changed_on: NaiveDate,
    pub validity: Validity,
    pub note: String,
}

/// Where an item is in the back office's workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Draft,
    InReview,
    Published,
    Withdrawn,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] = [
        ItemStatus::Draft,
        ItemStatus::InReview,
        ItemStatus::Published,
        ItemStatus::Withdrawn,
    ];
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Draft => "草稿",
            ItemStatus::InReview => "待审核",
            ItemStatus::Published => "已发布",
            ItemStatus::Withdrawn => "已撤回",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::Draft => "draft",
            ItemStatus::InReview => "in_review",
            ItemStatus::Published => "published",
            ItemStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<ItemStatus> {
        let s = s.trim();
        ItemStatus::ALL
            .into_iter()
            .find(|v| v.label() == s || v.code() == s)
            .or(match s {
                "发布" | "公开" => Some(ItemStatus::Published),
                "审核中" => Some(ItemStatus::InReview),
                "撤回" => Some(ItemStatus::Withdrawn),
                _ => None,
            })
    }
}

/// A catalogue item with its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub id: i64,
    pub organ_id: i64,
    pub index_no: String,
    pub title: String,
    pub summary: String,
    pub category_id: i64,
    pub issuing_unit: String,
    /// 成文日期.
    pub written_on: Option<NaiveDate>,
    /// 发布日期 (set when published).
    pub published_on: Option<NaiveDate>,
    /// 文号.
    pub doc_number: String,
    pub doc_kind: DocKind,
    pub status: ItemStatus,
    /// Dated validity changes, oldest first.
    pub validity: Vec<ValidityChange>,
}

/// The longest an item's fields may be, whichever door they come through (form, API, import).
pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 2_000;
/// 发布机构 and 文号.
pub const MAX_SHORT: usize = 100;

/// An item to be filed; its 索引号 is generated on insertion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCatalogueItem {
    pub organ_id: i64,
    pub title: String,
    pub summary: String,
    pub category_id: i64,
    pub issuing_unit: String,
    pub written_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub doc_number: String,
    pub doc_kind: DocKind,
    pub status: ItemStatus,
    pub validity: Vec<ValidityChange>,
}

impl NewCatalogueItem {
    /// The year whose 索引号 sequence the item takes: of its 发布日期, else its 成文日期.
    pub fn index_year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.published_on.or(self.written_on).map(|d| d.year())
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("标题不能为空".into());
        }
        if self.index_year().is_none() {
            return Err("成文日期和发布日期至少要填一个".into());
        }
        if let (Some(w), Some(p)) = (self.written_on, self.published_on)
            && p < w
        {
            return Err(format!("发布日期 {p} 早于成文日期 {w}"));
        }
        if self.status == ItemStatus::Published && self.published_on.is_none() {
            return Err("已发布的条目必须有发布日期".into());
        }
        if let (Some(first), Some(start)) =
            (self.validity.first(), self.published_on.or(self.written_on))
            && first.changed_on < start
        {
            return Err(format!(
                "有效性变更日期 {} 早于文件的成文或发布日期 {start}",
                first.changed_on
            ));
        }
        if self
            .validity
            .windows(2)
            .any(|w| w[1].changed_on < w[0].changed_on)
        {
            return Err("有效性变更应按日期先后排列".into());
        }
        Ok(())
    }
}

impl CatalogueItem {
    /// The validity on a date: the latest change on or before it; in force when none was
    /// recorded yet (a published document is in force until changed).
    pub fn validity_on(&self, date: NaiveDate) -> Validity {
        self.validity
            .iter()
            .filter(|c| c.changed_on <= date)
            .max_by_key(|c| c.changed_on)
            .map(|c| c.validity)
            .unwrap_or(Validity::InForce)
    }

    /// The date the document stopped being in force (first change to 废止 or 失效), if any.
    pub fn ended_on(&self) -> Option<NaiveDate> {
        self.validity
            .iter()
            .filter(|c| !c.validity.in_force())
            .map(|c| c.changed_on)
            .min()
    }

    /// Publicly disclosed on `date`: published by then and not withdrawn.
    pub fn public_on(&self, date: NaiveDate) -> bool {
        self.status == ItemStatus::Published && self.published_on.is_some_and(|p| p <= date)
    }

    /// Disclosed and in force on `date` (现行有效).
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.public_on(date) && self.ended_on().is_none_or(|e| e > date)
    }
}

#[cfg(test)]
mod statutory_tests {
    use super::*;

    /// The shipped tree as an organ's categories (ids in document order).
    fn tree(seed: &CatalogueSeed) -> Vec<Category> {
        fn add(out: &mut Vec<Category>, nodes: &[CategorySeed], parent: Option<i64>) {
            for (i, n) in nodes.iter().enumerate() {
                let id = out.len() as i64 + 1;
                out.push(Category {
                    id,
                    organ_id: 1,
                    parent_id: parent,
                    name: n.name.clone(),
                    description: n.description.clone(),
                    position: i as i32,
                });
                add(out, &n.children, Some(id));
            }
        }
        let mut out = Vec::new();
        add(&mut out, &seed.categories, None);
        out
    }

    #[test]
    fn statutory_sub_columns_list_the_columns_that_serve_them() {
        let seed = CatalogueSeed::education();
        let all = tree(&seed);
        let id = |name: &str| all.iter().find(|c| c.name == name).unwrap().id;
        let budget = all
            .iter()
            .find(|c| c.description == "第二十条（七）")
            .unwrap();
        let scope = statutory_scope(&all, budget.id, &seed).unwrap();
        assert!(scope.categories.contains(&budget.id));
        assert!(scope.categories.contains(&id("财政预决算及三公经费")));
        assert!(scope.categories.contains(&id("财务信息")));
        assert!(!scope.categories.contains(&id("招生管理")));
        assert!(!scope.regulations_and_normative);
        let first = all
            .iter()
            .find(|c| c.description == "第二十条（一）")
            .unwrap();
        assert!(
            statutory_scope(&all, first.id, &seed)
                .unwrap()
                .regulations_and_normative
        );
        // Topical columns and the statutory column itself are no sub-columns.
        assert_eq!(statutory_scope(&all, id("招生管理"), &seed), None);
        assert_eq!(statutory_scope(&all, id(STATUTORY_COLUMN), &seed), None);
        // Every clause a column serves is a sub-column of the tree.
        let clauses: Vec<&str> = all.iter().map(|c| c.description.as_str()).collect();
        for c in &seed.categories {
            for s in &c.serves {
                assert!(clauses.contains(&s.as_str()), "{} serves {s}", c.name);
            }
        }
    }
}
