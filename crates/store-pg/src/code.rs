//! The code index on PostgreSQL: [`PgCodeStore`] implements
//! `ascribe_code::CodeIndexStore`, so `CodeIndex` ranks exactly as it does on
//! the embedded `DiskStore` (the same ids, the same posting lists, the same
//! even sampling of long lists).
//!
//! # Tables (schema version 3)
//!
//! * `code_sample`: one row a sample (`sample_id`, `sha256` unique, its first
//!   function id, function and posting counts, the `SampleRecord` as JSON);
//! * `code_function`: one row a function (`function_id`, `sample_id`, the
//!   signature; the MinHash as 128 bytes);
//! * `code_posting`: band postings packed in blocks, `(band_key, first_id,
//!   n, ids)`, primary key `(band_key, first_id) INCLUDE (n)`: `ids` holds
//!   `n` (at most [`BLOCK`]) ascending function ids of one key, 4 bytes
//!   big-endian each, and `first_id` is the first of them. A key's list is its
//!   blocks in `first_id` order. A write adds one block a key a transaction
//!   (a sample, or a batch of samples: [`PgCodeStore::set_batch_functions`]);
//!   [`PgCodeStore::compact`] merges a key's blocks into full ones. A
//!   look-up reads one row a block, and of a long list only the blocks that
//!   hold its even sample (positions from the `n` of the index entries);
//!   never one row a posting;
//! * `code_alloc`: one row holding the next sample and function ids.
//!
//! # Writers
//!
//! Ids are dense and handed out in commit order, as `CodeIndex` expects. A
//! sample is written in one transaction that starts by locking the
//! `code_alloc` row (`SELECT … FOR UPDATE`): concurrent writers (several
//! `ascribe index add` processes) take turns for the few milliseconds a
//! sample's rows take to copy, while their extraction runs in parallel.
//! Under that lock the writer catches up with the samples others committed
//! and checks the SHA-256 again, so a file added by two processes is stored
//! once. The transaction commits as soon as the sample's last function is
//! given (its `functions_indexed`), so every sample `index add` reports is
//! durable, and a process killed mid-sample leaves nothing of it behind (its
//! transaction is rolled back by the server); a re-run adds it. A bulk writer
//! ([`PgCodeStore::set_batch_functions`]) keeps the transaction (and the
//! allocator lock) over several samples and commits them together: then a
//! sample is durable at the commit that ends its batch (or at `flush`).
//!
//! # Readers
//!
//! A read-only store (`similar`, `analyze`, `index stats|verify`) opens a
//! `REPEATABLE READ READ ONLY` transaction and reads the sample table in it:
//! every look-up then sees the index as of that moment, whatever writers
//! commit meanwhile, so an open index never meets a function whose sample it
//! does not know. The transaction lasts as long as the store (it holds back
//! vacuum meanwhile): a long-running process should open one per analysis.
//! A writable store filters look-ups to the functions it knows instead.
//! A read-only store may get more connections in the same snapshot
//! ([`PgCodeStore::add_readers`]): a look-up or function fetch is then split
//! into one contiguous range of sorted keys (ids) per connection, all sent
//! at once — the server spends its time on one B-tree descent per key, on
//! one core per connection.
//!
//! # Compaction and shards
//!
//! [`PgCodeStore::compact`] rewrites a key's committed blocks as one run of
//! full blocks whose `first_id`s are ids of that run. A sharded writer that
//! deletes orphan rows "at or above the coordinator's allocator" must do so
//! before compacting (or compact only blocks below it): a merged block
//! starts below the allocator even when it holds orphan ids.

use ascribe_code::{
    encode_function_record, BandPostings, CodeError, CodeIndexStore, FunctionId, FunctionInsert,
    FunctionRecord, FunctionSignature, SampleId, SampleRecord, StoreCounts, VerifyReport,
    MINHASH_K,
};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::ledger::{BatchWriter, Ledger, Pending, SampleRows};
use crate::{pg_message, PgStore, LOOKUP_CHUNK};

/// A [`PgCodeStore`]'s rows all go to its one database: functions and posting blocks, then
/// the sample rows and the allocator, in the transaction `lock_allocator` opened.
struct OneDatabase<'a> {
    client: &'a mut Mutex<Client>,
    touched: &'a mut Option<std::collections::HashSet<i64>>,
}

impl BatchWriter for OneDatabase<'_> {
    fn allocator(&mut self, name: &str) -> Result<&mut Client, CodeError> {
        self.client.get_mut().map_err(|_| poisoned(name))
    }

    fn write(&mut self, name: &str, p: &Pending, rows: &SampleRows) -> Result<(), CodeError> {
        let c = self.allocator(name)?;
        copy_function_rows(c, p.function_rows()).map_err(|e| named(name, e))?;
        copy_postings(c, &p.postings).map_err(|e| named(name, e))?;
        rows.insert_and_commit(c, name, p, "committing the samples")
    }

    fn committed(&mut self, p: &Pending) {
        if let Some(t) = self.touched {
            t.extend(p.postings.iter().map(|x| x.0));
            if t.len() > TOUCHED_MAX {
                *self.touched = None;
            }
        }
    }
}

