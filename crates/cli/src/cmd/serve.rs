//! `gongkai serve`: the portal and the back office over the database.

use clap::Args as ClapArgs;

#[derive(ClapArgs)]
pub struct Args {
    /// 监听地址（主机:端口）
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// 经 https 提供服务时设置：Cookie 加 Secure 标记
    #[arg(long, env = "GONGKAI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// 登录会话有效小时数
    #[arg(long, default_value_t = 8)]
    pub session_hours: i64,
    /// 公开页面（未登录访客所见）缓存秒数，0 为不缓存；本服务内的任何修改会立即清空缓存
    #[arg(long, default_value_t = 30)]
    pub page_cache_seconds: u64,
    /// 本实例的搜索索引目录（默认在 SQLite 数据库文件旁；同一台机器上的多个实例须各用一个目录）
    #[arg(long, env = "GONGKAI_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info,sqlx=warn".into()),
        )
        .init();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = gongkai_store::Db::connect(database_url).await?;
        if db.user_count().await? == 0 {
            eprintln!(
                "提示：数据库中还没有任何用户。创建第一个系统管理员：\n  gongkai user add --username admin --role sysadmin\n（密码从环境变量 GONGKAI_PASSWORD 读取，或在提示时输入）"
            );
        }
        let config = gongkai_web::Config { secure_cookies: args.secure_cookies, session_hours: args.session_hours.clamp(1, 72), page_cache_seconds: args.page_cache_seconds };
        let mut state = gongkai_web::AppState::new(db.clone(), config).with_time(super::time()?);
        // The search index of this instance (each instance keeps its own). The follower brings
        // it up to date at start-up (rebuilt in the background when empty, of another version or
        // behind the change feed, so the portal answers at once) and then follows the change
        // feed, which also empties the page cache when another instance or the command line
        // changes something.
        let dir = args.index_dir.clone().unwrap_or_else(|| gongkai_search::feed::index_dir_for(database_url));
        match gongkai_search::Index::open_or_create(&dir) {
            Ok(index) => state = state.with_search(std::sync::Arc::new(index)),
            Err(e) => eprintln!("提示：搜索索引 {} 无法打开（{e}），门户将不提供搜索", dir.display()),
        }
        gongkai_web::follower::spawn(state.clone());
        gongkai_web::jobs::spawn(state.clone(), format!("{}#{}", args.addr, std::process::id()));
        eprintln!("gongkai 门户已启动：http://{}/  （管理后台 /admin，按 Ctrl-C 停止）", args.addr);
        gongkai_web::serve(state, &args.addr).await
    })
}
