//! The steps of an application as one typed command each, parsed once for every door: the back
//! office's forms, the JSON API and `gongkai application` all hand over a [`StepInput`] (the
//! action and its fields as text, named as the form names them) and get the same event, the same
//! defaults and the same refusals, field by field.
//!
//! The defaults are the law's and the office's: a 补正 period of the organ's setting in working
//! days (art. 30), a fee payable within 20 working days (国办函〔2020〕109号), the fee's basis
//! counted from the register, the reply's legal basis from its outcome and parts
//! (`reply::basis`). Consultations are numbered from 1 in every door.

use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::NaiveDate;
use gongkai_domain::application::ReplyResult;
use gongkai_domain::application::events::{
    ConsultParty, DeliveryMethod, EventKind, FeeBasis, Withheld,
};
use gongkai_domain::application::fees::{self, FeeMethod};
use gongkai_domain::application::reply::{self, Remedy, ReplyParts};
use gongkai_domain::application::workflow::Application;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One step as a door received it: the action (`supplement`, `decide` …) and its fields.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct StepInput {
    pub action: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl StepInput {
    pub fn new(action: &str) -> StepInput {
        StepInput {
            action: action.to_string(),
            fields: BTreeMap::new(),
        }
    }

    /// Sets a field (empty values are left out, as an empty form field is).
    pub fn with(mut self, k: &str, v: impl Into<String>) -> StepInput {
        let v = v.into();
        if !v.trim().is_empty() {
            self.fields.insert(k.to_string(), v);
        }
        self
    }

    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(|s| s.trim()).unwrap_or("")
    }
}

/// Collects the refusals of one command, field by field.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &'static str, msg: impl Into<String>) {
        self.0.push(FieldError::new(field, msg));
    }

    fn text(&mut self, input: &StepInput, field: &'static str, what: &str) -> String {
        let v = input.get(field);
        if v.is_empty() {
            self.push(field, format!("请填写{what}"));
        } else if v.chars().count() > 2000 {
            self.push(field, format!("{what}不能超过2000字"));
        }
        v.to_string()
    }

    fn date(&mut self, input: &StepInput, field: &'static str, what: &str) -> Option<NaiveDate> {
        let v = input.get(field);
        if v.is_empty() {
            self.push(field, format!("请填写{what}"));
            return None;
        }
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(
                    field,
                    format!("{what}“{v}”格式不对，应为 年-月-日，如 2024-03-01"),
                );
                None
            }
        }
    }

    fn optional_date(
        &mut self,
        input: &StepInput,
        field: &'static str,
        what: &str,
    ) -> Option<NaiveDate> {
        if input.get(field).is_empty() {
            None
        } else {
            self.date(input, field, what)
        }
    }

    fn done<T>(self, v: Option<T>) -> Result<T> {
        match v {
            Some(v) if self.0.is_empty() => Ok(v),
            _ if self.0.is_empty() => Err(Error::invalid("", "无法办理该步骤")),
            _ => Err(Error::Invalid(self.0)),
        }
    }
}

/// A reply result as people and programs write it: the enum name, the short label or the full
/// row of table 三.
pub fn parse_result(s: &str) -> Option<ReplyResult> {
    let s = s.trim();
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .ok()
        .or_else(|| ReplyResult::parse(s))
}

/// Withheld parts, one per line, written `部分：理由`; each reason names its article (14, 15 or
/// 16 of the Regulation).
pub fn parse_withheld(s: &str) -> std::result::Result<Vec<Withheld>, String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(['：', ':']) {
            Some((part, reason)) if !part.trim().is_empty() && !reason.trim().is_empty() => {
                if !["第十四条", "第十五条", "第十六条"]
                    .iter()
                    .any(|a| reason.contains(a))
                {
                    return Err(format!(
                        "不予公开的部分“{}”须写明理由所依据的条款（条例第十四条、第十五条或第十六条）",
                        part.trim()
                    ));
                }
                Ok(Withheld {
                    part: part.trim().into(),
                    reason: reason.trim().into(),
                })
            }
            _ => Err(format!("不予公开的部分“{l}”应写成“部分：理由”")),
        })
        .collect()
}

fn yes(s: &str) -> bool {
    matches!(s.trim(), "1" | "true" | "on" | "yes" | "是" | "不同意")
}

