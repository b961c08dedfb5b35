//! gongkai's use cases, once. The web's pages, its JSON API and the command line are doors onto
//! this crate: they parse what came in, say who is acting, call one function here, and present
//! what it returns.
//!
//! Every use case takes the [`App`] (the store and the clock), the [`Actor`] and a typed command;
//! it checks the actor's permission, applies the domain's rules, opens one transaction, writes
//! the change **and its audit row** in it, commits, and returns a [`Done`] naming what the caller
//! must refresh (search entries, cached pages). A failure anywhere leaves nothing written.

pub mod access;
pub mod accounts;
pub mod actions;
pub mod applicants;
pub mod applications;
pub mod audit;
pub mod cases;
pub mod catalogue;
pub mod clock;
pub mod columns;
pub mod consultations;
pub mod error;
pub mod exports;
pub mod imports;
pub mod items;
pub mod letters;
pub mod notices;
pub mod office;
pub mod organs;
pub mod passwords;
pub mod published;
pub mod registers;
pub mod reports;
pub mod services;
pub mod site;
pub mod site_form;
pub mod steps;
pub mod supervision;
pub mod users;

pub use access::{Actor, Perm};
pub use clock::Time;
pub use error::{Error, FieldError, Result};

use gongkai_store::Db;

/// What every use case runs against: the database, the installation's clock, and the bounded
/// renderer of report files.
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
    pub time: Time,
    pub exports: exports::Exporter,
}

impl App {
    pub fn new(db: Db, time: Time) -> App {
        App {
            db,
            time,
            exports: exports::Exporter::default(),
        }
    }

    /// The same App rendering report files within other bounds.
    pub fn with_export_limits(mut self, limits: exports::Limits) -> App {
        self.exports = exports::Exporter::new(limits);
        self
    }
}

/// A record whose derived copies (search entries, cached pages) must follow a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refresh {
    Item(i64),
    Letter(i64),
    Report(i64, i32),
}

/// What a use case returns: its result and what the caller must bring up to date.
#[derive(Debug)]
pub struct Done<T> {
    pub value: T,
    pub refresh: Vec<Refresh>,
}

impl<T> Done<T> {
    pub fn new(value: T) -> Done<T> {
        Done {
            value,
            refresh: vec![],
        }
    }

    pub fn refreshing(mut self, r: Refresh) -> Done<T> {
        self.refresh.push(r);
        self
    }
}
