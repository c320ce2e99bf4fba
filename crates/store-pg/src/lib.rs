//! ascribe's knowledge-base facts and threat-intelligence indicators on
//! PostgreSQL: a second implementation of `ascribe_store`'s [`Store`] and
//! [`IntelStore`] traits, for teams that share one database (or a Citus
//! cluster) instead of one embedded SQLite file per machine.
//!
//! Everything moves in batches, as the traits ask: a write is one
//! transaction per batch whose rows go in with binary `COPY`, a look-up is
//! one `= ANY($1)` query per batch (at most [`LOOKUP_CHUNK`] keys a
//! statement). The schema is versioned in `ascribe_meta`; migrations are
//! applied on open under an advisory lock, and a database written by a newer
//! ascribe is refused with both versions named.
//!
//! # Schema and Citus
//!
//! The schema follows Citus' rules so that it can be distributed as is:
//! every primary key contains the distribution column, there are no foreign
//! keys at all (so none across shards), and a look-up touches one table
//! filtered on its distribution column. On a Citus coordinator, after the
//! first open (docs/deployment.md):
//!
//! ```sql
//! SELECT create_reference_table('ascribe_meta');
//! SELECT create_reference_table('kb_source');
//! SELECT create_reference_table('intel_source');
//! SELECT create_distributed_table('kb_entity', 'source_key');
//! SELECT create_distributed_table('kb_relation', 'source_key', colocate_with => 'kb_entity');
//! SELECT create_distributed_table('intel_record', 'source');
//! SELECT create_distributed_table('intel_key', 'key');
//! SELECT create_reference_table('code_alloc');
//! SELECT create_reference_table('code_sample');
//! SELECT create_distributed_table('code_function', 'function_id');
//! SELECT create_distributed_table('code_posting', 'band_key');
//! ```
//!
//! The code index ([`PgCodeStore`], schema version 3) keeps its band
//! postings (packed blocks of function ids) distributed on the band key, so a query's batch of keys goes to
//! the shards owning them; function records on their id; samples (one row
//! a file) and the id allocator are reference tables.
//!
//! `intel_key` is distributed on the match key (the indicator value), so a
//! batch look-up goes to the shards owning the keys and nowhere else; it
//! carries a copy of the record (`data`) so that the look-up never joins
//! across shards. `intel_record` (by source) answers per-source listing,
//! counting and copying.

use ascribe_core::{Entity, IntelRecord, IntelSourceInfo, KbFacts, Relation, SourceInfo};
use ascribe_store::{IntelCounts, IntelStore, PutSummary, Store, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Transaction};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

mod code;
mod ledger;
pub use code::PgCodeStore;
pub mod shard;
pub mod shard_code;
pub use shard_code::{open_code, AnyCodeStore, ShardedCodeStore};

/// The schema version this ascribe writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Keys per look-up statement (one round trip each); a batch of up to this
/// many keys is one round trip.
pub const LOOKUP_CHUNK: usize = 50_000;

/// How each table would be placed on Citus: `Some(column)` for
/// `create_distributed_table(table, column)`, `None` for
/// `create_reference_table(table)` (docs/deployment.md). A test checks the
/// created schema against it: every primary key holds the distribution
/// column, and there are no foreign keys.
pub const DISTRIBUTION: &[(&str, Option<&str>)] = &[
    ("ascribe_meta", None),
    ("kb_source", None),
    ("intel_source", None),
    ("kb_entity", Some("source_key")),
    ("kb_relation", Some("source_key")),
    ("intel_record", Some("source")),
    ("intel_key", Some("key")),
    ("code_alloc", None),
    ("code_sample", None),
    ("code_function", Some("function_id")),
    ("code_posting", Some("band_key")),
];

