//! `ascribe serve`: a multi-user HTTP API and web interface where a team
//! builds a case and reads its verdict.
//!
//! - [`open`] prepares a data directory (`server.db` for users, cases,
//!   versions, jobs, assessments and the audit log behind the
//!   [`db::ServerStore`] trait; `blobs/` for evidence bytes, content-addressed;
//!   `kb.db`, the knowledge base in `ascribe_store`; `work/` for analyses).
//!   With [`Config::database`] (`serve --database postgres://…`, cargo
//!   feature `postgres`) the users, cases and the rest live in PostgreSQL
//!   ([`pgdb`]) and the knowledge base and intelligence are read from
//!   `ascribe_store_pg`; evidence bytes stay content-addressed in `blobs/`.
//! - [`router`] is the whole HTTP surface: the versioned JSON API under
//!   `/api/v1/`, its OpenAPI document at `/api/openapi.json`, and the web
//!   interface (server-rendered pages with embedded assets, no CDN).
//! - [`serve`] runs it until Ctrl-C.
//!
//! The server never trusts a client: every input is bounded and validated
//! with a JSON 4xx error, every request is authenticated and authorised
//! per case, and no internal error text or panic reaches a client.

pub mod analysis;
pub mod api;
pub mod archive;
pub mod auth;
pub mod blobs;
pub mod db;
pub mod error;
pub mod kbapi;
pub mod openapi;
#[cfg(feature = "postgres")]
pub mod pgdb;
pub mod ui;

use ascribe_store::Store;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Router;
use db::ServerStore;
use error::ApiError;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Behind a TLS-terminating proxy: session cookies are `Secure`.
    pub tls_proxy: bool,
    /// Largest request body (uploads included).
    pub max_body: usize,
    /// Analyses run at once (more wait in the queue).
    pub analysis_workers: usize,
    /// A PostgreSQL URL (`postgres://user:password@host/db`): users, cases
    /// and the rest there, the knowledge base and intelligence read from
    /// it; `None`: SQLite files in the data directory.
    pub database: Option<String>,
    /// Connections in the PostgreSQL pool.
    pub db_pool: u32,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            tls_proxy: false,
            max_body: 256 << 20,
            analysis_workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            database: None,
            db_pool: 16,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Db(#[from] db::DbError),
    #[error("knowledge base: {0}")]
    Kb(String),
}

/// An open indicator store shared by analyses and look-ups.
pub type SharedIntel = Arc<dyn ascribe_store::IntelStore + Send + Sync>;

pub struct Inner {
    db: Box<dyn ServerStore>,
    /// Where the server's records are, for messages (no password).
    db_name: String,
    /// The indicator store when it is not `DATA/kb.db` (PostgreSQL).
    intel: Option<SharedIntel>,
    blobs: blobs::Blobs,
    engine: Arc<ascribe_pipeline::Engine>,
    kb_full: Arc<ascribe_kb::KnowledgeBase>,
    code_index: Option<PathBuf>,
    config: Config,
    work_dir: PathBuf,
    jobs: Arc<tokio::sync::Semaphore>,
    throttle: auth::Throttle,
}

