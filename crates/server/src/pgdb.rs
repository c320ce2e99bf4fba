//! The server's storage on PostgreSQL: [`PgServerStore`] implements
//! [`ServerStore`] (users, sessions, API tokens, cases and their versions,
//! shares, jobs, assessments, the audit log) over a pool of synchronous
//! `postgres` connections (r2d2).
//!
//! - **Its own schema version.** The server's tables (`srv_*`) have their
//!   own migration list ([`MIGRATIONS`]) and version row
//!   (`ascribe_meta.server_schema_version`), separate from the knowledge
//!   base's (`ascribe-store-pg`, `schema_version`), so each can change
//!   without the other. Migrations run on open under the same advisory lock
//!   as the store's, so that two processes opening one database never race;
//!   a database whose server schema is newer than this build is refused
//!   naming both versions ([`DbError::TooNew`]).
//! - **Transactions where the SQLite backend has them.** A case update is
//!   one conditional `UPDATE … WHERE version = expected` (PostgreSQL locks
//!   the row; a concurrent writer waits, then re-reads the row and finds the
//!   version moved: a conflict, never a lost edit) followed by the version
//!   row, in one transaction.
//! - **The async boundary.** The `postgres` client blocks on a runtime of its
//!   own, which must not happen on a thread that drives tokio tasks: every
//!   call goes through [`blocking`] (`block_in_place` on a multi-threaded
//!   runtime, a scoped thread on a current-thread one, directly elsewhere).
//! - **Citus.** The tables are small and per team: on Citus they stay on
//!   the coordinator (or become reference tables); none is distributed and
//!   none is in `ascribe_store_pg::DISTRIBUTION`.

use crate::db::*;
use postgres::types::ToSql;
use postgres::{NoTls, Row};
use r2d2_postgres::PostgresConnectionManager;
use std::collections::BTreeMap;
use std::time::Duration;

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
type Conn = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// The server schema version this ascribe writes.
pub const SCHEMA_VERSION: i64 = 1;

/// The key of the server's version row in `ascribe_meta`.
pub const VERSION_KEY: &str = "server_schema_version";

/// Connections in the pool unless [`PgServerStore::open_with`] says otherwise.
pub const DEFAULT_POOL_SIZE: u32 = 16;

/// `MIGRATIONS[i]` takes the server schema from version `i` to `i + 1`.
/// Append only; never edit an entry that has shipped.
pub const MIGRATIONS: &[&str] = &["
CREATE TABLE srv_user (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    role          text NOT NULL,
    password_hash text NOT NULL,
    created       bigint NOT NULL
);
CREATE TABLE srv_session (
    id_hash text PRIMARY KEY,
    user_id bigint NOT NULL,
    csrf    text NOT NULL,
    expires bigint NOT NULL
);
CREATE INDEX srv_session_user ON srv_session (user_id);
CREATE TABLE srv_token (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL,
    name       text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created    bigint NOT NULL,
    last_used  bigint
);
CREATE TABLE srv_case (
    id      bigserial PRIMARY KEY,
    owner   bigint NOT NULL,
    title   text NOT NULL,
    version bigint NOT NULL,
    created bigint NOT NULL,
    updated bigint NOT NULL
);
CREATE TABLE srv_case_version (
    case_id   bigint NOT NULL,
    version   bigint NOT NULL,
    author    bigint NOT NULL,
    created   bigint NOT NULL,
    message   text NOT NULL,
    case_toml text NOT NULL,
    files     text NOT NULL,
    PRIMARY KEY (case_id, version)
);
CREATE TABLE srv_share (
    case_id bigint NOT NULL,
    user_id bigint NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE TABLE srv_job (
    id       bigserial PRIMARY KEY,
    case_id  bigint NOT NULL,
    version  bigint NOT NULL,
    user_id  bigint NOT NULL,
    state    text NOT NULL,
    progress text NOT NULL,
    error    text,
    created  bigint NOT NULL,
    updated  bigint NOT NULL
);
CREATE INDEX srv_job_case ON srv_job (case_id);
CREATE TABLE srv_assessment (
    id       bigserial PRIMARY KEY,
    case_id  bigint NOT NULL,
    version  bigint NOT NULL,
    job_id   bigint NOT NULL,
    created  bigint NOT NULL,
    json     text NOT NULL,
    summary  text NOT NULL,
    analysed text
);
CREATE INDEX srv_assessment_case ON srv_assessment (case_id, version);
CREATE TABLE srv_audit (
    id        bigserial PRIMARY KEY,
    at        bigint NOT NULL,
    user_name text NOT NULL,
    action    text NOT NULL,
    target    text NOT NULL,
    detail    text NOT NULL
);
"];

/// The advisory lock every ascribe migration of a database takes: the
/// same id as `ascribe-store-pg`'s (`ascr` in ASCII), so that the store's
/// and the server's migrations never run at once (both create
/// `ascribe_meta` when it is missing).
const MIGRATION_LOCK: i64 = 0x6173_6372;

/// Run `f`, which blocks on the `postgres` client, without blocking a
/// thread that drives tokio tasks.
pub fn blocking<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        // a current-thread runtime cannot give its thread away
        Ok(_) => std::thread::scope(|s| match s.spawn(f).join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        }),
        Err(_) => f(),
    }
}

