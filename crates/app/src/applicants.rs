//! The one check of an applicant and of a registration (art. 29: name, identity document,
//! contact, the information asked for), for every door: the portal's online form, the back
//! office's paper registration and `gongkai application register` refuse the same things with
//! the same words, each beside its field. Identity numbers are checked by their national
//! standards (`validate`: GB 11643 for the resident ID with its check digit, GB 32100 for the
//! credit code).

use crate::{Actor, App, Done, Error, FieldError, Result};
use chrono::NaiveDate;
use gongkai_domain::application::ApplicantType;
use gongkai_domain::application::events::{Applicant, Channel};
use gongkai_domain::application::validate::{self, IdKind};
use gongkai_store::applications::NewApplication;
use serde::Deserialize;

/// An applicant as a door received them, every field as text.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ApplicantInput {
    /// `natural_person`, `business` … or the label (自然人, 商业企业 …).
    pub applicant_type: String,
    pub name: String,
    /// The document's code (`resident_id`, `credit_code` …); empty: read from the number (a
    /// leading document name such as `护照 E1234567`, else by the applicant's type).
    pub id_kind: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
}

fn parse_type(s: &str) -> Option<ApplicantType> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string()))
        .ok()
        .or_else(|| ApplicantType::parse(s))
}

/// The document kind and number: as chosen, or read from a number written with its name first.
fn id_of(i: &ApplicantInput, kind: Option<ApplicantType>) -> (Option<IdKind>, String) {
    if !i.id_kind.trim().is_empty() {
        return (IdKind::parse(&i.id_kind), i.id_number.clone());
    }
    let n = i.id_number.trim();
    for k in IdKind::ALL {
        if let Some(rest) = n.strip_prefix(k.label()) {
            return (Some(k), rest.trim().to_string());
        }
    }
    let k = match kind {
        Some(ApplicantType::NaturalPerson) => IdKind::ResidentId,
        Some(_) if n.chars().count() == 18 => IdKind::CreditCode,
        _ => IdKind::Other,
    };
    (Some(k), n.to_string())
}

/// Checks an applicant; every problem at once, each beside its field. `email_needed` when the
/// applicant asked for the information by e-mail.
pub fn check_applicant(
    i: &ApplicantInput,
    email_needed: bool,
) -> std::result::Result<Applicant, Vec<FieldError>> {
    let mut e = Vec::new();
    let kind = parse_type(&i.applicant_type);
    if kind.is_none() {
        e.push(FieldError::new("applicant_type", "请选择申请人类型"));
    }
    let name = i.name.trim();
    if name.is_empty() {
        e.push(FieldError::new("name", "请填写申请人姓名或名称"));
    } else if name.chars().count() > 100 {
        e.push(FieldError::new("name", "姓名或名称不能超过100字"));
    }
    let (id_kind, number) = id_of(i, kind);
    let natural = kind == Some(ApplicantType::NaturalPerson);
    let id_document = match id_kind {
        None => {
            e.push(FieldError::new("id_kind", "请选择证件类型"));
            None
        }
        Some(IdKind::CreditCode) if natural => {
            e.push(FieldError::new(
                "id_kind",
                "公民个人申请请选择身份证件，统一社会信用代码适用于法人或其他组织",
            ));
            None
        }
        Some(k) if !natural && kind.is_some() && k != IdKind::CreditCode && k != IdKind::Other => {
            e.push(FieldError::new(
                "id_kind",
                "法人或其他组织申请请填写统一社会信用代码（无统一社会信用代码的选择“其他证件”）",
            ));
            None
        }
        Some(k) => match validate::id_document(k, &number) {
            Ok(d) => Some(d),
            Err(m) => {
                e.push(FieldError::new("id_number", m));
                None
            }
        },
    };
    // A phone, or an e-mail address alone: either is a contact (art. 29).
    let phone = if i.phone.trim().is_empty() && !i.email.trim().is_empty() {
        Some(String::new())
    } else {
        match validate::phone(&i.phone) {
            Ok(p) => Some(p),
            Err(m) => {
                e.push(FieldError::new("phone", m));
                None
            }
        }
    };
    let email = if i.email.trim().is_empty() {
        if email_needed {
            e.push(FieldError::new(
                "email",
                "选择以电子邮件获取信息的，请填写电子邮箱",
            ));
        }
        None
    } else {
        match validate::email(&i.email) {
            Ok(m) => Some(m),
            Err(m) => {
                e.push(FieldError::new("email", m));
                None
            }
        }
    };
    if i.address.chars().count() > 200 {
        e.push(FieldError::new("address", "通信地址不能超过200字"));
    }
    match (kind, id_document, phone) {
        (Some(kind), Some(id_document), Some(phone)) if e.is_empty() => Ok(Applicant {
            kind,
            name: name.to_string(),
            id_document,
            contact: match email {
                Some(m) if phone.is_empty() => m,
                Some(m) => format!("{phone}；{m}"),
                None => phone,
            },
            address: i.address.trim().to_string(),
        }),
        _ => Err(e),
    }
}

