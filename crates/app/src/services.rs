//! 办事服务: the 办事指南 of an organ's 行政许可 and other public services, tied to the 事项
//! register (a guide belongs to a matter listed there; the matter's name is the guide's 事项名称,
//! and a matter taken off the list leaves the 办事服务 column with its guide).

use crate::audit::{Action, Change, record};
use crate::{Actor, App, Done, Error, FieldError, Perm, Result};
use chrono::NaiveDate;
use gongkai_domain::records::{Matter, MatterKind, ServiceGuide};

/// Longest element.
pub const MAX_ELEMENT: usize = 5000;

/// A service and its guide.
#[derive(Debug, Clone)]
pub struct Service {
    pub matter: Matter,
    /// The guide, and the day it was last changed; `None` when none was written.
    pub guide: Option<(ServiceGuide, NaiveDate)>,
}

impl Service {
    /// The required elements still missing (all of them without a guide).
    pub fn missing(&self) -> Vec<&'static str> {
        match &self.guide {
            Some((g, _)) => g.missing(),
            None => ServiceGuide::default().missing(),
        }
    }
}

/// The services of `organ_id` listed today (行政许可 and 其他对外管理服务), with their guides.
/// Anyone may read them: they are the portal's 办事服务 column.
pub async fn services(app: &App, organ_id: i64) -> Result<Vec<Service>> {
    let today = app.time.today();
    let guides = app.db.service_guides(organ_id).await?;
    Ok(app
        .db
        .matters(organ_id)
        .await?
        .into_iter()
        .filter(|m| matches!(m.kind, MatterKind::Licensing | MatterKind::OtherService))
        .filter(|m| m.listed_at(today))
        .map(|m| Service {
            guide: guides
                .iter()
                .find(|(id, _, _)| *id == m.id)
                .map(|(_, g, on)| (g.clone(), *on)),
            matter: m,
        })
        .collect())
}

/// Writes the guide of matter `matter_id` of `organ_id` (editors of the organ), dated today.
pub async fn save_guide(
    app: &App,
    actor: &Actor,
    organ_id: i64,
    matter_id: i64,
    guide: ServiceGuide,
) -> Result<Done<ServiceGuide>> {
    actor.require(app, Perm::Edit, organ_id).await?;
    let services = services(app, organ_id).await?;
    let Some(service) = services.iter().find(|s| s.matter.id == matter_id) else {
        return Err(Error::invalid(
            "matter",
            "该事项不在本机关的行政许可或公共服务事项清单中",
        ));
    };
    let t = |s: &str| s.trim().to_string();
    let g = ServiceGuide {
        basis: t(&guide.basis),
        conditions: t(&guide.conditions),
        materials: t(&guide.materials),
        place: t(&guide.place),
        hours: t(&guide.hours),
        phone: t(&guide.phone),
        process: t(&guide.process),
        time_limit: t(&guide.time_limit),
        fee: t(&guide.fee),
    };
    let errors: Vec<FieldError> = g
        .required()
        .iter()
        .chain(
            [
                ("time_limit", "承诺时限", g.time_limit.as_str()),
                ("fee", "收费标准", g.fee.as_str()),
            ]
            .iter(),
        )
        .filter(|(_, _, v)| v.chars().count() > MAX_ELEMENT)
        .map(|(f, l, _)| FieldError::new(f, format!("{l}不能超过{MAX_ELEMENT}字")))
        .collect();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let today = app.time.today();
    let mut tx = app.db.begin().await?;
    tx.set_service_guide(matter_id, &g, today).await?;
    record(
        app,
        &mut tx,
        actor,
        Change::new(
            Some(organ_id),
            Action::ServiceGuide,
            "service_guide",
            matter_id,
        )
        .before(&service.guide.as_ref().map(|(g, _)| g))
        .after(&g),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::new(g))
}
