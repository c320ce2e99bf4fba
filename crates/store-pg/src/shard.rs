//! The same store sharded across several PostgreSQL servers, routed by
//! ascribe itself (no `postgres_fdw`, no Citus): a **coordinator** holds
//! the reference tables of [`DISTRIBUTION`] (`None`), every **shard** holds
//! its hash share of the distributed tables (`Some(column)`); a row goes to
//! shard `shard_of(value of its distribution column)`.
//!
//! Every node gets the whole schema from the same [`MIGRATIONS`] (a table
//! added there and to [`DISTRIBUTION`] is created on every node and placed
//! by its entry with no code here); the placement is read from
//! [`DISTRIBUTION`] by [`placement`], [`ShardedStore::table_counts`] (what
//! `ascribe store stats` prints) and the routing helpers
//! ([`ShardedStore::shard_of`], [`ShardedStore::write_batch`],
//! [`ShardedStore::read_each`]) that a sharded table's store uses.
//!
//! The knowledge-base write of a shard is [`PgStore`]'s own (`put_kb_in`),
//! so each shard also keeps the `kb_source` rows of the sources it holds;
//! the coordinator's are the ones listed.
//!
//! # Round trips and consistency
//!
//! A write batch is one transaction per shard, run on all shards at once
//! (one thread per shard: rows go in with binary `COPY`), committed only
//! when every shard has written its share; the coordinator's row of each
//! source written is locked first and committed last, so writers of one
//! source take turns and a batch is acknowledged only after every shard
//! committed. A look-up is one `= ANY($1)` per shard holding any of the
//! keys, all shards at once.
//!
//! There is no two-phase commit: a process or a server that dies *between*
//! two shards' commits (a window of milliseconds after every row is
//! written) leaves that batch visible on some shards only. The batch was not
//! acknowledged, and running it again replaces it whole (a source is
//! always replaced whole), which is what `intel import` and `kb import` do.
//!
//! # Failures
//!
//! A shard that cannot be reached is an error naming it (`shard 2 of 3
//! (postgres://user@host:port/db)`, never a password). Readers opened with
//! `allow_partial` go on without it and remember it
//! ([`ShardedStore::missing_shards`]) so that the output can say which
//! shard's share is missing; writes always need every shard.

use crate::{
    canonical, client_mut, copy_rows, decode, encode, now_secs, pg_message, redact_url, PgStore,
    DISTRIBUTION,
};
use ascribe_core::{IntelRecord, IntelSourceInfo, KbFacts, SourceInfo};
use ascribe_store::{IntelCounts, IntelStore, PutSummary, Store, StoreError};
use postgres::types::{ToSql, Type};
use postgres::{Client, Transaction};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

/// Where a table's rows live in a sharded store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Placement {
    /// On the coordinator (Citus: a reference table).
    Coordinator,
    /// Hashed across the shards on this column.
    Sharded(&'static str),
}

/// The placement of `table` as [`DISTRIBUTION`] says, or `None` for a
/// table it does not list.
pub fn placement(table: &str) -> Option<Placement> {
    DISTRIBUTION
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, c)| match c {
            None => Placement::Coordinator,
            Some(c) => Placement::Sharded(c),
        })
}

/// The shard of a distribution value among `n`: FNV-1a (64-bit) over its
/// bytes (a text value's UTF-8, an integer's 8 big-endian bytes), modulo
/// `n`. Fixed forever for a layout: changing it would strand every row.
pub fn shard_index(value: &[u8], n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in value {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % n.max(1) as u64) as usize
}

/// One node of a layout as recorded on the coordinator: its URL without
/// password and the schema its tables live in (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NodeSpec {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

/// The layout recorded in the coordinator's `ascribe_meta` under
/// [`LAYOUT_KEY`]: an id (also written on every shard, so that a shard of
/// another layout is refused) and the shards in hash order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    pub id: String,
    pub shards: Vec<NodeSpec>,
}

/// `ascribe_meta` key of the layout on the coordinator.
pub const LAYOUT_KEY: &str = "shard_layout";
/// `ascribe_meta` key on each shard: `<layout id> <index> <count>`.
pub const MEMBER_KEY: &str = "shard_member";

/// A shard URL with the coordinator's password when it has none of its
/// own and names the same user (the layout never stores passwords).
fn with_password(shard_url: &str, coordinator_url: &str) -> String {
    fn userinfo(u: &str) -> Option<(usize, &str)> {
        let start = u.find("://")? + 3;
        let rest = &u[start..];
        let end = rest.find('/').unwrap_or(rest.len());
        let at = rest[..end].rfind('@')?;
        Some((start, &rest[..at]))
    }
    let (Some((start, shard_ui)), Some((_, coord_ui))) =
        (userinfo(shard_url), userinfo(coordinator_url))
    else {
        return shard_url.to_string();
    };
    if shard_ui.contains(':') {
        return shard_url.to_string();
    }
    match coord_ui.split_once(':') {
        Some((user, pw)) if user == shard_ui => format!(
            "{}{user}:{pw}{}",
            &shard_url[..start],
            &shard_url[start + shard_ui.len()..]
        ),
        _ => shard_url.to_string(),
    }
}

fn open_node(url: &str, schema: Option<&str>) -> Result<PgStore, StoreError> {
    match schema {
        Some(s) => PgStore::open_in_schema(url, s),
        None => PgStore::open(url),
    }
}

