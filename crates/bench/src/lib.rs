//! Data at the scale of a province, in the style of real disclosure portals, and the loader that
//! puts it in the store (`bench_data`). Deterministic: the same seed gives the same data,
//! so benchmark runs compare like with like.
//!
//! Shape: counties of Ningxia, each with its people's government and some twenty departments
//! under it; items spread over 2015–2024 with 文号 in each organ's own style, titles and bodies
//! assembled from the phrases those documents use; applications and letters in proportion
//! (one application per ten items, one letter per twenty, by default).

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_domain::application::{ApplicantType, ReplyResult};
use gongkai_domain::records::NewOrgan;
use gongkai_domain::report::OrganKind;
use gongkai_search::{Index, feed};
use gongkai_store::Db;
use gongkai_store::search_feed::{BulkApplication, BulkItem, BulkLetter};
use std::collections::HashMap;
use std::sync::Arc;

/// A small, fast, seedable generator (splitmix64); good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

pub const COUNTIES: &[(&str, &str)] = &[
    ("灵武市", "灵"),
    ("永宁县", "永"),
    ("贺兰县", "贺"),
    ("兴庆区", "兴"),
    ("金凤区", "金"),
    ("西夏区", "西"),
    ("大武口区", "武"),
    ("惠农区", "惠"),
    ("平罗县", "平"),
    ("利通区", "利"),
    ("青铜峡市", "青"),
    ("盐池县", "盐"),
    ("同心县", "同"),
    ("红寺堡区", "红"),
    ("原州区", "原"),
    ("西吉县", "吉"),
    ("隆德县", "隆"),
    ("泾源县", "泾"),
    ("彭阳县", "彭"),
    ("沙坡头区", "沙"),
    ("中宁县", "宁"),
    ("海原县", "海"),
];

/// Departments: name, 文号 abbreviation, topics they write about.
pub const DEPARTMENTS: &[(&str, &str, &[&str])] = &[
    (
        "教育体育局",
        "教",
        &[
            "义务教育招生",
            "学前教育资助",
            "校园安全",
            "教师招聘",
            "中小学课后服务",
            "全民健身",
            "学生资助",
            "高中阶段招生",
        ],
    ),
    (
        "民政局",
        "民",
        &[
            "最低生活保障",
            "特困人员供养",
            "临时救助",
            "养老服务",
            "婚姻登记",
            "社会组织管理",
            "殡葬管理",
            "儿童福利",
        ],
    ),
    (
        "财政局",
        "财",
        &[
            "预算公开",
            "政府采购",
            "专项资金管理",
            "国有资产管理",
            "惠民惠农补贴",
            "债务管理",
        ],
    ),
    (
        "人力资源和社会保障局",
        "人社",
        &[
            "就业创业补贴",
            "城乡居民养老保险",
            "农民工工资支付",
            "事业单位公开招聘",
            "职业技能培训",
            "工伤保险",
        ],
    ),
    (
        "自然资源局",
        "自然资",
        &[
            "国土空间规划",
            "集体土地征收",
            "不动产登记",
            "耕地保护",
            "矿产资源管理",
        ],
    ),
    (
        "住房和城乡建设局",
        "建",
        &[
            "老旧小区改造",
            "保障性住房",
            "建筑工地扬尘治理",
            "物业管理",
            "城市供热",
        ],
    ),
    (
        "卫生健康局",
        "卫",
        &[
            "家庭医生签约服务",
            "疫苗接种",
            "公共卫生服务",
            "医疗机构监管",
            "妇幼健康",
        ],
    ),
    (
        "市场监督管理局",
        "市监",
        &[
            "食品安全抽检",
            "特种设备安全",
            "价格监督检查",
            "市场主体登记",
            "药品安全",
        ],
    ),
    (
        "生态环境局",
        "环",
        &["大气污染防治", "水污染防治", "环境影响评价", "固体废物管理"],
    ),
    (
        "交通运输局",
        "交",
        &["农村公路建设", "道路运输管理", "公交线路调整", "交通安全"],
    ),
    (
        "农业农村局",
        "农",
        &[
            "耕地地力保护补贴",
            "农作物病虫害防治",
            "高标准农田建设",
            "农村人居环境整治",
        ],
    ),
    (
        "应急管理局",
        "应急",
        &["安全生产检查", "防汛抗旱", "森林草原防火", "危险化学品管理"],
    ),
    (
        "水务局",
        "水",
        &["河湖长制", "农村饮水安全", "水资源管理", "防汛"],
    ),
    (
        "医疗保障局",
        "医保",
        &["城乡居民医疗保险", "医疗救助", "医保基金监管", "异地就医"],
    ),
    (
        "退役军人事务局",
        "退役",
        &["优抚对象", "退役士兵安置", "烈士褒扬"],
    ),
    (
        "发展和改革局",
        "发改",
        &["重点项目建设", "价格管理", "粮食储备", "营商环境"],
    ),
    (
        "文化旅游广电局",
        "文旅",
        &["文物保护", "公共文化服务", "旅游市场监管"],
    ),
    (
        "司法局",
        "司",
        &["法律援助", "人民调解", "行政执法监督", "普法宣传"],
    ),
    ("审计局", "审", &["审计结果公告", "经济责任审计"]),
    ("统计局", "统", &["统计公报", "经济普查"]),
];

