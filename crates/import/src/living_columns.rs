//! The living demo's columns (issue 36): what a well-run bureau and its schools publish in the
//! columns the demo files leave empty, and the dated explanation an inspector accepts for a
//! column an organ genuinely has nothing for ("本校不制定规章和行政规范性文件", signed by its
//! office).
//!
//! Each organ kind (the bureau, a primary or middle school, the kindergarten, the vocational
//! centre) has its yearly items — dated on the same day each year after the files' last, as an
//! office's calendar runs: the statistics bulletin in April, the enrolment plan in April, the
//! aid lists each term — and a few standing ones (its disclosure rules, its officers) published
//! in the first living year. What an organ does not do (a school makes no rules, inspects no
//! private school, recruits no civil servants) is explained on that column's page instead.
//! People named are invented for the demo.

use crate::living::FILES_LAST_YEAR;
use crate::living_texts::{BUREAU, Doc, SCHOOL_CODES, cn, weekday_from};
use chrono::{Datelike, NaiveDate};

/// How an organ differs in what it publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bureau,
    School,
    Kindergarten,
    Vocational,
}

/// The organs of the demo with their kind: the bureau and its four schools.
fn organs() -> Vec<(&'static str, &'static str, Kind)> {
    let mut out = vec![(crate::demo::BUREAU_CODE, BUREAU, Kind::Bureau)];
    for (code, name, _) in SCHOOL_CODES {
        let kind = if name.contains("幼儿园") {
            Kind::Kindergarten
        } else if name.contains("职业") {
            Kind::Vocational
        } else {
            Kind::School
        };
        out.push((code, name, kind));
    }
    out
}

/// Fills `{O}` (the organ), `{Y}` (the year), `{Y1}` (the next), `{P}` (the previous) and `{N}`
/// (years since the files' last, for figures that grow).
fn fill(s: &str, organ: &str, y: i32) -> String {
    s.replace("{O}", organ)
        .replace("{Y1}", &(y + 1).to_string())
        .replace("{Y}", &y.to_string())
        .replace("{P}", &(y - 1).to_string())
        .replace("{N}", &(y - FILES_LAST_YEAR).to_string())
}

