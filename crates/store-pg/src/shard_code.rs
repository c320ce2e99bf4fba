//! The code index sharded across the shards of a [`ShardedStore`]:
//! [`ShardedCodeStore`] implements `ascribe_code::CodeIndexStore`, placed by
//! [`DISTRIBUTION`](crate::DISTRIBUTION) — band postings on the shard of their
//! `band_key`, function records on the shard of their `function_id` (the
//! same FNV-1a hash as every sharded table, [`shard_index`] over the id's 8
//! big-endian bytes), the samples (`code_sample`) and the id allocator
//! (`code_alloc`) on the coordinator.
//!
//! # Writers: the coordinator's sample row is the acknowledgement
//!
//! A sample is written as in [`PgCodeStore`](crate::PgCodeStore): a
//! transaction on the coordinator locks the `code_alloc` row (writers take
//! turns, the ids stay dense and in commit order), catches up with the
//! samples others committed and checks the SHA-256 again. When the sample's
//! last function is given — or, for a bulk writer
//! ([`ShardedCodeStore::set_batch_functions`]; `index add` on a coordinator,
//! `store copy`), when a batch of samples holds enough functions, or at
//! `flush` — every shard writes its share of the batch in one transaction of
//! its own, all shards at once (functions and posting blocks by binary
//! `COPY`, through the same [`copy_postings`] as the single database), the
//! shards commit, and the coordinator commits the batch's sample rows and
//! the advanced allocator **last**, in one statement and one commit. There
//! is no two-phase commit: a writer killed or failing between the shards'
//! commits and the coordinator's leaves rows on some shards whose function
//! ids are at or above the coordinator's committed `next_function` (all the
//! batch's: the coordinator acknowledges a batch whole or not at all). Those
//! *orphans* are harmless and temporary:
//!
//! * readers never hand out a function id at or above the committed
//!   allocator they read (the same snapshot filter that hides a concurrent
//!   writer's rows);
//! * each shard keeps, in its own `code_alloc` row, the coordinator's ids as
//!   of the last sample it committed (its watermark, written in the same
//!   transaction as the rows). The next writer, holding the coordinator's
//!   lock, finds a shard whose watermark is above the committed allocator
//!   and deletes that shard's rows at or above it before writing — so a
//!   re-run of `ascribe index add` re-adds the samples cleanly, with the
//!   same ids and posting positions. A shard's posting blocks are never
//!   compacted: each holds ids of one batch's transaction, so every orphan
//!   block starts at or above the interrupted batch's first id;
//! * `ascribe store shard check` and `ascribe index verify` report them.
//!
//! # Readers
//!
//! A read-only store takes its snapshot on the coordinator first (the
//! samples and the allocator), then a `REPEATABLE READ READ ONLY` snapshot
//! on every shard: anything the coordinator lists was committed on the
//! shards before, so the shards' snapshots hold all of it. A look-up is one
//! batched round trip per shard per stage (band keys grouped by the shard
//! owning them; function records by theirs), all shards at once (one thread
//! each). A shard that cannot be reached or fails is an error naming it,
//! unless the store was opened with `allow_partial` (reads only): then its
//! share is left out — the postings it holds, and the functions it holds
//! even when another shard's postings name them — and
//! [`ShardedCodeStore::missing_shards`] names it for the output.

use ascribe_code::{
    encode_function_record, BandPostings, CodeError, CodeIndexStore, FunctionId, FunctionInsert,
    FunctionRecord, FunctionSignature, SampleId, SampleRecord, StoreCounts, VerifyReport,
    MINHASH_K,
};
use postgres::{Client, Transaction};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use crate::code::{
    copy_function_rows, copy_postings, err, function_from_row, hex, named, poisoned, read_postings,
    SAMPLE_COLUMNS,
};
use crate::ledger::{BatchWriter, Ledger, Pending, SampleRows};
use crate::shard::{shard_index, ShardedStore};
use crate::{pg_message, PgCodeStore, PgStore, LOOKUP_CHUNK};

/// The shard of an integer distribution value among `n` (as
/// `ShardedStore::shard_of_i64`).
fn shard_of(v: i64, n: usize) -> usize {
    shard_index(&v.to_be_bytes(), n)
}

/// One shard's answer to a band look-up.
type ShardPostings = Result<HashMap<i64, BandPostings>, CodeError>;

/// One shard's connection (`None`: unreachable, `allow_partial` only).
struct Node {
    label: String,
    client: Option<Mutex<Client>>,
}

/// A sharded writer's rows: each shard's share of the functions and posting blocks in one
/// transaction a shard (after removing an interrupted writer's orphans), then the sample
/// rows and the allocator on the coordinator, committed last: the acknowledgement.
struct Shards<'a> {
    coord: &'a mut Mutex<Client>,
    shards: &'a mut [Node],
    cleaned: &'a mut Vec<Orphans>,
}

