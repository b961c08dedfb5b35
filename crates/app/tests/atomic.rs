//! Every write and its audit row commit together: when the audit row cannot be written, the
//! change is not there either. The audit log's table is taken away between the use case's
//! change and its audit row (`break_audit_log`), on both backends.

use gongkai_app::{Actor, App, Time};
use gongkai_domain::application::ApplicantType;
use gongkai_domain::application::events::{Applicant, Channel};
use gongkai_domain::records::ItemAction;
use gongkai_store::Db;
use gongkai_store::applications::NewApplication;
use gongkai_store::both;
use gongkai_store::testing::break_audit_log;

fn app(db: &Db) -> App {
    App::new(
        db.clone(),
        Time::fixed("2024-03-01T02:00:00Z".parse().unwrap()),
    )
}

async fn audit_rows(db: &Db) -> usize {
    db.audit_entries(None, 100_000).await.unwrap().len()
}

async fn nothing_written_without_its_audit_row(db: Db) {
    gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let a = app(&db);
    let op = Actor::Operator("测试".into());
    let organ = db
        .find_organ(gongkai_import::demo::BUREAU_CODE)
        .await
        .unwrap()
        .unwrap();
    let cats = db.categories(organ.id).await.unwrap();
    let input = gongkai_app::items::ItemInput {
        title: "关于2024年招生工作的通知".into(),
        category: cats[0].id.to_string(),
        written_on: "2024-02-26".into(),
        body: "正文".into(),
        ..Default::default()
    };
    let items_before = db.items(organ.id).await.unwrap().len();
    let draft = db
        .items(organ.id)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.status == gongkai_domain::records::ItemStatus::Published)
        .unwrap();
    let new_app = NewApplication {
        organ_id: organ.id,
        channel: Channel::InPerson,
        submitted_on: "2024-02-29".parse().unwrap(),
        received_on: "2024-02-29".parse().unwrap(),
        applicant: Applicant {
            kind: ApplicantType::NaturalPerson,
            name: "张三".into(),
            id_document: String::new(),
            contact: String::new(),
            address: String::new(),
        },
        description: "招生计划".into(),
        form: String::new(),
    };
    let apps_before = db
        .applications(Some(organ.id), Some(2024))
        .await
        .unwrap()
        .len();
    let rows_before = audit_rows(&db).await;

    break_audit_log(&db, true).await;
    assert!(
        gongkai_app::items::create(&a, &op, organ.id, &input)
            .await
            .is_err()
    );
    assert!(
        gongkai_app::items::act(&a, &op, draft.id, ItemAction::Withdraw)
            .await
            .is_err()
    );
    assert!(
        gongkai_app::applications::register(&a, &op, new_app.clone())
            .await
            .is_err()
    );
    assert!(
        gongkai_app::reports::generate(&a, &op, organ.id, 2022, false)
            .await
            .is_err()
    );
    break_audit_log(&db, false).await;

    // Nothing of the four changes is there.
    assert_eq!(db.items(organ.id).await.unwrap().len(), items_before);
    assert_eq!(
        db.item(draft.id).await.unwrap().unwrap().status,
        gongkai_domain::records::ItemStatus::Published
    );
    assert_eq!(
        db.applications(Some(organ.id), Some(2024))
            .await
            .unwrap()
            .len(),
        apps_before
    );
    assert!(db.report_draft(organ.id, 2022).await.unwrap().is_none());
    assert_eq!(audit_rows(&db).await, rows_before);

    // With the log back, each change lands with exactly its row.
    let it = gongkai_app::items::create(&a, &op, organ.id, &input)
        .await
        .unwrap()
        .value;
    gongkai_app::items::act(&a, &op, draft.id, ItemAction::Withdraw)
        .await
        .unwrap();
    let reg = gongkai_app::applications::register(&a, &op, new_app)
        .await
        .unwrap()
        .value;
    gongkai_app::reports::generate(&a, &op, organ.id, 2022, false)
        .await
        .unwrap();
    let log = db.audit_entries(None, 4).await.unwrap();
    let got: Vec<(&str, &str)> = log
        .iter()
        .rev()
        .map(|e| (e.action.as_str(), e.entity.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("create", "catalogue_item"),
            ("withdraw", "catalogue_item"),
            ("register", "application"),
            ("generate", "report_draft"),
        ]
    );
    assert_eq!(log[3].entity_id, it.id.to_string());
    assert_eq!(log[1].entity_id, reg.record.number);
    assert_eq!(log[0].username, "命令行：测试");
}

both!(nothing_written_without_its_audit_row);

/// The same 事项 twice on one list answers a Chinese error on its field, not a database error
/// (issue 33: 500), and leaves one matter and one audit row.
async fn a_duplicate_matter_is_refused_in_words(db: Db) {
    use gongkai_app::registers::{Entry, add};
    use gongkai_domain::records::MatterKind;
    gongkai_app::imports::demo(
        &gongkai_app::App::new(db.clone(), gongkai_app::Time::system()),
        &gongkai_app::Actor::Operator("测试".into()),
    )
    .await
    .unwrap();
    let a = app(&db);
    let op = Actor::Operator("测试".into());
    let organ = db
        .find_organ(gongkai_import::demo::BUREAU_CODE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let entry = || Entry::Matter {
        kind: MatterKind::Licensing,
        name: "民办学校设立审批（重复测试）".into(),
        listed_on: "2024-01-02".parse().unwrap(),
    };
    add(&a, &op, organ, entry()).await.unwrap();
    let rows = audit_rows(&db).await;
    let e = add(&a, &op, organ, entry()).await.unwrap_err();
    match &e {
        gongkai_app::Error::Invalid(f) => {
            assert_eq!(f[0].field, "name");
            assert!(
                f[0].message
                    .contains("已有事项“民办学校设立审批（重复测试）”"),
                "{e}"
            );
        }
        other => panic!("not a field error: {other:?}"),
    }
    assert_eq!(audit_rows(&db).await, rows);
}

both!(a_duplicate_matter_is_refused_in_words);