/// Band keys written since the last compaction, remembered for [`PgCodeStore::compact`] up
/// to this many (beyond, it scans the whole table).
const TOUCHED_MAX: usize = 4_000_000;

/// The code index in a PostgreSQL database (see the module documentation).
pub struct PgCodeStore {
    client: Mutex<Client>,
    read_only: bool,
    /// Committed samples known to this store, then the pending ones (if any).
    ledger: Ledger,
    /// Keys this writer added blocks to (None: too many to remember).
    touched: Option<std::collections::HashSet<i64>>,
    /// More connections of a read-only store, in its snapshot ([`PgCodeStore::add_readers`]).
    readers: Vec<Mutex<Client>>,
}

impl std::fmt::Debug for PgCodeStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgCodeStore")
            .field("db", &self.ledger.name)
            .field("samples", &self.ledger.samples.len())
            .finish()
    }
}

fn store_err(e: crate::StoreError) -> CodeError {
    CodeError::Store(e.to_string())
}

pub(crate) fn minhash_bytes(m: &[u16]) -> Vec<u8> {
    let mut b = Vec::with_capacity(MINHASH_K * 2);
    for i in 0..MINHASH_K {
        b.extend_from_slice(&m.get(i).copied().unwrap_or(0).to_le_bytes());
    }
    b
}

pub(crate) fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) const SAMPLE_COLUMNS: &str = "sample_id, first_function, functions, postings, data";

impl PgCodeStore {
    /// Connects to `url`, applies the migrations and reads the samples, for
    /// writing (`index add`, `store copy`).
    pub fn open(url: &str) -> Result<PgCodeStore, CodeError> {
        Self::from_store(PgStore::open(url).map_err(store_err)?, false)
    }

    /// Like [`PgCodeStore::open`], refusing every write (`similar`,
    /// `analyze`, `index stats`).
    pub fn open_read_only(url: &str) -> Result<PgCodeStore, CodeError> {
        Self::from_store(PgStore::open(url).map_err(store_err)?, true)
    }

    /// Like [`PgCodeStore::open`], with the tables in `schema` (tests,
    /// several indexes in one database).
    pub fn open_in_schema(url: &str, schema: &str) -> Result<PgCodeStore, CodeError> {
        Self::from_store(
            PgStore::open_in_schema(url, schema).map_err(store_err)?,
            false,
        )
    }

    /// [`PgCodeStore::open_in_schema`], read-only.
    pub fn open_in_schema_read_only(url: &str, schema: &str) -> Result<PgCodeStore, CodeError> {
        Self::from_store(
            PgStore::open_in_schema(url, schema).map_err(store_err)?,
            true,
        )
    }

    /// [`PgCodeStore::open_read_only`] over a store already open (its
    /// connection is taken over: no second connection).
    pub fn read_only_from(st: PgStore) -> Result<PgCodeStore, CodeError> {
        Self::from_store(st, true)
    }

    /// The code index of an open, unsharded database (its connection is taken over).
    pub(crate) fn from_pg(st: PgStore, read_only: bool) -> Result<PgCodeStore, CodeError> {
        Self::from_store(st, read_only)
    }

    fn from_store(st: PgStore, read_only: bool) -> Result<PgCodeStore, CodeError> {
        // The code tables exist on every node of a sharded store (one schema
        // everywhere), but PgCodeStore does not route rows to shards: a
        // sharded store's code index is ShardedCodeStore (shard_code.rs).
        if let Some(what) = crate::shard::sharded_role(&st).map_err(store_err)? {
            return Err(CodeError::Store(format!(
                "{} is {what}: open the code index of a sharded store through its coordinator (`--database` the coordinator's URL; ShardedCodeStore)",
                st.name()
            )));
        }
        let (client, name) = st.into_parts().map_err(store_err)?;
        let mut s = PgCodeStore {
            client: Mutex::new(client),
            read_only,
            ledger: Ledger::new(name),
            touched: Some(Default::default()),
            readers: Vec::new(),
        };
        let rows = {
            let c = s.client.get_mut().map_err(|_| poisoned(&s.ledger.name))?;
            // Look-ups are by key, tens of thousands of keys a batch: with the array bound, the
            // planner's estimate picks a sequential scan of the postings (measured 580 ms
            // against 75 ms through the primary key on 1.6 M postings), so this connection
            // keeps to the indexes.
            c.batch_execute("SET enable_seqscan = off")
                .map_err(|e| err(&s.ledger.name, "setting up the connection", e))?;
            if read_only {
                // A reader's snapshot: the samples and every look-up as of now, whatever
                // writers commit meanwhile (the transaction ends with the connection).
                c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .map_err(|e| err(&s.ledger.name, "starting a snapshot", e))?;
            }
            c.query(
                &format!("SELECT {SAMPLE_COLUMNS} FROM code_sample ORDER BY sample_id"),
                &[],
            )
            .map_err(|e| err(&s.ledger.name, "reading the code samples", e))?
        };
        s.ledger.append_samples(&rows)?;
        Ok(s)
    }

