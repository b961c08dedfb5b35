//! Daily use, walked again (issue 28): the letter form's protections, items under review and
//! their 有效性, the holiday calendar as rows, the archive, search, supervision, the statutory
//! columns, register paging, 双公示, error pages and deep links after login. Included by
//! `web.rs` (its helpers).

use super::*;

/// The query code shown on a receipt page.
fn query_code(html: &str) -> String {
    html.split("id=\"query-code\">")
        .nth(1)
        .expect("receipt shows a query code")
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_letter_form_shows_every_error_at_once_and_files_one_letter_per_form() {
    let w = world().await;
    let path = format!("/o/{}/letters", w.organ);
    let form = get(&w.app, &path, "").await;
    assert!(
        form.body.contains("15个工作日内答复"),
        "reply time on the form"
    );
    assert!(
        form.body.contains("novalidate"),
        "the browser does not stop at the first field"
    );
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let once = hidden(&form.body, "once");
    assert_eq!(once.len(), 64);
    // A required field empty AND a malformed contact AND no consent: all three at once.
    let bad = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("name", "张三"),
            ("contact", "abc"),
            ("subject", ""),
            ("body", "建议增加校车线路。"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("联系方式格式不正确"), "{}", bad.body);
    assert!(bad.body.contains("请填写标题"));
    assert!(bad.body.contains("请选择是否同意公开"));
    assert!(bad.body.contains("修改以下3处问题"));
    assert!(bad.body.contains("id=\"contact-error\"") && bad.body.contains("value=\"张三\""));
    assert!(
        w.t.db
            .portal_letters(w.organ, true)
            .await
            .unwrap()
            .is_empty()
    );
    // An e-mail address is a contact too; a malformed one is named as such.
    let bad = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("name", "张三"),
            ("contact", "zhang@"),
            ("subject", "校车"),
            ("body", "建议"),
            ("publish", "yes"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("电子邮箱格式不正确"));
    // Right: redirected to a GET receipt; sending the same form again files nothing new.
    let good = [
        ("csrf", token.as_str()),
        ("once", once.as_str()),
        ("name", "张三"),
        ("contact", "13900001111"),
        ("subject", "关于校车接送的建议"),
        ("body", "建议增加校车线路。"),
        ("publish", "no"),
    ];
    let r = post(&w.app, &path, &cookie, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.starts_with("/letters/receipt?code="));
    let again = post(&w.app, &path, &cookie, &good).await;
    assert_eq!(again.location, r.location, "the same form finds its letter");
    let letters = w.t.db.portal_letters(w.organ, true).await.unwrap();
    assert_eq!(letters.len(), 1, "one letter for one form");
    assert_eq!(
        letters[0].publish_consent, 0,
        "the writer's refusal is stored"
    );
    let receipt = get(&w.app, &r.location, &cookie).await;
    assert_eq!(receipt.status, StatusCode::OK);
    let code = query_code(&receipt.body);
    assert_eq!(code, letters[0].query_code);
    // Received Monday 10 March 2025: 15 working days later is Monday 31 March.
    assert!(
        receipt.body.contains("2025年3月31日前"),
        "reply date: {}",
        receipt.body
    );
    assert!(receipt.body.contains("您不同意公开"));
    // Reloading the receipt files nothing.
    get(&w.app, &r.location, &cookie).await;
    assert_eq!(w.t.db.portal_letters(w.organ, true).await.unwrap().len(), 1);
    // A new form (new token) with consent files a second letter, and the consent is kept.
    let form2 = get(&w.app, &path, &cookie).await;
    let once2 = hidden(&form2.body, "once");
    assert_ne!(once, once2);
    let r2 = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once2),
            ("name", "李四"),
            ("contact", "lisi@example.com"),
            ("subject", "关于课后服务的建议"),
            ("body", "建议延长课后服务。"),
            ("publish", "yes"),
        ],
    )
    .await;
    assert_eq!(r2.status, StatusCode::SEE_OTHER);
    let all = w.t.db.portal_letters(w.organ, true).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all.iter()
            .find(|l| l.subject == "关于课后服务的建议")
            .unwrap()
            .publish_consent,
        1
    );
    // The lookup by code never shows the writer's name or contact.
    let look = get(
        &w.app,
        &format!("/letters/lookup?code={}", code.to_lowercase()),
        "",
    )
    .await;
    assert!(look.body.contains("关于校车接送的建议") && look.body.contains("办理中"));
    assert!(!look.body.contains("13900001111") && !look.body.contains("张三"));
    // The office may publish the reply only where the writer agreed.
    let (hc, hcsrf) = login(&w.app, "handler").await;
    let refused = all.iter().find(|l| l.publish_consent == 0).unwrap();
    let r = post(
        &w.app,
        &format!("/admin/letters/{}/reply", refused.letter_id),
        &hc,
        &[("csrf", &hcsrf), ("reply", "已转交。"), ("public", "1")],
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert!(r.body.contains("来信人未同意公开"));
    let agreed = all.iter().find(|l| l.publish_consent == 1).unwrap();
    let r = post(
        &w.app,
        &format!("/admin/letters/{}/reply", agreed.letter_id),
        &hc,
        &[
            ("csrf", &hcsrf),
            ("reply", "已研究，将延长至18点。"),
            ("public", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = get(&w.app, &path, "").await;
    assert!(public.body.contains("将延长至18点") && !public.body.contains("lisi@example.com"));
    assert!(!public.body.contains("关于校车接送的建议"));
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let r = post(
        &w.app,
        &format!("/admin/letters/{}/reply", agreed.letter_id),
        &ec,
        &[("csrf", &ecsrf), ("reply", "x")],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the editor may not answer letters"
    );
    // A form without its one-time token is refused, not filed under a random code.
    let r = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("name", "王五"),
            ("contact", "13900003333"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_application_form_shows_format_errors_while_a_required_field_is_empty() {
    let w = world().await;
    let path = format!("/o/{}/apply", w.organ);
    let form = get(&w.app, &path, "").await;
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let once = hidden(&form.body, "once");
    let r = post(
        &w.app,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("applicant_type", "natural_person"),
            ("name", ""),
            ("id_kind", "resident_id"),
            ("id_number", "64010219800101001"),
            ("phone", "12345"),
            ("email", "x@"),
            ("description", ""),
            ("form", "电子文档"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in [
        "name-error",
        "id_number-error",
        "phone-error",
        "email-error",
        "description-error",
    ] {
        assert!(
            r.body.contains(&format!("id=\"{id}\"")),
            "{id} shown: {}",
            r.body
        );
    }
    w.t.cleanup().await;
}

/// The fields of an item's form, as the editor's browser would send them.
async fn item_fields(w: &World, id: i64, title: &str) -> Vec<(String, String)> {
    let it = w.t.db.item(id).await.unwrap().unwrap();
    vec![
        ("organ".into(), w.organ.to_string()),
        ("title".into(), title.into()),
        ("summary".into(), it.summary.clone()),
        ("body".into(), "正文".into()),
        ("category".into(), it.category_id.to_string()),
        ("issuing_unit".into(), it.issuing_unit.clone()),
        ("written_on".into(), "2025-01-06".into()),
        ("doc_number".into(), it.doc_number.clone()),
        ("doc_kind".into(), "normative".into()),
    ]
}

async fn post_owned(w: &World, path: &str, cookie: &str, fields: &[(String, String)]) -> Resp {
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(&w.app, path, cookie, &f).await
}

#[tokio::test]
async fn submitting_saves_the_edits_and_an_item_under_review_is_not_edited_in_place() {
    let w = world().await;
    let id = insert_item(
        &w.t.db,
        w.organ,
        "关于教师培训的通知",
        ItemStatus::Draft,
        None,
    )
    .await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let page = get(&w.app, &format!("/admin/items/{id}"), &ec).await;
    // One button saves and submits; no separate 提交审核 that would drop unsaved edits.
    assert!(page.body.contains("保存并提交审核"));
    assert!(!page.body.contains("name=\"action\" value=\"submit\""));
    let mut fields = item_fields(&w, id, "关于教师培训的通知（修改稿）").await;
    fields.push(("csrf".into(), ecsrf.clone()));
    fields.push(("then".into(), "submit".into()));
    let r = post_owned(&w, &format!("/admin/items/{id}"), &ec, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let it = w.t.db.item(id).await.unwrap().unwrap();
    assert_eq!(
        it.title, "关于教师培训的通知（修改稿）",
        "the edits were saved"
    );
    assert_eq!(it.status, ItemStatus::InReview, "and submitted");
    // Under review: the page offers no form, and a form sent anyway changes nothing.
    let page = get(&w.app, &format!("/admin/items/{id}"), &ec).await;
    assert!(page.body.contains("id=\"review-lock\"") && !page.body.contains("id=\"save-submit\""));
    let mut fields = item_fields(&w, id, "审核员没看过的标题").await;
    fields.push(("csrf".into(), ecsrf.clone()));
    let r = post_owned(&w, &format!("/admin/items/{id}"), &ec, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("撤回审核"));
    assert_eq!(
        w.t.db.item(id).await.unwrap().unwrap().title,
        "关于教师培训的通知（修改稿）"
    );
    // The author takes it back, and may edit it again.
    let r = post(
        &w.app,
        &format!("/admin/items/{id}/transition"),
        &ec,
        &[("csrf", &ecsrf), ("action", "recall")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        w.t.db.item(id).await.unwrap().unwrap().status,
        ItemStatus::Draft
    );
    let r = post_owned(&w, &format!("/admin/items/{id}"), &ec, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.t.db.item(id).await.unwrap().unwrap().title,
        "审核员没看过的标题"
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn validity_is_set_in_the_back_office_and_shown_to_the_reviewer_and_the_public() {
    let w = world().await;
    let published = insert_item(
        &w.t.db,
        w.organ,
        "灵武市教育局关于规范民办学校收费的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let path = format!("/admin/items/{published}/validity");
    // Every error at once: no date, a note too long.
    let r = post(
        &w.app,
        &path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("validity", "repealed"),
            ("changed_on", ""),
            ("note", &"长".repeat(201)),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请填写有效性变更的日期") && r.body.contains("说明不能超过200字"));
    // A date in the future is refused.
    let r = post(
        &w.app,
        &path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("validity", "repealed"),
            ("changed_on", "2025-04-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &w.app,
        &path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("validity", "repealed"),
            ("changed_on", "2025-03-01"),
            ("note", "灵教发〔2025〕9号废止"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let it = w.t.db.item(published).await.unwrap().unwrap();
    assert_eq!(it.validity.len(), 1);
    let public = get(&w.app, &format!("/items/{published}"), "").await;
    assert!(
        public.body.contains("废止（2025-03-01起）"),
        "the portal shows the repeal: {}",
        public.body
    );
    // The reviewer sees 有效性 among the fields of an item under review.
    let review = insert_item(
        &w.t.db,
        w.organ,
        "关于暑期安全的通知",
        ItemStatus::InReview,
        None,
    )
    .await;
    let (rc, _) = login(&w.app, "reviewer").await;
    let page = get(&w.app, &format!("/admin/items/{review}"), &rc).await;
    assert!(
        page.body.contains("id=\"item-validity\">有效"),
        "{}",
        page.body
    );
    // …and the editor cannot change it while under review.
    let r = post(
        &w.app,
        &format!("/admin/items/{review}/validity"),
        &ec,
        &[
            ("csrf", &ecsrf),
            ("validity", "expired"),
            ("changed_on", "2025-03-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    w.t.cleanup().await;
}

#[tokio::test]
async fn error_pages_carry_the_site_header_and_the_login_returns_to_the_page_asked() {
    let w = world().await;
    let nf = get(&w.app, "/no/such/page", "").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert!(nf.body.contains("<header class=\"site\">") && nf.body.contains("href=\"/search\""));
    assert!(nf.body.contains("页面不存在"));
    // A page behind the login remembers itself.
    let asked = format!("/admin/items?organ={}&status=in_review", w.organ);
    let r = get(&w.app, &asked, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, format!("/login?next={}", enc(&asked)));
    let form = get(&w.app, &r.location, "").await;
    assert!(form.body.contains(&format!(
        "name=\"next\" value=\"{}\"",
        asked.replace('&', "&#38;")
    )));
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let login = |next: String| {
        let (cookie, token) = (cookie.clone(), token.clone());
        let app = w.app.clone();
        async move {
            post(
                &app,
                "/login",
                &cookie,
                &[
                    ("csrf", &token),
                    ("username", "editor"),
                    ("password", PASSWORD),
                    ("next", &next),
                ],
            )
            .await
        }
    };
    assert_eq!(login(asked.clone()).await.location, asked);
    // Only local paths: another host, or the login itself, lands on the 工作台.
    for bad in [
        "//evil.example/admin",
        "https://evil.example/",
        "/\\evil.example",
        "/login?next=/x",
    ] {
        assert_eq!(login(bad.to_string()).await.location, "/admin", "{bad}");
    }
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_item_page_puts_the_title_before_its_facts() {
    let w = world().await;
    let id = insert_item(
        &w.t.db,
        w.organ,
        "关于做好2025年春季学期开学工作的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 1, 8),
    )
    .await;
    let page = get(&w.app, &format!("/items/{id}"), "").await;
    let title = page
        .body
        .find("<h1>关于做好2025年春季学期开学工作的通知")
        .unwrap();
    let facts = page.body.find("class=\"meta-table\"").unwrap();
    assert!(title < facts, "a phone reads the title first");
    w.t.cleanup().await;
}

#[tokio::test]
async fn next_years_holidays_are_entered_as_rows_prefilled_from_the_last_year() {
    let w = world().await;
    let (oc, ocsrf) = login(&w.app, "oadmin").await;
    let page = get(&w.app, "/admin/calendar", &oc).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("name=\"name_0\""),
        "only the system administrator enters years"
    );
    let r = post(
        &w.app,
        "/admin/calendar",
        &oc,
        &[("csrf", &ocsrf), ("year", "2027")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (sc, scsrf) = login(&w.app, "sys").await;
    let page = get(&w.app, "/admin/calendar", &sc).await;
    // The year after the last loaded one, its holidays named as last year, last year's dates
    // beside each row; no text box of file syntax, no source path.
    assert!(page.body.contains("录入2027年节假日安排"), "{}", page.body);
    assert!(page.body.contains("name=\"name_1\" value=\"春节\""));
    assert!(
        page.body
            .contains("2026年：2026-02-15至02-23，调休上班 02-14、02-28")
    );
    assert!(page.body.contains("type=\"date\""));
    assert!(!page.body.contains("data/calendar") && !page.body.contains("<textarea"));
    // Errors stand beside their rows; what was typed is kept.
    let bad = post(
        &w.app,
        "/admin/calendar",
        &sc,
        &[
            ("csrf", &scsrf),
            ("year", "2027"),
            (
                "source",
                "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）",
            ),
            ("name_0", "元旦"),
            ("from_0", "2027-01-01"),
            ("to_0", "2027-01-03"),
            ("name_1", "春节"),
            ("from_1", "2027-02-12"),
            ("to_1", "2027-02-06"),
            ("w_1_0", "2027-02-08"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let row1 = section(&bad.body, "id=\"row-1\"", "</fieldset>");
    assert!(
        row1.contains("晚于末日") && row1.contains("本来就是工作日"),
        "{row1}"
    );
    assert!(!section(&bad.body, "id=\"row-0\"", "</fieldset>").contains("field-error"));
    assert!(
        bad.body.contains("value=\"2027-02-12\""),
        "the typed date is kept"
    );
    assert!(w.t.db.calendar().await.unwrap().year(2027).is_none());
    let ok = post(
        &w.app,
        "/admin/calendar",
        &sc,
        &[
            ("csrf", &scsrf),
            ("year", "2027"),
            (
                "source",
                "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）",
            ),
            ("name_0", "元旦"),
            ("from_0", "2027-01-01"),
            ("to_0", "2027-01-03"),
            ("name_1", "春节"),
            ("from_1", "2027-02-05"),
            ("to_1", "2027-02-13"),
            ("w_1_0", "2027-02-14"),
            ("w_1_1", ""),
            ("name_2", ""),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("已载入2027年工作日历"));
    let cal = w.t.db.calendar().await.unwrap();
    let y = cal.year(2027).unwrap();
    assert_eq!(y.names, vec!["元旦", "春节"]);
    assert_eq!(
        y.workdays,
        vec![NaiveDate::from_ymd_opt(2027, 2, 14).unwrap()]
    );
    assert!(ok.body.contains("春节 2027-02-05至2027-02-13"));
    // Opening the year again offers it for correction, with its rows.
    let again = get(&w.app, "/admin/calendar?year=2027", &sc).await;
    assert!(again.body.contains("更正2027年节假日安排"));
    assert!(
        again
            .body
            .contains("name=\"w_1_0\" type=\"date\" value=\"2027-02-14\"")
    );
    assert!(
        w.t.db
            .audit_entries(None, 10)
            .await
            .unwrap()
            .iter()
            .any(|e| e.entity == "calendar_year")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_archive_lists_the_correction_first_and_marks_what_it_superseded() {
    let w = world().await;
    let now = Utc.with_ymd_and_hms(2025, 1, 20, 2, 0, 0).unwrap();
    let first =
        w.t.db
            .publish_report(w.organ, 2024, "{}", "<p>v1</p>", "", "sys", now)
            .await
            .unwrap();
    let second =
        w.t.db
            .publish_report(
                w.organ,
                2024,
                "{}",
                "<p>v2</p>",
                "表三第（一）项数字有误",
                "sys",
                now + chrono::Duration::days(3),
            )
            .await
            .unwrap();
    let page = get(&w.app, &format!("/o/{}/reports", w.organ), "").await;
    let at = |id: i64| page.body.find(&format!("href=\"/reports/{id}\"")).unwrap();
    assert!(
        at(second.id) < at(first.id),
        "the correction first: {}",
        page.body
    );
    let old = section(
        &page.body,
        &format!("href=\"/reports/{}\"", first.id),
        "</li>",
    );
    assert!(old.contains("已被第2版更正取代"), "{old}");
    let new = section(
        &page.body,
        &format!("href=\"/reports/{}\"", second.id),
        "</li>",
    );
    assert!(new.contains("现行版本") && new.contains("表三第（一）项数字有误"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn search_finds_fragments_and_index_numbers_orders_by_date_and_says_when_past_the_end() {
    let w = world().await;
    let db = &w.t.db;
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day);
    let school = insert_item(
        db,
        w.organ,
        "灵武市第四小学2025年秋季招生简章",
        ItemStatus::Published,
        d(2, 1),
    )
    .await;
    let older = insert_item(
        db,
        w.organ,
        "关于做好招生工作的通知",
        ItemStatus::Published,
        d(1, 10),
    )
    .await;
    let gov = insert_item(
        db,
        w.organ,
        "灵武市人民政府办公室转发的通知",
        ItemStatus::Published,
        d(1, 20),
    )
    .await;
    let civil = insert_item(
        db,
        w.organ,
        "民政部门关于困难学生救助的通知",
        ItemStatus::Published,
        d(1, 21),
    )
    .await;
    db.set_item_body(school, "适龄儿童请于8月31日前到校报名。")
        .await
        .unwrap();
    let index = std::sync::Arc::new(gongkai_search::Index::in_memory().unwrap());
    gongkai_search::feed::rebuild(db, index.clone(), |_, _| {})
        .await
        .unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let app = app(AppState::new(db.clone(), Config::default())
        .with_clock(clock)
        .with_search(index));
    let search = |q: &str| {
        let app = app.clone();
        let path = format!("/search?q={}", enc(q));
        async move { get(&app, &path, "").await.body }
    };
    let four = search("四小").await;
    assert!(four.contains(&format!("/items/{school}")), "四小: {four}");
    assert!(!four.contains(&format!("/items/{older}")));
    let ling = search("灵教").await;
    assert!(
        ling.contains(&format!("/items/{school}")),
        "灵教 (灵教发): {ling}"
    );
    // A word documents contain stays a word: 民政 finds 民政部门, not 人民政府.
    let civ = search("民政").await;
    assert!(civ.contains(&format!("/items/{civil}")) && !civ.contains(&format!("/items/{gov}")));
    // The snippet keeps the text's last character.
    let snip = search("报名").await;
    assert!(snip.contains("到校<b>报名</b>。"), "{snip}");
    // An index number finds its item first.
    let index_no = db.item(older).await.unwrap().unwrap().index_no;
    let exact = search(&index_no).await;
    assert!(
        section(&exact, "id=\"exact-hit\"", "</div>").contains(&format!("/items/{older}")),
        "{index_no}: {exact}"
    );
    // By date: the newest first, whatever the relevance.
    let by_date = get(&app, &format!("/search?q={}&sort=date", enc("招生")), "")
        .await
        .body;
    let at = |id: i64| by_date.find(&format!("href=\"/items/{id}\"")).unwrap();
    assert!(at(school) < at(older), "{by_date}");
    assert!(by_date.contains("按日期排列"));
    // Past the last page: said in words, with the way back.
    let past = get(&app, &format!("/search?q={}&page=7", enc("招生")), "")
        .await
        .body;
    assert!(
        past.contains("第 7 页没有结果") && past.contains("只有 1 页"),
        "{past}"
    );
    assert!(!past.contains("7/1"));
    w.t.cleanup().await;
}

/// A published report of `year` for `organ`, computed with its units or alone.
async fn publish_blank_report(w: &World, organ: i64, year: i32, include_units: bool, reason: &str) {
    let r = gongkai_domain::report::Report::blank(
        "灵武市教育局",
        year,
        gongkai_domain::report::Format::F2021,
    );
    let json = gongkai_app::reports::StoredReport::new(&r, include_units).to_json();
    w.t.db
        .publish_report(
            organ,
            year,
            &json,
            "<p>报告</p>",
            reason,
            "sys",
            Utc.with_ymd_and_hms(2025, 1, 20, 2, 0, 0).unwrap(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn supervision_counts_units_covered_by_their_parents_report_and_opens_every_figure() {
    let w = world().await;
    let (sc, _) = login(&w.app, "super").await;
    // Before the bureau publishes, its school is 逾期未发布 (the deadline of 31 January passed).
    let page = get(&w.app, "/admin/supervision", &sc).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let unit_row = section(&page.body, "灵武市第一小学", "</tr>");
    assert!(unit_row.contains("逾期未发布"), "{unit_row}");
    // A report of the bureau alone does not cover it; one with its units does.
    publish_blank_report(&w, w.organ, 2024, false, "").await;
    let page = get(&w.app, "/admin/supervision", &sc).await;
    assert!(section(&page.body, "灵武市第一小学", "</tr>").contains("逾期未发布"));
    publish_blank_report(&w, w.organ, 2024, true, "更正：报告范围包括下属单位").await;
    let page = get(&w.app, "/admin/supervision", &sc).await;
    let unit_row = section(&page.body, "灵武市第一小学", "</tr>");
    assert!(
        unit_row.contains("由灵武市教育局的年度报告涵盖") && !unit_row.contains("逾期未发布"),
        "{unit_row}"
    );
    // Every figure opens the list behind it, of the same length.
    let late = insert_item(&w.t.db, w.organ, "迟发的通知", ItemStatus::Draft, None).await;
    let page = get(&w.app, "/admin/supervision", &sc).await;
    let row = section(
        &page.body,
        "<td data-label=\"机关\"><a href=\"/admin/items?organ=",
        "</tr>",
    );
    for what in [
        "open",
        "overdue",
        "published",
        "published_late",
        "pending_late",
    ] {
        let href = format!("/admin/supervision/{}/{what}", w.organ);
        assert!(row.contains(&href), "{what} links: {row}");
        let list = get(&w.app, &href, &sc).await;
        assert_eq!(list.status, StatusCode::OK, "{what}: {}", list.body);
    }
    let pending = get(
        &w.app,
        &format!("/admin/supervision/{}/pending_late", w.organ),
        &sc,
    )
    .await;
    assert!(
        pending.body.contains(&format!("/admin/items/{late}")) && pending.body.contains("共 1 项")
    );
    assert!(row.contains(&format!(
        "/admin/supervision/{}/pending_late\">1</a>",
        w.organ
    )));
    // Another organ's list is not this supervisor's to open.
    let other = get(
        &w.app,
        &format!("/admin/supervision/{}/open", w.other_organ),
        &sc,
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_registers_are_paged_and_filtered_by_year() {
    let w = world().await;
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let mut tx = w.t.db.begin().await.unwrap();
    let m = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Licensing,
            "民办学校办学许可",
            d(2020, 1, 1),
            None,
        )
        .await
        .unwrap();
    for i in 0..62 {
        tx.insert_decision(
            m,
            d(2024, 1 + i % 12, 1 + i / 12),
            &format!("灵教许〔2024〕{i}号"),
            "某公司",
        )
        .await
        .unwrap();
    }
    for i in 0..3 {
        tx.insert_decision(
            m,
            d(2025, 1, 2 + i),
            &format!("灵教许〔2025〕{i}号"),
            "某公司",
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (c, _) = login(&w.app, "editor").await;
    let all = get(&w.app, &format!("/admin/registers?organ={}", w.organ), &c).await;
    assert_eq!(all.status, StatusCode::OK);
    let decisions = section(&all.body, "id=\"decisions\"", "</nav>");
    assert_eq!(decisions.matches("<tr><td>").count(), 50, "one page of 50");
    assert!(decisions.contains("共 65 条，第 1/2 页"), "{decisions}");
    let next = format!(
        "/admin/registers?organ={}&year=&fpage=1&ppage=1&dpage=2",
        w.organ
    );
    assert!(
        decisions.contains(&next.replace('&', "&#38;")),
        "{decisions}"
    );
    let second = get(&w.app, &next, &c).await;
    assert_eq!(
        section(&second.body, "id=\"decisions\"", "</nav>")
            .matches("<tr><td>")
            .count(),
        15
    );
    // One year: only its records, and the year is offered in the filter.
    let y2025 = get(
        &w.app,
        &format!("/admin/registers?organ={}&year=2025", w.organ),
        &c,
    )
    .await;
    assert!(
        y2025
            .body
            .contains("<option value=\"2024\">2024年</option>")
    );
    let decisions = section(&y2025.body, "id=\"decisions\"", "<h2");
    assert_eq!(decisions.matches("<tr><td>").count(), 3);
    assert!(decisions.contains("共 3 条") && !decisions.contains("〔2024〕"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_statutory_column_lists_its_sub_columns_and_the_registers_fill_their_clauses() {
    let w = world().await;
    let db = &w.t.db;
    let cats = db.categories(w.organ).await.unwrap();
    let by_name = |n: &str| cats.iter().find(|c| c.name == n).unwrap().id;
    let by_clause = |c: &str| cats.iter().find(|x| x.description == c).unwrap().id;
    let budget = db
        .insert_item(&NewCatalogueItem {
            organ_id: w.organ,
            title: "灵武市教育局2025年部门预算".into(),
            summary: String::new(),
            category_id: by_name("财政预决算及三公经费"),
            issuing_unit: "灵武市教育局".into(),
            written_on: NaiveDate::from_ymd_opt(2025, 2, 1),
            published_on: NaiveDate::from_ymd_opt(2025, 2, 3),
            doc_number: String::new(),
            doc_kind: DocKind::Other,
            status: ItemStatus::Published,
            validity: vec![],
        })
        .await
        .unwrap();
    let d = |m, dd| NaiveDate::from_ymd_opt(2025, m, dd).unwrap();
    let mut tx = db.begin().await.unwrap();
    let fee = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Fee,
            "教师资格认定体检费",
            d(1, 1),
            None,
        )
        .await
        .unwrap();
    tx.insert_fee(fee, d(2, 10), 12_000, "").await.unwrap();
    tx.insert_procurement(w.organ, "教学设备采购项目", d(2, 20), 45_000_000)
        .await
        .unwrap();
    let lic = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Licensing,
            "民办学校办学许可",
            d(1, 1),
            None,
        )
        .await
        .unwrap();
    tx.insert_decision(lic, d(2, 25), "灵教许〔2025〕3号", "灵武市阳光培训学校")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = |category: i64| {
        let app = w.app.clone();
        let path = format!("/o/{}/catalogue?category={category}", w.organ);
        async move { get(&app, &path, "").await.body }
    };
    // The column itself: its sub-columns' items, never “暂无公开信息”.
    let column = page(by_name("法定主动公开内容")).await;
    assert!(
        column.contains(&format!("/items/{}", budget.id)),
        "{column}"
    );
    assert!(!column.contains("暂无公开信息"));
    assert!(column.contains("教学设备采购项目") && column.contains("教师资格认定体检费"));
    // Each register in the sub-column of its clause.
    let fees = page(by_clause("第二十条（八）")).await;
    assert!(
        fees.contains("教师资格认定体检费") && fees.contains("合计120元"),
        "{fees}"
    );
    assert!(!fees.contains("教学设备采购项目"));
    let procurement = page(by_clause("第二十条（九）")).await;
    assert!(
        procurement.contains("教学设备采购项目：450000元"),
        "{procurement}"
    );
    let licences = page(by_clause("第二十条（五）")).await;
    assert!(licences.contains("灵教许〔2025〕3号") && licences.contains("double?kind=licensing"));
    w.t.cleanup().await;
}

#[tokio::test]
async fn double_publicity_carries_the_fields_of_its_data_standard_and_a_page_per_decision() {
    let w = world().await;
    let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut tx = w.t.db.begin().await.unwrap();
    let lic = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Licensing,
            "民办学校办学许可",
            d,
            None,
        )
        .await
        .unwrap();
    let pen = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Penalty,
            "违规办学处罚",
            d,
            None,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let organ = w.organ.to_string();
    let path = "/admin/registers/decision";
    // Every problem at once: a credit code with a wrong check digit, a term ending before it
    // starts, a fine that is not an amount.
    let bad = post(
        &w.app,
        path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &lic.to_string()),
            ("number", "灵教许〔2025〕8号"),
            ("date", "2025-02-10"),
            ("party", "灵武市阳光培训学校"),
            ("credit_code", "52640181MJ0000000X"),
            ("valid_from", "2025-02-10"),
            ("valid_to", "2024-02-09"),
            ("fine", "一百"),
        ],
    )
    .await;
    assert!(bad.status.is_client_error(), "{}", bad.body);
    assert!(
        bad.body.contains("统一社会信用代码") && bad.body.contains("早于起始日"),
        "{}",
        bad.body
    );
    assert!(w.t.db.decision_details(w.organ).await.unwrap().is_empty());
    let code = "91640181MA76XDQ43X";
    let ok = post(
        &w.app,
        path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &lic.to_string()),
            ("number", "灵教许〔2025〕8号"),
            ("date", "2025-02-10"),
            ("party", "灵武市阳光培训学校"),
            ("credit_code", code),
            ("content", "同意设立，办学内容为文化教育类培训"),
            ("valid_from", "2025-02-10"),
            ("valid_to", "2030-02-09"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let ok = post(
        &w.app,
        path,
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            ("matter", &pen.to_string()),
            ("number", "灵教罚〔2025〕2号"),
            ("date", "2025-03-01"),
            ("party", "灵武市某培训中心"),
            ("basis", "《中华人民共和国民办教育促进法》第六十二条"),
            ("content", "责令改正，罚款"),
            ("fine", "20000"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let list = get(&w.app, &format!("/o/{}/double", w.organ), "").await;
    assert!(list.body.contains(code) && list.body.contains("2025-02-10至2030-02-09"));
    assert!(list.body.contains("罚款20000元"));
    let details = w.t.db.decision_details(w.organ).await.unwrap();
    assert_eq!(details.len(), 2);
    let decisions =
        w.t.db
            .decisions(w.organ, d, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
            .await
            .unwrap();
    let penalty = decisions
        .iter()
        .find(|x| x.number == "灵教罚〔2025〕2号")
        .unwrap();
    let page = get(&w.app, &format!("/o/{}/double/{}", w.organ, penalty.id), "").await;
    assert_eq!(page.status, StatusCode::OK);
    for want in [
        "处罚依据",
        "第六十二条",
        "处罚结果",
        "责令改正，罚款",
        "罚款金额（元）",
        "20000",
        "灵武市教育局",
    ] {
        assert!(page.body.contains(want), "{want}: {}", page.body);
    }
    let licence = decisions
        .iter()
        .find(|x| x.number == "灵教许〔2025〕8号")
        .unwrap();
    let page = get(&w.app, &format!("/o/{}/double/{}", w.organ, licence.id), "").await;
    assert!(
        page.body.contains("许可内容")
            && page.body.contains("同意设立")
            && page.body.contains(code)
    );
    // A decision of another organ is not found under this one.
    assert_eq!(
        get(
            &w.app,
            &format!("/o/{}/double/{}", w.other_organ, licence.id),
            ""
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    w.t.cleanup().await;
}

#[path = "walked.rs"]
mod walked;

#[path = "consult.rs"]
mod consult;

#[path = "living.rs"]
mod living;

#[path = "walk_server.rs"]
mod walk_server;