impl BatchWriter for Shards<'_> {
    fn allocator(&mut self, name: &str) -> Result<&mut Client, CodeError> {
        self.coord.get_mut().map_err(|_| poisoned(name))
    }

    fn write(&mut self, name: &str, p: &Pending, rows: &SampleRows) -> Result<(), CodeError> {
        let (Some(first), Some((next_sample, end))) =
            (p.samples.first().map(|s| s.first_function), p.next_ids())
        else {
            return Ok(());
        };
        let n = self.shards.len();
        let first = first as i64;
        let mut funcs: Vec<Vec<(i64, i64, &FunctionSignature)>> = vec![Vec::new(); n];
        for row in p.function_rows() {
            funcs[shard_of(row.0, n)].push(row);
        }
        let mut posts: Vec<Vec<(i64, i64)>> = vec![Vec::new(); n];
        for &(k, f) in &p.postings {
            posts[shard_of(k, n)].push((k, f));
        }
        let (funcs, posts) = (&funcs, &posts);
        let cleaned = write_all(self.shards, |i, tx| {
            // this shard's watermark: the coordinator's ids after the last sample it committed;
            // above the committed allocator, it holds an interrupted writer's rows
            let mark: i64 = tx
                .query_one(
                    "SELECT next_function FROM code_alloc WHERE id = 1 FOR UPDATE",
                    &[],
                )
                .map_err(|e| op("reading its watermark", e))?
                .get(0);
            let mut orphans = (0, 0);
            if mark > first {
                orphans.0 = tx
                    .execute(
                        "DELETE FROM code_function WHERE function_id >= $1",
                        &[&first],
                    )
                    .map_err(|e| op("deleting orphan functions", e))?;
                // a shard's posting blocks are never compacted, so each holds the ids of
                // one batch's transaction: an orphan block starts at or above `first`, the
                // first id of the interrupted batch
                orphans.1 = tx
                    .query_one(
                        "WITH d AS (DELETE FROM code_posting WHERE first_id >= $1 RETURNING n)
                         SELECT coalesce(sum(n), 0)::bigint FROM d",
                        &[&first],
                    )
                    .map_err(|e| op("deleting orphan postings", e))?
                    .get::<_, i64>(0) as u64;
            }
            if !funcs[i].is_empty() {
                copy_function_rows(tx, funcs[i].iter().copied())?;
            }
            copy_postings(tx, &posts[i])?;
            tx.execute(
                "UPDATE code_alloc SET next_sample = $1, next_function = $2 WHERE id = 1",
                &[&next_sample, &end],
            )
            .map_err(|e| op("advancing its watermark", e))?;
            Ok(orphans)
        })?;
        for (i, (f, q)) in cleaned.into_iter().enumerate() {
            if f + q > 0 {
                self.cleaned.push(Orphans {
                    shard: self.shards[i].label.clone(),
                    functions: f,
                    postings: q,
                });
            }
        }
        rows.insert_and_commit(
            self.allocator(name)?,
            name,
            p,
            "committing the samples (their rows on the shards are orphans until the next `index add` removes them)",
        )
    }
}

/// Rows a shard holds at or above the coordinator's committed allocator
/// (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Orphans {
    pub shard: String,
    pub functions: u64,
    pub postings: u64,
}

/// The code index of a sharded store (see the module documentation).
pub struct ShardedCodeStore {
    coord: Mutex<Client>,
    shards: Vec<Node>,
    allow_partial: bool,
    missing: Mutex<BTreeSet<usize>>,
    read_only: bool,
    /// Committed samples known to this store, then the pending ones (if any).
    ledger: Ledger,
    /// Orphan rows deleted by this writer so far (per shard label).
    cleaned: Vec<Orphans>,
}

impl std::fmt::Debug for ShardedCodeStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardedCodeStore")
            .field("coordinator", &self.ledger.name)
            .field("shards", &self.shards.len())
            .field("samples", &self.ledger.samples.len())
            .finish()
    }
}

fn store_err(e: ascribe_store::StoreError) -> CodeError {
    CodeError::Store(e.to_string())
}

fn every_shard_msg() -> &'static str {
    "every shard must answer (similar and analyze take --allow-partial to answer from the live shards)"
}

impl ShardedCodeStore {
    /// Opens the code index of the sharded store whose coordinator is at
    /// `url`, for writing (`index add`): every shard must answer.
    pub fn open(url: &str) -> Result<ShardedCodeStore, CodeError> {
        let s = ShardedStore::open(url, false).map_err(store_err)?;
        Self::from_sharded(s, false)
    }

    /// Opens it read-only (a snapshot); `allow_partial` leaves unreachable
    /// or failing shards out instead of failing (see
    /// [`ShardedCodeStore::missing_shards`]).
    pub fn open_read_only(url: &str, allow_partial: bool) -> Result<ShardedCodeStore, CodeError> {
        let s = ShardedStore::open(url, allow_partial).map_err(store_err)?;
        Self::from_sharded(s, true)
    }

