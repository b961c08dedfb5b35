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
pub mod inspect;
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

/// Who an import or the demo acts as: the operator (every permission: they hold the database
/// itself), or with `--as USERNAME` a back-office account, whose roles and organs then decide
/// what the command may write, as in the back office — so a file can be loaded under the name
/// of the officer responsible for it, and refused when that officer has not the right.
pub async fn acting(app: &App, as_user: Option<&str>) -> anyhow::Result<Actor> {
    let Some(name) = as_user.map(str::trim) else {
        return Ok(operator());
    };
    match gongkai_app::accounts::named(app, &operator(), name).await {
        Ok(u) if u.active => Ok(Actor::User(u)),
        Ok(_) => bail!("用户“{name}”已停用"),
        Err(gongkai_app::Error::NotFound(_)) => {
            bail!("找不到用户“{name}”（可用 gongkai user list 查看）")
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn find_organ(app: &App, key: &str) -> anyhow::Result<gongkai_domain::records::Organ> {
    match gongkai_app::organs::find(app, key).await {
        Ok(o) => Ok(o),
        Err(gongkai_app::Error::NotFound(_)) => {
            bail!("找不到机关“{key}”：请使用机关代码或全称（可用 gongkai organs 查看）")
        }
        Err(e) => Err(e.into()),
    }
}
