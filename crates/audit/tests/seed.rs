//! The seed report reads to exactly the expected cells, with no findings.

use gongkai_domain::report::ReportSet;

const SEED: &str = include_str!("corpus/seed/lingwu-edu-2020.txt");
const EXPECTED: &str = include_str!("corpus/seed/lingwu-edu-2020.expected.json");

#[test]
fn the_seed_reads_to_the_expected_report_set() {
    let mut reports = vec![gongkai_audit::read_text(
        SEED,
        Some("lingwu-edu-2020.txt".into()),
    )];
    gongkai_audit::check_all(&mut reports);
    let got = serde_json::to_value(ReportSet { reports }).unwrap();
    let want: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    if got != want {
        let g = &got["reports"][0];
        let w = &want["reports"][0];
        for k in ["organ", "year", "format", "sections", "findings"] {
            assert_eq!(g[k], w[k], "{k}");
        }
        let gc = g["cells"].as_array().unwrap();
        let wc = w["cells"].as_array().unwrap();
        for (a, b) in gc.iter().zip(wc) {
            assert_eq!(a, b);
        }
        assert_eq!(gc.len(), wc.len());
    }
    assert_eq!(got, want);
}