    /// [`ShardedCodeStore::open`] with the coordinator's tables in `schema`
    /// (tests).
    pub fn open_in_schema(url: &str, schema: &str) -> Result<ShardedCodeStore, CodeError> {
        let s = ShardedStore::open_in_schema(url, schema, false).map_err(store_err)?;
        Self::from_sharded(s, false)
    }

    /// [`ShardedCodeStore::open_read_only`] with the coordinator's tables in
    /// `schema` (tests).
    pub fn open_in_schema_read_only(
        url: &str,
        schema: &str,
        allow_partial: bool,
    ) -> Result<ShardedCodeStore, CodeError> {
        let s = ShardedStore::open_in_schema(url, schema, allow_partial).map_err(store_err)?;
        Self::from_sharded(s, true)
    }

    /// The code index over the connections of an open sharded store (taken
    /// over: no second connection). A writer needs every shard.
    pub fn from_sharded(s: ShardedStore, read_only: bool) -> Result<ShardedCodeStore, CodeError> {
        let nodes = s.into_nodes();
        let (mut coord, name) = nodes.coord.into_parts().map_err(store_err)?;
        let mut missing = BTreeSet::new();
        let mut shards = Vec::with_capacity(nodes.shards.len());
        for (i, (label, st)) in nodes.shards.into_iter().enumerate() {
            match st {
                Some(st) => {
                    let (c, _) = st.into_parts().map_err(store_err)?;
                    shards.push(Node {
                        label,
                        client: Some(Mutex::new(c)),
                    });
                }
                None if read_only => {
                    missing.insert(i);
                    shards.push(Node {
                        label,
                        client: None,
                    });
                }
                None => {
                    return Err(CodeError::Store(format!(
                        "{label} is unreachable; every shard must answer a write"
                    )))
                }
            }
        }
        // as PgCodeStore: look-ups keep to the indexes; a reader's snapshot
        coord
            .batch_execute("SET enable_seqscan = off")
            .map_err(|e| err(&name, "setting up the connection", e))?;
        if read_only {
            coord
                .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .map_err(|e| err(&name, "starting a snapshot", e))?;
        }
        let rows = coord
            .query(
                &format!("SELECT {SAMPLE_COLUMNS} FROM code_sample ORDER BY sample_id"),
                &[],
            )
            .map_err(|e| err(&name, "reading the code samples", e))?;
        let mut s = ShardedCodeStore {
            coord: Mutex::new(coord),
            shards,
            allow_partial: nodes.allow_partial && read_only,
            missing: Mutex::new(missing),
            read_only,
            ledger: Ledger::new(name),
            cleaned: Vec::new(),
        };
        s.ledger.append_samples(&rows)?;
        // every shard's snapshot after the coordinator's (it then holds all the coordinator
        // lists); a REPEATABLE READ snapshot is taken by the first statement
        let setup = if read_only {
            "SET enable_seqscan = off; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1"
        } else {
            "SET enable_seqscan = off"
        };
        let all: Vec<usize> = (0..s.shards.len()).collect();
        s.on_shards(&all, |_, c| c.batch_execute(setup))?;
        Ok(s)
    }

