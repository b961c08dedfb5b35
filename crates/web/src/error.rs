//! The one error type of the web layer, mapped once to a response: a friendly Chinese page for
//! people, or `{code, message}` JSON for the API. Internal errors are logged and never shown.

use askama::Template;
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在")]
    NotFound,
    /// Not logged in: pages redirect to the login form, the API answers 401.
    #[error("请先登录")]
    Unauthorized,
    #[error("您没有权限进行此操作")]
    Forbidden,
    #[error("表单已过期或来源不明，请返回刷新页面后重新提交")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Too much of a bounded resource in use (password hashing): 503 with `Retry-After`.
    #[error("系统繁忙，请稍后再试")]
    Busy,
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

/// Seconds a client is asked to wait after [`AppError::Busy`].
pub const BUSY_RETRY_AFTER_SECS: u32 = 5;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Busy => "busy",
            AppError::Internal(_) => "internal",
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }
}

impl From<gongkai_store::Error> for AppError {
    fn from(e: gongkai_store::Error) -> AppError {
        match e {
            gongkai_store::Error::NotFound(_) => AppError::NotFound,
            gongkai_store::Error::Invalid(m) => AppError::BadRequest(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> AppError {
        AppError::Internal(format!("{e:#}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: String,
    status: u16,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, AppError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "页面不存在",
            StatusCode::FORBIDDEN => "无权访问",
            StatusCode::BAD_REQUEST => "请求有误",
            StatusCode::TOO_MANY_REQUESTS => "请求过于频繁",
            StatusCode::CONFLICT => "操作冲突",
            StatusCode::SERVICE_UNAVAILABLE => "系统繁忙",
            _ => "系统错误",
        };
        let page = ErrorPage {
            title,
            message: self.to_string(),
            status: status.as_u16(),
        };
        let mut response = match page.render() {
            Ok(html) => (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response(),
            Err(_) => (status, self.to_string()).into_response(),
        };
        retry_after(&self, &mut response);
        response
    }
}

fn retry_after(e: &AppError, r: &mut Response) {
    if matches!(e, AppError::Busy) {
        r.headers_mut()
            .insert(header::RETRY_AFTER, BUSY_RETRY_AFTER_SECS.into());
    }
}

/// The same errors, as the JSON API answers them.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = serde_json::json!({ "code": self.0.code(), "message": self.0.to_string() });
        let mut r = (self.0.status(), Json(body)).into_response();
        retry_after(&self.0, &mut r);
        r
    }
}

pub type AppResult<T> = Result<T, AppError>;
pub type ApiResult<T> = Result<T, ApiError>;
