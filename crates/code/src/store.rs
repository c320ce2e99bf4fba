//! Storage behind the code index: the [`CodeIndexStore`] trait, an in-memory store and a
//! purpose-built on-disk store (memory-mapped sorted postings plus append logs).

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};

use crate::extract::{Arch, Format};
use crate::hash::FastMap;
use crate::signature::{FunctionSignature, MINHASH_K};
use crate::CodeError;

/// Dense sample id assigned by a store, starting at 0.
pub type SampleId = u32;
/// Dense function id assigned by a store, starting at 0.
pub type FunctionId = u32;

/// One indexed sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRecord {
    /// Lower-case hex SHA-256 of the file: the content address that makes re-adds idempotent.
    pub sha256: String,
    /// Family label.
    pub family: String,
    /// Optional actor label.
    pub actor: Option<String>,
    /// Optional display name (file name).
    pub name: Option<String>,
    /// Container format.
    pub format: Format,
    /// Instruction set.
    pub arch: Arch,
    /// Functions recovered (signed or not).
    pub functions_total: u32,
    /// Signed functions stored in the index.
    pub functions_indexed: u32,
    /// Extraction flagged packed/encrypted code.
    pub packed: bool,
    /// Import set (hashed `library.function`, sorted); absent in indexes built before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<u64>,
    /// String sketch (see `string_sketch`); absent in indexes built before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strings: Vec<u64>,
    /// Export-name set (see `Extraction::exports`); absent in indexes built before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<u64>,
    /// SHA-256 (hex) of the sample's function records as stored in `functions.bin`, set by the
    /// store when the sample is committed (absent in indexes built before it). Checked the first
    /// time a query reads one of the sample's records, so damaged signature bytes are named at
    /// query time instead of silently changing answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_sha256: Option<String>,
}

/// One stored function: its sample and signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionRecord {
    /// Owning sample.
    pub sample: SampleId,
    /// Signature (address, exact hash, MinHash, sizes).
    pub signature: FunctionSignature,
}

/// A function to insert along with its LSH band keys.
#[derive(Debug, Clone)]
pub struct FunctionInsert {
    /// Signature.
    pub signature: FunctionSignature,
    /// Band keys under which the function is posted.
    pub band_keys: Vec<u64>,
}

/// The postings of one band key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BandPostings {
    /// Up to `limit` function ids, spread evenly over the list when it is longer.
    pub functions: Vec<FunctionId>,
    /// Total number of postings under the key (may exceed `functions.len()`).
    pub total: usize,
}

/// Counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCounts {
    /// Samples.
    pub samples: u64,
    /// Functions.
    pub functions: u64,
    /// Band postings.
    pub postings: u64,
}

/// Batch-oriented storage for the code index. Ids are dense and assigned in insertion order.
///
/// Call order for one sample: [`put_sample`](Self::put_sample), then
/// [`put_functions`](Self::put_functions) once or more; [`flush`](Self::flush) makes the batch
/// durable (for persistent stores).
pub trait CodeIndexStore {
    /// The sample with this SHA-256 (lower-case hex), if indexed.
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError>;
    /// Records a sample and returns its id.
    fn put_sample(&mut self, sample: SampleRecord) -> Result<SampleId, CodeError>;
    /// Appends functions of `sample` with their band keys; returns the id of the first one.
    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError>;
    /// Looks up a batch of band keys, returning at most `limit` ids per key (and the full count).
    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError>;
    /// Function records by id (same order as `ids`).
    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError>;
    /// A sample by id.
    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError>;
    /// Counts of samples, functions and postings.
    fn counts(&self) -> Result<StoreCounts, CodeError>;
    /// Makes everything written so far durable.
    fn flush(&mut self) -> Result<(), CodeError>;
    /// Records a sample unless one with its SHA-256 is indexed already: `(id, true)` for a new
    /// sample, `(existing id, false)` otherwise (then write no functions for it). A store shared
    /// by several writers (PostgreSQL) checks under its writer lock, so two processes adding the
    /// same file store it once; the default is [`find_sample`](Self::find_sample) then
    /// [`put_sample`](Self::put_sample).
    fn put_sample_if_new(&mut self, sample: SampleRecord) -> Result<(SampleId, bool), CodeError> {
        if let Some(id) = self.find_sample(&sample.sha256)? {
            return Ok((id, false));
        }
        Ok((self.put_sample(sample)?, true))
    }
}

/// In-memory store (tests, small corpora, benchmarks).
#[derive(Debug, Default)]
pub struct MemoryStore {
    samples: Vec<SampleRecord>,
    by_sha: FastMap<String, SampleId>,
    functions: Vec<FunctionRecord>,
    postings: FastMap<u64, Vec<FunctionId>>,
    n_postings: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl CodeIndexStore for MemoryStore {
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError> {
        Ok(self.by_sha.get(sha256).copied())
    }
    fn put_sample(&mut self, sample: SampleRecord) -> Result<SampleId, CodeError> {
        let id = self.samples.len() as SampleId;
        self.by_sha.insert(sample.sha256.clone(), id);
        self.samples.push(sample);
        Ok(id)
    }
    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        let first = self.functions.len() as FunctionId;
        for (i, f) in batch.iter().enumerate() {
            let id = first + i as FunctionId;
            for &k in &f.band_keys {
                self.postings.entry(k).or_default().push(id);
                self.n_postings += 1;
            }
            self.functions.push(FunctionRecord {
                sample,
                signature: f.signature.clone(),
            });
        }
        Ok(first)
    }
    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        Ok(keys
            .iter()
            .map(|k| match self.postings.get(k) {
                Some(v) => BandPostings {
                    functions: strided(0, v.len(), limit).map(|i| v[i]).collect(),
                    total: v.len(),
                },
                None => BandPostings::default(),
            })
            .collect())
    }
    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        ids.iter()
            .map(|&i| {
                self.functions
                    .get(i as usize)
                    .cloned()
                    .ok_or_else(|| CodeError::Store(format!("no function {i}")))
            })
            .collect()
    }
    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        self.samples
            .get(id as usize)
            .cloned()
            .ok_or_else(|| CodeError::Store(format!("no sample {id}")))
    }
    fn counts(&self) -> Result<StoreCounts, CodeError> {
        Ok(StoreCounts {
            samples: self.samples.len() as u64,
            functions: self.functions.len() as u64,
            postings: self.n_postings,
        })
    }
    fn flush(&mut self) -> Result<(), CodeError> {
        Ok(())
    }
}

