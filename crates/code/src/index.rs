//! The code-reuse index: LSH banding over MinHash signatures, IDF-weighted sample and family
//! scoring.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::extract::{extract, sketch_jaccard, Arch, ExtractConfig, Format, LimitHit};
use crate::hash::{fold, mix64, FastMap, FastSet};
use crate::signature::{sign_function, FunctionSignature, SignatureConfig, MINHASH_K};
use crate::store::{
    CodeIndexStore, FunctionId, FunctionInsert, SampleId, SampleRecord, StoreCounts,
};
use crate::CodeError;

/// LSH bands per signature.
pub const BANDS: usize = 16;
/// MinHash rows per band (`BANDS * ROWS == MINHASH_K`).
pub const ROWS: usize = MINHASH_K / BANDS;

/// The band keys of a MinHash sketch.
pub fn band_keys(minhash: &[u16]) -> Vec<u64> {
    (0..BANDS)
        .map(|b| {
            let mut h = fold(0xba4d, b as u64);
            for &v in minhash.iter().skip(b * ROWS).take(ROWS) {
                h = fold(h, u64::from(v));
            }
            mix64(h)
        })
        .collect()
}

/// A file turned into function signatures, ready to add or query.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedSample {
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// Container format.
    pub format: Format,
    /// Instruction set.
    pub arch: Arch,
    /// Functions recovered.
    pub functions_total: u32,
    /// Signatures of functions large enough to sign.
    pub functions: Vec<FunctionSignature>,
    /// Extraction flagged packed/encrypted code.
    pub packed: bool,
    /// Extraction limits hit.
    pub limits_hit: Vec<LimitHit>,
    /// Import set (see [`crate::extract::import_key`]).
    #[serde(default)]
    pub imports: Vec<u64>,
    /// Why the import set may be incomplete (see [`crate::Extraction::import_warnings`]);
    /// callers show these as warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// String sketch (see [`crate::extract::string_sketch`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strings: Vec<u64>,
    /// Export-name set (see [`crate::Extraction::exports`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<u64>,
}

/// One sample's set among the per-sample sets (imports, strings, exports); empty for a
/// sample the index holds none for.
fn nth_set(sets: &[Vec<u64>], s: SampleId) -> &[u64] {
    sets.get(s as usize).map(Vec::as_slice).unwrap_or(&[])
}

/// Jaccard similarity of two sorted, deduplicated sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Extracts and signs a file.
pub fn sign_bytes(
    data: &[u8],
    ecfg: &ExtractConfig,
    scfg: &SignatureConfig,
) -> Result<SignedSample, CodeError> {
    let ex = extract(data, ecfg)?;
    let functions = ex
        .functions
        .iter()
        .filter_map(|f| sign_function(f, scfg))
        .collect();
    Ok(SignedSample {
        sha256: sha256_hex(data),
        format: ex.format,
        arch: ex.arch,
        functions_total: ex.functions.len() as u32,
        functions,
        packed: ex.packed,
        limits_hit: ex.limits_hit,
        imports: ex.imports,
        warnings: ex.import_warnings,
        strings: ex.strings,
        exports: ex.exports,
    })
}

/// Labels for a sample being added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleMeta {
    /// Family name.
    pub family: String,
    /// Actor name.
    pub actor: Option<String>,
    /// Display name (usually the file name).
    pub name: Option<String>,
}

/// What [`CodeIndex::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddOutcome {
    /// Newly indexed with this many functions.
    Added {
        /// Sample id.
        sample: SampleId,
        /// Functions indexed.
        functions: u32,
    },
    /// Already present (same SHA-256): nothing changed.
    AlreadyIndexed {
        /// Sample id.
        sample: SampleId,
    },
}

