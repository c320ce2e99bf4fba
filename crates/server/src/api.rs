//! The versioned JSON API (`/api/v1/…`).

use crate::archive::{self, clean_path};
use crate::auth::{self, Auth, Via};
use crate::db::{CaseContent, CaseRow, FileRef, Role};
use crate::error::{ApiError, ApiResult};
use crate::{now, AppState, Body, P, Q};
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Largest case.toml accepted (the case reader's own bound).
pub const MAX_CASE_TOML: usize = 16 << 20;
/// Most evidence files in one case.
pub const MAX_CASE_FILES: usize = 10_000;
/// Largest total of a case's evidence files.
pub const MAX_CASE_BYTES: u64 = 1 << 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/password", post(change_password))
        .route("/api/v1/users", get(list_users).post(create_user))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(delete_token))
        .route("/api/v1/cases", get(list_cases).post(create_case))
        .route("/api/v1/cases/import", post(import_case))
        .route(
            "/api/v1/cases/{id}",
            get(get_case).put(update_case).delete(delete_case),
        )
        .route("/api/v1/cases/{id}/versions", get(list_versions))
        .route("/api/v1/cases/{id}/versions/{version}", get(get_version))
        .route("/api/v1/cases/{id}/observations", post(add_observation))
        .route("/api/v1/cases/{id}/files", post(upload_files))
        .route(
            "/api/v1/cases/{id}/files/{*path}",
            get(download_file).delete(delete_file),
        )
        .route(
            "/api/v1/cases/{id}/shares",
            get(list_shares).post(add_share),
        )
        .route(
            "/api/v1/cases/{id}/shares/{user}",
            axum::routing::delete(remove_share),
        )
        .route("/api/v1/cases/{id}/analyses", post(start_analysis))
        .route("/api/v1/cases/{id}/assessments", get(list_assessments))
        .route("/api/v1/cases/{id}/similar", get(similar))
        .route(
            "/api/v1/cases/{id}/assessments/{version}",
            get(get_assessment),
        )
        .route(
            "/api/v1/cases/{id}/assessments/{version}/export",
            get(export_assessment),
        )
        .route("/api/v1/jobs/{id}", get(get_job))
        .route("/api/v1/audit", get(audit_log))
        .route("/api/openapi.json", get(crate::openapi::document))
        .merge(crate::kbapi::routes())
}

fn audit(st: &AppState, a: &Auth, action: &str, target: &str, detail: &str) -> ApiResult<()> {
    st.db().audit(&a.user.name, action, target, detail, now())?;
    Ok(())
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("ascii")
}

/// The version an update expects, from `If-Match`: 428 when missing, 412
/// when it is not the current one.
/// What every edit starts from: write access to the case, the version the
/// client edited (`If-Match`, which must be the current one) and its content.
fn content_to_edit(
    st: &AppState,
    a: &Auth,
    id: i64,
    headers: &HeaderMap,
) -> ApiResult<(i64, CaseContent)> {
    let (row, _) = case_access(st, a, id, true)?;
    let expected = expected_version(headers, row.version)?;
    let content = st
        .db()
        .content(id, expected)?
        .ok_or_else(|| ApiError::not_found(format!("case {id}")))?;
    Ok((expected, content))
}

fn expected_version(headers: &HeaderMap, current: i64) -> ApiResult<i64> {
    let v = headers.get(header::IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "send If-Match with the case's ETag (from GET) so that no edit is silently lost",
        )
    })?;
    let s = v
        .to_str()
        .map_err(|_| ApiError::bad_request("If-Match is not text"))?
        .trim();
    if s == "*" {
        return Ok(current);
    }
    let n = s
        .trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| ApiError::bad_request("If-Match is not an ETag of this API (\"v<N>\")"))?;
    if n != current {
        return Err(crate::db::DbError::Conflict { current }.into());
    }
    Ok(n)
}

/// The case, when the user may read it (and write it, with `write`).
/// A case the user may not read is "not found", as if it did not exist.
pub fn case_access(st: &AppState, a: &Auth, id: i64, write: bool) -> ApiResult<(CaseRow, i64)> {
    let (row, owner) = st
        .db()
        .case(id)?
        .ok_or_else(|| ApiError::not_found(format!("case {id}")))?;
    let readable =
        a.user.role == Role::Admin || owner == a.user.id || st.db().is_shared(id, a.user.id)?;
    if !readable {
        return Err(ApiError::not_found(format!("case {id}")));
    }
    if write {
        a.require(Role::Analyst)?;
    }
    Ok((row, owner))
}

fn owner_or_admin(a: &Auth, owner: i64) -> ApiResult<()> {
    if a.user.role == Role::Admin || (owner == a.user.id && a.user.role >= Role::Analyst) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the case's owner or an admin may do this",
        ))
    }
}

/// Parse case.toml text: its title, or a 422 naming line and column.
fn check_case_toml(text: &str) -> ApiResult<String> {
    if text.len() > MAX_CASE_TOML {
        return Err(ApiError::too_large("case.toml is larger than 16 MiB"));
    }
    let case = ascribe_case::parse_case(text, "case.toml")
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let title: String = case.name.chars().take(200).collect();
    Ok(if title.trim().is_empty() {
        "(untitled case)".into()
    } else {
        title
    })
}

fn check_files(files: &BTreeMap<String, FileRef>) -> ApiResult<()> {
    if files.len() > MAX_CASE_FILES {
        return Err(ApiError::too_large(format!(
            "a case holds at most {MAX_CASE_FILES} files"
        )));
    }
    let total: u64 = files.values().map(|f| f.size).sum();
    if total > MAX_CASE_BYTES {
        return Err(ApiError::too_large("a case's files total at most 1 GiB"));
    }
    Ok(())
}

