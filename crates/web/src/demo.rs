//! What the demo organ has published besides its records: its annual reports from 2020 through
//! last year, as the bureau published them each January (the 2020 one computed from the demo records equals
//! the seed report's figures), and its office details for the 公开指南 and the remedies of a
//! reply. `gongkai demo` calls [`publish_history`] after loading the records, so a newcomer's
//! archive, search and RSS show reports from the first run.

use chrono::{TimeZone, Utc};
use gongkai_app::{Actor, App, Time};
use gongkai_store::Db;
use gongkai_store::portal::OrganSettings;

/// The years the demo bureau published, with the day each report went online (the seed's three).
pub const PUBLISHED: [(i32, (i32, u32, u32)); 3] = [
    (2020, (2021, 1, 27)),
    (2021, (2022, 1, 25)),
    (2022, (2023, 1, 19)),
];

/// Every year the demo bureau has published by `today`: the seed's three, then each later year
/// in January of the next (the third Thursday, before art. 49's 31 January), through last year.
pub fn published_by(today: chrono::NaiveDate) -> Vec<(i32, chrono::NaiveDate)> {
    use chrono::{Datelike, NaiveDate, Weekday};
    let mut out: Vec<(i32, NaiveDate)> = PUBLISHED
        .iter()
        .filter_map(|&(y, (py, m, d))| Some((y, NaiveDate::from_ymd_opt(py, m, d)?)))
        .collect();
    for year in (PUBLISHED[2].0 + 1)..today.year() {
        if let Some(day) = NaiveDate::from_weekday_of_month_opt(year + 1, 1, Weekday::Thu, 3) {
            out.push((year, day));
        }
    }
    out.retain(|(_, day)| *day < today);
    out
}

/// The bureau's office as its 2020 report names it.
pub fn bureau_settings() -> OrganSettings {
    OrganSettings {
        office_name: "灵武市教育体育局办公室".into(),
        address: "宁夏回族自治区灵武市西平街142号".into(),
        postcode: "750400".into(),
        hours: "法定工作日 上午8:30—12:00，下午14:30—18:00".into(),
        phone: "0951-4021664".into(),
        fax: "0951-4021664".into(),
        email: "lwjydt@163.com".into(),
        website: String::new(),
        extra: String::new(),
        review_body: "灵武市人民政府".into(),
        court: "灵武市人民法院".into(),
        fee_payment: "持收费通知书到灵武市政务服务中心非税收入缴款窗口缴纳，或通过宁夏回族自治区非税收入网上缴款系统按通知书上的缴款码缴纳".into(),
        correction_days: 15,
        ..OrganSettings::default()
    }
}

