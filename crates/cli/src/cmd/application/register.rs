//! `gongkai application register`: a case received by any channel.

use super::{Args, RegisterArgs, actor, masked, organ_id};
use gongkai_app::App;
use gongkai_app::applicants::{ApplicantInput, RegisterInput};

pub(super) async fn run(app: &App, args: &Args, r: &RegisterArgs) -> anyhow::Result<()> {
    let RegisterArgs {
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
    } = r;
    let organ_id = organ_id(app, organ).await?;
    // The same check of the applicant as the portal's form and the back office's.
    let (phone, email) = if contact.contains('@') {
        (String::new(), contact.clone())
    } else {
        (contact.clone(), String::new())
    };
    let input = RegisterInput {
        organ_id,
        channel: channel.clone(),
        submitted_on: submitted.clone().unwrap_or_default(),
        received_on: received.clone().unwrap_or_default(),
        applicant: ApplicantInput {
            applicant_type: applicant_type.clone(),
            name: name.clone(),
            id_kind: String::new(),
            id_number: id_document.clone(),
            phone,
            email,
            address: address.clone(),
        },
        description: description.clone(),
        form: form.clone(),
    };
    let done = gongkai_app::applicants::register(app, &actor(args), &input).await?;
    let channel = done.value.record.channel;
    let r = done.value.record;
    let code = done.value.query_code.unwrap_or_default();
    if args.json {
        let mut v = masked(&r);
        v["query_code"] = serde_json::json!(code);
        println!("{}", serde_json::to_string_pretty(&v)?);
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
        println!("查询码：{code}（印在受理回执上，申请人凭此在网上查询办理情况）");
    }
    Ok(())
}