// ---------------------------------------------------------------- auth

#[utoipa::path(get, path = "/api/v1/health", tag = "server", responses((status = 200, description = "the server is up")))]
async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

fn secure_request(st: &AppState, headers: &HeaderMap) -> bool {
    st.config().tls_proxy
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Log in: sets the session cookie and returns the CSRF token. The body
/// must be JSON (a cross-site form cannot send it).
#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "logged in; Set-Cookie holds the session"),
               (status = 401, description = "wrong name or password"),
               (status = 429, description = "too many failed attempts for this name")))]
async fn login(
    State(st): State<AppState>,
    headers: HeaderMap,
    Body(req): Body<LoginRequest>,
) -> ApiResult<Response> {
    let t = now();
    if req.username.len() > 64 || req.password.len() > 1024 {
        return Err(ApiError::invalid("user name or password too long"));
    }
    if st.throttle().blocked(&req.username, t) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-attempts",
            "too many failed logins for this name; wait 15 minutes",
        ));
    }
    let user = st.db().user_by_name(&req.username)?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let pw = req.password.clone();
    // argon2 is deliberately slow: off the async threads. An unknown name
    // is checked against a dummy hash so that timing does not tell names.
    let ok = tokio::task::spawn_blocking(move || {
        let h = hash.unwrap_or_else(|| auth::dummy_hash().to_string());
        auth::verify_password(&pw, &h)
    })
    .await
    .map_err(ApiError::internal)?;
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => {
            st.throttle().fail(&req.username, t);
            st.db().audit(&req.username, "login.fail", "", "", t)?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "wrong user name or password",
            ));
        }
    };
    st.throttle().clear(&req.username);
    let sid = auth::random_hex(32);
    let csrf = auth::random_hex(32);
    st.db().create_session(&crate::db::Session {
        id_hash: auth::sha256_hex(&sid),
        user_id: user.id,
        csrf: csrf.clone(),
        expires: t + auth::SESSION_SECS,
    })?;
    st.db().audit(&user.name, "login", "", "", t)?;
    let cookie = auth::session_cookie(Some(&sid), secure_request(&st, &headers));
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({"user": user, "csrf_token": csrf})),
    )
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", responses((status = 204, description = "logged out")))]
async fn logout(State(st): State<AppState>, headers: HeaderMap, a: Auth) -> ApiResult<Response> {
    if let Via::Session(s) = &a.via {
        st.db().delete_session(&s.id_hash)?;
    }
    let cookie = auth::session_cookie(None, secure_request(&st, &headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, description = "the user, and the session's CSRF token")))]
async fn me(a: Auth) -> Json<Value> {
    let csrf = match &a.via {
        Via::Session(s) => Some(s.csrf.clone()),
        Via::Token => None,
    };
    Json(json!({"user": a.user, "csrf_token": csrf}))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204, description = "changed; every session of the user ends")))]
async fn change_password(
    State(st): State<AppState>,
    a: Auth,
    Body(req): Body<PasswordChange>,
) -> ApiResult<StatusCode> {
    auth::check_password(&req.new_password).map_err(ApiError::invalid)?;
    let (old, hash) = (req.old_password.clone(), a.user.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&old, &hash))
        .await
        .map_err(ApiError::internal)?;
    if !ok {
        return Err(ApiError::forbidden("the old password is wrong"));
    }
    let new = req.new_password.clone();
    let h = tokio::task::spawn_blocking(move || auth::hash_password(&new))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    st.db().set_password(a.user.id, &h)?;
    audit(&st, &a, "user.password", &a.user.name, "")?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- users and tokens

#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, description = "user names and roles (analysts and admins, for sharing)")))]
async fn list_users(State(st): State<AppState>, a: Auth) -> ApiResult<Json<Value>> {
    a.require(Role::Analyst)?;
    Ok(Json(json!({"users": st.db().users()?})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// Left out: a password is generated and returned once.
    pub password: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, description = "created (with the generated password, shown once)"), (status = 403, description = "not an admin")))]
async fn create_user(
    State(st): State<AppState>,
    a: Auth,
    Body(req): Body<NewUser>,
) -> ApiResult<Response> {
    a.require(Role::Admin)?;
    auth::check_user_name(&req.name).map_err(ApiError::invalid)?;
    let (pw, generated) = match req.password {
        Some(p) => {
            auth::check_password(&p).map_err(ApiError::invalid)?;
            (p, false)
        }
        None => (auth::generate_password(), true),
    };
    let p2 = pw.clone();
    let h = tokio::task::spawn_blocking(move || auth::hash_password(&p2))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let u = st.db().create_user(&req.name, req.role, &h, now())?;
    audit(
        &st,
        &a,
        "user.create",
        &u.name,
        &format!("role {}", u.role.as_str()),
    )?;
    let body = if generated {
        json!({"user": u, "password": pw})
    } else {
        json!({"user": u})
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth", responses((status = 200, description = "the user's API tokens (never their secret)")))]
async fn list_tokens(State(st): State<AppState>, a: Auth) -> ApiResult<Json<Value>> {
    Ok(Json(json!({"tokens": st.db().tokens(a.user.id)?})))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, description = "the token, shown once: send it as Authorization: Bearer")))]
async fn create_token(
    State(st): State<AppState>,
    a: Auth,
    Body(req): Body<NewToken>,
) -> ApiResult<Response> {
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("a token name has 1 to 100 characters"));
    }
    let secret = format!("asc_{}", auth::random_hex(32));
    let t = st
        .db()
        .create_token(a.user.id, name, &auth::sha256_hex(&secret), now())?;
    audit(&st, &a, "token.create", name, "")?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": t, "secret": secret})),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", responses((status = 204, description = "revoked"), (status = 404, description = "no such token of yours")))]