const REC: usize = 4 * 4 + 8 * 2 + MINHASH_K * 2;

/// Bytes of one function record as `functions.bin` stores it (and as
/// [`SampleRecord::records_sha256`] hashes it): little-endian sample id, instructions, blocks,
/// edges, address, exact hash, then the MinHash values.
pub const FUNCTION_RECORD_BYTES: usize = REC;

/// Appends the [`FUNCTION_RECORD_BYTES`] bytes of one function record to `out`: the encoding
/// every store hashes into [`SampleRecord::records_sha256`], so checksums agree across stores.
pub fn encode_function_record(sample: SampleId, s: &FunctionSignature, out: &mut Vec<u8>) {
    encode_function(sample, s, out)
}
const POST_MAGIC: &[u8; 8] = b"ASCPOST1";

fn encode_function(sample: SampleId, s: &FunctionSignature, out: &mut Vec<u8>) {
    out.extend_from_slice(&sample.to_le_bytes());
    out.extend_from_slice(&s.instructions.to_le_bytes());
    out.extend_from_slice(&s.blocks.to_le_bytes());
    out.extend_from_slice(&s.edges.to_le_bytes());
    out.extend_from_slice(&s.address.to_le_bytes());
    out.extend_from_slice(&s.exact.to_le_bytes());
    for i in 0..MINHASH_K {
        out.extend_from_slice(&s.minhash.get(i).copied().unwrap_or(0).to_le_bytes());
    }
}

fn decode_function(b: &[u8]) -> FunctionRecord {
    let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    let u64_at = |o: usize| {
        let mut x = [0u8; 8];
        x.copy_from_slice(&b[o..o + 8]);
        u64::from_le_bytes(x)
    };
    FunctionRecord {
        sample: u32_at(0),
        signature: FunctionSignature {
            instructions: u32_at(4),
            blocks: u32_at(8),
            edges: u32_at(12),
            address: u64_at(16),
            exact: u64_at(24),
            minhash: (0..MINHASH_K)
                .map(|i| u16::from_le_bytes([b[32 + 2 * i], b[33 + 2 * i]]))
                .collect(),
        },
    }
}

/// Persistent store in a directory:
///
/// * `samples.jsonl`: one JSON [`SampleRecord`] a line, appended at [`flush`](CodeIndexStore::flush)
///   after the functions and postings it refers to (the sample line is the commit marker);
/// * `functions.bin`: fixed-size function records (160 bytes), memory-mapped;
/// * `postings.bin`: band-key postings sorted by key (keys then ids, memory-mapped, binary search);
/// * `postings.log`: postings appended since the last [`DiskStore::compact`], kept in a hash map.
///
/// On open, records past the last committed sample are discarded, so an interrupted batch leaves
/// no half-added sample behind; re-adding it is then a normal add.
#[derive(Debug)]
pub struct DiskStore {
    dir: PathBuf,
    samples: Vec<SampleRecord>,
    committed_samples: usize,
    by_sha: FastMap<String, SampleId>,
    fmap: Option<Mmap>,
    mapped_functions: usize,
    new_functions: Vec<FunctionRecord>,
    fwriter: Option<BufWriter<File>>,
    pmap: Option<Mmap>,
    mapped_postings: usize,
    log: FastMap<u64, Vec<FunctionId>>,
    log_len: u64,
    lwriter: Option<BufWriter<File>>,
    _writer_lock: Option<File>,
    /// First function id of each committed sample (prefix sums of `functions_indexed`).
    first_function: Vec<u64>,
    /// Per committed sample: 0 not yet checked, 1 records match `records_sha256`, 2 damaged.
    checked: Vec<std::sync::atomic::AtomicU8>,
    /// Running hash of the records written for each uncommitted sample.
    pending_hash: FastMap<SampleId, sha2::Sha256>,
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn first_functions(samples: &[SampleRecord]) -> Vec<u64> {
    let mut acc = 0u64;
    samples
        .iter()
        .map(|s| {
            let f = acc;
            acc += u64::from(s.functions_indexed);
            f
        })
        .collect()
}

/// Lock files in the index directory. `writer.lock` is held exclusively by the one writer for
/// its whole life (a second writer waits); `commit.lock` is held exclusively by the writer only
/// while it replaces files (compaction, rebuild, tail truncation at open) and shared by readers
/// while they open, so a reader never sees a half-swapped postings file.
const WRITER_LOCK: &str = "writer.lock";
const COMMIT_LOCK: &str = "commit.lock";
const MANIFEST: &str = "MANIFEST.json";

/// Checksums of the committed files, written by rename at every compaction and rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version.
    pub version: u32,
    /// Committed samples covered.
    pub samples: u64,
    /// Bytes of `samples.jsonl` covered.
    pub samples_bytes: u64,
    /// SHA-256 of those bytes.
    pub samples_sha256: String,
    /// Function records covered.
    pub functions: u64,
    /// SHA-256 of the first `functions * 160` bytes of `functions.bin`.
    pub functions_sha256: String,
    /// Postings in `postings.bin`.
    pub postings: u64,
    /// SHA-256 of `postings.bin`.
    pub postings_sha256: String,
}

/// Advisory whole-file locks (`flock`): released when the file is closed, so a killed process
/// never leaves a stale lock. On platforms without `flock` the locks are no-ops.
mod flock {
    use std::fs::File;
    use std::io;

