//! The 答复书 of each outcome of table 三, as `../shared/spec/replies.md` reads the law: the
//! article that fits the outcome, a decision stated as a decision, the case-specific parts the
//! outcome needs (fields of the decision, [`ReplyParts`]; a missing one blocks the issue, with
//! its field named by [`missing`]), the earlier steps cited by number and date, and the remedies
//! chosen by outcome and by the kind of body that replies ([`Remedy`]).
//!
//! Our reading where the spec leaves a choice:
//! - （一） keeps the applicant's free choice of review (60 days) or suit (6 months); every reply
//!   that withholds or refuses — （二）'s withheld part, （三）, （四）, （五） — says review comes
//!   first (行政复议法 2023 art. 23), then suit within 15 days of the review decision (行政诉讼法
//!   art. 45). （六） ends the case on the applicant's own act or silence: no remedy clause.
//! - A public institution (school, hospital; art. 55) names the 申诉 to its competent department,
//!   never review or suit against itself.
//! - The time the applicant takes to explain reasons (art. 35) is counted in the reply period:
//!   the Regulation stops the clock only for 补正, consultations and fees.

use super::ReplyResult;
use super::workflow::{Application, Consultation};
use crate::application::events::ConsultParty;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The Regulation, as its first mention in a letter names it.
pub const REGULATION: &str = "《中华人民共和国政府信息公开条例》";

/// What a decision says beyond its outcome: the parts the letter of that outcome needs. Which
/// are required for which outcome is [`missing`]'s table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyParts {
    /// （一） under art. 36(1): where the information is already published (a web address, the
    /// gazette's issue). When given, the reply cites 36(1); otherwise 36(2) and `provided`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub published_at: String,
    /// （一）36(2), （二）, （四）2: what is provided and how (attached, by post, by e-mail, where
    /// and when to collect).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub provided: String,
    /// （三）2: the law or administrative regulation and article that forbids disclosure;
    /// （三）8: the law that gives a special procedure.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub law: String,
    /// （三）3: which of 国家安全, 公共安全, 经济安全, 社会稳定 is at risk.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub harm: String,
    /// The case-specific reason: how disclosure would harm (（三）3), whose interest and why
    /// (（三）4), why internal (（三）5), which process record (（三）6), why an enforcement file
    /// (（三）7), what would have to be compiled (（四）2), what is still unclear (（四）3), why
    /// the reasons are not reasonable (（五）4), what was asked to be confirmed (（五）5), the
    /// case of （六）3.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Where to turn: the procedure of （三）8, the channel of （五）1 (name, address, phone),
    /// where to obtain the publication (（五）3), who issues such certifications (（五）5).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel: String,
    /// （四）1 under art. 36(5): the organ responsible for the information. When given, the
    /// reply cites 36(5); otherwise 36(4) and `searched`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub responsible_organ: String,
    /// （四）1 under 36(5): how to reach that organ.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub responsible_contact: String,
    /// （四）1 under 36(4): where and how the organ searched.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub searched: String,
    /// （五）2: the earlier reply's document number (the date is looked up by the system).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub earlier_reply: String,
    /// （五）2: the earlier reply's date, as found from its number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_reply_on: Option<NaiveDate>,
}

impl ReplyParts {
    pub fn is_empty(&self) -> bool {
        *self == ReplyParts::default()
    }

    /// The same parts, each trimmed.
    pub fn trimmed(&self) -> ReplyParts {
        let t = |s: &String| s.trim().trim_end_matches('。').trim().to_string();
        ReplyParts {
            published_at: t(&self.published_at),
            provided: t(&self.provided),
            law: t(&self.law),
            harm: t(&self.harm),
            reason: t(&self.reason),
            channel: t(&self.channel),
            responsible_organ: t(&self.responsible_organ),
            responsible_contact: t(&self.responsible_contact),
            searched: t(&self.searched),
            earlier_reply: self.earlier_reply.trim().to_string(),
            earlier_reply_on: self.earlier_reply_on,
        }
    }
}