async fn delete_token(State(st): State<AppState>, a: Auth, P(id): P<i64>) -> ApiResult<StatusCode> {
    if st.db().delete_token(a.user.id, id)? {
        audit(&st, &a, "token.revoke", &id.to_string(), "")?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("token {id}")))
    }
}

// ---------------------------------------------------------------- cases

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub case: CaseRow,
    pub case_toml: String,
    pub files: BTreeMap<String, FileRef>,
    pub shared_with: Vec<String>,
    /// The case's sources (id, title), for the observation forms.
    pub sources: Vec<(String, String)>,
    /// May the requesting user edit it.
    pub writable: bool,
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", responses((status = 200, description = "the cases you may read")))]
async fn list_cases(State(st): State<AppState>, a: Auth) -> ApiResult<Json<Value>> {
    let filter = (a.user.role != Role::Admin).then_some(a.user.id);
    Ok(Json(json!({"cases": st.db().cases(filter)?})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// The case.toml text (docs/case-format.md).
    pub case_toml: String,
}

fn case_response(st: &AppState, a: &Auth, id: i64, status: StatusCode) -> ApiResult<Response> {
    case_response_at(st, a, id, status, None)
}

/// The case at version `at` (default: the current one). An edit answers
/// with the version it wrote, never a newer one another writer committed
/// meanwhile: its ETag must be the client's own edit, or the client's next
/// edit, made from its own text, would silently replace that newer one.
fn case_response_at(
    st: &AppState,
    a: &Auth,
    id: i64,
    status: StatusCode,
    at: Option<i64>,
) -> ApiResult<Response> {
    let (mut row, _) = case_access(st, a, id, false)?;
    let v = at.unwrap_or(row.version);
    let content = st
        .db()
        .content(id, v)?
        .ok_or_else(|| ApiError::internal(format!("case {id} has no version {v}")))?;
    if v != row.version {
        row.version = v;
        if let Ok(title) = check_case_toml(&content.case_toml) {
            row.title = title;
        }
    }
    let sources = ascribe_case::parse_case(&content.case_toml, "case.toml")
        .map(|c| c.sources.into_iter().map(|s| (s.id, s.title)).collect())
        .unwrap_or_default();
    let detail = CaseDetail {
        sources,
        shared_with: st.db().shares(id)?,
        writable: a.user.role >= Role::Analyst,
        case: row,
        case_toml: content.case_toml,
        files: content.files,
    };
    Ok((status, [(header::ETAG, etag(v))], Json(detail)).into_response())
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCase,
    responses((status = 201, description = "created at version 1", body = CaseDetail), (status = 422, description = "case.toml does not parse (line and column given)")))]
async fn create_case(
    State(st): State<AppState>,
    a: Auth,
    Body(req): Body<NewCase>,
) -> ApiResult<Response> {
    a.require(Role::Analyst)?;
    let title = check_case_toml(&req.case_toml)?;
    let content = CaseContent {
        case_toml: req.case_toml,
        files: BTreeMap::new(),
    };
    let row = st.db().create_case(a.user.id, &title, &content, now())?;
    audit(&st, &a, "case.create", &row.id.to_string(), &title)?;
    case_response(&st, &a, row.id, StatusCode::CREATED)
}

/// A multipart error: 413 when the body limit stopped it.
fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    let limit = e.status() == StatusCode::PAYLOAD_TOO_LARGE || {
        let mut src: Option<&dyn std::error::Error> = Some(&e);
        let mut hit = false;
        while let Some(s) = src {
            if s.to_string().contains("length limit") {
                hit = true;
                break;
            }
            src = s.source();
        }
        hit
    };
    if limit {
        ApiError::too_large(
            "the upload is larger than the server's limit (ascribe serve --max-body-mib)",
        )
    } else {
        ApiError::bad_request(format!("multipart: {}", e.body_text()))
    }
}

/// Files of a multipart upload: `(path, bytes)`. A part named `archive`
/// (or a file whose bytes are a zip/tar/tar.gz when `extract=true`) is
/// unpacked safely; other file parts keep their file name, under `dir`.
async fn read_multipart(mut mp: Multipart) -> ApiResult<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut dir = String::new();
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        match name.as_str() {
            "dir" => {
                let d = String::from_utf8(bytes.to_vec())
                    .map_err(|_| ApiError::bad_request("'dir' is not UTF-8"))?;
                dir = if d.trim().is_empty() {
                    String::new()
                } else {
                    clean_path(d.trim()).map_err(|m| ApiError::invalid(format!("dir: {m}")))?
                };
            }
            "archive" => {
                let bytes = bytes.to_vec();
                let files = tokio::task::spawn_blocking(move || {
                    archive::read_archive(&bytes, archive::Limits::default())
                })
                .await
                .map_err(ApiError::internal)?
                .map_err(|e| match e {
                    archive::ArchiveError::Limit(m) => ApiError::too_large(m),
                    other => ApiError::invalid(other.to_string()),
                })?;
                out.extend(archive::strip_common_root(files));
            }
            "file" | "files" => {
                let fname = file_name
                    .ok_or_else(|| ApiError::bad_request("a file part has no file name"))?;
                // browsers send a base name; a path in it is checked like any path
                let clean = clean_path(&fname)
                    .map_err(|m| ApiError::invalid(format!("file '{fname}': {m}")))?;
                let path = if dir.is_empty() {
                    clean
                } else {
                    format!("{dir}/{clean}")
                };
                out.push((path, bytes.to_vec()));
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown multipart field '{other}' (expected 'file', 'archive' or 'dir')"
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(ApiError::bad_request("no file in the upload"));
    }
    Ok(out)
}

