//! Issue 28, what the second walk left: letters' provisional reply dates, each organ's mailbox by
//! its kind, a corrected reply's delivery, uploads that keep the item form's edits, registers
//! paged in SQL and their full lists for visitors.

use super::*;

/// The portal on a December day of the last year the built-in calendar holds (2026), when the
/// next year's holidays are not published yet.
fn in_december(w: &World) -> Router {
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 12, 21, 2, 0, 0).unwrap());
    app(AppState::new(w.t.db.clone(), Config::default()).with_clock(clock))
}

/// Writes a letter through the form of `organ` on `portal`; returns the receipt page.
async fn write_letter(portal: &Router, organ: i64, subject: &str) -> Resp {
    let path = format!("/o/{organ}/letters");
    let form = get(portal, &path, "").await;
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let once = hidden(&form.body, "once");
    let r = post(
        portal,
        &path,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("name", "张三"),
            ("contact", "13900001111"),
            ("subject", subject),
            ("body", "建议增加校车线路。"),
            ("publish", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    get(portal, &r.location, &cookie).await
}

#[tokio::test]
async fn a_letter_in_december_gets_a_provisional_reply_date_on_the_receipt_its_page_and_the_desk() {
    let w = world().await;
    // In March the calendar reaches the date: no 预计. (Written first: the rate limits' clock
    // runs forward.)
    let march = write_letter(&w.app, w.organ, "关于校车的建议").await;
    assert!(march.body.contains("2025年3月31日前") && !march.body.contains("预计"));
    let dec = in_december(&w);
    let receipt = write_letter(&dec, w.organ, "关于寒假托管的建议").await;
    assert_eq!(receipt.status, StatusCode::OK);
    let due = receipt
        .body
        .split("id=\"reply-due\">")
        .nth(1)
        .unwrap()
        .split("</dd>")
        .next()
        .unwrap()
        .to_string();
    assert!(
        due.starts_with("预计2027年1月") && due.contains("以节假日安排为准"),
        "receipt: {due}"
    );
    let code = super::query_code(&receipt.body);
    let look = get(&dec, &format!("/letters/lookup?code={code}"), "").await;
    assert!(
        look.body.contains("预计2027-01-") && look.body.contains("以节假日安排为准）前"),
        "lookup: {}",
        look.body
    );
    let (hc, _) = login(&dec, "handler").await;
    let desk = get(&dec, "/admin", &hc).await;
    let letters = desk
        .body
        .split("id=\"due-letters\"")
        .nth(1)
        .expect("the desk lists the letters to answer");
    assert!(
        letters.contains("关于寒假托管的建议") && letters.contains("预计2027-01-"),
        "{letters}"
    );
    let id =
        w.t.db
            .portal_letters(w.organ, true)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.subject == "关于寒假托管的建议")
            .unwrap()
            .letter_id;
    let page = get(&dec, &format!("/admin/letters/{id}"), &hc).await;
    assert!(
        page.body.contains("id=\"reply-due\">预计2027-01-"),
        "{}",
        page.body
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn each_organs_mailbox_is_named_by_its_kind_and_states_its_rules() {
    let w = world().await;
    let bureau = get(&w.app, &format!("/o/{}/letters", w.organ), "").await;
    assert!(bureau.body.contains("<h1>灵武市教育局局长信箱</h1>"));
    assert!(bureau.body.contains("id=\"mailbox-rules\"") && bureau.body.contains("来信须知"));
    // On a phone the published replies are one tap away, above the form.
    assert!(bureau.body.contains("href=\"#replies-h\">来信选登（0件）"));
    let school = get(&w.app, &format!("/o/{}/letters", w.unit), "").await;
    assert!(
        school.body.contains("<h1>灵武市第一小学校长信箱</h1>"),
        "{}",
        school.body
    );
    assert!(!school.body.contains("局长信箱"), "{}", school.body);
    let unit_page = get(&w.app, &format!("/o/{}", w.unit), "").await;
    assert!(unit_page.body.contains(">校长信箱</a>"));
    // The letter is recorded under the school's own mailbox.
    write_letter(&w.app, w.unit, "关于午餐的建议").await;
    let channels = w.t.db.letter_channels().await.unwrap();
    let l = &w.t.db.portal_letters(w.unit, true).await.unwrap()[0];
    let stored = w.t.db.portal_letter(l.letter_id).await.unwrap().unwrap();
    assert_eq!(stored.subject, "关于午餐的建议");
    assert!(channels.iter().any(|c| c.name == "校长信箱"));
    for (name, mailbox) in [
        ("灵武市人民政府", "市长信箱"),
        ("灵武市第二幼儿园", "园长信箱"),
        ("灵武市教育体育局", "局长信箱"),
        ("灵武市东塔镇人民政府", "镇长信箱"),
        ("灵武市机关事务服务中心", "主任信箱"),
    ] {
        assert_eq!(gongkai_app::letters::mailbox_name(name), mailbox, "{name}");
    }
    w.t.cleanup().await;
}

/// The item form sent with its file, as the browser does for 保存并上传附件.
async fn upload_with_form(
    app: &Router,
    path: &str,
    cookie: &str,
    fields: &[(String, String)],
    filename: &str,
    data: &[u8],
) -> Resp {
    let boundary = "gongkaiBoundaryWalked0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn uploading_an_attachment_keeps_the_unsaved_edits_of_the_item_form() {
    let w = world().await;
    let id = insert_item(
        &w.t.db,
        w.organ,
        "关于秋季开学的通知",
        ItemStatus::Draft,
        None,
    )
    .await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let page = get(&w.app, &format!("/admin/items/{id}"), &ec).await;
    // The file is chosen inside the item form: its button sends the edits with the file.
    let form = page
        .body
        .split(&format!("action=\"/admin/items/{id}\""))
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap();
    assert!(
        form.contains("name=\"file\"") && form.contains("formenctype=\"multipart/form-data\""),
        "{form}"
    );
    let path = format!("/admin/items/{id}/attachments");
    let mut fields = super::item_fields(&w, id, "关于秋季开学的通知（修改稿）").await;
    fields.push(("csrf".into(), ecsrf.clone()));
    let r = upload_with_form(&w.app, &path, &ec, &fields, "开学安排.pdf", b"%PDF-1.4 x").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let it = w.t.db.item(id).await.unwrap().unwrap();
    assert_eq!(
        it.title, "关于秋季开学的通知（修改稿）",
        "the edits were kept"
    );
    assert_eq!(w.t.db.attachments(id).await.unwrap().len(), 1);
    // A refused file after the save: the edits stand, and the page says so.
    let mut fields = super::item_fields(&w, id, "关于秋季开学的通知（第三稿）").await;
    fields.push(("csrf".into(), ecsrf.clone()));
    let r = upload_with_form(&w.app, &path, &ec, &fields, "病毒.exe", b"MZ\x90\x00").await;
    assert!(
        r.body.contains("填写的内容已保存，附件未上传"),
        "{}",
        r.body
    );
    assert_eq!(
        w.t.db.item(id).await.unwrap().unwrap().title,
        "关于秋季开学的通知（第三稿）"
    );
    // A save refused for a mistake: the text typed stays in the form, nothing is uploaded.
    let mut fields = super::item_fields(&w, id, "").await;
    fields.retain(|(k, _)| k != "body");
    fields.push(("body".into(), "正文第二版，尚未保存".into()));
    fields.push(("csrf".into(), ecsrf.clone()));
    let r = upload_with_form(&w.app, &path, &ec, &fields, "安排.pdf", b"%PDF-1.4 y").await;
    assert!(r.body.contains("正文第二版，尚未保存"), "{}", r.body);
    assert!(r.body.contains("附件“安排.pdf”未上传"), "{}", r.body);
    assert_eq!(w.t.db.attachments(id).await.unwrap().len(), 1);
    w.t.cleanup().await;
}

#[tokio::test]
async fn fees_and_procurements_under_their_clauses_link_to_their_full_lists_paged() {
    let w = world().await;
    let db = &w.t.db;
    let cats = db.categories(w.organ).await.unwrap();
    let by_clause = |c: &str| cats.iter().find(|x| x.description == c).unwrap().id;
    let mut tx = db.begin().await.unwrap();
    let fee = tx
        .insert_matter(
            w.organ,
            gongkai_domain::records::MatterKind::Fee,
            "教师资格认定体检费",
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            None,
        )
        .await
        .unwrap();
    // 60 procurements from 1 January 2024, one a week: 53 in 2024, 7 in 2025 (the last on 17 February).
    for i in 0..60u64 {
        let on = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(i * 7);
        tx.insert_procurement(w.organ, &format!("教学设备采购项目{i:02}"), on, 1_000_000)
            .await
            .unwrap();
        tx.insert_fee(fee, on, 12_000, "").await.unwrap();
    }
    tx.commit().await.unwrap();
    let column = get(
        &w.app,
        &format!(
            "/o/{}/catalogue?category={}",
            w.organ,
            by_clause("第二十条（九）")
        ),
        "",
    )
    .await
    .body;
    assert!(column.contains("仅列出最近20项"), "{column}");
    let link = format!("/o/{}/procurements", w.organ);
    assert!(column.contains(&format!("href=\"{link}\"")), "{column}");
    let list = get(&w.app, &link, "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("共 60 条，第 1/2 页"), "{}", list.body);
    assert!(list.body.contains("教学设备采购项目59") && !list.body.contains("教学设备采购项目09<"));
    let second = get(&w.app, &format!("{link}?page=2"), "").await;
    assert!(second.body.contains("教学设备采购项目00") && second.body.contains("第 2/2 页"));
    let y = get(&w.app, &format!("{link}?year=2025"), "").await;
    assert!(
        y.body.contains("共 7 条") && y.body.contains("教学设备采购项目53"),
        "{}",
        y.body
    );
    assert!(!y.body.contains("教学设备采购项目52"));
    let fees_column = get(
        &w.app,
        &format!(
            "/o/{}/catalogue?category={}",
            w.organ,
            by_clause("第二十条（八）")
        ),
        "",
    )
    .await
    .body;
    assert!(fees_column.contains(&format!("href=\"/o/{}/fees\"", w.organ)));
    let fees = get(&w.app, &format!("/o/{}/fees?page=9", w.organ), "").await;
    assert!(
        fees.body.contains("第 2/2 页") && fees.body.contains("教师资格认定体检费"),
        "past the last page: the last"
    );
    w.t.cleanup().await;
}
