//! Notices (告知书) of the workflow: what each says. Numbered per organ and year
//! (`灵教依申请告〔2021〕3号`, the counter kept by the store). Rendering to DOCX/PDF lives in
//! `gongkai_render::notice`; a standalone HTML page is here because it needs nothing but strings.
//!
//! A notice is addressed by the applicant's name only: no identity number, phone or address.

use super::ReplyResult;
use super::events::Withheld;
use super::fees;
use super::workflow::Application;
use crate::markup::escape_html as esc;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The content of one notice (the same shape as `gongkai_render::notice::Notice`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub number: String,
    pub title: String,
    pub addressee: String,
    pub paragraphs: Vec<String>,
    pub organ: String,
    pub date: NaiveDate,
}

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Supplement,
    Extension,
    Fee,
    Reply,
}

impl NoticeKind {
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Supplement => "补正告知书",
            NoticeKind::Extension => "延期答复告知书",
            NoticeKind::Fee => "收费通知书",
            NoticeKind::Reply => "答复告知书",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Supplement => "supplement",
            NoticeKind::Extension => "extension",
            NoticeKind::Fee => "fee",
            NoticeKind::Reply => "reply",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        [
            NoticeKind::Supplement,
            NoticeKind::Extension,
            NoticeKind::Fee,
            NoticeKind::Reply,
        ]
        .into_iter()
        .find(|k| k.code() == s.trim() || k.label() == s.trim())
    }
}

/// `灵教依申请告〔2021〕3号`.
pub fn number(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}依申请告〔{year}〕{seq}号")
}

fn d(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// The title of the reply notice for a result.
fn reply_title(r: ReplyResult) -> &'static str {
    use ReplyResult::*;
    match r {
        Disclosed => "政府信息公开申请答复书（予以公开）",
        PartlyDisclosed => "政府信息公开申请答复书（部分公开）",
        StateSecret
        | ForbiddenByLaw
        | ThreeSafetiesOneStability
        | ThirdPartyRights
        | InternalAffairs
        | ProcessInformation
        | EnforcementFile
        | QueryProcedure => "政府信息公开申请答复书（不予公开）",
        NotHeld | WouldNeedMaking | UnclearAfterCorrection => "政府信息公开申请答复书（无法提供）",
        PetitionOrComplaint | Repeated | Publication | ExcessiveRepetition | ConfirmOrReissue => {
            "政府信息公开申请答复书（不予处理）"
        }
        NoCorrectionInTime | FeeNotPaid | Other => "政府信息公开申请处理告知书",
    }
}

