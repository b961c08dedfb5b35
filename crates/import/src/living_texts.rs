//! The words of the living demo (see `living.rs`): the bodies of the demo's documents by column,
//! each year's own rules with their interpretations, the news of the last two weeks, the 公示 and
//! the letters published with their replies — in the wording a county education bureau uses.
//! People named here are invented for the demo.

use crate::living::{FILES_LAST_YEAR, days_before};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use gongkai_domain::calendar::Calendar;

pub const BUREAU: &str = "灵武市教育体育局";

/// The demo's four schools (as `data/demo/organs.csv` lists them).
pub const SCHOOL_CODES: [(&str, &str, &str); 4] = [
    ("12640181MB1912101A", "灵武市第四小学", "第四小学"),
    ("12640181MB1912102B", "灵武市第四中学", "第四中学"),
    ("12640181MB1912103C", "灵武市幼儿园", "市幼儿园"),
    ("12640181MB1912104D", "灵武市职业教育中心", "职教中心"),
];

/// A document the living demo adds to the bureau's catalogue.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The code of the organ publishing it (the bureau or a school).
    pub organ: &'static str,
    /// Its full name, the 发布机构.
    pub publisher: &'static str,
    pub title: String,
    pub category: &'static str,
    pub written: NaiveDate,
    pub doc_number: String,
    /// 行政规范性文件 or 其他.
    pub normative: bool,
    pub body: String,
    /// Given a Word attachment of its text.
    pub attach: bool,
    /// The title of the document it interprets (a 政策解读).
    pub interprets: Option<String>,
}

impl Doc {
    /// The row of the catalogue file (`机关,标题,栏目,内容概述,发布机构,成文日期,发布日期,文号,
    /// 文件类型,状态,有效性,有效性变更日期`) in the order of `headers`.
    pub fn row(&self, headers: &[String]) -> Vec<String> {
        headers
            .iter()
            .map(|h| match h.trim() {
                "机关" => self.organ.to_string(),
                "标题" => self.title.clone(),
                "栏目" => self.category.to_string(),
                // The item page prints the 内容概述 above the text: a summary repeating the text's
                // first sentence read twice (seen at 375 px), so these documents carry none.
                "内容概述" => String::new(),
                "发布机构" => self.publisher.to_string(),
                "成文日期" | "发布日期" => self.written.to_string(),
                "文号" => self.doc_number.clone(),
                "文件类型" => if self.normative {
                    "行政规范性文件"
                } else {
                    "其他"
                }
                .to_string(),
                "状态" => "已发布".to_string(),
                _ => String::new(),
            })
            .collect()
    }
}

/// The rules a year brings (cycled after the last), with what they are for.
const RULES: [(&str, &str, &str); 4] = [
    (
        "灵武市义务教育阶段学校课后服务管理办法",
        "规范课后服务工作，切实减轻家长接送负担，促进学生全面发展",
        "课后服务坚持学生家长自愿原则，服务时间一般至当地正常下班时间；服务内容以指导学生完成作业、开展文体科普和社团活动为主，不得组织集体补课或讲授新课；服务收费按照自治区核定的标准执行，家庭经济困难学生予以减免",
    ),
    (
        "灵武市中小学校食堂管理办法",
        "加强中小学校食堂管理，保障师生饮食安全和营养健康",
        "学校食堂实行校长（园长）第一责任人制度和负责人陪餐制度；食材采购实行定点采购和索证索票，建立进货查验记录；食堂收支单独核算，伙食费专款专用，每学期向家长公开收支情况；严禁将食堂对外承包或委托经营",
    ),
    (
        "灵武市学前教育资助实施办法",
        "健全学前教育资助制度，保障家庭经济困难儿童接受普惠性学前教育",
        "资助对象为在本市经审批设立的幼儿园就读的家庭经济困难儿童、孤儿和残疾儿童；资助标准为每生每年1000元，按学期发放；申请由监护人向就读幼儿园提出，经幼儿园评议、公示5个工作日后报市教育体育局审核",
    ),
    (
        "灵武市中小学教师师德失范行为处理办法",
        "加强师德师风建设，规范教师职业行为",
        "对体罚学生、有偿补课、收受家长礼品礼金等师德失范行为，视情节轻重给予批评教育、诫勉谈话、通报批评直至依法依规给予处分；处理结果记入教师个人档案，在职称评审、评优评先中实行一票否决",
    ),
];