    /// The coordinator, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.ledger.name
    }

    /// Number of shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Labels of the shards whose share a read left out so far
    /// (`allow_partial` only).
    pub fn missing_shards(&self) -> Vec<String> {
        let m = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        m.iter().map(|i| self.shards[*i].label.clone()).collect()
    }

    /// Orphan rows this writer deleted before writing (an earlier writer
    /// killed between the shards' commits and the coordinator's).
    pub fn cleaned_orphans(&self) -> &[Orphans] {
        &self.cleaned
    }

    /// Runs the read `f` on the shards in `which`, all at once; results in
    /// the order of `which`, without the shards left out (`allow_partial`).
    fn on_shards<T, F>(&self, which: &[usize], f: F) -> Result<Vec<(usize, T)>, CodeError>
    where
        T: Send,
        F: Fn(usize, &mut Client) -> Result<T, postgres::Error> + Sync,
    {
        let f = &f;
        let results: Vec<(usize, Result<Option<T>, String>)> = std::thread::scope(|sc| {
            let hs: Vec<_> = which
                .iter()
                .map(|&i| {
                    let node = &self.shards[i];
                    sc.spawn(move || {
                        let Some(m) = &node.client else {
                            return Ok(None);
                        };
                        match m.lock() {
                            Ok(mut c) => f(i, &mut c).map(Some).map_err(|e| pg_message(&e)),
                            Err(_) => Err("the connection was poisoned by an earlier panic".into()),
                        }
                    })
                })
                .collect();
            hs.into_iter()
                .zip(which)
                .map(|(h, &i)| {
                    (
                        i,
                        h.join()
                            .unwrap_or_else(|_| Err("its reading thread panicked".into())),
                    )
                })
                .collect()
        });
        let mut out = Vec::with_capacity(results.len());
        for (i, r) in results {
            match r {
                Ok(Some(v)) => out.push((i, v)),
                Ok(None) => {
                    if let Ok(mut m) = self.missing.lock() {
                        m.insert(i);
                    }
                }
                Err(_) if self.allow_partial => {
                    if let Ok(mut m) = self.missing.lock() {
                        m.insert(i);
                    }
                }
                Err(e) => {
                    return Err(CodeError::Store(format!(
                        "{} failed: {e}; {}",
                        self.shards[i].label,
                        every_shard_msg()
                    )))
                }
            }
        }
        Ok(out)
    }

    fn missing_set(&self) -> BTreeSet<usize> {
        self.missing.lock().map(|m| m.clone()).unwrap_or_default()
    }

    fn read_only_error(&self) -> CodeError {
        CodeError::Store(format!("{}: code index opened read-only", self.ledger.name))
    }

    /// The writer's side of the connections, for the [`Ledger`].
    fn writer(&mut self) -> (&mut Ledger, Shards<'_>) {
        (
            &mut self.ledger,
            Shards {
                coord: &mut self.coord,
                shards: &mut self.shards,
                cleaned: &mut self.cleaned,
            },
        )
    }

    /// Makes this writer keep its coordinator transaction (and the allocator
    /// lock) over several samples and write them as one batch when it holds
    /// at least `functions` functions (and at `flush`): each shard then
    /// copies the batch's functions and posting blocks in one transaction,
    /// and the coordinator commits the batch's sample rows last, as it does
    /// one sample's. A sample is acknowledged at the commit that ends its
    /// batch. Other writers wait for the allocator lock meanwhile. 0 (the
    /// default) commits every sample.
    pub fn set_batch_functions(&mut self, functions: usize) {
        self.ledger.batch_functions = functions;
    }

    /// Writes the pending samples' rows and commits them.
    fn commit_pending(&mut self) -> Result<(), CodeError> {
        let (ledger, mut w) = self.writer();
        ledger.commit_pending(&mut w)
    }

    /// [`CodeIndexStore::lookup_bands`] with each shard's share timed (benchmarks): the
    /// answer, and per shard asked its label, the number of keys it was asked and the seconds
    /// its statement took (each on its own thread, all shards at once).
    #[allow(clippy::type_complexity)]
    pub fn lookup_bands_timed(
        &self,
        keys: &[u64],
        limit: usize,
    ) -> Result<(Vec<BandPostings>, Vec<(String, usize, f64)>), CodeError> {
        let times = Mutex::new(Vec::new());
        let found = self.lookup_bands_in(keys, limit, Some(&times))?;
        let mut t = times.into_inner().unwrap_or_default();
        t.sort_by_key(|x: &(usize, usize, f64)| x.0);
        Ok((
            found,
            t.into_iter()
                .map(|(i, k, s)| (self.shards[i].label.clone(), k, s))
                .collect(),
        ))
    }

    /// One [`read_postings`] per shard holding any of the keys, all shards
    /// at once, timed into `times` when given. With `allow_partial`, functions held by a
    /// shard left out are dropped from the lists (their records cannot be read).
    #[allow(clippy::type_complexity)]
    fn lookup_bands_in(
        &self,
        keys: &[u64],
        limit: usize,
        times: Option<&Mutex<Vec<(usize, usize, f64)>>>,
    ) -> Result<Vec<BandPostings>, CodeError> {
        let n = self.shards.len();
        let mut by: Vec<Vec<i64>> = vec![Vec::new(); n];
        for &k in keys {
            by[shard_of(k as i64, n)].push(k as i64);
        }
        for v in &mut by {
            v.sort_unstable();
            v.dedup();
        }
        let which: Vec<usize> = (0..n).filter(|&i| !by[i].is_empty()).collect();
        let snapshot = self.ledger.committed_functions;
        let by = &by;
        // read_postings' CodeError travels as a String through the postgres-error channel
        let parts: Vec<(usize, ShardPostings)> = self.on_shards(&which, |i, c| {
            let t = std::time::Instant::now();
            let r = read_postings(c, &by[i], limit, snapshot);
            if let Some(m) = times {
                if let Ok(mut m) = m.lock() {
                    m.push((i, by[i].len(), t.elapsed().as_secs_f64()));
                }
            }
            Ok(r)
        })?;
        let mut found: HashMap<i64, BandPostings> = HashMap::new();
        for (i, r) in parts {
            match r {
                Ok(m) => found.extend(m),
                Err(_) if self.allow_partial => {
                    if let Ok(mut m) = self.missing.lock() {
                        m.insert(i);
                    }
                }
                Err(e) => {
                    return Err(named(
                        &self.shards[i].label,
                        CodeError::Store(format!(
                            "{}; {}",
                            match e {
                                CodeError::Store(m) => m,
                                other => other.to_string(),
                            },
                            every_shard_msg()
                        )),
                    ))
                }
            }
        }
        let missing = self.missing_set();
        if !missing.is_empty() {
            for b in found.values_mut() {
                b.functions
                    .retain(|&f| !missing.contains(&shard_of(i64::from(f), n)));
            }
        }
        Ok(keys
            .iter()
            .map(|&k| found.get(&(k as i64)).cloned().unwrap_or_default())
            .collect())
    }

    /// Rows each shard holds at or above the coordinator's committed
    /// allocator (`store shard check`); every shard must answer.
    pub fn orphans(&self) -> Result<Vec<Orphans>, CodeError> {
        let next = self.ledger.committed_functions as i64;
        let all: Vec<usize> = (0..self.shards.len()).collect();
        let per = self.on_shards(&all, |_, c| {
            let f: i64 = c
                .query_one(
                    "SELECT count(*) FROM code_function WHERE function_id >= $1",
                    &[&next],
                )?
                .get(0);
            let p: i64 = c
                .query_one(
                    "SELECT coalesce(sum(n), 0)::bigint FROM code_posting WHERE first_id >= $1",
                    &[&next],
                )?
                .get(0);
            Ok((f as u64, p as u64))
        })?;
        self.need_all(per.len())?;
        Ok(per
            .into_iter()
            .filter(|(_, (f, p))| f + p > 0)
            .map(|(i, (functions, postings))| Orphans {
                shard: self.shards[i].label.clone(),
                functions,
                postings,
            })
            .collect())
    }

    fn need_all(&self, got: usize) -> Result<(), CodeError> {
        if got < self.shards.len() {
            let m = self.missing_shards();
            return Err(CodeError::Store(format!(
                "{} unreachable; a check needs every shard",
                m.join(", ")
            )));
        }
        Ok(())
    }

    /// Checks the index without modifying it, as
    /// [`PgCodeStore::verify`](crate::PgCodeStore::verify) does, across the
    /// nodes: the coordinator's allocator and dense ids, each sample's
    /// function rows (summed over the shards) and their SHA-256 against
    /// `records_sha256`, every function and posting on the shard its
    /// distribution column hashes to, the posting count. Orphans (rows at or
    /// above the committed allocator) are not problems here: see
    /// [`ShardedCodeStore::orphans`]. Every shard must answer.
    pub fn verify(&self) -> Result<VerifyReport, CodeError> {
        let mut rep = VerifyReport {
            checksummed: true,
            ..VerifyReport::default()
        };
        let n = self.shards.len();
        let (next_sample, next_function, samples) = {
            let mut c = self.coord.lock().map_err(|_| poisoned(&self.ledger.name))?;
            let e = |what: &str, x: postgres::Error| err(&self.ledger.name, what, x);
            if !self.read_only {
                c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .map_err(|x| e("starting a snapshot", x))?;
            }
            let a = c
                .query_one(
                    "SELECT next_sample, next_function FROM code_alloc WHERE id = 1",
                    &[],
                )
                .map_err(|x| e("reading code_alloc", x))?;
            let s = c
                .query(
                    &format!("SELECT {SAMPLE_COLUMNS} FROM code_sample ORDER BY sample_id"),
                    &[],
                )
                .map_err(|x| e("reading code_sample", x))?;
            if !self.read_only {
                c.batch_execute("COMMIT")
                    .map_err(|x| e("ending the snapshot", x))?;
            }
            (a.get::<_, i64>(0), a.get::<_, i64>(1), s)
        };
        let funcs_end: i64 = samples.iter().map(|r| r.get::<_, i64>(2)).sum();
        // per shard: function rows per sample and postings below the committed allocator,
        // and misplaced function ids (postings: checked by key below)
        let all: Vec<usize> = (0..n).collect();
        let per = self.on_shards(&all, |i, c| {
            let per_sample: Vec<(i64, i64)> = c
                .query(
                    "SELECT sample_id, count(*) FROM code_function WHERE function_id < $1 GROUP BY sample_id",
                    &[&funcs_end],
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            let posts: i64 = c
                .query_one(
                    "SELECT coalesce(sum(n), 0)::bigint FROM code_posting WHERE first_id < $1",
                    &[&funcs_end],
                )?
                .get(0);
            let stray: i64 = c
                .query_one(
                    "SELECT coalesce(sum(n), 0)::bigint FROM code_posting WHERE first_id < 0",
                    &[],
                )?
                .get(0);
            let keys: Vec<i64> = c
                .query("SELECT DISTINCT band_key FROM code_posting", &[])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let misplaced_keys = keys.iter().filter(|&&k| shard_of(k, n) != i).count();
            Ok((per_sample, posts, stray, misplaced_keys))
        })?;
        self.need_all(per.len())?;
        let mut per_sample: HashMap<i64, i64> = HashMap::new();
        let mut total_posts = 0i64;
        for (i, (ps, posts, stray, misplaced)) in per {
            let label = &self.shards[i].label;
            for (s, c) in ps {
                *per_sample.entry(s).or_default() += c;
            }
            total_posts += posts;
            if stray > 0 {
                rep.problems.push(format!(
                    "code_posting on {label}: {stray} posting(s) name no function"
                ));
            }
            if misplaced > 0 {
                rep.problems.push(format!(
                    "code_posting on {label}: {misplaced} band key(s) hash to another shard"
                ));
            }
        }
        let (mut funcs, mut posts) = (0i64, 0i64);
        for (i, r) in samples.iter().enumerate() {
            let (id, first, nf, np): (i64, i64, i64, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            if id != i as i64 {
                rep.problems
                    .push(format!("code_sample: sample {id} where {i} was expected"));
                break;
            }
            if first != funcs {
                rep.problems.push(format!(
                    "code_sample: sample {id} starts at function {first}, {funcs} expected"
                ));
            }
            let have = per_sample.get(&id).copied().unwrap_or(0);
            if have != nf {
                rep.problems.push(format!(
                    "code_function: sample {id} has {have} function rows on the shards, code_sample says {nf}"
                ));
            }
            match serde_json::from_str::<SampleRecord>(r.get::<_, &str>(4)) {
                Err(x) => rep.problems.push(format!(
                    "code_sample: sample {id} is not a sample record ({x})"
                )),
                Ok(rec) => {
                    if let Some(want) = &rec.records_sha256 {
                        let parts = self.on_shards(&all, |i, c| {
                            let rows = c.query(
                                "SELECT function_id, instructions, blocks, edges, address, exact, minhash, sample_id
                                 FROM code_function WHERE function_id >= $1 AND function_id < $2",
                                &[&first, &(first + nf)],
                            )?;
                            Ok(rows
                                .iter()
                                .map(|fr| {
                                    let fid: i64 = fr.get(0);
                                    (fid, shard_of(fid, n) == i, fr.get::<_, i64>(7), function_from_row(fr, 1))
                                })
                                .collect::<Vec<_>>())
                        })?;
                        self.need_all(parts.len())?;
                        let mut rows: Vec<_> = parts.into_iter().flat_map(|(_, v)| v).collect();
                        rows.sort_by_key(|r| r.0);
                        let misplaced = rows.iter().filter(|r| !r.1).count();
                        if misplaced > 0 {
                            rep.problems.push(format!(
                                "code_function: {misplaced} function(s) of sample {id} on a shard their id does not hash to"
                            ));
                        }
                        let mut buf = Vec::new();
                        for (_, _, s, f) in &rows {
                            encode_function_record(*s as SampleId, f, &mut buf);
                        }
                        if &hex(&Sha256::digest(&buf)) != want {
                            rep.problems.push(format!(
                                "code_function: the function records of sample {id} ({}) do not match their checksum",
                                rec.name.as_deref().unwrap_or(&rec.sha256)
                            ));
                        }
                    }
                }
            }
            funcs += nf;
            posts += np;
        }
        if next_sample != samples.len() as i64 || next_function != funcs {
            rep.problems.push(format!(
                "code_alloc: next ids {next_sample}/{next_function}, the samples end at {}/{funcs}",
                samples.len()
            ));
        }
        if total_posts != posts {
            rep.problems.push(format!(
                "code_posting: {total_posts} rows on the shards, the samples hold {posts}"
            ));
        }
        rep.counts = StoreCounts {
            samples: samples.len() as u64,
            functions: funcs as u64,
            postings: total_posts as u64,
        };
        Ok(rep)
    }
}

/// An error inside a shard's write, named by [`write_all`].
fn op(what: &str, e: postgres::Error) -> CodeError {
    CodeError::Store(format!("({what}): {}", pg_message(&e)))
}

/// Runs `f(shard, transaction)` on every shard at once, each in a
/// transaction of its own, and commits them all only when every shard
/// succeeded. Errors name the shard.
fn write_all<T, F>(shards: &mut [Node], f: F) -> Result<Vec<T>, CodeError>
where
    T: Send,
    F: Fn(usize, &mut Transaction<'_>) -> Result<T, CodeError> + Sync,
{
    for s in shards.iter() {
        if s.client.is_none() {
            return Err(CodeError::Store(format!(
                "{} is unreachable; every shard must answer a write",
                s.label
            )));
        }
    }
    let f = &f;
    std::thread::scope(|sc| {
        let hs: Vec<_> = shards
            .iter_mut()
            .enumerate()
            .map(|(i, node)| {
                let label = node.label.clone();
                let m = node.client.as_mut().expect("checked above");
                sc.spawn(move || -> Result<(Transaction<'_>, T), CodeError> {
                    let c = m.get_mut().map_err(|_| poisoned(&label))?;
                    let mut tx = c.transaction().map_err(|e| named(&label, op("begin", e)))?;
                    let v = f(i, &mut tx).map_err(|e| named(&label, e))?;
                    Ok((tx, v))
                })
            })
            .collect();
        let results: Vec<_> = hs
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(CodeError::Store("a shard's writing thread panicked".into()))
                })
            })
            .collect();
        let mut txs = Vec::with_capacity(results.len());
        for r in results {
            txs.push(r?); // an error drops (rolls back) every transaction
        }
        let mut out = Vec::with_capacity(txs.len());
        for (tx, v) in txs {
            tx.commit().map_err(|e| {
                CodeError::Store(format!(
                    "a shard's commit failed ({}); rows of the sample may be left on the shards committed before it: the next `index add` removes them",
                    pg_message(&e)
                ))
            })?;
            out.push(v);
        }
        Ok(out)
    })
}