/// Put uploaded files into a content: case.toml replaces the text (and
/// must parse), the others go to the content store.
fn apply_files(
    st: &AppState,
    content: &mut CaseContent,
    files: Vec<(String, Vec<u8>)>,
) -> ApiResult<Vec<String>> {
    let mut names = Vec::new();
    for (path, bytes) in files {
        if path == "case.toml" {
            let text = String::from_utf8(bytes)
                .map_err(|_| ApiError::invalid("case.toml is not UTF-8"))?;
            check_case_toml(&text)?;
            content.case_toml = text;
        } else {
            let sha = st.blobs().put(&bytes).map_err(ApiError::internal)?;
            content.files.insert(
                path.clone(),
                FileRef {
                    sha256: sha,
                    size: bytes.len() as u64,
                },
            );
        }
        names.push(path);
    }
    check_files(&content.files)?;
    Ok(names)
}

#[utoipa::path(post, path = "/api/v1/cases/import", tag = "cases",
    request_body(content_type = "multipart/form-data", description = "'archive': a zip, tar or tar.gz of a case directory (case.toml at its root or in one top directory); or 'file' parts including case.toml"),
    responses((status = 201, description = "created", body = CaseDetail), (status = 413, description = "too large or a decompression bomb"), (status = 422, description = "a hostile or malformed archive, or case.toml does not parse")))]
async fn import_case(State(st): State<AppState>, a: Auth, mp: Multipart) -> ApiResult<Response> {
    a.require(Role::Analyst)?;
    let files = read_multipart(mp).await?;
    if !files.iter().any(|(p, _)| p == "case.toml") {
        return Err(ApiError::invalid(
            "the upload holds no case.toml at its root",
        ));
    }
    let mut content = CaseContent {
        case_toml: String::new(),
        files: BTreeMap::new(),
    };
    let st2 = st.clone();
    let (content, _) = tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let n = apply_files(&st2, &mut content, files)?;
        Ok((content, n))
    })
    .await
    .map_err(ApiError::internal)??;
    let title = check_case_toml(&content.case_toml)?;
    let row = st.db().create_case(a.user.id, &title, &content, now())?;
    audit(
        &st,
        &a,
        "case.import",
        &row.id.to_string(),
        &format!("{title}; {} file(s)", content.files.len()),
    )?;
    case_response(&st, &a, row.id, StatusCode::CREATED)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    responses((status = 200, description = "the current version; ETag names it", body = CaseDetail), (status = 404, description = "no such case, or not yours")))]
async fn get_case(State(st): State<AppState>, a: Auth, P(id): P<i64>) -> ApiResult<Response> {
    case_response(&st, &a, id, StatusCode::OK)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseUpdate {
    pub case_toml: String,
    /// What changed, for the version history.
    #[serde(default)]
    pub message: Option<String>,
}

fn message(m: Option<String>, default: &str) -> ApiResult<String> {
    let m = m.unwrap_or_else(|| default.to_string());
    if m.chars().count() > 500 {
        return Err(ApiError::invalid(
            "a version message has at most 500 characters",
        ));
    }
    Ok(m)
}

/// Store `content` as the version after `expected`.
fn commit(
    st: &AppState,
    a: &Auth,
    id: i64,
    expected: i64,
    content: &CaseContent,
    msg: &str,
    action: &str,
) -> ApiResult<Response> {
    let title = check_case_toml(&content.case_toml)?;
    let v = st.db().update_case(
        id,
        expected,
        &crate::db::NewVersion {
            author: a.user.id,
            title: &title,
            content,
            message: msg,
            now: now(),
        },
    )?;
    audit(
        st,
        a,
        action,
        &id.to_string(),
        &format!("version {v}: {msg}"),
    )?;
    case_response_at(st, a, id, StatusCode::OK, Some(v))
}

#[utoipa::path(put, path = "/api/v1/cases/{id}", tag = "cases", request_body = CaseUpdate,
    params(("If-Match" = String, Header, description = "the ETag of the version you edited")),
    responses((status = 200, description = "the new version", body = CaseDetail), (status = 412, description = "the case changed meanwhile"), (status = 428, description = "If-Match missing")))]
