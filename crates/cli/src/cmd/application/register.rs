//! `gongkai application register`: a case received by any channel.

use super::super::calendar::parse_date;
use super::{Args, Sub, actor, masked, organ_id};
use anyhow::Context;
use gongkai_app::App;
use gongkai_domain::application::ApplicantType;
use gongkai_domain::application::events::{Applicant, Channel};
use gongkai_store::applications::NewApplication;

pub(super) async fn run(app: &App, args: &Args) -> anyhow::Result<()> {
    let db = &app.db;
    match &args.sub {
        Sub::Register {
            organ,
            channel,
            submitted,
            received,
            applicant_type,
            name,
            id_document,
            contact,
            address,
            description,
            form,
        } => {
            let organ_id = organ_id(db, organ).await?;
            let channel = Channel::parse(channel).with_context(|| {
                format!("无法识别的申请渠道“{channel}”（可用：网络、当面、邮寄、传真、电子邮件）")
            })?;
            let kind = ApplicantType::parse(applicant_type).with_context(|| {
                format!("无法识别的申请人类型“{applicant_type}”（可用：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他组织）")
            })?;
            let received = match received {
                Some(r) => parse_date(r)?,
                None => app.time.today(),
            };
            let submitted = match submitted {
                Some(s) => parse_date(s)?,
                None => received,
            };
            let done = gongkai_app::applications::register(
                app,
                &actor(args),
                NewApplication {
                    organ_id,
                    channel,
                    submitted_on: submitted,
                    received_on: received,
                    applicant: Applicant {
                        kind,
                        name: name.clone(),
                        id_document: id_document.clone(),
                        contact: contact.clone(),
                        address: address.clone(),
                    },
                    description: description.clone(),
                    form: form.clone(),
                },
            )
            .await?;
            let r = done.value.record;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&masked(&r))?);
            } else {
                println!(
                    "已登记申请 {}（{}，收到申请之日 {}）",
                    r.number,
                    channel.label(),
                    r.received_on
                );
                match r.due_on {
                    Some(d) => println!("答复期限：{d}"),
                    None => println!("答复期限暂无法计算（工作日历未覆盖）"),
                }
            }
        }
        _ => unreachable!("dispatched by run_on"),
    }
    Ok(())
}
