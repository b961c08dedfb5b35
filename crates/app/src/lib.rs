//! gongkai's use cases, once. The web's pages, its JSON API and the command line are doors onto
//! this crate: they parse what came in, say who is acting, call one function here, and present
//! what it returns.
//!
//! Every use case takes the [`App`] (the store and the clock), the [`Actor`] and a typed command;
//! it checks the actor's permission, applies the domain's rules, opens one transaction, writes
//! the change **and its audit row** in it, commits, and returns a [`Done`] naming what the caller
//! must refresh (search entries, cached pages). A failure anywhere leaves nothing written.

pub mod access;
pub mod applicants;
pub mod applications;
pub mod audit;
pub mod clock;
pub mod error;
pub mod items;
pub mod letters;
pub mod notices;
pub mod passwords;
pub mod registers;
pub mod reports;
pub mod steps;
pub mod users;

pub use access::{Actor, Perm};
pub use clock::Time;
pub use error::{Error, FieldError, Result};

use gongkai_store::Db;

/// What every use case runs against: the database and the installation's clock.
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
    pub time: Time,
}

impl App {
    pub fn new(db: Db, time: Time) -> App {
        App { db, time }
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
