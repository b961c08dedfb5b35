//! A portal that passes the national inspection of government sites (issue 36): the columns an
//! inspector marks and their explanations, the four first-level columns, the site's identity in
//! titles and footer, and 长者模式. Included by `web.rs` (its helpers).

use super::*;

async fn category_id(db: &Db, organ: i64, name: &str) -> i64 {
    db.categories(organ)
        .await
        .unwrap()
        .iter()
        .find(|c| c.name == name && c.parent_id.is_none())
        .unwrap_or_else(|| panic!("column {name}"))
        .id
}

/// The row of column `id` on the 栏目检查 page.
fn column_row(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!("<tr id=\"c{id}\""))
        .unwrap_or_else(|| panic!("row of column {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[tokio::test]
async fn empty_and_stale_columns_are_listed_until_explained_or_updated() {
    let w = world().await;
    let db = &w.t.db;
    let plans = category_id(db, w.organ, "规划计划").await;
    let policies = category_id(db, w.organ, "政策文件").await;
    // 政策文件 last updated seven months before 10 March 2025: past its six months.
    let id = insert_item(
        db,
        w.organ,
        "关于印发学校安全管理办法的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2024, 8, 1),
    )
    .await;
    assert_eq!(
        db.item(id).await.unwrap().unwrap().category_id,
        policies,
        "the helper files in the first column, 政策文件"
    );
    let (cookie, _) = login(&w.app, "editor").await;
    let page = get(
        &w.app,
        &format!("/admin/columns?organ={}", w.organ),
        &cookie,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        column_row(&page.body, plans).contains("空白栏目，未说明原因"),
        "{}",
        column_row(&page.body, plans)
    );
    assert!(
        column_row(&page.body, policies).contains("未按期更新（应于2025-02-01前更新）"),
        "{}",
        column_row(&page.body, policies)
    );
    // The 工作台 lists them too.
    let dash = get(&w.app, "/admin", &cookie).await;
    assert!(dash.body.contains("个栏目需处理"), "{}", dash.body);
    assert!(dash.body.contains("政策文件：未按期更新"), "{}", dash.body);

    // An explanation too long is refused in Chinese, and nothing is written.
    let csrf = csrf_of(&page.body);
    let long = "未".repeat(301);
    let r = post(
        &w.app,
        "/admin/columns",
        &cookie,
        &[
            ("csrf", &csrf),
            ("organ", &w.organ.to_string()),
            ("category", &plans.to_string()),
            ("note", &long),
        ],
    )
    .await;
    assert!(r.status.is_client_error(), "{:?}", r.status);
    assert!(r.body.contains("说明不能超过300字"), "{}", r.body);
    // Another organ's column is refused.
    let theirs = category_id(db, w.other_organ, "规划计划").await;
    let r = post(
        &w.app,
        "/admin/columns",
        &cookie,
        &[
            ("csrf", &csrf),
            ("organ", &w.organ.to_string()),
            ("category", &theirs.to_string()),
            ("note", "本机关本年度未制定规划"),
        ],
    )
    .await;
    assert!(r.status.is_client_error(), "{:?}", r.status);

    let public = format!("/o/{}/catalogue?category={plans}", w.organ);
    assert!(
        get(&w.app, &public, "")
            .await
            .body
            .contains("该范围内暂无公开信息")
    );
    let r = post(
        &w.app,
        "/admin/columns",
        &cookie,
        &[
            ("csrf", &csrf),
            ("organ", &w.organ.to_string()),
            ("category", &plans.to_string()),
            ("note", "本机关2025年度未制定专项规划"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The column's own page says why, when and by whom.
    let p = get(&w.app, &public, "").await.body;
    assert!(
        p.contains("本机关2025年度未制定专项规划") && p.contains("editor，2025-03-10"),
        "{p}"
    );
    assert!(!p.contains("该范围内暂无公开信息"));
    let page = get(
        &w.app,
        &format!("/admin/columns?organ={}", w.organ),
        &cookie,
    )
    .await;
    assert!(!column_row(&page.body, plans).contains("空白栏目"));
    assert!(column_row(&page.body, plans).contains("本机关2025年度未制定专项规划"));

    // A new item brings 政策文件 up to date.
    insert_item(
        db,
        w.organ,
        "关于2025年春季学期开学工作的通知",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 3, 3),
    )
    .await;
    let page = get(
        &w.app,
        &format!("/admin/columns?organ={}", w.organ),
        &cookie,
    )
    .await;
    assert!(!column_row(&page.body, policies).contains("未按期更新"));

    // The supervision page counts them per organ, linking to the list.
    let (scookie, _) = login(&w.app, "super").await;
    let sup = get(&w.app, "/admin/supervision", &scookie).await;
    assert_eq!(sup.status, StatusCode::OK);
    assert!(sup.body.contains("空白栏目（未说明）"));
    assert!(
        sup.body
            .contains(&format!("/admin/columns?organ={}", w.organ))
    );
    // The audit log names the action.
    let (acookie, _) = login(&w.app, "sys").await;
    let log = get(&w.app, "/admin/audit", &acookie).await;
    assert!(
        log.body.contains("说明空白栏目"),
        "audit log names the action"
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_organ_page_opens_the_four_first_level_columns() {
    let w = world().await;
    let db = &w.t.db;
    insert_item(
        db,
        w.organ,
        "灵武市教育局行政规范性文件管理办法",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2025, 2, 3),
    )
    .await;
    let rules = category_id(db, w.organ, "政府信息公开制度").await;
    let statutory = category_id(db, w.organ, "法定主动公开内容").await;
    let page = get(&w.app, &format!("/o/{}", w.organ), "").await.body;
    for (id, href) in [
        ("col-guide", format!("/o/{}/guide", w.organ)),
        (
            "col-rules",
            format!("/o/{}/catalogue?category={rules}", w.organ),
        ),
        (
            "col-statutory",
            format!("/o/{}/catalogue?category={statutory}", w.organ),
        ),
        ("col-reports", format!("/o/{}/reports", w.organ)),
    ] {
        assert!(
            page.contains(&format!("id=\"{id}\" href=\"{href}\"")),
            "{id} → {href}: {page}"
        );
    }
    // 法定主动公开内容 lists the normative document filed under 政策文件.
    let list = get(
        &w.app,
        &format!("/o/{}/catalogue?category={statutory}", w.organ),
        "",
    )
    .await
    .body;
    assert!(
        list.contains("灵武市教育局行政规范性文件管理办法"),
        "{list}"
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_site_identity_set_in_the_back_office_shows_in_titles_and_footer() {
    let w = world().await;
    // Before anything is set: the generic name, and no empty identity fields.
    let home = get(&w.app, "/", "").await.body;
    assert!(home.contains("<title>政府信息公开平台</title>"), "{home}");
    assert!(!home.contains("id=\"site-sponsor\""));

    // Only a system administrator may set them.
    let (ecookie, ecsrf) = login(&w.app, "oadmin").await;
    assert_eq!(
        get(&w.app, "/admin/site", &ecookie).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(
        &w.app,
        "/admin/site",
        &ecookie,
        &[("csrf", &ecsrf), ("site_name", "冒名网站")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let (cookie, csrf) = login(&w.app, "sys").await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("site_name", "灵武市教育局政府信息公开"),
        ("sponsor", "灵武市教育局"),
        ("site_code", "640181-001"),
        ("icp", "宁ICP备05001234号"),
        ("police_record", "宁公网安备 64018102000123号"),
        ("contact", "地址：宁夏灵武市朔方路1号\n电话：0951-4000000"),
        ("privacy", "本网站不收集访问者的个人信息。"),
        ("copyright", "本网站所载内容版权归灵武市教育局所有。"),
    ];
    // A malformed 网站标识码: refused with the reason, the typed values kept.
    let r = post(&w.app, "/admin/site", &cookie, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("网站标识码应为10位数字或字母"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"灵武市教育局\""),
        "typed values kept"
    );
    assert!(
        get(&w.app, "/", "")
            .await
            .body
            .contains("<title>政府信息公开平台</title>")
    );
    fields[3] = ("site_code", "6401810001");
    let r = post(&w.app, "/admin/site", &cookie, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The badge: only a raster image.
    let r = upload(
        &w.app,
        "/admin/site/badge",
        &cookie,
        &csrf,
        "conac.svg",
        b"<svg onload=alert(1)>",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("PNG、JPEG或GIF"));
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";
    let r = upload(
        &w.app,
        "/admin/site/badge",
        &cookie,
        &csrf,
        "conac.png",
        png,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let home = get(&w.app, "/", "").await.body;
    assert!(
        home.contains("<title>灵武市教育局政府信息公开</title>"),
        "the home page's title is the site's name"
    );
    assert!(home.contains("<h1>灵武市教育局政府信息公开</h1>"));
    assert!(home.contains("主办单位：灵武市教育局"));
    assert!(home.contains("网站标识码：6401810001"));
    assert!(home.contains("<a id=\"site-icp\" href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">宁ICP备05001234号</a>"), "{home}");
    assert!(home.contains("code=64018102000123"));
    assert!(home.contains("src=\"/site/badge\""));
    let guide = get(&w.app, &format!("/o/{}/guide", w.organ), "").await.body;
    assert!(
        guide.contains("<title>灵武市教育局政府信息公开指南 - 灵武市教育局政府信息公开</title>"),
        "other pages: the page, then the site"
    );
    let b = w
        .app
        .clone()
        .oneshot(Request::get("/site/badge").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(b.headers()[header::CONTENT_TYPE], "image/png");
    let contact = get(&w.app, "/contact", "").await.body;
    assert!(contact.contains("<p>电话：0951-4000000</p>"), "{contact}");
    assert!(
        get(&w.app, "/privacy", "")
            .await
            .body
            .contains("不收集访问者的个人信息")
    );
    assert!(
        get(&w.app, "/copyright", "")
            .await
            .body
            .contains("版权归灵武市教育局所有")
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn elder_mode_is_a_cookie_set_by_a_link_and_kept_across_pages() {
    let w = world().await;
    let home = get(&w.app, "/", "").await.body;
    assert!(
        home.contains("id=\"elder-switch\" href=\"/elder?on=1&#38;next=/\""),
        "{home}"
    );
    assert!(home.contains("<html lang=\"zh-CN\">"));
    let organ = format!("/o/{}", w.organ);
    let r = get(&w.app, &format!("/elder?on=1&next={}", enc(&organ)), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, organ);
    let cookie = cookie_pair(&r.cookies, "gk_elder").expect("elder cookie");
    assert_eq!(cookie, "gk_elder=1");
    for path in [organ.as_str(), "/", "/sitemap", "/accessibility"] {
        let p = get(&w.app, path, &cookie).await.body;
        assert!(
            p.contains("<html lang=\"zh-CN\" class=\"elder\">"),
            "{path}"
        );
        assert!(p.contains("退出长者模式"), "{path}");
    }
    // Off again; and never a redirect off the site.
    let r = get(&w.app, "/elder?on=0&next=/sitemap", &cookie).await;
    assert_eq!(r.location, "/sitemap");
    assert!(
        r.cookies
            .iter()
            .any(|c| c.starts_with("gk_elder=0") && c.contains("Max-Age=0"))
    );
    let r = get(&w.app, "/elder?on=1&next=//evil.example/", "").await;
    assert_eq!(r.location, "/");
    // The style sheet enlarges every size (all in rem) by more than half.
    let css = get(&w.app, "/static/style.css", "").await.body;
    assert!(css.contains("html.elder { font-size: 156.25%; }"));
    w.t.cleanup().await;
}

/// Serves `state` on a free local port; the base address and the server's task.
async fn serve(state: AppState) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, app(state)).await.unwrap();
    });
    (format!("http://{addr}"), server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inspection_marks_a_bare_site_unqualified_and_passes_it_once_fixed() {
    let t = TestDb::sqlite().await;
    let db = t.db.clone();
    let o = db
        .create_organ(
            &organ("ORG1", "灵武市教育局", None),
            Some(&CatalogueSeed::education()),
        )
        .await
        .unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    let clock = FixedClock(Utc.with_ymd_and_hms(2025, 3, 10, 2, 0, 0).unwrap());
    let state = AppState::new(db.clone(), Config::default()).with_clock(clock);
    let app_ = state.app.clone();
    let (base, server) = serve(state).await;
    let opts = gongkai_web::inspect::Options {
        today,
        max_pages: 2000,
        downloads: false,
    };
    let r = gongkai_web::inspect::inspect(&base, &opts).await;
    println!("{}", r.text());
    let text = r.text();
    assert!(
        text.contains("[否决] 首页更新：首页没有列出任何带发布日期的信息"),
        "{text}"
    );
    assert!(text.contains("[否决] 空白栏目"), "{text}");
    assert!(text.contains("[扣分] 网站标识"), "{text}");
    assert!(text.contains("页脚缺少网站标识码"));
    assert!(text.contains("[通过] 适老化与无障碍"), "{text}");
    assert!(text.contains("结论：不合格"));
    assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
    // The crawler counts what the columns check counts.
    let op = gongkai_app::Actor::Operator("测试".into());
    let states = gongkai_app::columns::check(&app_, &op, o.id).await.unwrap();
    let (empty, _) = gongkai_app::columns::tally(&states);
    assert_eq!(r.empty_columns.len(), empty, "{:?}", r.empty_columns);

    // Fixed: something published this week, every empty column explained, the identity set.
    let cats = db.categories(o.id).await.unwrap();
    db.insert_item(&NewCatalogueItem {
        organ_id: o.id,
        title: "关于做好2025年春季学期开学工作的通知".into(),
        summary: String::new(),
        category_id: cats.iter().find(|c| c.name == "公示公告").unwrap().id,
        issuing_unit: "灵武市教育局".into(),
        written_on: NaiveDate::from_ymd_opt(2025, 3, 5),
        published_on: NaiveDate::from_ymd_opt(2025, 3, 6),
        doc_number: String::new(),
        doc_kind: DocKind::Other,
        status: ItemStatus::Published,
        validity: vec![],
    })
    .await
    .unwrap();
    for s in gongkai_app::columns::check(&app_, &op, o.id).await.unwrap() {
        if s.problem.is_some() {
            gongkai_app::columns::explain(
                &app_,
                &op,
                o.id,
                s.category_id,
                "本机关本年度暂无此类信息",
            )
            .await
            .unwrap();
        }
    }
    gongkai_app::site::save(
        &app_,
        &op,
        gongkai_app::site::SiteSettings {
            site_name: "灵武市教育局政府信息公开".into(),
            sponsor: "灵武市教育局".into(),
            site_code: "6401810001".into(),
            icp: "宁ICP备05001234号".into(),
            police_record: "宁公网安备 64018102000123号".into(),
            contact: "电话：0951-4000000".into(),
            privacy: "本网站不收集访问者的个人信息。".into(),
            copyright: "版权所有。".into(),
        },
    )
    .await
    .unwrap();
    // The memory of the settings lasts two seconds (the change was not made through the server).
    tokio::time::sleep(gongkai_web::chrome::SETTINGS_LIFETIME).await;
    let r = gongkai_web::inspect::inspect(&base, &opts).await;
    let text = r.text();
    println!("{text}");
    assert_eq!(r.vetoes(), 0, "{text}");
    assert!(
        text.contains("[通过] 首页更新：最近一条信息发布于 2025-03-06"),
        "{text}"
    );
    assert!(text.contains("[通过] 空白栏目"), "{text}");
    assert!(text.contains("结论：无单项否决项"), "{text}");
    // The badge is still missing, and said so.
    assert!(text.contains("页脚缺少党政机关网站标识"), "{text}");
    server.abort();
    t.cleanup().await;
}

async fn add_matter(db: &Db, organ: i64, name: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let m = tx
        .insert_matter(
            organ,
            gongkai_domain::records::MatterKind::Licensing,
            name,
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            None,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    m
}

#[tokio::test]
async fn service_guides_follow_the_matters_register() {
    let w = world().await;
    let db = &w.t.db;
    // No licensing duty: no 办事服务 tile.
    let page = get(&w.app, &format!("/o/{}", w.organ), "").await.body;
    assert!(!page.contains("id=\"col-services\""));
    let m = add_matter(db, w.organ, "民办学校办学许可").await;
    let theirs = add_matter(db, w.other_organ, "民办培训机构审批").await;
    let page = get(&w.app, &format!("/o/{}", w.organ), "").await.body;
    assert!(page.contains(&format!(
        "id=\"col-services\" href=\"/o/{}/services\"",
        w.organ
    )));

    let (cookie, csrf) = login(&w.app, "editor").await;
    let list = get(
        &w.app,
        &format!("/admin/services?organ={}", w.organ),
        &cookie,
    )
    .await;
    assert!(list.body.contains("民办学校办学许可"), "{}", list.body);
    assert!(
        list.body
            .contains("设定依据、申请条件、申请材料、办理地点、办理时间、咨询电话、办理流程")
    );
    let organ = w.organ.to_string();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("organ", organ.as_str()),
        ("basis", "《中华人民共和国民办教育促进法》第十二条"),
        ("conditions", "举办者具有政治权利和完全民事行为能力"),
        ("materials", "申办报告\n举办者资格证明\n资产来源证明"),
        ("place", "灵武市政务服务中心二楼教育窗口"),
        ("hours", "工作日 9:00-17:00"),
        ("phone", "0951-4000000"),
    ];
    let r = post(&w.app, &format!("/admin/services/{m}"), &cookie, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = get(&w.app, &format!("/o/{}/services", w.organ), "")
        .await
        .body;
    assert!(
        public.contains("民办学校办学许可") && public.contains("办事指南完善中"),
        "{public}"
    );
    fields.push(("process", "提交申请\n材料审核\n实地考察\n作出决定"));
    let r = post(&w.app, &format!("/admin/services/{m}"), &cookie, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = get(&w.app, &format!("/o/{}/services", w.organ), "")
        .await
        .body;
    assert!(!public.contains("办事指南完善中"), "{public}");
    let guide = get(&w.app, &format!("/o/{}/services/{m}", w.organ), "")
        .await
        .body;
    for s in [
        "民办学校办学许可办事指南",
        "<th scope=\"row\">设定依据</th><td>《中华人民共和国民办教育促进法》第十二条</td>",
        "<li>资产来源证明</li>",
        "<li>作出决定</li>",
        "灵武市政务服务中心二楼教育窗口",
        "<th scope=\"row\">收费标准</th><td>不收费</td>",
        "更新于 2025-03-10",
    ] {
        assert!(guide.contains(s), "{s}: {guide}");
    }
    // Another organ's matter: refused, and not on this organ's pages.
    let r = post(
        &w.app,
        &format!("/admin/services/{theirs}"),
        &cookie,
        &fields,
    )
    .await;
    assert!(r.status.is_client_error(), "{:?}", r.status);
    assert_eq!(
        get(&w.app, &format!("/o/{}/services/{theirs}", w.organ), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_site_annual_form_counts_the_records_and_is_published() {
    let w = world().await;
    let db = &w.t.db;
    for (title, on) in [
        ("2024年工作要点", (2024, 3, 1)),
        ("2024年招生政策", (2024, 6, 1)),
        ("2025年工作要点", (2025, 2, 1)),
    ] {
        insert_item(
            db,
            w.organ,
            title,
            ItemStatus::Published,
            NaiveDate::from_ymd_opt(on.0, on.1, on.2),
        )
        .await;
    }
    let (cookie, csrf) = login(&w.app, "sys").await;
    let page = get(&w.app, "/admin/site/annual?year=2024", &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("信息公开目录信息更新量</td>\n<td data-label=\"数值\">2条 <span class=\"badge\">自动统计</span>") || page.body.contains("2条 <span class=\"badge\">自动统计</span>"), "{}", page.body);
    // A wrong figure: refused with the reason, the others kept as typed.
    let r = post(
        &w.app,
        "/admin/site/annual",
        &cookie,
        &[
            ("csrf", &csrf),
            ("year", "2024"),
            ("visits", "很多"),
            ("visitors", "3021"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("“网站总访问量”应填写非负整数"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"3021\""));
    // The current year cannot be published.
    let r = post(
        &w.app,
        "/admin/site/annual",
        &cookie,
        &[("csrf", &csrf), ("year", "2025"), ("publish", "1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("2025年度尚未结束"));
    let r = post(
        &w.app,
        "/admin/site/annual",
        &cookie,
        &[
            ("csrf", &csrf),
            ("year", "2024"),
            ("visits", "12034"),
            ("visitors", "3021"),
            ("emergency_drill", "是"),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = get(&w.app, "/site/annual-form", "").await.body;
    assert!(
        list.contains("2024年度政府网站工作年度报表") && list.contains("发布于 2025-03-10"),
        "{list}"
    );
    let form = get(&w.app, "/site/annual-form/2024", "").await.body;
    for s in [
        "<th scope=\"row\">网站总访问量</th><td>12034次</td>",
        "<th scope=\"row\">总数</th><td>2条</td>",
        "<th scope=\"row\">是否开展应急演练</th><td>是</td>",
        "<th scope=\"row\">新开设数量</th><td>未填报</td>",
    ] {
        assert!(form.contains(s), "{s}: {form}");
    }
    // Frozen: a later item of 2024 does not change the published form.
    insert_item(
        db,
        w.organ,
        "2024年补录信息",
        ItemStatus::Published,
        NaiveDate::from_ymd_opt(2024, 12, 1),
    )
    .await;
    let form = get(&w.app, "/site/annual-form/2024", "").await.body;
    assert!(form.contains("<th scope=\"row\">总数</th><td>2条</td>"));
    assert_eq!(
        get(&w.app, "/site/annual-form/2023", "").await.status,
        StatusCode::NOT_FOUND
    );
    w.t.cleanup().await;
}

#[tokio::test]
async fn the_column_is_served_under_a_host_sites_prefix_inside_its_header_and_footer() {
    let config = Config {
        embed: Some(std::sync::Arc::new(gongkai_web::embed::Embed {
            base_path: "/xxgk".into(),
            host_header: "<div class=\"host-top\"><a href=\"/\">灵武市人民政府</a></div>".into(),
            host_footer: "<div class=\"host-bottom\"><a href=\"/about\">关于本站</a></div>".into(),
        })),
        ..Config::default()
    };
    let w = world_with(gongkai_store::Backend::Sqlite, config).await;
    // Outside the prefix: not ours.
    assert_eq!(get(&w.app, "/", "").await.status, StatusCode::NOT_FOUND);
    let home = get(&w.app, "/xxgk/", "").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    let b = &home.body;
    assert!(b.contains("href=\"/xxgk/static/style.css\""), "{b}");
    assert!(b.contains(&format!("href=\"/xxgk/o/{}\"", w.organ)));
    assert!(b.contains("href=\"/xxgk/elder?on=1&#38;next=/\""), "{b}");
    // The host's fragments keep their own links, at the top and the bottom.
    assert!(b.contains("<div class=\"host-top\"><a href=\"/\">灵武市人民政府</a></div>"));
    assert!(b.contains("<a href=\"/about\">关于本站</a>"));
    assert!(b.find("host-top").unwrap() < b.find("<main").unwrap());
    assert!(b.find("host-bottom").unwrap() > b.find("site-footer").unwrap());
    // Pages under the prefix work, and redirects keep it.
    let organ = get(&w.app, &format!("/xxgk/o/{}", w.organ), "").await;
    assert_eq!(organ.status, StatusCode::OK);
    assert!(
        organ
            .body
            .contains(&format!("href=\"/xxgk/o/{}/guide\"", w.organ))
    );
    let r = get(&w.app, "/xxgk/elder?on=1&next=/sitemap", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location, "/xxgk/sitemap");
    // Feeds carry absolute addresses with the prefix.
    let feed = send(
        &w.app,
        Request::get("/xxgk/sitemaps/pages.xml")
            .header(header::HOST, "gov.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        feed.body.contains("http://gov.example/xxgk/"),
        "{}",
        feed.body
    );
    assert!(
        !feed.body.contains("http://gov.example/o/"),
        "{}",
        feed.body
    );
    w.t.cleanup().await;
}

#[path = "nginx.rs"]
mod nginx;
