//! 意见征集 (issue 36): a draft for comment with its period, comments taken with the letter
//! form's protections, the feedback published after the period.

use super::*;

#[tokio::test]
async fn a_draft_for_comment_takes_comments_in_its_period_and_publishes_its_feedback() {
    let w = world().await;
    let (ec, ecsrf) = login(&w.app, "editor").await;
    let organ = w.organ.to_string();
    // The editor drafts it; a period ending before it starts is refused with the text kept.
    let bad = post(
        &w.app,
        "/admin/consultations",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            (
                "title",
                "关于《课后服务管理办法（征求意见稿）》公开征求意见的公告",
            ),
            ("body", "征求意见稿全文……"),
            ("starts_on", "2025-03-01"),
            ("ends_on", "2025-02-01"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("早于开始日期") && bad.body.contains("征求意见稿全文……"));
    let r = post(
        &w.app,
        "/admin/consultations",
        &ec,
        &[
            ("csrf", &ecsrf),
            ("organ", &organ),
            (
                "title",
                "关于《课后服务管理办法（征求意见稿）》公开征求意见的公告",
            ),
            ("body", "征求意见稿全文……"),
            ("starts_on", "2025-03-01"),
            ("ends_on", "2025-03-31"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = w.t.db.consultations(w.organ, true).await.unwrap()[0].id;
    let page = format!("/o/{}/consultations/{id}", w.organ);
    assert_eq!(
        get(&w.app, &page, "").await.status,
        StatusCode::NOT_FOUND,
        "not published yet"
    );
    let (rc, rcsrf) = login(&w.app, "reviewer").await;
    let r = post(
        &w.app,
        &format!("/admin/consultations/{id}"),
        &rc,
        &[("csrf", &rcsrf), ("organ", &organ), ("action", "publish")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = get(&w.app, &format!("/o/{}/consultations", w.organ), "").await;
    assert!(list.body.contains("正在征集") && list.body.contains("课后服务管理办法"));
    // A comment: every error at once, then accepted once per form.
    let form = get(&w.app, &page, "").await;
    assert!(form.body.contains("2025年3月1日至2025年3月31日"));
    let cookie = cookie_pair(&form.cookies, "gk_form").unwrap();
    let token = csrf_of(&form.body);
    let once = hidden(&form.body, "once");
    let bad = post(
        &w.app,
        &page,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once),
            ("name", ""),
            ("contact", "abc"),
            ("body", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("修改以下3处问题"), "{}", bad.body);
    let good = [
        ("csrf", token.as_str()),
        ("once", once.as_str()),
        ("name", "张三"),
        ("contact", "13900001111"),
        ("body", "建议课后服务延长至18:30。"),
    ];
    let r = post(&w.app, &page, &cookie, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.ends_with("?sent=1"));
    let again = post(&w.app, &page, &cookie, &good).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let comments = w.t.db.consultation_comments(id).await.unwrap();
    assert_eq!(comments.len(), 1, "one comment per form");
    let public = get(&w.app, &page, "").await;
    assert!(public.body.contains("收到意见</dt><dd>1条"));
    assert!(!public.body.contains("13900001111") && !public.body.contains("张三"));
    // The office reads it with the contact; the feedback waits for the period's end.
    let office = get(&w.app, &format!("/admin/consultations?organ={organ}"), &rc).await;
    assert!(office.body.contains("13900001111"));
    let early = post(
        &w.app,
        &format!("/admin/consultations/{id}"),
        &rc,
        &[
            ("csrf", &rcsrf),
            ("organ", &organ),
            ("action", "feedback"),
            ("feedback", "采纳1条。"),
        ],
    )
    .await;
    assert!(
        early.body.contains("请在截止后发布采纳情况"),
        "{}",
        early.body
    );
    // In April: closed to comments, and the feedback is published.
    let april = app(
        AppState::new(w.t.db.clone(), Config::default()).with_clock(FixedClock(
            Utc.with_ymd_and_hms(2025, 4, 8, 2, 0, 0).unwrap(),
        )),
    );
    let (rc2, rcsrf2) = login(&april, "reviewer").await;
    let r = post(
        &april,
        &format!("/admin/consultations/{id}"),
        &rc2,
        &[
            ("csrf", &rcsrf2),
            ("organ", &organ),
            ("action", "feedback"),
            ("feedback", "收到意见1条，已采纳：课后服务延长至18:30。"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let closed = get(&april, &page, "").await;
    assert!(closed.body.contains("id=\"feedback\"") && closed.body.contains("已采纳"));
    assert!(
        !closed.body.contains("提交意见"),
        "no form after the period"
    );
    let form2 = get(&w.app, &page, "").await;
    let once2 = hidden(&form2.body, "once");
    let late = post(
        &april,
        &page,
        &cookie,
        &[
            ("csrf", &token),
            ("once", &once2),
            ("name", "李四"),
            ("contact", "13900002222"),
            ("body", "晚到的意见"),
        ],
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(w.t.db.consultation_comments(id).await.unwrap().len(), 1);
    w.t.cleanup().await;
}
