//! `gongkai search QUERY`: full-text search over what is published, from the command line.

use clap::Args as ClapArgs;
use gongkai_search::{Filters, Index, Kind, Query, feed};
use std::path::PathBuf;

#[derive(ClapArgs)]
pub struct Args {
    /// 检索词，如 “民政”、“义务教育 招生”、“灵教发〔2020〕12号”；加引号检索整句
    pub query: String,
    /// 以 JSON 输出
    #[arg(long)]
    pub json: bool,
    /// 机关或单位（代码、名称或编号），含其下属单位
    #[arg(long)]
    pub organ: Option<String>,
    /// 主题分类名称
    #[arg(long)]
    pub category: Option<String>,
    /// 年份
    #[arg(long)]
    pub year: Option<i32>,
    /// 类型：item（政府信息）、reply（依申请公开答复）、letter（信件答复）、report（年度报告）
    #[arg(long)]
    pub kind: Option<String>,
    /// 有效性：in_force、amended、repealed、expired
    #[arg(long)]
    pub validity: Option<String>,
    /// 文件类型：regulation（规章）、normative（行政规范性文件）、other
    #[arg(long)]
    pub doc_type: Option<String>,
    /// 返回条数
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// 跳过前若干条（翻页）
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// 索引目录（默认在 SQLite 数据库文件旁）
    #[arg(long, env = "GONGKAI_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
}

fn check_code(what: &str, v: &Option<String>, allowed: &[&str]) -> anyhow::Result<()> {
    if let Some(v) = v
        && !allowed.contains(&v.as_str())
    {
        anyhow::bail!("{what}“{v}”无法识别，可选：{}", allowed.join("、"));
    }
    Ok(())
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let kind = match &args.kind {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            anyhow::anyhow!("类型“{k}”无法识别，可选：item、reply、letter、report")
        })?),
    };
    check_code(
        "有效性",
        &args.validity,
        &["in_force", "amended", "repealed", "expired"],
    )?;
    check_code(
        "文件类型",
        &args.doc_type,
        &["regulation", "normative", "other"],
    )?;
    let organ_id = match &args.organ {
        None => None,
        Some(key) => {
            let rt = tokio::runtime::Runtime::new()?;
            let found = rt.block_on(async {
                let app = super::app(database_url).await?;
                match gongkai_app::organs::by_id_or_key(&app, key).await {
                    Ok(o) => anyhow::Ok(Some(o)),
                    Err(gongkai_app::Error::NotFound(_)) => Ok(None),
                    Err(e) => Err(e.into()),
                }
            })?;
            Some(
                found
                    .ok_or_else(|| {
                        anyhow::anyhow!("找不到机关“{key}”（可用 gongkai organs 查看）")
                    })?
                    .id,
            )
        }
    };
    let dir = args
        .index_dir
        .clone()
        .unwrap_or_else(|| feed::index_dir_for(database_url));
    let index = Index::open_or_create(&dir)?;
    if index.is_empty() && !args.json {
        eprintln!(
            "提示：搜索索引为空（{}），请先运行 gongkai index rebuild",
            dir.display()
        );
    }
    let q = Query {
        text: args.query.clone(),
        filters: Filters {
            organ_id,
            category: args.category.clone(),
            year: args.year,
            kind,
            validity: args.validity.clone(),
            doc_type: args.doc_type.clone(),
        },
        limit: args.limit,
        offset: args.offset,
        newest_first: false,
    };
    let results = index.search(&q)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    println!("共找到 {} 条结果", results.total);
    for (i, h) in results.hits.iter().enumerate() {
        println!();
        println!("{}. {}", args.offset + i + 1, plain(&h.title_html));
        let mut meta = vec![h.kind.label().to_string()];
        if !h.unit.is_empty() {
            meta.push(h.unit.clone());
        }
        if !h.doc_number.is_empty() {
            meta.push(h.doc_number.clone());
        }
        if let Some(d) = h.date {
            meta.push(d.format("%Y-%m-%d").to_string());
        }
        println!("   {}", meta.join(" | "));
        if !h.snippet_html.is_empty() {
            println!("   {}", plain(&h.snippet_html));
        }
        if !h.url.is_empty() {
            println!("   {}", h.url);
        }
    }
    Ok(())
}

/// Highlighted HTML as terminal text: matches in 【】, entities decoded.
fn plain(html: &str) -> String {
    html.replace("<b>", "【")
        .replace("</b>", "】")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}
