//! `gongkai user add|list|password`: accounts of the back office, from the command line (the
//! first system administrator has to come from somewhere).

use clap::{Args as ClapArgs, Subcommand};
use std::io::BufRead;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// 新建用户（密码取自环境变量 GONGKAI_PASSWORD，或从标准输入读一行）
    Add {
        #[arg(long)]
        username: String,
        /// 角色：sysadmin、organ_admin、editor、reviewer、handler、supervisor
        #[arg(long)]
        role: String,
        /// 所属机关（代码、全称或简称）；系统管理员不填
        #[arg(long)]
        organ: Option<String>,
        /// 姓名
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// 列出用户
    List,
    /// 重设密码（同样从 GONGKAI_PASSWORD 或标准输入读取）
    Password {
        #[arg(long)]
        username: String,
    },
    /// 接口令牌：列出、吊销
    Token(super::token::Args),
}

/// The account named `username` (as the operator sees it).
pub(super) async fn named(
    app: &gongkai_app::App,
    username: &str,
) -> anyhow::Result<gongkai_store::users::User> {
    match gongkai_app::accounts::named(app, &super::operator(), username).await {
        Ok(u) => Ok(u),
        Err(gongkai_app::Error::NotFound(_)) => anyhow::bail!("找不到用户“{username}”"),
        Err(e) => Err(e.into()),
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("GONGKAI_PASSWORD") {
        return Ok(p);
    }
    eprint!("请输入密码：");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let app = super::app(database_url).await?;
        let actor = super::operator();
        match args.command {
            UserCommand::Add { username, role, organ, display_name } => {
                let role = gongkai_store::users::Role::parse(&role)
                    .ok_or_else(|| anyhow::anyhow!("未知角色“{role}”：应为 sysadmin、organ_admin、editor、reviewer、handler、supervisor 之一"))?;
                let organ_id = match organ {
                    Some(key) => Some(super::find_organ(&app, &key).await?.id),
                    None => None,
                };
                let password = read_password()?;
                let new = gongkai_app::users::NewUser { username, display_name, password, role, organ_id };
                let u = gongkai_app::users::create(&app, &actor, new).await?.value;
                println!("已创建用户 {}（{}）", u.username, u.role.label());
            }
            UserCommand::List => {
                for u in gongkai_app::accounts::visible(&app, &actor).await?.into_iter().map(|a| a.user) {
                    println!("{}\t{}\t{}\t{}", u.username, u.display_name, u.role.label(), if u.active { "启用" } else { "停用" });
                }
            }
            UserCommand::Password { username } => {
                let u = named(&app, &username).await?;
                let password = read_password()?;
                gongkai_app::users::set_password(&app, &actor, u.id, password).await?;
                println!("已重设 {} 的密码", u.username);
            }
            UserCommand::Token(t) => super::token::run(&app, t).await?,
        }
        Ok(())
    })
}