const GOV_TOPICS: &[&str] = &[
    "政府工作报告",
    "营商环境",
    "乡村振兴",
    "政务公开",
    "安全生产",
    "防汛工作",
    "人事任免",
    "重大行政决策",
];

const TITLE_PATTERNS: &[&str] = &[
    "{org}关于做好{year}年{topic}工作的通知",
    "{org}关于印发{topic}实施方案的通知",
    "{org}关于进一步加强{topic}工作的意见",
    "关于{year}年{topic}情况的公示",
    "{org}{year}年{topic}工作总结",
    "关于开展{topic}专项行动的通知",
    "{topic}办事指南",
    "{org}关于{topic}有关事项的公告",
    "{year}年{topic}资金分配情况公示",
    "关于{topic}政策的解读",
];

const SENTENCES: &[&str] = &[
    "为贯彻落实上级有关{topic}的决策部署，结合我市实际，现将有关事项通知如下。",
    "各乡镇人民政府，市直各部门：",
    "{topic}工作事关群众切身利益，各单位要提高认识，加强组织领导，明确责任分工。",
    "本方案自印发之日起施行，有效期五年。",
    "请各单位于{year}年{month}月底前将工作开展情况报送{org}。",
    "坚持以人民为中心的发展思想，统筹推进{topic}，不断提升群众获得感。",
    "对工作中发现的问题要及时整改，确保{topic}各项任务落到实处。",
    "联系电话：0951-4012345。",
    "{org}将会同有关部门加强监督检查，对落实不力的予以通报。",
    "依据《中华人民共和国政府信息公开条例》，现予以主动公开。",
    "资金由市财政统筹安排，专款专用，任何单位和个人不得截留挪用。",
    "公示期为{days}个工作日，如有异议，请在公示期内向{org}反映。",
    "申请人应当提交身份证明、申请表及相关证明材料，到政务服务中心窗口办理。",
    "全年共完成{topic}任务{n}项，受益群众{m}人次。",
];

const LETTER_SUBJECTS: &[&str] = &[
    "关于{topic}的咨询",
    "反映{topic}问题",
    "建议加强{topic}",
    "{topic}什么时候办理",
];

const APPLICATION_SUBJECTS: &[&str] = &[
    "申请公开{year}年{topic}的相关文件",
    "申请获取{topic}资金使用明细",
    "申请公开{topic}的审批依据",
    "申请公开{org}{year}年{topic}名单",
];