/// A value whose drop blocks on the `postgres` client (it closes
/// connections): dropped through [`blocking`], so that the last owner may
/// go away on an async thread (a request, a test, the server's shutdown).
pub struct OffRuntime<T: Send>(Option<T>);

impl<T: Send> OffRuntime<T> {
    pub fn new(v: T) -> OffRuntime<T> {
        OffRuntime(Some(v))
    }
}

impl<T: Send> std::ops::Deref for OffRuntime<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // `None` only inside `drop`
        self.0
            .as_ref()
            .expect("OffRuntime holds its value until dropped")
    }
}

impl<T: Send> std::ops::DerefMut for OffRuntime<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0
            .as_mut()
            .expect("OffRuntime holds its value until dropped")
    }
}

impl<T: Send> Drop for OffRuntime<T> {
    fn drop(&mut self) {
        if let Some(v) = self.0.take() {
            blocking(move || drop(v));
        }
    }
}

/// The knowledge-base store's indicators ([`ascribe_store_pg::PgStore`], or
/// a sharded store by its coordinator) as the server shares them between
/// analyses and look-ups: every call and the final drop off the async
/// threads.
pub struct PgIntel(pub OffRuntime<ascribe_store_pg::shard::AnyPgStore>);

impl ascribe_store::IntelStore for PgIntel {
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[ascribe_core::IntelRecord],
    ) -> Result<ascribe_store::PutSummary, ascribe_store::StoreError> {
        let s = &mut *self.0;
        blocking(move || s.put_intel(origin, records))
    }
    fn intel_lookup(
        &self,
        keys: &[String],
    ) -> Result<Vec<(String, ascribe_core::IntelRecord)>, ascribe_store::StoreError> {
        blocking(|| self.0.intel_lookup(keys))
    }
    fn intel_key_actor_counts(
        &self,
        keys: &[String],
    ) -> Result<std::collections::HashMap<String, usize>, ascribe_store::StoreError> {
        blocking(|| self.0.intel_key_actor_counts(keys))
    }
    fn intel_sources(
        &self,
    ) -> Result<Vec<ascribe_core::IntelSourceInfo>, ascribe_store::StoreError> {
        blocking(|| self.0.intel_sources())
    }
    fn remove_intel_sources(
        &mut self,
        sources: &[String],
    ) -> Result<usize, ascribe_store::StoreError> {
        let s = &mut *self.0;
        blocking(move || s.remove_intel_sources(sources))
    }
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut m = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                m.push_str(": ");
                m.push_str(&s.to_string());
                src = s.source();
            }
            m
        }
    }
}

/// The server's storage on PostgreSQL.
pub struct PgServerStore {
    pool: OffRuntime<Pool>,
    /// The database as shown in messages (no password).
    name: String,
}

