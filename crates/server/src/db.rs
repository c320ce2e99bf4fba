//! Server storage behind one trait ([`ServerStore`]); [`SqliteServerStore`]
//! is the embedded backend (its own `server.db` in the data directory, WAL),
//! `crate::pgdb::PgServerStore` (cargo feature `postgres`) the PostgreSQL
//! one. Both keep a schema version and refuse a database written by a newer
//! ascribe; `tests/api.rs` runs the whole API on both.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// A storage error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database: {0}")]
    Json(#[from] serde_json::Error),
    /// Another backend's failure (PostgreSQL), with what it was doing.
    #[error("database {0}")]
    Backend(String),
    /// The database was written by a newer ascribe.
    #[error("database {db} has server schema version {found}, newer than this ascribe supports ({supported}); upgrade ascribe or use another database")]
    TooNew {
        db: String,
        found: i64,
        supported: i64,
    },
    #[error("the case was changed meanwhile (now version {current})")]
    Conflict { current: i64 },
    #[error("not found")]
    NotFound,
    #[error("{0} already exists")]
    Exists(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// A role: what a user may do everywhere (per-case access is separate).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the cases shared with them.
    Viewer,
    /// Creates cases, edits and analyses the cases they own or that are shared with them.
    Analyst,
    /// Everything, every case, users and the audit log.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub created: i64,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub expires: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used: Option<i64>,
}

/// One evidence file of a case version: its path in the case directory
/// and the content address of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileRef {
    pub sha256: String,
    pub size: u64,
}