/// The harms of art. 14's 三安全一稳定, one of which a （三）3 reply names.
pub const HARMS: [&str; 4] = ["国家安全", "公共安全", "经济安全", "社会稳定"];

/// The article, paragraph and item a reply of `result` rests on, given its parts and the case
/// (（三）4 cites art. 32 only with a written consultation of the third party on record).
pub fn basis(result: ReplyResult, parts: &ReplyParts, app: &Application) -> String {
    use ReplyResult::*;
    let art = |s: &str| format!("{REGULATION}{s}");
    match result {
        Disclosed if !parts.published_at.trim().is_empty() => art("第三十六条第一项"),
        Disclosed => art("第三十六条第二项"),
        PartlyDisclosed => art("第三十七条"),
        StateSecret | ForbiddenByLaw | ThreeSafetiesOneStability => art("第十四条"),
        ThirdPartyRights if third_party_consultation(app).is_some() => art("第十五条、第三十二条"),
        ThirdPartyRights => art("第十五条"),
        InternalAffairs => art("第十六条第一款"),
        ProcessInformation | EnforcementFile => art("第十六条第二款"),
        QueryProcedure => art("第三十六条第七项"),
        NotHeld if !parts.responsible_organ.trim().is_empty() => art("第三十六条第五项"),
        NotHeld => art("第三十六条第四项"),
        WouldNeedMaking => art("第三十八条"),
        UnclearAfterCorrection => art("第二十九条第二款、第三十条"),
        PetitionOrComplaint => art("第三十九条第一款"),
        Repeated => art("第三十六条第六项"),
        Publication => art("第三十九条第二款"),
        ExcessiveRepetition => art("第三十五条"),
        ConfirmOrReissue => art("第二条"),
        NoCorrectionInTime => art("第三十条"),
        FeeNotPaid => format!(
            "{}和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            art("第四十二条")
        ),
        Other => String::new(),
    }
}

/// The third-party consultation the letter of （三）4 cites: the last one answered, else the
/// last one started.
fn third_party_consultation(app: &Application) -> Option<&Consultation> {
    let tp = || {
        app.consultations
            .iter()
            .filter(|c| c.party == ConsultParty::ThirdParty)
    };
    tp().rfind(|c| c.answered_on.is_some())
        .or_else(|| tp().next_back())
}

