//! The code index on PostgreSQL: [`PgCodeStore`] implements
//! `ascribe_code::CodeIndexStore`, so `CodeIndex` ranks exactly as it does on
//! the embedded `DiskStore` (the same ids, the same posting lists, the same
//! even sampling of long lists).
//!
//! # Tables (schema version 2)
//!
//! * `code_sample`: one row a sample (`sample_id`, `sha256` unique, its first
//!   function id, function and posting counts, the `SampleRecord` as JSON);
//! * `code_function`: one row a function (`function_id`, `sample_id`, the
//!   signature; the MinHash as 128 bytes);
//! * `code_posting`: `(band_key, pos, function_id)`, primary key
//!   `(band_key, pos)` including `function_id`: a posting's position in its
//!   key's list, so that a look-up reads at most `limit + 1` entries of a
//!   key, and the even sample of a long list by position (`limit` index
//!   probes and one for its length), never the whole list;
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
//! transaction is rolled back by the server); a re-run adds it.
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

use crate::{pg_message, PgStore, LOOKUP_CHUNK};

/// A sample being written: its transaction is open and holds the allocator row.
struct Pending {
    id: SampleId,
    first_function: u64,
    declared: u32,
    functions: Vec<FunctionSignature>,
    postings: Vec<(i64, i64)>,
}

/// The code index in a PostgreSQL database (see the module documentation).
pub struct PgCodeStore {
    client: Mutex<Client>,
    name: String,
    read_only: bool,
    /// Committed samples known to this store, then the pending one (if any).
    samples: Vec<SampleRecord>,
    by_sha: HashMap<String, SampleId>,
    /// First function id and postings of each known sample.
    first_function: Vec<u64>,
    postings: Vec<u64>,
    committed_functions: u64,
    committed_postings: u64,
    pending: Option<Pending>,
}

impl std::fmt::Debug for PgCodeStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgCodeStore")
            .field("db", &self.name)
            .field("samples", &self.samples.len())
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

