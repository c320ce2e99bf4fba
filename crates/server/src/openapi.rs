//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ascribe server API",
        description = "Cases, evidence, analyses and the knowledge base of `ascribe serve`. Authenticate with the session cookie from POST /api/v1/login (unsafe methods then need the X-CSRF-Token header) or with an API token as 'Authorization: Bearer asc_…'. Errors are JSON: {\"error\": {\"code\", \"message\"}}. Case edits need If-Match with the case's ETag (412 when it changed meanwhile, 428 when missing)."
    ),
    paths(
        crate::api::health,
        crate::api::login,
        crate::api::logout,
        crate::api::me,
        crate::api::change_password,
        crate::api::list_users,
        crate::api::create_user,
        crate::api::list_tokens,
        crate::api::create_token,
        crate::api::delete_token,
        crate::api::list_cases,
        crate::api::create_case,
        crate::api::import_case,
        crate::api::get_case,
        crate::api::update_case,
        crate::api::delete_case,
        crate::api::list_versions,
        crate::api::get_version,
        crate::api::add_observation,
        crate::api::upload_files,
        crate::api::download_file,
        crate::api::delete_file,
        crate::api::list_shares,
        crate::api::add_share,
        crate::api::remove_share,
        crate::api::start_analysis,
        crate::api::get_job,
        crate::api::list_assessments,
        crate::api::get_assessment,
        crate::api::export_assessment,
        crate::api::similar,
        crate::api::audit_log,
        crate::kbapi::search_actors,
        crate::kbapi::actor_page,
        crate::kbapi::complete,
        crate::kbapi::intel_lookup,
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::error::ErrorDetail,
        crate::db::Role,
        crate::db::FileRef,
        crate::db::CaseRow,
        crate::db::JobRow
    ))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