impl std::fmt::Debug for PgServerStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgServerStore")
            .field("db", &self.name)
            .finish()
    }
}

impl PgServerStore {
    /// Connect to `url` (`postgres://user:password@host:port/db`), apply
    /// the server's migrations and open a pool of
    /// [`DEFAULT_POOL_SIZE`] connections. Tables live in the connection's
    /// default schema.
    pub fn open(url: &str) -> DbResult<PgServerStore> {
        Self::open_with(url, None, DEFAULT_POOL_SIZE)
    }

    /// Like [`PgServerStore::open`], with every table in `schema` (created
    /// when missing; lower-case letters, digits and `_`): one server per
    /// test or tenant in one database.
    pub fn open_in_schema(url: &str, schema: &str) -> DbResult<PgServerStore> {
        Self::open_with(url, Some(schema), DEFAULT_POOL_SIZE)
    }

    /// The general form: an optional schema and the pool size (at least 1).
    pub fn open_with(url: &str, schema: Option<&str>, pool_size: u32) -> DbResult<PgServerStore> {
        blocking(|| Self::open_blocking(url, schema, pool_size))
    }

    fn open_blocking(url: &str, schema: Option<&str>, pool_size: u32) -> DbResult<PgServerStore> {
        let name = ascribe_store_pg::redact_url(url);
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            DbError::Backend(format!("{name}: not a PostgreSQL URL: {}", pg_message(&e)))
        })?;
        let connect_err = |e: postgres::Error| {
            DbError::Backend(format!(
                "cannot connect to PostgreSQL at {name}: {}; check --database / ASCRIBE_DATABASE and that the server runs",
                pg_message(&e)
            ))
        };
        // one plain connection first: a clear error at once when the
        // database is unreachable, the schema, then the migrations
        let mut client = config.connect(NoTls).map_err(connect_err)?;
        if let Some(s) = schema {
            if s.is_empty()
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(DbError::Backend(format!(
                    "{name}: schema name {s:?}: use lower-case letters, digits and _"
                )));
            }
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
                ))
                .map_err(|e| {
                    DbError::Backend(format!("{name} (creating schema {s}): {}", pg_message(&e)))
                })?;
            // every pooled connection works in it too
            config.options(&format!("-c search_path={s}"));
        }
        migrate(&mut client, &name)?;
        drop(client);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(pool_size.clamp(1, 2)))
            .connection_timeout(Duration::from_secs(30))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| DbError::Backend(format!("{name} (opening the connection pool): {e}")))?;
        Ok(PgServerStore {
            pool: OffRuntime::new(pool),
            name,
        })
    }

    /// The database, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The server schema version stored in the database.
    pub fn schema_version(&self) -> DbResult<i64> {
        self.with(|c| {
            let v: Option<String> = c
                .query_opt(
                    "SELECT value FROM ascribe_meta WHERE key = $1",
                    &[&VERSION_KEY],
                )?
                .map(|r| r.get(0));
            Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
        })
    }

    /// Write the server's version row (tests fake a newer schema with it).
    pub fn set_schema_version(&self, v: i64) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE ascribe_meta SET value = $2 WHERE key = $1",
                &[&VERSION_KEY, &v.to_string()],
            )?;
            Ok(())
        })
    }

    /// Run `f` on a pooled connection, off the async threads; PostgreSQL
    /// errors become [`DbError::Backend`] naming the database.
    fn with<T: Send>(&self, f: impl FnOnce(&mut Conn) -> Result<T, PgErr> + Send) -> DbResult<T> {
        blocking(|| {
            let mut c = self.pool.get().map_err(|e| {
                DbError::Backend(format!("{}: no connection from the pool: {e}", self.name))
            })?;
            f(&mut c).map_err(|e| match e {
                PgErr::Pg(e) => DbError::Backend(format!("{}: {}", self.name, pg_message(&e))),
                PgErr::Db(e) => e,
            })
        })
    }
}

/// An error inside [`PgServerStore::with`]: PostgreSQL's, or one of ours.
enum PgErr {
    Pg(postgres::Error),
    Db(DbError),
}