/// Postings of one key read as one index range when its list is long; a longer list is
/// sampled by probing positions (about the break-even of 128 probes against a range read).
const RANGE_READ: usize = 4096;

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
            name,
            read_only,
            samples: Vec::new(),
            by_sha: HashMap::new(),
            first_function: Vec::new(),
            postings: Vec::new(),
            committed_functions: 0,
            committed_postings: 0,
            pending: None,
        };
        let rows = {
            let c = s.client.get_mut().map_err(|_| poisoned(&s.name))?;
            // Look-ups are by key, tens of thousands of keys a batch: with the array bound, the
            // planner's estimate picks a sequential scan of the postings (measured 580 ms
            // against 75 ms through the primary key on 1.6 M postings), so this connection
            // keeps to the indexes.
            c.batch_execute("SET enable_seqscan = off")
                .map_err(|e| err(&s.name, "setting up the connection", e))?;
            if read_only {
                // A reader's snapshot: the samples and every look-up as of now, whatever
                // writers commit meanwhile (the transaction ends with the connection).
                c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .map_err(|e| err(&s.name, "starting a snapshot", e))?;
            }
            c.query(
                &format!("SELECT {SAMPLE_COLUMNS} FROM code_sample ORDER BY sample_id"),
                &[],
            )
            .map_err(|e| err(&s.name, "reading the code samples", e))?
        };
        s.append_samples(&rows)?;
        Ok(s)
    }

    /// The database, as shown in messages (no password).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn conn(&self) -> Result<MutexGuard<'_, Client>, CodeError> {
        self.client.lock().map_err(|_| poisoned(&self.name))
    }

    /// Adds committed sample rows (in id order, continuing the known ones).
    fn append_samples(&mut self, rows: &[postgres::Row]) -> Result<(), CodeError> {
        for r in rows {
            let id: i64 = r.get(0);
            if id != self.samples.len() as i64 {
                return Err(CodeError::Store(format!(
                    "{}: code_sample holds sample {id} where {} was expected: sample ids are not dense; run `ascribe index verify`",
                    self.name,
                    self.samples.len()
                )));
            }
            let first: i64 = r.get(1);
            let nfunc: i64 = r.get(2);
            let npost: i64 = r.get(3);
            if first as u64 != self.committed_functions {
                return Err(CodeError::Store(format!(
                    "{}: sample {id} starts at function {first}, {} expected: run `ascribe index verify`",
                    self.name, self.committed_functions
                )));
            }
            let rec: SampleRecord = serde_json::from_str(r.get::<_, &str>(4)).map_err(|e| {
                CodeError::Store(format!(
                    "{}: sample {id} is not a sample record ({e})",
                    self.name
                ))
            })?;
            self.by_sha.insert(rec.sha256.clone(), id as SampleId);
            self.samples.push(rec);
            self.first_function.push(first as u64);
            self.postings.push(npost as u64);
            self.committed_functions += nfunc as u64;
            self.committed_postings += npost as u64;
        }
        Ok(())
    }

    fn read_only_error(&self) -> CodeError {
        CodeError::Store(format!("{}: code index opened read-only", self.name))
    }

    /// Writes the pending sample's rows and commits its transaction.
    fn commit_pending(&mut self) -> Result<(), CodeError> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        match self.write_pending(&p) {
            Ok(rec) => {
                let i = p.id as usize;
                self.samples[i] = rec;
                self.committed_functions += p.functions.len() as u64;
                self.committed_postings += p.postings.len() as u64;
                self.postings[i] = p.postings.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.abandon(&p);
                Err(e)
            }
        }
    }

    /// Rolls back the pending sample's transaction and forgets it.
    fn abandon(&mut self, p: &Pending) {
        if let Ok(c) = self.client.get_mut() {
            let _ = c.batch_execute("ROLLBACK");
        }
        if let Some(rec) = self.samples.pop() {
            self.by_sha.remove(&rec.sha256);
        }
        self.first_function.truncate(p.id as usize);
        self.postings.truncate(p.id as usize);
    }

    fn write_pending(&mut self, p: &Pending) -> Result<SampleRecord, CodeError> {
        let name = self.name.clone();
        let mut rec = self.samples[p.id as usize].clone();
        let mut buf = Vec::with_capacity(p.functions.len() * ascribe_code::FUNCTION_RECORD_BYTES);
        for f in &p.functions {
            encode_function_record(p.id, f, &mut buf);
        }
        rec.records_sha256 = Some(hex(&Sha256::digest(&buf)));
        rec.functions_indexed = p.functions.len() as u32;
        let data = serde_json::to_string(&rec).map_err(|e| CodeError::Store(e.to_string()))?;
        let c = self.client.get_mut().map_err(|_| poisoned(&name))?;
        let sample = i64::from(p.id);
        copy_functions(c, sample, p.first_function, &p.functions).map_err(|e| named(&name, e))?;
        copy_postings(c, &p.postings).map_err(|e| named(&name, e))?;
        let nfunc = p.functions.len() as i64;
        let npost = p.postings.len() as i64;
        let first = p.first_function as i64;
        c.execute(
            "INSERT INTO code_sample (sample_id, sha256, first_function, functions, postings, data)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&sample, &rec.sha256, &first, &nfunc, &npost, &data],
        )
        .map_err(|e| err(&name, "writing the sample", e))?;
        c.execute(
            "UPDATE code_alloc SET next_sample = $1, next_function = $2 WHERE id = 1",
            &[&(sample + 1), &(first + nfunc)],
        )
        .map_err(|e| err(&name, "advancing the ids", e))?;
        c.batch_execute("COMMIT")
            .map_err(|e| err(&name, "committing the sample", e))?;
        Ok(rec)
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
        let e = |what: &str, x: postgres::Error| err(&self.name, what, x);
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
            .query_one("SELECT count(*) FROM code_posting", &[])
            .map_err(|x| e("counting postings", x))?
            .get(0);
        if total_posts != posts {
            rep.problems.push(format!(
                "code_posting: {total_posts} rows, the samples hold {posts}"
            ));
        }
        let stray: i64 = tx
            .query_one(
                "SELECT count(*) FROM code_posting WHERE function_id < 0 OR function_id >= $1",
                &[&funcs],
            )
            .map_err(|x| e("checking postings", x))?
            .get(0);
        if stray > 0 {
            rep.problems
                .push(format!("code_posting: {stray} posting(s) name no function"));
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

pub(crate) fn poisoned(name: &str) -> CodeError {
    CodeError::Store(format!(
        "{name}: the connection was poisoned by an earlier panic"
    ))
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
        Ok(self.by_sha.get(sha256).copied())
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
        self.commit_pending()?;
        if let Some(&id) = self.by_sha.get(&sample.sha256) {
            return Ok((id, false));
        }
        let name = self.name.clone();
        let known = self.samples.len() as i64;
        let (next_sample, next_function, rows) = {
            let c = self.client.get_mut().map_err(|_| poisoned(&name))?;
            c.batch_execute("BEGIN")
                .map_err(|e| err(&name, "starting a sample", e))?;
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
            match locked {
                Ok(x) => x,
                Err(e) => {
                    let _ = c.batch_execute("ROLLBACK");
                    return Err(err(&name, "locking the id allocator", e));
                }
            }
        };
        let caught_up = self.append_samples(&rows);
        if caught_up.is_err()
            || next_sample != self.samples.len() as i64
            || next_function as u64 != self.committed_functions
        {
            if let Ok(c) = self.client.get_mut() {
                let _ = c.batch_execute("ROLLBACK");
            }
            caught_up?;
            return Err(CodeError::Store(format!(
                "{name}: code_alloc says the next ids are {next_sample}/{next_function}, the samples end at {}/{}: run `ascribe index verify`",
                self.samples.len(),
                self.committed_functions
            )));
        }
        if let Some(&id) = self.by_sha.get(&sample.sha256) {
            // committed by another writer since `find_sample`
            if let Ok(c) = self.client.get_mut() {
                let _ = c.batch_execute("ROLLBACK");
            }
            return Ok((id, false));
        }
        let id = SampleId::try_from(next_sample)
            .map_err(|_| CodeError::Store(format!("{name}: too many samples")))?;
        let declared = sample.functions_indexed;
        self.by_sha.insert(sample.sha256.clone(), id);
        self.samples.push(sample);
        self.first_function.push(next_function as u64);
        self.postings.push(0);
        self.pending = Some(Pending {
            id,
            first_function: next_function as u64,
            declared,
            functions: Vec::new(),
            postings: Vec::new(),
        });
        if declared == 0 {
            self.commit_pending()?;
        }
        Ok((id, true))
    }

    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        if self.read_only {
            return Err(self.read_only_error());
        }
        let name = self.name.clone();
        let p = self
            .pending
            .as_mut()
            .filter(|p| p.id == sample)
            .ok_or_else(|| {
                CodeError::Store(format!("{name}: sample {sample} is not open for writing"))
            })?;
        if p.functions.len() + batch.len() > p.declared as usize {
            let (pid, declared) = (p.id, p.declared);
            let p = self.pending.take().expect("pending");
            self.abandon(&p);
            return Err(CodeError::Store(format!(
                "{name}: sample {pid} declared {declared} functions (functions_indexed), more were given; nothing of it was stored"
            )));
        }
        let first = p.first_function + p.functions.len() as u64;
        let first_id = FunctionId::try_from(first)
            .map_err(|_| CodeError::Store(format!("{name}: too many functions")))?;
        for (i, f) in batch.iter().enumerate() {
            let fid = (first + i as u64) as i64;
            p.postings
                .extend(f.band_keys.iter().map(|&k| (k as i64, fid)));
            p.functions.push(f.signature.clone());
        }
        if p.functions.len() == p.declared as usize {
            self.commit_pending()?;
        }
        Ok(first_id)
    }

    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        let mut uniq: Vec<i64> = keys.iter().map(|&k| k as i64).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let found = if uniq.is_empty() {
            HashMap::new()
        } else {
            let snapshot = self.committed_functions;
            let mut c = self.conn()?;
            read_postings(&mut *c, &uniq, limit, snapshot).map_err(|e| named(&self.name, e))?
        };
        Ok(keys
            .iter()
            .map(|&k| found.get(&(k as i64)).cloned().unwrap_or_default())
            .collect())
    }

    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        let mut uniq: Vec<i64> = ids.iter().map(|&i| i64::from(i)).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let mut found: HashMap<i64, FunctionRecord> = HashMap::with_capacity(uniq.len());
        if !uniq.is_empty() {
            let mut c = self.conn()?;
            for chunk in uniq.chunks(LOOKUP_CHUNK) {
                let rows = c
                    .query(
                        "SELECT function_id, sample_id, instructions, blocks, edges, address, exact, minhash
                         FROM code_function WHERE function_id = ANY($1)",
                        &[&chunk],
                    )
                    .map_err(|e| err(&self.name, "reading functions", e))?;
                for r in rows {
                    let sample = r.get::<_, i64>(1);
                    let signature = function_from_row(&r, 2);
                    if signature.minhash.len() != MINHASH_K {
                        return Err(CodeError::Store(format!(
                            "{}: function {} has a MinHash of {} values: run `ascribe index verify`",
                            self.name,
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
        }
        ids.iter()
            .map(|&i| {
                found
                    .get(&i64::from(i))
                    .cloned()
                    .ok_or_else(|| CodeError::Store(format!("{}: no function {i}", self.name)))
            })
            .collect()
    }

    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        self.samples
            .get(id as usize)
            .cloned()
            .ok_or_else(|| CodeError::Store(format!("{}: no sample {id}", self.name)))
    }

    fn counts(&self) -> Result<StoreCounts, CodeError> {
        let (pf, pp) = self.pending.as_ref().map_or((0, 0), |p| {
            (p.functions.len() as u64, p.postings.len() as u64)
        });
        Ok(StoreCounts {
            samples: self.samples.len() as u64,
            functions: self.committed_functions + pf,
            postings: self.committed_postings + pp,
        })
    }

    fn flush(&mut self) -> Result<(), CodeError> {
        self.commit_pending()
    }
}

/// An error of a free function below, not yet naming its database: `(what): message`;
/// [`named`] puts the database in front.
fn op(what: &str, e: postgres::Error) -> CodeError {
    CodeError::Store(format!("({what}): {}", pg_message(&e)))
}

/// `e` from a free function with the database `name` in front (`name (what): message`).
pub(crate) fn named(name: &str, e: CodeError) -> CodeError {
    match e {
        CodeError::Store(m) => CodeError::Store(format!("{name} {m}")),
        other => other,
    }
}

/// Copies the functions of `sample` (ids `first_function..`) into `code_function`, in the
/// caller's transaction.
pub(crate) fn copy_functions(
    c: &mut impl GenericClient,
    sample: i64,
    first_function: u64,
    functions: &[FunctionSignature],
) -> Result<(), CodeError> {
    let w = c
        .copy_in(
            "COPY code_function (function_id, sample_id, instructions, blocks, edges, address, exact, minhash) FROM STDIN BINARY",
        )
        .map_err(|e| op("copying functions", e))?;
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
    for (i, f) in functions.iter().enumerate() {
        let fid = (first_function + i as u64) as i64;
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
        w.write(&row).map_err(|e| op("copying functions", e))?;
    }
    w.finish().map_err(|e| op("copying functions", e))?;
    Ok(())
}

/// Copies `(band_key, function_id)` postings into `code_posting`, in the caller's transaction.
/// Each posting gets its position in its key's list (ids come in commit order, and writers
/// take turns under the allocator lock, so positions follow ids): a reader takes its even
/// sample of a long list by position, never reading the whole list.
pub(crate) fn copy_postings(
    c: &mut impl GenericClient,
    postings: &[(i64, i64)],
) -> Result<(), CodeError> {
    let mut posts = postings.to_vec();
    posts.sort_unstable();
    let mut keys: Vec<i64> = posts.iter().map(|x| x.0).collect();
    keys.dedup();
    let mut have: HashMap<i64, i64> = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(LOOKUP_CHUNK) {
        for r in c
            .query(
                "SELECT k, (SELECT max(pos) + 1 FROM code_posting WHERE band_key = k)
                 FROM unnest($1::bigint[]) AS k",
                &[&chunk],
            )
            .map_err(|e| op("reading list lengths", e))?
        {
            if let Some(n) = r.get::<_, Option<i64>>(1) {
                have.insert(r.get(0), n);
            }
        }
    }
    let w = c
        .copy_in("COPY code_posting (band_key, pos, function_id) FROM STDIN BINARY")
        .map_err(|e| op("copying postings", e))?;
    let mut w = BinaryCopyInWriter::new(w, &[Type::INT8, Type::INT8, Type::INT8]);
    for (k, f) in &posts {
        let n = have.entry(*k).or_insert(0);
        w.write(&[k, &*n, f])
            .map_err(|e| op("copying postings", e))?;
        *n += 1;
    }
    w.finish().map_err(|e| op("copying postings", e))?;
    Ok(())
}

/// The postings of `keys` (distinct), at most `limit` function ids a key (the even sample of
/// a longer list) with the list's length; a key without postings is absent. Ids at or above
/// `snapshot` (functions of samples this reader does not know) are never handed out.
pub(crate) fn read_postings(
    c: &mut impl GenericClient,
    keys: &[i64],
    limit: usize,
    snapshot: u64,
) -> Result<HashMap<i64, BandPostings>, CodeError> {
    let mut found: HashMap<i64, BandPostings> = HashMap::with_capacity(keys.len());
    let lim = limit as i64;
    for chunk in keys.chunks(LOOKUP_CHUNK) {
        if limit == 0 {
            for r in c
                .query(
                    "SELECT k, (SELECT max(pos) + 1 FROM code_posting WHERE band_key = k)
                     FROM unnest($1::bigint[]) AS k",
                    &[&chunk],
                )
                .map_err(|e| op("looking up band keys", e))?
            {
                if let Some(n) = r.get::<_, Option<i64>>(1) {
                    found.insert(
                        r.get(0),
                        BandPostings {
                            functions: Vec::new(),
                            total: n as usize,
                        },
                    );
                }
            }
            continue;
        }
        // 1. up to `limit + 1` postings of each key, by position: a shorter list is
        // whole; a list reaching position `limit` is long
        let rows = c
            .query(
                "SELECT band_key, pos, function_id FROM code_posting
                 WHERE band_key = ANY($1) AND pos <= $2",
                &[&chunk, &lim],
            )
            .map_err(|e| op("looking up band keys", e))?;
        let mut lists: HashMap<i64, Vec<(i64, FunctionId)>> = HashMap::new();
        for r in rows {
            lists
                .entry(r.get(0))
                .or_default()
                .push((r.get(1), r.get::<_, i64>(2) as FunctionId));
        }
        let long: Vec<i64> = lists
            .iter()
            .filter(|(_, v)| v.len() > limit)
            .map(|(k, _)| *k)
            .collect();
        // 2. a long list of up to RANGE_READ postings is read whole (one index range,
        // cheaper than `limit` probes); 3. of a longer one, its length and the `limit`
        // positions j * n / limit (j = 0..limit), probed. Either way the even sample
        // the embedded stores take.
        let mut totals: HashMap<i64, usize> = HashMap::new();
        if !long.is_empty() {
            let range = RANGE_READ as i64;
            let rows = c
                .query(
                    "SELECT band_key, pos, function_id FROM code_posting
                     WHERE band_key = ANY($1) AND pos < $2",
                    &[&long, &range],
                )
                .map_err(|e| op("reading long posting lists", e))?;
            for k in &long {
                lists.remove(k);
            }
            for r in rows {
                lists
                    .entry(r.get(0))
                    .or_default()
                    .push((r.get(1), r.get::<_, i64>(2) as FunctionId));
            }
            let huge: Vec<i64> = lists
                .iter()
                .filter(|(_, v)| v.len() >= RANGE_READ)
                .map(|(k, _)| *k)
                .collect();
            if !huge.is_empty() {
                for k in &huge {
                    lists.remove(k);
                }
                let rows = c
                    .query(
                        "SELECT l.k, p.pos, p.function_id, l.n
                         FROM (SELECT k, (SELECT max(pos) + 1 FROM code_posting WHERE band_key = k) AS n
                               FROM unnest($1::bigint[]) AS k) AS l
                         CROSS JOIN LATERAL generate_series(0::bigint, $2::bigint - 1) AS j
                         JOIN code_posting p ON p.band_key = l.k AND p.pos = j * l.n / $2::bigint",
                        &[&huge, &lim],
                    )
                    .map_err(|e| op("sampling long posting lists", e))?;
                for r in rows {
                    let k: i64 = r.get(0);
                    totals.insert(k, r.get::<_, i64>(3) as usize);
                    lists
                        .entry(k)
                        .or_default()
                        .push((r.get(1), r.get::<_, i64>(2) as FunctionId));
                }
            }
        }
        for (k, mut v) in lists {
            v.sort_unstable();
            // a probed list holds its sample already; a whole one is sampled here
            let (total, picked): (usize, Vec<FunctionId>) = match totals.get(&k) {
                Some(&n) => (n, v.into_iter().map(|(_, f)| f).collect()),
                None => {
                    let n = v.len();
                    let take = n.min(limit);
                    (n, (0..take).map(|j| v[j * n / take].1).collect())
                }
            };
            found.insert(
                k,
                BandPostings {
                    // a writer's store may see postings others committed since it
                    // caught up: never hand out a function it does not know
                    functions: picked
                        .into_iter()
                        .filter(|&f| u64::from(f) < snapshot)
                        .collect(),
                    total,
                },
            );
        }
    }
    Ok(found)
}