    #[cfg(unix)]
    fn op(f: &File, how: libc::c_int) -> io::Result<bool> {
        use std::os::unix::io::AsRawFd;
        loop {
            // SAFETY: flock on a file descriptor owned by `f`.
            if unsafe { libc::flock(f.as_raw_fd(), how) } == 0 {
                return Ok(true);
            }
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EWOULDBLOCK) => return Ok(false),
                _ => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    fn op(_: &File, _: i32) -> io::Result<bool> {
        Ok(true)
    }
    #[cfg(unix)]
    const EX: i32 = libc::LOCK_EX;
    #[cfg(unix)]
    const SH: i32 = libc::LOCK_SH;
    #[cfg(unix)]
    const NB: i32 = libc::LOCK_NB;
    #[cfg(not(unix))]
    const EX: i32 = 0;
    #[cfg(not(unix))]
    const SH: i32 = 0;
    #[cfg(not(unix))]
    const NB: i32 = 0;

    /// Exclusive lock, waiting.
    pub fn exclusive(f: &File) -> io::Result<()> {
        op(f, EX).map(|_| ())
    }
    /// Shared lock, waiting.
    pub fn shared(f: &File) -> io::Result<()> {
        op(f, SH).map(|_| ())
    }
    /// Exclusive lock if free now.
    pub fn try_exclusive(f: &File) -> io::Result<bool> {
        op(f, EX | NB)
    }
}

/// Takes the writer lock, calling `on_wait` once if another writer holds it.
fn writer_lock(dir: &Path, on_wait: impl FnOnce()) -> Result<File, CodeError> {
    let wlock = lock_file(dir, WRITER_LOCK, true)?.expect("created");
    if !flock::try_exclusive(&wlock)? {
        on_wait();
        flock::exclusive(&wlock)?;
    }
    Ok(wlock)
}

type LogMap = FastMap<u64, Vec<FunctionId>>;

fn lock_file(dir: &Path, name: &str, create: bool) -> Result<Option<File>, CodeError> {
    let p = dir.join(name);
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(&p)
    {
        Ok(f) => Ok(Some(f)),
        Err(_) if !create => Ok(File::open(&p).ok()),
        Err(e) => Err(e.into()),
    }
}

fn sha256_of(path: &Path, len: u64) -> Result<String, CodeError> {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut f = File::open(path)?.take(len);
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    if n != len {
        return Err(CodeError::Store(format!(
            "{}: {n} bytes, {len} expected",
            path.display()
        )));
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Committed samples of `samples.jsonl` and the byte length they take. A last line without a
/// newline is a torn, uncommitted write and is ignored; any other line that does not parse is
/// corruption and is named.
fn read_samples(dir: &Path) -> Result<(Vec<SampleRecord>, u64), CodeError> {
    let sp = dir.join("samples.jsonl");
    let mut samples = Vec::new();
    let mut valid = 0u64;
    if !sp.exists() {
        return Ok((samples, 0));
    }
    let mut r = BufReader::new(File::open(&sp)?);
    let mut line = Vec::new();
    let mut lineno = 0usize;
    loop {
        line.clear();
        let k = r.read_until(b'\n', &mut line)?;
        if k == 0 {
            break;
        }
        lineno += 1;
        if line.last() != Some(&b'\n') {
            break; // torn last line: uncommitted
        }
        let text = std::str::from_utf8(&line).map_err(|_| {
            CodeError::Store(format!(
                "{}: line {lineno} is not UTF-8: the index is corrupt (run `ascribe index verify`)",
                sp.display()
            ))
        })?;
        if !text.trim().is_empty() {
            let s: SampleRecord = serde_json::from_str(text).map_err(|e| {
                CodeError::Store(format!(
                    "{}: line {lineno} is not a sample record ({e}): the index is corrupt (run `ascribe index verify`)",
                    sp.display()
                ))
            })?;
            samples.push(s);
        }
        valid += k as u64;
    }
    Ok((samples, valid))
}

fn map_postings(pp: &Path) -> Result<(Option<Mmap>, usize), CodeError> {
    if !pp.exists() {
        return Ok((None, 0));
    }
    let f = File::open(pp)?;
    // SAFETY: postings.bin is replaced by rename, never modified in place.
    let m = unsafe { Mmap::map(&f)? };
    if m.len() < 16 || &m[..8] != POST_MAGIC {
        return Err(CodeError::Store(format!(
            "{}: bad header: the index is corrupt (run `ascribe index verify`)",
            pp.display()
        )));
    }
    let n = u64::from_le_bytes(m[8..16].try_into().expect("8 bytes"));
    if n > (m.len() as u64) / 12 || m.len() as u64 != 16 + n * 12 {
        return Err(CodeError::Store(format!(
            "{}: truncated or padded: the index is corrupt (run `ascribe index verify`)",
            pp.display()
        )));
    }
    Ok((Some(m), n as usize))
}

/// Log entries of committed functions (ids below `nfunc`; the log is written in id order, so
/// the first larger id starts the uncommitted tail). Returns the map, entries and valid bytes.
fn read_log(lp: &Path, nfunc: u64) -> Result<(LogMap, u64, u64), CodeError> {
    let mut log: LogMap = FastMap::default();
    let (mut log_len, mut valid_bytes) = (0u64, 0u64);
    if lp.exists() {
        let mut buf = Vec::new();
        File::open(lp)?.read_to_end(&mut buf)?;
        for e in buf.chunks_exact(12) {
            let k = u64::from_le_bytes(e[..8].try_into().expect("8 bytes"));
            let id = u32::from_le_bytes(e[8..].try_into().expect("4 bytes"));
            if u64::from(id) >= nfunc {
                break; // uncommitted tail
            }
            log.entry(k).or_default().push(id);
            log_len += 1;
            valid_bytes += 12;
        }
    }
    Ok((log, log_len, valid_bytes))
}

impl DiskStore {
    /// Opens or creates a store in `dir` for writing. Takes the writer lock: a second writer
    /// waits until the first one is done (`on_wait` is called once before waiting).
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, CodeError> {
        Self::open_writer(dir, || {})
    }

    /// [`DiskStore::open`] with a callback run when another writer holds the lock.
    pub fn open_writer(dir: impl AsRef<Path>, on_wait: impl FnOnce()) -> Result<Self, CodeError> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(&dir)?;
        let wlock = writer_lock(&dir, on_wait)?;
        let clock = lock_file(&dir, COMMIT_LOCK, true)?.expect("created");
        flock::exclusive(&clock)?;
        let (samples, samples_bytes) = read_samples(&dir)?;
        let sp = dir.join("samples.jsonl");
        if sp.exists() && fs::metadata(&sp)?.len() > samples_bytes {
            OpenOptions::new()
                .write(true)
                .open(&sp)?
                .set_len(samples_bytes)?;
        }
        let nfunc: u64 = samples.iter().map(|s| u64::from(s.functions_indexed)).sum();
        let fp = dir.join("functions.bin");
        let ffile = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&fp)?;
        let flen = ffile.metadata()?.len();
        if flen < nfunc * REC as u64 {
            return Err(CodeError::Store(format!(
                "{}: {} bytes but samples.jsonl commits {nfunc} functions: the index is corrupt (run `ascribe index verify`)",
                fp.display(),
                flen
            )));
        }
        if flen > nfunc * REC as u64 {
            // Only the writer truncates, and never below what readers may have mapped.
            ffile.set_len(nfunc * REC as u64)?;
        }
        let fmap = if nfunc > 0 {
            // SAFETY: the file is only appended to by the writer and never truncated below the
            // committed length.
            Some(unsafe { Mmap::map(&ffile)? })
        } else {
            None
        };
        let (pmap, mapped_postings) = map_postings(&dir.join("postings.bin"))?;
        let lp = dir.join("postings.log");
        let (log, log_len, valid_bytes) = read_log(&lp, nfunc)?;
        let lfile = OpenOptions::new().create(true).append(true).open(&lp)?;
        lfile.set_len(valid_bytes)?;
        drop(clock);
        let by_sha = samples
            .iter()
            .enumerate()
            .map(|(i, s)| (s.sha256.clone(), i as SampleId))
            .collect();
        let first_function = first_functions(&samples);
        let checked = (0..samples.len())
            .map(|_| std::sync::atomic::AtomicU8::new(0))
            .collect();
        Ok(Self {
            dir,
            committed_samples: samples.len(),
            samples,
            by_sha,
            fmap,
            mapped_functions: nfunc as usize,
            new_functions: Vec::new(),
            fwriter: Some(BufWriter::with_capacity(1 << 20, ffile)),
            pmap,
            mapped_postings,
            log,
            log_len,
            lwriter: Some(BufWriter::with_capacity(1 << 20, lfile)),
            _writer_lock: Some(wlock),
            first_function,
            checked,
            pending_hash: FastMap::default(),
        })
    }

    /// Opens an existing store for reading only. Never creates, modifies or truncates a file
    /// and never waits for a writer: uncommitted bytes a writer has appended are ignored.
    pub fn open_read_only(dir: impl AsRef<Path>) -> Result<Self, CodeError> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.is_dir() {
            return Err(CodeError::Store(format!(
                "{}: no code index",
                dir.display()
            )));
        }
        let clock = lock_file(&dir, COMMIT_LOCK, false)?;
        if let Some(c) = &clock {
            flock::shared(c)?;
        }
        let (samples, _) = read_samples(&dir)?;
        let nfunc: u64 = samples.iter().map(|s| u64::from(s.functions_indexed)).sum();
        let fp = dir.join("functions.bin");
        let fmap = if nfunc > 0 {
            let f = File::open(&fp)?;
            let flen = f.metadata()?.len();
            if flen < nfunc * REC as u64 {
                return Err(CodeError::Store(format!(
                    "{}: {flen} bytes but samples.jsonl commits {nfunc} functions: the index is corrupt (run `ascribe index verify`)",
                    fp.display()
                )));
            }
            // SAFETY: see `open_writer`; only the committed prefix is ever read.
            Some(unsafe { Mmap::map(&f)? })
        } else {
            None
        };
        let (pmap, mapped_postings) = map_postings(&dir.join("postings.bin"))?;
        let (log, log_len, _) = read_log(&dir.join("postings.log"), nfunc)?;
        drop(clock);
        let by_sha = samples
            .iter()
            .enumerate()
            .map(|(i, s)| (s.sha256.clone(), i as SampleId))
            .collect();
        let first_function = first_functions(&samples);
        let checked = (0..samples.len())
            .map(|_| std::sync::atomic::AtomicU8::new(0))
            .collect();
        Ok(Self {
            dir,
            committed_samples: samples.len(),
            samples,
            by_sha,
            fmap,
            mapped_functions: nfunc as usize,
            new_functions: Vec::new(),
            fwriter: None,
            pmap,
            mapped_postings,
            log,
            log_len,
            lwriter: None,
            _writer_lock: None,
            first_function,
            checked,
            pending_hash: FastMap::default(),
        })
    }