/// A case's content at one version.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseContent {
    pub case_toml: String,
    /// Path in the case directory → content address.
    pub files: BTreeMap<String, FileRef>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub version: i64,
    pub created: i64,
    pub updated: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionRow {
    pub version: i64,
    pub author: String,
    pub created: i64,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobRow {
    pub id: i64,
    pub case_id: i64,
    pub version: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// What the job is doing now.
    pub progress: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub created: i64,
    pub updated: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub user: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A new version of a case.
#[derive(Clone, Copy)]
pub struct NewVersion<'a> {
    pub author: i64,
    pub title: &'a str,
    pub content: &'a CaseContent,
    pub message: &'a str,
    pub now: i64,
}

/// One stored assessment: the case version it came from and the job.
#[derive(Debug, Clone)]
pub struct AssessmentRow {
    pub case_id: i64,
    pub version: i64,
    pub job_id: i64,
    pub created: i64,
    /// The full assessment (empty in lists).
    pub json: String,
    /// Its short form for the history (verdict, state line, hypotheses).
    pub summary: String,
    /// The case as analysed (`ascribe_core::Case` as JSON: its
    /// observations, those the extractors found included, and the analysis
    /// date), which the exports need; `None` in lists and for assessments
    /// kept by a server older than schema version 2.
    pub analysed: Option<String>,
}

/// Everything the server persists apart from evidence bytes (content-addressed
/// files) and the knowledge base (`ascribe_store::Store`). Batch-free and
/// small: every method is one transaction.
pub trait ServerStore: Send + Sync {
    fn user_count(&self) -> DbResult<i64>;
    fn create_user(&self, name: &str, role: Role, password_hash: &str, now: i64) -> DbResult<User>;
    fn user_by_name(&self, name: &str) -> DbResult<Option<User>>;
    fn user_by_id(&self, id: i64) -> DbResult<Option<User>>;
    fn users(&self) -> DbResult<Vec<User>>;
    fn set_password(&self, user_id: i64, password_hash: &str) -> DbResult<()>;

    fn create_session(&self, s: &Session) -> DbResult<()>;
    fn session(&self, id_hash: &str, now: i64) -> DbResult<Option<Session>>;
    fn delete_session(&self, id_hash: &str) -> DbResult<()>;

    fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> DbResult<ApiToken>;
    fn token_user(&self, token_hash: &str, now: i64) -> DbResult<Option<i64>>;
    fn tokens(&self, user_id: i64) -> DbResult<Vec<ApiToken>>;
    fn delete_token(&self, user_id: i64, id: i64) -> DbResult<bool>;

    /// A new case at version 1.
    fn create_case(
        &self,
        owner: i64,
        title: &str,
        content: &CaseContent,
        now: i64,
    ) -> DbResult<CaseRow>;
    /// Cases `user` may read (`None`: all of them).
    fn cases(&self, user: Option<i64>) -> DbResult<Vec<CaseRow>>;
    fn case(&self, id: i64) -> DbResult<Option<(CaseRow, i64)>>;
    /// Store a new version when the current one is `expected`; else
    /// [`DbError::Conflict`]. Atomic: concurrent edits never overwrite one another.
    fn update_case(&self, id: i64, expected: i64, v: &NewVersion) -> DbResult<i64>;
    fn delete_case(&self, id: i64) -> DbResult<()>;
    fn versions(&self, case_id: i64) -> DbResult<Vec<VersionRow>>;
    fn content(&self, case_id: i64, version: i64) -> DbResult<Option<CaseContent>>;
    /// Every content address any version of any case uses.
    fn referenced_blobs(&self) -> DbResult<Vec<String>>;

    fn share(&self, case_id: i64, user_id: i64) -> DbResult<()>;
    fn unshare(&self, case_id: i64, user_id: i64) -> DbResult<()>;
    fn shares(&self, case_id: i64) -> DbResult<Vec<String>>;
    fn is_shared(&self, case_id: i64, user_id: i64) -> DbResult<bool>;

    fn create_job(&self, case_id: i64, version: i64, user: i64, now: i64) -> DbResult<i64>;
    fn set_job(
        &self,
        id: i64,
        state: &str,
        progress: &str,
        error: Option<&str>,
        now: i64,
    ) -> DbResult<()>;
    /// Record a running job's progress text. Progress is advisory: an
    /// implementation may skip the write rather than wait for a busy
    /// resource (it then returns `Ok(false)`); the job's states (`running`,
    /// `done`, `failed`) always go through [`ServerStore::set_job`], which waits.
    fn note_job_progress(&self, id: i64, progress: &str, now: i64) -> DbResult<bool> {
        self.set_job(id, "running", progress, None, now)
            .map(|()| true)
    }
    fn job(&self, id: i64) -> DbResult<Option<JobRow>>;
    /// Jobs left queued or running by a previous process: marked failed.
    fn fail_stale_jobs(&self, now: i64) -> DbResult<usize>;

    fn put_assessment(&self, a: &AssessmentRow) -> DbResult<()>;
    /// The latest assessment of each analysed version, oldest version first.
    fn assessments(&self, case_id: i64) -> DbResult<Vec<AssessmentRow>>;
    fn assessment(&self, case_id: i64, version: i64) -> DbResult<Option<AssessmentRow>>;

    fn audit(&self, user: &str, action: &str, target: &str, detail: &str, now: i64)
        -> DbResult<()>;
    fn audit_log(&self, limit: i64) -> DbResult<Vec<AuditRow>>;
}

/// The embedded backend.
pub struct SqliteServerStore {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created INTEGER NOT NULL, last_used INTEGER);
CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, title TEXT NOT NULL, version INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS case_versions (case_id INTEGER NOT NULL, version INTEGER NOT NULL, author INTEGER NOT NULL, created INTEGER NOT NULL, message TEXT NOT NULL, case_toml TEXT NOT NULL, files TEXT NOT NULL, PRIMARY KEY (case_id, version));
CREATE TABLE IF NOT EXISTS shares (case_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (case_id, user_id));
CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, version INTEGER NOT NULL, user_id INTEGER NOT NULL, state TEXT NOT NULL, progress TEXT NOT NULL, error TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS assessments (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, version INTEGER NOT NULL, job_id INTEGER NOT NULL, created INTEGER NOT NULL, json TEXT NOT NULL, summary TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS assessments_case ON assessments (case_id, version);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_name TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
";

/// The server schema version of `server.db` (in `meta`, key `schema`).
pub const SQLITE_SCHEMA_VERSION: i64 = 2;

/// `SQLITE_MIGRATIONS[i]` takes version `i + 1` to `i + 2` (version 1 is
/// [`SCHEMA`]).
const SQLITE_MIGRATIONS: &[&str] = &[
    // 2: the case as analysed, kept with its assessment (the exports read it)
    "ALTER TABLE assessments ADD COLUMN analysed TEXT;",
];

impl SqliteServerStore {
    pub fn open(path: &Path) -> DbResult<SqliteServerStore> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema', '1') ON CONFLICT (key) DO NOTHING",
            [],
        )?;
        let found: i64 = tx
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get::<_, String>(0)
            })?
            .parse()
            .unwrap_or(i64::MAX);
        if found > SQLITE_SCHEMA_VERSION {
            return Err(DbError::TooNew {
                db: path.display().to_string(),
                found,
                supported: SQLITE_SCHEMA_VERSION,
            });
        }
        for m in SQLITE_MIGRATIONS.iter().skip(found.max(1) as usize - 1) {
            tx.execute_batch(m)?;
        }
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'schema'",
            [SQLITE_SCHEMA_VERSION.to_string()],
        )?;
        tx.commit()?;
        Ok(SqliteServerStore {
            conn: Mutex::new(conn),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> DbResult<T>) -> DbResult<T> {
        // a panic while holding the lock cannot leave a half-written
        // transaction (rusqlite rolls back on drop), so a poisoned lock is usable
        let mut c = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut c)
    }
}

