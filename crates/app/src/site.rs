//! The site's identity: its name (the home page's title), 主办单位, 网站标识码, the ICP and
//! 公安机关 备案 numbers, contact, privacy and copyright statements, and the 党政机关网站标识
//! image — set by a system administrator, shown in every page's footer (《政府网站发展指引》:
//! the footer carries 主办单位, 联系方式, 网站标识码, ICP 备案编号 and 公安机关备案标识, and the
//! 党政机关网站标识).

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
pub use gongkai_store::site::SiteSettings;

/// The name shown when none is set.
pub const DEFAULT_SITE_NAME: &str = "政府信息公开平台";

/// Longest one-line field, and longest statement.
pub const MAX_FIELD: usize = 100;
pub const MAX_STATEMENT: usize = 5000;

/// The largest 标识 image accepted.
pub const MAX_BADGE_BYTES: usize = 200 * 1024;

/// The settings as stored (empty fields where none were set). Anyone may read them: they are
/// printed on every public page.
pub async fn settings(app: &App) -> Result<SiteSettings> {
    Ok(app.db.site_settings().await?)
}

/// The 党政机关网站标识 image and its content type, if one was uploaded.
pub async fn badge(app: &App) -> Result<Option<(String, Vec<u8>)>> {
    Ok(app.db.site_badge().await?)
}

/// Checks the fields: lengths, and the 网站标识码's form (ten letters or digits, as the
/// national register of government sites hands them out).
fn check(s: &SiteSettings) -> std::result::Result<SiteSettings, Vec<FieldError>> {
    let t = |v: &str| v.trim().to_string();
    let out = SiteSettings {
        site_name: t(&s.site_name),
        sponsor: t(&s.sponsor),
        site_code: t(&s.site_code).to_uppercase(),
        icp: t(&s.icp),
        police_record: t(&s.police_record),
        contact: s.contact.trim().to_string(),
        privacy: s.privacy.trim().to_string(),
        copyright: s.copyright.trim().to_string(),
    };
    let mut errors = Vec::new();
    for (field, label, v) in [
        ("site_name", "网站名称", &out.site_name),
        ("sponsor", "主办单位", &out.sponsor),
        ("site_code", "网站标识码", &out.site_code),
        ("icp", "ICP备案编号", &out.icp),
        ("police_record", "公安机关备案号", &out.police_record),
    ] {
        if v.chars().count() > MAX_FIELD {
            errors.push(FieldError::new(
                field,
                format!("{label}不能超过{MAX_FIELD}字"),
            ));
        }
    }
    for (field, label, v) in [
        ("contact", "联系我们", &out.contact),
        ("privacy", "隐私声明", &out.privacy),
        ("copyright", "版权声明", &out.copyright),
    ] {
        if v.chars().count() > MAX_STATEMENT {
            errors.push(FieldError::new(
                field,
                format!("{label}不能超过{MAX_STATEMENT}字"),
            ));
        }
    }
    if !out.site_code.is_empty()
        && (out.site_code.chars().count() != 10
            || !out.site_code.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        errors.push(FieldError::new(
            "site_code",
            format!("网站标识码应为10位数字或字母，“{}”不是", out.site_code),
        ));
    }
    if !out.police_record.is_empty() && police_record_number(&out.police_record).is_none() {
        errors.push(FieldError::new(
            "police_record",
            "公安机关备案号应含备案编号数字，如“宁公网安备 64018102000123号”",
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The digits of a 公安机关备案号 (`宁公网安备 64018102000123号` → `64018102000123`), which its
/// link to the national register carries.
pub fn police_record_number(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits.len() >= 6).then_some(digits)
}

/// Saves the site's identity (system administrators).
pub async fn save(app: &App, actor: &Actor, s: SiteSettings) -> Result<Done<SiteSettings>> {
    actor.require_role(Perm::System)?;
    let s = check(&s).map_err(Error::Invalid)?;
    let before = app.db.site_settings().await?;
    let mut tx = app.db.begin().await?;
    tx.set_site_settings(&s).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(None, Action::SiteSettings, "site_settings", 1)
            .before(&before)
            .after(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(s))
}

/// The content type of an image file by its first bytes: PNG, JPEG or GIF (never SVG, which
/// can carry scripts).
pub fn image_type(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// Keeps the uploaded 党政机关网站标识 image (`None` removes it).
pub async fn set_badge(app: &App, actor: &Actor, data: Option<&[u8]>) -> Result<Done<()>> {
    actor.require_role(Perm::System)?;
    let badge = match data {
        Some(d) if d.len() > MAX_BADGE_BYTES => {
            return Err(Error::invalid(
                "badge",
                format!("标识图片不能超过{}KB", MAX_BADGE_BYTES / 1024),
            ));
        }
        Some(d) => Some((
            image_type(d)
                .ok_or_else(|| Error::invalid("badge", "标识图片应为PNG、JPEG或GIF格式"))?,
            d,
        )),
        None => None,
    };
    let mut tx = app.db.begin().await?;
    tx.set_site_badge(badge).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(None, Action::SiteSettings, "site_badge", 1).after(&serde_json::json!({
            "badge": badge.map(|(t, d)| format!("{t}，{}字节", d.len())),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked() {
        let ok = SiteSettings {
            site_name: " 灵武市教育体育局政府信息公开 ".into(),
            site_code: "6401810001".into(),
            police_record: "宁公网安备 64018102000123号".into(),
            ..Default::default()
        };
        let s = check(&ok).unwrap();
        assert_eq!(s.site_name, "灵武市教育体育局政府信息公开");
        let bad = SiteSettings {
            site_code: "64018".into(),
            police_record: "宁公网安备".into(),
            ..Default::default()
        };
        let e = check(&bad).unwrap_err();
        assert_eq!(
            e.iter().map(|f| f.field).collect::<Vec<_>>(),
            vec!["site_code", "police_record"]
        );
        assert!(e[0].message.contains("10位"));
        assert_eq!(
            police_record_number("宁公网安备 64018102000123号").as_deref(),
            Some("64018102000123")
        );
    }

    #[test]
    fn only_raster_images() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"<svg onload=alert(1)>"), None);
    }
}
