//! The `gongkai` binary: a thin layer that parses the command line and calls the libraries.
//! Each subcommand lives in `cmd/<name>.rs` with its clap `Args` and a `run` function.

mod cmd;

use clap::{Parser, Subcommand};

/// gongkai：政府信息公开工作与年度报告系统
#[derive(Parser)]
#[command(name = "gongkai", version)]
pub struct Cli {
    /// 数据库地址，如 sqlite://gongkai.db 或 postgres://user@host/db
    #[arg(
        long,
        global = true,
        env = "GONGKAI_DATABASE_URL",
        default_value = "sqlite://gongkai.db"
    )]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 计算并输出某机关某年度的政府信息公开工作年度报告：JSON、Markdown、HTML，或 PDF、DOCX、XLSX 文件（别名 export）
    #[command(alias = "export")]
    Report(cmd::report::Args),
    /// 加载演示数据（灵武市教育体育局，2020年至当前时钟之日）
    Demo(cmd::demo::Args),
    /// 从 CSV 或 XLSX 文件导入记录，或生成导入模板
    Import(cmd::import::Args),
    /// 列出机关和所属单位
    Organs(cmd::organs::Args),
    /// 依申请公开：登记、补正、征求意见、延期、收费、答复、告知书
    Application(cmd::application::Args),
    /// 工作日历：计算工作日、查看和导入节假日安排
    Calendar(cmd::calendar::Args),
    /// 读取并检查已公布的年度报告（PDF、DOCX、HTML、文本；文件或文件夹）
    Audit(cmd::audit::Args),
    /// 启动门户网站与管理后台
    Serve(cmd::serve::Args),
    /// 管理后台用户
    User(cmd::user::Args),
    /// 全文检索已公开的政府信息、信件答复和年度报告
    Search(cmd::search::Args),
    /// 管理搜索索引（重建）
    Index(cmd::index::Args),
    /// 检查本机安装：中文字体、pdftotext、文字识别、LibreOffice、数据库，缺少时说明影响哪些功能
    Doctor(cmd::doctor::Args),
    /// 按政府网站检查指标检查运行中的门户网站：空白栏目、更新、链接、网站标识、一级栏目、年报、长者模式（有单项否决项时退出码为1）
    Inspect(cmd::inspect::Args),
    /// 备份数据库（可在门户网站运行时进行）
    Backup(cmd::backup::BackupArgs),
    /// 从备份恢复数据库并核对（须先停止门户网站）
    Restore(cmd::backup::RestoreArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Doctor(args) = cli.command {
        // The exit code says whether anything is missing.
        return match cmd::doctor::run(&cli.database_url, args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("错误：{e:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Command::Inspect(args) = cli.command {
        // The exit code says whether a veto item was found.
        return match cmd::inspect::run(args) {
            Ok(true) => std::process::ExitCode::SUCCESS,
            Ok(false) => std::process::ExitCode::from(1),
            Err(e) => {
                eprintln!("错误：{e:#}");
                std::process::ExitCode::from(2)
            }
        };
    }
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Users read the message, in Chinese, with its causes; never a backtrace.
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Report(args) => cmd::report::run(&cli.database_url, args),
        Command::Demo(args) => cmd::demo::run(&cli.database_url, args),
        Command::Import(args) => cmd::import::run(&cli.database_url, args),
        Command::Organs(args) => cmd::organs::run(&cli.database_url, args),
        Command::Application(args) => cmd::application::run(&cli.database_url, args),
        Command::Calendar(args) => cmd::calendar::run(&cli.database_url, args),
        Command::Audit(args) => cmd::audit::run(args),
        Command::Serve(args) => cmd::serve::run(&cli.database_url, args),
        Command::User(args) => cmd::user::run(&cli.database_url, args),
        Command::Search(args) => cmd::search::run(&cli.database_url, args),
        Command::Index(args) => cmd::index::run(&cli.database_url, args),
        Command::Backup(args) => cmd::backup::run_backup(&cli.database_url, args),
        Command::Restore(args) => cmd::backup::run_restore(&cli.database_url, args),
        Command::Doctor(_) | Command::Inspect(_) => Ok(()),
    }
}