fn pick_str(rng: &mut Rng, xs: &[&'static str]) -> &'static str {
    xs[rng.below(xs.len())]
}

fn fill(pattern: &str, org: &str, topic: &str, year: i32, rng: &mut Rng) -> String {
    pattern
        .replace("{org}", org)
        .replace("{topic}", topic)
        .replace("{year}", &year.to_string())
        .replace("{month}", &(1 + rng.below(12)).to_string())
        .replace("{days}", &(5 + rng.below(10)).to_string())
        .replace("{n}", &(3 + rng.below(200)).to_string())
        .replace("{m}", &(100 + rng.below(50_000)).to_string())
}

/// An organ of the generated province, once created.
#[derive(Debug, Clone)]
pub struct GenOrgan {
    pub id: i64,
    pub name: String,
    /// 文号 prefix, e.g. 灵教发.
    pub prefix: String,
    pub topics: Vec<&'static str>,
    pub categories: Vec<i64>,
    /// The names of `categories`, in the same order.
    pub category_names: Vec<&'static str>,
    pub code: String,
}

/// How much to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub items: u64,
    pub applications: u64,
    pub letters: u64,
    /// Extra applications for the first department (灵武市教育体育局) in `focus_year`, for
    /// the report benchmark.
    pub focus_applications: u64,
    pub focus_year: i32,
    pub seed: u64,
    /// Rows generated and written at a time (items are indexed and progress reported a batch
    /// at a time).
    pub batch: usize,
    /// Rows written per transaction (a whole number of batches). Large transactions matter on
    /// SQLite: a transaction writes each index page it touched once, however many rows touched
    /// it, and rows in no particular order touch most of the date indexes' pages each time.
    pub rows_per_commit: u64,
    /// Items by COPY on PostgreSQL instead of multi-row INSERTs.
    pub copy: bool,
}

impl Plan {
    pub fn for_items(items: u64) -> Plan {
        Plan {
            items,
            applications: items / 10,
            letters: items / 20,
            focus_applications: 0,
            focus_year: 2023,
            seed: 20_201_212,
            batch: 5000,
            rows_per_commit: 100_000,
            copy: false,
        }
    }

    /// Organs: enough that each holds a few thousand items, at most every department of
    /// every county.
    pub fn organ_count(&self) -> usize {
        let max = COUNTIES.len() * (DEPARTMENTS.len() + 1);
        ((self.items / 2000) as usize).clamp(DEPARTMENTS.len() + 1, max)
    }
}

/// Creates the organs (governments first, then their departments) and a catalogue tree each.
pub async fn create_organs(db: &Db, plan: &Plan) -> anyhow::Result<Vec<GenOrgan>> {
    let want = plan.organ_count();
    let mut out = Vec::new();
    let existing = db.organs().await?.len();
    'counties: for (ci, (county, abbr)) in COUNTIES.iter().enumerate() {
        let gov_name = format!("{county}人民政府");
        let mut tx = db.begin().await?;
        let gov = tx
            .create_organ(&NewOrgan {
                code: format!("B{existing}-{ci:02}"),
                name: gov_name.clone(),
                short_name: county.to_string(),
                kind: OrganKind::Government,
                parent_id: None,
                index_pattern: "{code}/{year}-{seq:05}".into(),
            })
            .await?;
        let mut cats = Vec::new();
        let gov_cats = [
            "规范性文件",
            "政府工作报告",
            "人事信息",
            "财政信息",
            "政务公开",
        ];
        for (i, name) in gov_cats.iter().enumerate() {
            cats.push(tx.insert_category(gov.id, None, name, "", i as i32).await?);
        }
        out.push(GenOrgan {
            id: gov.id,
            name: gov_name,
            prefix: format!("{abbr}政发"),
            topics: GOV_TOPICS.to_vec(),
            categories: cats,
            category_names: gov_cats.to_vec(),
            code: gov.code.clone(),
        });
        for (di, (dept, dabbr, topics)) in DEPARTMENTS.iter().enumerate() {
            if out.len() >= want {
                tx.commit().await?;
                break 'counties;
            }
            let name = format!("{county}{dept}");
            let o = tx
                .create_organ(&NewOrgan {
                    code: format!("B{existing}-{ci:02}-{di:02}"),
                    name: name.clone(),
                    short_name: String::new(),
                    kind: OrganKind::Department,
                    parent_id: Some(gov.id),
                    index_pattern: "{code}/{year}-{seq:05}".into(),
                })
                .await?;
            let mut cats = Vec::new();
            for (i, t) in topics.iter().enumerate() {
                cats.push(tx.insert_category(o.id, None, t, "", i as i32).await?);
            }
            cats.push(tx.insert_category(o.id, None, "其他", "", 99).await?);
            let mut names = topics.to_vec();
            names.push("其他");
            out.push(GenOrgan {
                id: o.id,
                name,
                prefix: format!("{abbr}{dabbr}发"),
                topics: topics.to_vec(),
                categories: cats,
                category_names: names,
                code: o.code.clone(),
            });
        }
        tx.commit().await?;
        if out.len() >= want {
            break;
        }
    }
    Ok(out)
}

fn date_in(rng: &mut Rng, from: i32, to: i32) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(from, 1, 1).expect("valid");
    let days = (NaiveDate::from_ymd_opt(to, 12, 31).expect("valid") - start).num_days();
    start + Duration::days(rng.below(days as usize + 1) as i64)
}