fn user_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        password_hash: r.get(3)?,
        created: r.get(4)?,
    })
}

fn case_row(r: &rusqlite::Row) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: r.get(0)?,
        title: r.get(1)?,
        owner: r.get(2)?,
        version: r.get(3)?,
        created: r.get(4)?,
        updated: r.get(5)?,
    })
}

fn job_row(r: &rusqlite::Row) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: r.get(0)?,
        case_id: r.get(1)?,
        version: r.get(2)?,
        state: r.get(3)?,
        progress: r.get(4)?,
        error: r.get(5)?,
        created: r.get(6)?,
        updated: r.get(7)?,
    })
}

fn assessment_row(r: &rusqlite::Row) -> rusqlite::Result<AssessmentRow> {
    Ok(AssessmentRow {
        case_id: r.get(0)?,
        version: r.get(1)?,
        job_id: r.get(2)?,
        created: r.get(3)?,
        json: r.get(4)?,
        summary: r.get(5)?,
        analysed: r.get(6)?,
    })
}

const CASE_COLS: &str =
    "c.id, c.title, u.name, c.version, c.created, c.updated FROM cases c JOIN users u ON u.id = c.owner";

impl ServerStore for SqliteServerStore {
    fn user_count(&self) -> DbResult<i64> {
        self.with(|c| Ok(c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?))
    }

    fn create_user(&self, name: &str, role: Role, password_hash: &str, now: i64) -> DbResult<User> {
        self.with(|c| {
            let n = c.execute(
                "INSERT INTO users (name, role, password_hash, created) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING",
                params![name, role.as_str(), password_hash, now],
            )?;
            if n == 0 {
                return Err(DbError::Exists(format!("user '{name}'")));
            }
            Ok(User {
                id: c.last_insert_rowid(),
                name: name.to_string(),
                role,
                password_hash: password_hash.to_string(),
                created: now,
            })
        })
    }