/// Checks the information asked for (art. 29: its name, number or a description that finds it).
pub fn check_description(description: &str) -> Option<FieldError> {
    let d = description.trim();
    if d.is_empty() {
        Some(FieldError::new(
            "description",
            "请填写所需政府信息的名称、文号或便于查询的其他特征性描述",
        ))
    } else if d.chars().count() > 2000 {
        Some(FieldError::new("description", "所需信息描述不能超过2000字"))
    } else {
        None
    }
}

/// A case received by an office (counter, post, fax, e-mail), as a door received it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RegisterInput {
    pub organ_id: i64,
    /// `in_person`, `post` … or the label (当面, 邮寄 …).
    pub channel: String,
    /// The day the applicant sent or handed it in; the receipt date when empty.
    pub submitted_on: String,
    /// The receipt date of art. 31; today when empty.
    pub received_on: String,
    #[serde(flatten)]
    pub applicant: ApplicantInput,
    pub description: String,
    /// The form wanted (纸质, 电子邮件 …).
    pub form: String,
}

fn day(
    e: &mut Vec<FieldError>,
    field: &'static str,
    what: &str,
    s: &str,
    default: NaiveDate,
) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return Some(default);
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            e.push(FieldError::new(
                field,
                format!("{what}“{s}”格式不对，应为 年-月-日，如 2024-03-01"),
            ));
            None
        }
    }
}

/// Registers a case from what a door received: every field checked at once, then
/// [`crate::applications::register`].
pub async fn register(
    app: &App,
    actor: &Actor,
    input: &RegisterInput,
) -> Result<Done<crate::applications::Registered>> {
    actor
        .require(app, crate::Perm::Handle, input.organ_id)
        .await?;
    let mut e = Vec::new();
    let channel = Channel::parse(&input.channel);
    if channel.is_none() {
        e.push(FieldError::new("channel", "请选择申请渠道"));
    }
    let today = app.time.today();
    let received = day(
        &mut e,
        "received_on",
        "收到申请日期",
        &input.received_on,
        today,
    );
    let submitted = day(
        &mut e,
        "submitted_on",
        "提交日期",
        &input.submitted_on,
        received.unwrap_or(today),
    );
    // Dates in the future, and a submission after its receipt, are reported with the other
    // fields' errors, so the officer corrects everything at once.
    for (field, what, d) in [
        ("received_on", "收到申请日期", received),
        ("submitted_on", "提交日期", submitted),
    ] {
        if let Some(d) = d.filter(|d| *d > today) {
            e.push(FieldError::new(
                field,
                format!("{what} {d} 晚于今天（{today}），不能登记未来的日期"),
            ));
        }
    }
    if let (Some(c), Some(s), Some(r)) = (channel, submitted, received)
        && let Err(m) = c.check_receipt(s, r)
    {
        e.push(FieldError::new("received_on", m));
    }
    let applicant = match check_applicant(&input.applicant, input.form.trim() == "电子邮件") {
        Ok(a) => Some(a),
        Err(mut v) => {
            e.append(&mut v);
            None
        }
    };
    if let Some(d) = check_description(&input.description) {
        e.push(d);
    }
    match (channel, received, submitted, applicant) {
        (Some(channel), Some(received_on), Some(submitted_on), Some(applicant)) if e.is_empty() => {
            crate::applications::register(
                app,
                actor,
                NewApplication {
                    organ_id: input.organ_id,
                    channel,
                    submitted_on,
                    received_on,
                    applicant,
                    description: input.description.trim().to_string(),
                    form: input.form.trim().to_string(),
                },
            )
            .await
        }
        _ => Err(Error::Invalid(e)),
    }
}