impl From<postgres::Error> for PgErr {
    fn from(e: postgres::Error) -> PgErr {
        PgErr::Pg(e)
    }
}

impl From<DbError> for PgErr {
    fn from(e: DbError) -> PgErr {
        PgErr::Db(e)
    }
}

impl From<serde_json::Error> for PgErr {
    fn from(e: serde_json::Error) -> PgErr {
        PgErr::Db(DbError::Json(e))
    }
}

/// Apply the server's migrations in one transaction under the migration lock.
fn migrate(client: &mut postgres::Client, name: &str) -> DbResult<()> {
    let err = |what: &str, e: postgres::Error| {
        DbError::Backend(format!("{name} ({what}): {}", pg_message(&e)))
    };
    let mut tx = client
        .transaction()
        .map_err(|e| err("starting the migration", e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(|e| err("locking for migration", e))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS ascribe_meta (key text PRIMARY KEY, value text NOT NULL)",
    )
    .map_err(|e| err("creating ascribe_meta", e))?;
    let found: Option<String> = tx
        .query_opt(
            "SELECT value FROM ascribe_meta WHERE key = $1",
            &[&VERSION_KEY],
        )
        .map_err(|e| err("reading the server schema version", e))?
        .map(|r| r.get(0));
    let found: i64 = match found {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            DbError::Backend(format!(
                "{name}: {VERSION_KEY} {v:?} in ascribe_meta is not a number; this is not an ascribe server database"
            ))
        })?,
    };
    if found > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            db: name.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        tx.batch_execute(m)
            .map_err(|e| err(&format!("server migration to version {}", i + 1), e))?;
    }
    if found < SCHEMA_VERSION {
        tx.execute(
            "INSERT INTO ascribe_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&VERSION_KEY, &SCHEMA_VERSION.to_string()],
        )
        .map_err(|e| err("recording the server schema version", e))?;
    }
    tx.commit().map_err(|e| err("committing the migration", e))
}

fn user_row(r: &Row) -> User {
    let role: String = r.get(2);
    User {
        id: r.get(0),
        name: r.get(1),
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        password_hash: r.get(3),
        created: r.get(4),
    }
}

fn case_row(r: &Row) -> CaseRow {
    CaseRow {
        id: r.get(0),
        title: r.get(1),
        owner: r.get(2),
        version: r.get(3),
        created: r.get(4),
        updated: r.get(5),
    }
}

fn job_row(r: &Row) -> JobRow {
    JobRow {
        id: r.get(0),
        case_id: r.get(1),
        version: r.get(2),
        state: r.get(3),
        progress: r.get(4),
        error: r.get(5),
        created: r.get(6),
        updated: r.get(7),
    }
}

fn assessment_row(r: &Row) -> AssessmentRow {
    AssessmentRow {
        case_id: r.get(0),
        version: r.get(1),
        job_id: r.get(2),
        created: r.get(3),
        json: r.get(4),
        summary: r.get(5),
        analysed: r.get(6),
    }
}

const CASE_COLS: &str = "c.id, c.title, u.name, c.version, c.created, c.updated FROM srv_case c JOIN srv_user u ON u.id = c.owner";

impl ServerStore for PgServerStore {
    fn user_count(&self) -> DbResult<i64> {
        self.with(|c| Ok(c.query_one("SELECT count(*) FROM srv_user", &[])?.get(0)))
    }

    fn create_user(&self, name: &str, role: Role, password_hash: &str, now: i64) -> DbResult<User> {
        self.with(|c| {
            let row = c.query_opt(
                "INSERT INTO srv_user (name, role, password_hash, created) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING RETURNING id",
                &[&name, &role.as_str(), &password_hash, &now],
            )?;
            let Some(row) = row else {
                return Err(DbError::Exists(format!("user '{name}'")).into());
            };
            Ok(User {
                id: row.get(0),
                name: name.to_string(),
                role,
                password_hash: password_hash.to_string(),
                created: now,
            })
        })
    }

