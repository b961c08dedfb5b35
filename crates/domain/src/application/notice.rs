//! Notices (告知书) of the workflow: what each says. Numbered per organ and year
//! (`灵教依申请告〔2021〕3号`, the counter kept by the store). Rendering to DOCX/PDF lives in
//! `gongkai_render::notice`; a standalone HTML page is here because it needs nothing but strings.
//!
//! A notice is addressed by the applicant's name only: no identity number, phone or address.

use super::ReplyResult;
use super::fees;
use super::reply::{self, REGULATION, Remedy, RemedyKind, you};
use super::workflow::Application;
use crate::calendar::Calendar;
use crate::markup::escape_html as esc;
use chrono::Datelike;
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
    /// Art. 35: the request that the applicant explain the reasons.
    Reasons,
    /// Art. 32: the written consultation of a third party.
    Consultation,
    /// Art. 32: the notice to an objecting third party that the organ will disclose.
    Disclosure,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::Supplement,
        NoticeKind::Extension,
        NoticeKind::Fee,
        NoticeKind::Reply,
        NoticeKind::Reasons,
        NoticeKind::Consultation,
        NoticeKind::Disclosure,
    ];

    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Supplement => "补正告知书",
            NoticeKind::Extension => "延期答复告知书",
            NoticeKind::Fee => "收费通知书",
            NoticeKind::Reply => "答复书",
            NoticeKind::Reasons => "要求说明理由告知书",
            NoticeKind::Consultation => "征求第三方意见书",
            NoticeKind::Disclosure => "第三方告知书（决定公开）",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Supplement => "supplement",
            NoticeKind::Extension => "extension",
            NoticeKind::Fee => "fee",
            NoticeKind::Reply => "reply",
            NoticeKind::Reasons => "reasons",
            NoticeKind::Consultation => "consultation",
            NoticeKind::Disclosure => "disclosure",
        }
    }

    /// Whether the letter goes to a third party (it never carries the applicant's name).
    pub fn to_third_party(self) -> bool {
        matches!(self, NoticeKind::Consultation | NoticeKind::Disclosure)
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim() || k.label() == s.trim())
            .or(match s.trim() {
                "答复告知书" => Some(NoticeKind::Reply),
                _ => None,
            })
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
fn reply_title(r: ReplyResult, withdrawn: bool) -> &'static str {
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
        Other if withdrawn => "政府信息公开申请终止办理告知书",
        NoCorrectionInTime | FeeNotPaid | Other => "政府信息公开申请处理告知书",
    }
}

/// Who issues a letter and what of the office's settings it prints: the organ, the remedies
/// a reply names (行政复议机关 and 管辖法院, or for a public institution the body hearing a
/// 申诉), how a fee is paid, and the application number the letter cites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issuer {
    pub organ: String,
    pub remedy: Remedy,
    /// How to pay a fee: account, place, online (the fee notice prints it).
    pub fee_payment: String,
    /// The number of the application the letter answers (`LWJT-2024-0007`).
    pub case_number: String,
}

impl Issuer {
    /// An issuer known by name only (no remedy bodies configured).
    pub fn named(organ: &str) -> Issuer {
        Issuer {
            organ: organ.to_string(),
            ..Issuer::default()
        }
    }
}

/// The opening of every letter to the applicant: the receipt date, the application number and
/// the request as the applicant described it.
fn opening(app: &Application, issuer: &Issuer) -> String {
    let number = if issuer.case_number.trim().is_empty() {
        String::new()
    } else {
        format!("（申请编号：{}）", issuer.case_number.trim())
    };
    format!(
        "本机关于{}收到{}提出的政府信息公开申请{number}，申请获取“{}”。",
        d(app.received_on),
        you(app),
        app.description.trim()
    )
}

