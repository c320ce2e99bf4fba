//! What both PostgreSQL code-index writers ([`PgCodeStore`](crate::PgCodeStore) and
//! [`ShardedCodeStore`](crate::shard_code::ShardedCodeStore)) keep in memory: the samples
//! they know, the batch being written, and the rules for when it commits. Only where the
//! rows go differs (one database, or shards then a coordinator); that part is a
//! [`BatchWriter`].
//!
//! # The protocol (both stores)
//!
//! A writer's first new sample opens a transaction on the database that holds the
//! allocator (`lock_allocator`): the writer catches up with the samples others committed
//! and checks the SHA-256 again. Then samples and their functions are kept in memory (a
//! [`Pending`] batch) until the batch holds at least `batch_functions` functions (0: every
//! sample) and its last sample is complete, or until `flush`: then the [`BatchWriter`]
//! writes the rows and commits. On an error the batch is rolled back and forgotten, and the
//! writer's known samples end where they ended before it.

use std::collections::HashMap;

use ascribe_code::{
    encode_function_record, CodeError, FunctionId, FunctionInsert, FunctionSignature, SampleId,
    SampleRecord, StoreCounts,
};
use postgres::Client;
use sha2::{Digest, Sha256};

use crate::code::{err, hex, lock_allocator, SampleRow};

/// A sample of the open batch.
pub(crate) struct PendingSample {
    pub(crate) id: SampleId,
    pub(crate) first_function: u64,
    pub(crate) declared: u32,
    pub(crate) functions: Vec<FunctionSignature>,
    pub(crate) postings: u64,
}

/// Samples being written (a batch): their transaction is open and holds the allocator row.
/// Every sample but the last is complete.
#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) samples: Vec<PendingSample>,
    /// `(band key, function id)` of every function of the batch.
    pub(crate) postings: Vec<(i64, i64)>,
    pub(crate) functions: u64,
}

impl Pending {
    /// The last sample has all its declared functions.
    fn complete(&self) -> bool {
        self.samples
            .last()
            .is_none_or(|s| s.functions.len() >= s.declared as usize)
    }

    /// The function ids of the batch, each with its sample and signature.
    pub(crate) fn function_rows(
        &self,
    ) -> impl Iterator<Item = (i64, i64, &FunctionSignature)> + '_ {
        self.samples.iter().flat_map(|ps| {
            ps.functions
                .iter()
                .enumerate()
                .map(move |(i, f)| ((ps.first_function + i as u64) as i64, i64::from(ps.id), f))
        })
    }

    /// The next sample and function ids after the batch (None: an empty batch).
    pub(crate) fn next_ids(&self) -> Option<(i64, i64)> {
        self.samples.last().map(|l| {
            (
                i64::from(l.id) + 1,
                (l.first_function + l.functions.len() as u64) as i64,
            )
        })
    }
}

/// The batch's sample records as they are committed: each with its function count and the
/// SHA-256 of its function records.
pub(crate) struct SampleRows {
    pub(crate) recs: Vec<SampleRecord>,
    datas: Vec<String>,
}

impl SampleRows {
    fn new(p: &Pending, samples: &[SampleRecord]) -> Result<SampleRows, CodeError> {
        let mut recs = Vec::with_capacity(p.samples.len());
        let mut datas = Vec::with_capacity(p.samples.len());
        for ps in &p.samples {
            let mut rec = samples[ps.id as usize].clone();
            let mut buf =
                Vec::with_capacity(ps.functions.len() * ascribe_code::FUNCTION_RECORD_BYTES);
            for f in &ps.functions {
                encode_function_record(ps.id, f, &mut buf);
            }
            rec.records_sha256 = Some(hex(&Sha256::digest(&buf)));
            rec.functions_indexed = ps.functions.len() as u32;
            datas.push(serde_json::to_string(&rec).map_err(|e| CodeError::Store(e.to_string()))?);
            recs.push(rec);
        }
        Ok(SampleRows { recs, datas })
    }

