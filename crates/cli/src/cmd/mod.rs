//! One module per subcommand, and what they share: the use cases' [`App`] on the installation's
//! clock, the operator as the actor, organs found by code or name.
pub mod application;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod demo;
pub mod doctor;
pub mod import;
pub mod index;
pub mod organs;
pub mod report;
pub mod search;
pub mod serve;
pub mod token;
pub mod user;

use anyhow::bail;
use gongkai_app::{Actor, App, Time};
use gongkai_store::Db;

/// The installation's clock: Beijing time unless `GONGKAI_TIMEZONE` says otherwise, never the
/// machine's zone (see `gongkai_app::clock`).
pub fn time() -> anyhow::Result<Time> {
    Time::from_env().map_err(|e| anyhow::anyhow!(e))
}

/// The database and the clock, for the use cases.
pub async fn app(database_url: &str) -> anyhow::Result<App> {
    Ok(App::new(Db::connect(database_url).await?, time()?))
}

/// Whoever runs the command: named by `$USER` where the shell sets it.
pub fn operator() -> Actor {
    operator_named(&std::env::var("USER").unwrap_or_else(|_| "系统管理员".into()))
}

pub fn operator_named(name: &str) -> Actor {
    Actor::Operator(name.to_string())
}

pub async fn find_organ(db: &Db, key: &str) -> anyhow::Result<gongkai_domain::records::Organ> {
    match db.find_organ(key).await? {
        Some(o) => Ok(o),
        None => bail!("找不到机关“{key}”：请使用机关代码或全称（可用 gongkai organs 查看）"),
    }
}
