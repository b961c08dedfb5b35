//! One module per subcommand.
pub mod application;
pub mod audit;
pub mod backup;
pub mod bench_data;
pub mod calendar;
pub mod demo;
pub mod export;
pub mod import;
pub mod index;
pub mod organs;
pub mod report;
pub mod search;
pub mod serve;
pub mod token;
pub mod user;