impl CodeIndexStore for ShardedCodeStore {
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError> {
        Ok(self.ledger.by_sha.get(sha256).copied())
    }

    /// As [`PgCodeStore`]'s: the sample commits when its last function is
    /// given (`functions_indexed` of them).
    fn put_sample(&mut self, sample: SampleRecord) -> Result<SampleId, CodeError> {
        self.put_sample_if_new(sample).map(|(id, _)| id)
    }

    fn put_sample_if_new(&mut self, sample: SampleRecord) -> Result<(SampleId, bool), CodeError> {
        if self.read_only {
            return Err(self.read_only_error());
        }
        let (ledger, mut w) = self.writer();
        ledger.put_sample_if_new(&mut w, sample)
    }

    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        if self.read_only {
            return Err(self.read_only_error());
        }
        let (ledger, mut w) = self.writer();
        ledger.put_functions(&mut w, sample, batch)
    }

    /// One [`read_postings`] per shard holding any of the keys, all shards
    /// at once. With `allow_partial`, functions held by a shard left out are
    /// dropped from the lists (their records cannot be read).
    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        self.lookup_bands_in(keys, limit, None)
    }

    /// One `function_id = ANY($1)` per shard holding any of the ids, all
    /// shards at once.
    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        let n = self.shards.len();
        let mut by: Vec<Vec<i64>> = vec![Vec::new(); n];
        for &i in ids {
            by[shard_of(i64::from(i), n)].push(i64::from(i));
        }
        for v in &mut by {
            v.sort_unstable();
            v.dedup();
        }
        let which: Vec<usize> = (0..n).filter(|&i| !by[i].is_empty()).collect();
        let by = &by;
        let parts = self.on_shards(&which, |i, c| {
            let mut out = Vec::with_capacity(by[i].len());
            for chunk in by[i].chunks(LOOKUP_CHUNK) {
                for r in c.query(
                    "SELECT function_id, sample_id, instructions, blocks, edges, address, exact, minhash
                     FROM code_function WHERE function_id = ANY($1)",
                    &[&chunk],
                )? {
                    out.push((r.get::<_, i64>(0), r.get::<_, i64>(1), function_from_row(&r, 2)));
                }
            }
            Ok(out)
        })?;
        let mut found: HashMap<i64, FunctionRecord> = HashMap::with_capacity(ids.len());
        for (i, rows) in parts {
            for (fid, sample, signature) in rows {
                if signature.minhash.len() != MINHASH_K {
                    return Err(CodeError::Store(format!(
                        "{}: function {fid} has a MinHash of {} values: run `ascribe index verify`",
                        self.shards[i].label,
                        signature.minhash.len()
                    )));
                }
                found.insert(
                    fid,
                    FunctionRecord {
                        sample: sample as SampleId,
                        signature,
                    },
                );
            }
        }
        ids.iter()
            .map(|&i| {
                found.get(&i64::from(i)).cloned().ok_or_else(|| {
                    let s = shard_of(i64::from(i), n);
                    CodeError::Store(format!(
                        "{}: no function {i} on {}",
                        self.ledger.name, self.shards[s].label
                    ))
                })
            })
            .collect()
    }

    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        self.ledger.sample(id)
    }

    fn counts(&self) -> Result<StoreCounts, CodeError> {
        Ok(self.ledger.counts())
    }

    fn flush(&mut self) -> Result<(), CodeError> {
        self.commit_pending()
    }
}

