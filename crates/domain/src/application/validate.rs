//! Checking what an applicant writes on an application (art. 29: name, identity document,
//! contact): identity numbers by their national standards, phone numbers and e-mail addresses.
//! Shared by the portal's form and the API, so both refuse the same things with the same words.
//! Every message is Chinese, written for the person filling in the form.

use chrono::NaiveDate;

/// The identity documents an applicant may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// 居民身份证 (GB 11643-1999: 17 digits and a check character).
    ResidentId,
    /// 统一社会信用代码 of an organisation (GB 32100-2015: 18 characters with a check character).
    CreditCode,
    /// 护照.
    Passport,
    /// 港澳居民来往内地通行证.
    HkMacauPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// Any other document, written as given.
    Other,
}

impl IdKind {
    pub const ALL: [IdKind; 6] = [
        IdKind::ResidentId,
        IdKind::CreditCode,
        IdKind::Passport,
        IdKind::HkMacauPermit,
        IdKind::TaiwanPermit,
        IdKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdKind::ResidentId => "resident_id",
            IdKind::CreditCode => "credit_code",
            IdKind::Passport => "passport",
            IdKind::HkMacauPermit => "hk_macau",
            IdKind::TaiwanPermit => "taiwan",
            IdKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdKind::ResidentId => "居民身份证",
            IdKind::CreditCode => "统一社会信用代码",
            IdKind::Passport => "护照",
            IdKind::HkMacauPermit => "港澳居民来往内地通行证",
            IdKind::TaiwanPermit => "台湾居民来往大陆通行证",
            IdKind::Other => "其他证件",
        }
    }

    pub fn parse(code: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// Checks an identity document number; returns it as it is recorded (upper case, without
/// spaces; other documents than the resident ID carry their name first, e.g. `护照 E12345678`,
/// as the case records have always written them).
pub fn id_document(kind: IdKind, number: &str) -> Result<String, String> {
    let n: String = number
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if n.is_empty() {
        return Err(format!("请填写{}号码", kind.label()));
    }
    let ok_pattern = |min: usize, max: usize, f: fn(char) -> bool| {
        (min..=max).contains(&n.chars().count()) && n.chars().all(f)
    };
    match kind {
        IdKind::ResidentId => resident_id(&n).map(|_| n),
        IdKind::CreditCode => credit_code(&n).map(|_| n),
        IdKind::Passport => {
            if ok_pattern(5, 17, |c| c.is_ascii_alphanumeric()) {
                Ok(format!("护照 {n}"))
            } else {
                Err("护照号码应为5至17位字母或数字".into())
            }
        }
        IdKind::HkMacauPermit => {
            let b = n.as_bytes();
            if (b.len() == 9 || b.len() == 11)
                && matches!(b[0], b'H' | b'M')
                && b[1..].iter().all(u8::is_ascii_digit)
            {
                Ok(format!("港澳居民来往内地通行证 {n}"))
            } else {
                Err("港澳居民来往内地通行证号码应为H或M加8位或10位数字".into())
            }
        }
        IdKind::TaiwanPermit => {
            if (n.len() == 8 || n.len() == 10) && n.bytes().all(|b| b.is_ascii_digit()) {
                Ok(format!("台湾居民来往大陆通行证 {n}"))
            } else {
                Err("台湾居民来往大陆通行证号码应为8位或10位数字".into())
            }
        }
        IdKind::Other => {
            if n.chars().count() <= 40 {
                Ok(n)
            } else {
                Err("证件号码不能超过40个字符".into())
            }
        }
    }
}

/// A 居民身份证号码 under GB 11643-1999: 6-digit area code, 8-digit birth date, 3-digit sequence
/// and a check character computed from the first 17 digits (ISO 7064 MOD 11-2).
pub fn resident_id(n: &str) -> Result<(), String> {
    let b = n.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err("居民身份证号码应为18位，前17位为数字，最后一位为数字或X".into());
    }
    if !matches!(b[17], b'0'..=b'9' | b'X' | b'x') {
        return Err("居民身份证号码最后一位应为数字或X".into());
    }
    let birth = std::str::from_utf8(&b[6..14]).unwrap_or("");
    if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() || birth < "18000101" {
        return Err("居民身份证号码中的出生日期（第7至14位）不是有效日期，请核对".into());
    }
    if resident_id_check(&b[..17]) != b[17].to_ascii_uppercase() {
        return Err("居民身份证号码校验位不符，请逐位核对号码".into());
    }
    Ok(())
}