/// What part of a sharded store this database is: `Some("the coordinator
/// of a sharded store")`, `Some("a shard of a sharded store")`, or `None` for
/// a plain database.
pub fn sharded_role(store: &PgStore) -> Result<Option<&'static str>, StoreError> {
    if meta(store, LAYOUT_KEY)?.is_some() {
        return Ok(Some("the coordinator of a sharded store"));
    }
    if meta(store, MEMBER_KEY)?.is_some() {
        return Ok(Some("a shard of a sharded store"));
    }
    Ok(None)
}

fn meta(store: &PgStore, key: &str) -> Result<Option<String>, StoreError> {
    let mut c = store.conn()?;
    let row = c
        .query_opt("SELECT value FROM ascribe_meta WHERE key = $1", &[&key])
        .map_err(|e| store.err("reading metadata", e))?;
    Ok(row.map(|r| r.get(0)))
}

/// One shard: its place, its label for messages, its connection (`None`
/// when it was unreachable and the store allows partial reads).
struct Shard {
    label: String,
    store: Option<PgStore>,
}

/// The sharded store: coordinator + shards, implementing [`Store`] and
/// [`IntelStore`] like a single [`PgStore`] (the conformance suite runs on
/// it).
pub struct ShardedStore {
    coord: PgStore,
    shards: Vec<Shard>,
    layout: Layout,
    allow_partial: bool,
    /// Shards whose share a read could not include (allow_partial only).
    missing: Mutex<BTreeSet<usize>>,
}

impl std::fmt::Debug for ShardedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardedStore")
            .field("coordinator", &self.coord.name)
            .field("shards", &self.layout.shards)
            .finish()
    }
}

/// Per-node row counts of one table (`store stats`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCounts {
    pub table: String,
    pub placement: Placement,
    pub coordinator: u64,
    /// One per shard; `None` when the shard was unreachable.
    pub shards: Vec<Option<u64>>,
}

fn shard_label(i: usize, n: usize, spec: &NodeSpec) -> String {
    match &spec.schema {
        Some(s) => format!("shard {} of {n} ({}, schema {s})", i + 1, spec.url),
        None => format!("shard {} of {n} ({})", i + 1, spec.url),
    }
}

