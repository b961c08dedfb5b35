//! `gongkai organs`: lists the organs and their units.

use clap::Args as ClapArgs;
use gongkai_domain::records::organ_kind_label;

#[derive(ClapArgs)]
pub struct Args {}

pub fn run(database_url: &str, _args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        let organs = gongkai_app::organs::all(&app).await?;
        if organs.is_empty() {
            println!("数据库中还没有机关：可用 gongkai import organs 文件 导入，或 gongkai demo 加载演示数据");
        }
        fn walk(all: &[gongkai_domain::records::Organ], parent: Option<i64>, depth: usize) {
            for o in all.iter().filter(|o| o.parent_id == parent) {
                println!(
                    "{}{}  {}（{}，索引号格式 {}）",
                    "  ".repeat(depth),
                    o.code,
                    o.name,
                    organ_kind_label(o.kind),
                    o.index_pattern
                );
                walk(all, Some(o.id), depth + 1);
            }
        }
        walk(&organs, None, 0);
        Ok(())
    })
}
