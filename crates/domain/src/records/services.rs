//! 办事指南: the guide of a 行政许可 or other public service listed in the 事项 register, with
//! the standard elements a guide must state (国务院办公厅《关于全面推行行政许可标准化的指导
//! 意见》 and the 政务服务事项 standards): 事项名称 (the register's), 设定依据, 申请条件, 申请材料,
//! 办理地点, 办理时间, 咨询电话 and 办理流程; 承诺时限 and 收费标准 where they apply.

use serde::{Deserialize, Serialize};

/// One matter's guide. Empty fields are missing elements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceGuide {
    /// 设定依据: the law, regulation or rule that creates the matter.
    #[serde(default)]
    pub basis: String,
    /// 申请条件.
    #[serde(default)]
    pub conditions: String,
    /// 申请材料, one a line.
    #[serde(default)]
    pub materials: String,
    /// 办理地点.
    #[serde(default)]
    pub place: String,
    /// 办理时间.
    #[serde(default)]
    pub hours: String,
    /// 咨询电话.
    #[serde(default)]
    pub phone: String,
    /// 办理流程, one step a line.
    #[serde(default)]
    pub process: String,
    /// 承诺时限 (optional).
    #[serde(default)]
    pub time_limit: String,
    /// 收费标准 (optional; empty where the matter is free).
    #[serde(default)]
    pub fee: String,
}

impl ServiceGuide {
    /// The required elements, as `(field, label, value)`.
    pub fn required(&self) -> [(&'static str, &'static str, &str); 7] {
        [
            ("basis", "设定依据", &self.basis),
            ("conditions", "申请条件", &self.conditions),
            ("materials", "申请材料", &self.materials),
            ("place", "办理地点", &self.place),
            ("hours", "办理时间", &self.hours),
            ("phone", "咨询电话", &self.phone),
            ("process", "办理流程", &self.process),
        ]
    }

    /// The labels of the required elements not filled in.
    pub fn missing(&self) -> Vec<&'static str> {
        self.required()
            .iter()
            .filter(|(_, _, v)| v.trim().is_empty())
            .map(|(_, l, _)| *l)
            .collect()
    }

    /// The lines of a multi-line element (materials, process), blank lines dropped.
    pub fn lines(text: &str) -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_elements_are_named() {
        let g = ServiceGuide {
            basis: "《中华人民共和国民办教育促进法》第十二条".into(),
            materials: "申办报告\n\n举办者资格证明".into(),
            phone: " ".into(),
            ..Default::default()
        };
        assert_eq!(
            g.missing(),
            vec!["申请条件", "办理地点", "办理时间", "咨询电话", "办理流程"]
        );
        assert_eq!(ServiceGuide::lines(&g.materials).len(), 2);
    }
}
