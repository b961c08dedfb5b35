//! The read use cases decide who sees what, whichever door asks: a case's file is refused
//! outside the reader's organs and masks the applicant for a reader who does not handle the
//! organ's cases; lists keep to the reader's organs; the supervision overview and the accounts
//! list are refused without the right. On both backends.

use gongkai_app::{Actor, App, Error, Time};
use gongkai_domain::application::ApplicantType;
use gongkai_domain::application::events::{Applicant, Channel};
use gongkai_store::Db;
use gongkai_store::applications::NewApplication;
use gongkai_store::both;
use gongkai_store::users::Role;

const ADDRESS: &str = "宁夏回族自治区灵武市朔方路99号";

async fn account(app: &App, name: &str, role: Role, organ: i64) -> Actor {
    let op = Actor::Operator("测试".into());
    let new = gongkai_app::users::NewUser {
        username: name.into(),
        display_name: name.into(),
        password: "Gk读取用例-测试口令-2024!".into(),
        role,
        organ_id: Some(organ),
    };
    Actor::User(
        gongkai_app::users::create(app, &op, new)
            .await
            .unwrap()
            .value,
    )
}

async fn reads_follow_the_readers_rights(db: Db) {
    let app = App::new(
        db.clone(),
        Time::fixed("2024-03-01T02:00:00Z".parse().unwrap()),
    );
    let op = Actor::Operator("测试".into());
    gongkai_app::imports::demo(&App::new(db.clone(), Time::system()), &op)
        .await
        .unwrap();
    let bureau = gongkai_app::organs::find(&app, gongkai_import::demo::BUREAU_CODE)
        .await
        .unwrap();
    let school = gongkai_app::organs::find(&app, "12640181MB1912101A")
        .await
        .unwrap();
    let supervisor = account(&app, "督查员", Role::Supervisor, bureau.id).await;
    let school_handler = account(&app, "四小承办人", Role::Handler, school.id).await;
    let new = NewApplication {
        organ_id: bureau.id,
        channel: Channel::InPerson,
        submitted_on: "2024-02-29".parse().unwrap(),
        received_on: "2024-02-29".parse().unwrap(),
        applicant: Applicant {
            kind: ApplicantType::NaturalPerson,
            name: "张三丰".into(),
            id_document: "110101199003074514".into(),
            contact: "13900000000".into(),
            address: ADDRESS.into(),
        },
        description: "2024年招生计划".into(),
        form: String::new(),
    };
    let id = gongkai_app::applications::register(&app, &op, new)
        .await
        .unwrap()
        .value
        .record
        .id;

    // The operator handles every case: the applicant in full, the query code.
    let full = gongkai_app::cases::case_file(&app, &op, id, None)
        .await
        .unwrap();
    assert!(full.can_handle);
    assert_eq!(full.case.applicant.address, ADDRESS);
    assert!(full.query_code.is_some());

    // The applicant's key is the query code, however typed: trimmed and in any case; an empty
    // or unknown code finds nothing.
    let code = full.query_code.clone().unwrap();
    let typed = format!("  {}\t", code.to_lowercase());
    let by_code = gongkai_app::applications::by_code(&app, &typed)
        .await
        .unwrap()
        .expect("found by its code as typed");
    assert_eq!(by_code.id, id);
    for nothing in ["", "   ", "ZZZZZZZZZZZZ"] {
        assert!(
            gongkai_app::applications::by_code(&app, nothing)
                .await
                .unwrap()
                .is_none(),
            "{nothing:?} found a case"
        );
    }

    // A supervisor of the bureau reads the case, masked, without its query code.
    let masked = gongkai_app::cases::case_file(&app, &supervisor, id, None)
        .await
        .unwrap();
    assert!(!masked.can_handle);
    assert_ne!(masked.case.applicant.address, ADDRESS);
    assert_ne!(masked.case.applicant.id_document, "110101199003074514");
    assert!(masked.query_code.is_none());
    let desk = gongkai_app::cases::desk(&app, &supervisor, bureau.id, 1, 30)
        .await
        .unwrap();
    assert!(desk.open.iter().any(|s| s.record.id == id));

    // A school's handler reads none of the bureau's cases.
    assert!(matches!(
        gongkai_app::cases::case_file(&app, &school_handler, id, None).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        gongkai_app::cases::desk(&app, &school_handler, bureau.id, 1, 30).await,
        Err(Error::Forbidden)
    ));
    let theirs = gongkai_app::cases::list(&app, &school_handler, None, None)
        .await
        .unwrap();
    assert!(theirs.iter().all(|r| r.organ_id == school.id));
    assert!(
        gongkai_app::cases::list(&app, &op, None, None)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == id)
    );

    // Supervision needs the right to audit; the accounts list, to administer.
    assert!(matches!(
        gongkai_app::supervision::overview(&app, &school_handler).await,
        Err(Error::Forbidden)
    ));
    let overview = gongkai_app::supervision::overview(&app, &supervisor)
        .await
        .unwrap();
    assert!(overview.lines.iter().any(|l| l.organ.id == bureau.id));
    assert!(matches!(
        gongkai_app::accounts::visible(&app, &school_handler).await,
        Err(Error::Forbidden)
    ));
    let all = gongkai_app::accounts::visible(&app, &op).await.unwrap();
    assert!(
        all.iter()
            .any(|a| a.user.username == "四小承办人" && a.manageable)
    );
}

both!(reads_follow_the_readers_rights);