    fn read_only_error(&self) -> CodeError {
        CodeError::Store(format!("{}: opened read-only", self.dir.display()))
    }

    /// Writes `MANIFEST.json` (checksums of the committed files) by rename.
    fn write_manifest(&self) -> Result<Manifest, CodeError> {
        let pp = self.dir.join("postings.bin");
        let (tmp, m) = self.stage_manifest(&pp, self.mapped_postings as u64)?;
        fs::rename(&tmp, self.dir.join(MANIFEST))?;
        Ok(m)
    }

    /// Computes the manifest of the committed files with `pp` as the postings file and writes
    /// it to `MANIFEST.json.tmp` (the caller renames it into place).
    fn stage_manifest(&self, pp: &Path, n_post: u64) -> Result<(PathBuf, Manifest), CodeError> {
        let (_, samples_bytes) = read_samples(&self.dir)?;
        let nfunc = self.mapped_functions as u64 + self.new_functions.len() as u64;
        let m = Manifest {
            version: 1,
            samples: self.committed_samples as u64,
            samples_bytes,
            samples_sha256: sha256_of(&self.dir.join("samples.jsonl"), samples_bytes).or_else(
                |e| {
                    if samples_bytes == 0 {
                        Ok(String::new())
                    } else {
                        Err(e)
                    }
                },
            )?,
            functions: nfunc,
            functions_sha256: sha256_of(&self.dir.join("functions.bin"), nfunc * REC as u64)?,
            postings: n_post,
            postings_sha256: if pp.exists() {
                sha256_of(pp, fs::metadata(pp)?.len())?
            } else {
                String::new()
            },
        };
        let tmp = self.dir.join("MANIFEST.json.tmp");
        {
            let mut f = File::create(&tmp)?;
            f.write_all(
                serde_json::to_string_pretty(&m)
                    .map_err(|e| CodeError::Store(e.to_string()))?
                    .as_bytes(),
            )?;
            f.sync_all()?;
        }
        Ok((tmp, m))
    }