async fn update_case(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    headers: HeaderMap,
    Body(req): Body<CaseUpdate>,
) -> ApiResult<Response> {
    let (expected, mut content) = content_to_edit(&st, &a, id, &headers)?;
    content.case_toml = req.case_toml;
    let msg = message(req.message, "case.toml edited")?;
    commit(&st, &a, id, expected, &content, &msg, "case.update")
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}", tag = "cases", responses((status = 204, description = "deleted with its versions and assessments"), (status = 403, description = "not the owner or an admin")))]
async fn delete_case(State(st): State<AppState>, a: Auth, P(id): P<i64>) -> ApiResult<StatusCode> {
    let (row, owner) = case_access(&st, &a, id, true)?;
    owner_or_admin(&a, owner)?;
    st.db().delete_case(id)?;
    audit(&st, &a, "case.delete", &id.to_string(), &row.title)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/versions", tag = "cases", responses((status = 200, description = "every version: author, time, message")))]
async fn list_versions(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
) -> ApiResult<Json<Value>> {
    case_access(&st, &a, id, false)?;
    Ok(Json(json!({"versions": st.db().versions(id)?})))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/versions/{version}", tag = "cases", responses((status = 200, description = "that version's case.toml and files")))]
async fn get_version(
    State(st): State<AppState>,
    a: Auth,
    P((id, version)): P<(i64, i64)>,
) -> ApiResult<Json<Value>> {
    case_access(&st, &a, id, false)?;
    let c = st
        .db()
        .content(id, version)?
        .ok_or_else(|| ApiError::not_found(format!("version {version} of case {id}")))?;
    Ok(Json(
        json!({"version": version, "case_toml": c.case_toml, "files": c.files}),
    ))
}

/// The observation tables a form may add, and the fields each may hold
/// (those of docs/case-format.md).
const TABLES: &[(&str, &[&str])] = &[
    ("technique", &["id"]),
    ("software", &["name", "leaked"]),
    (
        "indicator",
        &[
            "type",
            "value",
            "role",
            "first_seen",
            "last_seen",
            "country",
            "overlaps",
        ],
    ),
    ("artifact", &["type", "value", "sample", "known_for"]),
    (
        "claim",
        &["claimant", "claimant_kind", "target", "stance", "quote"],
    ),
    ("operator_origin", &["actor", "address", "activity"]),
    (
        "code_overlap",
        &["family", "actor", "similarity", "shared", "sample"],
    ),
    (
        "infrastructure_overlap",
        &["indicators", "overlaps", "relation"],
    ),
];
const COMMON: &[&str] = &[
    "source",
    "note",
    "status",
    "forge_cost",
    "forge_cost_why",
    "fact",
];

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObservation {
    /// `technique`, `software`, `indicator`, `artifact`, `claim`, `operator_origin`, `code_overlap`, `infrastructure_overlap`.
    pub table: String,
    /// The table's fields as text (docs/case-format.md).
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The TOML text of one observation table.
pub fn observation_toml(table: &str, fields: &BTreeMap<String, String>) -> ApiResult<String> {
    let allowed = TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "unknown table '{table}'; one of: {}",
                TABLES.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
            ))
        })?
        .1;
    let mut out = format!("\n[[{table}]]\n");
    for (k, v) in fields {
        if !allowed.contains(&k.as_str()) && !COMMON.contains(&k.as_str()) {
            return Err(ApiError::invalid(format!(
                "'{k}' is not a field of [[{table}]]"
            )));
        }
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        if v.chars().count() > 4000 {
            return Err(ApiError::invalid(format!(
                "'{k}' is longer than 4,000 characters"
            )));
        }
        let value = match k.as_str() {
            "similarity" => toml::Value::Float(
                v.parse()
                    .map_err(|_| ApiError::invalid("'similarity' is a number"))?,
            ),
            "leaked" => toml::Value::Boolean(
                v.parse()
                    .map_err(|_| ApiError::invalid("'leaked' is true or false"))?,
            ),
            // lists, one item per comma or line
            "indicators" | "shared" => toml::Value::Array(
                v.split([',', '\n'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(|x| toml::Value::String(x.to_string()))
                    .collect(),
            ),
            _ => toml::Value::String(v.to_string()),
        };
        out.push_str(&format!("{k} = {value}\n"));
    }
    Ok(out)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/observations", tag = "cases", request_body = NewObservation,
    params(("If-Match" = String, Header, description = "the ETag of the version you edited")),
    responses((status = 200, description = "the new version", body = CaseDetail), (status = 412, description = "the case changed meanwhile"), (status = 422, description = "the observation does not validate (the case reader's message)"), (status = 428, description = "If-Match missing")))]
async fn add_observation(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    headers: HeaderMap,
    Body(req): Body<NewObservation>,
) -> ApiResult<Response> {
    let (expected, mut content) = content_to_edit(&st, &a, id, &headers)?;
    let add = observation_toml(&req.table, &req.fields)?;
    if !content.case_toml.ends_with('\n') {
        content.case_toml.push('\n');
    }
    content.case_toml.push_str(&add);
    let default = format!("added a [[{}]]", req.table);
    let msg = message(req.message, &default)?;
    commit(&st, &a, id, expected, &content, &msg, "case.observation")
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/files", tag = "cases",
    request_body(content_type = "multipart/form-data", description = "'file' parts (kept under the optional 'dir' field), or an 'archive' (zip, tar, tar.gz) extracted safely; a case.toml replaces the case's text"),
    params(("If-Match" = String, Header, description = "the ETag of the version you edited")),
    responses((status = 200, description = "the new version", body = CaseDetail), (status = 412, description = "the case changed meanwhile"), (status = 413, description = "too large or a decompression bomb"), (status = 422, description = "a hostile path, link or malformed archive"), (status = 428, description = "If-Match missing")))]
async fn upload_files(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    headers: HeaderMap,
    mp: Multipart,
) -> ApiResult<Response> {
    let (expected, mut content) = content_to_edit(&st, &a, id, &headers)?;
    let files = read_multipart(mp).await?;
    let st2 = st.clone();
    let (content, names) = tokio::task::spawn_blocking(move || -> ApiResult<_> {
        let n = apply_files(&st2, &mut content, files)?;
        Ok((content, n))
    })
    .await
    .map_err(ApiError::internal)??;
    let msg = if names.len() == 1 {
        format!("uploaded {}", names[0])
    } else {
        format!("uploaded {} files", names.len())
    };
    commit(&st, &a, id, expected, &content, &msg, "case.upload")
}

#[derive(Deserialize)]
struct VersionQuery {
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/files/{path}", tag = "cases",
    params(("version" = Option<i64>, Query, description = "a past version (default: current)")),
    responses((status = 200, description = "the bytes, always as an attachment (application/octet-stream, nosniff)")))]