/// The shared state of every request.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn db(&self) -> &dyn ServerStore {
        self.0.db.as_ref()
    }
    /// Where users, cases and the rest are kept (a path, or a PostgreSQL
    /// URL without its password).
    pub fn db_name(&self) -> &str {
        &self.0.db_name
    }
    /// The indicator store analyses and look-ups read, when it is not the
    /// data directory's `kb.db` (PostgreSQL).
    pub fn intel(&self) -> Option<SharedIntel> {
        self.0.intel.clone()
    }
    pub fn blobs(&self) -> &blobs::Blobs {
        &self.0.blobs
    }
    /// The pipeline (shared: it caches the knowledge bases cut per analysis date).
    pub fn engine(&self) -> &ascribe_pipeline::Engine {
        &self.0.engine
    }
    /// The code index beside the knowledge base (`kb.db.code/`), when configured.
    pub fn code_index(&self) -> Option<PathBuf> {
        self.0.code_index.clone()
    }
    /// The knowledge base as known today (actor pages, search, completion).
    pub fn kb_full(&self) -> &ascribe_kb::KnowledgeBase {
        &self.0.kb_full
    }
    pub fn config(&self) -> &Config {
        &self.0.config
    }
    pub fn work_dir(&self) -> &Path {
        &self.0.work_dir
    }
    pub fn throttle(&self) -> &auth::Throttle {
        &self.0.throttle
    }
    pub fn job_slots(&self) -> Arc<tokio::sync::Semaphore> {
        self.0.jobs.clone()
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn private_dir(p: &Path) -> Result<(), ServerError> {
    std::fs::create_dir_all(p).map_err(|e| ServerError::Io(format!("{}: {e}", p.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| ServerError::Io(format!("{}: {e}", p.display())))?;
    }
    Ok(())
}

/// Open (creating when needed) the data directory, and the PostgreSQL
/// database when [`Config::database`] names one.
pub fn open(config: Config) -> Result<AppState, ServerError> {
    if let Some(url) = config.database.clone() {
        return open_postgres(config, &url, None);
    }
    let dir = config.data_dir.clone();
    private_dir(&dir)?;
    let kb_path = dir.join("kb.db");
    let mut store = ascribe_store::SqliteStore::open(&kb_path)
        .map_err(|e| ServerError::Kb(format!("{}: {e}", kb_path.display())))?;
    if store
        .kb_is_empty()
        .map_err(|e| ServerError::Kb(e.to_string()))?
    {
        let facts =
            ascribe_kb::embedded::default_facts().map_err(|e| ServerError::Kb(e.to_string()))?;
        store
            .put_kb_facts(&facts)
            .map_err(|e| ServerError::Kb(e.to_string()))?;
    }
    let facts = Arc::new(
        store
            .load_kb_facts()
            .map_err(|e| ServerError::Kb(e.to_string()))?,
    );
    open_with_facts(config, facts)
}

/// Open with users, cases and the rest in PostgreSQL at `url` (tables in
/// `schema` when given, else the connection's default schema), the
/// knowledge base and the intelligence read from the same database
/// (`ascribe_store_pg`, filled with the embedded default knowledge base when
/// empty); evidence bytes stay in the data directory.
pub fn open_postgres(
    config: Config,
    url: &str,
    schema: Option<&str>,
) -> Result<AppState, ServerError> {
    #[cfg(feature = "postgres")]
    {
        use ascribe_store::Store;
        let (facts, kb, db) = pgdb::blocking(|| -> Result<_, ServerError> {
            let kb_err = |e: ascribe_store::StoreError| ServerError::Kb(e.to_string());
            // a plain database, or the coordinator of a sharded store
            // (`ascribe store shard init`): the KB and intelligence are then
            // read from its shards
            let mut kb = match schema {
                Some(s) => ascribe_store_pg::PgStore::open_in_schema(url, s)
                    .map(ascribe_store_pg::shard::AnyPgStore::Single),
                None => ascribe_store_pg::shard::open_any(url, false),
            }
            .map_err(kb_err)?;
            if kb.kb_is_empty().map_err(kb_err)? {
                let facts = ascribe_kb::embedded::default_facts()
                    .map_err(|e| ServerError::Kb(e.to_string()))?;
                kb.put_kb_facts(&facts).map_err(kb_err)?;
            }
            let facts = Arc::new(kb.load_kb_facts().map_err(kb_err)?);
            // closing its connection blocks: never on an async thread
            let kb = pgdb::PgIntel(pgdb::OffRuntime::new(kb));
            let db = pgdb::PgServerStore::open_with(url, schema, config.db_pool)?;
            Ok((facts, kb, db))
        })?;
        let name = db.name().to_string();
        open_with_store(config, facts, Box::new(db), name, Some(Arc::new(kb)))
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = (config, schema);
        Err(ServerError::Io(format!(
            "{}: this ascribe was built without PostgreSQL support (cargo feature `postgres`)",
            url.split('@').next_back().unwrap_or(url)
        )))
    }
}

/// Open the data directory with knowledge-base facts already loaded
/// (tests and tools that run several servers over one knowledge base).
pub fn open_with_facts(
    config: Config,
    facts: Arc<ascribe_core::KbFacts>,
) -> Result<AppState, ServerError> {
    let dir = config.data_dir.clone();
    private_dir(&dir)?;
    let path = dir.join("server.db");
    let db = db::SqliteServerStore::open(&path)?;
    open_with_store(
        config,
        facts,
        Box::new(db),
        path.display().to_string(),
        None,
    )
}

/// Open with a [`ServerStore`] already open (`db_name`: where it is, for
/// messages) and, when the intelligence is not in `DATA/kb.db`, the
/// indicator store to read instead.
pub fn open_with_store(
    config: Config,
    facts: Arc<ascribe_core::KbFacts>,
    db: Box<dyn ServerStore>,
    db_name: String,
    intel: Option<SharedIntel>,
) -> Result<AppState, ServerError> {
    let dir = config.data_dir.clone();
    private_dir(&dir)?;
    db.fail_stale_jobs(now())?;
    let blobs = blobs::Blobs::open(&dir.join("blobs"))
        .map_err(|e| ServerError::Io(format!("{}: {e}", dir.join("blobs").display())))?;
    let work_dir = dir.join("work");
    if work_dir.exists() {
        let _ = std::fs::remove_dir_all(&work_dir);
    }
    private_dir(&work_dir)?;
    let engine = Arc::new(ascribe_pipeline::Engine::from_shared_facts(facts));
    let kb_full = engine.knowledge_base();
    let code_index = Some(ascribe_pipeline::code::index_dir(&dir.join("kb.db")));
    let workers = config.analysis_workers.max(1);
    Ok(AppState(Arc::new(Inner {
        db,
        db_name,
        intel,
        blobs,
        engine,
        kb_full,
        code_index,
        config,
        work_dir,
        jobs: Arc::new(tokio::sync::Semaphore::new(workers)),
        throttle: auth::Throttle::default(),
    })))
}

/// With no user yet, create `admin` with a generated password and return
/// it (shown once, never stored in clear).
pub fn bootstrap_admin(st: &AppState) -> Result<Option<(String, String)>, ServerError> {
    if st.db().user_count()? > 0 {
        return Ok(None);
    }
    let pw = auth::generate_password();
    let hash = auth::hash_password(&pw).map_err(ServerError::Io)?;
    st.db()
        .create_user("admin", db::Role::Admin, &hash, now())?;
    st.db().audit(
        "(server)",
        "user.create",
        "admin",
        "first start: role admin",
        now(),
    )?;
    Ok(Some(("admin".into(), pw)))
}

/// The whole HTTP surface.
pub fn router(st: AppState) -> Router {
    use tower_http::set_header::SetResponseHeaderLayer;
    let max = st.config().max_body;
    Router::new()
        .merge(api::routes())
        .merge(ui::routes())
        .fallback(|| async { ApiError::not_found("page") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this method is not allowed here (see /api/openapi.json)",
            )
        })
        .layer(axum::extract::DefaultBodyLimit::max(max))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(max))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                use axum::response::IntoResponse;
                ApiError::internal("a handler panicked").into_response()
            },
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_FRAME_OPTIONS,
            axum::http::HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            axum::http::HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .with_state(st)
}

