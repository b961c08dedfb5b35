//! `gongkai application import` and `prefix`: cases from a file, and the numbering of an organ.

use super::{Args, Sub, organ_id};
use anyhow::{Context, bail};
use gongkai_app::App;

pub(super) async fn run(app: &App, args: &Args) -> anyhow::Result<()> {
    let db = &app.db;
    match &args.sub {
        Sub::Import {
            file,
            organ,
            template,
            as_user,
        } => {
            if *template {
                std::fs::write(file, gongkai_import::applications::template_csv())
                    .with_context(|| format!("无法写入 {}", file.display()))?;
                println!("已生成导入模板 {}", file.display());
                return Ok(());
            }
            let table = gongkai_import::read_file(file)?;
            let actor = match as_user {
                Some(u) => crate::cmd::acting(db, Some(u)).await?,
                None => super::actor(args),
            };
            let source = file.display().to_string();
            let n =
                gongkai_app::imports::applications(app, &actor, &table, organ.as_deref(), &source)
                    .await?
                    .value;
            println!("已导入{n}件申请");
        }
        Sub::Prefix {
            organ,
            notice,
            number,
        } => {
            let id = organ_id(db, organ).await?;
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
        }

        _ => unreachable!("dispatched by run_on"),
    }
    Ok(())
}