/// One yearly item: column, month and day, title and text (with the placeholders of [`fill`]).
type Yearly = (&'static str, u32, u32, &'static str, &'static str);

const BUREAU_YEARLY: &[Yearly] = &[
    (
        "教育概况",
        4,
        10,
        "{P}年灵武市教育事业发展统计公报",
        "一、学校情况\n\n{P}年，全市共有各级各类学校（幼儿园）86所，其中幼儿园41所、小学29所、初级中学9所、九年一贯制学校2所、普通高中3所、中等职业学校1所、特殊教育学校1所。\n\n二、学生和教师\n\n全市在校（园）学生4.6万人，专任教师3400余人，专任教师学历合格率保持100%。\n\n三、主要指标\n\n学前三年毛入园率、九年义务教育巩固率和高中阶段毛入学率均达到自治区规定目标，适龄残疾儿童少年入学率持续保持在95%以上。\n\n本公报数据来源于{P}年教育事业统计年报，不含技工学校。",
    ),
    (
        "校园安全",
        3,
        24,
        "灵武市教育系统{Y}年突发公共事件应急预案（修订）",
        "为有效预防和妥善处置教育系统突发公共事件，保障师生生命财产安全，市教育体育局修订了本预案。\n\n一、适用范围：本市各级各类学校（幼儿园）发生的自然灾害、事故灾难、公共卫生事件和社会安全事件。\n\n二、组织体系：市教育体育局成立应急工作领导小组，局长任组长；各学校（幼儿园）成立相应机构，校（园）长为第一责任人。\n\n三、预警和报告：事件发生后，学校须在1小时内向市教育体育局电话报告，2小时内书面报告。\n\n四、应急处置：按照分级负责、属地管理的原则，先期处置、及时报告、协同应对。\n\n五、保障措施：各学校每学期至少组织1次应急疏散演练。",
    ),
    (
        "招生管理",
        4,
        25,
        "灵武市{Y}年义务教育阶段学校招生入学工作方案",
        "一、招生原则：坚持免试就近入学，公办学校按划定的学区招生，不得以任何形式的考试、测试选拔学生。\n\n二、招生对象：年满6周岁（{P}年8月31日前出生）的适龄儿童入小学一年级；{Y}年小学毕业生入初中一年级。\n\n三、报名时间：小学一年级、初中一年级报名均在7月中旬进行，具体时间由各学校公告。\n\n四、随迁子女入学：凭居住证明和务工证明，由市教育体育局统筹安排就近入学。\n\n五、民办学校招生：纳入审批地统一管理，与公办学校同步招生，报名人数超过招生计划的实行电脑随机录取。\n\n咨询电话：0951-4021664。",
    ),
    (
        "教师管理",
        5,
        12,
        "灵武市{Y}年公开招聘中小学幼儿园教师公告",
        "经市人民政府同意，市教育体育局、市人力资源和社会保障局决定面向社会公开招聘中小学、幼儿园教师。\n\n一、招聘岗位：小学语文、数学、英语、体育，初中道德与法治、物理、化学，幼儿园教师，岗位和人数详见附表。\n\n二、报考条件：具有中华人民共和国国籍，遵守宪法和法律，具有相应的教师资格证和岗位要求的学历。\n\n三、招聘程序：报名、资格审查、笔试、面试、体检、考察、公示、聘用，各环节结果在本网站公布。\n\n四、报名时间和方式另行公告。\n\n咨询电话：0951-4021664（人事股）。",
    ),
    (
        "民办学校信息",
        6,
        15,
        "灵武市{Y}年度民办学校年度检查结果公告",
        "根据《中华人民共和国民办教育促进法》及其实施条例，市教育体育局对本市审批设立的民办学校和民办幼儿园开展了{P}年度年度检查。检查内容包括办学许可、法人治理、教育教学、安全管理、财务管理和收费情况。\n\n经学校自查、实地检查和综合评议，年检结论为合格的学校和幼儿园名单见附件；存在问题的，已书面告知并限期整改，整改情况将在本栏目公开。\n\n对年检结果有异议的，可自公告之日起15日内向市教育体育局基础教育股书面提出。",
    ),
    (
        "教育督导公开",
        7,
        8,
        "灵武市{Y}年春季学期责任督学挂牌督导工作报告",
        "本学期，全市责任督学按照“每月至少1次进校督导”的要求，对挂牌督导的学校（幼儿园）开展了经常性督导，重点督导了“双减”政策落实、课后服务、校园安全、食堂管理和学生作业、睡眠、手机、读物、体质管理等事项。\n\n督导中发现的问题，责任督学当场反馈，并向学校下达整改意见书；各学校已按期提交整改报告，整改情况经督学复查确认。\n\n下学期，将结合义务教育优质均衡发展督导评估，继续开展专项督导。",
    ),
    (
        "学生管理",
        8,
        20,
        "关于做好{Y}年秋季学期义务教育阶段学生转学工作的通知",
        "各学校：\n\n为规范义务教育阶段学生转学管理，保障学生受教育权利，现就{Y}年秋季学期转学工作通知如下。\n\n一、转学申请由监护人向转入学校提出，转入学校应在5个工作日内作出答复。\n\n二、学校应通过全国中小学生学籍信息管理系统办理转学手续，不得要求家长往返开具证明。\n\n三、对因家庭搬迁、随迁等原因提出的转学申请，学位有空余的学校应予接收。",
    ),
    (
        "财务信息",
        9,
        22,
        "灵武市{Y}年秋季学期学生资助资金分配情况公示",
        "根据中央、自治区学生资助资金下达文件，市教育体育局会同市财政局分配了{Y}年秋季学期学生资助资金，包括学前教育资助、义务教育阶段家庭经济困难学生生活补助、普通高中国家助学金和中等职业教育国家助学金，分配情况详见附表（按学校列示）。\n\n资助资金实行专款专用，由学校通过银行卡直接发放至受助学生或其监护人账户，任何单位和个人不得截留、挤占、挪用。\n\n监督电话：0951-4021664（学生资助管理中心）。",
    ),
    (
        "政策文件",
        6,
        18,
        "关于转发《宁夏回族自治区{Y}年学生资助工作要点》的通知",
        "各学校（幼儿园）、局属各单位：\n\n现将《宁夏回族自治区{Y}年学生资助工作要点》转发给你们，请结合实际认真贯彻落实，确保资助对象认定精准、资金发放及时足额，并按要求做好资助政策宣传和信息公开工作。",
    ),
    (
        "重要政策执行情况",
        11,
        16,
        "灵武市{Y}年控辍保学工作开展情况",
        "{Y}年，市教育体育局落实控辍保学“一人一案”，会同乡镇（街道）、公安、民政等部门开展适龄儿童少年入学核查，对疑似辍学学生逐一建档、逐一劝返。全市义务教育阶段无因贫失学辍学学生，适龄残疾儿童少年通过随班就读、送教上门等方式接受义务教育。",
    ),
    (
        "政策文件",
        11,
        10,
        "关于贯彻落实自治区{Y}年义务教育优质均衡发展工作部署的通知",
        "各学校（幼儿园）、局属各单位：\n\n为贯彻落实自治区关于推进义务教育优质均衡发展的工作部署，现就有关事项通知如下。\n\n一、对照优质均衡发展评估指标，逐项查找学校办学条件、师资配备和教育质量方面的差距，建立问题清单。\n\n二、按照“一校一策”制定整改方案，明确时限和责任人。\n\n三、市教育体育局将于学期末组织专项督导，督导结果纳入学校年度考核。",
    ),
];

/// The bureau's standing rules on disclosure (published in the first living year).
const BUREAU_RULES: &[(&str, &str)] = &[
    (
        "灵武市教育体育局政府信息主动公开制度",
        "一、本局主动公开《中华人民共和国政府信息公开条例》第十九条、第二十条规定的政府信息，以及本局认为应当主动公开的其他信息。\n\n二、属于主动公开范围的政府信息，应当自该信息形成或者变更之日起20个工作日内予以公开。\n\n三、主动公开的政府信息通过本网站、政务新媒体、公告栏等途径公开，并同步编入政府信息公开目录。",
    ),
    (
        "灵武市教育体育局依申请公开政府信息工作规程",
        "一、公民、法人或者其他组织可以通过本网站、信函、当面等方式提出政府信息公开申请。\n\n二、办公室统一登记申请，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复，需要延长的经负责人同意后告知申请人，延长期限不超过20个工作日。\n\n三、答复书应载明依据和救济途径，按规定送达申请人。",
    ),
    (
        "灵武市教育体育局政府信息公开保密审查制度",
        "一、政府信息公开前，按照“谁公开、谁审查”的原则，由信息形成股室进行保密审查，办公室复核，分管负责人审签。\n\n二、不能确定是否可以公开的，依照法律、法规和国家有关规定报有关主管部门或者保密行政管理部门确定。\n\n三、涉及个人隐私的信息，公开前作去标识化处理。",
    ),
    (
        "灵武市教育体育局政府信息发布协调与考核评议制度",
        "一、拟发布的政府信息涉及其他行政机关的，与有关行政机关进行沟通、确认，保证发布的信息准确一致。\n\n二、政府信息公开工作纳入股室年度目标考核，每年开展一次社会评议。\n\n三、对未按规定履行公开义务的，依照有关规定追究责任。",
    ),
];

/// What a school kind writes in the yearly items that differ by kind.
struct Words {
    aid: &'static str,
    honour: &'static str,
    policy: &'static str,
    service: &'static str,
    pupils: &'static str,
}

fn words(kind: Kind) -> Words {
    match kind {
        Kind::Kindergarten => Words {
            aid: "学前教育资助",
            honour: "优秀教职工",
            policy: "学前教育资助政策",
            service: "延时服务实施方案",
            pupils: "幼儿",
        },
        Kind::Vocational => Words {
            aid: "中等职业教育国家助学金",
            honour: "三好学生、优秀学生干部",
            policy: "中职学生免学费和国家助学金政策",
            service: "学生岗位实习工作安排",
            pupils: "学生",
        },
        _ => Words {
            aid: "义务教育阶段家庭经济困难学生生活补助",
            honour: "三好学生、优秀学生干部",
            policy: "“双减”政策",
            service: "课后服务实施方案",
            pupils: "学生",
        },
    }
}

/// A school's yearly items: (column, month, day, title, text), with the kind's words filled in.
fn school_yearly(kind: Kind) -> Vec<(&'static str, u32, u32, String, String)> {
    let w = words(kind);
    let aid_list = |term: &str| {
        format!(
            "经{pupils}家庭申请、班级（年级）评议、学校资助工作领导小组审核，{{O}}{{Y}}年{term}学期拟享受{aid}的{pupils}名单已确定。\n\n按照学生资助信息公示的有关规定，名单在校内公示栏公示5个工作日，只列姓名和班级，不在互联网公开{pupils}的身份证件号码、家庭住址等个人信息。\n\n公示期间如有异议，请向学校资助工作领导小组办公室反映。",
            pupils = w.pupils,
            aid = w.aid
        )
    };
    vec![
        (
            "公示公告",
            3,
            20,
            format!("{{O}}{{Y}}年春季学期{}受助名单公示", w.aid),
            aid_list("春季"),
        ),
        (
            "公示公告",
            6,
            20,
            format!("{{O}}{{Y}}年度“{}”评选结果公示", w.honour),
            format!(
                "经个人申报（班级推荐）、民主评议、学校评审，{{O}}{{Y}}年度“{}”评选结果已产生，名单在校内公示栏公示5个工作日。公示期间如有异议，请以书面形式向学校办公室反映。",
                w.honour
            ),
        ),
        (
            "公示公告",
            10,
            20,
            format!("{{O}}{{Y}}年秋季学期{}受助名单公示", w.aid),
            aid_list("秋季"),
        ),
        (
            "重要政策执行情况",
            7,
            6,
            format!("{{O}}{{Y}}年春季学期{}落实情况", w.policy),
            format!(
                "本学期，{{O}}认真落实{}，成立工作领导小组，制定实施方案，通过家长会、告家长书和学校网站向家长宣传政策，接受家长和社会监督。落实中发现的问题已逐项整改，整改情况报灵武市教育体育局备案。",
                w.policy
            ),
        ),
        (
            "教育督导公开",
            6,
            28,
            "{O}{Y}年春季学期责任督学挂牌督导反馈问题整改情况".into(),
            "本学期，责任督学对我校开展了经常性督导，反馈了校园安全隐患排查记录不完整、作业公示不够及时等问题。学校已完善安全隐患排查台账，落实作业公示制度，整改情况经责任督学复查确认。\n\n责任督学联系电话：0951-4021664（市人民政府教育督导委员会办公室）。".into(),
        ),
        (
            "规划计划",
            8,
            30,
            "{O}{Y}—{Y1}学年第一学期工作计划".into(),
            "本学期，学校坚持立德树人根本任务，重点做好以下工作：一是加强师德师风建设；二是深化课堂教学改革，提高教育教学质量；三是落实安全工作责任，开展应急疏散演练；四是做好学生资助和家校共育工作。全文详见附件。".into(),
        ),
        (
            "业务公开",
            9,
            8,
            format!("{{O}}{{Y}}年秋季学期{}", w.service),
            format!(
                "为做好{{Y}}年秋季学期{}工作，学校坚持家长自愿、学校组织、公益普惠的原则，制定本方案。\n\n一、时间安排：法定工作日放学后。\n\n二、内容安排：指导{}完成作业、开展文体科普和兴趣小组活动，不讲授新课。\n\n三、安全管理：明确带班教师，落实点名和交接制度。\n\n咨询电话：见本网站“机构职能”栏目。",
                w.service.trim_end_matches("实施方案").trim_end_matches("工作安排"),
                w.pupils
            ),
        ),
        (
            "教育概况",
            9,
            15,
            "{O}{Y}—{Y1}学年基本情况".into(),
            "{O}是灵武市教育体育局所属公办学校（幼儿园）。本学年办学规模与上学年基本持平，专任教师全部具备相应教师资格，办学条件达到自治区标准。学校办学规模、班额、师资和设施设备情况详见附件。".into(),
        ),
    ]
}

/// A school's officers and its rules, published in the first living year.
fn school_standing(name: &str, kind: Kind) -> Vec<(&'static str, String, String)> {
    let (head, title) = match kind {
        Kind::Kindergarten => ("园长", "园"),
        Kind::Vocational => ("校长", "中心"),
        _ => ("校长", "校"),
    };
    // Invented names, one set a school.
    let names: [&str; 3] = match kind {
        Kind::Kindergarten => ["刘晓梅", "马丽娟", "杨春燕"],
        Kind::Vocational => ["周建军", "丁立新", "海玉珍"],
        _ if name.contains("小学") => ["赵文斌", "苏红霞", "马志勇"],
        _ => ["孙国华", "李淑芳", "金宏伟"],
    };
    let [a, b, c] = names;
    vec![
        (
            "机构职能",
            format!("{name}领导班子成员及分工"),
            format!(
                "{head}、党支部书记：{a}　主持全{title}工作，负责党建、人事和财务。\n副{head}：{b}　负责教育教学、教研和学籍管理。\n副{head}：{c}　负责安全、后勤、食堂和学生资助。\n\n联系电话：0951-4021664"
            ),
        ),
        (
            "机构职能",
            format!("{name}机构设置及联系方式"),
            format!(
                "{name}设办公室、教务处（保教处）、德育处、总务处，由{head}统一领导。\n\n办公地址：宁夏回族自治区灵武市（演示地址）\n办公时间：法定工作日上午8:00—12:00，下午14:30—18:00\n联系电话：0951-4021664"
            ),
        ),
        (
            "政府信息公开制度",
            format!("{name}校务公开（信息公开）工作制度"),
            format!(
                "一、{name}校务公开工作由学校办公室负责，{head}为第一责任人。\n\n二、学校按照国家和自治区关于中小学校、幼儿园信息公开的有关要求，主动公开学校基本情况、招生入学、收费、学生资助、教师管理和校园安全等信息，通过本网站和校内公示栏公开。\n\n三、公开前进行保密审查，涉及学生和教职工个人信息的，不予公开或作去标识化处理。\n\n四、家长和社会对公开内容有疑问的，可向学校办公室咨询，也可向灵武市教育体育局反映。"
            ),
        ),
    ]
}

/// Every item the columns get through `today`: the bureau's and each school's, yearly from the
/// year after the files' last.
pub fn documents(today: NaiveDate) -> Vec<Doc> {
    let first = FILES_LAST_YEAR + 1;
    let doc = |organ: &'static str, publisher: &'static str, column: &'static str| Doc {
        organ,
        publisher,
        title: String::new(),
        category: column,
        written: today,
        doc_number: String::new(),
        normative: false,
        body: String::new(),
        attach: false,
        interprets: None,
    };
    let sign =
        |text: String, publisher: &str, on: NaiveDate| format!("{text}\n\n{publisher}\n{}", cn(on));
    let mut out = Vec::new();
    for (code, name, kind) in organs() {
        let yearly: Vec<(&'static str, u32, u32, String, String)> = match kind {
            Kind::Bureau => BUREAU_YEARLY
                .iter()
                .map(|&(c, m, d, t, b)| (c, m, d, t.to_string(), b.to_string()))
                .collect(),
            k => school_yearly(k),
        };
        for y in first..=today.year() {
            for (column, m, d, title, body) in &yearly {
                let Some(on) = NaiveDate::from_ymd_opt(y, *m, *d).map(weekday_from) else {
                    continue;
                };
                if on > today {
                    continue;
                }
                out.push(Doc {
                    title: fill(title, name, y),
                    written: on,
                    body: sign(fill(body, name, y), name, on),
                    attach: matches!(
                        *column,
                        "招生管理" | "教师管理" | "民办学校信息" | "财务信息"
                    ),
                    ..doc(code, name, column)
                });
            }
        }
        let Some(on) = NaiveDate::from_ymd_opt(first, 3, 6).map(weekday_from) else {
            continue;
        };
        if on > today {
            continue;
        }
        let standing: Vec<(&'static str, String, String)> = match kind {
            Kind::Bureau => BUREAU_RULES
                .iter()
                .map(|&(t, b)| ("政府信息公开制度", t.to_string(), b.to_string()))
                .collect(),
            k => school_standing(name, k),
        };
        for (column, title, body) in standing {
            out.push(Doc {
                title,
                written: on,
                body: sign(body, name, on),
                attach: column == "政府信息公开制度",
                ..doc(code, name, column)
            });
        }
    }
    out
}

