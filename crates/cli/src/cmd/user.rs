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
        let db = gongkai_store::Db::connect(database_url).await?;
        match args.command {
            UserCommand::Add { username, role, organ, display_name } => {
                let role = gongkai_store::users::Role::parse(&role)
                    .ok_or_else(|| anyhow::anyhow!("未知角色“{role}”：应为 sysadmin、organ_admin、editor、reviewer、handler、supervisor 之一"))?;
                let organ_id = match organ {
                    Some(key) => Some(
                        db.find_organ(&key)
                            .await?
                            .ok_or_else(|| anyhow::anyhow!("找不到机关“{key}”"))?
                            .id,
                    ),
                    None => None,
                };
                let password = read_password()?;
                gongkai_web::auth::check_new_password(&password).map_err(|e| anyhow::anyhow!(e))?;
                let hash = gongkai_web::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                let display = if display_name.trim().is_empty() { username.clone() } else { display_name };
                let u = db.create_user(&username, &display, &hash, role, organ_id, chrono::Utc::now()).await?;
                db.audit(
                    &gongkai_store::users::NewAudit {
                        user_id: None,
                        username: "命令行",
                        organ_id,
                        action: "create",
                        entity: "user",
                        entity_id: u.id.to_string(),
                        before: None,
                        after: Some(serde_json::to_value(&u)?),
                    },
                    chrono::Utc::now(),
                )
                .await?;
                println!("已创建用户 {}（{}）", u.username, u.role.label());
            }
            UserCommand::List => {
                for u in db.users().await? {
                    println!("{}\t{}\t{}\t{}", u.username, u.display_name, u.role.label(), if u.active { "启用" } else { "停用" });
                }
            }
            UserCommand::Password { username } => {
                let u = db.user_by_name(&username).await?.ok_or_else(|| anyhow::anyhow!("找不到用户“{username}”"))?;
                let password = read_password()?;
                gongkai_web::auth::check_new_password(&password).map_err(|e| anyhow::anyhow!(e))?;
                let hash = gongkai_web::auth::hash_password(password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                db.set_user_password(u.id, &hash).await?;
                println!("已重设 {} 的密码", u.username);
            }
            UserCommand::Token(t) => super::token::run(&db, t).await?,
        }
        Ok(())
    })
}