async fn download_file(
    State(st): State<AppState>,
    a: Auth,
    P((id, path)): P<(i64, String)>,
    Q(q): Q<VersionQuery>,
) -> ApiResult<Response> {
    let (row, _) = case_access(&st, &a, id, false)?;
    let version = q.version.unwrap_or(row.version);
    let content = st
        .db()
        .content(id, version)?
        .ok_or_else(|| ApiError::not_found(format!("version {version} of case {id}")))?;
    let path = clean_path(&path).map_err(ApiError::invalid)?;
    let (bytes, name) = if path == "case.toml" {
        (content.case_toml.into_bytes(), "case.toml".to_string())
    } else {
        let f = content
            .files
            .get(&path)
            .ok_or_else(|| ApiError::not_found(format!("file '{path}'")))?;
        (
            st.blobs().get(&f.sha256).map_err(ApiError::internal)?,
            path.rsplit('/').next().unwrap_or("file").to_string(),
        )
    };
    // an ASCII-only file name in the header (RFC 6266 fallback form)
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}/files/{path}", tag = "cases",
    params(("If-Match" = String, Header, description = "the ETag of the version you edited")),
    responses((status = 200, description = "the new version", body = CaseDetail), (status = 412, description = "the case changed meanwhile"), (status = 428, description = "If-Match missing")))]
async fn delete_file(
    State(st): State<AppState>,
    a: Auth,
    P((id, path)): P<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (expected, mut content) = content_to_edit(&st, &a, id, &headers)?;
    let path = clean_path(&path).map_err(ApiError::invalid)?;
    if content.files.remove(&path).is_none() {
        return Err(ApiError::not_found(format!("file '{path}'")));
    }
    commit(
        &st,
        &a,
        id,
        expected,
        &content,
        &format!("removed {path}"),
        "case.file.delete",
    )
}

// ---------------------------------------------------------------- sharing

#[utoipa::path(get, path = "/api/v1/cases/{id}/shares", tag = "cases", responses((status = 200, description = "the users the case is shared with")))]
async fn list_shares(State(st): State<AppState>, a: Auth, P(id): P<i64>) -> ApiResult<Json<Value>> {
    case_access(&st, &a, id, false)?;
    Ok(Json(json!({"shared_with": st.db().shares(id)?})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    pub user: String,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/shares", tag = "cases", request_body = NewShare,
    responses((status = 204, description = "shared"), (status = 403, description = "not the owner or an admin")))]
async fn add_share(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    Body(req): Body<NewShare>,
) -> ApiResult<StatusCode> {
    let (_, owner) = case_access(&st, &a, id, true)?;
    owner_or_admin(&a, owner)?;
    let u = st
        .db()
        .user_by_name(&req.user)?
        .ok_or_else(|| ApiError::invalid(format!("no user named '{}'", req.user)))?;
    st.db().share(id, u.id)?;
    audit(&st, &a, "case.share", &id.to_string(), &u.name)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}/shares/{user}", tag = "cases", responses((status = 204, description = "no longer shared")))]
async fn remove_share(
    State(st): State<AppState>,
    a: Auth,
    P((id, user)): P<(i64, String)>,
) -> ApiResult<StatusCode> {
    let (_, owner) = case_access(&st, &a, id, true)?;
    owner_or_admin(&a, owner)?;
    let u = st
        .db()
        .user_by_name(&user)?
        .ok_or_else(|| ApiError::not_found(format!("user '{user}'")))?;
    st.db().unshare(id, u.id)?;
    audit(&st, &a, "case.unshare", &id.to_string(), &u.name)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- analyses

#[utoipa::path(post, path = "/api/v1/cases/{id}/analyses", tag = "analyses",
    params(("version" = Option<i64>, Query, description = "the version to assess (default: current)")),
    responses((status = 202, description = "queued: {job} and Location of the job")))]
async fn start_analysis(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    Q(q): Q<VersionQuery>,
) -> ApiResult<Response> {
    let (row, _) = case_access(&st, &a, id, true)?;
    let version = q.version.unwrap_or(row.version);
    if version < 1 || version > row.version {
        return Err(ApiError::not_found(format!(
            "version {version} of case {id}"
        )));
    }
    let job = st.db().create_job(id, version, a.user.id, now())?;
    audit(
        &st,
        &a,
        "case.analyse",
        &id.to_string(),
        &format!("version {version}, job {job}"),
    )?;
    let st2 = st.clone();
    let slots = st.job_slots();
    tokio::spawn(async move {
        let Ok(_permit) = slots.acquire_owned().await else {
            return;
        };
        let st3 = st2.clone();
        let r =
            tokio::task::spawn_blocking(move || crate::analysis::run_job(&st3, job, id, version))
                .await;
        if r.is_err() {
            let _ = st2.db().set_job(
                job,
                "failed",
                "failed",
                Some("the analysis stopped unexpectedly"),
                now(),
            );
        }
    });
    let loc = format!("/api/v1/jobs/{job}");
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, loc)],
        Json(json!({"job": job, "case": id, "version": version, "state": "queued"})),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "analyses", responses((status = 200, description = "state, progress and, when done, where the assessment is", body = crate::db::JobRow)))]
async fn get_job(State(st): State<AppState>, a: Auth, P(id): P<i64>) -> ApiResult<Json<Value>> {
    let job = st
        .db()
        .job(id)?
        .ok_or_else(|| ApiError::not_found(format!("job {id}")))?;
    case_access(&st, &a, job.case_id, false)
        .map_err(|_| ApiError::not_found(format!("job {id}")))?;
    let result = (job.state == "done")
        .then(|| format!("/api/v1/cases/{}/assessments/{}", job.case_id, job.version));
    Ok(Json(json!({"job": job, "result": result})))
}