impl Drop for ShardedCodeStore {
    fn drop(&mut self) {
        // an unfinished batch: nothing of it is committed anywhere (the shards write only
        // when it is complete: its size reached, or `flush`)
        if self.ledger.pending.is_some() {
            let (_, mut w) = self.writer();
            w.rollback();
        }
    }
}

/// The code index of a PostgreSQL database as `--database` names it: the
/// sharded one when the database is a coordinator, else the single one.
#[derive(Debug)]
pub enum AnyCodeStore {
    Single(PgCodeStore),
    Sharded(ShardedCodeStore),
}

/// Opens the code index at `url`: [`ShardedCodeStore`] on a coordinator,
/// [`PgCodeStore`] on a plain database. `allow_partial` (read-only only)
/// as in [`ShardedCodeStore::open_read_only`].
pub fn open_code(
    url: &str,
    read_only: bool,
    allow_partial: bool,
) -> Result<AnyCodeStore, CodeError> {
    let pg = PgStore::open(url).map_err(store_err)?;
    if ShardedStore::layout_of(&pg).map_err(store_err)?.is_some() {
        let s = ShardedStore::with_coordinator(pg, url, allow_partial && read_only)
            .map_err(store_err)?;
        return Ok(AnyCodeStore::Sharded(ShardedCodeStore::from_sharded(
            s, read_only,
        )?));
    }
    Ok(AnyCodeStore::Single(PgCodeStore::from_pg(pg, read_only)?))
}