    /// Merges the postings log into the sorted, memory-mapped postings file (write to a
    /// temporary file, then rename). Call after large batches; lookups work either way.
    pub fn compact(&mut self) -> Result<(), CodeError> {
        if self.lwriter.is_none() {
            return Err(self.read_only_error());
        }
        self.flush()?;
        let mut all: Vec<(u64, FunctionId)> =
            Vec::with_capacity(self.mapped_postings + self.log_len as usize);
        if let Some(m) = &self.pmap {
            let n = self.mapped_postings;
            for i in 0..n {
                all.push((key_at(m, i), id_at(m, n, i)));
            }
        }
        for (&k, ids) in &self.log {
            all.extend(ids.iter().map(|&i| (k, i)));
        }
        all.sort_unstable();
        let tmp = self.dir.join("postings.bin.tmp");
        {
            let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
            w.write_all(POST_MAGIC)?;
            w.write_all(&(all.len() as u64).to_le_bytes())?;
            for (k, _) in &all {
                w.write_all(&k.to_le_bytes())?;
            }
            for (_, i) in &all {
                w.write_all(&i.to_le_bytes())?;
            }
            w.flush()?;
            w.get_ref().sync_all()?;
        }
        // Readers open under the shared commit lock, so none sees the new postings file with
        // the old log (postings counted twice) or the old file with the emptied log.
        // Checksums are computed before the swap, so the lock is held only for the renames.
        let (man_tmp, _) = self.stage_manifest(&tmp, all.len() as u64)?;
        let clock = lock_file(&self.dir, COMMIT_LOCK, true)?.expect("created");
        flock::exclusive(&clock)?;
        self.pmap = None;
        fs::rename(&tmp, self.dir.join("postings.bin"))?;
        fs::rename(&man_tmp, self.dir.join(MANIFEST))?;
        let lp = self.dir.join("postings.log");
        self.lwriter = Some(BufWriter::with_capacity(
            1 << 20,
            OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(true)
                .open(&lp)?,
        ));
        let f = File::open(self.dir.join("postings.bin"))?;
        // SAFETY: see `open`.
        self.pmap = Some(unsafe { Mmap::map(&f)? });
        self.mapped_postings = all.len();
        self.log.clear();
        self.log_len = 0;
        drop(clock);
        Ok(())
    }

    /// Checks, once per sample and process, that the stored records of the sample owning mapped
    /// record `i` are what was committed: the sample id in the record and the records' SHA-256.
    fn check_records(&self, i: usize) -> Result<(), CodeError> {
        use std::sync::atomic::Ordering;
        let Some(m) = self.fmap.as_ref() else {
            return Ok(());
        };
        let s = self.first_function.partition_point(|&f| f <= i as u64) - 1;
        let fp = || self.dir.join("functions.bin").display().to_string();
        let got = u32::from_le_bytes(m[i * REC..i * REC + 4].try_into().expect("4 bytes"));
        if got as usize != s {
            return Err(CodeError::Store(format!(
                "{}: record {i} names sample {got} but belongs to sample {s}: the index is damaged; run `ascribe index verify`, then remove the index and add its samples again",
                fp()
            )));
        }
        let Some(state) = self.checked.get(s) else {
            return Ok(());
        };
        if state.load(Ordering::Acquire) == 0 {
            let rec = &self.samples[s];
            let ok = match &rec.records_sha256 {
                None => true, // indexed before record checksums existed
                Some(want) => {
                    use sha2::Digest;
                    let a = self.first_function[s] as usize * REC;
                    let b = a + rec.functions_indexed as usize * REC;
                    &hex(&sha2::Sha256::digest(&m[a..b])) == want
                }
            };
            state.store(if ok { 1 } else { 2 }, Ordering::Release);
        }
        if state.load(Ordering::Acquire) == 2 {
            let rec = &self.samples[s];
            return Err(CodeError::Store(format!(
                "{}: the function records of sample {s} ({}, {}) do not match their checksum: the index is damaged; run `ascribe index verify`, then remove the index and add its samples again",
                fp(),
                rec.name.as_deref().unwrap_or(&rec.sha256),
                rec.family
            )));
        }
        Ok(())
    }

    fn function_at(&self, id: FunctionId) -> Result<FunctionRecord, CodeError> {
        let i = id as usize;
        let r = if i < self.mapped_functions {
            let m = self
                .fmap
                .as_ref()
                .ok_or_else(|| CodeError::Store(format!("no function {i}")))?;
            decode_function(&m[i * REC..(i + 1) * REC])
        } else {
            self.new_functions
                .get(i - self.mapped_functions)
                .cloned()
                .ok_or_else(|| {
                    CodeError::Store(format!(
                        "{}: a posting names function {i} of {}: the index is corrupt (run `ascribe index verify`)",
                        self.dir.join("postings.bin").display(),
                        self.function_count()
                    ))
                })?
        };
        if i < self.mapped_functions {
            self.check_records(i)?;
        }
        if r.sample as usize >= self.samples.len() || r.signature.minhash.len() != MINHASH_K {
            return Err(CodeError::Store(format!(
                "{}: record {i} names sample {} of {}: the index is corrupt (run `ascribe index verify`)",
                self.dir.join("functions.bin").display(),
                r.sample,
                self.samples.len()
            )));
        }
        Ok(r)
    }

    fn function_count(&self) -> usize {
        self.mapped_functions + self.new_functions.len()
    }
}

/// At most `limit` indexes spread evenly over `lo..hi` (all of them when the range is short), so
/// that a capped posting list is an unbiased sample of the samples holding a function.
pub(crate) fn strided(lo: usize, hi: usize, limit: usize) -> impl Iterator<Item = usize> {
    let len = hi.saturating_sub(lo);
    let take = len.min(limit);
    (0..take).map(move |j| lo + j * len / take.max(1))
}