/// Query parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueryOptions {
    /// Minimum estimated Jaccard similarity for a function pair to count.
    pub min_similarity: f32,
    /// Postings read per band key; a longer list marks the function as ubiquitous.
    pub max_postings: usize,
    /// Candidates verified per query function (those sharing most bands first).
    pub max_candidates: usize,
    /// Function pairs reported per family.
    pub top_pairs: usize,
    /// Samples never reported (e.g. the query's own variant in an evaluation). They still count
    /// towards document frequencies, which are a property of the whole index.
    pub exclude_samples: Vec<SampleId>,
    /// Ignore the indexed sample with the query's own SHA-256 entirely (benchmarks and
    /// leave-one-out evaluations). Off in the product: an identical file is the strongest
    /// code evidence there is and is reported first, marked `identical`.
    #[serde(default)]
    pub exclude_self: bool,
    /// Families reported.
    pub max_families: usize,
    /// A matched function counts for a family with its IDF weight times
    /// `(1 / families holding it)^family_exponent` (families among the samples that may be
    /// reported): code shared by unrelated families (runtimes, statically linked libraries,
    /// code generators) is not evidence of authorship, and a family with many samples does not
    /// take the credit for such code from the others that hold it too.
    pub family_exponent: f32,
    /// Each function's weight is also multiplied by `(instructions / 10)^size_exponent`
    /// (0 = off): longer functions are more specific evidence.
    pub size_exponent: f32,
    /// Samples are ranked by `coverage + import_weight × import-set Jaccard` (0 = code
    /// only). Import sets separate versions of one project that share little code (a
    /// compiler change) and samples built from generated code shared across projects; the
    /// coverage alone still decides what counts as code-reuse evidence.
    pub import_weight: f32,
    /// Samples sharing no code are reported on imports alone when their import-set
    /// Jaccard reaches this (and `import_weight > 0`).
    pub min_import_similarity: f32,
    /// Samples found by code or imports are ranked with `string_weight × the estimated
    /// Jaccard of their string sets` added (0 = off): names, messages and paths outlive
    /// recompilation, so they separate a project's modules from other projects' modules
    /// built with the same toolchain, whose code and imports look alike. Strings never find
    /// a sample on their own, and never count as code-reuse evidence (coverage).
    #[serde(default = "default_string_weight")]
    pub string_weight: f32,
    /// Samples found by code or imports are ranked with `export_weight × the Jaccard of their
    /// export-name sets` added (0 = off): the names a module exports are its interface (a
    /// Python extension's `PyInit_<module>`, a library's API), which outlives a rewrite in
    /// another language or a new compiler, while code, imports and strings follow the
    /// toolchain. Exports never find a sample on their own and never count as code-reuse
    /// evidence (coverage).
    #[serde(default = "default_export_weight")]
    pub export_weight: f32,
}

fn default_string_weight() -> f32 {
    QueryOptions::default().string_weight
}

fn default_export_weight() -> f32 {
    QueryOptions::default().export_weight
}

impl Default for QueryOptions {
    fn default() -> Self {
        Self {
            min_similarity: 0.5,
            max_postings: 128,
            max_candidates: 64,
            top_pairs: 10,
            exclude_samples: Vec::new(),
            exclude_self: false,
            max_families: 20,
            family_exponent: 3.0,
            size_exponent: 0.5,
            import_weight: 1.0,
            min_import_similarity: 0.3,
            string_weight: 2.0,
            export_weight: 2.0,
        }
    }
}

/// One matched function pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionPair {
    /// Function address in the query.
    pub query_address: u64,
    /// Matched sample (hex SHA-256).
    pub sample_sha256: String,
    /// Function address in the matched sample.
    pub address: u64,
    /// Estimated similarity (1.0 for identical feature sets).
    pub similarity: f32,
    /// The position-independent exact hashes are equal.
    pub exact: bool,
    /// Instructions in the query function.
    pub instructions: u32,
    /// Indexed samples containing a similar function (document frequency).
    pub df_samples: u32,
    /// Families among those samples.
    pub df_families: u32,
    /// IDF weight given to this function.
    pub weight: f32,
}

/// One sample sharing code with the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleMatch {
    /// Sample id.
    pub sample: SampleId,
    /// SHA-256.
    pub sha256: String,
    /// Display name.
    pub name: Option<String>,
    /// Query functions with a similar function in this sample.
    pub shared_functions: u32,
    /// Functions indexed for this sample.
    pub sample_functions: u32,
    /// Sum over shared functions of IDF weight times similarity.
    pub score: f32,
    /// `score` divided by the query's total IDF weight: the weighted share of the query's code
    /// found in this sample (0..1).
    pub coverage: f32,
    /// Jaccard similarity of the query's and the sample's import sets (0..1).
    #[serde(default)]
    pub import_similarity: f32,
    /// Estimated Jaccard similarity of the query's and the sample's string sets (0..1).
    #[serde(default)]
    pub string_similarity: f32,
    /// Jaccard similarity of the query's and the sample's export-name sets (0..1).
    #[serde(default)]
    pub export_similarity: f32,
    /// The ranking key: `coverage + import_weight × import_similarity + string_weight ×
    /// string_similarity + export_weight × export_similarity`.
    #[serde(default)]
    pub rank_score: f32,
    /// The sample is the query file itself (same SHA-256): coverage 1, ranked first.
    #[serde(default)]
    pub identical: bool,
}

