//! Persistence for ascribe behind one batch-oriented interface.
//!
//! [`Store`] is what the rest of ascribe programs against; [`SqliteStore`]
//! (bundled SQLite, WAL journal) is the embedded default. The interface moves
//! whole batches — all facts of one source, all of a knowledge base — so that
//! a networked backend pays one round trip per batch, and the SQL is kept
//! portable (plain tables, TEXT/INTEGER columns, no SQLite-only functions).
//!
//! Schema versions are tracked in the `meta` table; opening a store written by
//! a newer ascribe fails with a clear error instead of guessing.

use ascribe_core::{Entity, KbFacts, Relation, SourceInfo};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// Current schema version.
/// Version 2 added the indicator store (`intel_*` tables); a version-1
/// store is migrated on open (the tables are created, nothing else changes).
pub const SCHEMA_VERSION: i64 = 2;

pub mod conformance;
mod intel;
pub use intel::{key_hash, IntelCounts};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open store {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the store directory {path}: {source}; pass --store PATH or set ASCRIBE_STORE to a writable location")]
    Directory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("store {path} has schema version {found}, newer than this ascribe ({supported}); upgrade ascribe or use another --store")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "store {path} is not an ascribe store ({detail}); pass --store PATH (or set ASCRIBE_STORE) to use another file, or run `ascribe kb reset --force` to recreate this one with the default knowledge base (what it holds is lost)"
    )]
    NotAStore { path: PathBuf, detail: String },
    #[error("store error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A networked backend's error (PostgreSQL: connection, SQL, COPY), with
    /// the database named (never its password).
    #[error("{0}")]
    Backend(String),
    #[error("store holds a record that cannot be decoded ({0}); re-import the knowledge base")]
    Decode(String),
}

/// What a batch write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutSummary {
    pub sources: usize,
    pub entities: usize,
    pub relations: usize,
    /// Rows of earlier imports of the same sources that were replaced.
    pub replaced_entities: usize,
}

/// The storage interface.
pub trait Store {
    /// Whether no knowledge-base facts are stored.
    fn kb_is_empty(&self) -> Result<bool, StoreError>;
    /// Store a batch of facts. For every source in the batch, earlier facts of
    /// that source are replaced, atomically: re-importing is idempotent.
    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError>;
    /// Load all knowledge-base facts.
    fn load_kb_facts(&self) -> Result<KbFacts, StoreError>;
    /// The sources of the stored facts.
    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError>;
    /// Remove every knowledge-base fact.
    fn clear_kb(&mut self) -> Result<(), StoreError>;
    /// The ids of the entities stored for one source (empty when the source
    /// is unknown).
    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError>;
    /// Remove the facts of the given sources, atomically; returns the number
    /// of entities removed.
    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError>;
}

/// The threat-intelligence indicator store: records grouped by source,
/// replaced per source, looked up by match key in batches. Implemented by the
/// embedded store and by networked backends; the matching logic
/// (`ascribe-intel`) only sees this trait.
pub trait IntelStore {
    /// Store records. For every source in the batch, earlier records of that
    /// source are replaced, atomically. `origin` says where they came from.
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[ascribe_core::IntelRecord],
    ) -> Result<PutSummary, StoreError>;
    /// Every record having at least one of `keys` among its match keys,
    /// with the key it matched (a record matching several keys appears once
    /// per key). One batch, any number of keys.
    fn intel_lookup(
        &self,
        keys: &[String],
    ) -> Result<Vec<(String, ascribe_core::IntelRecord)>, StoreError>;
    /// For each key, how many distinct actors the stored records carrying
    /// it name (how shared the value is); keys with no record are absent.
    ///
    /// Provided: the distinct actors of [`IntelStore::intel_lookup`]'s
    /// records per key (one batch); a store with a cheaper way overrides it.
    fn intel_key_actor_counts(
        &self,
        keys: &[String],
    ) -> Result<std::collections::HashMap<String, usize>, StoreError> {
        let mut sets: std::collections::HashMap<String, std::collections::HashSet<String>> =
            std::collections::HashMap::new();
        for (k, r) in self.intel_lookup(keys)? {
            sets.entry(k).or_default().extend(r.actors);
        }
        Ok(sets.into_iter().map(|(k, s)| (k, s.len())).collect())
    }
    /// The imported intelligence sources.
    fn intel_sources(&self) -> Result<Vec<ascribe_core::IntelSourceInfo>, StoreError>;
    /// Remove the records of the given sources; returns how many went.
    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError>;
}

