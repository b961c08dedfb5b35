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
    /// 受信任的反向代理地址或网段（如 10.0.0.0/8，可多次给出或以逗号分隔）：仅来自这些地址的请求才采信 X-Forwarded-For 中的客户端地址
    #[arg(long = "trusted-proxy", env = "GONGKAI_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy)]
    pub trusted_proxies: Vec<gongkai_web::ratelimit::Proxy>,
    /// 客户端须在多少秒内发完请求头（连接建立或上一次应答之后；空闲的长连接也在此时限后关闭）
    #[arg(long, env = "GONGKAI_HEADER_READ_TIMEOUT", default_value_t = gongkai_web::HEADER_READ_TIMEOUT_SECS)]
    pub header_read_timeout: u64,
    /// 只读副本（PostgreSQL 流复制备库）的数据库地址：未登录访客的公开页面从副本读取，后台、表单提交、登录和刚提交过修改的访客仍读写主库；副本落后时自动改读主库
    #[arg(long, env = "GONGKAI_REPLICA_URL")]
    pub replica_url: Option<String>,
    /// 同一地址在线提交依申请公开的频率上限，“次数/分钟数”，0 为不限
    #[arg(long, env = "GONGKAI_LIMIT_APPLICATIONS", default_value = "10/60", value_parser = parse_limit)]
    pub limit_applications: gongkai_web::ratelimit::Limit,
    /// 同一地址提交局长信箱来信的频率上限，“次数/分钟数”，0 为不限
    #[arg(long, env = "GONGKAI_LIMIT_LETTERS", default_value = "10/60", value_parser = parse_limit)]
    pub limit_letters: gongkai_web::ratelimit::Limit,
    /// 同一地址提交在线申请和来信的总次数上限（含因填写有误被退回的提交），“次数/分钟数”，0 为不限；被受理的提交另计入上面两项
    #[arg(long, env = "GONGKAI_LIMIT_SUBMISSIONS", default_value = "40/60", value_parser = parse_limit)]
    pub limit_submissions: gongkai_web::ratelimit::Limit,
    /// 每个机关受理在线申请的总频率上限（所有地址合计），“次数/分钟数”，0 为不限
    #[arg(long, env = "GONGKAI_LIMIT_APPLICATIONS_PER_ORGAN", default_value = "120/60", value_parser = parse_limit)]
    pub limit_applications_per_organ: gongkai_web::ratelimit::Limit,
    /// 每个机关受理来信的总频率上限（所有地址合计），“次数/分钟数”，0 为不限
    #[arg(long, env = "GONGKAI_LIMIT_LETTERS_PER_ORGAN", default_value = "240/60", value_parser = parse_limit)]
    pub limit_letters_per_organ: gongkai_web::ratelimit::Limit,
    /// 同时处理的请求数上限，超出时立即答复 503（稍后再试）
    #[arg(long, env = "GONGKAI_MAX_IN_FLIGHT", default_value_t = gongkai_web::server::MAX_IN_FLIGHT)]
    pub max_in_flight: usize,
    /// 同时打开的连接数上限（不超过系统允许打开的文件数的四分之三）；超出时先关闭空闲最久的连接
    #[arg(long, env = "GONGKAI_MAX_CONNECTIONS", default_value_t = gongkai_web::server::MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// 同一客户端地址同时打开的连接数上限（受信任的反向代理不受此限）
    #[arg(long, env = "GONGKAI_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = gongkai_web::server::MAX_CONNECTIONS_PER_ADDRESS)]
    pub max_connections_per_address: usize,
    /// 同一地址登录尝试的频率上限，“次数/分钟数”，0 为不限（另有按用户名和地址的失败锁定）
    #[arg(long, env = "GONGKAI_LIMIT_LOGINS", default_value = "60/15", value_parser = parse_limit)]
    pub limit_logins: gongkai_web::ratelimit::Limit,
    /// 同一地址按查询码查询的频率上限，“次数/分钟数”，0 为不限
    #[arg(long, env = "GONGKAI_LIMIT_LOOKUPS", default_value = "60/10", value_parser = parse_limit)]
    pub limit_lookups: gongkai_web::ratelimit::Limit,
    /// 同时生成年度报告文件（PDF、Word、Excel）的最大数量；超出且排队已满时答复 503，请稍后再试
    #[arg(long, env = "GONGKAI_EXPORT_RENDERS", default_value_t = 2)]
    pub export_renders: usize,
    /// 等待报告文件生成的最长秒数（超时答复 503，文件仍在后台生成并保存）
    #[arg(long, env = "GONGKAI_EXPORT_WAIT", default_value_t = 60)]
    pub export_wait: u64,
    /// 集约化：在主站的路径前缀下提供政府信息公开栏目，如 /xxgk（前置代理原样转发该路径）
    #[arg(long, env = "GONGKAI_BASE_PATH", default_value = "")]
    pub base_path: String,
    /// 集约化：主站页头（HTML 片段文件），显示在每个门户页面的最上方
    #[arg(long, env = "GONGKAI_HOST_HEADER")]
    pub host_header: Option<std::path::PathBuf>,
    /// 集约化：主站页脚（HTML 片段文件），显示在每个门户页面的最下方
    #[arg(long, env = "GONGKAI_HOST_FOOTER")]
    pub host_footer: Option<std::path::PathBuf>,
}

