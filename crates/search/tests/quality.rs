//! Search quality over a fixed corpus written in the style of a county's disclosure portal:
//! each query states the document expected first (and documents it must not return).

use chrono::NaiveDate;
use gongkai_search::{Doc, Filters, Index, Kind, Query};

struct D {
    id: &'static str,
    kind: Kind,
    unit: &'static str,
    organ: i64,
    category: &'static str,
    date: (i32, u32, u32),
    doc_number: &'static str,
    doc_type: &'static str,
    validity: &'static str,
    title: &'static str,
    body: &'static str,
}

const EDU: &str = "灵武市教育体育局";
const CIV: &str = "灵武市民政局";
const GOV: &str = "灵武市人民政府";
const GOVO: &str = "灵武市人民政府办公室";
const HEALTH: &str = "灵武市卫生健康局";
const HR: &str = "灵武市人力资源和社会保障局";
const MARKET: &str = "灵武市市场监督管理局";
const LAND: &str = "灵武市自然资源局";

#[rustfmt::skip]
fn corpus() -> Vec<D> {
    use Kind::*;
    let d = |id, kind, unit, organ, category, date, doc_number, doc_type, validity, title, body| D {
        id, kind, unit, organ, category, date, doc_number, doc_type, validity, title, body,
    };
    vec![
        d("edu-enrol-2020", Item, EDU, 2, "教育招生", (2020, 5, 20), "灵教发〔2020〕12号", "normative", "in_force",
          "灵武市教育体育局关于做好2020年义务教育阶段招生入学工作的通知",
          "各乡镇中心学校、市直各学校：为做好2020年义务教育阶段招生入学工作，坚持免试就近入学原则，现将有关事项通知如下。一、招生范围按照学区划分执行。二、适龄儿童少年须由法定监护人持户口簿、不动产权证书到学区学校登记。三、随迁子女入学按照积分办法安排。"),
        d("edu-enrol-2021", Item, EDU, 2, "教育招生", (2021, 5, 18), "灵教发〔2021〕9号", "normative", "in_force",
          "灵武市教育体育局关于2021年秋季普通高中招生工作的通知",
          "根据自治区教育厅中考中招工作要求，结合我市实际，2021年普通高中招生实行网上志愿填报，统一录取。"),
        d("edu-enrol-2020-13", Item, EDU, 2, "教育招生", (2020, 6, 2), "灵教发〔2020〕13号", "other", "in_force",
          "关于公布2020年城区小学学区划分的公告",
          "依据灵教发〔2020〕12号文件规定，现将2020年城区小学学区划分公布如下，请家长按学区为子女办理入学登记。"),
        d("edu-fee", Item, EDU, 2, "财政信息", (2021, 3, 1), "", "other", "in_force",
          "2021年学前教育资助资金分配公示",
          "按照学前教育资助政策，对家庭经济困难幼儿给予保育教育费资助，现将资金分配情况予以公示。"),
        d("edu-sport", Item, EDU, 2, "体育工作", (2022, 4, 11), "灵教发〔2022〕5号", "other", "in_force",
          "关于举办灵武市第十届全民运动会的通知",
          "为推进全民健身，市教育体育局定于2022年8月举办全民运动会，设田径、篮球、象棋等项目。"),
        d("edu-repealed", Item, EDU, 2, "教育招生", (2018, 5, 10), "灵教发〔2018〕7号", "normative", "repealed",
          "灵武市教育局关于2018年中小学招生工作的实施意见",
          "本意见自2020年起废止。2018年中小学招生工作按学区就近入学。"),
        d("civ-dibao", Item, CIV, 3, "社会救助", (2021, 7, 1), "灵民发〔2021〕22号", "normative", "in_force",
          "灵武市民政局关于调整城乡居民最低生活保障标准的通知",
          "经市人民政府同意，自2021年7月1日起，城市居民最低生活保障标准调整为每人每月680元，农村居民最低生活保障标准调整为每人每年6000元。"),
        d("civ-elderly", Item, CIV, 3, "养老服务", (2022, 2, 15), "", "other", "in_force",
          "2022年养老服务补贴发放情况公示",
          "按照养老服务补贴制度，对全市80周岁以上老年人发放高龄津贴，现将发放名单予以公示。"),
        d("civ-temp", Item, CIV, 3, "社会救助", (2020, 11, 3), "灵民发〔2020〕31号", "normative", "in_force",
          "灵武市临时救助实施办法",
          "为规范临时救助工作，对遭遇突发性、紧迫性、临时性基本生活困难的家庭或个人给予临时救助。民政部门负责审核审批。"),
        d("civ-marriage", Item, CIV, 3, "婚姻登记", (2022, 9, 9), "", "other", "in_force",
          "婚姻登记办事指南",
          "办理结婚登记的，男女双方应当共同到婚姻登记机关提出申请，出具本人的户口簿、身份证。"),
        d("gov-work", Item, GOV, 1, "政府工作报告", (2021, 2, 20), "", "other", "in_force",
          "2021年灵武市人民政府工作报告",
          "过去一年，在市委的坚强领导下，市人民政府团结带领全市人民，统筹推进疫情防控和经济社会发展，地区生产总值增长百分之五。"),
        d("gov-opinion", Item, GOV, 1, "规范性文件", (2020, 8, 8), "灵政发〔2020〕45号", "normative", "in_force",
          "灵武市人民政府关于进一步优化营商环境的若干意见",
          "各乡镇人民政府，市人民政府各部门：为持续优化营商环境，激发市场主体活力，提出如下意见。"),
        d("gov-land", Item, GOV, 1, "规范性文件", (2019, 6, 6), "灵政发〔2019〕20号", "normative", "amended",
          "灵武市人民政府关于印发国有土地上房屋征收与补偿实施办法的通知",
          "各乡镇人民政府，市人民政府各部门：现将《灵武市国有土地上房屋征收与补偿实施办法》印发给你们，请认真贯彻执行。"),
        d("govo-guide", Item, GOVO, 4, "政府信息公开指南", (2021, 1, 5), "", "other", "in_force",
          "灵武市人民政府办公室政府信息公开指南",
          "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。依申请公开的，申请人可以通过信函、网上平台提出申请。"),
        d("govo-annual", Report, GOVO, 4, "年度报告", (2022, 1, 28), "", "", "",
          "灵武市人民政府办公室2021年政府信息公开工作年度报告",
          "本报告根据《中华人民共和国政府信息公开条例》编制。2021年共收到政府信息公开申请56件，主动公开政府信息1200条。"),
        d("govo-double", Item, GOVO, 4, "双公示", (2021, 9, 1), "", "other", "in_force",
          "关于做好行政许可和行政处罚双公示工作的通知",
          "各部门应在作出行政许可、行政处罚决定之日起7个工作日内，在信用网站进行双公示。"),
        d("govo-norm", Item, GOVO, 4, "规范性文件", (2020, 4, 1), "灵政办发〔2020〕3号", "normative", "in_force",
          "灵武市行政规范性文件制定和备案管理办法",
          "行政规范性文件应当经过合法性审核、集体审议，并在公布后十五日内报送备案。"),
        d("health-vaccine", Item, HEALTH, 5, "卫生健康", (2021, 4, 2), "", "other", "in_force",
          "关于开展新冠病毒疫苗接种工作的通告",
          "为构建免疫屏障，现开展新冠病毒疫苗接种工作，请符合条件的居民携带身份证到接种点接种。"),
        d("health-doctor", Item, HEALTH, 5, "卫生健康", (2022, 3, 3), "灵卫发〔2022〕6号", "other", "in_force",
          "灵武市家庭医生签约服务实施方案",
          "为推进分级诊疗，开展家庭医生签约服务，重点人群签约覆盖率达到百分之七十。"),
        d("hr-jobs", Item, HR, 6, "人事信息", (2022, 5, 5), "", "other", "in_force",
          "2022年灵武市事业单位公开招聘工作人员公告",
          "根据工作需要，经批准，面向社会公开招聘事业单位工作人员30名，报名时间为2022年5月10日至5月16日。"),
        d("hr-insurance", Item, HR, 6, "社会保障", (2021, 12, 1), "灵人社发〔2021〕40号", "normative", "in_force",
          "关于调整城乡居民基本养老保险基础养老金标准的通知",
          "自2021年1月1日起，城乡居民基本养老保险基础养老金最低标准提高至每人每月198元。"),
        d("hr-wage", Item, HR, 6, "劳动关系", (2020, 12, 20), "", "other", "in_force",
          "关于做好根治拖欠农民工工资工作的通知",
          "各用人单位应当按时足额支付农民工工资，不得以任何理由拖欠。人社部门开展专项检查。"),
        d("market-food", Item, MARKET, 7, "市场监管", (2021, 6, 6), "", "other", "in_force",
          "2021年第二季度食品安全监督抽检信息公告",
          "本季度共抽检食品样品320批次，合格315批次，不合格样品已依法处置。"),
        d("market-penalty", Item, MARKET, 7, "行政处罚", (2022, 7, 7), "灵市监罚〔2022〕18号", "other", "in_force",
          "灵武市某商贸有限公司销售过期食品行政处罚决定书",
          "当事人销售超过保质期的食品，违反了《中华人民共和国食品安全法》，依法作出行政处罚：没收违法所得，罚款五千元。"),
        d("land-plan", Item, LAND, 8, "规划信息", (2022, 10, 10), "", "other", "in_force",
          "灵武市国土空间总体规划（2021—2035年）公示",
          "按照国土空间规划编制要求，现将灵武市国土空间总体规划草案予以公示，公示期30日。"),
        d("land-expro", Item, LAND, 8, "征地信息", (2021, 8, 18), "灵自然资发〔2021〕11号", "other", "in_force",
          "关于郝家桥镇集体土地征收的预公告",
          "因城市建设需要，拟征收郝家桥镇集体土地，现将征收范围、土地现状、征收目的予以公告。"),
        d("reply-enrol", Reply, EDU, 2, "依申请公开", (2021, 6, 10), "灵教依申复〔2021〕3号", "", "",
          "关于申请公开学区划分依据的答复",
          "您申请公开2021年学区划分的依据。经查，学区划分依据为灵教发〔2021〕9号文件，现予以公开。"),
        d("reply-dibao", Reply, CIV, 3, "依申请公开", (2022, 4, 20), "", "", "",
          "关于申请公开低保审批名单的答复",
          "您申请获取的最低生活保障审批名单涉及个人隐私，根据条例第十五条，不予公开。"),
        d("letter-school", Letter, EDU, 2, "信件", (2022, 3, 15), "", "", "",
          "关于孩子上学接送车辆的咨询",
          "答复：关于校车问题，我局已协调交通部门在上下学时段增设公交线路，感谢您的关注。"),
        d("letter-road", Letter, GOV, 1, "信件", (2021, 10, 10), "", "", "",
          "建议修缮东塔镇道路",
          "答复：您反映的东塔镇道路破损问题，已转交住房和城乡建设局，计划于年内完成修缮。"),
        d("letter-dibao", Letter, CIV, 3, "信件", (2022, 8, 1), "", "", "",
          "低保申请需要什么材料",
          "答复：申请最低生活保障，需提供户口簿、身份证、家庭收入证明，向户籍所在地乡镇人民政府提出。"),
        d("gov-people", Item, GOV, 1, "人事信息", (2022, 1, 10), "灵政任〔2022〕1号", "other", "in_force",
          "灵武市人民政府关于张某某等同志职务任免的通知",
          "各乡镇人民政府，市人民政府各部门：经市人民政府研究决定，任命张某某为市财政局局长。"),
        d("gov-flood", Item, GOV, 1, "应急管理", (2022, 6, 20), "", "other", "in_force",
          "灵武市人民政府关于做好2022年防汛工作的通知",
          "各乡镇人民政府要落实防汛责任制，加强黄河沿岸巡查。"),
        d("govo-open", Item, GOVO, 4, "政务公开", (2022, 4, 4), "灵政办发〔2022〕10号", "normative", "in_force",
          "灵武市2022年政务公开工作要点",
          "全面推进决策、执行、管理、服务、结果公开，加强政策解读，做好依申请公开工作，规范政府信息公开年度报告编制。"),
    ]
}