    /// Inserts the batch's `code_sample` rows, advances `code_alloc` past the batch and
    /// commits the writer's transaction on `c` (the database that holds the allocator).
    /// `committing` says what a failed commit means.
    pub(crate) fn insert_and_commit(
        &self,
        c: &mut Client,
        name: &str,
        p: &Pending,
        committing: &str,
    ) -> Result<(), CodeError> {
        let (mut ids, mut shas, mut firsts, mut nfuncs, mut nposts) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (ps, rec) in p.samples.iter().zip(&self.recs) {
            ids.push(i64::from(ps.id));
            shas.push(rec.sha256.as_str());
            firsts.push(ps.first_function as i64);
            nfuncs.push(ps.functions.len() as i64);
            nposts.push(ps.postings as i64);
        }
        c.execute(
            "INSERT INTO code_sample (sample_id, sha256, first_function, functions, postings, data)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[])",
            &[&ids, &shas, &firsts, &nfuncs, &nposts, &self.datas],
        )
        .map_err(|e| err(name, "writing the samples", e))?;
        if let Some((next_sample, next_function)) = p.next_ids() {
            c.execute(
                "UPDATE code_alloc SET next_sample = $1, next_function = $2 WHERE id = 1",
                &[&next_sample, &next_function],
            )
            .map_err(|e| err(name, "advancing the ids", e))?;
        }
        c.batch_execute("COMMIT")
            .map_err(|e| err(name, committing, e))
    }
}

/// Where a writer's rows go.
pub(crate) trait BatchWriter {
    /// The connection to the database that holds `code_alloc` and `code_sample` (`name`:
    /// the store, for messages).
    fn allocator(&mut self, name: &str) -> Result<&mut Client, CodeError>;

    /// Writes a non-empty batch (its sample rows in `rows`) and commits it; on an error the
    /// caller rolls back.
    fn write(&mut self, name: &str, p: &Pending, rows: &SampleRows) -> Result<(), CodeError>;

    /// The batch `p` was committed.
    fn committed(&mut self, _p: &Pending) {}

    /// Ends the writer's transaction without writing.
    fn rollback(&mut self) {
        if let Ok(c) = self.allocator("") {
            let _ = c.batch_execute("ROLLBACK");
        }
    }
}

/// The samples a writer knows (committed, then pending) and its open batch.
pub(crate) struct Ledger {
    pub(crate) name: String,
    pub(crate) samples: Vec<SampleRecord>,
    pub(crate) by_sha: HashMap<String, SampleId>,
    /// First function id and postings of each known sample.
    pub(crate) first_function: Vec<u64>,
    pub(crate) postings: Vec<u64>,
    pub(crate) committed_functions: u64,
    pub(crate) committed_postings: u64,
    pub(crate) pending: Option<Box<Pending>>,
    /// Commit when a batch holds at least this many functions (0: every sample).
    pub(crate) batch_functions: usize,
}

impl Ledger {
    pub(crate) fn new(name: String) -> Ledger {
        Ledger {
            name,
            samples: Vec::new(),
            by_sha: HashMap::new(),
            first_function: Vec::new(),
            postings: Vec::new(),
            committed_functions: 0,
            committed_postings: 0,
            pending: None,
            batch_functions: 0,
        }
    }

    /// Adds committed sample rows (in id order, continuing the known ones).
    pub(crate) fn append_samples(&mut self, rows: &[postgres::Row]) -> Result<(), CodeError> {
        for r in rows {
            let row = SampleRow::read(
                &self.name,
                r,
                self.samples.len() as i64,
                self.committed_functions,
            )?;
            self.by_sha.insert(row.rec.sha256.clone(), row.id);
            self.samples.push(row.rec);
            self.first_function.push(row.first);
            self.postings.push(row.postings);
            self.committed_functions += row.functions;
            self.committed_postings += row.postings;
        }
        Ok(())
    }

