//! The one error of the use cases. Doors map it once: the web to a page or `{code, message}`,
//! the CLI to a message on standard error. Every message is Chinese, for the person who acted.

use serde::Serialize;

/// A field of a command and what is wrong with it, so a form can show it beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the form and the API (`title`, `written_on`…); empty when the
    /// problem is the command as a whole.
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("未找到：{0}")]
    NotFound(String),
    #[error("您没有权限进行此操作")]
    Forbidden,
    /// The command broke a rule; nothing was written.
    #[error("{}", join(.0))]
    Invalid(Vec<FieldError>),
    /// The record is not in a state that allows the step (someone else acted first, or the
    /// step is out of order).
    #[error("{0}")]
    Conflict(String),
    /// Too much of a limited resource is in use (password hashing): try again shortly.
    #[error("系统繁忙，请稍后再试")]
    Busy,
    #[error(transparent)]
    Store(gongkai_store::Error),
    /// An import refused: every problem of the file, by row and column; nothing was written.
    #[error("{0}")]
    Import(gongkai_import::ImportError),
    #[error("内部错误：{0}")]
    Internal(String),
}

fn join(v: &[FieldError]) -> String {
    v.iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

impl Error {
    /// One invalid field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// The field errors of an invalid command (none for other errors).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Invalid(v) => v,
            _ => &[],
        }
    }
}

impl From<gongkai_store::Error> for Error {
    fn from(e: gongkai_store::Error) -> Error {
        match e {
            gongkai_store::Error::NotFound(what) => Error::NotFound(what),
            gongkai_store::Error::Invalid(m) => Error::invalid("", m),
            other => Error::Store(other),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