/// The news of the last two weeks (days before the day loaded, title with `{Y}` for its year).
const NEWS: [(u64, &str, &str); 6] = [
    (
        1,
        "灵武市教育体育局开展冬季校园安全专项检查",
        "为切实做好冬季校园安全工作，市教育体育局组成3个检查组，对全市中小学校、幼儿园开展冬季校园安全专项检查。检查组重点查看了学校消防设施、取暖设备、食堂食品安全、校车运营和学生上下学交通安全等情况，对发现的问题当场反馈、限期整改。下一步，市教育体育局将持续开展常态化安全检查，确保师生度过一个安全温暖的冬季。",
    ),
    (
        3,
        "全市中小学{Y}—{Y1}学年第一学期期末工作安排部署会召开",
        "市教育体育局召开全市中小学期末工作安排部署会，各学校校长、分管副校长参加会议。会议对期末考试组织、寒假安全教育、学生作业总量控制和假期值班值守等工作作出安排，要求各学校严格落实“双减”要求，科学安排寒假作业，通过家长会、告家长书等方式做好寒假安全提醒。",
    ),
    (
        5,
        "灵武市举办中小学教师信息技术应用能力提升培训",
        "为提升教师运用信息技术改进课堂教学的能力，市教育体育局举办中小学教师信息技术应用能力提升培训，来自全市各学校的120名骨干教师参加培训。培训采取专家讲座、案例分析和上机实操相结合的方式，围绕智慧课堂、国家中小学智慧教育平台应用等内容展开。",
    ),
    (
        8,
        "市教育体育局开展{Y}年学生资助政策落实情况专项督查",
        "为确保各项学生资助政策落到实处，市教育体育局对全市各学段学校学生资助工作开展专项督查。督查组通过查阅资料、走访学生等方式，重点检查资助对象认定、资金发放、公示和档案管理等情况，确保资助资金及时足额发放到受助学生手中。",
    ),
    (
        11,
        "灵武市第四中学开展“宪法宣传周”系列活动",
        "在第{N}个国家宪法日到来之际，灵武市第四中学开展“宪法宣传周”系列活动，通过国旗下讲话、主题班会、宪法知识竞赛和晨读宪法等形式，引导学生学习宪法知识、树立宪法意识，增强法治观念。",
    ),
    (
        13,
        "灵武市召开{Y}年教育督导工作推进会",
        "市人民政府教育督导委员会办公室召开教育督导工作推进会，通报了全市中小学校责任督学挂牌督导和学校办学行为专项督导发现的问题，安排部署了义务教育优质均衡发展督导评估迎检准备工作，要求各学校对照问题清单逐项整改到位。",
    ),
];

fn with_year(s: &str, y: i32) -> String {
    s.replace("{Y}", &y.to_string())
        .replace("{Y1}", &(y + 1).to_string())
        // The 国家宪法日 (4 December) was first kept in 2014.
        .replace("{N}", &(y - 2013).to_string())
}

/// The first weekday on or after `d`.
pub(crate) fn weekday_from(d: NaiveDate) -> NaiveDate {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d + Days::new(1);
    }
    d
}

