//! Bad imports are refused with clear Chinese messages naming row and column, and leave the
//! database exactly as it was; good ones (CSV in UTF-8 or GBK, XLSX) write every row. Run on
//! SQLite and PostgreSQL.

use gongkai_domain::records::*;
use gongkai_import::{Kind, Summary};
use gongkai_store::Db;
use std::path::{Path, PathBuf};

/// Imports a file as the operator, through the use case every door calls.
async fn import_file(
    db: &Db,
    kind: Kind,
    path: &Path,
    organ: Option<&str>,
) -> Result<Summary, gongkai_app::Error> {
    let table = gongkai_import::read_file(path)?;
    let app = gongkai_app::App::new(db.clone(), gongkai_app::Time::system());
    let actor = gongkai_app::Actor::Operator("测试".into());
    let name = path.display().to_string();
    let done = gongkai_app::imports::records(&app, &actor, kind, &table, organ, &name).await?;
    Ok(done.value)
}

use gongkai_store::both;

struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "gongkai-import-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ORGANS: &str = "机关代码,机关全称,简称,类型,上级机关,索引号格式\n\
    11640181MB1912004K,灵武市教育体育局,灵武市教体局,部门,,\n\
    12640181MB1912101A,灵武市第四小学,第四小学,部门,灵武市教育体育局,{code}/{year}-{seq:04}\n";

async fn setup(db: &Db, dir: &Dir) {
    let p = dir.file("organs.csv", ORGANS.as_bytes());
    let s = import_file(db, Kind::Organs, &p, None).await.unwrap();
    assert_eq!(s.rows, 2);
    let m = dir.file(
        "matters.csv",
        "事项类型,事项名称,列入日期,移出日期\n行政事业性收费,公共体育场馆设施使用费,2021-01-01,\n"
            .as_bytes(),
    );
    import_file(db, Kind::Matters, &m, Some("灵武市教育体育局"))
        .await
        .unwrap();
}