/// Generates item number `n` (0-based) of the plan.
pub fn item(organs: &[GenOrgan], n: u64, rng: &mut Rng) -> BulkItem {
    let o = &organs[(n as usize) % organs.len()];
    let ti = rng.below(o.topics.len());
    let topic = o.topics[ti];
    let written = date_in(rng, 2015, 2024);
    let year = written.year();
    let title = fill(pick_str(rng, TITLE_PATTERNS), &o.name, topic, year, rng);
    let mut body = String::new();
    let sentences = 4 + rng.below(5);
    for _ in 0..sentences {
        body.push_str(&fill(pick_str(rng, SENTENCES), &o.name, topic, year, rng));
    }
    let numbered = rng.chance(60);
    let doc_kind = if numbered && rng.chance(25) {
        "normative"
    } else {
        "other"
    };
    let validity = if doc_kind == "normative" && year < 2020 && rng.chance(30) {
        Some((
            if rng.chance(50) {
                "repealed"
            } else {
                "amended"
            },
            written + Duration::days(700),
        ))
    } else {
        None
    };
    BulkItem {
        organ_id: o.id,
        index_no: format!("{}/{}-{:08}", o.code, year, n),
        summary: body.chars().take(60).collect(),
        title,
        body,
        category_id: o.categories[ti.min(o.categories.len() - 1)],
        issuing_unit: o.name.clone(),
        written_on: written,
        published_on: written + Duration::days(rng.below(20) as i64),
        // The item number keeps 文号 unique within an organ and year, as real ones are.
        doc_number: if numbered {
            format!("{}〔{}〕{}号", o.prefix, year, n / organs.len() as u64 + 1)
        } else {
            String::new()
        },
        doc_kind,
        validity,
    }
}

const RESULT_WEIGHTS: &[(ReplyResult, u64)] = &[
    (ReplyResult::Disclosed, 45),
    (ReplyResult::PartlyDisclosed, 10),
    (ReplyResult::ThirdPartyRights, 3),
    (ReplyResult::ProcessInformation, 4),
    (ReplyResult::NotHeld, 20),
    (ReplyResult::PetitionOrComplaint, 5),
    (ReplyResult::Repeated, 3),
    (ReplyResult::QueryProcedure, 5),
    (ReplyResult::Other, 5),
];

fn snake<T: serde::Serialize>(v: &T) -> &'static str {
    // The codes are a closed set; leaking each distinct one once is fine for a generator.
    let s = serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Box::leak(s.into_boxed_str())
}

/// Application and result codes, computed once.
pub struct Codes {
    applicants: Vec<&'static str>,
    results: Vec<(&'static str, u64)>,
}

impl Codes {
    pub fn new() -> Codes {
        Codes {
            applicants: ApplicantType::ALL.iter().map(snake).collect(),
            results: RESULT_WEIGHTS.iter().map(|(r, w)| (snake(r), *w)).collect(),
        }
    }
}

impl Default for Codes {
    fn default() -> Self {
        Codes::new()
    }
}

/// Generates application number `seq` of `organ` in `year`.
pub fn application(
    o: &GenOrgan,
    year: i32,
    seq: i64,
    rng: &mut Rng,
    codes: &Codes,
) -> BulkApplication {
    let received = date_in(rng, year, year);
    // Most applicants are people (natural persons), a few companies and others.
    let kind_i = match rng.below(100) {
        0..=84 => 0,
        85..=94 => 1,
        n => 1 + (n % (codes.applicants.len() - 1)),
    };
    let open = received.month() == 12 && rng.chance(40);
    let mut total = 0;
    let roll = rng.below(100) as u64;
    let mut result = codes.results[0].0;
    for (code, w) in &codes.results {
        total += w;
        if roll < total {
            result = code;
            break;
        }
    }
    let topic = rng.pick(&o.topics);
    let key = format!("p{:07}", rng.below(2_000_000));
    BulkApplication {
        organ_id: o.id,
        number: format!("{}依申〔{year}〕{seq}号", o.prefix.trim_end_matches('发')),
        year,
        seq,
        channel: pick_str(rng, &["online", "in_person", "post", "email"]),
        applicant_type: codes.applicants[kind_i],
        applicant_name: format!("申请人{}", &key[1..]),
        applicant_key: key,
        received_on: received,
        description: fill(
            pick_str(rng, APPLICATION_SUBJECTS),
            &o.name,
            topic,
            year,
            rng,
        ),
        status: if open { "open" } else { "closed" },
        due_on: received + Duration::days(28),
        closed_on: (!open).then(|| received + Duration::days(5 + rng.below(20) as i64)),
        result: (!open).then_some(result),
    }
}

pub fn letter(o: &GenOrgan, channel_id: i64, rng: &mut Rng) -> BulkLetter {
    let received = date_in(rng, 2019, 2024);
    let topic = rng.pick(&o.topics);
    let replied = rng.chance(90);
    BulkLetter {
        organ_id: o.id,
        channel_id,
        received_on: received,
        subject: fill(
            pick_str(rng, LETTER_SUBJECTS),
            &o.name,
            topic,
            received.year(),
            rng,
        ),
        reply: if replied {
            format!("您反映的{topic}问题已收悉，{}已安排专人核实办理。", o.name)
        } else {
            String::new()
        },
        replied_on: replied.then(|| received + Duration::days(3 + rng.below(10) as i64)),
    }
}

/// What a load did.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub organs: usize,
    pub items: u64,
    pub applications: u64,
    pub letters: u64,
}

