//! Unit tests of the index's query building and document numbers.
use super::*;

#[test]
fn date_base_is_2000() {
    assert_eq!(
        date_key(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()),
        DATE_BASE
    );
}

#[test]
fn the_head_of_a_doc_number_finds_its_family_after_exact_matches() {
    assert_eq!(
        doc_number_head_pattern("灵教发").as_deref(),
        Some("灵.{0,2}教.{0,2}发〔.*")
    );
    assert_eq!(doc_number_head_pattern("招生"), None);
    assert_eq!(doc_number_head_pattern("灵教发〔2020〕"), None);
    let index = Index::in_memory().unwrap();
    let doc = |id: &str, number: &str, title: &str| Doc {
        id: id.into(),
        kind: Some(Kind::Item),
        title: title.into(),
        doc_number: number.into(),
        url: format!("/items/{id}"),
        ..Default::default()
    };
    index
        .add(&doc("1", "灵教体发〔2021〕3号", "关于学校体育工作的通知"))
        .unwrap();
    index
        .add(&doc("2", "灵教发〔2020〕12号", "关于招生入学工作的通知"))
        .unwrap();
    index
        .add(&doc("3", "灵民发〔2020〕1号", "关于低保标准的通知"))
        .unwrap();
    let r = index.search(&Query::new("灵教发")).unwrap();
    let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["2", "1"], "exact family first, then 灵教体发");
}

#[test]
fn doc_numbers_normalize() {
    assert_eq!(
        normalize_doc_number("灵教发[2020]12号").as_deref(),
        Some("灵教发〔2020〕12号")
    );
    assert_eq!(
        normalize_doc_number(" 灵教发（２０２０）１２号").as_deref(),
        Some("灵教发〔2020〕12号")
    );
    assert_eq!(normalize_doc_number("〔2020〕12号"), None);
    assert_eq!(normalize_doc_number("灵教发〔20〕12号"), None);
    assert_eq!(normalize_doc_number("教育 招生"), None);
}

#[test]
fn quoted_parts_stay_whole() {
    let p = split_query("招生 “义务教育 阶段” 2020");
    let t: Vec<_> = p.iter().map(|p| (p.text.as_str(), p.quoted)).collect();
    assert_eq!(
        t,
        [("招生", false), ("义务教育 阶段", true), ("2020", false)]
    );
}