/// What the reply says for a result, before the stated basis.
fn reply_body(r: ReplyResult) -> &'static str {
    use ReplyResult::*;
    match r {
        Disclosed => {
            "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开，现将有关信息提供给您（或告知您获取该信息的方式、途径和时间）。"
        }
        PartlyDisclosed => {
            "经审查，您申请获取的政府信息中部分内容不予公开，其余部分可以作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条，本机关向您提供可以公开的部分，并说明下列不予公开的内容及理由："
        }
        StateSecret => {
            "经审查，您申请获取的政府信息属于国家秘密，依据《中华人民共和国政府信息公开条例》第十四条，不予公开。"
        }
        ForbiddenByLaw => {
            "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的信息，依据《中华人民共和国政府信息公开条例》第十四条，不予公开。"
        }
        ThreeSafetiesOneStability => {
            "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依据《中华人民共和国政府信息公开条例》第十四条，不予公开。"
        }
        ThirdPartyRights => {
            "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的内容，第三方不同意公开，依据《中华人民共和国政府信息公开条例》第十五条、第三十二条，不予公开。"
        }
        InternalAffairs => {
            "经审查，您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，依据《中华人民共和国政府信息公开条例》第十六条第一款，可以不予公开。"
        }
        ProcessInformation => {
            "经审查，您申请获取的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，依据《中华人民共和国政府信息公开条例》第十六条第二款，可以不予公开。"
        }
        EnforcementFile => {
            "经审查，您申请获取的政府信息属于行政执法案卷信息，依据《中华人民共和国政府信息公开条例》第十六条第二款，可以不予公开。"
        }
        QueryProcedure => {
            "经审查，您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的情形，依据《中华人民共和国政府信息公开条例》第三十六条第七项，请您按照有关规定办理。"
        }
        NotHeld => {
            "经检索查找，本机关未制作或者获取您申请的政府信息，依据《中华人民共和国政府信息公开条例》第三十六条第四项，告知您该政府信息不存在（如能确定负责公开的机关，一并告知其名称、联系方式）。"
        }
        WouldNeedMaking => {
            "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析，依据《中华人民共和国政府信息公开条例》第三十八条，本机关可以不予提供。"
        }
        UnclearAfterCorrection => {
            "本机关已就您的申请发出补正告知，您补正后申请内容仍不明确，依据《中华人民共和国政府信息公开条例》第三十条，本机关无法提供。"
        }
        PetitionOrComplaint => {
            "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动，依据《中华人民共和国政府信息公开条例》第三十九条第一款，本机关不作为政府信息公开申请处理，并告知您通过相应渠道提出。"
        }
        Repeated => {
            "经审查，您向本机关重复申请公开相同政府信息，本机关已经作出答复且您的请求内容没有变化，依据《中华人民共和国政府信息公开条例》第三十六条第六项，不予重复处理。"
        }
        Publication => {
            "经审查，您要求提供政府公报、报刊、书籍等公开出版物，依据《中华人民共和国政府信息公开条例》第三十九条第二款，本机关告知您获取的途径。"
        }
        ExcessiveRepetition => {
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围，依据《中华人民共和国政府信息公开条例》第三十五条，本机关不予处理。"
        }
        ConfirmOrReissue => {
            "经审查，您要求行政机关确认或重新出具已获取的信息，本机关不作为政府信息公开申请处理。"
        }
        NoCorrectionInTime => {
            "本机关已就您的申请发出补正告知，您无正当理由逾期不补正，依据《中华人民共和国政府信息公开条例》第三十条，视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        FeeNotPaid => {
            "本机关已就您的申请发出收费通知，您逾期未缴纳信息处理费，依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），视为放弃申请，本机关不再处理该政府信息公开申请。"
        }
        Other => "本机关已对您的申请作出处理，具体情况如下。",
    }
}

/// Who issues a notice, and where the applicant may seek a remedy against a reply: the organ's
/// 行政复议机关 and 管辖法院 as its settings name them (empty when not configured).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issuer {
    pub organ: String,
    pub review_body: String,
    pub court: String,
}

impl Issuer {
    /// An issuer known by name only (no remedy bodies configured).
    pub fn named(organ: &str) -> Issuer {
        Issuer {
            organ: organ.to_string(),
            ..Issuer::default()
        }
    }

    /// The remedy sentence of a reply (行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: six
    /// months), naming the review body and the court where the organ's settings give them.
    pub fn remedy(&self) -> String {
        let review = self.review_body.trim();
        let court = self.court.trim();
        let review = if review.is_empty() {
            "依法申请行政复议".to_string()
        } else {
            format!("向{review}申请行政复议")
        };
        let court = if court.is_empty() {
            "依法向人民法院提起行政诉讼".to_string()
        } else {
            format!("向{court}提起行政诉讼")
        };
        format!(
            "如对本答复不服，可以自收到本答复之日起六十日内{review}，或者自收到本答复之日起六个月内{court}。"
        )
    }
}

fn opening(app: &Application) -> String {
    format!(
        "本机关于{}收到您提出的政府信息公开申请，申请获取“{}”。",
        d(app.received_on),
        app.description.trim()
    )
}