/// Serve until Ctrl-C (or SIGTERM).
pub async fn serve(st: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(st))
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term =
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(t) => t,
                        Err(_) => {
                            let _ = ctrl_c.await;
                            return;
                        }
                    };
                tokio::select! {
                    _ = ctrl_c => {},
                    _ = term.recv() => {},
                }
            }
            #[cfg(not(unix))]
            {
                let _ = ctrl_c.await;
            }
        })
        .await
}

/// A JSON body whose rejection is a JSON 4xx error.
pub struct Body<T>(pub T);

impl<T, S> FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(r) => {
                let status = r.status();
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "too-large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
                    StatusCode::UNPROCESSABLE_ENTITY => "invalid-input",
                    _ => "bad-request",
                };
                Err(ApiError::new(status, code, r.body_text()))
            }
        }
    }
}

/// A path parameter whose rejection is a JSON 4xx error.
pub struct P<T>(pub T);

impl<T, S> FromRequestParts<S> for P<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| P(p.0))
            .map_err(|r| ApiError::bad_request(format!("bad path: {}", r.body_text())))
    }
}

/// A query string whose rejection is a JSON 4xx error.
pub struct Q<T>(pub T);

impl<T, S> FromRequestParts<S> for Q<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Q(p.0))
            .map_err(|r| ApiError::bad_request(format!("bad query: {}", r.body_text())))
    }
}