    /// The database, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.ledger.name
    }

    fn conn(&self) -> Result<MutexGuard<'_, Client>, CodeError> {
        self.client.lock().map_err(|_| poisoned(&self.ledger.name))
    }

    /// Connection `i` of the store's `1 + readers` (0: the store's own).
    fn conn_at(&self, i: usize) -> Result<MutexGuard<'_, Client>, CodeError> {
        match i {
            0 => self.conn(),
            i => self.readers[i - 1]
                .lock()
                .map_err(|_| poisoned(&self.ledger.name)),
        }
    }

    /// Gives a read-only store `n - 1` more connections to `url` (its tables in `schema`
    /// when given), each in a transaction on the store's snapshot (`pg_export_snapshot`):
    /// `lookup_bands` and `functions` then split a batch of sorted keys or ids into `n`
    /// ranges and send them at once, one statement per connection, so the server works a
    /// query stage on `n` cores instead of one. The answers do not change.
    pub fn add_readers(
        &mut self,
        url: &str,
        schema: Option<&str>,
        n: usize,
    ) -> Result<(), CodeError> {
        if !self.read_only {
            return Err(CodeError::Store(format!(
                "{}: more reader connections need a read-only store (one snapshot)",
                self.ledger.name
            )));
        }
        if let Some(s) = schema {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(CodeError::Store(format!(
                    "{}: bad schema name {s:?}",
                    self.ledger.name
                )));
            }
        }
        let name = self.ledger.name.clone();
        let snap: String = self
            .conn()?
            .query_one("SELECT pg_export_snapshot()", &[])
            .map_err(|e| err(&name, "exporting the snapshot", e))?
            .get(0);
        for _ in 1..n.max(1) {
            let mut c = Client::connect(url, postgres::NoTls)
                .map_err(|e| err(&name, "connecting a reader", e))?;
            let path = schema.map_or(String::new(), |s| format!("SET search_path TO {s}; "));
            c.batch_execute(&format!(
                "{path}SET enable_seqscan = off; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snap}'"
            ))
            .map_err(|e| err(&name, "starting a reader in the snapshot", e))?;
            self.readers.push(Mutex::new(c));
        }
        Ok(())
    }

    /// Runs `f` over `items` (sorted) split into one contiguous range per connection, all at
    /// once, and merges the maps; one connection when there are no readers or few items.
    fn spread<T: Sync, V: Send>(
        &self,
        items: &[T],
        f: impl Fn(&mut Client, &[T]) -> Result<HashMap<i64, V>, CodeError> + Sync,
    ) -> Result<HashMap<i64, V>, CodeError> {
        let parts = self.readers.len() + 1;
        if parts == 1 || items.len() < 1024 {
            let mut c = self.conn()?;
            return f(&mut c, items);
        }
        let per = items.len().div_ceil(parts);
        let f = &f;
        let results: Vec<Result<HashMap<i64, V>, CodeError>> = std::thread::scope(|sc| {
            let hs: Vec<_> = items
                .chunks(per)
                .enumerate()
                .map(|(i, ch)| {
                    sc.spawn(move || {
                        let mut c = self.conn_at(i)?;
                        f(&mut c, ch)
                    })
                })
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(CodeError::Store(format!(
                            "{}: a reader panicked",
                            self.ledger.name
                        )))
                    })
                })
                .collect()
        });
        let mut out = HashMap::new();
        for r in results {
            out.extend(r?);
        }
        Ok(out)
    }

    fn read_only_error(&self) -> CodeError {
        CodeError::Store(format!("{}: code index opened read-only", self.ledger.name))
    }

    /// The writer's side of the connection, for the [`Ledger`].
    fn writer(&mut self) -> (&mut Ledger, OneDatabase<'_>) {
        (
            &mut self.ledger,
            OneDatabase {
                client: &mut self.client,
                touched: &mut self.touched,
            },
        )
    }

    /// Makes this writer keep its transaction over several samples and commit
    /// when the batch holds at least `functions` functions (and at `flush`):
    /// bulk ingest (`store copy`, benchmarks) pays one commit, one `COPY` of
    /// functions and one of posting blocks per batch instead of per sample.
    /// Other writers wait for the allocator lock meanwhile. 0 (the default)
    /// commits every sample.
    pub fn set_batch_functions(&mut self, functions: usize) {
        self.ledger.batch_functions = functions;
    }

    /// Writes the pending samples' rows and commits their transaction.
    fn commit_pending(&mut self) -> Result<(), CodeError> {
        let (ledger, mut w) = self.writer();
        ledger.commit_pending(&mut w)
    }

    /// Merges each key's posting blocks into full blocks of [`BLOCK`] ids (the last one
    /// partial), for the keys this writer added blocks to (all keys when it wrote too many to
    /// remember): a look-up then reads one row a key of up to [`BLOCK`] postings. Commits what
    /// is pending first. Safe beside writers (they only add blocks of higher ids) and readers
    /// (their snapshots keep the old blocks); one compaction at a time (an advisory lock).
    /// Returns the number of keys compacted and of blocks before and after.
    pub fn compact(&mut self) -> Result<(u64, u64, u64), CodeError> {
        if self.read_only {
            return Err(self.read_only_error());
        }
        self.commit_pending()?;
        let name = self.ledger.name.clone();
        let c = self.client.get_mut().map_err(|_| poisoned(&name))?;
        let e = |what: &str, x: postgres::Error| err(&name, what, x);
        let blk = BLOCK as i64;
        let candidates: Vec<i64> = match &self.touched {
            Some(t) => {
                let mut keys: Vec<i64> = t.iter().copied().collect();
                keys.sort_unstable();
                let mut out = Vec::new();
                for chunk in keys.chunks(LOOKUP_CHUNK) {
                    for r in c
                        .query(
                            "SELECT band_key FROM code_posting WHERE band_key = ANY($1)
                             GROUP BY band_key HAVING count(*) > (sum(n) + $2 - 1) / $2",
                            &[&chunk, &blk],
                        )
                        .map_err(|x| e("finding lists to compact", x))?
                    {
                        out.push(r.get(0));
                    }
                }
                out
            }
            None => c
                .query(
                    "SELECT band_key FROM code_posting
                     GROUP BY band_key HAVING count(*) > (sum(n) + $1 - 1) / $1",
                    &[&blk],
                )
                .map_err(|x| e("finding lists to compact", x))?
                .iter()
                .map(|r| r.get(0))
                .collect(),
        };
        let (mut before, mut after) = (0u64, 0u64);
        for chunk in candidates.chunks(10_000) {
            let mut tx = c.transaction().map_err(|x| e("starting a compaction", x))?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&COMPACT_LOCK])
                .map_err(|x| e("locking for compaction", x))?;
            let rows = tx
                .query(
                    "SELECT band_key, first_id, n, ids FROM code_posting WHERE band_key = ANY($1)
                     ORDER BY band_key, first_id",
                    &[&chunk],
                )
                .map_err(|x| e("reading posting blocks", x))?;
            let mut lists: Vec<(i64, i64, Vec<i64>)> = Vec::new(); // key, last first_id, ids
            for r in &rows {
                let k: i64 = r.get(0);
                if lists.last().is_none_or(|l| l.0 != k) {
                    lists.push((k, 0, Vec::new()));
                }
                let l = lists.last_mut().expect("a list");
                l.1 = r.get(1);
                let ids: &[u8] = r.get(3);
                l.2.extend(
                    ids.chunks_exact(4)
                        .map(|b| i64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))),
                );
            }
            let (keys, lasts): (Vec<i64>, Vec<i64>) = lists.iter().map(|l| (l.0, l.1)).unzip();
            let deleted = tx
                .execute(
                    "DELETE FROM code_posting p USING unnest($1::bigint[], $2::bigint[]) AS x(k, m)
                     WHERE p.band_key = x.k AND p.first_id <= x.m",
                    &[&keys, &lasts],
                )
                .map_err(|x| e("replacing posting blocks", x))?;
            if deleted != rows.len() as u64 {
                return Err(CodeError::Store(format!(
                    "{name}: compaction read {} posting blocks and would delete {deleted}: nothing changed",
                    rows.len()
                )));
            }
            let merged: Vec<(i64, i64)> = lists
                .iter()
                .flat_map(|l| l.2.iter().map(move |&f| (l.0, f)))
                .collect();
            after += copy_blocks(&mut tx, &merged).map_err(|x| match x {
                CodeError::Store(m) => CodeError::Store(format!("{name} {m}")),
                x => x,
            })?;
            before += rows.len() as u64;
            tx.commit().map_err(|x| e("committing a compaction", x))?;
        }
        self.touched = Some(Default::default());
        Ok((candidates.len() as u64, before, after))
    }

    /// Checks the index without modifying it: the allocator, dense ids, each
    /// sample's function and posting counts against its rows, the SHA-256 of
    /// its function records against `records_sha256`, and postings that name
    /// no function.
    pub fn verify(&self) -> Result<VerifyReport, CodeError> {
        let mut rep = VerifyReport {
            checksummed: true,
            ..VerifyReport::default()
        };
        let mut c = self.conn()?;
        let e = |what: &str, x: postgres::Error| err(&self.ledger.name, what, x);
        // a read-only store is in its snapshot already
        if !self.read_only {
            c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .map_err(|x| e("starting a snapshot", x))?;
        }
        let tx = &mut *c;
        let alloc = tx
            .query_one(
                "SELECT next_sample, next_function FROM code_alloc WHERE id = 1",
                &[],
            )
            .map_err(|x| e("reading code_alloc", x))?;
        let (next_sample, next_function): (i64, i64) = (alloc.get(0), alloc.get(1));
        let samples = tx
            .query(
                &format!("SELECT {SAMPLE_COLUMNS} FROM code_sample ORDER BY sample_id"),
                &[],
            )
            .map_err(|x| e("reading code_sample", x))?;
        let per_sample: HashMap<i64, i64> = tx
            .query(
                "SELECT sample_id, count(*) FROM code_function GROUP BY sample_id",
                &[],
            )
            .map_err(|x| e("counting functions", x))?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
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
                    "code_function: sample {id} has {have} function rows, code_sample says {nf}"
                ));
            }
            match serde_json::from_str::<SampleRecord>(r.get::<_, &str>(4)) {
                Err(x) => rep.problems.push(format!(
                    "code_sample: sample {id} is not a sample record ({x})"
                )),
                Ok(rec) => {
                    if let Some(want) = &rec.records_sha256 {
                        let rows = tx
                            .query(
                                "SELECT instructions, blocks, edges, address, exact, minhash, sample_id
                                 FROM code_function WHERE function_id >= $1 AND function_id < $2
                                 ORDER BY function_id",
                                &[&first, &(first + nf)],
                            )
                            .map_err(|x| e("reading functions", x))?;
                        let mut buf = Vec::new();
                        for fr in &rows {
                            let f = function_from_row(fr, 0);
                            encode_function_record(fr.get::<_, i64>(6) as SampleId, &f, &mut buf);
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
        let total_funcs: i64 = tx
            .query_one("SELECT count(*) FROM code_function", &[])
            .map_err(|x| e("counting functions", x))?
            .get(0);
        if total_funcs != funcs {
            rep.problems.push(format!(
                "code_function: {total_funcs} rows, the samples hold {funcs}"
            ));
        }
        let total_posts: i64 = tx
            .query_one("SELECT coalesce(sum(n), 0)::bigint FROM code_posting", &[])
            .map_err(|x| e("counting postings", x))?
            .get(0);
        if total_posts != posts {
            rep.problems.push(format!(
                "code_posting: {total_posts} postings, the samples hold {posts}"
            ));
        }
        // a block's ids ascend from its first_id: its first and last ids bound them all
        let bad: i64 = tx
            .query_one(
                "SELECT count(*) FROM code_posting
                 WHERE CASE WHEN n < 1 OR n > $2 OR length(ids) <> 4 * n OR first_id < 0 THEN true
                       ELSE substring(int8send(first_id) from 5) <> substring(ids from 1 for 4)
                         OR ('x' || encode(substring(ids from 4 * n - 3 for 4), 'hex'))::bit(32)::bigint
                            & 4294967295 >= $1 END",
                &[&funcs, &(BLOCK as i32)],
            )
            .map_err(|x| e("checking postings", x))?
            .get(0);
        if bad > 0 {
            rep.problems.push(format!(
                "code_posting: {bad} posting block(s) malformed or naming no function"
            ));
        }
        if !self.read_only {
            tx.batch_execute("COMMIT")
                .map_err(|x| e("ending the snapshot", x))?;
        }
        rep.counts = StoreCounts {
            samples: samples.len() as u64,
            functions: funcs as u64,
            postings: total_posts as u64,
        };
        Ok(rep)
    }
}

/// Function ids a posting block holds at most (4 bytes each: a block row stays well under
/// PostgreSQL's 2 kB TOAST threshold, so it is read inline, never decompressed).
pub(crate) const BLOCK: usize = 256;

/// A lock id for compaction (`ascc` in ASCII).
const COMPACT_LOCK: i64 = 0x6173_6363;

fn copy_err(what: &str, e: postgres::Error) -> CodeError {
    CodeError::Store(format!("({what}): {}", pg_message(&e)))
}

/// Copies function rows `(function id, sample, signature)` with one binary `COPY`, in
/// the caller's transaction (a batch of samples, or a shard's share of one: ids hashed
/// across the shards).
pub(crate) fn copy_function_rows<'a>(
    c: &mut impl GenericClient,
    rows: impl Iterator<Item = (i64, i64, &'a FunctionSignature)>,
) -> Result<(), CodeError> {
    let what = "copying functions";
    let w = c
        .copy_in(
            "COPY code_function (function_id, sample_id, instructions, blocks, edges, address, exact, minhash) FROM STDIN BINARY",
        )
        .map_err(|e| copy_err(what, e))?;
    let mut w = BinaryCopyInWriter::new(
        w,
        &[
            Type::INT8,
            Type::INT8,
            Type::INT4,
            Type::INT4,
            Type::INT4,
            Type::INT8,
            Type::INT8,
            Type::BYTEA,
        ],
    );
    for (fid, sample, f) in rows {
        let mh = minhash_bytes(&f.minhash);
        let row: [&(dyn ToSql + Sync); 8] = [
            &fid,
            &sample,
            &(f.instructions as i32),
            &(f.blocks as i32),
            &(f.edges as i32),
            &(f.address as i64),
            &(f.exact as i64),
            &mh,
        ];
        w.write(&row).map_err(|e| copy_err(what, e))?;
    }
    w.finish().map_err(|e| copy_err(what, e))?;
    Ok(())
}

/// Copies postings `(band key, function id)` as packed blocks: each key's ids ascending, in
/// blocks of at most [`BLOCK`] (one binary `COPY`). Ids must be above every id the keys
/// hold already (writers add ids in commit order).
pub(crate) fn copy_postings(
    c: &mut impl GenericClient,
    postings: &[(i64, i64)],
) -> Result<(), CodeError> {
    copy_blocks(c, postings).map(|_| ())
}

/// [`copy_postings`], returning the number of blocks written.
fn copy_blocks(c: &mut impl GenericClient, postings: &[(i64, i64)]) -> Result<u64, CodeError> {
    let what = "copying postings";
    if postings.is_empty() {
        return Ok(0);
    }
    let mut posts = postings.to_vec();
    posts.sort_unstable();
    posts.dedup();
    let w = c
        .copy_in("COPY code_posting (band_key, first_id, n, ids) FROM STDIN BINARY")
        .map_err(|e| copy_err(what, e))?;
    let mut w = BinaryCopyInWriter::new(w, &[Type::INT8, Type::INT8, Type::INT4, Type::BYTEA]);
    let mut blocks = 0u64;
    let mut ids: Vec<u8> = Vec::with_capacity(BLOCK * 4);
    let mut at = 0;
    while at < posts.len() {
        let k = posts[at].0;
        let mut end = at;
        while end < posts.len() && posts[end].0 == k && end - at < BLOCK {
            end += 1;
        }
        ids.clear();
        for &(_, f) in &posts[at..end] {
            let f = u32::try_from(f)
                .map_err(|_| CodeError::Store(format!("({what}): function id {f} out of range")))?;
            ids.extend_from_slice(&f.to_be_bytes());
        }
        let n = (end - at) as i32;
        w.write(&[&k, &posts[at].1, &n, &ids])
            .map_err(|e| copy_err(what, e))?;
        blocks += 1;
        at = end;
    }
    w.finish().map_err(|e| copy_err(what, e))?;
    Ok(blocks)
}

/// Looks up band keys in one statement: for each key found, its total and up to `limit` ids
/// (the whole list when it is no longer, else the ids at positions `j * total / limit`, as
/// the embedded stores take them), ids at or above `snapshot` left out. The server returns
/// only the blocks holding a sampled position, found from the block sizes in the primary
/// key; `limit` 0 gives totals only.
pub(crate) fn read_postings(
    c: &mut impl GenericClient,
    keys: &[i64],
    limit: usize,
    snapshot: u64,
) -> Result<HashMap<i64, BandPostings>, CodeError> {
    let what = "looking up band keys";
    let mut found: HashMap<i64, BandPostings> = HashMap::with_capacity(keys.len());
    if keys.is_empty() {
        return Ok(found);
    }
    // Blocks starting at or above the snapshot are not counted at all: on a shard they are an
    // in-flight or interrupted writer's (committed before the coordinator's sample row, which
    // is the acknowledgement), so lengths and the even sample are those of the acknowledged
    // lists, as on the embedded index.
    let snap = i64::try_from(snapshot).unwrap_or(i64::MAX);
    if limit == 0 {
        for r in c
            .query(
                "SELECT band_key, sum(n)::bigint FROM code_posting
                 WHERE band_key = ANY($1) AND first_id < $2
                 GROUP BY band_key",
                &[&keys, &snap],
            )
            .map_err(|e| copy_err(what, e))?
        {
            found.insert(
                r.get(0),
                BandPostings {
                    functions: Vec::new(),
                    total: r.get::<_, i64>(1) as usize,
                },
            );
        }
        return Ok(found);
    }
    let lim = limit as i64;
    // a block [pos, pos + n) holds a sampled position when the first j with
    // j * total / lim >= pos, j0 = ceil(pos * lim / total), is < lim and lands before pos + n
    let rows = c
        .query(
            "SELECT band_key, pos, total, ids FROM (
                 SELECT band_key, n, ids,
                        (sum(n) OVER (PARTITION BY band_key ORDER BY first_id) - n)::bigint AS pos,
                        (sum(n) OVER (PARTITION BY band_key))::bigint AS total
                 FROM code_posting WHERE band_key = ANY($1) AND first_id < $3
             ) b
             WHERE total <= $2
                OR ((pos * $2 + total - 1) / total < $2
                    AND ((pos * $2 + total - 1) / total) * total / $2 < pos + n)",
            &[&keys, &lim, &snap],
        )
        .map_err(|e| copy_err(what, e))?;
    // rows come key by key, blocks in position order
    let mut blocks: Vec<(i64, usize, &[u8])> = Vec::new();
    let mut flush = |blocks: &mut Vec<(i64, usize, &[u8])>, total: usize| {
        let Some(&(k, _, _)) = blocks.first() else {
            return;
        };
        let id_at = |b: &[u8], i: usize| {
            u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
        };
        let mut functions = Vec::with_capacity(total.min(limit));
        if total <= limit {
            for &(_, _, b) in blocks.iter() {
                functions.extend((0..b.len() / 4).map(|i| id_at(b, i)));
            }
        } else {
            let mut bi = 0;
            for j in 0..limit {
                let p = j * total / limit;
                while bi + 1 < blocks.len() && blocks[bi + 1].1 <= p {
                    bi += 1;
                }
                let (_, pos, b) = blocks[bi];
                if let Some(i) = p.checked_sub(pos).filter(|i| 4 * i + 4 <= b.len()) {
                    functions.push(id_at(b, i));
                }
            }
        }
        // a writer's store may see postings others committed since it caught up: never hand
        // out a function it does not know
        functions.retain(|&f| u64::from(f) < snapshot);
        found.insert(k, BandPostings { functions, total });
        blocks.clear();
    };
    let mut total = 0usize;
    for r in &rows {
        let k: i64 = r.get(0);
        if blocks.first().is_some_and(|b| b.0 != k) {
            flush(&mut blocks, total);
        }
        total = r.get::<_, i64>(2) as usize;
        blocks.push((k, r.get::<_, i64>(1) as usize, r.get::<_, &[u8]>(3)));
    }
    flush(&mut blocks, total);
    Ok(found)
}

/// One committed `code_sample` row (columns [`SAMPLE_COLUMNS`]), checked to continue the
/// samples a reader knows: dense ids, each sample starting where the last one ended.
pub(crate) struct SampleRow {
    pub(crate) id: SampleId,
    pub(crate) first: u64,
    pub(crate) functions: u64,
    pub(crate) postings: u64,
    pub(crate) rec: SampleRecord,
}

impl SampleRow {
    /// Reads `r`, which must be sample `expect_id` starting at function `expect_first`.
    pub(crate) fn read(
        name: &str,
        r: &postgres::Row,
        expect_id: i64,
        expect_first: u64,
    ) -> Result<SampleRow, CodeError> {
        let id: i64 = r.get(0);
        if id != expect_id {
            return Err(CodeError::Store(format!(
                "{name}: code_sample holds sample {id} where {expect_id} was expected: sample ids are not dense; run `ascribe index verify`"
            )));
        }
        let first: i64 = r.get(1);
        let nfunc: i64 = r.get(2);
        let npost: i64 = r.get(3);
        if first as u64 != expect_first {
            return Err(CodeError::Store(format!(
                "{name}: sample {id} starts at function {first}, {expect_first} expected: run `ascribe index verify`"
            )));
        }
        let rec: SampleRecord = serde_json::from_str(r.get::<_, &str>(4)).map_err(|e| {
            CodeError::Store(format!("{name}: sample {id} is not a sample record ({e})"))
        })?;
        Ok(SampleRow {
            id: id as SampleId,
            first: first as u64,
            functions: nfunc as u64,
            postings: npost as u64,
            rec,
        })
    }
}

pub(crate) fn poisoned(name: &str) -> CodeError {
    CodeError::Store(format!(
        "{name}: the connection was poisoned by an earlier panic"
    ))
}

/// Opens the writer's transaction on the database that holds `code_alloc`
/// and `code_sample` (the single store's, or a sharded store's
/// coordinator), locks the allocator row and reads the samples other writers
/// committed from `known` on. Returns the next sample id, the next function
/// id and those sample rows; on an error the transaction is rolled back.
pub(crate) fn lock_allocator(
    c: &mut Client,
    name: &str,
    known: i64,
) -> Result<(i64, i64, Vec<postgres::Row>), CodeError> {
    c.batch_execute("BEGIN")
        .map_err(|e| err(name, "starting a sample", e))?;
    let locked = c
        .query_one(
            "SELECT next_sample, next_function FROM code_alloc WHERE id = 1 FOR UPDATE",
            &[],
        )
        .and_then(|a| {
            let ns: i64 = a.get(0);
            let rows = if ns > known {
                c.query(
                    &format!(
                        "SELECT {SAMPLE_COLUMNS} FROM code_sample WHERE sample_id >= $1 ORDER BY sample_id"
                    ),
                    &[&known],
                )?
            } else {
                Vec::new()
            };
            Ok((ns, a.get::<_, i64>(1), rows))
        });
    locked.map_err(|e| {
        let _ = c.batch_execute("ROLLBACK");
        err(name, "locking the id allocator", e)
    })
}

pub(crate) fn err(name: &str, what: &str, e: postgres::Error) -> CodeError {
    CodeError::Store(format!("{name} ({what}): {}", pg_message(&e)))
}

/// A signature from columns `at..at + 6` (instructions, blocks, edges,
/// address, exact, minhash).
pub(crate) fn function_from_row(r: &postgres::Row, at: usize) -> FunctionSignature {
    let mh: &[u8] = r.get(at + 5);
    FunctionSignature {
        instructions: r.get::<_, i32>(at) as u32,
        blocks: r.get::<_, i32>(at + 1) as u32,
        edges: r.get::<_, i32>(at + 2) as u32,
        address: r.get::<_, i64>(at + 3) as u64,
        exact: r.get::<_, i64>(at + 4) as u64,
        minhash: mh
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect(),
    }
}

impl CodeIndexStore for PgCodeStore {
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError> {
        Ok(self.ledger.by_sha.get(sha256).copied())
    }

    /// A sample another writer committed with the same SHA-256 is not
    /// stored again: its id comes back (use
    /// [`put_sample_if_new`](CodeIndexStore::put_sample_if_new) to know).
    /// `functions_indexed` must be the number of functions that follow: the
    /// sample commits when the last one is given.
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

    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        let mut uniq: Vec<i64> = keys.iter().map(|&k| k as i64).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let snapshot = self.ledger.committed_functions;
        let found = self.spread(&uniq, |c, part| {
            let mut found = HashMap::with_capacity(part.len());
            for chunk in part.chunks(LOOKUP_CHUNK) {
                found.extend(
                    read_postings(c, chunk, limit, snapshot).map_err(|e| match e {
                        CodeError::Store(m) => {
                            CodeError::Store(format!("{} {m}", self.ledger.name))
                        }
                        e => e,
                    })?,
                );
            }
            Ok(found)
        })?;
        Ok(keys
            .iter()
            .map(|&k| found.get(&(k as i64)).cloned().unwrap_or_default())
            .collect())
    }

    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        let mut uniq: Vec<i64> = ids.iter().map(|&i| i64::from(i)).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let found = self.spread(&uniq, |c, part| {
            let mut found = HashMap::with_capacity(part.len());
            for chunk in part.chunks(LOOKUP_CHUNK) {
                let rows = c
                    .query(
                        "SELECT function_id, sample_id, instructions, blocks, edges, address, exact, minhash
                         FROM code_function WHERE function_id = ANY($1)",
                        &[&chunk],
                    )
                    .map_err(|e| err(&self.ledger.name, "reading functions", e))?;
                for r in rows {
                    let sample = r.get::<_, i64>(1);
                    let signature = function_from_row(&r, 2);
                    if signature.minhash.len() != MINHASH_K {
                        return Err(CodeError::Store(format!(
                            "{}: function {} has a MinHash of {} values: run `ascribe index verify`",
                            self.ledger.name,
                            r.get::<_, i64>(0),
                            signature.minhash.len()
                        )));
                    }
                    found.insert(
                        r.get(0),
                        FunctionRecord {
                            sample: sample as SampleId,
                            signature,
                        },
                    );
                }
            }
            Ok(found)
        })?;
        ids.iter()
            .map(|&i| {
                found.get(&i64::from(i)).cloned().ok_or_else(|| {
                    CodeError::Store(format!("{}: no function {i}", self.ledger.name))
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

/// `e` from a free function with the database `name` in front (`name (what): message`).
pub(crate) fn named(name: &str, e: CodeError) -> CodeError {
    match e {
        CodeError::Store(m) => CodeError::Store(format!("{name} {m}")),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_code::{Arch, Format};

    /// A database written by schema version 2 (one row a posting, with its position)
    /// migrates to packed blocks on open, and look-ups give the same lists.
    #[test]
    fn a_version_2_index_migrates_to_blocks() {
        let url = match std::env::var("ASCRIBE_TEST_PG_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => {
                assert_ne!(
                    std::env::var("ASCRIBE_TEST_PG").as_deref(),
                    Ok("1"),
                    "ASCRIBE_TEST_PG=1 but ASCRIBE_TEST_PG_URL is not set"
                );
                eprintln!("skipping: set ASCRIBE_TEST_PG_URL=postgres://… to run it");
                return;
            }
        };
        let schema = format!("uc_migrate_v2_{}", std::process::id());
        let mut c = Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema};
             CREATE TABLE ascribe_meta (key text PRIMARY KEY, value text NOT NULL);
             INSERT INTO ascribe_meta VALUES ('schema_version', '2');"
        ))
        .unwrap();
        for m in &crate::MIGRATIONS[..2] {
            c.batch_execute(m).unwrap();
        }
        let rec = SampleRecord {
            sha256: "ab".repeat(32),
            family: "f".into(),
            actor: None,
            name: None,
            format: Format::Elf,
            arch: Arch::X64,
            functions_total: 600,
            functions_indexed: 600,
            packed: false,
            imports: Vec::new(),
            strings: Vec::new(),
            exports: Vec::new(),
            records_sha256: None,
        };
        c.execute(
            "INSERT INTO code_sample VALUES (0, $1, 0, 600, 603, $2)",
            &[&rec.sha256, &serde_json::to_string(&rec).unwrap()],
        )
        .unwrap();
        c.batch_execute(
            "UPDATE code_alloc SET next_sample = 1, next_function = 600;
             INSERT INTO code_posting SELECT 7, p, p FROM generate_series(0, 599) p;
             INSERT INTO code_posting VALUES (9, 0, 5), (9, 1, 10), (9, 2, 20);",
        )
        .unwrap();
        let st = PgCodeStore::open_in_schema(&url, &schema).unwrap();
        let got = st.lookup_bands(&[7, 9, 11], 128).unwrap();
        let want7: Vec<FunctionId> = (0..128).map(|j| (j * 600 / 128) as FunctionId).collect();
        assert_eq!(got[0].total, 600);
        assert_eq!(got[0].functions, want7);
        assert_eq!(
            (got[1].total, got[1].functions.clone()),
            (3, vec![5, 10, 20])
        );
        assert_eq!((got[2].total, got[2].functions.len()), (0, 0));
        let all = st.lookup_bands(&[7], 1000).unwrap();
        assert_eq!(all[0].functions, (0..600).collect::<Vec<FunctionId>>());
        drop(st);
        let blocks: i64 = c
            .query_one("SELECT count(*) FROM code_posting", &[])
            .unwrap()
            .get(0);
        assert_eq!(
            blocks, 4,
            "600 postings in blocks of 256, and one block of 3"
        );
        let v: String = c
            .query_one(
                "SELECT value FROM ascribe_meta WHERE key = 'schema_version'",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(v, crate::SCHEMA_VERSION.to_string());
        c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    }
}