    /// A batch is being filled and may take more samples.
    fn filling(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| {
            self.batch_functions > 0 && (p.functions as usize) < self.batch_functions
        })
    }

    /// The last pending sample is complete: commit now unless a batch is being filled.
    fn sample_done(&mut self, w: &mut impl BatchWriter) -> Result<(), CodeError> {
        if self.filling() {
            Ok(())
        } else {
            self.commit_pending(w)
        }
    }

    /// Writes the pending samples' rows and commits their transaction.
    pub(crate) fn commit_pending(&mut self, w: &mut impl BatchWriter) -> Result<(), CodeError> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        if p.samples.is_empty() {
            w.rollback();
            return Ok(());
        }
        let written = SampleRows::new(&p, &self.samples)
            .and_then(|rows| w.write(&self.name, &p, &rows).map(|()| rows));
        match written {
            Ok(rows) => {
                for (ps, rec) in p.samples.iter().zip(rows.recs) {
                    let i = ps.id as usize;
                    self.samples[i] = rec;
                    self.postings[i] = ps.postings;
                }
                self.committed_functions += p.functions;
                self.committed_postings += p.postings.len() as u64;
                w.committed(&p);
                Ok(())
            }
            Err(e) => {
                self.abandon(w, &p);
                Err(e)
            }
        }
    }

    /// Rolls back the pending samples' transaction and forgets them.
    fn abandon(&mut self, w: &mut impl BatchWriter, p: &Pending) {
        w.rollback();
        let Some(first) = p.samples.first().map(|s| s.id as usize) else {
            return;
        };
        for rec in self.samples.drain(first..) {
            self.by_sha.remove(&rec.sha256);
        }
        self.first_function.truncate(first);
        self.postings.truncate(first);
    }

    /// [`CodeIndexStore::put_sample_if_new`](ascribe_code::CodeIndexStore::put_sample_if_new)
    /// of both stores.
    pub(crate) fn put_sample_if_new(
        &mut self,
        w: &mut impl BatchWriter,
        sample: SampleRecord,
    ) -> Result<(SampleId, bool), CodeError> {
        // the previous sample ends here (with the functions it was given)
        if let Some(last) = self.pending.as_mut().and_then(|p| p.samples.last_mut()) {
            last.declared = last.functions.len() as u32;
        }
        if !self.filling() {
            self.commit_pending(w)?;
        }
        if let Some(&id) = self.by_sha.get(&sample.sha256) {
            return Ok((id, false));
        }
        let name = self.name.clone();
        if self.pending.is_none() {
            let known = self.samples.len() as i64;
            let (next_sample, next_function, rows) =
                lock_allocator(w.allocator(&name)?, &name, known)?;
            let caught_up = self.append_samples(&rows);
            if caught_up.is_err()
                || next_sample != self.samples.len() as i64
                || next_function as u64 != self.committed_functions
            {
                w.rollback();
                caught_up?;
                return Err(CodeError::Store(format!(
                    "{name}: code_alloc says the next ids are {next_sample}/{next_function}, the samples end at {}/{}: run `ascribe index verify`",
                    self.samples.len(),
                    self.committed_functions
                )));
            }
            if let Some(&id) = self.by_sha.get(&sample.sha256) {
                // committed by another writer since `find_sample`
                w.rollback();
                return Ok((id, false));
            }
            self.pending = Some(Box::default());
        }
        let id = SampleId::try_from(self.samples.len())
            .map_err(|_| CodeError::Store(format!("{name}: too many samples")))?;
        let p = self.pending.as_mut().expect("a transaction is open");
        let first_function = self.committed_functions + p.functions;
        let declared = sample.functions_indexed;
        self.by_sha.insert(sample.sha256.clone(), id);
        self.samples.push(sample);
        self.first_function.push(first_function);
        self.postings.push(0);
        p.samples.push(PendingSample {
            id,
            first_function,
            declared,
            functions: Vec::new(),
            postings: 0,
        });
        if declared == 0 {
            self.sample_done(w)?;
        }
        Ok((id, true))
    }

    /// [`CodeIndexStore::put_functions`](ascribe_code::CodeIndexStore::put_functions) of both
    /// stores.
    pub(crate) fn put_functions(
        &mut self,
        w: &mut impl BatchWriter,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        let name = self.name.clone();
        let p = self
            .pending
            .as_mut()
            .filter(|p| p.samples.last().is_some_and(|s| s.id == sample))
            .ok_or_else(|| {
                CodeError::Store(format!("{name}: sample {sample} is not open for writing"))
            })?;
        let s = p.samples.last_mut().expect("checked");
        if s.functions.len() + batch.len() > s.declared as usize {
            let (pid, declared) = (s.id, s.declared);
            let p = self.pending.take().expect("pending");
            self.abandon(w, &p);
            return Err(CodeError::Store(format!(
                "{name}: sample {pid} declared {declared} functions (functions_indexed), more were given; nothing of its batch was stored"
            )));
        }
        let first = s.first_function + s.functions.len() as u64;
        let first_id = FunctionId::try_from(first)
            .map_err(|_| CodeError::Store(format!("{name}: too many functions")))?;
        for (i, f) in batch.iter().enumerate() {
            let fid = (first + i as u64) as i64;
            p.postings
                .extend(f.band_keys.iter().map(|&k| (k as i64, fid)));
            s.postings += f.band_keys.len() as u64;
            s.functions.push(f.signature.clone());
        }
        p.functions += batch.len() as u64;
        if p.complete() {
            self.sample_done(w)?;
        }
        Ok(first_id)
    }

    /// Samples, functions and postings, the pending batch included.
    pub(crate) fn counts(&self) -> StoreCounts {
        let (pf, pp) = self
            .pending
            .as_ref()
            .map_or((0, 0), |p| (p.functions, p.postings.len() as u64));
        StoreCounts {
            samples: self.samples.len() as u64,
            functions: self.committed_functions + pf,
            postings: self.committed_postings + pp,
        }
    }

    /// A known sample's record.
    pub(crate) fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        self.samples
            .get(id as usize)
            .cloned()
            .ok_or_else(|| CodeError::Store(format!("{}: no sample {id}", self.name)))
    }
}