macro_rules! either {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            AnyCodeStore::Single($s) => $e,
            AnyCodeStore::Sharded($s) => $e,
        }
    };
}

impl AnyCodeStore {
    /// The database (the coordinator), no password.
    pub fn name(&self) -> &str {
        either!(self, s => s.name())
    }
    /// Checks the index (see the stores' `verify`).
    pub fn verify(&self) -> Result<VerifyReport, CodeError> {
        either!(self, s => s.verify())
    }
    /// Shards a read left out (`allow_partial`); empty for a single database.
    pub fn missing_shards(&self) -> Vec<String> {
        match self {
            AnyCodeStore::Single(_) => Vec::new(),
            AnyCodeStore::Sharded(s) => s.missing_shards(),
        }
    }
    /// Orphan rows on the shards (none on a single database).
    pub fn orphans(&self) -> Result<Vec<Orphans>, CodeError> {
        match self {
            AnyCodeStore::Single(_) => Ok(Vec::new()),
            AnyCodeStore::Sharded(s) => s.orphans(),
        }
    }
    /// Orphan rows a writer deleted before writing.
    pub fn cleaned_orphans(&self) -> &[Orphans] {
        match self {
            AnyCodeStore::Single(_) => &[],
            AnyCodeStore::Sharded(s) => s.cleaned_orphans(),
        }
    }
    /// Merges posting blocks ([`PgCodeStore::compact`]) on a single database. A shard's
    /// blocks are left as written (one block a key a sample): the orphan clean-up deletes
    /// an interrupted writer's blocks by their first id, which a merged block would hide.
    /// Look-ups read uncompacted blocks correctly, only with more rows a key. Returns the
    /// keys compacted and the blocks before and after (zeros on a sharded store).
    /// Gives a read-only single-database store `n` connections in one snapshot
    /// ([`PgCodeStore::add_readers`]; `url` is the one it was opened with). A sharded store
    /// already reads its shards at once, one connection each: unchanged.
    pub fn add_readers(&mut self, url: &str, n: usize) -> Result<(), CodeError> {
        match self {
            AnyCodeStore::Single(s) if n > 1 => s.add_readers(url, None, n),
            _ => Ok(()),
        }
    }
    /// Batched commits: [`PgCodeStore::set_batch_functions`] on a single database,
    /// [`ShardedCodeStore::set_batch_functions`] on a coordinator (one transaction a shard a
    /// batch; the coordinator's sample rows, committed last, acknowledge the batch).
    pub fn set_batch_functions(&mut self, functions: usize) {
        either!(self, s => s.set_batch_functions(functions))
    }
    pub fn compact(&mut self) -> Result<(u64, u64, u64), CodeError> {
        match self {
            AnyCodeStore::Single(s) => s.compact(),
            AnyCodeStore::Sharded(_) => Ok((0, 0, 0)),
        }
    }
}

impl CodeIndexStore for AnyCodeStore {
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError> {
        either!(self, s => s.find_sample(sha256))
    }
    fn put_sample(&mut self, sample: SampleRecord) -> Result<SampleId, CodeError> {
        either!(self, s => s.put_sample(sample))
    }
    fn put_sample_if_new(&mut self, sample: SampleRecord) -> Result<(SampleId, bool), CodeError> {
        either!(self, s => s.put_sample_if_new(sample))
    }
    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        either!(self, s => s.put_functions(sample, batch))
    }
    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        either!(self, s => s.lookup_bands(keys, limit))
    }
    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        either!(self, s => s.functions(ids))
    }
    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        either!(self, s => s.sample(id))
    }
    fn counts(&self) -> Result<StoreCounts, CodeError> {
        either!(self, s => s.counts())
    }
    fn flush(&mut self) -> Result<(), CodeError> {
        either!(self, s => s.flush())
    }
}
