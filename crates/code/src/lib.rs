//! # ascribe-code: function-level code reuse
//!
//! Finds code shared between executables, as evidence for attributing an intrusion sample to a
//! family (and actor) already seen.
//!
//! 1. [`extract()`] recovers functions from x86/x64 PE and ELF files (recursive descent from the
//!    entry point, exports, symbols, the x64 exception directory and call targets, then prologue
//!    scanning of unreached code), with basic blocks and a CFG per function, under hard budgets.
//! 2. [`sign_function`] gives each function a position-independent exact hash and a 64-value
//!    MinHash over normalised instruction n-grams and CFG statistics.
//! 3. [`CodeIndex`] posts MinHash bands (16 bands of 4 rows) in a [`CodeIndexStore`]
//!    ([`MemoryStore`] or the memory-mapped [`DiskStore`]), and answers
//!    [`CodeIndex::similar`] with families and samples sharing code, weighting each shared
//!    function by its inverse document frequency in the index, times the matched family's share
//!    of the samples holding it (cubed), times a mild size factor, so that runtime, library and
//!    generated code shared by many samples and families counts for little.
//!
//! Measured results (corpus of 1,350 real PE files, SMDA + MCRIT, TLSH, ssdeep and import
//! baselines, latency up to 10 M functions) are in `BENCHMARKS.md (section "Code reuse")`.
//!
//! ```no_run
//! use ascribe_code::{CodeIndex, DiskStore, QueryOptions, SampleMeta};
//! let mut index = CodeIndex::new(DiskStore::open("code-index")?)?;
//! let bytes = std::fs::read("known.dll")?;
//! index.add_bytes(&bytes, &SampleMeta { family: "fam".into(), actor: None, name: Some("known.dll".into()) })?;
//! index.flush()?;
//! for fam in index.similar_bytes(&std::fs::read("unknown.exe")?, &QueryOptions::default())? {
//!     println!("{} score {:.1} shared {}", fam.family, fam.score, fam.shared_functions);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod conformance;
mod copy;
mod extract;
mod hash;
mod index;
mod signature;
mod store;

pub use copy::{copy_index, digest, digest_where, CopySummary, IndexDigest};
pub use extract::{
    entropy, export_key, export_set, extract, import_key, import_set, is_generic_export,
    sketch_jaccard, string_sketch, string_sketch_without, Arch, BasicBlock, ExtractConfig,
    Extraction, Format, Function, FunctionSource, LimitHit, SectionReport, STRING_SKETCH,
};
pub use index::{
    band_keys, jaccard, sha256_hex, sign_bytes, AddOutcome, CodeIndex, FamilyMatch, FunctionPair,
    IndexStats, QueryOptions, SampleMatch, SampleMeta, SignedSample, BANDS, ROWS,
};
pub use signature::{
    minhash_similarity, sign_all, sign_function, FunctionSignature, SignatureConfig, MINHASH_K,
};
pub use store::{
    encode_function_record, rebuild, verify, BandPostings, CodeIndexStore, DiskStore,
    DiskStoreBuilder, FunctionId, FunctionInsert, FunctionRecord, Manifest, MemoryStore, SampleId,
    SampleRecord, StoreCounts, VerifyReport, FUNCTION_RECORD_BYTES,
};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// The file could not be parsed as an executable.
    #[error("cannot parse executable: {0}")]
    Parse(String),
    /// Parsed, but not a format or architecture handled here.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// I/O error.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The store is inconsistent or refused an operation.
    #[error("store: {0}")]
    Store(String),
}
