//! The back office as officers and supervisors use it (issue 17): the reviewer's page and the
//! 退回 reason, flash messages, list filters and paging, picking an interpretation by title, the
//! letter page with the writer's contact, roles over several organs, the supervision page,
//! password reset with a forced change, idle sessions. Included by `web.rs` (its helpers).

use super::*;

async fn in_review_item(w: &World, title: &str) -> i64 {
    insert_item(&w.t.db, w.organ, title, ItemStatus::InReview, None).await
}

#[tokio::test]
async fn the_reviewer_sees_every_field_and_a_return_needs_a_reason_the_author_reads() {
    let w = world().await;
    let id = in_review_item(&w, "关于教师培训的通知").await;
    let (rc, rcsrf) = login(&w.app, "reviewer").await;
    let page = get(&w.app, &format!("/admin/items/{id}"), &rc).await;
    assert_eq!(page.status, StatusCode::OK);
    for label in [
        "主题分类",
        "文号",
        "灵教发〔2025〕1号",
        "成文日期",
        "2025-01-06",
        "文件类型",
        "规范性文件",
        "发布机构",
        "所属机关",
        "附件",
        "正文",
        "关于教师培训的通知的概述",
    ] {
        assert!(page.body.contains(label), "review page shows {label}");
    }
    // No reason: refused beside the box, nothing changed.
    let path = format!("/admin/items/{id}/transition");
    let r = post(
        &w.app,
        &path,
        &rc,
        &[("csrf", &rcsrf), ("action", "return"), ("reason", "  ")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("请填写退回理由") && r.body.contains("id=\"reason-error\""));
    assert_eq!(
        w.t.db.item(id).await.unwrap().unwrap().status,
        ItemStatus::InReview
    );
    let reason = "文号有误，应为灵教发〔2025〕2号";
    let r = post(
        &w.app,
        &path,
        &rc,
        &[("csrf", &rcsrf), ("action", "return"), ("reason", reason)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        get(&w.app, &format!("/admin/items/{id}"), &rc)
            .await
            .body
            .contains("已退回修改")
    );
    // The author reads it on the item and in the list; the audit row keeps it.
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let mine = get(&w.app, &format!("/admin/items/{id}"), &ec).await;
    assert!(mine.body.contains("id=\"return-reason\"") && mine.body.contains(reason));
    let list = get(&w.app, "/admin/items?status=draft", &ec).await;
    assert!(list.body.contains(reason) && list.body.contains("已退回"));
    let audit = w.t.db.audit_entries(Some(w.organ), 5).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "return"
            && e.after_json.as_deref().unwrap_or("").contains(reason)),
        "{audit:?}"
    );
    // Submitted again, the reason is answered and no longer shown.
    let r = post(
        &w.app,
        &path,
        &ec,
        &[("csrf", &ecsrf), ("action", "submit")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(w.t.db.item_return_reason(id).await.unwrap().is_none());
    let page = get(&w.app, &format!("/admin/items/{id}"), &ec).await;
    assert!(page.body.contains("已提交审核") && !page.body.contains(reason));
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_flash_message_follows_a_save_once_and_only_on_that_session() {
    let w = world().await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let cats = w.t.db.categories(w.organ).await.unwrap();
    let r = post(
        &w.app,
        "/admin/items",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &w.organ.to_string()),
            ("title", "2025年招生工作方案"),
            ("category", &cats[0].id.to_string()),
            ("written_on", "2025-03-03"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Another session of another person sees nothing.
    let (oc, _) = login(&w.app, "oadmin").await;
    assert!(
        !get(&w.app, &r.location, &oc)
            .await
            .body
            .contains("id=\"flash\"")
    );
    let first = get(&w.app, &r.location, &ec).await;
    assert!(
        first.body.contains("id=\"flash\"") && first.body.contains("已保存为草稿"),
        "{}",
        first.body
    );
    let again = get(&w.app, &r.location, &ec).await;
    assert!(!again.body.contains("id=\"flash\""), "shown once");
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_items_list_filters_by_status_category_unit_and_year_and_is_paged() {
    let w = world().await;
    let db = &w.t.db;
    for i in 0..55 {
        insert_item(
            db,
            w.organ,
            &format!("已发布文件{i:02}"),
            ItemStatus::Published,
            Some(NaiveDate::from_ymd_opt(2024, 5, 6).unwrap()),
        )
        .await;
    }
    let draft = insert_item(db, w.organ, "一份草稿", ItemStatus::Draft, None).await;
    let (ec, _) = login(&w.app, "editor").await;
    let all = get(&w.app, "/admin/items", &ec).await;
    assert!(all.body.contains("共 56 条，第 1/2 页") && all.body.contains("rel=\"next\""));
    let second = get(&w.app, "/admin/items?page=2", &ec).await;
    assert_eq!(second.body.matches("<tr><td class=\"nowrap\">").count(), 6);
    let drafts = get(&w.app, "/admin/items?status=draft", &ec).await;
    assert!(drafts.body.contains("一份草稿") && !drafts.body.contains("已发布文件"));
    assert!(drafts.body.contains(&format!("/admin/items/{draft}")));
    let y2024 = get(&w.app, "/admin/items?year=2024", &ec).await;
    assert!(y2024.body.contains("共 55 条") && !y2024.body.contains("一份草稿"));
    let none = get(
        &w.app,
        &format!("/admin/items?unit={}", enc("别的机构")),
        &ec,
    )
    .await;
    assert!(none.body.contains("没有符合筛选条件的信息"));
    let cats = db.categories(w.organ).await.unwrap();
    // A leaf category other than the items' own: it cannot contain them.
    let other_cat = cats
        .iter()
        .find(|c| c.id != cats[0].id && !cats.iter().any(|x| x.parent_id == Some(c.id)))
        .unwrap()
        .id;
    let by_cat = get(&w.app, &format!("/admin/items?category={other_cat}"), &ec).await;
    assert!(by_cat.body.contains("没有符合筛选条件的信息"));
    let by_title = get(&w.app, &format!("/admin/items?q={}", enc("文件07")), &ec).await;
    assert!(by_title.body.contains("共 1 条") && by_title.body.contains("已发布文件07"));
    // The 工作台's tiles open the list filtered.
    let dash = get(&w.app, "/admin", &ec).await;
    assert!(dash.body.contains("/admin/items?status=draft"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn an_interpretation_is_picked_by_searching_its_title() {
    let w = world().await;
    let policy = insert_item(
        &w.t.db,
        w.organ,
        "学生资助管理办法",
        ItemStatus::Draft,
        None,
    )
    .await;
    let interp = insert_item(
        &w.t.db,
        w.organ,
        "《学生资助管理办法》政策解读",
        ItemStatus::Draft,
        None,
    )
    .await;
    let elsewhere = insert_item(
        &w.t.db,
        w.other_organ,
        "另一机关的解读",
        ItemStatus::Draft,
        None,
    )
    .await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let found = get(
        &w.app,
        &format!("/admin/items/{policy}?find={}", enc("解读")),
        &ec,
    )
    .await;
    assert!(found.body.contains("id=\"interp-candidates\""));
    assert!(found.body.contains("《学生资助管理办法》政策解读"));
    assert!(!found.body.contains("另一机关的解读"));
    let r = post(
        &w.app,
        &format!("/admin/items/{policy}/link"),
        &ec,
        &[("csrf", &ecsrf), ("interpretation", &interp.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.t.db.interpretations_of(policy).await.unwrap(),
        vec![interp]
    );
    // Another organ's item cannot be linked by number.
    let r = post(
        &w.app,
        &format!("/admin/items/{policy}/link"),
        &ec,
        &[("csrf", &ecsrf), ("interpretation", &elsewhere.to_string())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_letter_page_shows_the_writer_to_handlers_only_and_the_list_is_paged() {
    let w = world().await;
    let db = &w.t.db;
    let channel = db.letter_channels().await.unwrap()[0].id;
    let mut last = 0;
    for i in 0..32 {
        last = db
            .insert_portal_letter(
                w.organ,
                channel,
                NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
                &format!("建议{i:02}"),
                "建议内容",
                "李四",
                "13800002222",
                &format!("CODE{i:08}"),
            )
            .await
            .unwrap();
    }
    let (hc, _) = login(&w.app, "handler").await;
    let list = get(&w.app, "/admin/letters?open=1", &hc).await;
    assert!(list.body.contains("共 32 条，第 1/2 页"), "{}", list.body);
    assert!(!list.body.contains("13800002222"));
    let page = get(&w.app, &format!("/admin/letters/{last}"), &hc).await;
    assert!(page.body.contains("李四") && page.body.contains("13800002222"));
    // The supervisor reads the letter, not the writer's contact.
    let (sc, _) = login(&w.app, "super").await;
    let page = get(&w.app, &format!("/admin/letters/{last}"), &sc).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("13800002222") && !page.body.contains("李四"));
    // Another organ's staff: 403.
    let (oc, _) = login(&w.app, "other_editor").await;
    assert_eq!(
        get(&w.app, &format!("/admin/letters/{last}"), &oc)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_supervisor_over_several_organs_sees_them_all_and_edits_none() {
    supervisor_case(world().await).await;
}

#[tokio::test]
async fn a_supervisor_over_several_organs_sees_them_all_and_edits_none_on_postgres() {
    let Some(w) = postgres_world().await else {
        return;
    };
    supervisor_case(w).await;
}

async fn postgres_world() -> Option<World> {
    if std::env::var("GONGKAI_TEST_PG_URL").is_err() {
        return None;
    }
    Some(world_on(gongkai_store::Backend::Postgres).await)
}

async fn supervisor_case(w: World) {
    let db = &w.t.db;
    // A 政务公开办 supervisor of 灵武市教育局 (and its school), given 民政局 as well.
    add_user(db, "county", Role::Supervisor, Some(w.organ)).await;
    let county = db.user_by_name("county").await.unwrap().unwrap();
    let mut tx = db.begin().await.unwrap();
    tx.grant_organ(county.id, w.other_organ, Role::Supervisor)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let theirs = insert_item(db, w.other_organ, "民政局的草稿", ItemStatus::Draft, None).await;
    let (cc, ccsrf) = login(&w.app, "county").await;
    let page = get(&w.app, "/admin/supervision", &cc).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in [
        "灵武市教育局",
        "灵武市第一小学",
        "灵武市民政局",
        "2024年度报告",
        "逾期未发布",
    ] {
        assert!(page.body.contains(name), "supervision page shows {name}");
    }
    // Reads another organ's item, edits nothing.
    assert_eq!(
        get(&w.app, &format!("/admin/items/{theirs}"), &cc)
            .await
            .status,
        StatusCode::OK
    );
    for (path, fields) in [
        (
            format!("/admin/items/{theirs}"),
            vec![
                ("title", "改"),
                ("category", "1"),
                ("written_on", "2025-01-01"),
            ],
        ),
        (
            format!("/admin/items/{theirs}/transition"),
            vec![("action", "submit")],
        ),
    ] {
        let mut f = vec![("csrf", ccsrf.as_str())];
        f.extend(fields);
        assert_eq!(
            post(&w.app, &path, &cc, &f).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let xlsx = get(&w.app, "/admin/supervision.xlsx", &cc).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));
    // An editor of one organ has no supervision page; the other organ's editor sees none of ours.
    let (ec, _) = login(&w.app, "editor").await;
    assert_eq!(
        get(&w.app, "/admin/supervision", &ec).await.status,
        StatusCode::FORBIDDEN
    );
    // Taking the grant away takes the organ away.
    let mut tx = db.begin().await.unwrap();
    assert!(tx.revoke_organ(county.id, w.other_organ).await.unwrap());
    tx.commit().await.unwrap();
    let page = get(&w.app, "/admin/supervision", &cc).await;
    assert!(!page.body.contains("灵武市民政局"));
    assert_eq!(
        get(&w.app, &format!("/admin/items/{theirs}"), &cc)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn an_administrator_grants_roles_over_other_organs_within_their_own_scope() {
    let w = world().await;
    let db = &w.t.db;
    let editor = db.user_by_name("editor").await.unwrap().unwrap();
    let (oc, ocsrf) = login(&w.app, "oadmin").await;
    // Over the school (a unit of the admin's organ): allowed.
    let r = post(
        &w.app,
        &format!("/admin/users/{}/grants", editor.id),
        &oc,
        &[
            ("csrf", &ocsrf),
            ("organ", &w.unit.to_string()),
            ("role", "reviewer"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        db.user_grants(editor.id)
            .await
            .unwrap()
            .iter()
            .any(|g| g.organ_id == w.unit && g.role == Role::Reviewer)
    );
    // Over another organ: 403.
    let r = post(
        &w.app,
        &format!("/admin/users/{}/grants", editor.id),
        &oc,
        &[
            ("csrf", &ocsrf),
            ("organ", &w.other_organ.to_string()),
            ("role", "editor"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The editor may now review the school's items, and still not their own organ's.
    let school = insert_item(db, w.unit, "学校的通知", ItemStatus::InReview, None).await;
    let own = in_review_item(&w, "局里的通知").await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &format!("/admin/items/{school}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(
        &w.app,
        &format!("/admin/items/{own}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Revoked, gone.
    let r = post(
        &w.app,
        &format!("/admin/users/{}/grants/{}/revoke", editor.id, w.unit),
        &oc,
        &[("csrf", &ocsrf)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(db.user_grants(editor.id).await.unwrap().len(), 1);
    w.t.cleanup().await;
}

#[tokio::test]
async fn a_password_reset_by_an_administrator_must_be_changed_at_the_next_login() {
    let w = world().await;
    let db = &w.t.db;
    let editor = db.user_by_name("editor").await.unwrap().unwrap();
    let (old_session, _) = login(&w.app, "editor").await;
    let (oc, ocsrf) = login(&w.app, "oadmin").await;
    let temp = "Temporary-Pass-77";
    let r = post(
        &w.app,
        &format!("/admin/users/{}/password", editor.id),
        &oc,
        &[("csrf", &ocsrf), ("password", temp)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The old session ended.
    assert_eq!(
        get(&w.app, "/admin", &old_session).await.status,
        StatusCode::SEE_OTHER
    );
    // The editor cannot reset someone else's password.
    let r = try_login(&w.app, "editor", temp).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let ec = cookie_pair(&r.cookies, "gk_session").unwrap();
    let dash = get(&w.app, "/admin", &ec).await;
    assert_eq!(dash.status, StatusCode::SEE_OTHER);
    assert_eq!(dash.location, "/admin/password");
    let items = get(&w.app, "/admin/items", &ec).await;
    assert_eq!(items.location, "/admin/password");
    let form = get(&w.app, "/admin/password", &ec).await;
    assert!(form.body.contains("id=\"must-change\""));
    let csrf = csrf_of(&form.body);
    let bad = post(
        &w.app,
        "/admin/password",
        &ec,
        &[
            ("csrf", &csrf),
            ("current", "wrong"),
            ("password", "Qiuyue-Lanhe-2025"),
            ("confirm", "Qiuyue-Lanhe-2025"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("当前密码不正确"));
    let ok = post(
        &w.app,
        "/admin/password",
        &ec,
        &[
            ("csrf", &csrf),
            ("current", temp),
            ("password", "Qiuyue-Lanhe-2025"),
            ("confirm", "Qiuyue-Lanhe-2025"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The login page says why the officer is there again.
    let login_page = get(&w.app, &ok.location, "").await;
    assert!(
        login_page.body.contains("密码已修改，请用新密码登录"),
        "{}",
        ok.location
    );
    let r = try_login(&w.app, "editor", "Qiuyue-Lanhe-2025").await;
    let ec = cookie_pair(&r.cookies, "gk_session").unwrap();
    assert_eq!(get(&w.app, "/admin", &ec).await.status, StatusCode::OK);
    w.t.cleanup().await;
}

#[tokio::test]
async fn an_idle_session_ends_before_its_absolute_expiry() {
    let w = world().await;
    let db = &w.t.db;
    let editor = db.user_by_name("editor").await.unwrap().unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap();
    let idle = gongkai_web::auth::SESSION_IDLE_MINUTES;
    for (token, last) in [("idle-token", idle + 5), ("busy-token", idle - 5)] {
        db.create_session(
            &gongkai_web::auth::sha256_hex(token),
            editor.id,
            "csrf",
            now - chrono::Duration::minutes(last),
            now + chrono::Duration::hours(4),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        get(&w.app, "/admin", "gk_session=idle-token").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(&w.app, "/admin", "gk_session=busy-token").await.status,
        StatusCode::OK
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn each_forbidden_office_url_answers_403() {
    let w = world().await;
    let other_item = insert_item(
        &w.t.db,
        w.other_organ,
        "民政局文件",
        ItemStatus::InReview,
        None,
    )
    .await;
    let own = in_review_item(&w, "本局文件").await;
    let editor = w.t.db.user_by_name("editor").await.unwrap().unwrap();
    let cases: &[(&str, &[(&str, String)])] = &[
        (
            "editor",
            &[
                ("GET", "/admin/supervision".into()),
                ("GET", "/admin/supervision.xlsx".into()),
                ("GET", format!("/admin/items/{other_item}")),
                ("POST", format!("/admin/items/{own}/transition?return")),
                ("POST", format!("/admin/users/{}/password", editor.id)),
            ],
        ),
        (
            "handler",
            &[
                ("GET", "/admin/supervision".into()),
                ("POST", format!("/admin/users/{}/grants", editor.id)),
            ],
        ),
        (
            "reviewer",
            &[
                ("GET", "/admin/supervision".into()),
                ("POST", format!("/admin/items/{own}?edit")),
            ],
        ),
        (
            "super",
            &[
                ("POST", format!("/admin/items/{own}/transition?publish")),
                ("POST", format!("/admin/users/{}/password", editor.id)),
                ("GET", format!("/admin/items/{other_item}")),
            ],
        ),
    ];
    for (who, urls) in cases {
        let (c, csrf) = login(&w.app, who).await;
        for (method, url) in urls.iter() {
            let (path, what) = url.split_once('?').unwrap_or((url.as_str(), ""));
            let status = if *method == "GET" {
                get(&w.app, path, &c).await.status
            } else {
                let mut f = vec![("csrf", csrf.as_str())];
                match what {
                    "return" => f.extend([("action", "return"), ("reason", "x")]),
                    "publish" => f.extend([("action", "publish")]),
                    "edit" => f.extend([
                        ("title", "x"),
                        ("category", "1"),
                        ("written_on", "2025-01-01"),
                    ]),
                    _ => f.extend([
                        ("password", "Another-Pass-123"),
                        ("organ", "1"),
                        ("role", "editor"),
                    ]),
                }
                post(&w.app, path, &c, &f).await.status
            };
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} {method} {url}");
        }
    }
    w.t.cleanup().await;
}
