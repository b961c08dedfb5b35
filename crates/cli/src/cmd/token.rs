//! `gongkai user token list|revoke`: the API tokens of the back office's accounts. A revoked
//! token is dead for good (so are the tokens of a deactivated account).

use clap::{Args as ClapArgs, Subcommand};
use gongkai_store::Db;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// 列出接口令牌（不显示令牌本身）
    List {
        /// 只列出该用户的令牌
        #[arg(long)]
        username: Option<String>,
    },
    /// 吊销接口令牌（立即且永久失效）
    Revoke {
        /// 令牌编号（见 gongkai user token list）
        id: i64,
    },
}

pub async fn run(db: &Db, args: Args) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match args.command {
        TokenCommand::List { username } => {
            let user_id = match username {
                Some(name) => Some(
                    db.user_by_name(&name)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("找不到用户“{name}”"))?
                        .id,
                ),
                None => None,
            };
            for t in db.api_tokens(user_id).await? {
                let state = if t.revoked {
                    "已吊销".to_string()
                } else if t.expires_at.is_some_and(|e| e <= now) {
                    "已过期".to_string()
                } else {
                    match t.expires_at {
                        Some(e) => format!("有效至 {}", e.format("%Y-%m-%d")),
                        None => "有效（不过期）".to_string(),
                    }
                };
                println!(
                    "{}\t{}\t{}\t{}\t{state}",
                    t.id,
                    t.username,
                    t.name,
                    t.created_at.format("%Y-%m-%d")
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let app = gongkai_app::App::new(db.clone(), super::time()?);
            gongkai_app::users::revoke_token(&app, &super::operator(), id).await?;
            println!("已吊销令牌 {id}");
        }
    }
    Ok(())
}