/// The host site's surroundings from the command line (see `gongkai_web::embed`).
fn embed_of(args: &Args) -> anyhow::Result<Option<std::sync::Arc<gongkai_web::embed::Embed>>> {
    let base_path =
        gongkai_web::embed::Embed::base_path(&args.base_path).map_err(|e| anyhow::anyhow!(e))?;
    let read = |p: &Option<std::path::PathBuf>| -> anyhow::Result<String> {
        match p {
            Some(p) => std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("无法读取主站页头/页脚文件 {}：{e}", p.display())),
            None => Ok(String::new()),
        }
    };
    let e = gongkai_web::embed::Embed {
        base_path,
        host_header: read(&args.host_header)?,
        host_footer: read(&args.host_footer)?,
    };
    Ok(
        (!e.base_path.is_empty() || !e.host_header.is_empty() || !e.host_footer.is_empty())
            .then(|| std::sync::Arc::new(e)),
    )
}

fn parse_proxy(s: &str) -> Result<gongkai_web::ratelimit::Proxy, String> {
    gongkai_web::ratelimit::Proxy::parse(s).ok_or_else(|| format!("不是有效的地址或网段：{s}"))
}

fn parse_limit(s: &str) -> Result<gongkai_web::ratelimit::Limit, String> {
    gongkai_web::ratelimit::Limit::parse(s)
        .ok_or_else(|| format!("频率上限应写作“次数/分钟数”，如 10/60：{s}"))
}

pub fn run(database_url: &str, args: Args) -> anyhow::Result<()> {
    // Colour codes only on a terminal: a log file or the journal gets plain text.
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info,sqlx=warn".into()),
        )
        .init();
    if args.replica_url.is_some() && !database_url.starts_with("postgres") {
        anyhow::bail!(
            "只读副本（--replica-url / GONGKAI_REPLICA_URL）仅用于 PostgreSQL：当前数据库是 {database_url}"
        );
    }
    // What this machine lacks (fonts, pdftotext, OCR, LibreOffice), logged before the first
    // visitor meets it (`gongkai doctor` prints the same).
    super::doctor::log_missing();
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        // Held while serving: `gongkai restore` refuses while any instance holds it.
        let _instance = gongkai_store::instance_lock::hold_for_serving(database_url).await?;
        let db = gongkai_store::Db::connect(database_url).await?;
        if db.user_count().await? == 0 {
            eprintln!(
                "提示：数据库中还没有任何用户。创建第一个系统管理员：\n  gongkai user add --username admin --role sysadmin\n（密码从环境变量 GONGKAI_PASSWORD 读取，或在提示时输入）"
            );
        }
        let embed = embed_of(&args)?;
        let config = gongkai_web::Config {
            secure_cookies: args.secure_cookies,
            session_hours: args.session_hours.clamp(1, 72),
            page_cache_seconds: args.page_cache_seconds,
            rate_limits: gongkai_web::ratelimit::Limits {
                applications: args.limit_applications,
                letters: args.limit_letters,
                logins: args.limit_logins,
                lookups: args.limit_lookups,
                submissions: args.limit_submissions,
                applications_per_organ: args.limit_applications_per_organ,
                letters_per_organ: args.limit_letters_per_organ,
            },
            trusted_proxies: args.trusted_proxies,
            header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout.max(1)),
            max_in_flight: args.max_in_flight.max(1),
            max_connections: gongkai_web::server::connections_fitting(
                args.max_connections,
                gongkai_web::server::raise_fd_limit(),
            ),
            max_connections_per_address: args.max_connections_per_address.max(1),
            embed,
            ..gongkai_web::Config::default()
        };
        let mut state = gongkai_web::AppState::new(db.clone(), config)
            .with_time(super::time()?)
            .with_export_limits(gongkai_app::exports::Limits {
                at_once: args.export_renders.max(1),
                wait: std::time::Duration::from_secs(args.export_wait.max(1)),
                ..Default::default()
            });
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
        if let Some(url) = &args.replica_url {
            let replica = gongkai_web::replica::Replica::new(&db, gongkai_store::Db::connect_replica(url)?).await?;
            let replica = std::sync::Arc::new(replica);
            if !replica.check().await {
                eprintln!("提示：只读副本暂不可用或尚未追上主库，公开页面暂从主库读取");
            }
            replica.clone().spawn_watcher();
            state = state.with_replica(replica);
        }
        gongkai_web::follower::spawn(state.clone());
        gongkai_web::jobs::spawn(state.clone(), format!("{}#{}", args.addr, std::process::id()));
        eprintln!("gongkai 门户已启动：http://{}/  （管理后台 /admin，按 Ctrl-C 停止）", args.addr);
        gongkai_web::serve(state, &args.addr).await
    })
}