/// Where an explanation goes: a first-level column by name, or the sub-column of
/// 法定主动公开内容 serving a clause of art. 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Top(&'static str),
    Clause(&'static str),
}

/// An explanation of an empty column, as an office writes it.
#[derive(Debug, Clone)]
pub struct Note {
    pub organ: &'static str,
    pub column: Column,
    pub text: String,
    pub by: String,
    pub on: NaiveDate,
}

/// The columns an organ of each kind has nothing for, and why.
fn explained(kind: Kind, name: &str) -> Vec<(Column, String)> {
    use Column::{Clause, Top};
    let civil = (
        Clause("第二十条（十四）"),
        format!(
            "{name}不是公务员招考机关。本市公务员考试录用的职位、名额、报考条件和录用结果由中共灵武市委组织部、灵武市人力资源和社会保障局统一发布；教师公开招聘信息见灵武市教育体育局“教师管理”栏目。"
        ),
    );
    if kind == Kind::Bureau {
        return vec![civil];
    }
    let own = |s: &str| s.replace("{O}", name);
    let mut out = vec![
        (
            Top("政策文件"),
            own(
                "{O}不制定规章和行政规范性文件。与学校有关的法律法规和政策文件，见灵武市教育体育局“政策文件”栏目。",
            ),
        ),
        (
            Top("民办学校信息"),
            own(&format!(
                "{{O}}为公办{}，不承担民办学校审批、年检等职能。民办学校信息由灵武市教育体育局在其“民办学校信息”栏目公开。",
                if kind == Kind::Kindergarten {
                    "幼儿园"
                } else {
                    "学校"
                }
            )),
        ),
        (
            Top("部门文件"),
            own(
                "{O}不对外制发文件。学校的管理制度在“政府信息公开制度”栏目公开，工作安排在“规划计划”栏目公开。",
            ),
        ),
        (
            Top("财政预决算及三公经费"),
            own(
                "{O}是灵武市教育体育局所属预算单位，不单独公开部门预决算：本单位预算、决算及“三公”经费纳入灵武市教育体育局部门预决算，在其“财政预决算及三公经费”栏目公开；本单位收费和资助资金情况见“财务信息”栏目。",
            ),
        ),
        (
            Top("重点建设项目"),
            own(
                "{O}近年没有重大建设项目。校舍维修改造等项目由灵武市教育体育局组织实施，在其“重点建设项目”栏目公开。",
            ),
        ),
        (
            Top("重点工作"),
            own(
                "{O}的年度重点工作随每学期工作计划在“规划计划”栏目公开，落实情况在“重要政策执行情况”栏目公开。",
            ),
        ),
        (
            Clause("第二十条（一）"),
            own("{O}不制定规章和行政规范性文件，本栏目无内容。"),
        ),
        (
            Clause("第二十条（六）"),
            own("{O}不是行政执法机关，不实施行政处罚和行政强制，本栏目无内容。"),
        ),
        (
            Clause("第二十条（十）"),
            own("{O}近年没有重大建设项目。校舍维修改造等项目由灵武市教育体育局组织实施并公开。"),
        ),
        civil,
    ];
    // The vocational centre buys through the central procurement itself (its register lists
    // it); the others' purchases are made by the bureau.
    if kind != Kind::Vocational {
        out.push((
            Clause("第二十条（九）"),
            own("{O}没有单独实施的政府集中采购项目。学校所需设备、图书等由灵武市教育体育局统一组织政府采购，在其政府集中采购栏目公开。"),
        ));
    }
    out
}