/// One family sharing code with the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyMatch {
    /// Family name.
    pub family: String,
    /// Actor names seen on the family's matched samples.
    pub actors: Vec<String>,
    /// Best sample score in the family.
    pub score: f32,
    /// Best sample coverage in the family.
    pub coverage: f32,
    /// Best sample import-set similarity in the family.
    #[serde(default)]
    pub import_similarity: f32,
    /// Best sample string-set similarity in the family.
    #[serde(default)]
    pub string_similarity: f32,
    /// Best sample export-name-set similarity in the family.
    #[serde(default)]
    pub export_similarity: f32,
    /// Best sample ranking key in the family (families are ordered by it).
    #[serde(default)]
    pub rank_score: f32,
    /// Distinct query functions matched anywhere in the family.
    pub shared_functions: u32,
    /// A sample of the family is the query file itself (same SHA-256).
    #[serde(default)]
    pub identical: bool,
    /// Matched samples, best first.
    pub samples: Vec<SampleMatch>,
    /// Strongest function pairs (by weight × similarity), best first.
    pub top_pairs: Vec<FunctionPair>,
}

/// Summary of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexStats {
    /// Store counts.
    pub counts: StoreCounts,
    /// Samples per family.
    pub families: BTreeMap<String, u32>,
}

/// Function-level similarity index over a [`CodeIndexStore`].
pub struct CodeIndex<S: CodeIndexStore> {
    store: S,
    /// Extraction limits used by [`CodeIndex::add_bytes`] and [`CodeIndex::similar_bytes`].
    pub extract_config: ExtractConfig,
    /// Signature parameters (must stay fixed for the life of an index).
    pub signature_config: SignatureConfig,
    sample_family: Vec<u32>,
    sample_imports: Vec<Vec<u64>>,
    sample_strings: Vec<Vec<u64>>,
    sample_exports: Vec<Vec<u64>>,
    family_names: Vec<String>,
    family_ids: FastMap<String, u32>,
}

impl<S: CodeIndexStore> CodeIndex<S> {
    /// Wraps a store (loading its sample labels).
    pub fn new(store: S) -> Result<Self, CodeError> {
        let mut idx = Self {
            store,
            extract_config: ExtractConfig::default(),
            signature_config: SignatureConfig::default(),
            sample_family: Vec::new(),
            sample_imports: Vec::new(),
            sample_strings: Vec::new(),
            sample_exports: Vec::new(),
            family_names: Vec::new(),
            family_ids: FastMap::default(),
        };
        idx.catch_up()?;
        Ok(idx)
    }

    /// Loads the labels of samples the store holds beyond those known here: all of them when
    /// the index is opened, then those other writers committed to a shared store (ids are dense
    /// and assigned in commit order, so they are the ids up to the store's count).
    fn catch_up(&mut self) -> Result<(), CodeError> {
        let n = self.store.counts()?.samples;
        for i in self.sample_family.len() as u64..n {
            let s = self.store.sample(i as SampleId)?;
            let f = self.family_id(&s.family);
            self.sample_family.push(f);
            self.sample_imports.push(s.imports);
            self.sample_strings.push(s.strings);
            self.sample_exports.push(s.exports);
        }
        Ok(())
    }

    fn strings_of(&self, s: SampleId) -> &[u64] {
        nth_set(&self.sample_strings, s)
    }

    fn exports_of(&self, s: SampleId) -> &[u64] {
        nth_set(&self.sample_exports, s)
    }

    fn imports_of(&self, s: SampleId) -> &[u64] {
        nth_set(&self.sample_imports, s)
    }

    fn family_id(&mut self, name: &str) -> u32 {
        if let Some(&f) = self.family_ids.get(name) {
            return f;
        }
        let f = self.family_names.len() as u32;
        self.family_names.push(name.to_string());
        self.family_ids.insert(name.to_string(), f);
        f
    }