/// What the living demo adds to the bureau's catalogue through `today`: each year after the
/// files' last its rule (March) with its 政策解读 (the same day) and a notice of its 工作要点
/// (February), and the news of the last two weeks.
pub fn documents(today: NaiveDate) -> Vec<Doc> {
    let mut out = Vec::new();
    for y in (FILES_LAST_YEAR + 1)..=today.year() {
        let n = (y - FILES_LAST_YEAR - 1) as usize;
        let (rule, purpose, content) = RULES[n % RULES.len()];
        let title = if n >= RULES.len() {
            format!("{rule}（{y}年修订）")
        } else {
            rule.to_string()
        };
        let on = weekday_from(NaiveDate::from_ymd_opt(y, 3, 10 + (n as u32 % 5)).unwrap_or(today));
        if on <= today {
            let number = format!("灵教体规发〔{y}〕1号");
            out.push(Doc {
                organ: crate::demo::BUREAU_CODE,
                publisher: BUREAU,
                title: title.clone(),
                category: "部门文件",
                written: on,
                doc_number: number.clone(),
                normative: true,
                body: rule_body(&title, purpose, content, on),
                attach: true,
                interprets: None,
            });
            out.push(Doc {
                organ: crate::demo::BUREAU_CODE,
                publisher: BUREAU,
                title: format!("《{title}》政策解读"),
                category: "政策文件",
                written: on,
                doc_number: String::new(),
                normative: false,
                body: interpretation_body(&title, &number, purpose, content),
                attach: false,
                interprets: Some(title.clone()),
            });
        }
        let points = weekday_from(NaiveDate::from_ymd_opt(y, 2, 20).unwrap_or(today));
        if points <= today {
            let t = format!("关于印发《灵武市教育体育局{y}年工作要点》的通知");
            out.push(Doc {
                organ: crate::demo::BUREAU_CODE,
                publisher: BUREAU,
                body: notice_body(&t, points),
                title: t,
                category: "规划计划",
                written: points,
                doc_number: format!("灵教体发〔{y}〕3号"),
                normative: false,
                attach: true,
                interprets: None,
            });
        }
    }
    for (days, title, text) in NEWS {
        let on = days_before(today, days);
        out.push(Doc {
            organ: crate::demo::BUREAU_CODE,
            publisher: BUREAU,
            title: with_year(title, on.year()),
            category: "重点工作",
            written: on,
            doc_number: String::new(),
            normative: false,
            body: format!("{}\n\n（{}供稿）", with_year(text, on.year()), BUREAU),
            attach: false,
            interprets: None,
        });
    }
    out
}

pub(crate) fn cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn rule_body(title: &str, purpose: &str, content: &str, on: NaiveDate) -> String {
    format!(
        "各学校（幼儿园）、局属各单位：\n\n为{purpose}，根据国家和自治区有关规定，结合我市实际，市教育体育局制定了《{title}》，现印发给你们，请认真贯彻执行。\n\n主要内容：{content}。\n\n本办法自印发之日起施行，有效期5年。执行中遇到的问题，请及时向市教育体育局反映。\n\n{BUREAU}\n{}",
        cn(on)
    )
}

fn interpretation_body(title: &str, number: &str, purpose: &str, content: &str) -> String {
    format!(
        "一、制定背景\n\n为{purpose}，市教育体育局在深入调研、广泛征求学校、家长和社会各方面意见的基础上，制定了《{title}》（{number}）。\n\n二、主要内容\n\n{content}。\n\n三、适用范围\n\n本办法适用于本市行政区域内的公办、民办中小学校和幼儿园。\n\n四、解读机关及联系方式\n\n解读机关：{BUREAU}\n联系电话：0951-4021664"
    )
}

fn notice_body(title: &str, on: NaiveDate) -> String {
    let subject = title
        .trim_start_matches("关于印发")
        .trim_end_matches("的通知");
    format!(
        "各学校（幼儿园）、局属各单位：\n\n现将{subject}印发给你们，请结合工作实际，认真抓好贯彻落实。\n\n{BUREAU}\n{}",
        cn(on)
    )
}

/// Whether items of a column are given their text as a Word attachment (documents, plans and
/// budgets are published with their files).
pub fn attached(category: &str) -> bool {
    matches!(
        category,
        "部门文件" | "政策文件" | "规划计划" | "财政预决算及三公经费"
    )
}

