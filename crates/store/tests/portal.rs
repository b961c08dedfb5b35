//! The portal's tables (migration 0003) on both backends: accounts and sessions, throttling, API
//! tokens, the audit log, guide settings, item bodies and interpretation links, 公示, report
//! drafts and frozen published versions, and letters from the portal.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use gongkai_domain::records::{
    CatalogueSeed, DocKind, ItemStatus, NewCatalogueItem, NewOrgan, Validity, ValidityChange,
};
use gongkai_domain::report::OrganKind;
use gongkai_store::users::{NewAudit, Role, Throttle};
use gongkai_store::{Db, for_each_backend};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn organ(db: &Db, code: &str) -> i64 {
    db.create_organ(
        &NewOrgan {
            code: code.into(),
            name: format!("机关{code}"),
            short_name: String::new(),
            kind: OrganKind::Department,
            parent_id: None,
            index_pattern: "{code}/{year}-{seq:05}".into(),
        },
        Some(&CatalogueSeed::education()),
    )
    .await
    .unwrap()
    .id
}

async fn item(db: &Db, organ: i64, title: &str) -> i64 {
    let cat = db.categories(organ).await.unwrap()[0].id;
    db.insert_item(&NewCatalogueItem {
        organ_id: organ,
        title: title.into(),
        summary: String::new(),
        category_id: cat,
        issuing_unit: String::new(),
        written_on: Some(d(2025, 1, 6)),
        published_on: None,
        doc_number: String::new(),
        doc_kind: DocKind::Other,
        status: ItemStatus::Draft,
        validity: vec![],
    })
    .await
    .unwrap()
    .id
}