/// The notice of `kind` for a case, issued on `date` under `number`. `None` when the case has no
/// such step (no 补正 asked, no extension, no fee notice, no reply yet).
pub fn build(
    app: &Application,
    kind: NoticeKind,
    number: &str,
    issuer: &Issuer,
    date: NaiveDate,
) -> Option<Notice> {
    let addressee = app.applicant.name.trim().to_string();
    let mut p = vec![opening(app)];
    let title: String = match kind {
        NoticeKind::Supplement => {
            let s = app.supplement.as_ref()?;
            p.push(format!(
                "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条，请您对下列事项作出补正：{}",
                s.items.trim()
            ));
            p.push(format!(
                "请于{}前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起重新计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                d(s.correct_by)
            ));
            "政府信息公开申请补正告知书".into()
        }
        NoticeKind::Extension => {
            let e = app.extension.as_ref()?;
            p.push(format!(
                "因{}，本机关不能在法定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条第二款，答复期限延长{}个工作日。",
                e.reason.trim().trim_end_matches('。'),
                e.days
            ));
            "政府信息公开申请延期答复告知书".into()
        }
        NoticeKind::Fee => {
            let f = app.fees.last()?;
            p.push(format!(
                "您申请公开政府信息的数量、频次明显超过合理范围。根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本机关对该申请{}信息处理费。",
                f.method.label()
            ));
            p.push(fees::explain(f.method, f.basis));
            p.push(format!(
                "请于{}前缴纳信息处理费{}。自本通知发出之日至您缴费之日的期间不计算在答复期限内；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                d(f.pay_by),
                fees::yuan(f.amount_fen)
            ));
            "政府信息公开信息处理费收费通知书".into()
        }
        NoticeKind::Reply => {
            let (on, result) = app.closed()?;
            let _ = on;
            p.push(reply_body(result).to_string());
            if let Some(dec) = &app.decision {
                p.extend(
                    dec.text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(String::from),
                );
                for (i, Withheld { part, reason }) in dec.withheld.iter().enumerate() {
                    p.push(format!("{}．{}：{}", i + 1, part.trim(), reason.trim()));
                }
                if !dec.basis.trim().is_empty() {
                    p.push(format!("依据：{}", dec.basis.trim()));
                }
            } else if let Some((_, reason)) = &app.withdrawn
                && !reason.trim().is_empty()
            {
                p.push(format!(
                    "您于申请处理期间撤回申请（{}），本机关终止处理。",
                    reason.trim()
                ));
            }
            if !matches!(result, ReplyResult::Other) || app.decision.is_some() {
                p.push(issuer.remedy());
            }
            reply_title(result).into()
        }
    };
    p.push("特此告知。".into());
    Some(Notice {
        number: number.to_string(),
        title,
        addressee,
        paragraphs: p,
        organ: issuer.organ.clone(),
        date,
    })
}

impl Notice {
    /// A standalone HTML page of the notice (escaped; printable on A4).
    pub fn to_html(&self) -> String {
        let mut body = String::new();
        for para in &self.paragraphs {
            body.push_str(&format!("<p>{}</p>\n", esc(para)));
        }
        format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "FangSong", "仿宋", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.8; max-width: 42em; margin: 2em auto; padding: 0 1em; }}
h1 {{ font-family: "Noto Serif CJK SC", serif; font-size: 22pt; text-align: center; font-weight: bold; margin-bottom: .3em; }}
.number {{ text-align: center; margin-bottom: 1.5em; }}
p {{ text-indent: 2em; margin: 0; }}
p.addressee {{ text-indent: 0; }}
.signature {{ text-align: right; margin-top: 2em; }}
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm; }}
</style>
</head>
<body>
<h1>{title}</h1>
<div class="number">{number}</div>
<p class="addressee">{addressee}：</p>
{body}<div class="signature">{organ}<br>{date}</div>
</body>
</html>
"#,
            title = esc(&self.title),
            number = esc(&self.number),
            addressee = esc(&self.addressee),
            organ = esc(&self.organ),
            date = d(self.date),
        )
    }

    /// Plain text (for the terminal).
    pub fn to_text(&self) -> String {
        let mut s = format!("{}\n{}\n\n{}：\n", self.title, self.number, self.addressee);
        for p in &self.paragraphs {
            s.push_str("    ");
            s.push_str(p);
            s.push('\n');
        }
        s.push_str(&format!("\n{}\n{}\n", self.organ, d(self.date)));
        s
    }
}
