//! `gongkai demo`: loads the demo records (灵武市教育体育局 and four of its schools, 2020 through
//! the clock's year),
//! and ends by saying how to log in to the back office (the accounts there, or the command that
//! makes the first one: the demo creates no account by itself, since an account's password must
//! be chosen or kept by someone — `scripts/run` makes one and keeps its password beside the
//! database).

use clap::Args as ClapArgs;
use gongkai_import::demo;

#[derive(ClapArgs)]
pub struct Args {
    /// 以该后台用户（须为系统管理员）的身份加载并记入操作日志；不给则以命令行操作员身份
    #[arg(long = "as", value_name = "USERNAME")]
    pub as_user: Option<String>,
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let admins = rt.block_on(async {
        let app = super::app(database_url).await?;
        let actor = super::acting(&app, args.as_user.as_deref()).await?;
        let db = app.db.clone();
        let summary = gongkai_app::imports::demo(&app, &actor).await?.value;
        let today = app.time.today();
        eprintln!(
            "已加载演示数据（{}及所属4个单位，2020—{}年）：",
            demo::BUREAU_NAME,
            chrono::Datelike::year(&today)
        );
        for (kind, rows) in summary.rows {
            eprintln!("  {}：{rows}条", kind.label());
        }
        eprintln!(
            "  政府信息公开申请：{}件（经办理流程录入）",
            summary.applications
        );
        let l = &summary.living;
        eprintln!(
            "  正文{}篇，附件{}个，政策解读{}篇，公示{}条，来信选登{}件",
            l.bodies, l.attachments, l.interpretations, l.announcements, l.published_letters
        );
        // The bureau's published history: its reports through last year, as it published them.
        let n = gongkai_web::demo::publish_history(&db, demo::BUREAU_NAME, today).await?;
        eprintln!(
            "  已发布的政府信息公开工作年度报告：{n}份（2020—{}年）",
            chrono::Datelike::year(&today) - 1
        );
        let admins: Vec<String> = gongkai_app::accounts::visible(&app, &super::operator())
            .await?
            .into_iter()
            .map(|a| a.user)
            .filter(|u| u.active && u.role == gongkai_store::users::Role::SysAdmin)
            .map(|u| u.username)
            .collect();
        Ok::<Vec<String>, anyhow::Error>(admins)
    })?;
    // Search covers them from the first run (`gongkai search 年度报告`).
    let dir = gongkai_search::feed::index_dir_for(database_url);
    let (docs, _) = rt.block_on(super::index::rebuild(database_url, &dir, true))?;
    eprintln!("已建立搜索索引：{docs}条");
    eprintln!(
        "启动网站：gongkai serve（默认 http://127.0.0.1:8080 ，后台登录 http://127.0.0.1:8080/login ）"
    );
    if admins.is_empty() {
        eprintln!(
            "登录后台：尚无管理员账号，请先创建：gongkai user add --username admin --role sysadmin --display-name 演示管理员（按提示输入密码：至少10个字符，含大写字母、小写字母、数字、符号中的三类）"
        );
    } else {
        eprintln!(
            "登录后台：用已有的系统管理员账号 {} 登录（忘记密码时：gongkai user password --username {}）",
            admins.join("、"),
            admins[0]
        );
    }
    eprintln!(
        "查看报告：gongkai report --organ {} --year 2020 --format html -o report.html",
        demo::BUREAU_NAME
    );
    Ok(())
}
