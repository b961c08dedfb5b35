//! `gongkai user token list|revoke`: the API tokens of the back office's accounts. A revoked
//! token is dead for good (so are the tokens of a deactivated account).

use clap::{Args as ClapArgs, Subcommand};
use gongkai_app::App;
use gongkai_app::accounts::{self, TokenState};

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

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    match args.command {
        TokenCommand::List { username } => {
            let user_id = match username {
                Some(name) => Some(super::user::named(app, &name).await?.id),
                None => None,
            };
            let zone = app.time.zone();
            for (t, state) in accounts::tokens(app, &super::operator(), user_id).await? {
                let state = match state {
                    TokenState::Revoked(_) => "已吊销".to_string(),
                    TokenState::Expired => "已过期".to_string(),
                    TokenState::Valid(Some(e)) => {
                        format!("有效至 {}", e.with_timezone(&zone).format("%Y-%m-%d"))
                    }
                    TokenState::Valid(None) => "有效（不过期）".to_string(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{state}",
                    t.id,
                    t.username,
                    t.name,
                    t.created_at.with_timezone(&zone).format("%Y-%m-%d")
                );
            }
        }
        TokenCommand::Revoke { id } => {
            gongkai_app::users::revoke_token(app, &super::operator(), id).await?;
            println!("已吊销令牌 {id}");
        }
    }
    Ok(())
}
