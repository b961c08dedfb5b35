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
        // The search index beside the database; built in the background when empty, so the
        // portal answers at once (search finds more as the build proceeds).
        let dir = gongkai_search::feed::index_dir_for(database_url);
        match gongkai_search::Index::open_or_create(&dir) {
            Ok(index) => {
                let index = std::sync::Arc::new(index);
                if index.is_empty() {
                    let (db, ix) = (db.clone(), index.clone());
                    tokio::spawn(async move {
                        match gongkai_search::feed::rebuild(&db, ix, |_, _| {}).await {
                            Ok(n) => tracing::info!(documents = n, "search index built"),
                            Err(e) => tracing::error!(error = %e, "search index not built"),
                        }
                    });
                }
                state = state.with_search(index);
            }
            Err(e) => eprintln!("提示：搜索索引 {} 无法打开（{e}），门户将不提供搜索", dir.display()),
        }
        eprintln!("gongkai 门户已启动：http://{}/  （管理后台 /admin，按 Ctrl-C 停止）", args.addr);
        gongkai_web::serve(state, &args.addr).await
    })
}