/// First index whose key is >= `k` in the sorted key column. Band keys are uniform hashes, so
/// a few interpolation steps narrow the range before a binary search finishes it.
fn lower_bound(m: &[u8], n: usize, k: u64) -> usize {
    let (mut lo, mut hi) = (0usize, n);
    let (mut klo, mut khi) = (0u64, u64::MAX);
    let mut steps = 0;
    while hi - lo > 32 && steps < 8 {
        steps += 1;
        let span = (khi - klo).max(1) as f64;
        let frac = (k.saturating_sub(klo)) as f64 / span;
        let g = (lo + ((hi - lo) as f64 * frac) as usize).min(hi - 1);
        let kg = key_at(m, g);
        if kg < k {
            lo = g + 1;
            klo = kg;
        } else {
            hi = g;
            khi = kg;
        }
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if key_at(m, mid) < k {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

fn key_at(m: &[u8], i: usize) -> u64 {
    let o = 16 + i * 8;
    u64::from_le_bytes(m[o..o + 8].try_into().expect("8 bytes"))
}

fn id_at(m: &[u8], n: usize, i: usize) -> u32 {
    let o = 16 + n * 8 + i * 4;
    u32::from_le_bytes(m[o..o + 4].try_into().expect("4 bytes"))
}

impl CodeIndexStore for DiskStore {
    fn find_sample(&self, sha256: &str) -> Result<Option<SampleId>, CodeError> {
        Ok(self.by_sha.get(sha256).copied())
    }
    fn put_sample(&mut self, sample: SampleRecord) -> Result<SampleId, CodeError> {
        if self.fwriter.is_none() {
            return Err(self.read_only_error());
        }
        let id = self.samples.len() as SampleId;
        self.by_sha.insert(sample.sha256.clone(), id);
        let mut s = sample;
        s.functions_indexed = 0; // counted as functions are put
        self.samples.push(s);
        Ok(id)
    }
    fn put_functions(
        &mut self,
        sample: SampleId,
        batch: &[FunctionInsert],
    ) -> Result<FunctionId, CodeError> {
        let s = self
            .samples
            .get_mut(sample as usize)
            .filter(|_| sample as usize >= self.committed_samples)
            .ok_or_else(|| CodeError::Store(format!("sample {sample} is not open for writing")))?;
        s.functions_indexed += batch.len() as u32;
        let first = self.function_count() as FunctionId;
        let (Some(fwriter), Some(lwriter)) = (self.fwriter.as_mut(), self.lwriter.as_mut()) else {
            return Err(CodeError::Store("opened read-only".into()));
        };
        let mut buf = Vec::with_capacity(batch.len() * REC);
        for (i, f) in batch.iter().enumerate() {
            let id = first + i as FunctionId;
            encode_function(sample, &f.signature, &mut buf);
            for &k in &f.band_keys {
                lwriter.write_all(&k.to_le_bytes())?;
                lwriter.write_all(&id.to_le_bytes())?;
                self.log.entry(k).or_default().push(id);
                self.log_len += 1;
            }
            self.new_functions.push(FunctionRecord {
                sample,
                signature: f.signature.clone(),
            });
        }
        fwriter.write_all(&buf)?;
        {
            use sha2::Digest;
            self.pending_hash.entry(sample).or_default().update(&buf);
        }
        Ok(first)
    }
    fn lookup_bands(&self, keys: &[u64], limit: usize) -> Result<Vec<BandPostings>, CodeError> {
        let mut out = Vec::with_capacity(keys.len());
        for &k in keys {
            let mut bp = BandPostings::default();
            if let Some(m) = &self.pmap {
                let n = self.mapped_postings;
                let lo = lower_bound(m, n, k);
                if lo < n && key_at(m, lo) == k {
                    // Short lists are read in place; long ones get their end by binary search.
                    let probe = lo + limit;
                    let hi = if probe < n && key_at(m, probe) == k {
                        let (mut a, mut b) = (probe, n);
                        while a < b {
                            let mid = (a + b) / 2;
                            if key_at(m, mid) <= k {
                                a = mid + 1;
                            } else {
                                b = mid;
                            }
                        }
                        a
                    } else {
                        let mut e = lo;
                        while e < n.min(probe) && key_at(m, e) == k {
                            e += 1;
                        }
                        e
                    };
                    bp.total = hi - lo;
                    bp.functions
                        .extend(strided(lo, hi, limit).map(|i| id_at(m, n, i)));
                }
            }
            if let Some(v) = self.log.get(&k) {
                let room = limit.saturating_sub(bp.functions.len());
                bp.functions.extend(strided(0, v.len(), room).map(|i| v[i]));
                bp.total += v.len();
            }
            out.push(bp);
        }
        Ok(out)
    }
    fn functions(&self, ids: &[FunctionId]) -> Result<Vec<FunctionRecord>, CodeError> {
        ids.iter().map(|&i| self.function_at(i)).collect()
    }
    fn sample(&self, id: SampleId) -> Result<SampleRecord, CodeError> {
        self.samples
            .get(id as usize)
            .cloned()
            .ok_or_else(|| CodeError::Store(format!("no sample {id}")))
    }
    fn counts(&self) -> Result<StoreCounts, CodeError> {
        Ok(StoreCounts {
            samples: self.samples.len() as u64,
            functions: self.function_count() as u64,
            postings: self.mapped_postings as u64 + self.log_len,
        })
    }
    fn flush(&mut self) -> Result<(), CodeError> {
        let (Some(fwriter), Some(lwriter)) = (self.fwriter.as_mut(), self.lwriter.as_mut()) else {
            return Ok(()); // read-only: nothing to write
        };
        fwriter.flush()?;
        fwriter.get_ref().sync_data()?;
        lwriter.flush()?;
        lwriter.get_ref().sync_data()?;
        if self.committed_samples < self.samples.len() {
            let mut w = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join("samples.jsonl"))?;
            let mut text = String::new();
            for id in self.committed_samples..self.samples.len() {
                use sha2::Digest;
                let h = self
                    .pending_hash
                    .remove(&(id as SampleId))
                    .unwrap_or_default()
                    .finalize();
                self.samples[id].records_sha256 = Some(hex(&h));
            }
            for s in &self.samples[self.committed_samples..] {
                text.push_str(
                    &serde_json::to_string(s).map_err(|e| CodeError::Store(e.to_string()))?,
                );
                text.push('\n');
            }
            w.write_all(text.as_bytes())?;
            w.sync_data()?;
            self.committed_samples = self.samples.len();
        }
        Ok(())
    }
}

impl Drop for DiskStore {
    fn drop(&mut self) {
        if self.fwriter.is_some() {
            let _ = self.flush();
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Committed counts.
    pub counts: StoreCounts,
    /// Whether a manifest with checksums was present.
    pub checksummed: bool,
    /// Samples committed after the last checksum (structure checked, bytes not checksummed).
    pub unchecksummed_samples: u64,
    /// Problems, each naming its file; empty when the index is sound.
    pub problems: Vec<String>,
}

/// Checks a store without modifying it: every sample line parses, function records agree
/// with their samples, postings are sorted and name existing functions, and the committed
/// bytes match the checksums of `MANIFEST.json`.
pub fn verify(dir: impl AsRef<Path>) -> Result<VerifyReport, CodeError> {
    let dir = dir.as_ref();
    let mut rep = VerifyReport::default();
    let clock = lock_file(dir, COMMIT_LOCK, false)?;
    if let Some(c) = &clock {
        flock::shared(c)?;
    }
    let (samples, samples_bytes) = match read_samples(dir) {
        Ok(x) => x,
        Err(e) => {
            rep.problems.push(e.to_string());
            return Ok(rep);
        }
    };
    let nfunc: u64 = samples.iter().map(|s| u64::from(s.functions_indexed)).sum();
    rep.counts.samples = samples.len() as u64;
    rep.counts.functions = nfunc;
    let fp = dir.join("functions.bin");
    let flen = fs::metadata(&fp).map(|m| m.len()).unwrap_or(0);
    let mut functions_ok = true;
    if flen < nfunc * REC as u64 {
        functions_ok = false;
        rep.problems.push(format!(
            "{}: {flen} bytes but samples.jsonl commits {nfunc} functions",
            fp.display()
        ));
    } else if nfunc > 0 {
        let f = File::open(&fp)?;
        // SAFETY: read-only map of the committed prefix; the writer only appends.
        let m = unsafe { Mmap::map(&f)? };
        let mut expect = Vec::with_capacity(nfunc as usize);
        for (i, s) in samples.iter().enumerate() {
            expect.extend(std::iter::repeat_n(
                i as SampleId,
                s.functions_indexed as usize,
            ));
        }
        for (i, &want) in expect.iter().enumerate() {
            let got = u32::from_le_bytes(m[i * REC..i * REC + 4].try_into().expect("4 bytes"));
            if got != want {
                functions_ok = false;
                rep.problems.push(format!(
                    "{}: record {i} belongs to sample {got}, samples.jsonl says {want}",
                    fp.display()
                ));
                break;
            }
        }
        if functions_ok {
            use sha2::Digest;
            let mut at = 0usize;
            for (i, s) in samples.iter().enumerate() {
                let n = s.functions_indexed as usize * REC;
                if let Some(want) = &s.records_sha256 {
                    if &hex(&sha2::Sha256::digest(&m[at..at + n])) != want {
                        functions_ok = false;
                        rep.problems.push(format!(
                            "{}: the function records of sample {i} ({}) do not match their checksum",
                            fp.display(),
                            s.name.as_deref().unwrap_or(&s.sha256)
                        ));
                    }
                }
                at += n;
            }
        }
    }
    let pp = dir.join("postings.bin");
    let mut n_post = 0u64;
    match map_postings(&pp) {
        Ok((Some(m), n)) => {
            n_post = n as u64;
            for i in 0..n {
                if i > 0 && key_at(&m, i - 1) > key_at(&m, i) {
                    rep.problems
                        .push(format!("{}: keys out of order at {i}", pp.display()));
                    break;
                }
                if u64::from(id_at(&m, n, i)) >= nfunc {
                    rep.problems.push(format!(
                        "{}: posting {i} names function {} of {nfunc}",
                        pp.display(),
                        id_at(&m, n, i)
                    ));
                    break;
                }
            }
        }
        Ok((None, _)) => {}
        Err(e) => rep.problems.push(e.to_string()),
    }
    let (_, log_len, _) = read_log(&dir.join("postings.log"), nfunc)?;
    rep.counts.postings = n_post + log_len;
    let mp = dir.join(MANIFEST);
    if mp.exists() {
        rep.checksummed = true;
        match serde_json::from_slice::<Manifest>(&fs::read(&mp)?) {
            Err(e) => rep
                .problems
                .push(format!("{}: unreadable ({e})", mp.display())),
            Ok(man) => {
                let sp = dir.join("samples.jsonl");
                if man.samples_bytes > samples_bytes || man.samples > samples.len() as u64 {
                    rep.problems.push(format!(
                        "{}: shorter than the manifest records ({} samples)",
                        sp.display(),
                        man.samples
                    ));
                } else if man.samples_bytes > 0
                    && sha256_of(&sp, man.samples_bytes)? != man.samples_sha256
                {
                    rep.problems
                        .push(format!("{}: checksum mismatch", sp.display()));
                }
                rep.unchecksummed_samples = (samples.len() as u64).saturating_sub(man.samples);
                if functions_ok && man.functions <= nfunc {
                    if sha256_of(&fp, man.functions * REC as u64)? != man.functions_sha256 {
                        rep.problems
                            .push(format!("{}: checksum mismatch", fp.display()));
                    }
                } else if functions_ok {
                    rep.problems.push(format!(
                        "{}: fewer functions than the manifest records ({})",
                        fp.display(),
                        man.functions
                    ));
                }
                if pp.exists() {
                    let len = fs::metadata(&pp)?.len();
                    if sha256_of(&pp, len)? != man.postings_sha256 {
                        rep.problems
                            .push(format!("{}: checksum mismatch", pp.display()));
                    }
                }
            }
        }
    }
    drop(clock);
    Ok(rep)
}

/// Rebuilds the postings of a store from the signatures stored with its samples
/// (`functions.bin`): a new sorted `postings.bin`, an empty log and a new manifest. Takes the
/// writer lock. Fails, naming the file, when the sample list or the function records
/// themselves are damaged (those samples must then be added again).
pub fn rebuild(dir: impl AsRef<Path>, on_wait: impl FnOnce()) -> Result<StoreCounts, CodeError> {
    let dir = dir.as_ref();
    let wlock = writer_lock(dir, on_wait)?;
    let (samples, _) = read_samples(dir)?;
    let nfunc: u64 = samples.iter().map(|s| u64::from(s.functions_indexed)).sum();
    let fp = dir.join("functions.bin");
    let mut all: Vec<(u64, FunctionId)> = Vec::new();
    if nfunc > 0 {
        let f = File::open(&fp)?;
        if f.metadata()?.len() < nfunc * REC as u64 {
            return Err(CodeError::Store(format!(
                "{}: shorter than samples.jsonl commits ({nfunc} functions); re-add the samples into a new index",
                fp.display()
            )));
        }
        // SAFETY: we hold the writer lock; nobody else writes the file.
        let m = unsafe { Mmap::map(&f)? };
        let mut id = 0usize;
        for (si, s) in samples.iter().enumerate() {
            // Postings computed from damaged signatures would be wrong, and the new manifest
            // would cover the damaged bytes: refuse, as `verify` names it.
            if let Some(want) = &s.records_sha256 {
                use sha2::Digest;
                let (a, b) = (id * REC, (id + s.functions_indexed as usize) * REC);
                if &hex(&sha2::Sha256::digest(&m[a..b])) != want {
                    return Err(CodeError::Store(format!(
                        "{}: the function records of sample {si} ({}) do not match their checksum; restore a backup or re-add the samples into a new index",
                        fp.display(),
                        s.name.as_deref().unwrap_or(&s.sha256)
                    )));
                }
            }
            for _ in 0..s.functions_indexed {
                let r = decode_function(&m[id * REC..(id + 1) * REC]);
                if r.sample as usize != si {
                    return Err(CodeError::Store(format!(
                        "{}: record {id} belongs to sample {}, samples.jsonl says {si}; re-add the samples into a new index",
                        fp.display(),
                        r.sample
                    )));
                }
                all.extend(
                    crate::index::band_keys(&r.signature.minhash)
                        .into_iter()
                        .map(|k| (k, id as FunctionId)),
                );
                id += 1;
            }
        }
    }
    all.sort_unstable();
    let tmp = dir.join("postings.bin.tmp");
    write_postings(&tmp, &all)?;
    let clock = lock_file(dir, COMMIT_LOCK, true)?.expect("created");
    flock::exclusive(&clock)?;
    fs::rename(&tmp, dir.join("postings.bin"))?;
    OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(dir.join("postings.log"))?;
    drop(clock);
    drop(wlock);
    // Reopen as the writer to truncate any uncommitted tail and write the manifest.
    let st = DiskStore::open(dir)?;
    st.write_manifest()?;
    st.counts()
}

fn write_postings(path: &Path, all: &[(u64, FunctionId)]) -> Result<(), CodeError> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    w.write_all(POST_MAGIC)?;
    w.write_all(&(all.len() as u64).to_le_bytes())?;
    for (k, _) in all {
        w.write_all(&k.to_le_bytes())?;
    }
    for (_, i) in all {
        w.write_all(&i.to_le_bytes())?;
    }
    w.flush()?;
    w.get_ref().sync_all()?;
    Ok(())
}

/// Bulk loader for a new [`DiskStore`]: streams function records to disk, sorts all postings
/// once and writes the memory-mapped postings file directly (no append log). Use it for large
/// initial loads; use [`DiskStore`] with [`crate::CodeIndex`] for incremental adds.
#[derive(Debug)]
pub struct DiskStoreBuilder {
    dir: PathBuf,
    fwriter: BufWriter<File>,
    postings: Vec<(u64, FunctionId)>,
    samples: Vec<SampleRecord>,
    shas: FastMap<String, SampleId>,
    functions: u64,
    writer_lock: File,
}

impl DiskStoreBuilder {
    /// Starts a store in `dir`, which must not hold a store already.
    pub fn create(dir: impl AsRef<Path>) -> Result<Self, CodeError> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(&dir)?;
        let writer_lock = writer_lock(&dir, || {})?;
        if dir.join("samples.jsonl").exists() || dir.join("functions.bin").exists() {
            return Err(CodeError::Store(format!(
                "{}: a store exists already",
                dir.display()
            )));
        }
        let f = File::create(dir.join("functions.bin"))?;
        Ok(Self {
            dir,
            fwriter: BufWriter::with_capacity(1 << 20, f),
            postings: Vec::new(),
            samples: Vec::new(),
            shas: FastMap::default(),
            functions: 0,
            writer_lock,
        })
    }

    /// Adds one sample with its functions; a SHA-256 seen before is skipped (idempotent).
    pub fn add_sample(
        &mut self,
        mut sample: SampleRecord,
        functions: &[FunctionInsert],
    ) -> Result<SampleId, CodeError> {
        if let Some(&id) = self.shas.get(&sample.sha256) {
            return Ok(id);
        }
        let id = self.samples.len() as SampleId;
        let mut buf = Vec::with_capacity(functions.len() * REC);
        for f in functions {
            let fid = FunctionId::try_from(self.functions)
                .map_err(|_| CodeError::Store("too many functions".into()))?;
            encode_function(id, &f.signature, &mut buf);
            self.postings.extend(f.band_keys.iter().map(|&k| (k, fid)));
            self.functions += 1;
        }
        self.fwriter.write_all(&buf)?;
        sample.functions_indexed = functions.len() as u32;
        {
            use sha2::Digest;
            sample.records_sha256 = Some(hex(&sha2::Sha256::digest(&buf)));
        }
        self.shas.insert(sample.sha256.clone(), id);
        self.samples.push(sample);
        Ok(id)
    }

    /// Sorts and writes the postings, commits the samples and opens the store.
    pub fn finish(mut self) -> Result<DiskStore, CodeError> {
        self.fwriter.flush()?;
        self.fwriter.get_ref().sync_data()?;
        self.postings.sort_unstable();
        {
            let mut w =
                BufWriter::with_capacity(1 << 20, File::create(self.dir.join("postings.bin"))?);
            w.write_all(POST_MAGIC)?;
            w.write_all(&(self.postings.len() as u64).to_le_bytes())?;
            for (k, _) in &self.postings {
                w.write_all(&k.to_le_bytes())?;
            }
            for (_, i) in &self.postings {
                w.write_all(&i.to_le_bytes())?;
            }
            w.flush()?;
            w.get_ref().sync_all()?;
        }
        self.postings = Vec::new();
        let mut text = String::new();
        for s in &self.samples {
            text.push_str(&serde_json::to_string(s).map_err(|e| CodeError::Store(e.to_string()))?);
            text.push('\n');
        }
        let mut w = File::create(self.dir.join("samples.jsonl"))?;
        w.write_all(text.as_bytes())?;
        w.sync_all()?;
        drop(self.writer_lock);
        let st = DiskStore::open(&self.dir)?;
        st.write_manifest()?;
        Ok(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(keys: &[u64]) -> Vec<u8> {
        let mut m = vec![0u8; 16];
        for k in keys {
            m.extend_from_slice(&k.to_le_bytes());
        }
        m
    }

    #[test]
    fn lower_bound_agrees_with_partition_point() {
        // Uniform hashes (the normal case) and a skewed column (interpolation's worst case).
        let mut uniform: Vec<u64> = (0..5000u64).map(|i| crate::hash::mix64(i / 3)).collect();
        uniform.sort_unstable();
        let mut skewed: Vec<u64> = (0..5000u64)
            .map(|i| if i < 4990 { i } else { u64::MAX - 5000 + i })
            .collect();
        skewed.sort_unstable();
        for keys in [uniform, skewed] {
            let m = column(&keys);
            let probes = keys
                .iter()
                .copied()
                .chain([0, 1, u64::MAX, 12345, keys[17] + 1]);
            for k in probes {
                assert_eq!(
                    lower_bound(&m, keys.len(), k),
                    keys.partition_point(|&x| x < k),
                    "key {k}"
                );
            }
        }
    }
}