/// Publishes the bureau's reports of [`published_by`] `today` (its own records, not its
/// schools', as the seed report counts) and sets its office details when none are set, through
/// the same use cases an office uses, on a clock set to each publication day. Returns the number
/// of reports published; a year already published is left as it is.
pub async fn publish_history(
    db: &Db,
    organ_key: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<usize> {
    let organ = db
        .find_organ(organ_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("演示机关不存在：{organ_key}"))?;
    let actor = Actor::Operator("演示数据".into());
    if db.organ_settings(organ.id).await? == OrganSettings::default() {
        let app = App::new(db.clone(), Time::system());
        gongkai_app::notices::save_settings(&app, &actor, organ.id, bureau_settings()).await?;
    }
    let app = App::new(db.clone(), Time::system());
    if gongkai_app::site::settings(&app).await? == gongkai_app::site::SiteSettings::default() {
        gongkai_app::site::save(&app, &actor, site_settings()).await?;
        gongkai_app::site::set_badge(&app, &actor, Some(&badge_png())).await?;
    }
    let already = db.published_reports(organ.id).await?;
    let mut n = 0;
    for (year, day) in published_by(today) {
        if already.iter().any(|p| p.year == year) {
            continue;
        }
        let app = App::new(db.clone(), Time::fixed(morning(day)));
        gongkai_app::reports::generate(&app, &actor, organ.id, year, false).await?;
        gongkai_app::reports::publish(&app, &actor, organ.id, year, "", None).await?;
        n += 1;
    }
    publish_site_forms(db, &actor, today).await?;
    Ok(n)
}

/// 10:00 Beijing time on `day`.
fn morning(day: chrono::NaiveDate) -> chrono::DateTime<Utc> {
    use chrono::Datelike;
    Utc.with_ymd_and_hms(day.year(), day.month(), day.day(), 2, 0, 0)
        .single()
        .expect("valid instant")
}

/// The site's 政府网站工作年度报表 of each year the bureau published its report, on the same
/// day: the figures of the records, and those only the site knows as its operator entered them
/// (see [`entered_figures`]). A year already published is left as it is.
async fn publish_site_forms(
    db: &Db,
    actor: &Actor,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let done = gongkai_app::site_form::published(&App::new(db.clone(), Time::system())).await?;
    for (year, day) in published_by(today) {
        if done.iter().any(|(y, _)| *y == year) {
            continue;
        }
        let app = App::new(db.clone(), Time::fixed(morning(day)));
        gongkai_app::site_form::save_entered(&app, actor, year, &entered_figures(year)).await?;
        gongkai_app::site_form::publish(&app, actor, year).await?;
    }
    Ok(())
}

/// What the demo site's operator enters on a year's form: visits growing year on year, the
/// security checks of a county site, the officers who sign.
pub fn entered_figures(year: i32) -> std::collections::BTreeMap<String, String> {
    let n = i64::from((year - 2020).max(0));
    let visitors = 38_000 + 4_100 * n;
    [
        ("home_url", "演示站点（无公网地址）".to_string()),
        ("site_kind", "部门网站".into()),
        ("visitors", visitors.to_string()),
        ("visits", (visitors * 4 + 1_250 * n).to_string()),
        ("topics_kept", "3".into()),
        ("topics_new", "1".into()),
        ("interpretation_products", "1".into()),
        ("media_articles", "0".into()),
        ("responses", "2".into()),
        ("registered_users", "0".into()),
        ("services_online", "6".into()),
        ("surveys", "1".into()),
        ("survey_opinions", (12 + 5 * n).to_string()),
        ("survey_results", "1".into()),
        ("interviews", "0".into()),
        ("smart_qa", "否".into()),
        ("security_checks", "4".into()),
        ("security_problems", "3".into()),
        ("security_fixed", "3".into()),
        ("security_monitoring", "是".into()),
        ("emergency_drill", "是".into()),
        ("security_officer", "是".into()),
        ("new_media", "灵武教体微信公众号（演示）".into()),
        ("head", "马建国".into()),
        ("reviewer", "李文华".into()),
        ("filler", "灵武市教育体育局办公室".into()),
        ("phone", "0951-4021664".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The demo site's identity: the bureau as 主办单位, and numbers that say they are the demo's
/// (a real site's come from the national register of government sites, MIIT and the police).
pub fn site_settings() -> gongkai_app::site::SiteSettings {
    gongkai_app::site::SiteSettings {
        site_name: "灵武市教育体育局政府信息公开（演示）".into(),
        sponsor: "灵武市教育体育局（演示数据）".into(),
        site_code: "DEMO000001".into(),
        icp: "宁ICP备00000000号（演示）".into(),
        police_record: "宁公网安备 64018100000000号（演示）".into(),
        contact: "灵武市教育体育局办公室（演示数据）\n地址：宁夏回族自治区灵武市西平街142号\n邮编：750400\n电话：0951-4021664\n电子邮箱：lwjydt@163.com\n办公时间：法定工作日 上午8:30—12:00，下午14:30—18:00\n\n政府信息公开申请请通过本网站“依申请公开”栏目提交；意见建议请通过“局长信箱”提交。".into(),
        privacy: "本网站尊重并保护用户隐私。\n\n一、您通过本网站提交政府信息公开申请、来信或意见时填写的姓名、证件号码、联系电话和地址，仅用于办理该事项和依法答复，不在网站上公开，不提供给第三方，法律法规另有规定的除外。\n\n二、公开答复来信时，只在写信人同意后公开，并隐去写信人的姓名和联系方式。\n\n三、本网站不使用跟踪用户的第三方统计代码。长者模式的选择保存在您浏览器的Cookie中，不含个人信息。".into(),
        copyright: "本网站由灵武市教育体育局主办（演示数据）。\n\n本网站发布的政府信息，除注明来源外，可以免费转载，转载时请注明来源，不得歪曲原意；涉及第三方权利的内容，转载前请征得权利人同意。".into(),
    }
}

/// A placeholder for the 党政机关网站标识 (55×64 PNG, the size of the real one): a red frame
/// with DEMO written in it, so no one mistakes it for the mark the national register issues.
pub fn badge_png() -> Vec<u8> {
    const W: usize = 55;
    const H: usize = 64;
    // DEMO in a 5×7 font, a row a byte (low five bits).
    const GLYPHS: [[u8; 7]; 4] = [
        [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
    ];
    let red = [0xC8, 0x10, 0x2E];
    let mut px = vec![[0xFFu8; 3]; W * H];
    for y in 0..H {
        for x in 0..W {
            if x < 3 || y < 3 || x >= W - 3 || y >= H - 3 {
                px[y * W + x] = red;
            }
        }
    }
    for (i, g) in GLYPHS.iter().enumerate() {
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) != 0 {
                    for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        let (x, y) = (4 + i * 12 + col * 2 + dx, 25 + row * 2 + dy);
                        px[y * W + x] = red;
                    }
                }
            }
        }
    }
    let mut raw = Vec::with_capacity(H * (1 + W * 3));
    for y in 0..H {
        raw.push(0); // no filter
        for p in &px[y * W..(y + 1) * W] {
            raw.extend_from_slice(p);
        }
    }
    png(W as u32, H as u32, &raw)
}

/// A PNG of 8-bit RGB rows (each led by its filter byte), stored without compression.
fn png(w: u32, h: u32, raw: &[u8]) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = b.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in raw {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}
