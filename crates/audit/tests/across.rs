//! R7 and R8 are checked between reports of the same organ read together, on the later one.

use gongkai_domain::report::layout::{
    APPLICANT_COLUMNS, ROW_CARRIED_IN, ROW_CARRIED_OUT, TABLE_3, TOTAL,
};
use gongkai_domain::report::{Num, Report};

fn read(r: &Report) -> Report {
    gongkai_audit::read_html(&gongkai_render::html::report_page(r), None)
        .expect("html within bounds")
}

#[test]
fn consecutive_years_of_one_organ_are_compared() {
    let a = gongkai_render::sample::report(2021);
    let mut b = gongkai_render::sample::report(2022);
    // Make 2022's carried-in row what 2021 carried out: no R7.
    for col in APPLICANT_COLUMNS {
        b.set(
            TABLE_3,
            ROW_CARRIED_IN,
            col,
            a.get(TABLE_3, ROW_CARRIED_OUT, col),
        );
    }
    let mut set = vec![read(&a), read(&b)];
    gongkai_audit::check_all(&mut set);
    assert!(
        set[1].findings.iter().all(|f| f.rule != "R7"),
        "{:?}",
        set[1].findings
    );

    // Break the carried-over total of 2022: R7 names that cell, on the 2022 report only.
    let was = b.get(TABLE_3, ROW_CARRIED_IN, TOTAL).map_or(0.0, |n| n.0);
    b.set(TABLE_3, ROW_CARRIED_IN, TOTAL, Some(Num(was + 5.0)));
    let mut set = vec![read(&a), read(&b)];
    gongkai_audit::check_all(&mut set);
    let r7: Vec<_> = set[1].findings.iter().filter(|f| f.rule == "R7").collect();
    assert_eq!(r7.len(), 1, "{r7:?}");
    assert_eq!(r7[0].location, format!("三/{ROW_CARRIED_IN}/{TOTAL}"));
    assert!(set[0].findings.iter().all(|f| f.rule != "R7"));

    // Another organ's report is not compared.
    let mut other = b.clone();
    other.organ = "另一机关".into();
    let mut set = vec![read(&a), read(&other)];
    gongkai_audit::check_all(&mut set);
    assert!(
        set[1]
            .findings
            .iter()
            .all(|f| f.rule != "R7" && f.rule != "R8")
    );
}
