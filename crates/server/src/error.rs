//! The one error type of every handler: a status and a JSON body
//! `{"error": {"code": "...", "message": "..."}}`. Internal causes are
//! logged on the server's standard error, never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`unauthorized`, `precondition-failed`, …).
    pub code: String,
    /// What went wrong and what to do, for a person.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", m)
    }
    pub fn invalid(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", m)
    }
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "log in (POST /api/v1/login) or send an API token as 'Authorization: Bearer …'",
        )
    }
    pub fn forbidden(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", m)
    }
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("{} not found", what.into()),
        )
    }
    pub fn conflict(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", m)
    }
    pub fn too_large(m: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", m)
    }
    /// An internal failure: logged with its cause, the client sees only that it happened.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("ascribe serve: internal error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log has the details",
        )
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> ApiError {
        use crate::db::DbError as D;
        match e {
            D::NotFound => ApiError::not_found("object"),
            D::Exists(what) => ApiError::conflict(format!("{what} already exists")),
            D::Conflict { current } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                format!("the case changed meanwhile: it is now at version {current}; reload it and apply your edit again"),
            ),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