    /// The underlying store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The underlying store, mutably (e.g. to compact a [`crate::DiskStore`]).
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Extracts and signs a file with this index's configuration, without adding it. Callers
    /// that show [`SignedSample::warnings`] (damaged import tables) use this, then
    /// [`CodeIndex::add_signed`] or [`CodeIndex::similar`].
    pub fn sign(&self, data: &[u8]) -> Result<SignedSample, CodeError> {
        sign_bytes(data, &self.extract_config, &self.signature_config)
    }

    /// Extracts, signs and adds a file. Idempotent: a file already indexed (same SHA-256) is
    /// left as it is.
    pub fn add_bytes(&mut self, data: &[u8], meta: &SampleMeta) -> Result<AddOutcome, CodeError> {
        let sha = sha256_hex(data);
        if let Some(id) = self.store.find_sample(&sha)? {
            return Ok(AddOutcome::AlreadyIndexed { sample: id });
        }
        let signed = sign_bytes(data, &self.extract_config, &self.signature_config)?;
        self.add_signed(&signed, meta)
    }

    /// Adds an already signed sample (lets callers extract in parallel). Idempotent.
    pub fn add_signed(
        &mut self,
        s: &SignedSample,
        meta: &SampleMeta,
    ) -> Result<AddOutcome, CodeError> {
        if let Some(id) = self.store.find_sample(&s.sha256)? {
            return Ok(AddOutcome::AlreadyIndexed { sample: id });
        }
        // Identical functions inside one sample are posted once.
        let mut seen = FastSet::default();
        let batch: Vec<FunctionInsert> = s
            .functions
            .iter()
            .filter(|f| seen.insert(f.exact))
            .map(|f| FunctionInsert {
                band_keys: band_keys(&f.minhash),
                signature: f.clone(),
            })
            .collect();
        let (id, new) = self.store.put_sample_if_new(SampleRecord {
            sha256: s.sha256.clone(),
            family: meta.family.clone(),
            actor: meta.actor.clone(),
            name: meta.name.clone(),
            format: s.format,
            arch: s.arch,
            functions_total: s.functions_total,
            functions_indexed: batch.len() as u32,
            packed: s.packed,
            imports: s.imports.clone(),
            strings: s.strings.clone(),
            exports: s.exports.clone(),
            records_sha256: None,
        })?;
        // Samples other writers committed meanwhile (a shared store), and this one.
        self.catch_up()?;
        if !new {
            // Another writer added the same file since `find_sample`.
            return Ok(AddOutcome::AlreadyIndexed { sample: id });
        }
        for chunk in batch.chunks(4096) {
            self.store.put_functions(id, chunk)?;
        }
        Ok(AddOutcome::Added {
            sample: id,
            functions: batch.len() as u32,
        })
    }

    /// Adds a batch of signed samples and flushes once.
    pub fn add_batch(
        &mut self,
        items: &[(SignedSample, SampleMeta)],
    ) -> Result<Vec<AddOutcome>, CodeError> {
        let out = items
            .iter()
            .map(|(s, m)| self.add_signed(s, m))
            .collect::<Result<Vec<_>, _>>()?;
        self.store.flush()?;
        Ok(out)
    }

    /// Makes added samples durable.
    pub fn flush(&mut self) -> Result<(), CodeError> {
        self.store.flush()
    }

    /// Counts and samples per family.
    pub fn stats(&self) -> Result<IndexStats, CodeError> {
        let mut families = BTreeMap::new();
        for &f in &self.sample_family {
            *families
                .entry(self.family_names[f as usize].clone())
                .or_insert(0) += 1;
        }
        Ok(IndexStats {
            counts: self.store.counts()?,
            families,
        })
    }

    /// Extracts and signs `data`, then runs [`CodeIndex::similar`].
    pub fn similar_bytes(
        &self,
        data: &[u8],
        opts: &QueryOptions,
    ) -> Result<Vec<FamilyMatch>, CodeError> {
        let s = sign_bytes(data, &self.extract_config, &self.signature_config)?;
        self.similar(&s, opts)
    }

    /// Families and samples sharing code with `query`, best family first. An indexed sample with
    /// the query's own SHA-256 is reported first as identical, unless `opts.exclude_self`.
    pub fn similar(
        &self,
        query: &SignedSample,
        opts: &QueryOptions,
    ) -> Result<Vec<FamilyMatch>, CodeError> {
        let sm = self.match_samples(query, opts)?;
        self.group_families(sm, opts)
    }

