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
    /// The password was set by an administrator: back-office pages send to the change form.
    #[error("请先修改密码")]
    PasswordChange,
}

/// Seconds a client is asked to wait after [`AppError::Busy`].
pub const BUSY_RETRY_AFTER_SECS: u32 = 5;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::PasswordChange => StatusCode::SEE_OTHER,
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
            AppError::PasswordChange => "password_change",
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

impl From<gongkai_app::Error> for AppError {
    fn from(e: gongkai_app::Error) -> AppError {
        use gongkai_app::Error as E;
        match e {
            E::NotFound(_) => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Invalid(_) | E::Import(_) => AppError::BadRequest(e.to_string()),
            E::Conflict(m) => AppError::Conflict(m),
            E::Busy => AppError::Busy,
            E::Store(s) => s.into(),
            E::Internal(m) => AppError::Internal(m),
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
        if matches!(self, AppError::PasswordChange) {
            return Redirect::to("/admin/password").into_response();
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

/// axum answers a path or query it cannot parse, a method a route does not take, or a body it
/// cannot read with a short English text (`Invalid URL: Cannot parse "abc" to a i64`). This layer
/// turns those answers into the same Chinese page (or `{code, message}` JSON under `/api/`) as
/// every other error; a path parameter that does not parse names no page, so it is a 404.
pub async fn chinese_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !status.is_client_error()
        || status == StatusCode::UNAUTHORIZED
        || ctype.starts_with("text/html")
        || ctype.starts_with("application/json")
        || ctype.starts_with("application/problem+json")
    {
        return resp;
    }
    let body = axum::body::to_bytes(resp.into_body(), 4096)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let err = if status == StatusCode::BAD_REQUEST && text.starts_with("Invalid URL") {
        AppError::NotFound
    } else {
        AppError::BadRequest(
            match status {
                StatusCode::METHOD_NOT_ALLOWED => {
                    "此网址不支持这种访问方式，请从页面上的链接或按钮进入"
                }
                StatusCode::PAYLOAD_TOO_LARGE => {
                    "提交的内容过大（上限10 MB），请压缩或拆分附件后再提交"
                }
                StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
                    "表单内容无法识别，请返回刷新页面后重新提交"
                }
                StatusCode::NOT_FOUND => "页面不存在",
                StatusCode::TOO_MANY_REQUESTS => "请求过于频繁，请稍后再试",
                StatusCode::REQUEST_TIMEOUT => "请求超时，请稍后再试",
                _ => "请求的网址或参数有误，请检查后重试",
            }
            .to_string(),
        )
    };
    let keep = if matches!(err, AppError::NotFound) {
        StatusCode::NOT_FOUND
    } else {
        status
    };
    let mut out = if api {
        ApiError(err).into_response()
    } else {
        err.into_response()
    };
    *out.status_mut() = keep;
    out
}