/// A short form of an assessment for the history and the verdict chart.
pub fn summary(a: &ascribe_core::Assessment, version: i64, job: i64, created: i64) -> Value {
    let hyps: Vec<Value> = a
        .hypotheses
        .iter()
        .map(|h| json!({"id": h.id, "label": h.label, "posterior": h.posterior}))
        .collect();
    json!({
        "version": version,
        "job": job,
        "created": created,
        "verdict": a.verdict,
        "state_verdict": a.state_verdict,
        "hypotheses": hyps,
    })
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments", tag = "analyses", responses((status = 200, description = "the latest assessment of each analysed version, oldest first: verdict and hypotheses (the verdict over time)")))]
async fn list_assessments(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
) -> ApiResult<Json<Value>> {
    case_access(&st, &a, id, false)?;
    let rows = st.db().assessments(id)?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| serde_json::from_str(&r.summary).unwrap_or(Value::Null))
        .collect();
    Ok(Json(json!({"assessments": list})))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments/{version}", tag = "analyses", responses((status = 200, description = "the full assessment of that version (docs/json-schema.md)")))]
async fn get_assessment(
    State(st): State<AppState>,
    a: Auth,
    P((id, version)): P<(i64, i64)>,
) -> ApiResult<Response> {
    case_access(&st, &a, id, false)?;
    let row = st.db().assessment(id, version)?.ok_or_else(|| {
        ApiError::not_found(format!("assessment of version {version} of case {id}"))
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], row.json).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    tlp: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments/{version}/export", tag = "analyses",
    params(("format" = String, Query, description = "stix (STIX 2.1 bundle), misp (MISP event), navigator (ATT&CK Navigator layers, a JSON list) or html (a self-contained report)"),
           ("tlp" = Option<String>, Query, description = "TLP 2.0 marking of a stix, misp or html export: clear, green, amber, amber+strict or red (default: none)")),
    responses((status = 200, description = "the export of the kept assessment of that version, as an attachment (as `ascribe analyze --format FORMAT`)"),
              (status = 400, description = "unknown format or TLP, or a TLP with format navigator (a layer carries no marking)"),
              (status = 404, description = "no such case (or not readable), or no assessment of that version")))]
async fn export_assessment(
    State(st): State<AppState>,
    a: Auth,
    P((id, version)): P<(i64, i64)>,
    Q(q): Q<ExportQuery>,
) -> ApiResult<Response> {
    let format = q.format.as_deref().unwrap_or("").to_ascii_lowercase();
    let (ext, ctype) = match format.as_str() {
        "stix" => ("stix.json", "application/stix+json;version=2.1"),
        "misp" => ("misp.json", "application/json"),
        "navigator" => ("navigator.json", "application/json"),
        "html" => ("html", "text/html; charset=utf-8"),
        _ => {
            return Err(ApiError::bad_request(
                "format must be one of stix, misp, navigator, html",
            ))
        }
    };
    let tlp = match q.tlp.as_deref() {
        None | Some("") => None,
        // an unencoded `amber+strict` arrives as `amber strict`
        Some(t) => Some(
            ascribe_interop::Tlp::parse(&t.replace(' ', "+")).ok_or_else(|| {
                ApiError::bad_request("tlp must be one of clear, green, amber, amber+strict, red")
            })?,
        ),
    };
    if tlp.is_some() && format == "navigator" {
        // as `ascribe analyze --tlp`: a marking asked for and silently left out
        // would mislead whoever shares the file
        return Err(ApiError::bad_request(
            "tlp marks a stix, misp or html export; a navigator layer carries no TLP marking (leave tlp out)",
        ));
    }
    case_access(&st, &a, id, false)?;
    let row = st.db().assessment(id, version)?.ok_or_else(|| {
        ApiError::not_found(format!("assessment of version {version} of case {id}"))
    })?;
    let content = st
        .db()
        .content(id, version)?
        .ok_or_else(|| ApiError::not_found(format!("version {version} of case {id}")))?;
    // the case as analysed is kept with the assessment; an assessment kept
    // by a server before schema version 2 has none, and its version is read
    // again by the same pipeline (taking an analysis slot, like a job)
    let permit = match row.analysed {
        Some(_) => None,
        None => Some(
            st.job_slots()
                .acquire_owned()
                .await
                .map_err(ApiError::internal)?,
        ),
    };
    let st2 = st.clone();
    let body = tokio::task::spawn_blocking(move || -> ApiResult<String> {
        let _permit = permit;
        let assessment: ascribe_core::Assessment =
            serde_json::from_str(&row.json).map_err(ApiError::internal)?;
        let case: ascribe_core::Case = match &row.analysed {
            Some(json) => serde_json::from_str(json).map_err(ApiError::internal)?,
            None => {
                let tmp = tempfile::Builder::new()
                    .prefix("export-")
                    .tempdir_in(st2.work_dir())
                    .map_err(ApiError::internal)?;
                crate::analysis::materialise(&st2, &content, tmp.path())
                    .map_err(ApiError::internal)?;
                crate::analysis::assess_dir_with_case(&st2, tmp.path(), None)
                    .map_err(ApiError::internal)?
                    .1
            }
        };
        let kb = st2
            .engine()
            .knowledge_base_as_of(case.as_of.as_deref(), &case.exclude_citations)
            .map_err(ApiError::internal)?;
        let opts = ascribe_interop::ExportOptions {
            tlp,
            ..Default::default()
        };
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
        Ok(match format.as_str() {
            "stix" => pretty(&ascribe_interop::stix_out::bundle(
                &assessment,
                &case,
                Some(&kb),
                &opts,
            )),
            "misp" => pretty(&ascribe_interop::misp_out::event(
                &assessment,
                &case,
                Some(&kb),
                &opts,
            )),
            "html" => ascribe_interop::html::report(&assessment, &opts),
            _ => pretty(&Value::Array(
                ascribe_interop::navigator::layers(&assessment, &case, Some(&kb), &opts)
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect(),
            )),
        })
    })
    .await
    .map_err(ApiError::internal)??;
    let filename = format!("case-{id}-v{version}.{ext}");
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
struct SimilarQuery {
    file: String,
    version: Option<i64>,
    top: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/similar", tag = "analyses",
    params(("file" = String, Query, description = "an evidence file of the case (a PE, ELF or Mach-O binary)"),
           ("version" = Option<i64>, Query, description = "a past version (default: current)"),
           ("top" = Option<usize>, Query, description = "matched function pairs per family (default 5, at most 50)")),
    responses((status = 200, description = "families and samples of the code index sharing code with the file (as `ascribe similar --json`)"),
              (status = 404, description = "no such file, or the server has no code index"),
              (status = 422, description = "the file is not a binary the code index reads")))]