/// The required parts of `result`'s letter that are missing (field name, message for the
/// person filling in the decision); also what the case must already hold (the request for
/// reasons of （五）4, the 补正 of （四）3). Empty when the letter can be issued.
pub fn missing(
    result: ReplyResult,
    parts: &ReplyParts,
    app: &Application,
) -> Vec<(&'static str, String)> {
    use ReplyResult::*;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    fn need(out: &mut Vec<(&'static str, String)>, field: &'static str, value: &str, msg: &str) {
        if value.trim().is_empty() {
            out.push((field, msg.to_string()));
        }
    }
    match result {
        Disclosed => {
            if parts.published_at.trim().is_empty() {
                need(
                    &mut out,
                    "provided",
                    &parts.provided,
                    "请写明提供的信息及提供方式（随答复书附送、邮寄、电子邮件或领取的地点和时间）；已主动公开的，请填写公开的位置",
                );
            }
        }
        PartlyDisclosed => need(
            &mut out,
            "provided",
            &parts.provided,
            "请写明向申请人提供的可以公开的内容及提供方式",
        ),
        StateSecret => {}
        ForbiddenByLaw => need(
            &mut out,
            "law",
            &parts.law,
            "请写明禁止公开的法律或者行政法规的名称及条款",
        ),
        ThreeSafetiesOneStability => {
            if !HARMS.contains(&parts.harm.trim()) {
                out.push((
                    "harm",
                    "请选择公开后可能危及的是国家安全、公共安全、经济安全还是社会稳定".into(),
                ));
            }
            out.extend(need_reason(parts, "请写明公开将如何危及所选的安全或稳定"));
        }
        ThirdPartyRights => out.extend(need_reason(
            parts,
            "请写明涉及哪一第三方的何种合法权益（商业秘密、个人隐私等）及公开将造成的损害",
        )),
        InternalAffairs => out.extend(need_reason(parts, "请写明该信息为何属于内部事务信息")),
        ProcessInformation => out.extend(need_reason(
            parts,
            "请写明该信息属于哪一类过程性信息（讨论记录、过程稿、磋商信函、请示报告等）",
        )),
        EnforcementFile => out.extend(need_reason(
            parts,
            "请写明该信息属于哪一行政执法案卷及不予公开的理由",
        )),
        QueryProcedure => {
            need(
                &mut out,
                "law",
                &parts.law,
                "请写明对该信息的获取有特别规定的法律或者行政法规",
            );
            need(
                &mut out,
                "channel",
                &parts.channel,
                "请写明依该规定办理的机构和途径",
            );
        }
        NotHeld => {
            if parts.responsible_organ.trim().is_empty() {
                need(
                    &mut out,
                    "searched",
                    &parts.searched,
                    "请写明检索的范围和方式（条例第三十六条第四项）；如该信息由其他机关负责公开，请填写负责公开的机关",
                );
            } else {
                need(
                    &mut out,
                    "responsible_contact",
                    &parts.responsible_contact,
                    "请写明负责公开的机关的联系方式",
                );
            }
        }
        WouldNeedMaking => out.extend(need_reason(
            parts,
            "请写明本机关掌握哪些信息、需另行制作或加工分析的是什么",
        )),
        UnclearAfterCorrection => {
            out.extend(need_reason(parts, "请写明补正后仍不明确的内容"));
            if app
                .supplement
                .as_ref()
                .and_then(|s| s.received_on)
                .is_none()
            {
                out.push(("result", "须先发出补正告知并收到补正后的申请".into()));
            }
        }
        PetitionOrComplaint => need(
            &mut out,
            "channel",
            &parts.channel,
            "请写明受理该事项的渠道：名称、地址和电话",
        ),
        Repeated => {
            need(
                &mut out,
                "earlier_reply",
                &parts.earlier_reply,
                "请填写此前答复的文号（系统据此找到答复日期）",
            );
        }
        Publication => need(
            &mut out,
            "channel",
            &parts.channel,
            "请写明获取该出版物的途径",
        ),
        ExcessiveRepetition => {
            out.extend(need_reason(parts, "请写明申请人说明的理由为何不合理"));
            if app.reasons.is_none() {
                out.push((
                    "result",
                    "须先要求申请人说明理由（条例第三十五条）：先登记“要求说明理由”".into(),
                ));
            }
        }
        ConfirmOrReissue => {
            out.extend(need_reason(parts, "请写明申请人要求确认或重新出具的是什么"));
            need(
                &mut out,
                "channel",
                &parts.channel,
                "请写明出具此类证明的程序或机关",
            );
        }
        NoCorrectionInTime | FeeNotPaid => {}
        Other => out.extend(need_reason(parts, "请写明终止办理的事实和理由")),
    }
    out
}

fn need_reason(parts: &ReplyParts, msg: &str) -> Option<(&'static str, String)> {
    parts
        .reason
        .trim()
        .is_empty()
        .then(|| ("reason", msg.to_string()))
}

/// Where an applicant may seek a remedy against a reply, as the replying body's settings give
/// it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remedy {
    /// 行政复议机关.
    pub review_body: String,
    /// 行政诉讼管辖法院.
    pub court: String,
    /// Art. 55: a public institution (school, hospital…) replies under its own rules.
    pub public_institution: bool,
    /// The competent department that hears a 申诉 against a public institution.
    pub appeal_body: String,
}

/// How a reply of an outcome lets the applicant challenge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemedyKind {
    /// （一）: review within 60 days or suit within 6 months, as the applicant chooses.
    Choice,
    /// Withholding or refusing: review first, then suit within 15 days of the decision.
    ReviewFirst,
    /// （六）: none (the case ended on the applicant's act or silence).
    None,
}

impl RemedyKind {
    pub fn of(result: ReplyResult) -> RemedyKind {
        use ReplyResult::*;
        match result {
            Disclosed => RemedyKind::Choice,
            NoCorrectionInTime | FeeNotPaid | Other => RemedyKind::None,
            _ => RemedyKind::ReviewFirst,
        }
    }
}

