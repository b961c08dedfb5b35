//! One module per subcommand.
pub mod serve;
pub mod user;
pub mod demo;
pub mod import;
pub mod organs;
pub mod report;
pub mod export;
pub mod application;
pub mod calendar;
pub mod audit;
pub mod search;
pub mod index;
pub mod bench_data;
