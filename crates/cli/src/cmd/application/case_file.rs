//! `gongkai application show` and `notice`: one case with its deadline trace, and its notices.

use super::{Args, NoticeArgs, NoticeFormat, ShowArgs, actor, find, masked, today};
use anyhow::{Context, bail};
use gongkai_app::App;
use gongkai_domain::application::notice::NoticeKind;

/// `gongkai application show`.
pub(super) async fn show(app: &App, args: &Args, s: &ShowArgs) -> anyhow::Result<()> {
    let ShowArgs {
        which,
        today: t,
        reveal,
    } = s;
    let r = find(app, args, which).await?;
    let today = today(app, t)?;
    let file = gongkai_app::cases::case_file(app, &actor(args), r.id, Some(today)).await?;
    let (events, clock, notices) = (file.events, file.clock, file.notices);
    let app = file.case;
    let applicant = if *reveal {
        app.applicant.clone()
    } else {
        app.applicant.masked()
    };
    if args.json {
        let ev: Vec<_> = events
            .iter()
            .map(|e| {
                serde_json::json!({
                    "seq": e.seq, "at": e.at, "actor": e.actor,
                    "event": if *reveal { e.kind.clone() } else { e.kind.masked() },
                    "description": e.kind.describe(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "application": masked(&r),
                "applicant": applicant,
                "clock": clock,
                "events": ev,
                "notices": notices,
            }))?
        );
        return Ok(());
    }
    println!("申请编号：{}", r.number);
    println!("申请渠道：{}", app.channel.label());
    println!("申请人：{}（{}）", applicant.name, applicant.kind.label());
    if !applicant.id_document.is_empty() {
        println!("身份证件：{}", applicant.id_document);
    }
    if !applicant.contact.is_empty() {
        println!("联系方式：{}", applicant.contact);
    }
    if !applicant.address.is_empty() {
        println!("通信地址：{}", applicant.address);
    }
    println!("申请内容：{}", app.description);
    if let Some(h) = &app.handler {
        println!("承办人：{h}");
    }
    println!("状态：{}", r.status.label());
    if let Some((on, result)) = app.closed() {
        println!("办理结果：{}（{on}）", result.label());
    }
    println!(
        "答复期限：{}",
        clock
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "暂停计算或无法计算".into())
    );
    println!("\n期限计算过程：");
    for (i, line) in clock.trace.iter().enumerate() {
        println!("  {}. {line}", i + 1);
    }
    println!("\n事件记录：");
    for e in &events {
        println!(
            "  #{} {} {}：{}",
            e.seq,
            e.at.format("%Y-%m-%d %H:%M"),
            e.actor,
            e.kind.describe()
        );
    }
    if !notices.is_empty() {
        println!("\n告知书：");
        for n in &notices {
            println!("  {} {}（{}）", n.number, n.kind.label(), n.issued_on);
        }
    }
    Ok(())
}

/// `gongkai application notice`.
pub(super) async fn notice(app: &App, args: &Args, n: &NoticeArgs) -> anyhow::Result<()> {
    let NoticeArgs {
        which,
        kind,
        format,
        output,
    } = n;
    let r = find(app, args, which).await?;
    let notices = gongkai_app::cases::notices(app, &actor(args), r.id).await?;
    let wanted = match kind {
        Some(k) => Some(NoticeKind::parse(k).with_context(|| {
            format!("无法识别的告知书类型“{k}”（reply、supplement、extension、fee、reasons、consultation、disclosure）")
        })?),
        None => None,
    };
    let rec = notices
        .iter()
        .rev()
        .find(|n| wanted.is_none_or(|k| n.kind == k))
        .with_context(|| {
            format!(
                "申请 {} 尚未发出{}",
                r.number,
                wanted.map(|k| k.label()).unwrap_or("告知书")
            )
        })?;
    // The use case replays the log up to the notice's step and names the organ's
    // review body and court.
    let n = gongkai_app::applications::notice(app, &actor(args), r.id, rec.event_seq)
        .await?
        .notice;
    let bytes: Vec<u8> = match format {
        NoticeFormat::Html => n.to_html().into_bytes(),
        NoticeFormat::Text => n.to_text().into_bytes(),
        NoticeFormat::Json => serde_json::to_string_pretty(&n)?.into_bytes(),
        NoticeFormat::Docx => {
            gongkai_render::notice::docx(&n, &gongkai_render::docx::DocxOptions::default())?
        }
        NoticeFormat::Pdf => gongkai_pdf::notice(&n, &gongkai_pdf::PdfOptions::default())?,
    };
    match output {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("无法写入 {}", p.display()))?;
            eprintln!("已写入 {}", p.display());
        }
        None if matches!(format, NoticeFormat::Docx | NoticeFormat::Pdf) => {
            bail!("DOCX 和 PDF 格式请用 -o 指定输出文件")
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