/// The body of a demo item without one, by its column (the words an education bureau uses).
pub fn body(
    cal: &Calendar,
    organ: &str,
    title: &str,
    category: &str,
    written: Option<NaiveDate>,
) -> String {
    let on = written.map(cn).unwrap_or_default();
    let sign = format!("\n\n{organ}\n{on}");
    let subject = title
        .trim_start_matches("关于")
        .trim_end_matches("的通知")
        .to_string();
    match category {
        "机构职能" if title.contains("领导分工") => format!(
            "局长：马建国　主持局全面工作，分管办公室、计划财务股。\n副局长：李文华　负责基础教育、招生考试、学生资助工作，分管基础教育股、学生资助管理中心。\n副局长：王海燕　负责教师队伍建设、人事、师德师风工作，分管人事股。\n副局长：张志强　负责体育、校园安全、后勤保障工作，分管体育股、安全保卫股。\n\n联系电话：0951-4021664{sign}"
        ),
        "机构职能" if title.contains("内设机构") => format!(
            "{organ}内设办公室、基础教育股、人事股、计划财务股、体育股、安全保卫股6个股室，下设学生资助管理中心、教育教学研究室。\n\n办公地址：宁夏回族自治区灵武市西平街142号\n办公时间：法定工作日上午8:30—12:00，下午14:30—18:00\n联系电话：0951-4021664{sign}"
        ),
        "机构职能" => format!(
            "（一）贯彻执行国家和自治区教育、体育工作方针政策和法律法规，拟订全市教育体育发展规划并组织实施。\n（二）负责全市各级各类教育的统筹规划和协调管理，推进义务教育均衡发展和教育公平。\n（三）负责全市教育经费的统筹管理，负责学生资助工作。\n（四）负责全市教师队伍建设和管理，指导学校师德师风建设。\n（五）负责全市招生考试和学籍管理工作。\n（六）统筹推进群众体育和竞技体育发展，负责公共体育场馆的管理和开放。\n（七）负责全市学校安全稳定工作。\n（八）完成市委、市政府交办的其他任务。{sign}"
        ),
        "公示公告" => {
            let (a, b) = written
                .map(|d| (d, crate::living::days_after_working(cal, d, 5)))
                .map(|(a, b)| (cn(a), cn(b)))
                .unwrap_or_default();
            let subject = title.trim_end_matches("公示").trim_end_matches("的");
            format!(
                "根据有关规定，经学校申报、资格审核，现将{subject}有关情况予以公示。\n\n公示期：{a}至{b}（5个工作日）。\n\n公示期间，如对公示内容有异议，请以书面形式或电话向{organ}反映。反映情况应实事求是，以单位名义反映的须加盖公章，以个人名义反映的须署真实姓名并提供联系方式。\n\n联系电话：0951-4021664{sign}"
            )
        }
        "财政预决算及三公经费" => format!(
            "根据《中华人民共和国预算法》和财政部门关于推进部门预决算公开的要求，现将{subject}的有关情况予以公开。公开内容包括部门概况、收入支出总表、财政拨款收入支出表、一般公共预算“三公”经费支出情况说明、政府采购情况和国有资产占用情况等，详见附件。\n\n联系电话：0951-4021664{sign}"
        ),
        "部门文件" | "政策文件" => format!(
            "各学校（幼儿园）、局属各单位：\n\n为做好{subject}工作，根据上级有关要求，结合我市实际，现就有关事项通知如下。\n\n一、提高思想认识。各单位要充分认识做好此项工作的重要意义，主要负责同志亲自抓，分管负责同志具体抓，确保各项要求落实到位。\n\n二、明确工作任务。各单位要对照通知要求，细化工作措施，明确时间节点和责任人，建立工作台账。\n\n三、强化督促检查。市教育体育局将适时开展督导检查，对工作不力、措施不实的单位予以通报。{sign}"
        ),
        "规划计划" => format!(
            "{subject}围绕办好人民满意的教育，坚持立德树人根本任务，推进义务教育优质均衡发展和学前教育普及普惠发展，加强教师队伍建设，改善办学条件，提升教育治理水平。全文详见附件。{sign}"
        ),
        "重点建设项目" => format!(
            "{subject}：项目由{organ}组织实施，资金来源为中央、自治区和市级财政资金。项目严格执行基本建设程序，依法进行招标，实行项目法人责任制、工程监理制和合同管理制。目前项目按计划推进，工程质量和安全生产情况良好。{sign}"
        ),
        "招生管理" => format!(
            "{subject}坚持公平、公正、公开原则，严格执行免试就近入学政策，按照划片范围和招生计划组织招生，招生结果在学校公示栏和本网站同时公开。咨询电话：0951-4021664。{sign}"
        ),
        "学生管理" | "教师管理" | "校园安全" | "重点工作" | "业务公开" | "财务信息" =>
        {
            format!(
                "{subject}有关工作按照上级部署和年度工作安排有序推进。{organ}将持续加强工作指导和督促检查，及时公开工作进展情况，接受社会监督。\n\n联系电话：0951-4021664{sign}"
            )
        }
        _ => format!("{subject}。{sign}"),
    }
}