/// The notice of `kind` for a case, issued on `date` under `number`. `None` when the case has no
/// such step (no 补正 asked, no extension, no fee notice, no reply yet). `cal` gives the new
/// date of an extension.
pub fn build(
    app: &Application,
    kind: NoticeKind,
    number: &str,
    issuer: &Issuer,
    date: NaiveDate,
    cal: &Calendar,
) -> Option<Notice> {
    let y = you(app);
    let mut addressee = app.applicant.name.trim().to_string();
    let mut p = vec![opening(app, issuer)];
    let mut closing = "特此告知。";
    let title: String = match kind {
        NoticeKind::Supplement => {
            let s = app.supplement.as_ref()?;
            p.push(format!(
                "经审查，{y}的申请内容不明确。根据{REGULATION}第二十九条第二款、第三十条的规定，请{y}对下列事项作出补正：{}。",
                s.items.trim().trim_end_matches('。')
            ));
            p.push(format!(
                "请于{}前（含当日）向本机关提交补正后的申请，可以当面递交、邮寄或者通过本机关政府信息公开申请平台提交。答复期限自本机关收到补正后的申请之日起重新计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                d(s.correct_by)
            ));
            "政府信息公开申请补正告知书".into()
        }
        NoticeKind::Extension => {
            let e = app.extension.as_ref()?;
            let due = super::clock::compute_for(app, cal, e.on).due;
            let new_date = match due {
                Some(due) => format!("答复期限延长至{}", d(due)),
                None => {
                    let prov =
                        super::clock::compute_for(app, &cal.provisional(e.on.year() + 1), e.on).due;
                    match prov {
                        Some(due) => format!(
                            "答复期限预计延长至{}（以国务院办公厅公布的节假日安排为准）",
                            d(due)
                        ),
                        None => String::new(),
                    }
                }
            };
            p.push(format!(
                "因{}，本机关不能在法定期限内作出答复。经本机关政府信息公开工作机构负责人同意，根据{REGULATION}第三十三条第二款的规定，答复期限延长{}个工作日{}。",
                e.reason.trim().trim_end_matches('。'),
                e.days,
                if new_date.is_empty() { String::new() } else { format!("，{new_date}") }
            ));
            "政府信息公开申请延期答复告知书".into()
        }
        NoticeKind::Fee => {
            let f = app.fees.last()?;
            p.push(format!(
                "{y}申请公开政府信息的数量、频次明显超过合理范围。根据{REGULATION}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关对该申请{}信息处理费。",
                f.method.label()
            ));
            p.push(fees::explain(f.method, f.basis));
            p.push(format!(
                "请于{}前（含当日）缴纳信息处理费{}。缴费方式：{}。",
                d(f.pay_by),
                fees::yuan(f.amount_fen),
                issuer.fee_payment.trim().trim_end_matches('。')
            ));
            p.push(
                "自本通知发出之日至缴费之日的期间不计算在答复期限内。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。".into(),
            );
            "政府信息公开信息处理费收费通知书".into()
        }
        NoticeKind::Reasons => {
            let r = app.reasons.as_ref()?;
            p.push(format!(
                "经审查，{y}申请公开政府信息的数量、频次明显超过合理范围：{}。根据{REGULATION}第三十五条的规定，请{y}说明申请理由。",
                r.items.trim().trim_end_matches('。')
            ));
            p.push(format!(
                "本机关认为申请理由不合理的，将告知{y}不予处理；认为理由合理但无法在法定期限内答复的，将确定延迟答复的合理期限并告知{y}。"
            ));
            "要求说明理由告知书".into()
        }
        NoticeKind::Consultation => {
            let c = app
                .consultations
                .iter()
                .rfind(|c| c.party == super::events::ConsultParty::ThirdParty)?;
            addressee = c.with.trim().to_string();
            p = vec![
                format!(
                    "本机关于{}收到一件政府信息公开申请（申请编号：{}），申请获取“{}”。",
                    d(app.received_on),
                    issuer.case_number.trim(),
                    app.description.trim()
                ),
                format!(
                    "经审查，该政府信息公开后可能损害你方合法权益：{}。根据{REGULATION}第三十二条的规定，现书面征求你方意见。",
                    c.matter.trim().trim_end_matches('。')
                ),
                format!(
                    "请你方自收到本意见书之日起十五个工作日内书面提出意见，同意或者不同意公开；不同意公开的，请说明理由。逾期未提出意见的，本机关将依照{REGULATION}的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知你方。"
                ),
            ];
            closing = "特此函告。";
            "征求第三方意见书".into()
        }
        NoticeKind::Disclosure => {
            let c = app.consultations.iter().rfind(|c| c.notified.is_some())?;
            let (_, reason, _) = c.notified.as_ref()?;
            addressee = c.with.trim().to_string();
            p = vec![
                format!(
                    "本机关于{}以{}就政府信息公开申请（申请编号：{}）征求你方意见，你方于{}答复不同意公开。",
                    d(c.started_on),
                    match &c.notice {
                        Some(n) => format!("《征求第三方意见书》（{n}）"),
                        None => "《征求第三方意见书》".into(),
                    },
                    issuer.case_number.trim(),
                    c.answered_on.map(d).unwrap_or_default()
                ),
                format!(
                    "经审查，本机关认为不公开可能对公共利益造成重大影响。根据{REGULATION}第三十二条的规定，本机关决定予以公开。决定公开的政府信息内容和理由：{}。",
                    reason.trim().trim_end_matches('。')
                ),
            ];
            "政府信息公开第三方告知书".into()
        }
        NoticeKind::Reply => {
            let (_, result) = app.closed()?;
            let parts = app
                .decision
                .as_ref()
                .map(|d| d.parts.trimmed())
                .unwrap_or_default();
            p.extend(reply::body(app, result, &parts, &issuer.remedy));
            closing = if RemedyKind::of(result) == RemedyKind::None {
                "特此告知。"
            } else {
                "特此答复。"
            };
            reply_title(result, app.decision.is_none() && app.withdrawn.is_some()).into()
        }
    };
    p.push(closing.into());
    reply::name_regulation_once(&mut p);
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