/// The consultation a step names (`index`, from 1), or the only open one.
fn consultation(
    e: &mut Errors,
    input: &StepInput,
    case: &Application,
    open: impl Fn(&gongkai_domain::application::workflow::Consultation) -> bool,
) -> Option<usize> {
    match input.get("index") {
        "" => {
            let v: Vec<usize> = (0..case.consultations.len())
                .filter(|i| open(&case.consultations[*i]))
                .collect();
            match v.as_slice() {
                [i] => Some(*i),
                [] => {
                    e.push("index", "本案没有可登记的征求意见");
                    None
                }
                _ => {
                    e.push(
                        "index",
                        format!("本案有{}次征求意见，请指明第几次", v.len()),
                    );
                    None
                }
            }
        }
        s => match s.parse::<usize>() {
            Ok(i) if i >= 1 => Some(i - 1),
            _ => {
                e.push("index", "第几次征求意见应为从1起的数字");
                None
            }
        },
    }
}

/// The parts of a decision from its fields.
fn parts_of(input: &StepInput) -> ReplyParts {
    let f = |k: &str| input.get(k).to_string();
    ReplyParts {
        published_at: f("published_at"),
        provided: f("provided"),
        law: f("law"),
        harm: f("harm"),
        reason: f("reason"),
        channel: f("channel"),
        responsible_organ: f("responsible_organ"),
        responsible_contact: f("responsible_contact"),
        searched: f("searched"),
        earlier_reply: f("earlier_reply"),
        earlier_reply_on: None,
    }
}

/// Reads a step into the event it records, for case `id` of organ `organ_id`: every door's one
/// parser. Refusals name their field.
pub async fn parse(app: &App, organ_id: i64, id: i64, input: &StepInput) -> Result<EventKind> {
    let case = Application::from_events(&app.db.application_events(id).await?)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let settings = app.db.organ_settings(organ_id).await?;
    let cal = app.db.calendar().await?;
    let mut e = Errors::default();
    let kind = match input.action.as_str() {
        "assign" => Some(EventKind::Assigned {
            handler: e.text(input, "handler", "承办人"),
        }),
        "supplement" => supplement(&mut e, input, &settings, &cal),
        "supplement_received" => e
            .date(input, "on", "收到补正日期")
            .map(|on| EventKind::SupplementReceived { on }),
        "consult" => consult(&mut e, input),
        "consult_answer" => {
            let on = e.date(input, "on", "收到日期");
            let index = consultation(&mut e, input, &case, |c| c.answered_on.is_none());
            let answer = e.text(input, "answer", "对方意见");
            match (on, index) {
                (Some(on), Some(index)) => Some(EventKind::ConsultationAnswered {
                    on,
                    index,
                    answer,
                    objects: yes(input.get("objects")),
                }),
                _ => None,
            }
        }
        "notify_third_party" => {
            let on = e.date(input, "on", "告知日期");
            let index = consultation(&mut e, input, &case, |c| c.objects && c.notified.is_none());
            let reason = e.text(input, "reason", "决定公开的内容和理由");
            match (on, index) {
                (Some(on), Some(index)) => Some(EventKind::ThirdPartyNotified {
                    on,
                    index,
                    reason,
                    notice: None,
                }),
                _ => None,
            }
        }
        "reasons" => {
            let on = e.date(input, "on", "告知日期");
            let items = e.text(input, "items", "申请数量、频次明显超过合理范围的情况");
            on.map(|on| EventKind::ReasonsRequested {
                on,
                items,
                notice: None,
            })
        }
        "reasons_answer" => {
            let on = e.date(input, "on", "日期");
            let answer = e.text(input, "answer", "申请人说明的理由");
            on.map(|on| EventKind::ReasonsAnswered { on, answer })
        }
        "extend" => extend(&mut e, input),
        "fee" => fee(app, &mut e, input, id, &settings, &cal).await?,
        "fee_paid" => e
            .date(input, "on", "缴费日期")
            .map(|on| EventKind::FeePaid { on }),
        "fee_not_paid" => e
            .date(input, "on", "终止办理日期")
            .map(|on| EventKind::FeeNotPaid { on }),
        "decide" => decide(app, &mut e, input, organ_id, &case, &settings).await?,
        "deliver" => {
            let on = e.date(input, "on", "送达日期");
            let method = DeliveryMethod::parse(input.get("method"));
            if method.is_none() {
                e.push("method", "请选择送达方式");
            }
            match (on, method) {
                (Some(on), Some(method)) => Some(EventKind::Delivered {
                    on,
                    method,
                    note: input.get("note").chars().take(200).collect(),
                }),
                _ => None,
            }
        }
        "withdraw" => e
            .date(input, "on", "撤回日期")
            .map(|on| EventKind::Withdrawn {
                on,
                reason: input.get("reason").to_string(),
            }),
        other => {
            e.push("action", format!("未知的办理操作“{other}”"));
            None
        }
    };
    e.done(kind)
}