/// The migrations, in order: `MIGRATIONS[i]` takes version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    "
CREATE TABLE kb_source (
    source_key  text PRIMARY KEY,
    name        text NOT NULL,
    version     text,
    sha256      text,
    origin      text,
    licence     text,
    imported_at bigint NOT NULL
);
CREATE TABLE kb_entity (
    source_key  text NOT NULL,
    id          text NOT NULL,
    kind        text NOT NULL,
    external_id text,
    name        text NOT NULL,
    data        text NOT NULL,
    PRIMARY KEY (source_key, id)
);
CREATE INDEX kb_entity_external ON kb_entity (external_id);
CREATE TABLE kb_relation (
    source_key text NOT NULL,
    seq        bigint NOT NULL,
    kind       text NOT NULL,
    src        text NOT NULL,
    dst        text NOT NULL,
    data       text NOT NULL,
    PRIMARY KEY (source_key, seq)
);
CREATE TABLE intel_source (
    source      text PRIMARY KEY,
    origin      text NOT NULL,
    records     bigint NOT NULL,
    imported_at bigint NOT NULL
);
CREATE TABLE intel_record (
    source text NOT NULL,
    rid    bigint NOT NULL,
    kind   text NOT NULL,
    norm   text NOT NULL,
    data   text NOT NULL,
    PRIMARY KEY (source, rid)
);
CREATE TABLE intel_key (
    key    text NOT NULL,
    source text NOT NULL,
    rid    bigint NOT NULL,
    data   text NOT NULL,
    PRIMARY KEY (key, source, rid)
);
CREATE INDEX intel_key_source ON intel_key (source);
",
    "
CREATE TABLE code_alloc (
    id            integer PRIMARY KEY,
    next_sample   bigint NOT NULL,
    next_function bigint NOT NULL
);
INSERT INTO code_alloc (id, next_sample, next_function) VALUES (1, 0, 0);
CREATE TABLE code_sample (
    sample_id      bigint PRIMARY KEY,
    sha256         text NOT NULL UNIQUE,
    first_function bigint NOT NULL,
    functions      bigint NOT NULL,
    postings       bigint NOT NULL,
    data           text NOT NULL
);
CREATE TABLE code_function (
    function_id  bigint PRIMARY KEY,
    sample_id    bigint NOT NULL,
    instructions integer NOT NULL,
    blocks       integer NOT NULL,
    edges        integer NOT NULL,
    address      bigint NOT NULL,
    exact        bigint NOT NULL,
    minhash      bytea NOT NULL
);
CREATE TABLE code_posting (
    band_key    bigint NOT NULL,
    pos         bigint NOT NULL,
    function_id bigint NOT NULL,
    PRIMARY KEY (band_key, pos) INCLUDE (function_id)
);
",
    // Version 3: band postings packed, one row a block of up to 256 function ids of one key
    // (4-byte big-endian each, ascending), keyed by the block's first id. A v2 list becomes
    // blocks of 256 consecutive positions (the compacted form).
    "
ALTER TABLE code_posting RENAME TO code_posting_v2;
ALTER INDEX code_posting_pkey RENAME TO code_posting_v2_pkey;
CREATE TABLE code_posting (
    band_key bigint NOT NULL,
    first_id bigint NOT NULL,
    n        integer NOT NULL,
    ids      bytea NOT NULL,
    PRIMARY KEY (band_key, first_id) INCLUDE (n)
);
INSERT INTO code_posting (band_key, first_id, n, ids)
SELECT band_key, min(function_id), count(*)::integer,
       string_agg(substring(int8send(function_id) from 5), ''::bytea ORDER BY pos)
FROM code_posting_v2 GROUP BY band_key, pos / 256;
DROP TABLE code_posting_v2;
",
];

/// A lock id for migrations (any constant; `ascr` in ASCII).
const MIGRATION_LOCK: i64 = 0x6173_6372;

/// The connection of a store being written, or an error naming the store
/// when a panicking writer left its lock poisoned.
fn client_mut<'a>(client: &'a mut Mutex<Client>, name: &str) -> Result<&'a mut Client, StoreError> {
    client
        .get_mut()
        .map_err(|_| StoreError::Backend(format!("{name}: connection poisoned")))
}

