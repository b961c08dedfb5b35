//! `gongkai backup -o FILE` and `gongkai restore FILE`: a backup taken while the portal serves
//! (SQLite `VACUUM INTO`, PostgreSQL `pg_dump`), and its restoration with a check of the result
//! (integrity, the row count of every table against the backup's).

use clap::Args as ClapArgs;
use gongkai_store::Db;
use gongkai_store::backup::{self, Manifest};
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct BackupArgs {
    /// 备份文件（同时在其旁写入 FILE.manifest.json，记录各表行数）
    #[arg(short = 'o', long)]
    pub output: PathBuf,
}

#[derive(ClapArgs)]
pub struct RestoreArgs {
    /// 由 gongkai backup 生成的备份文件
    pub file: PathBuf,
    /// 确认覆盖 --database-url 所指的数据库（恢复前请停止门户网站）
    #[arg(long)]
    pub yes: bool,
}

fn summary(m: &Manifest) -> String {
    format!("{} 张表，共 {} 行", m.counts.len(), m.rows())
}

pub fn run_backup(database_url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = Db::connect(database_url).await?;
        let t = std::time::Instant::now();
        let m = db.backup(database_url, &args.output).await?;
        db.close().await;
        println!(
            "已备份到 {}（{}，用时 {:.1} 秒）；清单 {}",
            args.output.display(),
            summary(&m),
            t.elapsed().as_secs_f64(),
            backup::manifest_path(&args.output).display()
        );
        Ok(())
    })
}

pub fn run_restore(database_url: &str, args: RestoreArgs) -> anyhow::Result<()> {
    if !args.yes {
        anyhow::bail!(
            "恢复将覆盖数据库 {database_url} 的全部内容：请先停止门户网站，再加 --yes 确认"
        );
    }
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let m = backup::restore(database_url, &args.file).await?;
        println!(
            "已从 {} 恢复并核对：完整性检查通过，{}，与备份一致",
            args.file.display(),
            summary(&m)
        );
        Ok(())
    })
}