fn index() -> Index {
    let idx = Index::in_memory().unwrap();
    let docs: Vec<Result<Doc, String>> = corpus()
        .into_iter()
        .map(|d| {
            Ok(Doc {
                id: d.id.into(),
                kind: Some(d.kind),
                title: d.title.into(),
                doc_number: d.doc_number.into(),
                summary: String::new(),
                body: d.body.into(),
                unit: d.unit.into(),
                organ_ids: if d.organ == 1 {
                    vec![1]
                } else {
                    vec![d.organ, 1]
                },
                category: d.category.into(),
                date: NaiveDate::from_ymd_opt(d.date.0, d.date.1, d.date.2),
                validity: d.validity.into(),
                doc_type: d.doc_type.into(),
                url: format!("/x/{}", d.id),
            })
        })
        .collect();
    let n = idx.rebuild(docs, |_| {}).unwrap();
    assert_eq!(n, corpus().len() as u64);
    idx
}

fn ids(idx: &Index, q: &Query) -> Vec<String> {
    idx.search(q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// Each case: query, the documents acceptable as first hit, documents that must not match.
#[rustfmt::skip]
const CASES: &[(&str, &[&str], &[&str])] = &[
    // two-character words
    ("民政", &["civ-dibao", "civ-temp"], &["gov-opinion", "gov-land", "gov-flood", "gov-people", "gov-work"]),
    ("教育", &["edu-fee", "edu-enrol-2020", "edu-enrol-2021"], &["civ-dibao", "hr-jobs"]),
    ("招生", &["edu-enrol-2020", "edu-enrol-2021"], &["edu-fee", "hr-jobs"]),
    ("低保", &["letter-dibao", "reply-dibao"], &["edu-enrol-2020"]),
    ("招聘", &["hr-jobs"], &["edu-enrol-2020"]),
    ("疫苗", &["health-vaccine"], &["health-doctor"]),
    ("防汛", &["gov-flood"], &[]),
    ("婚姻", &["civ-marriage"], &[]),
    ("征收", &["land-expro"], &["land-plan"]),
    ("运动会", &["edu-sport"], &[]),
    // organ names
    ("灵武市民政局", &["civ-dibao"], &["gov-opinion", "gov-flood"]),
    ("教育体育局", &["edu-enrol-2020", "edu-enrol-2021"], &["civ-dibao", "gov-flood"]),
    ("人力资源和社会保障局", &["hr-jobs", "hr-insurance", "hr-wage"], &["civ-dibao", "gov-work"]),
    ("市场监督管理局", &["market-penalty", "market-food"], &["gov-opinion"]),
    ("卫生健康局", &["health-vaccine", "health-doctor"], &["edu-enrol-2020"]),
    ("人民政府办公室", &["govo-guide"], &["edu-sport"]),
    // document numbers, exactly
    ("灵教发〔2020〕12号", &["edu-enrol-2020"], &["edu-enrol-2021"]),
    ("灵教发[2020]12号", &["edu-enrol-2020"], &["edu-enrol-2021"]),
    ("灵教发（2020）13号", &["edu-enrol-2020-13"], &["edu-enrol-2020"]),
    ("灵民发〔2021〕22号", &["civ-dibao"], &["civ-temp"]),
    ("灵政发〔2019〕20号", &["gov-land"], &["gov-opinion"]),
    ("灵市监罚〔2022〕18号", &["market-penalty"], &["market-food"]),
    // phrases and several words
    ("最低生活保障标准", &["civ-dibao"], &[]),
    ("义务教育 招生", &["edu-enrol-2020"], &["edu-enrol-2021"]),
    ("\"免试就近入学\"", &["edu-enrol-2020"], &["edu-repealed"]),
    ("优化营商环境", &["gov-opinion"], &[]),
    ("双公示", &["govo-double"], &[]),
    ("依申请公开", &["govo-guide", "govo-open"], &["edu-fee"]),
    ("行政规范性文件", &["govo-norm"], &["edu-enrol-2020"]),
    ("政府信息公开年度报告", &["govo-annual"], &[]),
    ("食品安全 抽检", &["market-food"], &["market-penalty"]),
    ("农民工工资", &["hr-wage"], &[]),
    ("国土空间规划", &["land-plan"], &["land-expro"]),
    ("家庭医生签约", &["health-doctor"], &[]),
    ("养老保险", &["hr-insurance"], &["civ-elderly"]),
    ("学区划分", &["reply-enrol", "edu-enrol-2020-13"], &["edu-fee"]),
    ("信息公开指南", &["govo-guide"], &[]),
    ("校车", &["letter-school"], &[]),
    ("行政处罚决定书", &["market-penalty"], &[]),
];

#[test]
fn queries_find_their_documents() {
    let idx = index();
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for (q, first, absent) in CASES {
        let got = ids(
            &idx,
            &Query {
                limit: 50,
                ..Query::new(*q)
            },
        );
        if !got.first().is_some_and(|g| first.contains(&g.as_str())) {
            failures.push(format!("{q}: expected one of {first:?} first, got {got:?}"));
        }
        for a in *absent {
            if got.iter().any(|g| g == a) {
                failures.push(format!("{q}: {a} must not match, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn civil_affairs_does_not_match_people_government() {
    let idx = index();
    let r = idx
        .search(&Query {
            limit: 100,
            ..Query::new("民政")
        })
        .unwrap();
    for h in &r.hits {
        let d = corpus().into_iter().find(|d| d.id == h.id).unwrap();
        assert!(
            d.title.contains("民政") || d.body.contains("民政") || d.unit.contains("民政"),
            "{} matched 民政 only through 人民政府",
            h.id
        );
    }
    assert_eq!(r.total, r.hits.len());
    // Every item of the civil affairs bureau is about 民政 (its unit name); no government item is.
    assert!(r.hits.iter().all(|h| !h.id.starts_with("gov-")));
}

#[test]
fn document_number_finds_the_document_then_citations() {
    let idx = index();
    let got = ids(&idx, &Query::new("灵教发〔2020〕12号"));
    assert_eq!(got.first().map(String::as_str), Some("edu-enrol-2020"));
    // The public notice citing the number comes after it; an item with number 13 that does not
    // cite 12 is not there.
    assert!(got.contains(&"edu-enrol-2020-13".to_string()));
    assert!(!got.contains(&"edu-enrol-2021".to_string()));
}

#[test]
fn filters_narrow_results() {
    let idx = index();
    let q = |text: &str, filters: Filters| {
        ids(
            &idx,
            &Query {
                text: text.into(),
                filters,
                limit: 100,
                offset: 0,
                newest_first: false,
            },
        )
    };
    let by_year = q(
        "招生",
        Filters {
            year: Some(2021),
            ..Default::default()
        },
    );
    assert_eq!(by_year, ["edu-enrol-2021"]);
    let normative = q(
        "招生",
        Filters {
            doc_type: Some("normative".into()),
            validity: Some("in_force".into()),
            ..Default::default()
        },
    );
    assert!(normative.contains(&"edu-enrol-2020".to_string()));
    assert!(!normative.contains(&"edu-repealed".to_string()));
    assert!(!normative.contains(&"edu-enrol-2020-13".to_string()));
    let letters = q(
        "低保",
        Filters {
            kind: Some(Kind::Letter),
            ..Default::default()
        },
    );
    assert_eq!(letters, ["letter-dibao"]);
    // An organ filter takes in its units; a unit filter does not take in its organ's items.
    let all_gov = q(
        "",
        Filters {
            organ_id: Some(1),
            ..Default::default()
        },
    );
    assert_eq!(all_gov.len(), corpus().len());
    let civ = q(
        "",
        Filters {
            organ_id: Some(3),
            ..Default::default()
        },
    );
    assert!(
        civ.iter()
            .all(|id| id.contains("civ") || id.contains("dibao")),
        "{civ:?}"
    );
    let cat = q(
        "",
        Filters {
            category: Some("双公示".into()),
            ..Default::default()
        },
    );
    assert_eq!(cat, ["govo-double"]);
}

#[test]
fn empty_query_lists_newest_first_and_pages() {
    let idx = index();
    let first = idx
        .search(&Query {
            limit: 3,
            ..Query::new("")
        })
        .unwrap();
    assert_eq!(first.total, corpus().len());
    let dates: Vec<_> = first.hits.iter().map(|h| h.date.unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(first.hits[0].id, "land-plan");
    let second = idx
        .search(&Query {
            limit: 3,
            offset: 3,
            ..Query::new("")
        })
        .unwrap();
    assert!(
        second
            .hits
            .iter()
            .all(|h| first.hits.iter().all(|f| f.id != h.id))
    );
    assert!(second.hits[0].date.unwrap() <= dates[2]);
}

#[test]
fn snippets_highlight_and_escape() {
    let idx = index();
    let r = idx.search(&Query::new("最低生活保障")).unwrap();
    let h = &r.hits[0];
    assert!(
        h.snippet_html.contains("<b>最低生活保障</b>"),
        "{}",
        h.snippet_html
    );
    assert!(
        h.title_html.contains("<b>最低生活保障</b>"),
        "{}",
        h.title_html
    );
    assert_eq!(h.unit, CIV);
    assert_eq!(h.url, "/x/civ-dibao");
    assert_eq!(h.doc_number, "灵民发〔2021〕22号");
    // 《》 and other text is escaped, tags only come from highlighting.
    let r = idx.search(&Query::new("食品安全法")).unwrap();
    assert!(!r.hits[0].snippet_html.contains('<') || r.hits[0].snippet_html.contains("<b>"));
    assert!(!r.hits[0].snippet_html.contains("<script"));
}

#[test]
fn punctuation_only_matches_nothing() {
    let idx = index();
    let r = idx.search(&Query::new("，。！")).unwrap();
    assert_eq!(r.total, 0);
    let r = idx
        .search(&Query::new("完全不存在的词语组合甲乙丙"))
        .unwrap();
    assert_eq!(r.total, 0);
}

#[test]
fn update_and_delete_keep_the_index_current_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mk = |title: &str| Doc {
        id: gongkai_search::doc_id(Kind::Item, 7),
        kind: Some(Kind::Item),
        title: title.into(),
        body: "正文".into(),
        date: NaiveDate::from_ymd_opt(2022, 1, 1),
        ..Default::default()
    };
    {
        let idx = Index::open_or_create(dir.path()).unwrap();
        idx.update(&mk("关于防汛工作的通知")).unwrap();
        assert_eq!(idx.search(&Query::new("防汛")).unwrap().total, 1);
        idx.update(&mk("关于抗旱工作的通知")).unwrap();
        assert_eq!(idx.len(), 1);
        assert_eq!(idx.search(&Query::new("防汛")).unwrap().total, 0);
        assert_eq!(idx.search(&Query::new("抗旱")).unwrap().total, 1);
    }
    // Reopened from disk: the content is still there; a second writer is refused while the
    // first index holds its writer.
    let idx = Index::open_or_create(dir.path()).unwrap();
    assert_eq!(
        idx.search(&Query::new("抗旱")).unwrap().hits[0].id,
        "item:7"
    );
    idx.delete("item:7").unwrap();
    assert_eq!(idx.search(&Query::new("抗旱")).unwrap().total, 0);
    let other = Index::open_or_create(dir.path()).unwrap();
    assert!(matches!(
        other.delete("item:8"),
        Err(gongkai_search::Error::Locked)
    ));
}

#[test]
fn an_index_of_another_version_is_discarded() {
    let dir = tempfile::tempdir().unwrap();
    {
        let idx = Index::open_or_create(dir.path()).unwrap();
        idx.update(&Doc {
            id: "item:1".into(),
            title: "防汛".into(),
            ..Default::default()
        })
        .unwrap();
    }
    std::fs::write(
        dir.path().join("gongkai-search.version"),
        "gongkai-search 0",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "user file").unwrap();
    let idx = Index::open_or_create(dir.path()).unwrap();
    assert_eq!(idx.len(), 0);
    assert!(dir.path().join("notes.txt").exists());
}