async fn similar(
    State(st): State<AppState>,
    a: Auth,
    P(id): P<i64>,
    Q(q): Q<SimilarQuery>,
) -> ApiResult<Json<Value>> {
    let (row, _) = case_access(&st, &a, id, false)?;
    let version = q.version.unwrap_or(row.version);
    let content = st
        .db()
        .content(id, version)?
        .ok_or_else(|| ApiError::not_found(format!("version {version} of case {id}")))?;
    let path = clean_path(&q.file).map_err(ApiError::invalid)?;
    let f = content
        .files
        .get(&path)
        .ok_or_else(|| ApiError::not_found(format!("file '{path}'")))?
        .clone();
    let dir = st.code_index().filter(|d| d.exists()).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no-code-index",
            "the server has no code index: add reference samples with `ascribe --store DATA/kb.db index add --family NAME FILES` (DATA: the server's data directory)",
        )
    })?;
    let top = q.top.unwrap_or(5).clamp(1, 50);
    let st2 = st.clone();
    let res = tokio::task::spawn_blocking(move || -> ApiResult<Value> {
        let bytes = st2.blobs().get(&f.sha256).map_err(ApiError::internal)?;
        let idx = ascribe_pipeline::code::open_index(&dir).map_err(ApiError::internal)?;
        let opts = ascribe_code::QueryOptions {
            top_pairs: top,
            ..Default::default()
        };
        let m = idx
            .similar_bytes(&bytes, &opts)
            .map_err(|e| ApiError::invalid(format!("{path}: {e}")))?;
        serde_json::to_value(&m).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(Json(
        json!({"file": q.file, "version": version, "families": res}),
    ))
}

// ---------------------------------------------------------------- audit

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "users", params(("limit" = Option<i64>, Query, description = "at most this many entries, newest first (default 200, at most 10,000)")), responses((status = 200, description = "who changed what"), (status = 403, description = "not an admin")))]
async fn audit_log(
    State(st): State<AppState>,
    a: Auth,
    Q(q): Q<AuditQuery>,
) -> ApiResult<Json<Value>> {
    a.require(Role::Admin)?;
    let limit = q.limit.unwrap_or(200).clamp(1, 10_000);
    Ok(Json(json!({"audit": st.db().audit_log(limit)?})))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table the endpoint offers, with the fields docs/case-format.md
    /// gives it, appends an observation the case reader accepts.
    #[test]
    fn every_observation_table_gives_a_case_the_reader_accepts() {
        let base =
            "[case]\nname = \"t\"\n\n[[source]]\nid = \"s\"\ntitle = \"x\"\nkind = \"vendor\"\n";
        let tables: &[(&str, &[(&str, &str)])] = &[
            ("technique", &[("id", "T1485")]),
            ("software", &[("name", "Destover"), ("leaked", "true")]),
            (
                "indicator",
                &[("type", "ip"), ("value", "203.0.113.5"), ("role", "c2")],
            ),
            (
                "artifact",
                &[
                    ("type", "pdb-path"),
                    ("value", "C:\\x\\y.pdb"),
                    ("known_for", "Lazarus Group"),
                ],
            ),
            (
                "claim",
                &[
                    ("claimant", "FBI"),
                    ("claimant_kind", "government"),
                    ("target", "North Korea"),
                    ("stance", "asserts"),
                    ("quote", "the FBI now has enough information"),
                ],
            ),
            (
                "operator_origin",
                &[
                    ("actor", "North Korea"),
                    ("address", "175.45.178.0/24"),
                    ("activity", "logins"),
                ],
            ),
            (
                "code_overlap",
                &[
                    ("family", "Destover"),
                    ("actor", "Lazarus Group"),
                    ("similarity", "0.4"),
                    ("shared", "wiper routine, key schedule"),
                ],
            ),
            (
                "infrastructure_overlap",
                &[
                    ("indicators", "203.0.113.5, 203.0.113.6"),
                    ("overlaps", "North Korea"),
                    ("relation", "shared"),
                ],
            ),
        ];
        assert_eq!(tables.len(), TABLES.len(), "a table without a test");
        for (table, fields) in tables {
            let mut f: BTreeMap<String, String> = fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            f.insert("source".into(), "s".into());
            let add = observation_toml(table, &f)
                .unwrap_or_else(|e| panic!("[[{table}]]: {}", e.message));
            let text = format!("{base}{add}");
            if let Err(e) = ascribe_case::parse_case(&text, "case.toml") {
                panic!("[[{table}]] is refused by the case reader: {e}\n{text}");
            }
        }
    }
}