    /// Per-sample matches with their function pairs (the building block of [`CodeIndex::similar`]).
    pub fn match_samples(
        &self,
        query: &SignedSample,
        opts: &QueryOptions,
    ) -> Result<Vec<(SampleMatch, Vec<FunctionPair>)>, CodeError> {
        let n_samples = self.sample_family.len().max(1) as f32;
        // Excluded samples still count towards document frequency (they are part of the corpus);
        // they are only never reported. The query's own copy, if indexed, counts for nothing.
        let excluded: FastSet<SampleId> = opts.exclude_samples.iter().copied().collect();
        let own = self.store.find_sample(&query.sha256)?;
        let own_sample = if opts.exclude_self {
            own.unwrap_or(SampleId::MAX)
        } else {
            SampleId::MAX
        };
        let identical = own.filter(|s| !opts.exclude_self && !excluded.contains(s));
        // Deduplicate identical query functions.
        let mut seen = FastSet::default();
        let qf: Vec<&FunctionSignature> = query
            .functions
            .iter()
            .filter(|f| seen.insert(f.exact))
            .collect();
        let mut keys = Vec::with_capacity(qf.len() * BANDS);
        for f in &qf {
            keys.extend(band_keys(&f.minhash));
        }
        let postings = self.store.lookup_bands(&keys, opts.max_postings)?;
        // Candidates per query function.
        let mut per_q: Vec<(Vec<FunctionId>, usize)> = Vec::with_capacity(qf.len());
        let mut all_ids: Vec<FunctionId> = Vec::new();
        for qi in 0..qf.len() {
            let mut hits: FastMap<FunctionId, u32> = FastMap::default();
            let mut ubiquitous = 0usize;
            for bp in &postings[qi * BANDS..(qi + 1) * BANDS] {
                if bp.total > opts.max_postings {
                    ubiquitous = ubiquitous.max(bp.total);
                }
                for &id in &bp.functions {
                    *hits.entry(id).or_insert(0) += 1;
                }
            }
            let mut c: Vec<(u32, FunctionId)> = hits.into_iter().map(|(id, h)| (h, id)).collect();
            if c.len() > opts.max_candidates {
                c.sort_unstable_by(|a, b| b.cmp(a));
                c.truncate(opts.max_candidates);
            }
            let ids: Vec<FunctionId> = c.into_iter().map(|(_, id)| id).collect();
            all_ids.extend_from_slice(&ids);
            per_q.push((ids, ubiquitous));
        }
        all_ids.sort_unstable();
        all_ids.dedup();
        let recs = self.store.functions(&all_ids)?;
        let rec_of = |id: FunctionId| -> usize { all_ids.binary_search(&id).expect("fetched") };

        struct Acc {
            shared: u32,
            score: f32,
            pairs: Vec<FunctionPair>,
        }
        let mut acc: FastMap<SampleId, Acc> = FastMap::default();
        let mut total_weight = 0f32;
        let max_idf = (n_samples + 1.0).ln();
        for (qi, f) in qf.iter().enumerate() {
            let (ids, ubiquitous) = &per_q[qi];
            // Best match per sample.
            let mut best: FastMap<SampleId, (f32, usize)> = FastMap::default();
            for &id in ids {
                let r = &recs[rec_of(id)];
                if r.sample == own_sample {
                    continue;
                }
                let sim = if r.signature.exact == f.exact {
                    1.0
                } else {
                    f.similarity(&r.signature)
                };
                if sim < opts.min_similarity {
                    continue;
                }
                let e = best.entry(r.sample).or_insert((0.0, usize::MAX));
                if sim > e.0 {
                    *e = (sim, rec_of(id));
                }
            }
            // A band with more postings than were read: estimate the document frequency from
            // the longest such list (an upper bound, as band keys can collide).
            let df = (best.len() as u32).max(u32::try_from(*ubiquitous).unwrap_or(u32::MAX));
            // Families among the (non-excluded) matches.
            let families: FastSet<u32> = best
                .keys()
                .filter(|s| !excluded.contains(s))
                .map(|&s| self.sample_family[s as usize])
                .collect();
            let df_f = families.len().max(1) as u32;
            // IDF over samples: code present in many samples (runtimes, statically linked
            // libraries, generated code) says little.
            let size = if opts.size_exponent == 0.0 {
                1.0
            } else {
                (f.instructions as f32 / 10.0)
                    .max(1.0)
                    .powf(opts.size_exponent)
            };
            let idf = ((n_samples + 1.0) / (df as f32 + 1.0)).ln().max(0.0) * size;
            // In the query's total: the function's IDF, or the maximum when unmatched.
            total_weight += if df == 0 { max_idf * size } else { idf };
            if df == 0 {
                continue;
            }
            for (s, (sim, ri)) in best {
                if excluded.contains(&s) {
                    continue;
                }
                // Evidence for this sample's family: the IDF times (1 / the number of families
                // holding the function)^e, so code spread over unrelated families (a runtime, a
                // code generator's support code, a statically linked library) counts little for
                // any of them, however many samples one of them has.
                let share = 1.0 / df_f as f32;
                let w = idf * share.powf(opts.family_exponent);
                let r = &recs[ri];
                let a = acc.entry(s).or_insert(Acc {
                    shared: 0,
                    score: 0.0,
                    pairs: Vec::new(),
                });
                a.shared += 1;
                a.score += w * sim;
                // Keep only the strongest `top_pairs` pairs per sample.
                let k = opts.top_pairs.max(1);
                let strength = w * sim;
                if a.pairs.len() >= k {
                    let (mi, mv) = a
                        .pairs
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (i, p.weight * p.similarity))
                        .fold((0, f32::INFINITY), |m, x| if x.1 < m.1 { x } else { m });
                    if strength <= mv {
                        continue;
                    }
                    a.pairs.swap_remove(mi);
                }
                a.pairs.push(FunctionPair {
                    query_address: f.address,
                    sample_sha256: String::new(),
                    address: r.signature.address,
                    similarity: sim,
                    exact: r.signature.exact == f.exact,
                    instructions: f.instructions,
                    df_samples: df,
                    df_families: df_f,
                    weight: w,
                });
            }
        }
        let mut out = Vec::with_capacity(acc.len());
        for (s, mut a) in acc {
            let rec = self.store.sample(s)?;
            a.pairs.sort_by(|x, y| {
                (y.weight * y.similarity)
                    .partial_cmp(&(x.weight * x.similarity))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            a.pairs.truncate(opts.top_pairs.max(1));
            for p in &mut a.pairs {
                p.sample_sha256.clone_from(&rec.sha256);
            }
            out.push((
                SampleMatch {
                    sample: s,
                    sha256: rec.sha256,
                    name: rec.name,
                    shared_functions: a.shared,
                    sample_functions: rec.functions_indexed,
                    score: a.score,
                    coverage: if total_weight > 0.0 {
                        a.score / total_weight
                    } else {
                        0.0
                    },
                    import_similarity: 0.0,
                    string_similarity: 0.0,
                    export_similarity: 0.0,
                    rank_score: 0.0,
                    identical: false,
                },
                a.pairs,
            ));
        }
        if let Some(id) = identical {
            if !out.iter().any(|(m, _)| m.sample == id) {
                let rec = self.store.sample(id)?;
                out.push((
                    SampleMatch {
                        sample: id,
                        sha256: rec.sha256,
                        name: rec.name,
                        shared_functions: 0,
                        sample_functions: rec.functions_indexed,
                        score: 0.0,
                        coverage: 0.0,
                        import_similarity: 0.0,
                        string_similarity: 0.0,
                        export_similarity: 0.0,
                        rank_score: 0.0,
                        identical: false,
                    },
                    Vec::new(),
                ));
            }
            for (m, _) in &mut out {
                if m.sample == id {
                    m.identical = true;
                    m.coverage = 1.0;
                    m.score = m.score.max(total_weight);
                }
            }
        }
        if opts.import_weight > 0.0 && !query.imports.is_empty() {
            let mut seen: FastSet<SampleId> = FastSet::default();
            for (m, _) in &mut out {
                m.import_similarity = jaccard(&query.imports, self.imports_of(m.sample)) as f32;
                seen.insert(m.sample);
            }
            // Samples sharing no code but most of the query's imports.
            for s in 0..self.sample_family.len() as SampleId {
                if seen.contains(&s) || excluded.contains(&s) || s == own_sample {
                    continue;
                }
                let j = jaccard(&query.imports, self.imports_of(s)) as f32;
                if j >= opts.min_import_similarity && j > 0.0 {
                    let rec = self.store.sample(s)?;
                    out.push((
                        SampleMatch {
                            sample: s,
                            sha256: rec.sha256,
                            name: rec.name,
                            shared_functions: 0,
                            sample_functions: rec.functions_indexed,
                            score: 0.0,
                            coverage: 0.0,
                            import_similarity: j,
                            string_similarity: 0.0,
                            export_similarity: 0.0,
                            rank_score: 0.0,
                            identical: false,
                        },
                        Vec::new(),
                    ));
                }
            }
        }
        for (m, _) in &mut out {
            if m.identical {
                m.import_similarity = 1.0;
            }
            if opts.string_weight > 0.0 {
                m.string_similarity = if m.identical {
                    1.0
                } else {
                    sketch_jaccard(&query.strings, self.strings_of(m.sample)) as f32
                };
            }
            if opts.export_weight > 0.0 {
                m.export_similarity = if m.identical {
                    1.0
                } else {
                    jaccard(&query.exports, self.exports_of(m.sample)) as f32
                };
            }
            m.rank_score = m.coverage
                + opts.import_weight.max(0.0) * m.import_similarity
                + opts.string_weight.max(0.0) * m.string_similarity
                + opts.export_weight.max(0.0) * m.export_similarity;
        }
        out.sort_by(|a, b| {
            b.0.identical.cmp(&a.0.identical).then(
                b.0.rank_score
                    .partial_cmp(&a.0.rank_score)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(
                        b.0.score
                            .partial_cmp(&a.0.score)
                            .unwrap_or(std::cmp::Ordering::Equal),
                    )
                    .then(a.0.sample.cmp(&b.0.sample)),
            )
        });
        Ok(out)
    }

    fn group_families(
        &self,
        sm: Vec<(SampleMatch, Vec<FunctionPair>)>,
        opts: &QueryOptions,
    ) -> Result<Vec<FamilyMatch>, CodeError> {
        let mut fams: BTreeMap<u32, FamilyMatch> = BTreeMap::new();
        let mut fam_q: FastMap<u32, FastSet<u64>> = FastMap::default();
        for (m, pairs) in sm {
            let f = self.sample_family[m.sample as usize];
            let rec = self.store.sample(m.sample)?;
            let e = fams.entry(f).or_insert_with(|| FamilyMatch {
                family: self.family_names[f as usize].clone(),
                actors: Vec::new(),
                score: 0.0,
                coverage: 0.0,
                import_similarity: 0.0,
                string_similarity: 0.0,
                export_similarity: 0.0,
                rank_score: 0.0,
                shared_functions: 0,
                identical: false,
                samples: Vec::new(),
                top_pairs: Vec::new(),
            });
            e.identical |= m.identical;
            if let Some(a) = rec.actor {
                if !e.actors.contains(&a) {
                    e.actors.push(a);
                }
            }
            e.score = e.score.max(m.score);
            e.coverage = e.coverage.max(m.coverage);
            e.import_similarity = e.import_similarity.max(m.import_similarity);
            e.string_similarity = e.string_similarity.max(m.string_similarity);
            e.export_similarity = e.export_similarity.max(m.export_similarity);
            e.rank_score = e.rank_score.max(m.rank_score);
            let qs = fam_q.entry(f).or_default();
            for p in &pairs {
                qs.insert(p.query_address);
            }
            e.top_pairs.extend(pairs);
            e.samples.push(m);
        }
        let mut out: Vec<FamilyMatch> = fams
            .into_iter()
            .map(|(f, mut m)| {
                m.shared_functions = fam_q.get(&f).map_or(0, |s| s.len() as u32);
                m.top_pairs.sort_by(|x, y| {
                    (y.weight * y.similarity)
                        .partial_cmp(&(x.weight * x.similarity))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                let mut seen = FastSet::default();
                m.top_pairs.retain(|p| seen.insert(p.query_address));
                m.top_pairs.truncate(opts.top_pairs);
                m
            })
            .collect();
        out.sort_by(|a, b| {
            b.identical.cmp(&a.identical).then(
                b.rank_score
                    .partial_cmp(&a.rank_score)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(
                        b.score
                            .partial_cmp(&a.score)
                            .unwrap_or(std::cmp::Ordering::Equal),
                    ),
            )
        });
        out.truncate(opts.max_families);
        Ok(out)
    }
}