async fn accounts_sessions_and_throttling(db: Db) {
    let now = Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap();
    let o = organ(&db, "A1").await;
    let u = db
        .create_user(
            "editor",
            "编辑甲",
            "$argon2id$fake",
            Role::Editor,
            Some(o),
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        (u.role, u.organ_id, u.active),
        (Role::Editor, Some(o), true)
    );
    // Names are unique; a system administrator has no organ, everyone else has one.
    assert!(
        db.create_user("editor", "x", "h", Role::Editor, Some(o), now)
            .await
            .is_err()
    );
    assert!(
        db.create_user("root", "x", "h", Role::SysAdmin, Some(o), now)
            .await
            .is_err()
    );
    assert!(
        db.create_user("nobody", "x", "h", Role::Reviewer, None, now)
            .await
            .is_err()
    );
    assert!(
        db.create_user("has space", "x", "h", Role::Reviewer, Some(o), now)
            .await
            .is_err()
    );
    let (found, hash) = db.user_for_login("editor").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (u.id, "$argon2id$fake"));

    db.create_session("h1", u.id, "csrf1", now, now + Duration::hours(8))
        .await
        .unwrap();
    let s = db
        .session("h1", now + Duration::hours(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((s.user.id, s.csrf_token.as_str()), (u.id, "csrf1"));
    assert!(
        db.session("h1", now + Duration::hours(9))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(db.session("other", now).await.unwrap().is_none());
    // Deactivating the account ends its sessions; so does a new password.
    db.set_user_role(u.id, Role::Editor, Some(o), false)
        .await
        .unwrap();
    assert!(db.session("h1", now).await.unwrap().is_none());
    db.set_user_role(u.id, Role::Editor, Some(o), true)
        .await
        .unwrap();
    db.create_session("h2", u.id, "csrf2", now, now + Duration::hours(8))
        .await
        .unwrap();
    db.set_user_password(u.id, "$argon2id$new").await.unwrap();
    assert!(db.session("h2", now).await.unwrap().is_none());
    db.create_session("h3", u.id, "c", now, now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        db.delete_expired_sessions(now + Duration::hours(2))
            .await
            .unwrap(),
        1
    );

    assert!(db.throttle("user:editor").await.unwrap().is_none());
    let t = Throttle {
        failures: 5,
        first_failure_at: now,
        locked_until: Some(now + Duration::minutes(15)),
    };
    db.set_throttle("user:editor", &t).await.unwrap();
    assert_eq!(db.throttle("user:editor").await.unwrap(), Some(t));
    db.clear_throttle("user:editor").await.unwrap();
    assert!(db.throttle("user:editor").await.unwrap().is_none());

    db.create_api_token("tokhash", u.id, "对接", now)
        .await
        .unwrap();
    assert_eq!(
        db.api_token_user("tokhash")
            .await
            .unwrap()
            .map(|u| u.username),
        Some("editor".to_string())
    );
    assert!(db.api_token_user("nope").await.unwrap().is_none());

    for i in 0..3 {
        db.audit(
            &NewAudit {
                user_id: Some(u.id),
                username: "editor",
                organ_id: Some(o),
                action: "update",
                entity: "catalogue_item",
                entity_id: i.to_string(),
                before: Some(serde_json::json!({"title": "旧"})),
                after: Some(serde_json::json!({"title": "新"})),
            },
            now + Duration::seconds(i),
        )
        .await
        .unwrap();
    }
    let log = db.audit_entries(Some(o), 2).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(),
        vec!["2", "1"],
        "newest first"
    );
    assert!(log[0].before_json.as_deref().unwrap().contains("旧"));
    assert!(
        db.audit_entries(Some(o + 1000), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn portal_records(db: Db) {
    let now = Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap();
    let o = organ(&db, "B1").await;
    let other = organ(&db, "B2").await;
    assert_eq!(db.organ_settings(o).await.unwrap(), Default::default());
    let s = gongkai_store::portal::OrganSettings {
        office_name: "办公室".into(),
        phone: "0951-1".into(),
        ..Default::default()
    };
    db.set_organ_settings(o, &s).await.unwrap();
    db.set_organ_settings(o, &s).await.unwrap();
    assert_eq!(db.organ_settings(o).await.unwrap(), s);

    let policy = item(&db, o, "政策").await;
    let interp = item(&db, o, "解读").await;
    let foreign = item(&db, other, "他机关").await;
    db.set_item_body(policy, "正文一").await.unwrap();
    db.set_item_body(policy, "正文二").await.unwrap();
    assert_eq!(db.item_body(policy).await.unwrap(), "正文二");
    db.link_interpretation(policy, interp).await.unwrap();
    db.link_interpretation(policy, interp).await.unwrap();
    assert_eq!(db.interpretations_of(policy).await.unwrap(), vec![interp]);
    assert_eq!(
        db.policies_interpreted_by(interp).await.unwrap(),
        vec![policy]
    );
    assert!(db.link_interpretation(policy, policy).await.is_err());
    assert!(db.link_interpretation(policy, foreign).await.is_err());
    let cat = db.categories(o).await.unwrap()[1].id;
    db.write(async |tx| {
        tx.update_draft_item(
            policy,
            "政策（修改）",
            "概述",
            cat,
            "办公室",
            Some(d(2025, 1, 7)),
            "文1号",
        )
        .await
    })
    .await
    .unwrap();
    assert_eq!(
        db.item(policy).await.unwrap().unwrap().title,
        "政策（修改）"
    );
    db.set_item_status(policy, ItemStatus::Published, Some(d(2025, 1, 8)))
        .await
        .unwrap();
    assert!(
        db.write(async |tx| tx.update_draft_item(policy, "x", "", 1, "", None, "").await)
            .await
            .is_err(),
        "published items are not edited"
    );

    let att = db
        .add_attachment(policy, "附件.pdf", "application/pdf", b"%PDF-1.4")
        .await
        .unwrap();
    assert_eq!(db.attachments(policy).await.unwrap().len(), 1);
    assert_eq!(db.attachment(att).await.unwrap().unwrap().1, b"%PDF-1.4");

    // The item page in one statement: a draft is not public; a published item comes with its
    // organ, tree, body, attachments, validity, and published interpretations only.
    assert!(db.item_page(interp).await.unwrap().is_none(), "a draft");
    assert!(db.item_page(i64::MAX).await.unwrap().is_none());
    db.add_validity_change(
        policy,
        &ValidityChange {
            changed_on: d(2025, 2, 1),
            validity: Validity::Amended,
            note: "修订".into(),
        },
    )
    .await
    .unwrap();
    let page = db.item_page(policy).await.unwrap().unwrap();
    assert_eq!(page.item, db.item(policy).await.unwrap().unwrap());
    assert_eq!(page.item.validity.len(), 1);
    assert_eq!(page.organ, db.organ(o).await.unwrap().unwrap());
    assert_eq!(page.categories, db.categories(o).await.unwrap());
    assert_eq!(page.body, "正文二");
    assert_eq!(page.attachments, db.attachments(policy).await.unwrap());
    assert!(
        page.interpretations.is_empty(),
        "the interpretation is a draft"
    );
    db.set_item_status(interp, ItemStatus::Published, Some(d(2025, 1, 9)))
        .await
        .unwrap();
    let page = db.item_page(policy).await.unwrap().unwrap();
    assert_eq!(
        page.interpretations,
        vec![db.item(interp).await.unwrap().unwrap()]
    );
    assert!(page.policies.is_empty());
    let page = db.item_page(interp).await.unwrap().unwrap();
    assert_eq!(
        (
            page.interpretations.len(),
            page.policies[0].id,
            page.policies[0].validity.len()
        ),
        (0, policy, 1)
    );
    assert!(page.body.is_empty() && page.attachments.is_empty());

    assert!(
        db.insert_announcement(o, "公示", "", d(2025, 3, 9), d(2025, 3, 1), false)
            .await
            .is_err()
    );
    let a = db
        .insert_announcement(o, "公示", "内容", d(2025, 3, 1), d(2025, 3, 9), false)
        .await
        .unwrap();
    assert!(db.announcements(o, false).await.unwrap().is_empty());
    db.write(async |tx| tx.set_announcement_published(a, true).await)
        .await
        .unwrap();
    assert_eq!(
        db.announcements(o, false).await.unwrap()[0].ends_on,
        d(2025, 3, 9)
    );

    db.save_report_draft(o, 2024, "{\"v\":1}", now)
        .await
        .unwrap();
    db.save_report_draft(o, 2024, "{\"v\":2}", now)
        .await
        .unwrap();
    assert_eq!(
        db.report_draft(o, 2024).await.unwrap().unwrap().report_json,
        "{\"v\":2}"
    );
    let v1 = db
        .publish_report(o, 2024, "{}", "<p>1</p>", "", "甲", now)
        .await
        .unwrap();
    assert_eq!(v1.version, 1);
    let err = db
        .publish_report(o, 2024, "{}", "<p>2</p>", " ", "甲", now)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("更正原因"), "{err}");
    let v2 = db
        .publish_report(o, 2024, "{}", "<p>2</p>", "数字有误", "甲", now)
        .await
        .unwrap();
    assert_eq!((v2.version, v2.reason.as_str()), (2, "数字有误"));
    db.publish_report(o, 2023, "{}", "<p>23</p>", "", "甲", now)
        .await
        .unwrap();
    let all = db.published_reports(o).await.unwrap();
    assert_eq!(
        all.iter().map(|r| (r.year, r.version)).collect::<Vec<_>>(),
        vec![(2024, 1), (2024, 2), (2023, 1)]
    );
    assert_eq!(
        db.published_report(v1.id).await.unwrap().unwrap().html,
        "<p>1</p>",
        "version 1 is untouched"
    );

    let ch = db.letter_channels().await.unwrap()[0].id;
    let id = db
        .insert_portal_letter(
            o,
            ch,
            d(2025, 3, 10),
            "建议",
            "内容",
            "张三",
            "139",
            "CODE123",
        )
        .await
        .unwrap();
    assert!(
        db.portal_letters(o, false).await.unwrap().is_empty(),
        "not public before a public reply"
    );
    assert_eq!(db.portal_letters(o, true).await.unwrap().len(), 1);
    db.reply_letter(id, "答复", d(2025, 3, 11), true)
        .await
        .unwrap();
    let l = db.portal_letter_by_code("CODE123").await.unwrap().unwrap();
    assert_eq!(
        (l.reply.as_str(), l.replied_on),
        ("答复", Some(d(2025, 3, 11)))
    );
    assert_eq!(db.portal_letters(o, false).await.unwrap().len(), 1);
    // The letter counts among the organ's letters for the report.
    assert_eq!(
        db.letters(o, d(2025, 1, 1), d(2025, 12, 31))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn accounts_sessions_and_throttling_on_both_backends() {
    for_each_backend!(accounts_sessions_and_throttling);
}

#[tokio::test]
async fn portal_records_on_both_backends() {
    for_each_backend!(portal_records);
}
