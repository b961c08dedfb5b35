//! `gongkai import KIND FILE`: imports records from CSV (UTF-8 or GBK) or XLSX, all or nothing;
//! `gongkai import --template KIND [-o FILE]` writes an empty template with the expected headers.

use anyhow::{Context, bail};
use clap::Args as ClapArgs;
use gongkai_import::Kind;
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    /// 数据类型：organs、catalogue、matters、decisions、fees、procurements、cases、letters
    pub kind: Option<String>,
    /// 要导入的 CSV 或 XLSX 文件
    pub file: Option<PathBuf>,
    /// 文件中没有“机关”列时，记录所属的机关（代码或全称）
    #[arg(long)]
    pub organ: Option<String>,
    /// 生成该类型的空白模板（CSV；-o 以 .xlsx 结尾时生成 XLSX）
    #[arg(long, value_name = "KIND", conflicts_with_all = ["kind", "file"])]
    pub template: Option<String>,
    /// 模板输出文件（默认输出到标准输出）
    #[arg(short = 'o', long, requires = "template")]
    pub output: Option<PathBuf>,
    /// 以该后台用户的身份导入（按其角色和机关检查权限、记入操作日志）；不给则以命令行操作员身份
    #[arg(long = "as", value_name = "USERNAME")]
    pub as_user: Option<String>,
}

fn kinds() -> String {
    Kind::ALL
        .iter()
        .map(|k| format!("{}（{}）", k.name(), k.label()))
        .collect::<Vec<_>>()
        .join("、")
}

fn parse_kind(s: &str) -> anyhow::Result<Kind> {
    Kind::parse(s).with_context(|| format!("未知的数据类型“{s}”，可用：{}", kinds()))
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    if let Some(t) = &args.template {
        let kind = parse_kind(t)?;
        let xlsx = args
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let bytes = if xlsx {
            kind.template_xlsx().map_err(anyhow::Error::msg)?
        } else {
            kind.template_csv()
        };
        match &args.output {
            Some(p) => {
                std::fs::write(p, bytes).with_context(|| format!("无法写入 {}", p.display()))?;
                eprintln!("已写入{}模板 {}", kind.label(), p.display());
            }
            None => {
                use std::io::Write;
                std::io::stdout().write_all(&bytes)?;
            }
        }
        return Ok(());
    }
    let (Some(kind), Some(file)) = (&args.kind, &args.file) else {
        bail!(
            "用法：gongkai import KIND FILE [--organ 机关]，或 gongkai import --template KIND；KIND 可用：{}",
            kinds()
        );
    };
    let kind = parse_kind(kind)?;
    let table = gongkai_import::read_file(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        let actor = super::acting(&app, args.as_user.as_deref()).await?;
        let source = file.display().to_string();
        let done = gongkai_app::imports::records(
            &app,
            &actor,
            kind,
            &table,
            args.organ.as_deref(),
            &source,
        )
        .await?;
        eprintln!("已导入{}{}条（{source}）", kind.label(), done.value.rows);
        Ok(())
    })
}