impl ShardedStore {
    /// Create (or check) a layout: migrations on the coordinator and on
    /// every shard, the layout recorded on the coordinator and each shard's
    /// place on it. Idempotent with the same shards in the same order; a
    /// different list, a shard of another layout, or rows already in a
    /// sharded table of the coordinator are refused.
    pub fn init(
        coordinator: &str,
        coordinator_schema: Option<&str>,
        shards: &[NodeSpec],
    ) -> Result<ShardedStore, StoreError> {
        if shards.is_empty() {
            return Err(StoreError::Backend(
                "a sharded store needs at least one shard (--shard URL)".into(),
            ));
        }
        let coord = open_node(coordinator, coordinator_schema)?;
        let specs: Vec<NodeSpec> = shards
            .iter()
            .map(|s| NodeSpec {
                url: redact_url(&s.url),
                schema: s.schema.clone(),
            })
            .collect();
        let mut seen = HashSet::new();
        for s in &specs {
            let twice = !seen.insert((s.url.clone(), s.schema.clone()));
            let is_coordinator = s.url == coord.name && s.schema.as_deref() == coordinator_schema;
            if twice || is_coordinator {
                return Err(StoreError::Backend(format!(
                    "{} is named twice (coordinator and shards must be distinct databases or schemas)",
                    s.url
                )));
            }
        }
        let layout = match meta(&coord, LAYOUT_KEY)? {
            Some(v) => {
                let l: Layout = serde_json::from_str(&v).map_err(|e| {
                    StoreError::Backend(format!(
                        "{}: the recorded shard layout cannot be read: {e}",
                        coord.name
                    ))
                })?;
                if l.shards != specs {
                    return Err(StoreError::Backend(format!(
                        "{} is already the coordinator of shards {}; a layout is fixed once made (its rows are placed by the shard count and order)",
                        coord.name,
                        l.shards.iter().map(|s| s.url.as_str()).collect::<Vec<_>>().join(", ")
                    )));
                }
                l
            }
            None => {
                for (table, p) in DISTRIBUTION {
                    if p.is_some() {
                        let mut c = coord.conn()?;
                        let any: bool = c
                            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])
                            .map_err(|e| coord.err("checking the coordinator", e))?
                            .get(0);
                        if any {
                            return Err(StoreError::Backend(format!(
                                "{}: table {table} already holds rows; a coordinator must start empty (copy an existing store in with `ascribe store copy` after init)",
                                coord.name
                            )));
                        }
                    }
                }
                Layout {
                    id: format!("{:x}-{:x}", now_secs(), std::process::id()),
                    shards: specs.clone(),
                }
            }
        };
        let n = layout.shards.len();
        for (i, s) in shards.iter().enumerate() {
            let label = shard_label(i, n, &layout.shards[i]);
            let st = open_node(&with_password(&s.url, coordinator), s.schema.as_deref())
                .map_err(|e| StoreError::Backend(format!("{label}: {e}")))?;
            let want = format!("{} {i} {n}", layout.id);
            match meta(&st, MEMBER_KEY)? {
                Some(v) if v != want => {
                    return Err(StoreError::Backend(format!(
                        "{label} already belongs to another layout ({v}); use an empty database or schema"
                    )))
                }
                Some(_) => {}
                None => st.set_meta(MEMBER_KEY, &want)?,
            }
        }
        let encoded = serde_json::to_string(&layout)
            .map_err(|e| StoreError::Backend(format!("encoding the layout: {e}")))?;
        coord.set_meta(LAYOUT_KEY, &encoded)?;
        drop(coord);
        Self::open_inner(coordinator, coordinator_schema, false)
    }

    /// The layout of the store whose coordinator is at `url`, or `None`
    /// when that database is a plain (unsharded) store.
    pub fn layout_of(coord: &PgStore) -> Result<Option<Layout>, StoreError> {
        match meta(coord, LAYOUT_KEY)? {
            None => Ok(None),
            Some(v) => serde_json::from_str(&v).map(Some).map_err(|e| {
                StoreError::Backend(format!(
                    "{}: the recorded shard layout cannot be read: {e}",
                    coord.name
                ))
            }),
        }
    }

    /// Open a sharded store by its coordinator. Every shard must answer,
    /// unless `allow_partial` (for reads): then unreachable shards are left
    /// out and listed by [`ShardedStore::missing_shards`].
    pub fn open(coordinator: &str, allow_partial: bool) -> Result<ShardedStore, StoreError> {
        Self::open_inner(coordinator, None, allow_partial)
    }

    /// [`ShardedStore::open`] with the coordinator's tables in `schema`.
    pub fn open_in_schema(
        coordinator: &str,
        schema: &str,
        allow_partial: bool,
    ) -> Result<ShardedStore, StoreError> {
        Self::open_inner(coordinator, Some(schema), allow_partial)
    }

    fn open_inner(
        coordinator: &str,
        schema: Option<&str>,
        allow_partial: bool,
    ) -> Result<ShardedStore, StoreError> {
        let coord = open_node(coordinator, schema)?;
        Self::with_coordinator(coord, coordinator, allow_partial)
    }

    /// A sharded store from its open coordinator (`url`: the coordinator's
    /// URL with its password, lent to shards without one).
    pub fn with_coordinator(
        coord: PgStore,
        url: &str,
        allow_partial: bool,
    ) -> Result<ShardedStore, StoreError> {
        let layout = Self::layout_of(&coord)?.ok_or_else(|| {
            StoreError::Backend(format!(
                "{} is not the coordinator of a sharded store (run `ascribe store shard init`)",
                coord.name
            ))
        })?;
        let n = layout.shards.len();
        let opened: Vec<Result<PgStore, StoreError>> = std::thread::scope(|sc| {
            let hs: Vec<_> = layout
                .shards
                .iter()
                .map(|s| {
                    let u = with_password(&s.url, url);
                    sc.spawn(move || open_node(&u, s.schema.as_deref()))
                })
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(StoreError::Backend(
                            "a shard's opening thread panicked".into(),
                        ))
                    })
                })
                .collect()
        });
        let mut shards = Vec::with_capacity(n);
        let mut missing = BTreeSet::new();
        for (i, r) in opened.into_iter().enumerate() {
            let label = shard_label(i, n, &layout.shards[i]);
            match r {
                Ok(st) => {
                    let want = format!("{} {i} {n}", layout.id);
                    let found = meta(&st, MEMBER_KEY)?;
                    if found.as_deref() != Some(want.as_str()) {
                        return Err(StoreError::Backend(format!(
                            "{label} is not shard {} of this layout (it says {:?}); check the shard list on the coordinator",
                            i + 1,
                            found.unwrap_or_default()
                        )));
                    }
                    shards.push(Shard {
                        label,
                        store: Some(st),
                    });
                }
                Err(e) if allow_partial => {
                    let _ = e;
                    missing.insert(i);
                    shards.push(Shard { label, store: None });
                }
                Err(e) => {
                    return Err(StoreError::Backend(format!(
                        "{label} is unreachable: {e}; every shard must answer (read commands take --allow-partial to answer from the live shards)"
                    )))
                }
            }
        }
        Ok(ShardedStore {
            coord,
            shards,
            layout,
            allow_partial,
            missing: Mutex::new(missing),
        })
    }

    /// The coordinator, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.coord.name
    }

    /// The layout (shards in hash order, no passwords).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Number of shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Labels of the shards whose share was left out of a read so far
    /// (`allow_partial` only), e.g. `shard 2 of 3 (postgres://…)`.
    pub fn missing_shards(&self) -> Vec<String> {
        let m = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        m.iter().map(|i| self.shards[*i].label.clone()).collect()
    }

    /// The shard owning a text distribution value.
    pub fn shard_of(&self, value: &str) -> usize {
        shard_index(value.as_bytes(), self.shards.len())
    }

    /// The shard owning an integer distribution value.
    pub fn shard_of_i64(&self, value: i64) -> usize {
        shard_index(&value.to_be_bytes(), self.shards.len())
    }

    /// Run `f(shard index, transaction)` on every shard at once, each in a
    /// transaction of its own, and commit them all only when every shard
    /// succeeded (none is committed otherwise). Returns what `f` returned,
    /// in shard order. The error names the shard.
    pub fn write_batch<T, F>(&mut self, f: F) -> Result<Vec<T>, StoreError>
    where
        T: Send,
        F: Fn(usize, &mut Transaction<'_>) -> Result<T, StoreError> + Sync,
    {
        write_shards(&mut self.shards, f)
    }

    /// Run the read `f(shard index, client)` on the shards in `which` (all
    /// when `None`) at once and collect the results in shard order. An
    /// unreachable or failing shard is an error naming it, unless the store
    /// allows partial reads: then it is left out and remembered.
    pub fn read_each<T, F>(&self, which: Option<&[usize]>, f: F) -> Result<Vec<T>, StoreError>
    where
        T: Send,
        F: Fn(usize, &mut Client) -> Result<T, postgres::Error> + Sync,
    {
        let f = &f;
        let targets: Vec<usize> = match which {
            Some(w) => w.to_vec(),
            None => (0..self.shards.len()).collect(),
        };
        let results: Vec<(usize, Result<Option<T>, String>)> = std::thread::scope(|sc| {
            let hs: Vec<_> = targets
                .iter()
                .map(|&i| {
                    let sh = &self.shards[i];
                    sc.spawn(move || -> (usize, Result<Option<T>, String>) {
                        let Some(st) = &sh.store else {
                            return (i, Ok(None));
                        };
                        let r = match st.client.lock() {
                            Ok(mut c) => f(i, &mut c).map(Some).map_err(|e| pg_message(&e)),
                            Err(_) => Err("the connection was poisoned by an earlier panic".into()),
                        };
                        (i, r)
                    })
                })
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or((usize::MAX, Err("a shard's reading thread panicked".into())))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(results.len());
        for (i, r) in results {
            if i == usize::MAX {
                return Err(StoreError::Backend(
                    "a shard's reading thread panicked".into(),
                ));
            }
            match r {
                Ok(Some(v)) => out.push(v),
                Ok(None) => {
                    // opened without it (allow_partial)
                    if let Ok(mut m) = self.missing.lock() {
                        m.insert(i);
                    }
                }
                Err(e) if self.allow_partial => {
                    let _ = e;
                    if let Ok(mut m) = self.missing.lock() {
                        m.insert(i);
                    }
                }
                Err(e) => {
                    return Err(StoreError::Backend(format!(
                        "{} failed: {e}; every shard must answer (read commands take --allow-partial to answer from the live shards)",
                        self.shards[i].label
                    )))
                }
            }
        }
        Ok(out)
    }

    /// Rows of every table of [`DISTRIBUTION`] on the coordinator and on
    /// each shard (`None` for an unreachable shard): `ascribe store stats`.
    pub fn table_counts(&self) -> Result<Vec<TableCounts>, StoreError> {
        let mut out = Vec::new();
        for (table, _) in DISTRIBUTION {
            let placement = placement(table).expect("listed");
            let mut c = self.coord.conn()?;
            let coordinator: i64 = c
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .map_err(|e| self.coord.err("counting", e))?
                .get(0);
            drop(c);
            let mut shards = vec![None; self.shards.len()];
            // a shard that cannot count is shown as missing, never an error
            for (i, sh) in self.shards.iter().enumerate() {
                if let Some(st) = &sh.store {
                    if let Ok(mut c) = st.client.lock() {
                        if let Ok(r) = c.query_one(&format!("SELECT count(*) FROM {table}"), &[]) {
                            shards[i] = Some(r.get::<_, i64>(0) as u64);
                        }
                    }
                }
            }
            out.push(TableCounts {
                table: table.to_string(),
                placement,
                coordinator: coordinator as u64,
                shards,
            });
        }
        Ok(out)
    }

    /// The labels of all shards, in hash order.
    pub fn shard_labels(&self) -> Vec<String> {
        self.shards.iter().map(|s| s.label.clone()).collect()
    }
}

/// The open nodes of a sharded store, taken apart for another store over the same
/// connections (the code index, `shard_code`).
pub(crate) struct Nodes {
    pub coord: PgStore,
    /// Label and connection of each shard, in hash order (`None`: unreachable,
    /// `allow_partial` only).
    pub shards: Vec<(String, Option<PgStore>)>,
    pub allow_partial: bool,
}

impl ShardedStore {
    /// The coordinator and shard connections, for the code index over them.
    pub(crate) fn into_nodes(self) -> Nodes {
        Nodes {
            coord: self.coord,
            shards: self
                .shards
                .into_iter()
                .map(|s| (s.label, s.store))
                .collect(),
            allow_partial: self.allow_partial,
        }
    }
}

/// [`ShardedStore::write_batch`] on the shards alone (the coordinator's
/// connection stays free for the caller's own transaction).
fn write_shards<T, F>(shards: &mut [Shard], f: F) -> Result<Vec<T>, StoreError>
where
    T: Send,
    F: Fn(usize, &mut Transaction<'_>) -> Result<T, StoreError> + Sync,
{
    for s in shards.iter() {
        if s.store.is_none() {
            return Err(StoreError::Backend(format!(
                "{} is unreachable; every shard must answer a write",
                s.label
            )));
        }
    }
    let f = &f;
    let labels: Vec<String> = shards.iter().map(|s| s.label.clone()).collect();
    let labels = &labels;
    std::thread::scope(|sc| {
        let handles: Vec<_> = shards
            .iter_mut()
            .enumerate()
            .map(|(i, sh)| {
                let label = sh.label.clone();
                let st = sh.store.as_mut().expect("checked above");
                sc.spawn(move || -> Result<(Transaction<'_>, T), StoreError> {
                    let name = st.name.clone();
                    let c = client_mut(&mut st.client, &name)?;
                    let mut tx = c.transaction().map_err(|e| {
                        StoreError::Backend(format!("{label}: begin: {}", pg_message(&e)))
                    })?;
                    let n =
                        f(i, &mut tx).map_err(|e| StoreError::Backend(format!("{label}: {e}")))?;
                    Ok((tx, n))
                })
            })
            .collect();
        let results: Vec<Result<(Transaction<'_>, T), StoreError>> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(StoreError::Backend(
                        "a shard's writing thread panicked".into(),
                    ))
                })
            })
            .collect();
        // every shard wrote its share, or nothing is committed
        let mut txs = Vec::with_capacity(results.len());
        let mut first_err = None;
        for r in results {
            match r {
                Ok(t) => txs.push(t),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_err {
            return Err(e); // dropping the transactions rolls them back
        }
        let mut out = Vec::with_capacity(txs.len());
        for (i, (tx, n)) in txs.into_iter().enumerate() {
            tx.commit().map_err(|e| {
                    StoreError::Backend(format!(
                        "{}: commit: {}; the batch may be visible on the shards committed before it: run it again",
                        labels[i],
                        pg_message(&e)
                    ))
                })?;
            out.push(n);
        }
        Ok(out)
    })
}