/// SQLite-backed store (the embedded default).
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kb_source (
    source_key  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     TEXT,
    sha256      TEXT,
    origin      TEXT,
    licence     TEXT,
    imported_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kb_entity (
    source_key  TEXT NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    external_id TEXT,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (source_key, id)
);
CREATE INDEX IF NOT EXISTS kb_entity_external ON kb_entity (external_id);
CREATE TABLE IF NOT EXISTS kb_relation (
    source_key TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    src        TEXT NOT NULL,
    dst        TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (source_key, seq)
);
";

impl SqliteStore {
    /// Open (creating if needed) a store file. Parent directories are created.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::init(conn, path.to_path_buf())
    }

    /// A private in-memory store (tests, one-shot runs).
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, PathBuf::from(":memory:"))
    }

    fn init(conn: Connection, path: PathBuf) -> Result<SqliteStore, StoreError> {
        let not_a_store = |e: rusqlite::Error| StoreError::NotAStore {
            path: path.clone(),
            detail: e.to_string(),
        };
        // journal_mode returns a row; WAL is refused for in-memory databases.
        let _mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(not_a_store)?;
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            .map_err(not_a_store)?;
        // Reads through a memory map instead of read() calls: batch look-ups
        // touch pages at random in a multi-GB indicator store. (SQLite maps
        // at most what the file holds; 0 where mapping is unsupported.)
        let _: Option<i64> = conn
            .query_row("PRAGMA mmap_size=17179869184", [], |r| r.get(0))
            .optional()
            .map_err(not_a_store)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch(SCHEMA).map_err(not_a_store)?;
        conn.execute_batch(intel::INTEL_SCHEMA)
            .map_err(not_a_store)?;
        let found: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key='schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match found.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(StoreError::TooNew {
                    path,
                    found: v,
                    supported: SCHEMA_VERSION,
                })
            }
            Some(v) if v < SCHEMA_VERSION => {
                // Migration 1 → 2: the intel tables were created above.
                conn.execute(
                    "UPDATE meta SET value=?1 WHERE key='schema_version'",
                    params![SCHEMA_VERSION.to_string()],
                )?;
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?1)",
                    params![SCHEMA_VERSION.to_string()],
                )?;
            }
        }
        Ok(SqliteStore { conn, path })
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read a metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key=?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Write a metadata value.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Store for SqliteStore {
    fn kb_is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM kb_source", [], |r| r.get(0))?;
        Ok(n == 0)
    }

    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError> {
        let tx = self.conn.transaction()?;
        let mut sum = PutSummary::default();
        {
            let now = now_secs();
            let mut del_e = tx.prepare("DELETE FROM kb_entity WHERE source_key=?1")?;
            let mut del_r = tx.prepare("DELETE FROM kb_relation WHERE source_key=?1")?;
            let mut put_s = tx.prepare(
                "INSERT INTO kb_source(source_key, name, version, sha256, origin, licence, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(source_key) DO UPDATE SET name=excluded.name, version=excluded.version,
                   sha256=excluded.sha256, origin=excluded.origin, licence=excluded.licence,
                   imported_at=excluded.imported_at",
            )?;
            for s in &facts.sources {
                sum.replaced_entities += del_e.execute(params![s.key])?;
                del_r.execute(params![s.key])?;
                put_s.execute(params![
                    s.key, s.name, s.version, s.sha256, s.origin, s.licence, now
                ])?;
                sum.sources += 1;
            }
            let mut put_e = tx.prepare(
                "INSERT OR REPLACE INTO kb_entity(source_key, id, kind, external_id, name, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in &facts.entities {
                let data =
                    serde_json::to_string(e).map_err(|e| StoreError::Decode(e.to_string()))?;
                put_e.execute(params![
                    e.source,
                    e.id,
                    e.kind.as_str(),
                    e.external_id,
                    e.name,
                    data
                ])?;
                sum.entities += 1;
            }
            let mut next_seq: std::collections::HashMap<&str, i64> =
                std::collections::HashMap::new();
            let mut max_seq =
                tx.prepare("SELECT COALESCE(MAX(seq), -1) FROM kb_relation WHERE source_key=?1")?;
            let mut put_r = tx.prepare(
                "INSERT INTO kb_relation(source_key, seq, kind, src, dst, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for r in &facts.relations {
                let seq = match next_seq.get_mut(r.source.as_str()) {
                    Some(s) => s,
                    None => {
                        let m: i64 = max_seq.query_row(params![r.source], |row| row.get(0))?;
                        next_seq.entry(r.source.as_str()).or_insert(m)
                    }
                };
                *seq += 1;
                let data =
                    serde_json::to_string(r).map_err(|e| StoreError::Decode(e.to_string()))?;
                put_r.execute(params![r.source, *seq, r.kind.as_str(), r.src, r.dst, data])?;
                sum.relations += 1;
            }
        }
        tx.commit()?;
        Ok(sum)
    }

    fn load_kb_facts(&self) -> Result<KbFacts, StoreError> {
        let mut facts = KbFacts {
            sources: self.kb_sources()?,
            ..Default::default()
        };
        let mut st = self
            .conn
            .prepare("SELECT data FROM kb_entity ORDER BY source_key, id")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let e: Entity =
                serde_json::from_str(&row?).map_err(|e| StoreError::Decode(e.to_string()))?;
            facts.entities.push(e);
        }
        let mut st = self
            .conn
            .prepare("SELECT data FROM kb_relation ORDER BY source_key, seq")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let r: Relation =
                serde_json::from_str(&row?).map_err(|e| StoreError::Decode(e.to_string()))?;
            facts.relations.push(r);
        }
        Ok(facts)
    }

    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT source_key, name, version, sha256, origin, licence FROM kb_source ORDER BY source_key",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SourceInfo {
                key: r.get(0)?,
                name: r.get(1)?,
                version: r.get(2)?,
                sha256: r.get(3)?,
                origin: r.get(4)?,
                licence: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn clear_kb(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "DELETE FROM kb_relation; DELETE FROM kb_entity; DELETE FROM kb_source;",
        )?;
        Ok(())
    }

    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM kb_entity WHERE source_key=?1 ORDER BY id")?;
        let rows = st.query_map(params![source_key], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut removed = 0;
        for k in source_keys {
            removed += tx.execute("DELETE FROM kb_entity WHERE source_key=?1", params![k])?;
            tx.execute("DELETE FROM kb_relation WHERE source_key=?1", params![k])?;
            tx.execute("DELETE FROM kb_source WHERE source_key=?1", params![k])?;
        }
        tx.commit()?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IntelStore;

    fn sample(source: &str, n: usize) -> KbFacts {
        crate::conformance::sample_facts(source, n)
    }

    #[test]
    fn conformance_kb_round_trip() {
        crate::conformance::kb_round_trip_and_idempotent_reimport(
            &mut SqliteStore::open_in_memory().unwrap(),
        );
    }

    #[test]
    fn conformance_kb_sources() {
        crate::conformance::kb_sources_listed_and_removed(
            &mut SqliteStore::open_in_memory().unwrap(),
        );
    }

    #[test]
    fn conformance_intel_round_trip_in_memory_and_on_disk() {
        crate::conformance::intel_round_trip(&mut SqliteStore::open_in_memory().unwrap());
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("a.db")).unwrap();
        crate::conformance::intel_round_trip(&mut s);
    }

    #[test]
    fn conformance_intel_large_batch() {
        crate::conformance::intel_large_batch(&mut SqliteStore::open_in_memory().unwrap());
    }

    #[test]
    fn conformance_awkward_text() {
        crate::conformance::awkward_text_survives(&mut SqliteStore::open_in_memory().unwrap());
    }

    #[test]
    fn file_store_persists_and_refuses_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/dir/ascribe.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_kb_facts(&sample("a", 2)).unwrap();
        }
        {
            let mut s = SqliteStore::open(&p).unwrap();
            assert_eq!(s.load_kb_facts().unwrap().entities.len(), 2);
            s.set_meta("schema_version", "99").unwrap();
        }
        let err = SqliteStore::open(&p).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }

    #[test]
    fn a_version_1_store_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v1.db");
        {
            // The version-1 schema, as an older ascribe wrote it.
            let c = Connection::open(&p).unwrap();
            c.execute_batch(SCHEMA).unwrap();
            c.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', '1')",
                [],
            )
            .unwrap();
        }
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_kb_facts(&sample("a", 1)).unwrap();
            assert_eq!(s.meta("schema_version").unwrap().as_deref(), Some("2"));
            let r = ascribe_core::IntelRecord {
                kind: ascribe_core::IntelKind::Ipv4,
                value: "192.0.2.1".into(),
                norm: "192.0.2.1".into(),
                keys: vec!["ipv4:192.0.2.1".into()],
                actors: vec![],
                source: "ioc-list:x".into(),
                event: None,
                event_title: None,
                published: None,
                first_seen: None,
                last_seen: None,
                to_ids: false,
                confidence: None,
                role: None,
            };
            s.put_intel("o", &[r]).unwrap();
        }
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.intel_lookup(&["ipv4:192.0.2.1".into()]).unwrap().len(), 1);
        assert_eq!(s.load_kb_facts().unwrap().entities.len(), 1);
    }

    #[test]
    fn a_non_database_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("not.db");
        std::fs::write(
            &p,
            b"this is not sqlite, just some text that is long enough to be a header....",
        )
        .unwrap();
        let err = SqliteStore::open(&p).unwrap_err();
        assert!(err.to_string().contains("not an ascribe store"), "{err}");
        assert!(err.to_string().contains("kb reset --force"), "{err}");
    }
}