/// Imports a bad file and checks it is refused with `expected` in the message and nothing
/// written.
async fn refused(db: &Db, kind: Kind, path: &Path, expected: &[&str]) {
    let before = db.record_counts().await.unwrap();
    let err = import_file(db, kind, path, Some("灵武市教育体育局"))
        .await
        .expect_err("a bad file must be refused")
        .to_string();
    assert!(err.starts_with("导入未执行，数据库未作任何修改"), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert_eq!(
        db.record_counts().await.unwrap(),
        before,
        "the database changed"
    );
}

const CATALOGUE_HEAD: &str = "标题,栏目,发布日期,文件类型,有效性,有效性变更日期\n";

both!(missing_column_is_refused);
async fn missing_column_is_refused(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    let p = dir.file("c.csv", "标题,发布日期\n通知,2020-01-02\n".as_bytes());
    refused(&db, Kind::Catalogue, &p, &["第1行“栏目”列：缺少必填列"]).await;
}

both!(bad_date_is_refused_and_earlier_rows_are_not_kept);
async fn bad_date_is_refused_and_earlier_rows_are_not_kept(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    let body = format!(
        "{CATALOGUE_HEAD}通知一,公示公告,2020-01-02,,,\n通知二,公示公告,2020/13/01,,,\n通知三,部门文件,2020-02-30,,,\n"
    );
    let p = dir.file("c.csv", body.as_bytes());
    refused(
        &db,
        Kind::Catalogue,
        &p,
        &[
            "第3行“发布日期”列：日期格式应为 YYYY-MM-DD，而不是“2020/13/01”",
            "第4行“发布日期”列：日期格式应为 YYYY-MM-DD，而不是“2020-02-30”",
        ],
    )
    .await;
}

both!(unknown_category_is_refused_after_other_rows_were_written);
async fn unknown_category_is_refused_after_other_rows_were_written(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    // Row 2 is valid and is written inside the transaction before row 3 fails: the rollback
    // must remove it and its 索引号 counter.
    let body = format!(
        "{CATALOGUE_HEAD}通知一,公示公告,2030-01-02,,,\n通知二,不存在的栏目,2030-01-03,,,\n"
    );
    let p = dir.file("c.csv", body.as_bytes());
    refused(
        &db,
        Kind::Catalogue,
        &p,
        &["第3行“栏目”列：灵武市教育体育局的目录中没有栏目“不存在的栏目”"],
    )
    .await;
}

both!(negative_amount_is_refused);
async fn negative_amount_is_refused(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    let p = dir.file(
        "f.csv",
        "收费事项,收费日期,金额（元）\n公共体育场馆设施使用费,2021-03-01,120.50\n公共体育场馆设施使用费,2021-03-02,-80\n"
            .as_bytes(),
    );
    refused(
        &db,
        Kind::Fees,
        &p,
        &["第3行“金额（元）”列：金额“-80”不能为负数"],
    )
    .await;
    let p = dir.file(
        "p.csv",
        "项目名称,签订日期,金额（元）\n课桌椅,2020-05-01,-1000\n".as_bytes(),
    );
    refused(
        &db,
        Kind::Procurements,
        &p,
        &["第2行“金额（元）”列：金额“-1000”不能为负数"],
    )
    .await;
}

both!(gbk_file_is_read_and_bad_gbk_file_refused);
async fn gbk_file_is_read_and_bad_gbk_file_refused(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    // A GBK file as Excel on Chinese Windows writes it, with a bad row: refused, and the
    // message is readable Chinese (decoded), naming the row.
    let bad = format!(
        "{CATALOGUE_HEAD}学生资助名单公示,公示公告,2020-06-09,,,\n招生简章,公示公告,2020-06-10,规范文件,,\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&bad);
    let p = dir.file("bad-gbk.csv", &gbk);
    refused(
        &db,
        Kind::Catalogue,
        &p,
        &["第3行“文件类型”列：无法识别“规范文件”（可填：规章、行政规范性文件、其他）"],
    )
    .await;
    // The same file fixed imports, in GBK.
    let good = format!(
        "{CATALOGUE_HEAD}学生资助名单公示,公示公告,2020-06-09,,,\n招生管理办法,部门文件,2020-06-10,行政规范性文件,废止,2021-01-01\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&good);
    let p = dir.file("good-gbk.csv", &gbk);
    let s = import_file(&db, Kind::Catalogue, &p, Some("灵武市教体局"))
        .await
        .unwrap();
    assert_eq!(s.rows, 2);
    let o = db.find_organ("灵武市教育体育局").await.unwrap().unwrap();
    let items = db.items(o.id).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].title, "学生资助名单公示");
    assert_eq!(items[0].index_no, "11640181MB1912004K/2020-00001");
    assert_eq!(items[1].doc_kind, DocKind::Normative);
    assert_eq!(
        items[1].ended_on(),
        chrono::NaiveDate::from_ymd_opt(2021, 1, 1)
    );
    // A file that is neither UTF-8 nor GBK.
    let p = dir.file("garbage.csv", &[0x81, 0x20, 0xFF, 0xFE, 0x00, 0x81]);
    refused(&db, Kind::Catalogue, &p, &["文件编码无法识别"]).await;
}

both!(every_kind_imports_and_references_resolve);
async fn every_kind_imports_and_references_resolve(db: Db) {
    let dir = Dir::new();
    setup(&db, &dir).await;
    let files: &[(Kind, &str)] = &[
        (
            Kind::Matters,
            "机关,事项类型,事项名称,列入日期,移出日期\n灵武市教育体育局,行政许可,教师资格认定,2019-01-01,\n第四小学,其他对外管理服务事项,转学,2019-01-01,2022-01-01\n",
        ),
        (
            Kind::Decisions,
            "机关,事项名称,事项类型,决定日期,决定文号\n灵武市教育体育局,教师资格认定,,2021-03-01,许〔2021〕1号\n第四小学,转学,,2021-03-02,服1号\n",
        ),
        (
            Kind::Fees,
            "收费事项,收费日期,金额（元）,备注\n公共体育场馆设施使用费,2021-04-01,\"1,234.5\",\n",
        ),
        (
            Kind::Procurements,
            "项目名称,签订日期,金额（元）\n课桌椅,2021-05-01,150000\n",
        ),
        (
            Kind::Cases,
            "类型,案号,立案日期,申请编号,结果,审结日期\n行政复议,复1号,2021-02-01,A-1,维持,2021-03-01\n复议后起诉,诉1号,2021-06-01,A-1,,\n",
        ),
        (
            Kind::Letters,
            "渠道,收到日期,事由,答复内容,答复日期,办理时限\n12345热线,2021-01-05,咨询入学,已答复,2021-01-06,2021-01-20\n家长来信,2021-01-07,建议,,,\n",
        ),
    ];
    for (kind, body) in files {
        let p = dir.file(&format!("{}.csv", kind.name()), body.as_bytes());
        import_file(&db, *kind, &p, Some("灵武市教育体育局"))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
    }
    let o = db.find_organ("灵武市教育体育局").await.unwrap().unwrap();
    let s = db.find_organ("灵武市第四小学").await.unwrap().unwrap();
    let (from, to) = gongkai_store::records::all_time();
    assert_eq!(db.decisions(o.id, from, to).await.unwrap().len(), 1);
    assert_eq!(db.decisions(s.id, from, to).await.unwrap().len(), 1);
    assert_eq!(
        db.fees(o.id, from, to).await.unwrap()[0].amount_fen,
        123_450
    );
    let cases = db.cases(o.id, to).await.unwrap();
    assert_eq!(cases.len(), 2);
    assert!(cases[1].outcome.is_none());
    let channels = db.letter_channels().await.unwrap();
    assert!(
        channels.iter().any(|c| c.name == "家长来信"),
        "a new channel is added"
    );
    assert_eq!(db.letters(o.id, from, to).await.unwrap().len(), 2);

    // A decision under a matter that is not on the list is refused.
    let p = dir.file(
        "d2.csv",
        "事项名称,决定日期,决定文号\n不存在的事项,2021-03-01,x\n".as_bytes(),
    );
    refused(
        &db,
        Kind::Decisions,
        &p,
        &["第2行“事项名称”列：灵武市教育体育局的事项清单中没有“不存在的事项”"],
    )
    .await;
    // An open case with a decided date but no outcome is refused.
    let p = dir.file(
        "c2.csv",
        "类型,案号,立案日期,结果,审结日期\n行政复议,复2号,2021-02-01,,2021-03-01\n".as_bytes(),
    );
    refused(&db, Kind::Cases, &p, &["第2行“结果”列"]).await;
}

#[tokio::test]
async fn xlsx_imports_like_csv() {
    let t = gongkai_store::testing::TestDb::sqlite().await;
    let dir = Dir::new();
    setup(&t.db, &dir).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["标题", "栏目", "发布日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "通知").unwrap();
    ws.write_string(1, 1, "公示公告").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 6, 9).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 2, &date, &fmt).unwrap();
    let p = dir.file("c.xlsx", &wb.save_to_buffer().unwrap());
    import_file(&t.db, Kind::Catalogue, &p, Some("灵武市教育体育局"))
        .await
        .unwrap();
    let o = t.db.find_organ("灵武市教育体育局").await.unwrap().unwrap();
    let items = t.db.items(o.id).await.unwrap();
    assert_eq!(
        items[0].published_on,
        chrono::NaiveDate::from_ymd_opt(2020, 6, 9)
    );
    // Templates read back as files with the right headers and no rows.
    for k in Kind::ALL {
        let p = dir.file(&format!("t-{}.xlsx", k.name()), &k.template_xlsx().unwrap());
        let t = gongkai_import::read_file(&p).unwrap();
        assert_eq!(
            t.headers,
            k.columns().iter().map(|c| c.header).collect::<Vec<_>>()
        );
        assert!(t.rows.is_empty());
    }
    t.cleanup().await;
}