/// The PostgreSQL store.
pub struct PgStore {
    client: Mutex<Client>,
    /// The database as shown in messages (no password).
    name: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("db", &self.name).finish()
    }
}

/// A connection URL with its password removed, for messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let auth_end = rest.find('/').unwrap_or(rest.len());
    match rest[..auth_end].rfind('@') {
        Some(at) => {
            let user = &rest[..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{}{}", &url[..scheme_end + 3], user, &rest[at..])
        }
        None => url.to_string(),
    }
}

/// Whether a `--database` value names PostgreSQL.
pub fn is_postgres_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

pub(crate) fn pg_message(e: &postgres::Error) -> String {
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

impl PgStore {
    /// Connect to `url` (`postgres://user:password@host:port/db`) and apply
    /// the migrations. Tables live in the connection's default schema.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        Self::open_inner(url, None)
    }

    /// Like [`PgStore::open`], with every table in `schema` (created when
    /// missing): several stores in one database, one per test or tenant.
    pub fn open_in_schema(url: &str, schema: &str) -> Result<PgStore, StoreError> {
        if schema.is_empty()
            || !schema
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(StoreError::Backend(format!(
                "schema name {schema:?}: use lower-case letters, digits and _"
            )));
        }
        Self::open_inner(url, Some(schema))
    }

    fn open_inner(url: &str, schema: Option<&str>) -> Result<PgStore, StoreError> {
        let name = redact_url(url);
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            StoreError::Backend(format!(
                "cannot connect to PostgreSQL at {name}: {}; check --database / ASCRIBE_DATABASE and that the server runs",
                pg_message(&e)
            ))
        })?;
        if let Some(s) = schema {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
                ))
                .map_err(|e| StoreError::Backend(format!("{name}: {}", pg_message(&e))))?;
        }
        let store = PgStore {
            client: Mutex::new(client),
            name,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The connection and the database's name, for another store on the
    /// same (migrated) database.
    pub(crate) fn into_parts(self) -> Result<(Client, String), StoreError> {
        let name = self.name;
        let client = self
            .client
            .into_inner()
            .map_err(|_| StoreError::Backend(format!("{name}: connection poisoned")))?;
        Ok((client, name))
    }

    /// The database, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn err(&self, what: &str, e: postgres::Error) -> StoreError {
        StoreError::Backend(format!("{} ({what}): {}", self.name, pg_message(&e)))
    }

    fn conn(&self) -> Result<MutexGuard<'_, Client>, StoreError> {
        self.client.lock().map_err(|_| {
            StoreError::Backend(format!(
                "{}: the connection was poisoned by an earlier panic",
                self.name
            ))
        })
    }

    /// The schema version stored in the database (0 before the first open).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let mut c = self.conn()?;
        let row = c
            .query_opt(
                "SELECT value FROM ascribe_meta WHERE key = 'schema_version'",
                &[],
            )
            .map_err(|e| self.err("reading the schema version", e))?;
        Ok(row
            .and_then(|r| r.get::<_, String>(0).parse().ok())
            .unwrap_or(0))
    }

    /// Write a metadata value (tests use it to fake a newer schema).
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut c = self.conn()?;
        c.execute(
            "INSERT INTO ascribe_meta(key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )
        .map_err(|e| self.err("writing metadata", e))?;
        Ok(())
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut c = self.conn()?;
        let mut tx = c
            .transaction()
            .map_err(|e| self.err("starting the migration", e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| self.err("locking for migration", e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS ascribe_meta (key text PRIMARY KEY, value text NOT NULL)",
        )
        .map_err(|e| self.err("creating ascribe_meta", e))?;
        let found: Option<String> = tx
            .query_opt(
                "SELECT value FROM ascribe_meta WHERE key = 'schema_version'",
                &[],
            )
            .map_err(|e| self.err("reading the schema version", e))?
            .map(|r| r.get(0));
        let found: i64 = match found {
            None => 0,
            Some(v) => v.parse().map_err(|_| {
                StoreError::Backend(format!(
                    "{}: schema_version {v:?} in ascribe_meta is not a number; this is not an ascribe database",
                    self.name
                ))
            })?,
        };
        if found > SCHEMA_VERSION {
            return Err(StoreError::Backend(format!(
                "database {} has ascribe schema version {found}, newer than this ascribe supports ({SCHEMA_VERSION}); upgrade ascribe or use another --database",
                self.name
            )));
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.batch_execute(m)
                .map_err(|e| self.err(&format!("migration to version {}", i + 1), e))?;
        }
        if found < SCHEMA_VERSION {
            tx.execute(
                "INSERT INTO ascribe_meta(key, value) VALUES ('schema_version', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&SCHEMA_VERSION.to_string()],
            )
            .map_err(|e| self.err("recording the schema version", e))?;
        }
        tx.commit()
            .map_err(|e| self.err("committing the migration", e))
    }

    /// Counts for `intel stats` (`key_file_fresh` is always false: there is
    /// no key file, look-ups go through the `intel_key` index).
    pub fn intel_counts(&self) -> Result<IntelCounts, StoreError> {
        let mut c = self.conn()?;
        let n = |c: &mut Client, sql: &str| -> Result<usize, StoreError> {
            let r = c.query_one(sql, &[]).map_err(|e| self.err("counting", e))?;
            Ok(r.get::<_, i64>(0) as usize)
        };
        let sources = n(&mut c, "SELECT count(*) FROM intel_source")?;
        let records = n(&mut c, "SELECT count(*) FROM intel_record")?;
        let keys = n(&mut c, "SELECT count(*) FROM intel_key")?;
        let by_kind = c
            .query(
                "SELECT kind, count(*) FROM intel_record GROUP BY kind ORDER BY kind COLLATE \"C\"",
                &[],
            )
            .map_err(|e| self.err("counting kinds", e))?
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as usize))
            .collect();
        let mut actors = HashSet::new();
        for r in c
            .query("SELECT data FROM intel_record", &[])
            .map_err(|e| self.err("reading actors", e))?
        {
            let rec: IntelRecord = decode(r.get::<_, &str>(0))?;
            actors.extend(rec.actors);
        }
        Ok(IntelCounts {
            sources,
            records,
            keys,
            by_kind,
            actors: actors.len(),
            key_file_fresh: false,
        })
    }

    /// The exact keys (`<kind>:<norm>`) of the records stored for one
    /// source (empty when the source is unknown).
    pub fn intel_source_exact_keys(&self, source: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT kind || ':' || norm FROM intel_record WHERE source = $1 ORDER BY rid",
                &[&source],
            )
            .map_err(|e| self.err("listing a source's keys", e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Decode(e.to_string()))
}

