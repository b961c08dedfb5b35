//! The demo dataset: 灵武市教育体育局 and four of its schools, 2020–2022, shipped as CSV files in
//! `data/demo/` (made by `data/demo/generate.py`) and loaded through the importer, so the demo
//! exercises the same path as a real office's files. The 2020 report computed from these records
//! reproduces every cell of the bureau's published 2020 report.

use crate::{ImportError, Kind, import_table, table::read_csv_bytes};
use gongkai_domain::calendar::Calendar;
use gongkai_store::Tx;

/// The code of the demo bureau.
pub const BUREAU_CODE: &str = "11640181MB1912004K";
pub const BUREAU_NAME: &str = "灵武市教育体育局";
/// The letter channel of the bureau's mailbox on the portal (as `gongkai_app::letters` names a
/// bureau's).
pub const PORTAL_MAILBOX: &str = "局长信箱";

/// The demo files in load order (references point to earlier files).
pub const FILES: &[(Kind, &str, &[u8])] = &[
    (
        Kind::Organs,
        "organs.csv",
        include_bytes!("../../../data/demo/organs.csv"),
    ),
    (
        Kind::Matters,
        "matters.csv",
        include_bytes!("../../../data/demo/matters.csv"),
    ),
    (
        Kind::Decisions,
        "decisions.csv",
        include_bytes!("../../../data/demo/decisions.csv"),
    ),
    (
        Kind::Fees,
        "fees.csv",
        include_bytes!("../../../data/demo/fees.csv"),
    ),
    (
        Kind::Procurements,
        "procurements.csv",
        include_bytes!("../../../data/demo/procurements.csv"),
    ),
    (
        Kind::Catalogue,
        "catalogue.csv",
        include_bytes!("../../../data/demo/catalogue.csv"),
    ),
    (
        Kind::Cases,
        "cases.csv",
        include_bytes!("../../../data/demo/cases.csv"),
    ),
    (
        Kind::Letters,
        "letters.csv",
        include_bytes!("../../../data/demo/letters.csv"),
    ),
];

/// What the demo loaded.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub rows: Vec<(Kind, usize)>,
    /// Applications handled through the workflow.
    pub applications: usize,
    /// The demo bureau's id.
    pub bureau: i64,
    /// What the living layer added after the files (`crate::living`).
    pub living: crate::living::LivingSummary,
}

/// Loads the demo records inside a caller's transaction (`gongkai_app::imports::demo`, which
/// writes the audit row beside them): the organs, registers, catalogue, cases and letters, then
/// the applications of 2021 and 2022 through the workflow. Refuses when the demo bureau already
/// exists (the demo is loaded once per database). On `Err` the caller rolls back.
pub async fn load_in(tx: &mut Tx, cal: &Calendar) -> Result<DemoSummary, ImportError> {
    let dberr = |e: gongkai_store::Error| ImportError::file(e.to_string());
    if tx.find_organ(BUREAU_CODE).await.map_err(dberr)?.is_some() {
        return Err(ImportError::file(format!(
            "演示数据已加载过（数据库中已有{BUREAU_NAME}）"
        )));
    }
    let mut summary = DemoSummary::default();
    for (kind, name, bytes) in FILES {
        let table = read_csv_bytes(bytes)?;
        let s = import_table(tx, *kind, &table, None)
            .await
            .map_err(|mut e| {
                for x in &mut e.errors {
                    x.message = format!("{name}：{}", x.message);
                }
                e
            })?;
        summary.rows.push((*kind, s.rows));
    }
    let (bureau, n) = crate::applications::load_demo_in(tx, cal).await?;
    summary.applications = n;
    summary.bureau = bureau;
    Ok(summary)
}
