//! `gongkai application import` and `prefix`: cases from a file, and the numbering of an organ.

use super::{Args, ImportArgs, PrefixArgs, organ_id};
use anyhow::{Context, bail};
use gongkai_app::App;

/// `gongkai application import`.
pub(super) async fn import(app: &App, args: &Args, i: &ImportArgs) -> anyhow::Result<()> {
    let ImportArgs {
        file,
        organ,
        template,
        as_user,
    } = i;
    if *template {
        std::fs::write(file, gongkai_import::applications::template_csv())
            .with_context(|| format!("无法写入 {}", file.display()))?;
        println!("已生成导入模板 {}", file.display());
        return Ok(());
    }
    let table = gongkai_import::read_file(file)?;
    let actor = match as_user {
        Some(u) => crate::cmd::acting(app, Some(u)).await?,
        None => super::actor(args),
    };
    let source = file.display().to_string();
    let n = gongkai_app::imports::applications(app, &actor, &table, organ.as_deref(), &source)
        .await?
        .value;
    println!("已导入{n}件申请");
    Ok(())
}

/// `gongkai application prefix`.
pub(super) async fn prefix(app: &App, args: &Args, p: &PrefixArgs) -> anyhow::Result<()> {
    let PrefixArgs {
        organ,
        notice,
        number,
    } = p;
    let id = organ_id(app, organ).await?;
    if notice.is_none() && number.is_none() {
        bail!("请给出 --notice 或 --number");
    }
    gongkai_app::applications::set_prefixes(
        app,
        &super::actor(args),
        id,
        notice.as_deref(),
        number.as_deref(),
    )
    .await?;
    println!("已设置编号前缀");
    Ok(())
}