fn coord_err(name: &str, what: &str, e: postgres::Error) -> StoreError {
    StoreError::Backend(format!("{name} ({what}): {}", pg_message(&e)))
}

impl ShardedStore {
    /// Rows of `facts` whose source key the shard `i` owns.
    fn kb_share(&self, facts: &KbFacts, i: usize) -> KbFacts {
        KbFacts {
            sources: facts
                .sources
                .iter()
                .filter(|x| self.shard_of(&x.key) == i)
                .cloned()
                .collect(),
            entities: facts
                .entities
                .iter()
                .filter(|x| self.shard_of(&x.source) == i)
                .cloned()
                .collect(),
            relations: facts
                .relations
                .iter()
                .filter(|x| self.shard_of(&x.source) == i)
                .cloned()
                .collect(),
        }
    }

    /// Counts for `intel stats`, summed over the shards.
    pub fn intel_counts(&self) -> Result<IntelCounts, StoreError> {
        let sources = self.intel_sources()?.len();
        let per = self.read_each(None, |_, c| {
            let records: i64 = c
                .query_one("SELECT count(*) FROM intel_record", &[])?
                .get(0);
            let keys: i64 = c.query_one("SELECT count(*) FROM intel_key", &[])?.get(0);
            let kinds: Vec<(String, i64)> = c
                .query("SELECT kind, count(*) FROM intel_record GROUP BY kind", &[])?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let data: Vec<String> = c
                .query("SELECT data FROM intel_record", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            Ok((records, keys, kinds, data))
        })?;
        let mut by_kind: HashMap<String, usize> = HashMap::new();
        let mut actors = HashSet::new();
        let (mut records, mut keys) = (0, 0);
        for (r, k, kinds, data) in per {
            records += r as usize;
            keys += k as usize;
            for (kind, n) in kinds {
                *by_kind.entry(kind).or_default() += n as usize;
            }
            for d in data {
                let rec: IntelRecord = decode(&d)?;
                actors.extend(rec.actors);
            }
        }
        let mut by_kind: Vec<(String, usize)> = by_kind.into_iter().collect();
        by_kind.sort();
        Ok(IntelCounts {
            sources,
            records,
            keys,
            by_kind,
            actors: actors.len(),
            key_file_fresh: false,
        })
    }

    /// The exact keys of one source's records (from the shard owning it).
    pub fn intel_source_exact_keys(&self, source: &str) -> Result<Vec<String>, StoreError> {
        let i = self.shard_of(source);
        let mut v = self.read_each(Some(&[i]), |_, c| {
            Ok(c.query(
                "SELECT kind || ':' || norm FROM intel_record WHERE source = $1 ORDER BY rid",
                &[&source],
            )?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>())
        })?;
        Ok(v.pop().unwrap_or_default())
    }
}

impl ShardedStore {
    /// Whether the shards agree with the coordinator: every intelligence
    /// source's record count on the shards equals the coordinator's, and no
    /// shard holds rows of a source the coordinator does not list (what a
    /// batch interrupted between its shards' commits and the coordinator's
    /// leaves). Returns the disagreements (empty: consistent). Every shard
    /// must answer.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        if let Some(m) = self.missing_shards().first() {
            return Err(StoreError::Backend(format!(
                "{m} is unreachable; a check needs every shard"
            )));
        }
        let want: HashMap<String, i64> = {
            let mut c = self.coord.conn()?;
            c.query("SELECT source, records FROM intel_source", &[])
                .map_err(|e| self.coord.err("reading sources", e))?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect()
        };
        let kb: HashSet<String> = self.kb_sources()?.into_iter().map(|x| x.key).collect();
        let per = self.read_each(None, |_, c| {
            let recs: Vec<(String, i64)> = c
                .query(
                    "SELECT source, count(*) FROM intel_record GROUP BY source",
                    &[],
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let keys: Vec<String> = c
                .query("SELECT DISTINCT source FROM intel_key", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let kbs: Vec<String> = c
                .query(
                    "SELECT source_key FROM kb_entity UNION SELECT source_key FROM kb_relation",
                    &[],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            Ok((recs, keys, kbs))
        })?;
        let mut got: HashMap<String, i64> = HashMap::new();
        let mut problems = BTreeSet::new();
        for (i, (recs, keys, kbs)) in per.into_iter().enumerate() {
            let label = &self.shards[i].label;
            for (src, n) in recs {
                if self.shard_of(&src) != i {
                    problems.insert(format!(
                        "{label} holds records of {src}, which hashes to another shard"
                    ));
                }
                *got.entry(src).or_default() += n;
            }
            for src in keys {
                if !want.contains_key(&src) {
                    problems.insert(format!(
                        "{label} holds match keys of intel source {src}, unknown to the coordinator (an interrupted import: run it again, or `ascribe intel remove {src}`)"
                    ));
                }
            }
            for src in kbs {
                if !kb.contains(&src) {
                    problems.insert(format!(
                        "{label} holds facts of KB source {src}, unknown to the coordinator (an interrupted import: run it again, or `ascribe kb remove`)"
                    ));
                }
            }
        }
        for (src, n) in &want {
            let g = got.get(src).copied().unwrap_or(0);
            if g != *n {
                problems.insert(format!(
                    "intel source {src}: the coordinator lists {n} records, the shards hold {g} (run its import again)"
                ));
            }
        }
        for (src, g) in &got {
            if !want.contains_key(src) {
                problems.insert(format!(
                    "the shards hold {g} records of intel source {src}, unknown to the coordinator (an interrupted import: run it again, or `ascribe intel remove {src}`)"
                ));
            }
        }
        Ok(problems.into_iter().collect())
    }
}

impl Store for ShardedStore {
    fn kb_is_empty(&self) -> Result<bool, StoreError> {
        self.coord.kb_is_empty()
    }

    /// The coordinator's rows of the batch's sources are written (and
    /// locked) first, each shard writes the sources it owns, and the
    /// coordinator commits last.
    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError> {
        let shares: Vec<KbFacts> = (0..self.shards.len())
            .map(|i| self.kb_share(facts, i))
            .collect();
        let ShardedStore { coord, shards, .. } = self;
        let name = coord.name.clone();
        let c = client_mut(&mut coord.client, &name)?;
        let mut tx = c.transaction().map_err(|e| coord_err(&name, "begin", e))?;
        let now = now_secs();
        let mut srcs: Vec<&SourceInfo> = facts.sources.iter().collect();
        srcs.sort_by(|a, b| a.key.cmp(&b.key));
        srcs.dedup_by(|a, b| a.key == b.key);
        for s in &srcs {
            tx.execute(
                "INSERT INTO kb_source(source_key, name, version, sha256, origin, licence, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (source_key) DO UPDATE SET name = excluded.name, version = excluded.version,
                   sha256 = excluded.sha256, origin = excluded.origin, licence = excluded.licence,
                   imported_at = excluded.imported_at",
                &[&s.key, &s.name, &s.version, &s.sha256, &s.origin, &s.licence, &now],
            )
            .map_err(|e| coord_err(&name, "writing sources", e))?;
        }
        let parts = write_shards(shards, |i, stx| {
            crate::put_kb_in(stx, &shares[i], &format!("shard {}", i + 1))
        })?;
        tx.commit().map_err(|e| coord_err(&name, "commit", e))?;
        let mut sum = PutSummary {
            sources: facts.sources.len(),
            ..Default::default()
        };
        for p in parts {
            sum.entities += p.entities;
            sum.relations += p.relations;
            sum.replaced_entities += p.replaced_entities;
        }
        Ok(sum)
    }

    /// Each shard's facts (in (source, id) and (source, sequence) order),
    /// merged into that order.
    fn load_kb_facts(&self) -> Result<KbFacts, StoreError> {
        let sources = self.kb_sources()?;
        let parts = self.read_each(None, |_, c| {
            let e: Vec<String> = c
                .query("SELECT data FROM kb_entity", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let r: Vec<(String, i64, String)> = c
                .query("SELECT source_key, seq, data FROM kb_relation", &[])?
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect();
            Ok((e, r))
        })?;
        let mut facts = KbFacts {
            sources,
            ..Default::default()
        };
        let mut rels = Vec::new();
        for (e, r) in parts {
            for d in e {
                facts.entities.push(decode(&d)?);
            }
            rels.extend(r);
        }
        facts
            .entities
            .sort_by(|a: &ascribe_core::Entity, b| (&a.source, &a.id).cmp(&(&b.source, &b.id)));
        rels.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        for (_, _, d) in rels {
            facts.relations.push(decode(&d)?);
        }
        Ok(facts)
    }

    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        self.coord.kb_sources()
    }

    fn clear_kb(&mut self) -> Result<(), StoreError> {
        let ShardedStore { coord, shards, .. } = self;
        let name = coord.name.clone();
        let c = client_mut(&mut coord.client, &name)?;
        let mut tx = c.transaction().map_err(|e| coord_err(&name, "begin", e))?;
        tx.batch_execute("DELETE FROM kb_source")
            .map_err(|e| coord_err(&name, "clearing the knowledge base", e))?;
        write_shards(shards, |_, stx| {
            stx.batch_execute(
                "DELETE FROM kb_relation; DELETE FROM kb_entity; DELETE FROM kb_source",
            )
            .map_err(|e| StoreError::Backend(pg_message(&e)))
        })?;
        tx.commit().map_err(|e| coord_err(&name, "commit", e))
    }

    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError> {
        let i = self.shard_of(source_key);
        let mut v = self.read_each(Some(&[i]), |_, c| {
            Ok(c.query(
                "SELECT id FROM kb_entity WHERE source_key = $1 ORDER BY id COLLATE \"C\"",
                &[&source_key],
            )?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>())
        })?;
        Ok(v.pop().unwrap_or_default())
    }

    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError> {
        let ShardedStore { coord, shards, .. } = self;
        let name = coord.name.clone();
        let c = client_mut(&mut coord.client, &name)?;
        let mut tx = c.transaction().map_err(|e| coord_err(&name, "begin", e))?;
        tx.execute(
            "DELETE FROM kb_source WHERE source_key = ANY($1)",
            &[&source_keys],
        )
        .map_err(|e| coord_err(&name, "removing sources", e))?;
        let removed = write_shards(shards, |_, stx| {
            let pe = |e: postgres::Error| StoreError::Backend(pg_message(&e));
            let n = stx
                .execute(
                    "DELETE FROM kb_entity WHERE source_key = ANY($1)",
                    &[&source_keys],
                )
                .map_err(pe)?;
            stx.execute(
                "DELETE FROM kb_relation WHERE source_key = ANY($1)",
                &[&source_keys],
            )
            .map_err(pe)?;
            stx.execute(
                "DELETE FROM kb_source WHERE source_key = ANY($1)",
                &[&source_keys],
            )
            .map_err(pe)?;
            Ok(n as usize)
        })?;
        tx.commit().map_err(|e| coord_err(&name, "commit", e))?;
        Ok(removed.iter().sum())
    }
}

impl IntelStore for ShardedStore {
    /// As [`PgStore`]'s: the batch's sources replaced whole. Records go to
    /// the shard of their source (`intel_record`), match keys to the shard
    /// of the key (`intel_key`), both by [`DISTRIBUTION`].
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        let n = self.shards.len();
        let (Some(Placement::Sharded(rec_col)), Some(Placement::Sharded(key_col))) =
            (placement("intel_record"), placement("intel_key"))
        else {
            return Err(StoreError::Backend(
                "intel tables are not distributed in DISTRIBUTION".into(),
            ));
        };
        debug_assert_eq!((rec_col, key_col), ("source", "key"));
        let now = now_secs();
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
        // rows per shard: records by source, keys by key
        let mut rec_by: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut key_by: Vec<Vec<(&str, usize)>> = vec![Vec::new(); n];
        for (x, (s, _, _, r)) in rec_rows.iter().enumerate() {
            rec_by[shard_index(s.as_bytes(), n)].push(x);
            let mut seen = HashSet::new();
            for k in &r.keys {
                if seen.insert(k.as_str()) {
                    key_by[shard_index(k.as_bytes(), n)].push((k.as_str(), x));
                }
            }
        }
        for v in &mut key_by {
            v.sort_unstable_by(|a, b| {
                (a.0, rec_rows[a.1].0, rec_rows[a.1].1).cmp(&(
                    b.0,
                    rec_rows[b.1].0,
                    rec_rows[b.1].1,
                ))
            });
        }
        let ShardedStore { coord, shards, .. } = self;
        let name = coord.name.clone();
        let c = client_mut(&mut coord.client, &name)?;
        let mut tx = c.transaction().map_err(|e| coord_err(&name, "begin", e))?;
        for s in &sources {
            tx.execute(
                "INSERT INTO intel_source(source, origin, records, imported_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (source) DO UPDATE SET origin = excluded.origin,
                   records = excluded.records, imported_at = excluded.imported_at",
                &[s, &origin, &next_rid[s], &now],
            )
            .map_err(|e| coord_err(&name, "writing sources", e))?;
        }
        let (rec_rows, rec_by, key_by, sources) = (&rec_rows, &rec_by, &key_by, &sources);
        let parts = write_shards(shards, |i, stx| {
            let pe = |what: &str, e: postgres::Error| {
                StoreError::Backend(format!("{what}: {}", pg_message(&e)))
            };
            let replaced = stx
                .execute(
                    "DELETE FROM intel_record WHERE source = ANY($1)",
                    &[sources],
                )
                .map_err(|e| pe("replacing records", e))?;
            stx.execute("DELETE FROM intel_key WHERE source = ANY($1)", &[sources])
                .map_err(|e| pe("replacing keys", e))?;
            copy_rows(
                stx,
                "COPY intel_record (source, rid, kind, norm, data) FROM STDIN BINARY",
                &[Type::TEXT, Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT],
                &mut rec_by[i].iter().map(|x| {
                    let (s, rid, data, r) = &rec_rows[*x];
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
            .map_err(|e| pe("copying records", e))?;
            copy_rows(
                stx,
                "COPY intel_key (key, source, rid, data) FROM STDIN BINARY",
                &[Type::TEXT, Type::TEXT, Type::INT8, Type::TEXT],
                &mut key_by[i].iter().map(|(k, x)| {
                    let (s, rid, data, _) = &rec_rows[*x];
                    let row: Vec<Box<dyn ToSql + Sync>> = vec![
                        Box::new(*k),
                        Box::new(*s),
                        Box::new(*rid),
                        Box::new(data.as_str()),
                    ];
                    row
                }),
            )
            .map_err(|e| pe("copying keys", e))?;
            Ok((replaced as usize, key_by[i].len()))
        })?;
        tx.commit().map_err(|e| coord_err(&name, "commit", e))?;
        Ok(PutSummary {
            sources: sources.len(),
            entities: rec_rows.len(),
            relations: parts.iter().map(|p| p.1).sum(),
            replaced_entities: parts.iter().map(|p| p.0).sum(),
        })
    }

    /// One `key = ANY($1)` per shard holding any of the keys, all shards
    /// at once.
    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        let n = self.shards.len();
        let mut by: Vec<Vec<&str>> = vec![Vec::new(); n];
        let mut seen = HashSet::new();
        for k in keys {
            if seen.insert(k.as_str()) {
                by[self.shard_of(k)].push(k.as_str());
            }
        }
        let which: Vec<usize> = (0..n).filter(|i| !by[*i].is_empty()).collect();
        let by = &by;
        let parts = self.read_each(Some(&which), |i, c| {
            let mut rows = Vec::new();
            for chunk in by[i].chunks(crate::LOOKUP_CHUNK) {
                for r in c.query(
                    "SELECT key, data FROM intel_key WHERE key = ANY($1)",
                    &[&chunk],
                )? {
                    rows.push((r.get::<_, String>(0), r.get::<_, String>(1)));
                }
            }
            Ok(rows)
        })?;
        let mut out = Vec::new();
        for p in parts {
            for (k, d) in p {
                out.push((k, decode(&d)?));
            }
        }
        Ok(out)
    }

    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        self.coord.intel_sources()
    }

    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        let ShardedStore { coord, shards, .. } = self;
        let name = coord.name.clone();
        let c = client_mut(&mut coord.client, &name)?;
        let mut tx = c.transaction().map_err(|e| coord_err(&name, "begin", e))?;
        tx.execute(
            "DELETE FROM intel_source WHERE source = ANY($1)",
            &[&sources],
        )
        .map_err(|e| coord_err(&name, "removing intel sources", e))?;
        let removed = write_shards(shards, |_, stx| {
            let pe = |e: postgres::Error| StoreError::Backend(pg_message(&e));
            let n = stx
                .execute(
                    "DELETE FROM intel_record WHERE source = ANY($1)",
                    &[&sources],
                )
                .map_err(pe)?;
            stx.execute("DELETE FROM intel_key WHERE source = ANY($1)", &[&sources])
                .map_err(pe)?;
            Ok(n as usize)
        })?;
        tx.commit().map_err(|e| coord_err(&name, "commit", e))?;
        Ok(removed.iter().sum())
    }
}

impl PgStore {
    /// Rows of `table`, one of [`DISTRIBUTION`]'s (`ascribe store stats`).
    pub fn count_rows(&self, table: &str) -> Result<u64, StoreError> {
        if placement(table).is_none() {
            return Err(StoreError::Backend(format!(
                "{table} is not an ascribe table"
            )));
        }
        let mut c = self.conn()?;
        let n: i64 = c
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .map_err(|e| self.err("counting", e))?
            .get(0);
        Ok(n as u64)
    }
}

/// A PostgreSQL store as `--database` names it: the sharded store when the
/// database is a coordinator (`ascribe store shard init`), else the plain
/// one. For callers that hold one store of either kind (the server).
#[derive(Debug)]
pub enum AnyPgStore {
    Single(PgStore),
    Sharded(ShardedStore),
}

/// Open `url` as [`AnyPgStore`]; `allow_partial` as in
/// [`ShardedStore::open`] (ignored by a plain store).
pub fn open_any(url: &str, allow_partial: bool) -> Result<AnyPgStore, StoreError> {
    let pg = PgStore::open(url)?;
    if ShardedStore::layout_of(&pg)?.is_some() {
        return Ok(AnyPgStore::Sharded(ShardedStore::with_coordinator(
            pg,
            url,
            allow_partial,
        )?));
    }
    Ok(AnyPgStore::Single(pg))
}

macro_rules! either {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            AnyPgStore::Single($s) => $e,
            AnyPgStore::Sharded($s) => $e,
        }
    };
}