/// Loads the plan into the store in batches of `plan.batch` rows, in transactions of
/// `plan.rows_per_commit` rows (see [`Db::begin_bulk`]). `progress(items_done)` is called after
/// every batch of items.
pub async fn load(db: &Db, plan: &Plan, progress: impl FnMut(u64)) -> anyhow::Result<Loaded> {
    load_into(db, plan, None, progress).await
}

/// Like [`load`], and rebuilds the search index at the same time: the index is emptied and
/// filled with what the store already holds, then each batch of items is indexed as soon as it
/// is written, while the store writes the next one. The documents are made from
/// the items as loaded (the same documents [`feed::rebuild`] would read back, which the tests
/// check). Returns what was loaded and the number of documents in the index.
pub async fn load_indexed(
    db: &Db,
    plan: &Plan,
    index: Arc<Index>,
    progress: impl FnMut(u64),
) -> anyhow::Result<(Loaded, u64)> {
    let mut run = feed::Rebuild::start(db, index, |_| {}).await?;
    // On an error `run` is dropped unfinished and the index keeps its old content.
    let loaded = load_into(db, plan, Some(&mut run), progress).await?;
    let docs = run.finish().await?;
    Ok((loaded, docs))
}

/// The open transaction of a bulk load, committed every `rows_per_commit` rows and at the end.
struct Writer<'a> {
    db: &'a Db,
    tx: Option<gongkai_store::Tx>,
    rows: u64,
    rows_per_commit: u64,
}

impl<'a> Writer<'a> {
    fn new(db: &'a Db, rows_per_commit: u64) -> Self {
        Writer {
            db,
            tx: None,
            rows: 0,
            rows_per_commit: rows_per_commit.max(1),
        }
    }

    /// The open transaction, begun if none is.
    async fn tx(&mut self) -> anyhow::Result<&mut gongkai_store::Tx> {
        if self.tx.is_none() {
            self.tx = Some(self.db.begin_bulk().await?);
        }
        Ok(self.tx.as_mut().expect("just begun"))
    }

    /// Counts rows written; commits once the transaction holds `rows_per_commit` of them.
    async fn wrote(&mut self, n: u64) -> anyhow::Result<()> {
        self.rows += n;
        if self.rows >= self.rows_per_commit {
            self.finish().await?;
        }
        Ok(())
    }

    /// Commits what is written.
    async fn finish(&mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.commit_bulk().await?;
        }
        self.rows = 0;
        Ok(())
    }
}