/// 补正: the date told, what to correct, and the period, at least the organ's working days
/// (art. 30's reasonable period), by default exactly that.
fn supplement(
    e: &mut Errors,
    input: &StepInput,
    settings: &gongkai_store::portal::OrganSettings,
    cal: &gongkai_domain::calendar::Calendar,
) -> Option<EventKind> {
    let on = e.date(input, "on", "告知日期");
    let items = e.text(input, "items", "需要补正的事项");
    let days = settings.correction_days();
    let least = on.and_then(|on| cal.add_working_days_provisional(on, days).ok());
    let correct_by = match e.optional_date(input, "correct_by", "补正期限") {
        Some(c) => {
            if let Some((least, _)) = least
                && c < least
            {
                e.push(
                    "correct_by",
                    format!(
                        "补正期限不得少于{days}个工作日（本机关的设置，条例第三十条“合理的补正期限”）：最早为 {least}"
                    ),
                );
            }
            Some(c)
        }
        None => least.map(|(d, _)| d),
    };
    match (on, correct_by) {
        (Some(on), Some(correct_by)) => Some(EventKind::SupplementRequested {
            on,
            items,
            correct_by,
            notice: None,
        }),
        _ => None,
    }
}

/// 征求意见: the date sent, the kind of party and whom; for a third party, how disclosure may
/// harm its rights (written into the letter asking its opinion).
fn consult(e: &mut Errors, input: &StepInput) -> Option<EventKind> {
    let on = e.date(input, "on", "发出日期");
    let party = ConsultParty::parse(input.get("party"));
    if party.is_none() {
        e.push("party", "请选择征求意见的对象类别（第三方或其他机关）");
    }
    let with = e.text(input, "with", "征求意见的对象");
    let matter = if party == Some(ConsultParty::ThirdParty) {
        e.text(
            input,
            "matter",
            "公开可能损害第三方合法权益的情形（写入征求第三方意见书）",
        )
    } else {
        input.get("matter").to_string()
    };
    match (on, party) {
        (Some(on), Some(party)) => Some(EventKind::ConsultationStarted {
            on,
            party,
            with,
            matter,
            notice: None,
        }),
        _ => None,
    }
}

/// 延期: the date told, the working days (by default the most art. 33 allows), why and who
/// approved it.
fn extend(e: &mut Errors, input: &StepInput) -> Option<EventKind> {
    let on = e.date(input, "on", "告知日期");
    let days = match input.get("days") {
        "" => Some(gongkai_domain::application::clock::MAX_EXTENSION),
        s => match s.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.push("days", "延长的工作日数应为数字");
                None
            }
        },
    };
    let reason = e.text(input, "reason", "延期理由");
    let approved_by = e.text(input, "approved_by", "批准人");
    match (on, days) {
        (Some(on), Some(days)) => Some(EventKind::Extended {
            on,
            days,
            reason,
            approved_by,
            notice: None,
        }),
        _ => None,
    }
}