impl AnyPgStore {
    /// The database (the coordinator for a sharded store), no password.
    pub fn name(&self) -> &str {
        either!(self, s => s.name())
    }
    /// Shards a read left out (`allow_partial`); empty for a plain store.
    pub fn missing_shards(&self) -> Vec<String> {
        match self {
            AnyPgStore::Single(_) => Vec::new(),
            AnyPgStore::Sharded(s) => s.missing_shards(),
        }
    }
}

impl Store for AnyPgStore {
    fn kb_is_empty(&self) -> Result<bool, StoreError> {
        either!(self, s => s.kb_is_empty())
    }
    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError> {
        either!(self, s => s.put_kb_facts(facts))
    }
    fn load_kb_facts(&self) -> Result<KbFacts, StoreError> {
        either!(self, s => s.load_kb_facts())
    }
    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        either!(self, s => s.kb_sources())
    }
    fn clear_kb(&mut self) -> Result<(), StoreError> {
        either!(self, s => s.clear_kb())
    }
    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError> {
        either!(self, s => s.kb_source_entity_ids(source_key))
    }
    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError> {
        either!(self, s => s.remove_kb_sources(source_keys))
    }
}

impl IntelStore for AnyPgStore {
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        either!(self, s => s.put_intel(origin, records))
    }
    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        either!(self, s => s.intel_lookup(keys))
    }
    fn intel_key_actor_counts(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, usize>, StoreError> {
        either!(self, s => s.intel_key_actor_counts(keys))
    }
    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        either!(self, s => s.intel_sources())
    }
    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        either!(self, s => s.remove_intel_sources(sources))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_placement_and_hashing_is_fixed() {
        assert_eq!(placement("intel_key"), Some(Placement::Sharded("key")));
        assert_eq!(placement("kb_source"), Some(Placement::Coordinator));
        assert_eq!(placement("nope"), None);
        // FNV-1a 64 reference values: changing the hash would strand rows
        assert_eq!(
            shard_index(b"", 1_000_000_007),
            0xcbf2_9ce4_8422_2325 % 1_000_000_007
        );
        assert_eq!(shard_index(b"a", u64::MAX as usize), 0xaf63_dc4c_8601_ec8c);
        let n: Vec<usize> = (0..3000)
            .map(|i| shard_index(format!("ipv4:10.0.{}.{}", i / 256, i % 256).as_bytes(), 3))
            .collect();
        for s in 0..3 {
            let c = n.iter().filter(|x| **x == s).count();
            assert!((800..1200).contains(&c), "shard {s}: {c} of 3000");
        }
    }

    #[test]
    fn shard_urls_borrow_the_coordinator_password_only_for_the_same_user() {
        let c = "postgres://ascribe:pw@h:5432/a";
        assert_eq!(
            with_password("postgres://ascribe@h:5433/b", c),
            "postgres://ascribe:pw@h:5433/b"
        );
        assert_eq!(
            with_password("postgres://other@h:5433/b", c),
            "postgres://other@h:5433/b"
        );
        assert_eq!(
            with_password("postgres://ascribe:own@h:5433/b", c),
            "postgres://ascribe:own@h:5433/b"
        );
        assert_eq!(with_password("postgres://h/b", c), "postgres://h/b");
    }
}