impl Remedy {
    /// What must be configured before a reply of `result` can be issued, in words; `None`
    /// when nothing is missing.
    pub fn unconfigured(&self, result: ReplyResult) -> Option<String> {
        if RemedyKind::of(result) == RemedyKind::None {
            return None;
        }
        if self.public_institution {
            return self.appeal_body.trim().is_empty().then(|| {
                "本单位为公共企事业单位（条例第五十五条），答复须告知申诉渠道：请先在 管理后台 › 公开指南 填写“受理申诉的主管部门”".to_string()
            });
        }
        let mut lack = Vec::new();
        if self.review_body.trim().is_empty() {
            lack.push("行政复议机关");
        }
        if self.court.trim().is_empty() {
            lack.push("行政诉讼管辖法院");
        }
        (!lack.is_empty()).then(|| {
            format!(
                "答复书须告知申请人救济途径：请先在 管理后台 › 公开指南 填写{}",
                lack.join("和")
            )
        })
    }

    /// The remedy paragraph of a reply of `result` to `you` (您 or 你单位); `None` for （六）.
    pub fn sentence(&self, result: ReplyResult, you: &str) -> Option<String> {
        let kind = RemedyKind::of(result);
        if kind == RemedyKind::None {
            return None;
        }
        if self.public_institution {
            return Some(format!(
                "{you}如对本答复不服，可以向{}申诉（{REGULATION}第五十五条）。",
                self.appeal_body.trim()
            ));
        }
        // Named as the settings give them; in general terms for a letter of a case from before
        // they were set (a new reply cannot be issued without them, see `unconfigured`).
        let review = match self.review_body.trim() {
            "" => "依法".to_string(),
            r => format!("向{r}"),
        };
        let court = match self.court.trim() {
            "" => "依法向人民法院".to_string(),
            c => format!("向{c}"),
        };
        Some(match kind {
            RemedyKind::Choice => format!(
                "{you}如对本答复不服，可以自收到本答复之日起六十日内{review}申请行政复议，也可以自收到本答复之日起六个月内{court}提起行政诉讼。"
            ),
            _ => {
                let what = if result == ReplyResult::PartlyDisclosed {
                    "本答复不予公开的部分"
                } else {
                    "本答复"
                };
                format!(
                    "{you}如对{what}不服，应当先申请行政复议：可以自收到本答复之日起六十日内{review}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内{court}提起行政诉讼（《中华人民共和国行政复议法》第二十三条、《中华人民共和国行政诉讼法》第四十五条）。"
                )
            }
        })
    }
}

/// `2024年3月4日`.
pub fn d(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// How a letter calls the applicant in its body: 您 for a person, 你单位 for an organisation.
pub fn you(app: &Application) -> &'static str {
    if app.applicant.kind == super::ApplicantType::NaturalPerson {
        "您"
    } else {
        "你单位"
    }
}

/// `《政府信息公开申请补正告知书》（灵教依申请告〔2024〕3号）`, or the title alone when no
/// number was issued.
fn cite(title: &str, number: &Option<String>) -> String {
    match number {
        Some(n) if !n.trim().is_empty() => format!("《{title}》（{n}）"),
        _ => format!("《{title}》"),
    }
}