/// The explanations of the demo's organs, dated on the first working day of `today`'s year (or
/// `today` when earlier) and signed by each organ's office.
pub fn notes(today: NaiveDate) -> Vec<Note> {
    let on = NaiveDate::from_ymd_opt(today.year(), 1, 5)
        .map(weekday_from)
        .unwrap_or(today)
        .min(today);
    organs()
        .into_iter()
        .flat_map(|(code, name, kind)| {
            explained(kind, name)
                .into_iter()
                .map(move |(column, text)| Note {
                    organ: code,
                    column,
                    text,
                    by: format!("{name}办公室"),
                    on,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_organ_fills_its_columns_yearly_and_explains_only_what_it_does_not_do() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let docs = documents(today);
        // Titles name their organ or year: none repeats (bodies are found by title).
        let mut titles = std::collections::BTreeSet::new();
        for d in &docs {
            assert!(titles.insert(d.title.clone()), "{} twice", d.title);
            assert!(d.written <= today && d.written.year() > FILES_LAST_YEAR);
            assert!(d.body.contains(d.publisher), "{} is signed", d.title);
        }
        // Every school has its officers named (第二十条（二）) and this year's aid lists.
        for (code, name, _) in SCHOOL_CODES {
            let own: Vec<&Doc> = docs.iter().filter(|d| d.organ == code).collect();
            assert!(
                own.iter().any(|d| d.category == "机构职能"
                    && (d.body.contains("校长") || d.body.contains("园长"))),
                "{name}"
            );
            assert!(
                own.iter()
                    .any(|d| d.category == "公示公告" && d.title.contains("2026年秋季学期")),
                "{name}"
            );
        }
        // A column is either filled or explained for an organ, never both.
        let notes = notes(today);
        for n in &notes {
            if let Column::Top(c) = n.column {
                assert!(
                    !docs.iter().any(|d| d.organ == n.organ && d.category == c),
                    "{c} of {} both filled and explained",
                    n.organ
                );
            }
            assert_eq!(n.on, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        }
        // The bureau explains one clause only: it recruits no civil servants.
        assert_eq!(
            notes
                .iter()
                .filter(|n| n.organ == crate::demo::BUREAU_CODE)
                .count(),
            1
        );
        // A day in early January: the explanations are dated that day, not later.
        let early = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
        assert!(super::notes(early).iter().all(|n| n.on == early));
    }
}