/// A name fit for a file: the title without characters file systems refuse.
pub fn file_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(60)
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Word document (DOCX) holding the title and the text, one paragraph a line, in 仿宋 with a
/// 小标宋 title as government documents are set.
pub fn docx(title: &str, body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut paragraphs = format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"方正小标宋简体\" w:eastAsia=\"方正小标宋简体\"/><w:sz w:val=\"44\"/></w:rPr><w:t>{}</w:t></w:r></w:p>",
        xml_escape(title)
    );
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        paragraphs.push_str(&format!(
            "<w:p><w:r><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(line.trim())
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{paragraphs}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        // Writing to memory cannot fail but for a bug in the zip crate; an empty file then.
        if z.start_file(name, zip::write::SimpleFileOptions::default())
            .and_then(|_| z.write_all(text.as_bytes()).map_err(Into::into))
            .is_err()
        {
            return Vec::new();
        }
    }
    z.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// A 公示 of the bureau with its period.
pub struct Announcement {
    pub title: String,
    pub body: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// The bureau's 公示 around the day loaded: one running now, two ended.
pub fn announcements(cal: &Calendar, today: NaiveDate) -> Vec<Announcement> {
    let y = today.year();
    let list: [(u64, String, String); 3] = [
        (
            2,
            format!("{y}年度灵武市中小学教师职称评审推荐人选公示"),
            "经个人申报、学校推荐、市教育体育局资格审核，现将{y}年度中小学教师职称评审推荐人选名单予以公示（名单见正文后附表，姓名已按规定公开）。".to_string(),
        ),
        (
            40,
            format!("{y}年秋季学期学前教育资助对象公示"),
            "经幼儿园评议、市教育体育局审核，{y}年秋季学期拟资助学前教育家庭经济困难儿童共86名，现予以公示。".to_string(),
        ),
        (
            120,
            format!("{y}年灵武市优秀教师和优秀班主任拟表彰人选公示"),
            "经学校推荐、市教育体育局评审，现将{y}年灵武市优秀教师和优秀班主任拟表彰人选予以公示。".to_string(),
        ),
    ];
    list.into_iter()
        .map(|(days, title, text)| {
            let starts_on = days_before(today, days);
            let ends_on = crate::living::days_after_working(cal, starts_on, 5);
            Announcement {
                body: format!(
                    "{}\n\n公示期：{}至{}。公示期间如有异议，请以书面形式向{BUREAU}人事股反映，联系电话：0951-4021664。",
                    text.replace("{y}", &y.to_string()),
                    cn(starts_on),
                    cn(ends_on)
                ),
                title,
                starts_on,
                ends_on,
            }
        })
        .collect()
}

/// A letter written to the bureau's mailbox on the portal, with its reply.
pub struct DemoLetter {
    pub received_on: NaiveDate,
    pub subject: String,
    pub body: String,
    pub reply: String,
    pub replied_on: Option<NaiveDate>,
    /// The writer agreed to publication: its reply is published (来信选登).
    pub consent: bool,
}

/// The letters of the last months: five answered and published with their writers' consent,
/// one answered privately, one still within its reply time.
pub fn portal_letters(cal: &Calendar, today: NaiveDate) -> Vec<DemoLetter> {
    let list: [(u64, u32, &str, &str, &str, bool); 7] = [
        (
            150,
            9,
            "关于城区学校课后服务时间的建议",
            "孩子在城区小学就读，学校课后服务17:30结束，我们双职工家庭下班较晚，接孩子很困难，建议延长课后服务时间。",
            "您好！您反映的情况已收悉。根据《灵武市义务教育阶段学校课后服务管理办法》，课后服务结束时间原则上不早于当地正常下班时间。我局已要求城区各小学结合家长需求，提供延时托管服务，最晚至18:30，家长可向学校提出申请。感谢您对教育工作的关心和支持！",
            true,
        ),
        (
            120,
            7,
            "咨询义务教育阶段转学手续",
            "我家孩子明年春季学期要从外省转入灵武市就读小学三年级，请问需要办理哪些手续？",
            "您好！义务教育阶段学生转学，由监护人持户口簿、居住证明（房产证或租房合同）和原学校出具的学籍信息表，到拟转入学校提出申请，经学校审核同意后通过全国中小学生学籍信息管理系统办理转学手续。转入学校按照学区划分确定。具体可咨询市教育体育局基础教育股，电话0951-4021664。",
            true,
        ),
        (
            95,
            6,
            "反映学校周边交通拥堵问题",
            "每天早晚上下学时间，第四小学门口道路车辆拥堵，存在安全隐患，建议有关部门采取措施。",
            "您好！您反映的问题我局高度重视，已会同市公安局交警大队实地查看，在上下学时段增派警力和护学岗人员疏导交通，并在学校周边增设临时停车区域和交通警示标志。我们将持续关注，保障学生上下学安全。",
            true,
        ),
        (
            60,
            8,
            "建议增加中小学生体育场馆开放时间",
            "市体育馆周末开放时间较短，建议增加周末和节假日对中小学生的开放时间。",
            "您好！感谢您的建议。自下月起，市全民健身中心在周六、周日和法定节假日对中小学生免费开放时间延长至每天8:00—20:00，学生凭学生证入场。",
            true,
        ),
        (
            30,
            5,
            "咨询学前教育资助申请条件",
            "请问家庭经济困难幼儿申请学前教育资助需要什么条件，去哪里申请？",
            "您好！根据《灵武市学前教育资助实施办法》，在本市经审批设立的幼儿园就读的家庭经济困难儿童、孤儿和残疾儿童可以申请资助，标准为每生每年1000元。申请由监护人向就读幼儿园提出，经幼儿园评议、公示后报我局审核。",
            true,
        ),
        (
            20,
            4,
            "反映个人工资待遇问题",
            "反映本人工资待遇核定问题。",
            "您好！您反映的问题已转人事股核实，工作人员已电话与您联系并当面说明了有关政策。",
            false,
        ),
        (
            2,
            0,
            "关于寒假期间校园开放的建议",
            "建议寒假期间学校操场对周边居民开放，方便群众锻炼。",
            "",
            true,
        ),
    ];
    list.into_iter()
        .map(|(ago, took, subject, body, reply, consent)| {
            let received_on = weekday_from(days_before(today, ago));
            let replied_on = (!reply.is_empty())
                .then(|| crate::living::days_after_working(cal, received_on, took))
                .filter(|d| *d <= today);
            DemoLetter {
                received_on: received_on.min(today),
                subject: subject.to_string(),
                body: body.to_string(),
                reply: if replied_on.is_some() {
                    reply.to_string()
                } else {
                    String::new()
                },
                replied_on,
                consent,
            }
        })
        .collect()
}

/// A draft the bureau put out for comment, with the feedback it published (empty while open).
pub struct DemoConsultation {
    pub title: String,
    pub body: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub feedback: String,
    pub feedback_on: Option<NaiveDate>,
}

/// One draft open for comment on the day loaded, one ended with its feedback published.
pub fn consultations(today: NaiveDate) -> Vec<DemoConsultation> {
    let y = today.year();
    let open_from = days_before(today, 10);
    let ended_from = days_before(today, 120);
    vec![
        DemoConsultation {
            title: format!("关于《灵武市{}年义务教育阶段学校招生入学工作方案（征求意见稿）》公开征求意见的公告", y + 1),
            body: format!(
                "为做好{}年义务教育阶段学校招生入学工作，市教育体育局起草了《灵武市{}年义务教育阶段学校招生入学工作方案（征求意见稿）》，现向社会公开征求意见。\n\n征求意见稿的主要内容：坚持免试就近入学，公办学校按划定的学区招生；随迁子女凭居住证明入学；民办学校招生纳入审批地统一管理，与公办学校同步招生，报名人数超过招生计划的实行电脑随机录取。\n\n公众可在征集期内通过本页面提出意见，也可发送电子邮件至lwjydt@163.com，或寄信至灵武市西平街142号灵武市教育体育局基础教育股（邮编750400），请在信封上注明“招生方案意见”。",
                y + 1,
                y + 1
            ),
            starts_on: open_from,
            ends_on: open_from + Days::new(30),
            feedback: String::new(),
            feedback_on: None,
        },
        DemoConsultation {
            title: "关于《灵武市中小学校食堂管理办法（征求意见稿）》公开征求意见的公告".into(),
            body: "为加强中小学校食堂管理，市教育体育局起草了《灵武市中小学校食堂管理办法（征求意见稿）》，现向社会公开征求意见。征求意见稿共六章三十条，主要规定了食堂管理体制、食材采购、食品加工、经费管理和监督检查。".into(),
            starts_on: ended_from,
            ends_on: ended_from + Days::new(30),
            feedback: "征集期内共收到意见建议17条，其中网上提交12条、电子邮件5条。经研究，采纳9条：增加家长代表参与食堂管理委员会的规定、明确食堂收支每学期公开一次、增加学生营养餐搭配要求等；部分采纳3条；未采纳5条，主要是建议允许食堂对外承包经营，因与上级关于学校食堂不得对外承包的规定不符，未予采纳。感谢社会各界的关心和支持。".into(),
            feedback_on: Some(ended_from + Days::new(45)),
        },
    ]
}