fn encode<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Decode(e.to_string()))
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Newlines cannot be part of a key or an actor name (the SQLite store
/// keeps them one per line); both stores replace them the same way.
fn clean_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A record as both stores give it back: the exact key first, the other
/// keys and the actors without line breaks, `value` = `norm` when equal.
fn canonical(r: &IntelRecord) -> IntelRecord {
    let exact = format!("{}:{}", r.kind.as_str(), r.norm);
    let mut keys = vec![exact.clone()];
    keys.extend(
        r.keys
            .iter()
            .filter(|k| **k != exact)
            .map(|k| clean_line(k)),
    );
    IntelRecord {
        keys,
        actors: r.actors.iter().map(|a| clean_line(a)).collect(),
        ..r.clone()
    }
}

fn copy_rows(
    tx: &mut Transaction<'_>,
    sql: &str,
    types: &[Type],
    rows: &mut dyn Iterator<Item = Vec<Box<dyn ToSql + Sync + '_>>>,
) -> Result<u64, postgres::Error> {
    let w = tx.copy_in(sql)?;
    let mut w = BinaryCopyInWriter::new(w, types);
    for row in rows {
        let refs: Vec<&(dyn ToSql + Sync)> = row.iter().map(|b| b.as_ref()).collect();
        w.write(&refs)?;
    }
    w.finish()
}

/// A knowledge-base batch written in `tx` (not committed): the batch's
/// sources replaced whole. [`PgStore`] commits it; the sharded store runs
/// it on every shard with that shard's sources.
fn put_kb_in(
    tx: &mut Transaction<'_>,
    facts: &KbFacts,
    name: &str,
) -> Result<PutSummary, StoreError> {
    let er = |what: &str, e: postgres::Error| {
        StoreError::Backend(format!("{name} ({what}): {}", pg_message(&e)))
    };
    let mut sum = PutSummary::default();
    let now = now_secs();
    // encode first: nothing is sent when a fact cannot be written
    let ents: Vec<(&Entity, String)> = facts
        .entities
        .iter()
        .map(|e| Ok((e, encode(e)?)))
        .collect::<Result<_, StoreError>>()?;
    let rels: Vec<(&Relation, String)> = facts
        .relations
        .iter()
        .map(|r| Ok((r, encode(r)?)))
        .collect::<Result<_, StoreError>>()?;
    // Sources first, sorted: the upsert locks their rows until commit,
    // so two writers of one source take turns (and never deadlock).
    let mut srcs: Vec<&SourceInfo> = facts.sources.iter().collect();
    srcs.sort_by(|a, b| a.key.cmp(&b.key));
    srcs.dedup_by(|a, b| a.key == b.key);
    let keys: Vec<&str> = srcs.iter().map(|s| s.key.as_str()).collect();
    for s in &srcs {
        tx.execute(
            "INSERT INTO kb_source(source_key, name, version, sha256, origin, licence, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (source_key) DO UPDATE SET name = excluded.name, version = excluded.version,
               sha256 = excluded.sha256, origin = excluded.origin, licence = excluded.licence,
               imported_at = excluded.imported_at",
            &[&s.key, &s.name, &s.version, &s.sha256, &s.origin, &s.licence, &now],
        )
        .map_err(|e| er("writing sources", e))?;
    }
    sum.sources = facts.sources.len();
    sum.replaced_entities = tx
        .execute("DELETE FROM kb_entity WHERE source_key = ANY($1)", &[&keys])
        .map_err(|e| er("replacing entities", e))? as usize;
    tx.execute(
        "DELETE FROM kb_relation WHERE source_key = ANY($1)",
        &[&keys],
    )
    .map_err(|e| er("replacing relations", e))?;
    // Entities: COPY into a temporary table, then one upsert (a later
    // entity with the same source and id replaces an earlier one, as in
    // the embedded store).
    tx.batch_execute(
        "CREATE TEMP TABLE ascribe_in_entity (n bigint, source_key text, id text, kind text,
           external_id text, name text, data text) ON COMMIT DROP",
    )
    .map_err(|e| er("staging entities", e))?;
    copy_rows(
        tx,
        "COPY ascribe_in_entity FROM STDIN BINARY",
        &[
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
        &mut ents.iter().enumerate().map(|(n, (e, data))| {
            let row: Vec<Box<dyn ToSql + Sync>> = vec![
                Box::new(n as i64),
                Box::new(e.source.as_str()),
                Box::new(e.id.as_str()),
                Box::new(e.kind.as_str()),
                Box::new(e.external_id.as_deref()),
                Box::new(e.name.as_str()),
                Box::new(data.as_str()),
            ];
            row
        }),
    )
    .map_err(|e| er("copying entities", e))?;
    tx.execute(
        "INSERT INTO kb_entity(source_key, id, kind, external_id, name, data)
         SELECT DISTINCT ON (source_key, id) source_key, id, kind, external_id, name, data
         FROM ascribe_in_entity ORDER BY source_key, id, n DESC
         ON CONFLICT (source_key, id) DO UPDATE SET kind = excluded.kind,
           external_id = excluded.external_id, name = excluded.name, data = excluded.data",
        &[],
    )
    .map_err(|e| er("writing entities", e))?;
    sum.entities = ents.len();
    // Relations: numbered after the source's last stored one.
    let rel_sources: Vec<&str> = {
        let mut v: Vec<&str> = rels.iter().map(|(r, _)| r.source.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut next: HashMap<String, i64> = tx
        .query(
            "SELECT source_key, max(seq) FROM kb_relation WHERE source_key = ANY($1) GROUP BY source_key",
            &[&rel_sources],
        )
        .map_err(|e| er("numbering relations", e))?
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect();
    let numbered: Vec<(i64, &Relation, &str)> = rels
        .iter()
        .map(|(r, d)| {
            let s = next.entry(r.source.clone()).or_insert(-1);
            *s += 1;
            (*s, *r, d.as_str())
        })
        .collect();
    copy_rows(
        tx,
        "COPY kb_relation (source_key, seq, kind, src, dst, data) FROM STDIN BINARY",
        &[
            Type::TEXT,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
        &mut numbered.iter().map(|(seq, r, data)| {
            let row: Vec<Box<dyn ToSql + Sync>> = vec![
                Box::new(r.source.as_str()),
                Box::new(*seq),
                Box::new(r.kind.as_str()),
                Box::new(r.src.as_str()),
                Box::new(r.dst.as_str()),
                Box::new(*data),
            ];
            row
        }),
    )
    .map_err(|e| er("copying relations", e))?;
    sum.relations = rels.len();
    Ok(sum)
}

impl Store for PgStore {
    fn kb_is_empty(&self) -> Result<bool, StoreError> {
        let mut c = self.conn()?;
        let r = c
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM kb_source)", &[])
            .map_err(|e| self.err("counting sources", e))?;
        Ok(r.get(0))
    }

    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError> {
        let name = self.name.clone();
        let c = client_mut(&mut self.client, &name)?;
        let mut tx = c
            .transaction()
            .map_err(|e| StoreError::Backend(format!("{name} (begin): {}", pg_message(&e))))?;
        let sum = put_kb_in(&mut tx, facts, &name)?;
        tx.commit()
            .map_err(|e| StoreError::Backend(format!("{name} (commit): {}", pg_message(&e))))?;
        Ok(sum)
    }

    fn load_kb_facts(&self) -> Result<KbFacts, StoreError> {
        let mut facts = KbFacts {
            sources: self.kb_sources()?,
            ..Default::default()
        };
        let mut c = self.conn()?;
        for r in c
            .query(
                "SELECT data FROM kb_entity ORDER BY source_key COLLATE \"C\", id COLLATE \"C\"",
                &[],
            )
            .map_err(|e| self.err("reading entities", e))?
        {
            facts.entities.push(decode(r.get::<_, &str>(0))?);
        }
        for r in c
            .query(
                "SELECT data FROM kb_relation ORDER BY source_key COLLATE \"C\", seq",
                &[],
            )
            .map_err(|e| self.err("reading relations", e))?
        {
            facts.relations.push(decode(r.get::<_, &str>(0))?);
        }
        Ok(facts)
    }

    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT source_key, name, version, sha256, origin, licence FROM kb_source
                 ORDER BY source_key COLLATE \"C\"",
                &[],
            )
            .map_err(|e| self.err("listing sources", e))?;
        Ok(rows
            .iter()
            .map(|r| SourceInfo {
                key: r.get(0),
                name: r.get(1),
                version: r.get(2),
                sha256: r.get(3),
                origin: r.get(4),
                licence: r.get(5),
            })
            .collect())
    }

    fn clear_kb(&mut self) -> Result<(), StoreError> {
        let name = self.name.clone();
        let er = |e: postgres::Error| {
            StoreError::Backend(format!(
                "{name} (clearing the knowledge base): {}",
                pg_message(&e)
            ))
        };
        let c = client_mut(&mut self.client, &name)?;
        let mut tx = c.transaction().map_err(er)?;
        tx.batch_execute("DELETE FROM kb_relation; DELETE FROM kb_entity; DELETE FROM kb_source")
            .map_err(er)?;
        tx.commit().map_err(er)
    }

    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT id FROM kb_entity WHERE source_key = $1 ORDER BY id COLLATE \"C\"",
                &[&source_key],
            )
            .map_err(|e| self.err("listing entities", e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError> {
        let name = self.name.clone();
        let er = |e: postgres::Error| {
            StoreError::Backend(format!("{name} (removing sources): {}", pg_message(&e)))
        };
        let c = client_mut(&mut self.client, &name)?;
        let mut tx = c.transaction().map_err(er)?;
        let removed = tx
            .execute(
                "DELETE FROM kb_entity WHERE source_key = ANY($1)",
                &[&source_keys],
            )
            .map_err(er)?;
        tx.execute(
            "DELETE FROM kb_relation WHERE source_key = ANY($1)",
            &[&source_keys],
        )
        .map_err(er)?;
        tx.execute(
            "DELETE FROM kb_source WHERE source_key = ANY($1)",
            &[&source_keys],
        )
        .map_err(er)?;
        tx.commit().map_err(er)?;
        Ok(removed as usize)
    }
}

impl IntelStore for PgStore {
    /// Records of each source in the batch replace that source's earlier
    /// records, in one transaction. `PutSummary` as the embedded store:
    /// `entities` = records written, `relations` = keys written,
    /// `replaced_entities` = earlier records removed.
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        let name = self.name.clone();
        let er = |what: &str, e: postgres::Error| {
            StoreError::Backend(format!("{name} ({what}): {}", pg_message(&e)))
        };
        let now = now_secs();
        let mut sum = PutSummary::default();
        // rid = position within its source in this batch (a source is
        // always replaced whole)
        let mut next_rid: HashMap<&str, i64> = HashMap::new();
        let mut rec_rows: Vec<(&str, i64, String, IntelRecord)> = Vec::with_capacity(records.len());
        for r in records {
            let rid = next_rid.entry(r.source.as_str()).or_insert(0);
            let c = canonical(r);
            rec_rows.push((r.source.as_str(), *rid, encode(&c)?, c));
            *rid += 1;
        }
        let mut sources: Vec<&str> = next_rid.keys().copied().collect();
        sources.sort_unstable();
        let c = client_mut(&mut self.client, &name)?;
        let mut tx = c.transaction().map_err(|e| er("begin", e))?;
        // lock the sources' rows (sorted: writers take turns, no deadlock)
        for s in &sources {
            tx.execute(
                "INSERT INTO intel_source(source, origin, records, imported_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (source) DO UPDATE SET origin = excluded.origin,
                   records = excluded.records, imported_at = excluded.imported_at",
                &[s, &origin, &next_rid[s], &now],
            )
            .map_err(|e| er("writing sources", e))?;
        }
        sum.sources = sources.len();
        sum.replaced_entities = tx
            .execute(
                "DELETE FROM intel_record WHERE source = ANY($1)",
                &[&sources],
            )
            .map_err(|e| er("replacing records", e))? as usize;
        tx.execute("DELETE FROM intel_key WHERE source = ANY($1)", &[&sources])
            .map_err(|e| er("replacing keys", e))?;
        copy_rows(
            &mut tx,
            "COPY intel_record (source, rid, kind, norm, data) FROM STDIN BINARY",
            &[Type::TEXT, Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT],
            &mut rec_rows.iter().map(|(s, rid, data, r)| {
                let row: Vec<Box<dyn ToSql + Sync>> = vec![
                    Box::new(*s),
                    Box::new(*rid),
                    Box::new(r.kind.as_str()),
                    Box::new(r.norm.as_str()),
                    Box::new(data.as_str()),
                ];
                row
            }),
        )
        .map_err(|e| er("copying records", e))?;
        sum.entities = rec_rows.len();
        let mut key_rows: Vec<(&str, &str, i64, &str)> = Vec::with_capacity(records.len() * 3);
        for (s, rid, data, r) in &rec_rows {
            let mut seen = HashSet::new();
            for k in &r.keys {
                if seen.insert(k.as_str()) {
                    key_rows.push((k.as_str(), s, *rid, data.as_str()));
                }
            }
        }
        // sorted by key: index pages fill in order
        key_rows.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        copy_rows(
            &mut tx,
            "COPY intel_key (key, source, rid, data) FROM STDIN BINARY",
            &[Type::TEXT, Type::TEXT, Type::INT8, Type::TEXT],
            &mut key_rows.iter().map(|(k, s, rid, data)| {
                let row: Vec<Box<dyn ToSql + Sync>> =
                    vec![Box::new(*k), Box::new(*s), Box::new(*rid), Box::new(*data)];
                row
            }),
        )
        .map_err(|e| er("copying keys", e))?;
        sum.relations = key_rows.len();
        tx.commit().map_err(|e| er("commit", e))?;
        Ok(sum)
    }

    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        let mut uniq: Vec<&str> = keys
            .iter()
            .map(String::as_str)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        uniq.sort_unstable();
        let mut out = Vec::new();
        let mut c = self.conn()?;
        for chunk in uniq.chunks(LOOKUP_CHUNK) {
            let rows = c
                .query(
                    "SELECT key, data FROM intel_key WHERE key = ANY($1)",
                    &[&chunk],
                )
                .map_err(|e| self.err("looking up keys", e))?;
            for r in rows {
                out.push((r.get::<_, String>(0), decode(r.get::<_, &str>(1))?));
            }
        }
        Ok(out)
    }

    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        let mut c = self.conn()?;
        let rows = c
            .query(
                "SELECT source, origin, records, imported_at FROM intel_source ORDER BY source COLLATE \"C\"",
                &[],
            )
            .map_err(|e| self.err("listing intel sources", e))?;
        Ok(rows
            .iter()
            .map(|r| IntelSourceInfo {
                source: r.get(0),
                origin: r.get(1),
                records: r.get::<_, i64>(2) as usize,
                imported_at: r.get(3),
            })
            .collect())
    }

    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        let name = self.name.clone();
        let er = |e: postgres::Error| {
            StoreError::Backend(format!(
                "{name} (removing intel sources): {}",
                pg_message(&e)
            ))
        };
        let c = client_mut(&mut self.client, &name)?;
        let mut tx = c.transaction().map_err(er)?;
        let removed = tx
            .execute(
                "DELETE FROM intel_record WHERE source = ANY($1)",
                &[&sources],
            )
            .map_err(er)?;
        tx.execute("DELETE FROM intel_key WHERE source = ANY($1)", &[&sources])
            .map_err(er)?;
        tx.execute(
            "DELETE FROM intel_source WHERE source = ANY($1)",
            &[&sources],
        )
        .map_err(er)?;
        tx.commit().map_err(er)?;
        Ok(removed as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://ascribe:s3cret@db.example:5432/kb"),
            "postgres://ascribe@db.example:5432/kb"
        );
        assert_eq!(
            redact_url("postgres://ascribe@localhost/kb"),
            "postgres://ascribe@localhost/kb"
        );
        assert_eq!(
            redact_url("postgres://localhost/kb"),
            "postgres://localhost/kb"
        );
        assert!(is_postgres_url("postgresql://x/y"));
        assert!(!is_postgres_url("/tmp/ascribe.db"));
    }
}