/// Bind `config.listen`, create the first admin when there is no user
/// (printing where to log in and the one-time password on standard
/// error), and serve until Ctrl-C. For the CLI: starts its own runtime.
pub fn run(config: Config) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerError::Io(format!("cannot start the runtime: {e}")))?;
    rt.block_on(async move {
        let listen = config.listen;
        let data = config.data_dir.clone();
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| ServerError::Io(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServerError::Io(e.to_string()))?;
        let st = tokio::task::spawn_blocking(move || open(config))
            .await
            .map_err(|e| ServerError::Io(e.to_string()))??;
        let url = format!("http://{addr}/");
        eprintln!("ascribe serve: listening on {url} (data in {})", data.display());
        if st.intel().is_some() {
            eprintln!(
                "ascribe serve: database {} (PostgreSQL: users, cases, jobs, assessments, audit log, knowledge base, intelligence); evidence files in {}",
                st.db_name(),
                data.join("blobs").display()
            );
        } else {
            eprintln!(
                "ascribe serve: database {} (SQLite), knowledge base {}",
                st.db_name(),
                data.join("kb.db").display()
            );
        }
        if let Some((name, pw)) = bootstrap_admin(&st)? {
            eprintln!("ascribe serve: first start: created the account '{name}' (role admin)");
            eprintln!("  log in at {url}login");
            eprintln!("  user:     {name}");
            eprintln!("  password: {pw}");
            eprintln!("  (shown once, never stored in clear: change it after logging in, or add accounts with `ascribe serve user add`)");
        }
        serve(st, listener)
            .await
            .map_err(|e| ServerError::Io(e.to_string()))
    })
}

/// `ascribe serve user add`: create an account offline (the server may run),
/// in `database` (PostgreSQL) when given, else in `DATA/server.db`.
/// Without `password`, one is generated and returned.
pub fn add_user(
    data_dir: &Path,
    database: Option<&str>,
    name: &str,
    role: db::Role,
    password: Option<String>,
) -> Result<Option<String>, ServerError> {
    private_dir(data_dir)?;
    auth::check_user_name(name).map_err(ServerError::Io)?;
    let (pw, generated) = match password {
        Some(p) => {
            auth::check_password(&p).map_err(ServerError::Io)?;
            (p, false)
        }
        None => (auth::generate_password(), true),
    };
    let db: Box<dyn ServerStore> = match database {
        #[cfg(feature = "postgres")]
        Some(url) => Box::new(pgdb::PgServerStore::open_with(url, None, 1)?),
        #[cfg(not(feature = "postgres"))]
        Some(url) => {
            return Err(ServerError::Io(format!(
                "{}: this ascribe was built without PostgreSQL support (cargo feature `postgres`)",
                url.split('@').next_back().unwrap_or(url)
            )))
        }
        None => Box::new(db::SqliteServerStore::open(&data_dir.join("server.db"))?),
    };
    let hash = auth::hash_password(&pw).map_err(ServerError::Io)?;
    db.create_user(name, role, &hash, now())?;
    db.audit(
        "(command line)",
        "user.create",
        name,
        &format!("role {}", role.as_str()),
        now(),
    )?;
    Ok(generated.then_some(pw))
}