/// The paragraphs of the reply after its opening: the decision with its basis and the
/// case-specific parts, then the remedy. `parts` as [`ReplyParts::trimmed`] gives them.
pub fn body(
    app: &Application,
    result: ReplyResult,
    p: &ReplyParts,
    remedy: &Remedy,
) -> Vec<String> {
    use ReplyResult::*;
    let y = you(app);
    let b = basis(result, p, app);
    let withheld = app
        .decision
        .as_ref()
        .map(|d| d.withheld.clone())
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    match result {
        Disclosed if !p.published_at.is_empty() => out.push(format!(
            "经审查，{y}申请获取的政府信息本机关已经主动公开。根据{b}的规定，现告知{y}获取该政府信息的方式和途径：{}。",
            p.published_at
        )),
        Disclosed => out.push(format!(
            "经审查，{y}申请获取的政府信息属于公开范围。根据{b}的规定，本机关决定予以公开，向{y}提供该政府信息：{}。",
            p.provided
        )),
        PartlyDisclosed => {
            out.push(format!(
                "经审查，{y}申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{b}的规定，本机关决定部分公开，向{y}提供可以公开的内容：{}。",
                p.provided
            ));
            out.push("下列内容不予公开，理由和依据如下：".into());
            for (i, w) in withheld.iter().enumerate() {
                // An officer's "条例第十五条" names the Regulation as the letter does.
                let reason = w
                    .reason
                    .trim()
                    .trim_end_matches('。')
                    .replace("《条例》", "条例")
                    .replace("条例第", &format!("{REGULATION}第"));
                out.push(format!("{}．{}：{reason}。", i + 1, w.part.trim()));
            }
        }
        StateSecret => out.push(format!(
            "经审查，{y}申请获取的政府信息已依照《中华人民共和国保守国家秘密法》确定为国家秘密。根据{b}的规定，本机关决定不予公开。"
        )),
        ForbiddenByLaw => out.push(format!(
            "经审查，{y}申请获取的政府信息属于{}禁止公开的信息。根据{b}的规定，本机关决定不予公开。",
            p.law
        )),
        ThreeSafetiesOneStability => out.push(format!(
            "经审查，{y}申请获取的政府信息公开后可能危及{}：{}。根据{b}的规定，本机关决定不予公开。",
            p.harm, p.reason
        )),
        ThirdPartyRights => {
            let consulted = match third_party_consultation(app) {
                Some(c) => {
                    let letter = cite("征求第三方意见书", &c.notice);
                    match c.answered_on {
                        Some(on) => format!(
                            "本机关于{}以{letter}书面征求第三方意见，第三方于{}答复：{}。",
                            d(c.started_on),
                            d(on),
                            c.answer.trim().trim_end_matches('。')
                        ),
                        None => format!(
                            "本机关于{}以{letter}书面征求第三方意见，第三方在十五个工作日内未提出意见。",
                            d(c.started_on)
                        ),
                    }
                }
                None => String::new(),
            };
            out.push(format!(
                "经审查，{y}申请获取的政府信息涉及第三方合法权益：{}，公开会对第三方合法权益造成损害。{consulted}根据{b}的规定，本机关决定不予公开。",
                p.reason
            ));
        }
        InternalAffairs => out.push(format!(
            "经审查，{y}申请获取的政府信息属于本机关的内部事务信息：{}。根据{b}的规定，本机关决定不予公开。",
            p.reason
        )),
        ProcessInformation => out.push(format!(
            "经审查，{y}申请获取的政府信息属于本机关在履行行政管理职能过程中形成的过程性信息：{}。法律、法规、规章未规定上述信息应当公开。根据{b}的规定，本机关决定不予公开。",
            p.reason
        )),
        EnforcementFile => out.push(format!(
            "经审查，{y}申请获取的政府信息属于行政执法案卷信息：{}。根据{b}的规定，本机关决定不予公开。如{y}系该案件的当事人，可以依照有关法律、法规规定的程序申请查阅案卷材料{}。",
            p.reason,
            if p.channel.is_empty() {
                String::new()
            } else {
                format!("（{}）", p.channel)
            }
        )),
        QueryProcedure => out.push(format!(
            "经审查，{y}申请获取的信息，{}对其获取有特别规定。根据{b}的规定，请{y}依照该规定办理：{}。",
            p.law, p.channel
        )),
        NotHeld if !p.responsible_organ.is_empty() => out.push(format!(
            "经审查，{y}申请获取的政府信息不属于本机关负责公开。根据{b}的规定，告知{y}：该政府信息由{}负责公开，联系方式：{}。",
            p.responsible_organ, p.responsible_contact
        )),
        NotHeld => out.push(format!(
            "本机关对{y}申请的政府信息进行了检索：{}。经检索，本机关未制作或者获取该政府信息。根据{b}的规定，告知{y}该政府信息不存在。",
            p.searched
        )),
        WouldNeedMaking => {
            out.push(format!(
                "经审查，{y}申请获取的信息需要本机关对现有政府信息进行加工、分析或者另行制作：{}。根据{b}的规定，本机关决定不予提供。",
                p.reason
            ));
            if !p.provided.is_empty() {
                out.push(format!("本机关现有的下列政府信息可以向{y}提供：{}。", p.provided));
            }
        }
        UnclearAfterCorrection => {
            let s = app.supplement.as_ref();
            let asked = s
                .map(|s| {
                    format!(
                        "本机关于{}向{y}发出{}，{y}于{}提交了补正后的申请，",
                        d(s.requested_on),
                        cite("政府信息公开申请补正告知书", &s.notice),
                        s.received_on.map(d).unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            out.push(format!(
                "{asked}但申请内容仍不明确：{}。根据{b}的规定，本机关无法向{y}提供所申请的政府信息。{y}可以重新提出内容明确的申请。",
                p.reason
            ));
        }
        PetitionOrComplaint => out.push(format!(
            "经审查，{y}的申请系以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{b}的规定，本机关不作为政府信息公开申请处理。{y}可以通过以下渠道提出：{}。",
            p.channel
        )),
        Repeated => out.push(format!(
            "经审查，{y}曾向本机关申请公开相同的政府信息，本机关已于{}作出答复（{}），{y}本次申请的内容没有变化。根据{b}的规定，本机关不予重复处理。",
            p.earlier_reply_on.map(d).unwrap_or_default(),
            p.earlier_reply
        )),
        Publication => out.push(format!(
            "经审查，{y}要求提供的是政府公报、报刊、书籍等公开出版物。根据{b}的规定，告知{y}获取的途径：{}。",
            p.channel
        )),
        ExcessiveRepetition => {
            let asked = app
                .reasons
                .as_ref()
                .map(|r| {
                    let came = match (&r.answered_on, r.answer.trim()) {
                        (Some(on), a) if !a.is_empty() => {
                            format!("{y}于{}说明的理由为：{}。", d(*on), a.trim_end_matches('。'))
                        }
                        _ => format!("{y}未说明理由。"),
                    };
                    format!(
                        "本机关于{}向{y}发出{}，要求{y}说明申请理由。{came}",
                        d(r.requested_on),
                        cite("要求说明理由告知书", &r.notice)
                    )
                })
                .unwrap_or_default();
            out.push(format!(
                "{asked}经审查，{y}申请公开政府信息的数量、频次明显超过合理范围，且申请理由不合理：{}。根据{b}的规定，本机关不予处理。",
                p.reason
            ));
        }
        ConfirmOrReissue => out.push(format!(
            "经审查，{y}要求本机关确认或者重新出具{y}已获取的信息：{}，不属于申请获取行政机关在履行行政管理职能过程中制作或者获取的政府信息。根据{b}的规定，本机关不作为政府信息公开申请处理。如需办理，可以{}。",
            p.reason, p.channel
        )),
        NoCorrectionInTime => {
            let s = app.supplement.as_ref();
            out.push(format!(
                "本机关于{}向{y}发出{}，要求{y}于{}前（含当日）补正。{y}无正当理由逾期未补正。根据{b}的规定，视为{y}放弃申请，本机关不再处理该政府信息公开申请。",
                s.map(|s| d(s.requested_on)).unwrap_or_default(),
                cite(
                    "政府信息公开申请补正告知书",
                    &s.and_then(|s| s.notice.clone())
                ),
                s.map(|s| d(s.correct_by)).unwrap_or_default(),
            ));
        }
        FeeNotPaid => {
            let f = app.fees.iter().rfind(|f| f.not_paid_on.is_some()).or(app.fees.last());
            out.push(format!(
                "本机关于{}向{y}发出{}，缴费期限至{}（自收到通知之次日起二十个工作日）。{y}逾期未缴纳信息处理费。根据{b}的规定，视为{y}放弃申请，本机关不再处理该政府信息公开申请。",
                f.map(|f| d(f.on)).unwrap_or_default(),
                cite(
                    "政府信息公开信息处理费收费通知书",
                    &f.and_then(|f| f.notice.clone())
                ),
                f.map(|f| d(f.pay_by)).unwrap_or_default(),
            ));
        }
        Other => match (&app.decision, &app.withdrawn) {
            (None, Some((on, reason))) => out.push(format!(
                "{y}于{}撤回上述申请{}。本机关终止办理该政府信息公开申请。",
                d(*on),
                if reason.trim().is_empty() {
                    String::new()
                } else {
                    format!("（{}）", reason.trim().trim_end_matches('。'))
                }
            )),
            _ => out.push(format!(
                "经审查，{}。本机关终止办理该政府信息公开申请。",
                p.reason
            )),
        },
    }
    // The officer's own further words, a paragraph a line.
    if let Some(dec) = &app.decision {
        out.extend(
            dec.text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    // A letter of a case imported from before (its parts never recorded) leaves an empty part
    // out rather than printing "：。".
    for p in &mut out {
        *p = p
            .replace("：。", "。")
            .replace("：，", "，")
            .replace("（）", "");
    }
    if let Some(r) = remedy.sentence(result, y) {
        out.push(r);
    }
    out
}

/// Names the Regulation in full at its first mention, as 《条例》 after it (the short name
/// announced only when it is used).
pub fn name_regulation_once(paragraphs: &mut [String]) {
    let mentions: usize = paragraphs
        .iter()
        .map(|p| p.matches(REGULATION).count())
        .sum();
    if mentions < 2 {
        return;
    }
    let mut seen = false;
    for p in paragraphs.iter_mut() {
        let mut out = String::with_capacity(p.len());
        let mut rest = p.as_str();
        while let Some(i) = rest.find(REGULATION) {
            out.push_str(&rest[..i]);
            if seen {
                out.push_str("《条例》");
            } else {
                out.push_str(REGULATION);
                out.push_str("（以下简称《条例》）");
                seen = true;
            }
            rest = &rest[i + REGULATION.len()..];
        }
        out.push_str(rest);
        *p = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::ApplicantType;
    use crate::application::events::{Applicant, Channel, Event, EventKind};

    fn case() -> Application {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Application::from_events(&[Event {
            seq: 1,
            at: d("2024-03-04").and_hms_opt(9, 0, 0).unwrap(),
            actor: "登记员".into(),
            kind: EventKind::Registered {
                channel: Channel::InPerson,
                submitted_on: d("2024-03-04"),
                received_on: d("2024-03-04"),
                applicant: Applicant {
                    kind: ApplicantType::NaturalPerson,
                    name: "张三".into(),
                    id_document: String::new(),
                    contact: String::new(),
                    address: String::new(),
                },
                description: "合同".into(),
                form: String::new(),
            },
        }])
        .unwrap()
    }

    fn bodies() -> Remedy {
        Remedy {
            review_body: "灵武市人民政府".into(),
            court: "灵武市人民法院".into(),
            ..Remedy::default()
        }
    }

    #[test]
    fn remedies_by_outcome_and_kind_of_body() {
        let r = bodies();
        let choice = r.sentence(ReplyResult::Disclosed, "您").unwrap();
        assert!(
            choice.contains("六十日内向灵武市人民政府")
                && choice.contains("六个月内向灵武市人民法院")
        );
        for withheld in [
            ReplyResult::PartlyDisclosed,
            ReplyResult::InternalAffairs,
            ReplyResult::NotHeld,
            ReplyResult::Repeated,
        ] {
            let s = r.sentence(withheld, "您").unwrap();
            assert!(
                s.contains("应当先申请行政复议") && s.contains("十五日内"),
                "{s}"
            );
            assert!(!s.contains("六个月"), "{s}");
        }
        for none in [
            ReplyResult::NoCorrectionInTime,
            ReplyResult::FeeNotPaid,
            ReplyResult::Other,
        ] {
            assert_eq!(r.sentence(none, "您"), None);
            assert_eq!(Remedy::default().unconfigured(none), None);
        }
        // An organ without its review body and court cannot issue a reply that decides.
        let m = Remedy::default()
            .unconfigured(ReplyResult::InternalAffairs)
            .unwrap();
        assert!(m.contains("行政复议机关和行政诉讼管辖法院"), "{m}");
        assert_eq!(r.unconfigured(ReplyResult::InternalAffairs), None);
        // A school names the 申诉 to its competent department.
        let school = Remedy {
            public_institution: true,
            appeal_body: "灵武市教育体育局".into(),
            ..Remedy::default()
        };
        let s = school.sentence(ReplyResult::InternalAffairs, "您").unwrap();
        assert!(
            s.contains("向灵武市教育体育局申诉") && !s.contains("行政复议"),
            "{s}"
        );
        assert!(
            Remedy {
                public_institution: true,
                ..Remedy::default()
            }
            .unconfigured(ReplyResult::Disclosed)
            .unwrap()
            .contains("受理申诉的主管部门")
        );
    }

    #[test]
    fn required_parts_block_the_reply_beside_their_field() {
        let app = case();
        let fields = |r, p: &ReplyParts| -> Vec<&'static str> {
            missing(r, p, &app).into_iter().map(|(f, _)| f).collect()
        };
        let none = ReplyParts::default();
        assert_eq!(fields(ReplyResult::Disclosed, &none), ["provided"]);
        assert!(fields(ReplyResult::StateSecret, &none).is_empty());
        assert_eq!(fields(ReplyResult::ForbiddenByLaw, &none), ["law"]);
        assert_eq!(
            fields(ReplyResult::ThreeSafetiesOneStability, &none),
            ["harm", "reason"]
        );
        assert_eq!(fields(ReplyResult::InternalAffairs, &none), ["reason"]);
        assert_eq!(fields(ReplyResult::NotHeld, &none), ["searched"]);
        let elsewhere = ReplyParts {
            responsible_organ: "灵武市第一中学".into(),
            ..ReplyParts::default()
        };
        assert_eq!(
            fields(ReplyResult::NotHeld, &elsewhere),
            ["responsible_contact"]
        );
        assert_eq!(fields(ReplyResult::Repeated, &none), ["earlier_reply"]);
        // （五）4 needs the request for reasons on record; （四）3 the 补正.
        let reasoned = ReplyParts {
            reason: "理由与申请无关".into(),
            ..ReplyParts::default()
        };
        assert_eq!(
            fields(ReplyResult::ExcessiveRepetition, &reasoned),
            ["result"]
        );
        assert_eq!(
            fields(ReplyResult::UnclearAfterCorrection, &reasoned),
            ["result"]
        );
    }

    #[test]
    fn the_basis_follows_the_outcome_and_the_record() {
        let app = case();
        let none = ReplyParts::default();
        // （三）4 without a consultation on record never cites art. 32.
        let b = basis(ReplyResult::ThirdPartyRights, &none, &app);
        assert!(b.ends_with("第十五条"), "{b}");
        let text = body(&app, ReplyResult::ThirdPartyRights, &none, &bodies()).join("");
        assert!(
            !text.contains("第三十二条") && !text.contains("第三方不同意"),
            "{text}"
        );
        assert!(basis(ReplyResult::Disclosed, &none, &app).ends_with("第三十六条第二项"));
        let public = ReplyParts {
            published_at: "门户网站".into(),
            ..ReplyParts::default()
        };
        assert!(basis(ReplyResult::Disclosed, &public, &app).ends_with("第三十六条第一项"));
        // A case of before, without its parts, prints no empty "：。".
        let old = body(&app, ReplyResult::InternalAffairs, &none, &bodies()).join("");
        assert!(
            !old.contains("：。") && old.contains("决定不予公开"),
            "{old}"
        );
    }

    #[test]
    fn the_regulation_is_named_in_full_once() {
        let mut p = vec![
            format!("根据{REGULATION}第三十条"),
            format!("根据{REGULATION}第三十七条和{REGULATION}第十五条"),
        ];
        name_regulation_once(&mut p);
        assert_eq!(
            p[0],
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第三十条"
        );
        assert_eq!(p[1], "根据《条例》第三十七条和《条例》第十五条");
        let mut one = vec![format!("根据{REGULATION}第三十条")];
        name_regulation_once(&mut one);
        assert_eq!(one[0], format!("根据{REGULATION}第三十条"));
    }
}