/// 收费通知: the basis counted (the rank in the month from the register, or the pages given),
/// the amount by the standard, payable within 20 working days unless a later day is given, and
/// only when the office has said how to pay.
async fn fee(
    app: &App,
    e: &mut Errors,
    input: &StepInput,
    id: i64,
    settings: &gongkai_store::portal::OrganSettings,
    cal: &gongkai_domain::calendar::Calendar,
) -> Result<Option<EventKind>> {
    let on = e.date(input, "on", "收费通知日期");
    if settings.fee_payment.trim().is_empty() {
        e.push(
            "method",
            "收费通知须写明缴费方式：请先在 管理后台 › 公开指南 填写“信息处理费缴费方式”（账户、地点或网上缴费途径）",
        );
    }
    let method = FeeMethod::parse(input.get("method"));
    let basis = match method {
        None => {
            e.push("method", "请选择计收方式（按件计收或按量计收）");
            None
        }
        Some(FeeMethod::PerItem) => Some(FeeBasis::NthInMonth(
            app.db.applicant_rank_in_month(id).await?,
        )),
        Some(FeeMethod::PerPage) => match input.get("pages").parse::<u32>() {
            Ok(p) => Some(FeeBasis::Pages(p)),
            Err(_) => {
                e.push("pages", "按量计收须填写页数（数字）");
                None
            }
        },
    };
    let (Some(on), Some(method), Some(basis)) = (on, method, basis) else {
        return Ok(None);
    };
    let amount = fees::amount_fen(method, basis).unwrap_or(0);
    if amount == 0 {
        e.push(
            "method",
            format!(
                "{}，未超过合理范围，不收取信息处理费",
                fees::explain(method, basis)
            ),
        );
        return Ok(None);
    }
    let pay_by = match e.optional_date(input, "pay_by", "缴费期限") {
        Some(d) => d,
        None => match cal.add_working_days_provisional(on, 20) {
            Ok((d, _)) => d,
            Err(err) => {
                e.push("pay_by", err.to_string());
                return Ok(None);
            }
        },
    };
    Ok(Some(EventKind::FeeNoticed {
        on,
        method,
        basis,
        amount_fen: amount,
        pay_by,
        notice: None,
    }))
}

/// The remedies of the organ's settings, for the letters.
pub fn remedy_of(s: &gongkai_store::portal::OrganSettings) -> Remedy {
    Remedy {
        review_body: s.review_body.trim().to_string(),
        court: s.court.trim().to_string(),
        public_institution: s.public_institution != 0,
        appeal_body: s.appeal_body.trim().to_string(),
    }
}

/// 答复: the result, its parts (a required one missing is refused beside its field), the
/// withheld list of a partial disclosure, the earlier reply of a repeat found by its number, the
/// basis derived from all of these, and the remedies configured.
async fn decide(
    app: &App,
    e: &mut Errors,
    input: &StepInput,
    organ_id: i64,
    case: &Application,
    settings: &gongkai_store::portal::OrganSettings,
) -> Result<Option<EventKind>> {
    let on = e.date(input, "on", "答复日期");
    let result = parse_result(input.get("result"));
    if result.is_none() {
        e.push("result", "请选择答复结果");
    }
    let withheld = match parse_withheld(input.get("withheld")) {
        Ok(w) => w,
        Err(m) => {
            e.push("withheld", m);
            Vec::new()
        }
    };
    let (Some(on), Some(result)) = (on, result) else {
        return Ok(None);
    };
    let mut parts = parts_of(input);
    for (field, msg) in reply::missing(result, &parts, case) {
        e.push(field, msg);
    }
    if result == ReplyResult::Repeated && !parts.earlier_reply.is_empty() {
        match app
            .db
            .reply_by_number(organ_id, &parts.earlier_reply)
            .await?
        {
            Some((n, _)) => parts.earlier_reply_on = Some(n.issued_on),
            None => e.push(
                "earlier_reply",
                format!("本机关没有文号为“{}”的答复书", parts.earlier_reply),
            ),
        }
    }
    if let Some(m) = remedy_of(settings).unconfigured(result) {
        e.push("result", m);
    }
    let basis = reply::basis(result, &parts, case);
    Ok(Some(EventKind::Decided {
        on,
        result,
        basis,
        withheld,
        notice: None,
        text: input.get("text").to_string(),
        parts,
    }))
}

/// Reads a step and records it: what every door calls.
pub async fn record(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &StepInput,
) -> Result<Done<crate::applications::Recorded>> {
    let r = crate::applications::get(app, actor, id).await?;
    actor.require(app, Perm::Handle, r.organ_id).await?;
    let kind = parse(app, r.organ_id, id, input).await?;
    crate::applications::record_step(app, actor, id, kind).await
}