    fn user_by_name(&self, name: &str) -> DbResult<Option<User>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT id, name, role, password_hash, created FROM srv_user WHERE name = $1",
                &[&name],
            )?
            .as_ref()
            .map(user_row))
        })
    }

    fn user_by_id(&self, id: i64) -> DbResult<Option<User>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT id, name, role, password_hash, created FROM srv_user WHERE id = $1",
                &[&id],
            )?
            .as_ref()
            .map(user_row))
        })
    }

    fn users(&self) -> DbResult<Vec<User>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT id, name, role, password_hash, created FROM srv_user ORDER BY name COLLATE \"C\"",
                &[],
            )?
            .iter()
            .map(user_row)
            .collect())
        })
    }

    fn set_password(&self, user_id: i64, password_hash: &str) -> DbResult<()> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            tx.execute(
                "UPDATE srv_user SET password_hash = $1 WHERE id = $2",
                &[&password_hash, &user_id],
            )?;
            // a new password ends every session of the user
            tx.execute("DELETE FROM srv_session WHERE user_id = $1", &[&user_id])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn create_session(&self, s: &Session) -> DbResult<()> {
        self.with(|c| {
            // expired sessions go when new ones come
            c.execute(
                "DELETE FROM srv_session WHERE expires < $1",
                &[&(s.expires - crate::auth::SESSION_SECS)],
            )?;
            c.execute(
                "INSERT INTO srv_session (id_hash, user_id, csrf, expires) VALUES ($1, $2, $3, $4)",
                &[&s.id_hash, &s.user_id, &s.csrf, &s.expires],
            )?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str, now: i64) -> DbResult<Option<Session>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT id_hash, user_id, csrf, expires FROM srv_session WHERE id_hash = $1 AND expires > $2",
                &[&id_hash, &now],
            )?
            .map(|r| Session {
                id_hash: r.get(0),
                user_id: r.get(1),
                csrf: r.get(2),
                expires: r.get(3),
            }))
        })
    }

    fn delete_session(&self, id_hash: &str) -> DbResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM srv_session WHERE id_hash = $1", &[&id_hash])?;
            Ok(())
        })
    }

    fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> DbResult<ApiToken> {
        self.with(|c| {
            let id: i64 = c
                .query_one(
                    "INSERT INTO srv_token (user_id, name, token_hash, created) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&user_id, &name, &token_hash, &now],
                )?
                .get(0);
            Ok(ApiToken {
                id,
                user_id,
                name: name.to_string(),
                created: now,
                last_used: None,
            })
        })
    }

    fn token_user(&self, token_hash: &str, now: i64) -> DbResult<Option<i64>> {
        self.with(|c| {
            let u: Option<i64> = c
                .query_opt(
                    "SELECT user_id FROM srv_token WHERE token_hash = $1",
                    &[&token_hash],
                )?
                .map(|r| r.get(0));
            if u.is_some() {
                // at most one write a minute per token, not one per request
                c.execute(
                    "UPDATE srv_token SET last_used = $1 WHERE token_hash = $2 AND (last_used IS NULL OR last_used < $3)",
                    &[&now, &token_hash, &(now - 60)],
                )?;
            }
            Ok(u)
        })
    }

    fn tokens(&self, user_id: i64) -> DbResult<Vec<ApiToken>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT id, user_id, name, created, last_used FROM srv_token WHERE user_id = $1 ORDER BY id",
                &[&user_id],
            )?
            .iter()
            .map(|r| ApiToken {
                id: r.get(0),
                user_id: r.get(1),
                name: r.get(2),
                created: r.get(3),
                last_used: r.get(4),
            })
            .collect())
        })
    }

    fn delete_token(&self, user_id: i64, id: i64) -> DbResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "DELETE FROM srv_token WHERE id = $1 AND user_id = $2",
                &[&id, &user_id],
            )? > 0)
        })
    }

    fn create_case(
        &self,
        owner: i64,
        title: &str,
        content: &CaseContent,
        now: i64,
    ) -> DbResult<CaseRow> {
        let files = serde_json::to_string(&content.files)?;
        self.with(|c| {
            let mut tx = c.transaction()?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO srv_case (owner, title, version, created, updated) VALUES ($1, $2, 1, $3, $3) RETURNING id",
                    &[&owner, &title, &now],
                )?
                .get(0);
            tx.execute(
                "INSERT INTO srv_case_version (case_id, version, author, created, message, case_toml, files) VALUES ($1, 1, $2, $3, 'created', $4, $5)",
                &[&id, &owner, &now, &content.case_toml, &files],
            )?;
            let row = case_row(&tx.query_one(&format!("SELECT {CASE_COLS} WHERE c.id = $1"), &[&id])?);
            tx.commit()?;
            Ok(row)
        })
    }

    fn cases(&self, user: Option<i64>) -> DbResult<Vec<CaseRow>> {
        self.with(|c| {
            let rows = match user {
                None => c.query(
                    &format!("SELECT {CASE_COLS} ORDER BY c.updated DESC, c.id DESC"),
                    &[],
                )?,
                Some(u) => c.query(
                    &format!(
                        "SELECT {CASE_COLS} WHERE c.owner = $1 OR c.id IN (SELECT case_id FROM srv_share WHERE user_id = $1) ORDER BY c.updated DESC, c.id DESC"
                    ),
                    &[&u],
                )?,
            };
            Ok(rows.iter().map(case_row).collect())
        })
    }

    fn case(&self, id: i64) -> DbResult<Option<(CaseRow, i64)>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT c.id, c.title, u.name, c.version, c.created, c.updated, c.owner FROM srv_case c JOIN srv_user u ON u.id = c.owner WHERE c.id = $1",
                &[&id],
            )?
            .map(|r| (case_row(&r), r.get(6))))
        })
    }

    fn update_case(&self, id: i64, expected: i64, v: &NewVersion) -> DbResult<i64> {
        let NewVersion {
            author,
            title,
            content,
            message,
            now,
        } = *v;
        let files = serde_json::to_string(&content.files)?;
        let case_toml = content.case_toml.as_str();
        self.with(|c| {
            let mut tx = c.transaction()?;
            // the row lock orders concurrent writers; the one that waited
            // re-reads the row and no longer finds `expected`
            let n = tx.execute(
                "UPDATE srv_case SET version = version + 1, title = $1, updated = $2 WHERE id = $3 AND version = $4",
                &[&title, &now, &id, &expected],
            )?;
            if n == 0 {
                let current: Option<i64> = tx
                    .query_opt("SELECT version FROM srv_case WHERE id = $1", &[&id])?
                    .map(|r| r.get(0));
                return Err(match current {
                    Some(current) => DbError::Conflict { current },
                    None => DbError::NotFound,
                }
                .into());
            }
            let version = expected + 1;
            tx.execute(
                "INSERT INTO srv_case_version (case_id, version, author, created, message, case_toml, files) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&id, &version, &author, &now, &message, &case_toml, &files],
            )?;
            tx.commit()?;
            Ok(version)
        })
    }

    fn delete_case(&self, id: i64) -> DbResult<()> {
        self.with(|c| {
            let mut tx = c.transaction()?;
            // the case row first: its lock waits for an update in flight,
            // whose version row the deletes below then see
            let n = tx.execute("DELETE FROM srv_case WHERE id = $1", &[&id])?;
            for t in ["srv_case_version", "srv_share", "srv_job", "srv_assessment"] {
                tx.execute(&format!("DELETE FROM {t} WHERE case_id = $1"), &[&id])?;
            }
            tx.commit()?;
            if n == 0 {
                Err(DbError::NotFound.into())
            } else {
                Ok(())
            }
        })
    }

    fn versions(&self, case_id: i64) -> DbResult<Vec<VersionRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT v.version, u.name, v.created, v.message FROM srv_case_version v LEFT JOIN srv_user u ON u.id = v.author WHERE v.case_id = $1 ORDER BY v.version",
                &[&case_id],
            )?
            .iter()
            .map(|r| VersionRow {
                version: r.get(0),
                author: r
                    .get::<_, Option<String>>(1)
                    .unwrap_or_else(|| "(deleted user)".into()),
                created: r.get(2),
                message: r.get(3),
            })
            .collect())
        })
    }

    fn content(&self, case_id: i64, version: i64) -> DbResult<Option<CaseContent>> {
        self.with(|c| {
            match c.query_opt(
                "SELECT case_toml, files FROM srv_case_version WHERE case_id = $1 AND version = $2",
                &[&case_id, &version],
            )? {
                None => Ok(None),
                Some(r) => Ok(Some(CaseContent {
                    case_toml: r.get(0),
                    files: serde_json::from_str(r.get::<_, &str>(1))?,
                })),
            }
        })
    }

    fn referenced_blobs(&self) -> DbResult<Vec<String>> {
        self.with(|c| {
            let mut out = std::collections::BTreeSet::new();
            for r in c.query("SELECT files FROM srv_case_version", &[])? {
                let m: BTreeMap<String, FileRef> = serde_json::from_str(r.get::<_, &str>(0))?;
                out.extend(m.into_values().map(|f| f.sha256));
            }
            Ok(out.into_iter().collect())
        })
    }

    fn share(&self, case_id: i64, user_id: i64) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO srv_share (case_id, user_id) VALUES ($1, $2) ON CONFLICT (case_id, user_id) DO NOTHING",
                &[&case_id, &user_id],
            )?;
            Ok(())
        })
    }

    fn unshare(&self, case_id: i64, user_id: i64) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM srv_share WHERE case_id = $1 AND user_id = $2",
                &[&case_id, &user_id],
            )?;
            Ok(())
        })
    }

    fn shares(&self, case_id: i64) -> DbResult<Vec<String>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT u.name FROM srv_share s JOIN srv_user u ON u.id = s.user_id WHERE s.case_id = $1 ORDER BY u.name COLLATE \"C\"",
                &[&case_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }

    fn is_shared(&self, case_id: i64, user_id: i64) -> DbResult<bool> {
        self.with(|c| {
            Ok(c.query_one(
                "SELECT EXISTS (SELECT 1 FROM srv_share WHERE case_id = $1 AND user_id = $2)",
                &[&case_id, &user_id],
            )?
            .get(0))
        })
    }

    fn create_job(&self, case_id: i64, version: i64, user: i64, now: i64) -> DbResult<i64> {
        self.with(|c| {
            Ok(c.query_one(
                "INSERT INTO srv_job (case_id, version, user_id, state, progress, created, updated) VALUES ($1, $2, $3, 'queued', 'waiting for a worker', $4, $4) RETURNING id",
                &[&case_id, &version, &user, &now],
            )?
            .get(0))
        })
    }

    /// Only on an idle pooled connection: under load an analysis must not
    /// queue behind the clients' requests just to say which stage it is in.
    fn note_job_progress(&self, id: i64, progress: &str, now: i64) -> DbResult<bool> {
        blocking(|| {
            let Some(mut c) = self.pool.try_get() else {
                return Ok(false);
            };
            c.execute(
                "UPDATE srv_job SET state = 'running', progress = $1, updated = $2 WHERE id = $3",
                &[&progress, &now, &id],
            )
            .map_err(|e| DbError::Backend(format!("{}: {}", self.name, pg_message(&e))))?;
            Ok(true)
        })
    }

    fn set_job(
        &self,
        id: i64,
        state: &str,
        progress: &str,
        error: Option<&str>,
        now: i64,
    ) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "UPDATE srv_job SET state = $1, progress = $2, error = $3, updated = $4 WHERE id = $5",
                &[&state, &progress, &error, &now, &id],
            )?;
            Ok(())
        })
    }

    fn job(&self, id: i64) -> DbResult<Option<JobRow>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT id, case_id, version, state, progress, error, created, updated FROM srv_job WHERE id = $1",
                &[&id],
            )?
            .as_ref()
            .map(job_row))
        })
    }

    fn fail_stale_jobs(&self, now: i64) -> DbResult<usize> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE srv_job SET state = 'failed', error = 'the server stopped before the job finished', updated = $1 WHERE state IN ('queued', 'running')",
                &[&now],
            )? as usize)
        })
    }

    fn put_assessment(&self, a: &AssessmentRow) -> DbResult<()> {
        self.with(|c| {
            let params: [&(dyn ToSql + Sync); 7] = [
                &a.case_id,
                &a.version,
                &a.job_id,
                &a.created,
                &a.json,
                &a.summary,
                &a.analysed,
            ];
            c.execute(
                "INSERT INTO srv_assessment (case_id, version, job_id, created, json, summary, analysed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &params,
            )?;
            Ok(())
        })
    }

    fn assessments(&self, case_id: i64) -> DbResult<Vec<AssessmentRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT a.case_id, a.version, a.job_id, a.created, '', a.summary, NULL::text FROM srv_assessment a WHERE a.case_id = $1 AND a.id = (SELECT max(b.id) FROM srv_assessment b WHERE b.case_id = a.case_id AND b.version = a.version) ORDER BY a.version",
                &[&case_id],
            )?
            .iter()
            .map(assessment_row)
            .collect())
        })
    }

    fn assessment(&self, case_id: i64, version: i64) -> DbResult<Option<AssessmentRow>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT case_id, version, job_id, created, json, summary, analysed FROM srv_assessment WHERE case_id = $1 AND version = $2 ORDER BY id DESC LIMIT 1",
                &[&case_id, &version],
            )?
            .as_ref()
            .map(assessment_row))
        })
    }

    fn audit(
        &self,
        user: &str,
        action: &str,
        target: &str,
        detail: &str,
        now: i64,
    ) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO srv_audit (at, user_name, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
                &[&now, &user, &action, &target, &detail],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, limit: i64) -> DbResult<Vec<AuditRow>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT id, at, user_name, action, target, detail FROM srv_audit ORDER BY id DESC LIMIT $1",
                &[&limit],
            )?
            .iter()
            .map(|r| AuditRow {
                id: r.get(0),
                at: r.get(1),
                user: r.get(2),
                action: r.get(3),
                target: r.get(4),
                detail: r.get(5),
            })
            .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Progress is advisory: with every pooled connection busy it is skipped
    /// at once (`Ok(false)`), never waited for; with one idle it is written.
    #[test]
    fn progress_is_skipped_not_waited_for_when_the_pool_is_busy() {
        let Ok(url) = std::env::var("ASCRIBE_TEST_PG_URL") else {
            assert!(
                std::env::var("ASCRIBE_TEST_PG").is_err(),
                "ASCRIBE_TEST_PG is set but ASCRIBE_TEST_PG_URL is not"
            );
            eprintln!("skipped: ASCRIBE_TEST_PG_URL is not set (no PostgreSQL)");
            return;
        };
        let schema = format!("srv_progress_{}", std::process::id());
        let db = PgServerStore::open_with(&url, Some(&schema), 1).unwrap();
        let user = db.create_user("analyst", Role::Analyst, "x", 1).unwrap().id;
        let case = db
            .create_case(
                user,
                "c",
                &CaseContent {
                    case_toml: "[case]\n".into(),
                    files: Default::default(),
                },
                1,
            )
            .unwrap();
        let job = db.create_job(case.id, 1, user, 1).unwrap();
        // the only connection is held: the note is skipped without waiting
        let started = std::time::Instant::now();
        let held = db
            .with(|_c| Ok(db.note_job_progress(job, "reading reports", 2)))
            .unwrap();
        assert!(!held.unwrap());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            db.job(job).unwrap().unwrap().progress,
            "waiting for a worker"
        );
        // idle again: written
        assert!(db.note_job_progress(job, "reading reports", 3).unwrap());
        let row = db.job(job).unwrap().unwrap();
        assert_eq!(
            (row.state.as_str(), row.progress.as_str()),
            ("running", "reading reports")
        );
        drop(db);
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    }
}
