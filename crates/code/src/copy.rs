//! Copying a code index between stores (`ascribe store copy`) and the digest that verifies the
//! copy: counts plus a SHA-256 over the samples and their function records in id order, with
//! nothing store-specific in it (no ids, no record checksums), so an embedded index and its
//! PostgreSQL copy digest alike.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::index::band_keys;
use crate::store::{
    encode_function_record, CodeIndexStore, FunctionId, FunctionInsert, SampleId, StoreCounts,
};
use crate::CodeError;

/// Function records fetched per `functions` call while copying or digesting.
const CHUNK: usize = 50_000;

/// Counts and a checksum of a code index's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDigest {
    /// Samples, functions and band postings.
    pub counts: StoreCounts,
    /// SHA-256 over the samples sorted by their SHA-256, each digested as its record (JSON,
    /// without `records_sha256`) followed by its function records (the `functions.bin`
    /// encoding with sample id 0).
    pub sha256: String,
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Calls `f(sample id, its functions)` for every sample in id order, reading function records
/// in chunks. Function ids are dense and each sample's are contiguous, in sample order.
fn each_sample<S: CodeIndexStore + ?Sized>(
    store: &S,
    mut f: impl FnMut(SampleId, crate::SampleRecord, &[crate::FunctionRecord]) -> Result<(), CodeError>,
) -> Result<(), CodeError> {
    let n = store.counts()?.samples;
    let mut next: u64 = 0;
    for id in 0..n {
        let id = id as SampleId;
        let rec = store.sample(id)?;
        let k = u64::from(rec.functions_indexed);
        let mut recs = Vec::with_capacity(k as usize);
        let mut at = next;
        while at < next + k {
            let end = (at + CHUNK as u64).min(next + k);
            let ids: Vec<FunctionId> = (at..end)
                .map(|i| {
                    FunctionId::try_from(i)
                        .map_err(|_| CodeError::Store(format!("function id {i} out of range")))
                })
                .collect::<Result<_, _>>()?;
            recs.extend(store.functions(&ids)?);
            at = end;
        }
        if let Some(bad) = recs.iter().position(|r| r.sample != id) {
            return Err(CodeError::Store(format!(
                "function {} belongs to sample {}, expected {id}: function ids are not in sample order",
                next + bad as u64,
                recs[bad].sample
            )));
        }
        next += k;
        f(id, rec, &recs)?;
    }
    Ok(())
}

/// The digest of a whole index.
pub fn digest<S: CodeIndexStore + ?Sized>(store: &S) -> Result<IndexDigest, CodeError> {
    digest_where(store, &|_| true)
}

/// The digest of the samples `keep` accepts: their counts (postings only when every sample is
/// kept, else 0) and a SHA-256 over the per-sample digests sorted by the samples' SHA-256, so
/// it does not depend on the order the samples were added in.
pub fn digest_where<S: CodeIndexStore + ?Sized>(
    store: &S,
    keep: &dyn Fn(&crate::SampleRecord) -> bool,
) -> Result<IndexDigest, CodeError> {
    let all = store.counts()?;
    let mut counts = StoreCounts::default();
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut buf = Vec::new();
    each_sample(store, |_, mut rec, fs| {
        if !keep(&rec) {
            return Ok(());
        }
        rec.records_sha256 = None;
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&rec).map_err(|e| CodeError::Store(e.to_string()))?);
        h.update(b"\n");
        buf.clear();
        for f in fs {
            encode_function_record(0, &f.signature, &mut buf);
        }
        h.update(&buf);
        counts.samples += 1;
        counts.functions += fs.len() as u64;
        lines.push((rec.sha256, hex(&h.finalize())));
        Ok(())
    })?;
    if counts.samples == all.samples {
        counts.postings = all.postings;
    }
    lines.sort_unstable();
    let mut h = Sha256::new();
    for (sha, d) in &lines {
        h.update(sha.as_bytes());
        h.update(b"\t");
        h.update(d.as_bytes());
        h.update(b"\n");
    }
    Ok(IndexDigest {
        counts,
        sha256: hex(&h.finalize()),
    })
}

/// What [`copy_index`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopySummary {
    /// Samples written to the target.
    pub added: u64,
    /// Samples the target held already (same SHA-256), left as they were.
    pub present: u64,
    /// Functions written.
    pub functions: u64,
}

/// Copies every sample of `from` that `to` does not hold (by SHA-256) with its functions; band
/// postings are recomputed from the signatures, as `index rebuild` does. Flushes `to` every
/// `flush_every` samples and at the end; `progress(done, total)` after each sample.
pub fn copy_index<S: CodeIndexStore + ?Sized, T: CodeIndexStore + ?Sized>(
    from: &S,
    to: &mut T,
    flush_every: usize,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CopySummary, CodeError> {
    let total = from.counts()?.samples;
    let mut sum = CopySummary::default();
    let mut since_flush = 0usize;
    each_sample(from, |id, mut rec, fs| {
        rec.records_sha256 = None;
        rec.functions_indexed = fs.len() as u32;
        let (to_id, new) = to.put_sample_if_new(rec)?;
        if new {
            let batch: Vec<FunctionInsert> = fs
                .iter()
                .map(|f| FunctionInsert {
                    band_keys: band_keys(&f.signature.minhash),
                    signature: f.signature.clone(),
                })
                .collect();
            for chunk in batch.chunks(4096) {
                to.put_functions(to_id, chunk)?;
            }
            sum.added += 1;
            sum.functions += fs.len() as u64;
            since_flush += 1;
            if since_flush >= flush_every.max(1) {
                to.flush()?;
                since_flush = 0;
            }
        } else {
            sum.present += 1;
        }
        progress(u64::from(id) + 1, total);
        Ok(())
    })?;
    to.flush()?;
    Ok(sum)
}