    fn user_by_name(&self, name: &str) -> DbResult<Option<User>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT id, name, role, password_hash, created FROM users WHERE name = ?1",
                [name],
                user_row,
            )
            .optional()?)
        })
    }

    fn user_by_id(&self, id: i64) -> DbResult<Option<User>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT id, name, role, password_hash, created FROM users WHERE id = ?1",
                [id],
                user_row,
            )
            .optional()?)
        })
    }

    fn users(&self) -> DbResult<Vec<User>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT id, name, role, password_hash, created FROM users ORDER BY name",
            )?;
            let v = st.query_map([], user_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }

    fn set_password(&self, user_id: i64, password_hash: &str) -> DbResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![password_hash, user_id],
            )?;
            // a new password ends every session of the user
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn create_session(&self, s: &Session) -> DbResult<()> {
        self.with(|c| {
            // expired sessions go when new ones come
            c.execute(
                "DELETE FROM sessions WHERE expires < ?1",
                [s.expires - crate::auth::SESSION_SECS],
            )?;
            c.execute(
                "INSERT INTO sessions (id_hash, user_id, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
                params![s.id_hash, s.user_id, s.csrf, s.expires],
            )?;
            Ok(())
        })
    }

    fn session(&self, id_hash: &str, now: i64) -> DbResult<Option<Session>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT id_hash, user_id, csrf, expires FROM sessions WHERE id_hash = ?1 AND expires > ?2",
                params![id_hash, now],
                |r| {
                    Ok(Session {
                        id_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        csrf: r.get(2)?,
                        expires: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    fn delete_session(&self, id_hash: &str) -> DbResult<()> {
        self.with(|c| {
            c.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
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
            c.execute(
                "INSERT INTO tokens (user_id, name, token_hash, created) VALUES (?1, ?2, ?3, ?4)",
                params![user_id, name, token_hash, now],
            )?;
            Ok(ApiToken {
                id: c.last_insert_rowid(),
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
                .query_row(
                    "SELECT user_id FROM tokens WHERE token_hash = ?1",
                    [token_hash],
                    |r| r.get(0),
                )
                .optional()?;
            if u.is_some() {
                // at most one write a minute per token, not one per request
                c.execute(
                    "UPDATE tokens SET last_used = ?1 WHERE token_hash = ?2 AND (last_used IS NULL OR last_used < ?1 - 60)",
                    params![now, token_hash],
                )?;
            }
            Ok(u)
        })
    }

    fn tokens(&self, user_id: i64) -> DbResult<Vec<ApiToken>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT id, user_id, name, created, last_used FROM tokens WHERE user_id = ?1 ORDER BY id",
            )?;
            let v = st
                .query_map([user_id], |r| {
                    Ok(ApiToken {
                        id: r.get(0)?,
                        user_id: r.get(1)?,
                        name: r.get(2)?,
                        created: r.get(3)?,
                        last_used: r.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }

    fn delete_token(&self, user_id: i64, id: i64) -> DbResult<bool> {
        self.with(|c| {
            Ok(c.execute(
                "DELETE FROM tokens WHERE id = ?1 AND user_id = ?2",
                params![id, user_id],
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
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO cases (owner, title, version, created, updated) VALUES (?1, ?2, 1, ?3, ?3)",
                params![owner, title, now],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO case_versions (case_id, version, author, created, message, case_toml, files) VALUES (?1, 1, ?2, ?3, 'created', ?4, ?5)",
                params![id, owner, now, content.case_toml, files],
            )?;
            let row = tx.query_row(&format!("SELECT {CASE_COLS} WHERE c.id = ?1"), [id], case_row)?;
            tx.commit()?;
            Ok(row)
        })
    }

    fn cases(&self, user: Option<i64>) -> DbResult<Vec<CaseRow>> {
        self.with(|c| {
            let v = match user {
                None => {
                    let mut st = c.prepare(&format!("SELECT {CASE_COLS} ORDER BY c.updated DESC, c.id DESC"))?;
                    let v = st.query_map([], case_row)?.collect::<Result<Vec<_>, _>>()?;
                    v
                }
                Some(u) => {
                    let mut st = c.prepare(&format!(
                        "SELECT {CASE_COLS} WHERE c.owner = ?1 OR c.id IN (SELECT case_id FROM shares WHERE user_id = ?1) ORDER BY c.updated DESC, c.id DESC"
                    ))?;
                    let v = st.query_map([u], case_row)?.collect::<Result<Vec<_>, _>>()?;
                    v
                }
            };
            Ok(v)
        })
    }

    fn case(&self, id: i64) -> DbResult<Option<(CaseRow, i64)>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT c.id, c.title, u.name, c.version, c.created, c.updated, c.owner FROM cases c JOIN users u ON u.id = c.owner WHERE c.id = ?1",
                [id],
                |r| Ok((case_row(r)?, r.get(6)?)),
            )
            .optional()?)
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
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "UPDATE cases SET version = version + 1, title = ?1, updated = ?2 WHERE id = ?3 AND version = ?4",
                params![title, now, id, expected],
            )?;
            if n == 0 {
                let current: Option<i64> = tx
                    .query_row("SELECT version FROM cases WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                return match current {
                    Some(current) => Err(DbError::Conflict { current }),
                    None => Err(DbError::NotFound),
                };
            }
            let version = expected + 1;
            tx.execute(
                "INSERT INTO case_versions (case_id, version, author, created, message, case_toml, files) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, version, author, now, message, content.case_toml, files],
            )?;
            tx.commit()?;
            Ok(version)
        })
    }

    fn delete_case(&self, id: i64) -> DbResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            for t in ["case_versions", "shares", "jobs", "assessments"] {
                tx.execute(&format!("DELETE FROM {t} WHERE case_id = ?1"), [id])?;
            }
            let n = tx.execute("DELETE FROM cases WHERE id = ?1", [id])?;
            tx.commit()?;
            if n == 0 {
                Err(DbError::NotFound)
            } else {
                Ok(())
            }
        })
    }

    fn versions(&self, case_id: i64) -> DbResult<Vec<VersionRow>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT v.version, u.name, v.created, v.message FROM case_versions v LEFT JOIN users u ON u.id = v.author WHERE v.case_id = ?1 ORDER BY v.version",
            )?;
            let v = st
                .query_map([case_id], |r| {
                    Ok(VersionRow {
                        version: r.get(0)?,
                        author: r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "(deleted user)".into()),
                        created: r.get(2)?,
                        message: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }

    fn content(&self, case_id: i64, version: i64) -> DbResult<Option<CaseContent>> {
        let row: Option<(String, String)> = self.with(|c| {
            Ok(c.query_row(
                "SELECT case_toml, files FROM case_versions WHERE case_id = ?1 AND version = ?2",
                params![case_id, version],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })?;
        match row {
            None => Ok(None),
            Some((case_toml, files)) => Ok(Some(CaseContent {
                case_toml,
                files: serde_json::from_str(&files)?,
            })),
        }
    }

    fn referenced_blobs(&self) -> DbResult<Vec<String>> {
        let all: Vec<String> = self.with(|c| {
            let mut st = c.prepare("SELECT files FROM case_versions")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })?;
        let mut out = std::collections::BTreeSet::new();
        for f in all {
            let m: BTreeMap<String, FileRef> = serde_json::from_str(&f)?;
            out.extend(m.into_values().map(|f| f.sha256));
        }
        Ok(out.into_iter().collect())
    }

    fn share(&self, case_id: i64, user_id: i64) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO shares (case_id, user_id) VALUES (?1, ?2) ON CONFLICT (case_id, user_id) DO NOTHING",
                params![case_id, user_id],
            )?;
            Ok(())
        })
    }

    fn unshare(&self, case_id: i64, user_id: i64) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM shares WHERE case_id = ?1 AND user_id = ?2",
                params![case_id, user_id],
            )?;
            Ok(())
        })
    }

    fn shares(&self, case_id: i64) -> DbResult<Vec<String>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT u.name FROM shares s JOIN users u ON u.id = s.user_id WHERE s.case_id = ?1 ORDER BY u.name",
            )?;
            let v = st.query_map([case_id], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }

    fn is_shared(&self, case_id: i64, user_id: i64) -> DbResult<bool> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM shares WHERE case_id = ?1 AND user_id = ?2",
                params![case_id, user_id],
                |r| r.get::<_, i64>(0),
            )? > 0)
        })
    }

    fn create_job(&self, case_id: i64, version: i64, user: i64, now: i64) -> DbResult<i64> {
        self.with(|c| {
            c.execute(
                "INSERT INTO jobs (case_id, version, user_id, state, progress, created, updated) VALUES (?1, ?2, ?3, 'queued', 'waiting for a worker', ?4, ?4)",
                params![case_id, version, user, now],
            )?;
            Ok(c.last_insert_rowid())
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
                "UPDATE jobs SET state = ?1, progress = ?2, error = ?3, updated = ?4 WHERE id = ?5",
                params![state, progress, error, now, id],
            )?;
            Ok(())
        })
    }

    fn job(&self, id: i64) -> DbResult<Option<JobRow>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT id, case_id, version, state, progress, error, created, updated FROM jobs WHERE id = ?1",
                [id],
                job_row,
            )
            .optional()?)
        })
    }

    fn fail_stale_jobs(&self, now: i64) -> DbResult<usize> {
        self.with(|c| {
            Ok(c.execute(
                "UPDATE jobs SET state = 'failed', error = 'the server stopped before the job finished', updated = ?1 WHERE state IN ('queued', 'running')",
                [now],
            )?)
        })
    }

    fn put_assessment(&self, a: &AssessmentRow) -> DbResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO assessments (case_id, version, job_id, created, json, summary, analysed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![a.case_id, a.version, a.job_id, a.created, a.json, a.summary, a.analysed],
            )?;
            Ok(())
        })
    }

    fn assessments(&self, case_id: i64) -> DbResult<Vec<AssessmentRow>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT a.case_id, a.version, a.job_id, a.created, '', a.summary, NULL FROM assessments a WHERE a.case_id = ?1 AND a.id = (SELECT MAX(b.id) FROM assessments b WHERE b.case_id = a.case_id AND b.version = a.version) ORDER BY a.version",
            )?;
            let v = st.query_map([case_id], assessment_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }

    fn assessment(&self, case_id: i64, version: i64) -> DbResult<Option<AssessmentRow>> {
        self.with(|c| {
            Ok(c.query_row(
                "SELECT case_id, version, job_id, created, json, summary, analysed FROM assessments WHERE case_id = ?1 AND version = ?2 ORDER BY id DESC LIMIT 1",
                params![case_id, version],
                assessment_row,
            )
            .optional()?)
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
                "INSERT INTO audit (at, user_name, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![now, user, action, target, detail],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, limit: i64) -> DbResult<Vec<AuditRow>> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT id, at, user_name, action, target, detail FROM audit ORDER BY id DESC LIMIT ?1",
            )?;
            let v = st
                .query_map([limit], |r| {
                    Ok(AuditRow {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        user: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        detail: r.get(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
    }
}