/// The check character of the first 17 digits of a resident ID (GB 11643-1999, ISO 7064 MOD
/// 11-2).
pub fn resident_id_check(first17: &[u8]) -> u8 {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// A 统一社会信用代码 under GB 32100-2015: 18 characters from the code's alphabet (no I, O, Z,
/// S, V), the last a check character.
pub fn credit_code(n: &str) -> Result<(), String> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let b = n.as_bytes();
    let pos = |c: u8| ALPHABET.iter().position(|a| *a == c);
    if b.len() != 18 || !b.iter().all(|c| pos(*c).is_some()) {
        return Err("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）".into());
    }
    let sum: usize = b[..17]
        .iter()
        .zip(W)
        .map(|(c, w)| pos(*c).unwrap_or(0) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    if ALPHABET[check] != b[17] {
        return Err("统一社会信用代码校验位不符，请逐位核对".into());
    }
    Ok(())
}

/// A phone number a office can call back: a mobile number (11 digits from 13–19), or a fixed line
/// of 7–8 digits with its area code (0 and 2–3 digits), optionally `+86` first and an extension
/// after `转` or `-`. Spaces and dashes between groups are allowed. Returns the number as written,
/// trimmed.
pub fn phone(s: &str) -> Result<String, String> {
    let t = s.trim();
    let err = || {
        Err(
            "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如0951-4021664）"
                .to_string(),
        )
    };
    if t.is_empty() {
        return Err("请填写联系电话".into());
    }
    let mut rest = t.strip_prefix("+86").unwrap_or(t).trim_start();
    // An extension: 转123 or a trailing group after a second dash is accepted as written.
    if let Some((main, ext)) = rest.split_once('转') {
        if ext.trim().is_empty() || !ext.trim().bytes().all(|b| b.is_ascii_digit()) {
            return err();
        }
        rest = main;
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '—' | '（' | '）' | '(' | ')'))
    {
        return err();
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let mobile = digits.len() == 11 && digits.starts_with('1') && digits.as_bytes()[1] >= b'3';
    let fixed = digits.starts_with('0') && (10..=12).contains(&digits.len());
    if mobile || fixed {
        Ok(t.to_string())
    } else {
        err()
    }
}

/// An e-mail address: one `@`, a local part, and a domain with a dot, no spaces.
pub fn email(s: &str) -> Result<String, String> {
    let t = s.trim();
    let err = || Err("电子邮箱格式不正确，例如 name@example.com".to_string());
    let Some((local, domain)) = t.split_once('@') else {
        return err();
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| label_ok(l))
        && labels.last().is_some_and(|l| l.chars().count() >= 2);
    if local_ok && domain_ok && t.len() <= 254 {
        Ok(t.to_string())
    } else {
        err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the check character to 17 digits.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", resident_id_check(first17.as_bytes()) as char)
    }

    #[test]
    fn resident_ids_are_checked_by_gb_11643() {
        // The standard's own example.
        assert_eq!(resident_id("11010519491231002X"), Ok(()));
        assert_eq!(resident_id("440524188001010014"), Ok(()));
        assert_eq!(with_check("64018119900101123"), "640181199001011232");
        assert!(resident_id("640181199001011232").is_ok());
        // One digit wrong: the check character catches it.
        let e = resident_id("640181199001011234").unwrap_err();
        assert!(e.contains("校验位"), "{e}");
        assert!(resident_id("11010519491231002x").is_ok());
        assert!(
            resident_id("1101051949123100")
                .unwrap_err()
                .contains("18位")
        );
        assert!(
            resident_id("110105194913310021")
                .unwrap_err()
                .contains("出生日期")
        );
        assert!(resident_id("11010519491231002A").is_err());
    }

    #[test]
    fn documents_other_than_the_resident_id_are_checked_by_pattern_and_named() {
        assert_eq!(
            id_document(IdKind::ResidentId, " 11010519491231002x "),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            id_document(IdKind::Passport, "e12345678"),
            Ok("护照 E12345678".into())
        );
        assert!(id_document(IdKind::Passport, "E1").is_err());
        assert!(id_document(IdKind::HkMacauPermit, "H12345678").is_ok());
        assert!(id_document(IdKind::HkMacauPermit, "X12345678").is_err());
        assert!(id_document(IdKind::TaiwanPermit, "12345678").is_ok());
        assert!(id_document(IdKind::TaiwanPermit, "1234567A").is_err());
        assert!(
            id_document(IdKind::ResidentId, "")
                .unwrap_err()
                .contains("请填写")
        );
        // A real credit code (the State Council's example shape) and one with a wrong check.
        assert!(credit_code("91350100M000100Y43").is_ok());
        assert!(credit_code("91350100M000100Y44").is_err());
        assert!(credit_code("91350100M000100Y4").is_err());
    }

    #[test]
    fn phones_are_mobile_or_fixed_lines_with_area_code() {
        for ok in [
            "13900003333",
            "139 0000 3333",
            "+86 13900003333",
            "0951-4021664",
            "0951—4021664",
            "(0951)4021664",
            "010-12345678",
            "0951-4021664转802",
        ] {
            assert!(phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "abc",
            "12345",
            "1390000333",
            "23900003333",
            "4021664",
            "0951-4021664转",
            "",
        ] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for ok in ["lwjydt@163.com", "a.b+c@mail.example.cn", "王@例子.中国"] {
            let r = email(ok);
            // The local part is ASCII in practice; the domain may be internationalised.
            if ok.starts_with('王') {
                assert!(r.is_err());
            } else {
                assert!(r.is_ok(), "{ok}");
            }
        }
        for bad in [
            "abc", "a@b", "a@@b.cn", "a b@c.cn", "@163.com", "a@.cn", "a@163.c",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }
}