async fn load_into(
    db: &Db,
    plan: &Plan,
    mut index: Option<&mut feed::Rebuild>,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Loaded> {
    let mut rng = Rng::new(plan.seed);
    let organs = create_organs(db, plan).await?;
    let channels: Vec<i64> = db
        .letter_channels()
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    anyhow::ensure!(!channels.is_empty(), "数据库中没有来信渠道");
    let codes = Codes::new();
    let chains = match index {
        Some(_) => feed::Organs::load(db).await?,
        None => feed::Organs::default(),
    };
    let names: HashMap<i64, &str> = organs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let categories: HashMap<i64, &str> = organs
        .iter()
        .flat_map(|o| {
            o.categories
                .iter()
                .copied()
                .zip(o.category_names.iter().copied())
        })
        .collect();
    // Items are generated on a thread of their own, a batch or two ahead of the store: on two
    // cores the text generation then overlaps the inserts instead of alternating with them. The
    // generator hands its random state back, so the data stays the same for a seed.
    let (gen_tx, mut gen_rx) = tokio::sync::mpsc::channel::<Vec<BulkItem>>(2);
    let generator = {
        let organs = organs.clone();
        let (total, per_batch) = (plan.items, plan.batch as u64);
        std::thread::spawn(move || {
            let mut done = 0u64;
            while done < total {
                let n = (total - done).min(per_batch);
                let batch = (done..done + n)
                    .map(|i| item(&organs, i, &mut rng))
                    .collect();
                // The loader gave up (an error): stop generating.
                if gen_tx.blocking_send(batch).is_err() {
                    break;
                }
                done += n;
            }
            rng
        })
    };
    let mut w = Writer::new(db, plan.rows_per_commit);
    let mut done = 0u64;
    while let Some(batch) = gen_rx.recv().await {
        let n = batch.len() as u64;
        let tx = w.tx().await?;
        let ids = if plan.copy {
            tx.bulk_items_by_copy(&batch).await?
        } else {
            tx.bulk_items(&batch).await?
        };
        w.wrote(n).await?;
        if let Some(run) = index.as_deref_mut() {
            let docs = batch
                .into_iter()
                .zip(ids)
                .map(|(it, id)| {
                    let organ = names.get(&it.organ_id).copied().unwrap_or_default();
                    let category = categories.get(&it.category_id).copied().unwrap_or_default();
                    feed::item_doc(&it.into_feed_item(id, organ, category), &[], &chains)
                })
                .collect();
            // Waits while the indexer is behind: memory stays bounded. Documents of rows not
            // committed yet are safe to queue: if the load fails, the rebuild is dropped
            // unfinished and the index keeps its old content.
            run.add(docs).await?;
        }
        done += n;
        progress(done);
    }
    let mut rng = generator
        .join()
        .map_err(|_| anyhow::anyhow!("生成数据的线程异常退出"))?;
    // Applications: spread over organs and 2019–2024; sequence numbers per organ and year.
    let mut seqs: HashMap<(i64, i32), i64> = Default::default();
    let mut next = |o: &GenOrgan, year: i32| {
        let s = seqs.entry((o.id, year)).or_insert(0);
        *s += 1;
        *s
    };
    let mut apps = Vec::with_capacity(plan.batch);
    let focus = &organs[1.min(organs.len() - 1)];
    let total_apps = plan.applications + plan.focus_applications;
    for i in 0..total_apps {
        let (o, year) = if i < plan.focus_applications {
            (focus, plan.focus_year)
        } else {
            (rng.pick(&organs), 2019 + rng.below(6) as i32)
        };
        let seq = next(o, year);
        apps.push(application(o, year, seq, &mut rng, &codes));
        if apps.len() == plan.batch || i + 1 == total_apps {
            w.tx().await?.bulk_applications(&apps).await?;
            w.wrote(apps.len() as u64).await?;
            apps.clear();
        }
    }
    let mut letters = Vec::with_capacity(plan.batch);
    for i in 0..plan.letters {
        let o = rng.pick(&organs);
        let ch = *rng.pick(&channels);
        letters.push(letter(o, ch, &mut rng));
        if letters.len() == plan.batch || i + 1 == plan.letters {
            w.tx().await?.bulk_letters(&letters).await?;
            w.wrote(letters.len() as u64).await?;
            letters.clear();
        }
    }
    w.finish().await?;
    Ok(Loaded {
        organs: organs.len(),
        items: plan.items,
        applications: total_apps,
        letters: plan.letters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_plausible() {
        let organs = vec![GenOrgan {
            id: 1,
            name: "灵武市教育体育局".into(),
            prefix: "灵教发".into(),
            topics: DEPARTMENTS[0].2.to_vec(),
            categories: vec![10, 11, 12, 13, 14, 15, 16, 17, 18],
            category_names: DEPARTMENTS[0].2.iter().copied().chain(["其他"]).collect(),
            code: "X".into(),
        }];
        let a = item(&organs, 7, &mut Rng::new(1));
        let b = item(&organs, 7, &mut Rng::new(1));
        assert_eq!(a, b);
        assert!(a.body.chars().count() > 60, "{}", a.body);
        assert!(!a.title.contains('{'), "{}", a.title);
        assert!(a.doc_number.is_empty() || a.doc_number.starts_with("灵教发〔"));
        assert!((2015..=2024).contains(&a.written_on.year()));
        let codes = Codes::new();
        let app = application(&organs[0], 2023, 5, &mut Rng::new(2), &codes);
        assert_eq!(app.year, 2023);
        assert_eq!(app.received_on.year(), 2023);
        assert_eq!(app.status == "closed", app.result.is_some());
    }
}
