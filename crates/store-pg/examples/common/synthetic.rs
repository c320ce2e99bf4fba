//! The corpus and the synthetic code index of the scale benchmarks (`pg-scale`, `shard-code-scale`): copies
//! of the real corpus's signed functions, each copy's MinHash values re-hashed so it is a new,
//! non-matching family with the corpus's similarity structure. Included by both with
//! `#[path]`, so the single-database and sharded figures grow the same index.

use ascribe_code::{
    band_keys, sign_bytes, Arch, DiskStoreBuilder, Format, FunctionInsert, SampleMeta,
    SampleRecord, SignedSample,
};

/// The synthetic samples, in order: copy c of each corpus sample.
pub struct Synthetic<'a> {
    real: &'a [(u32, ascribe_code::FunctionSignature)],
    at: usize,
    copy: u64,
}

impl<'a> Synthetic<'a> {
    pub fn new(real: &'a [(u32, ascribe_code::FunctionSignature)]) -> Self {
        Synthetic {
            real,
            at: 0,
            copy: 0,
        }
    }

    /// The next sample, cut to at most `room` functions.
    pub fn sample(&mut self, room: usize) -> (SignedSample, SampleMeta) {
        if self.at >= self.real.len() {
            self.at = 0;
            self.copy += 1;
        }
        let s = self.real[self.at].0;
        let mut fs = Vec::new();
        // identical functions in a sample are indexed once (as `add_signed` does)
        let mut seen = std::collections::HashSet::new();
        while self.at < self.real.len() && self.real[self.at].0 == s && fs.len() < room {
            let mut f = self.real[self.at].1.clone();
            let copy = self.copy;
            if copy > 0 {
                for v in &mut f.minhash {
                    *v = (u64::from(*v).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                        ^ copy.wrapping_mul(0xff51_afd7_ed55_8ccd))
                    .rotate_left(29) as u16;
                }
                f.exact ^= copy.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            }
            self.at += 1;
            if seen.insert(f.exact) {
                fs.push(f);
            }
        }
        // a cut sample's remaining functions start the next one
        let sha = format!("{:04}-{:06}-{:08}", self.copy, s, self.at);
        (
            SignedSample {
                sha256: sha,
                format: Format::Pe,
                arch: Arch::X64,
                functions_total: fs.len() as u32,
                functions: fs,
                packed: false,
                limits_hit: vec![],
                imports: vec![],
                strings: Vec::new(),
                exports: Vec::new(),
                warnings: vec![],
            },
            SampleMeta {
                family: format!("synthetic-{}-{}", self.copy, s % 15),
                actor: None,
                name: None,
            },
        )
    }
}

/// Signs the files of `corpus/manifest.tsv` (at most `PG_SCALE_FILES` of them; family = the
/// project column) on two threads: the files listed, and those that signed.
pub fn sign_corpus(corpus: &str) -> std::io::Result<(usize, Vec<(SignedSample, SampleMeta)>)> {
    let manifest = std::fs::read_to_string(format!("{corpus}/manifest.tsv"))?;
    let rows: Vec<(String, String)> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.get(1)?.to_string(), f.get(12)?.to_string()))
        })
        .take(
            std::env::var("PG_SCALE_FILES")
                .ok()
                .and_then(|x| x.parse().ok())
                .unwrap_or(usize::MAX),
        )
        .collect();
    let signed: Vec<(SignedSample, SampleMeta)> = std::thread::scope(|sc| {
        let chunks: Vec<&[(String, String)]> = rows.chunks(rows.len().div_ceil(2)).collect();
        let hs: Vec<_> = chunks
            .into_iter()
            .map(|ch| {
                sc.spawn(move || {
                    ch.iter()
                        .filter_map(|(project, rel)| {
                            let data = std::fs::read(format!("{corpus}/{rel}")).ok()?;
                            let s =
                                sign_bytes(&data, &Default::default(), &Default::default()).ok()?;
                            Some((
                                s,
                                SampleMeta {
                                    family: project.clone(),
                                    actor: None,
                                    name: Some(rel.clone()),
                                },
                            ))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    Ok((rows.len(), signed))
}

/// Adds a synthetic sample to the embedded index's bulk builder, as the
/// benchmarks build the embedded side of a comparison.
pub fn add_to_builder(
    b: &mut DiskStoreBuilder,
    s: &SignedSample,
    m: &SampleMeta,
) -> Result<(), ascribe_code::CodeError> {
    let ins: Vec<FunctionInsert> = s
        .functions
        .iter()
        .map(|f| FunctionInsert {
            band_keys: band_keys(&f.minhash),
            signature: f.clone(),
        })
        .collect();
    b.add_sample(
        SampleRecord {
            sha256: s.sha256.clone(),
            family: m.family.clone(),
            actor: None,
            name: None,
            format: Format::Pe,
            arch: Arch::X64,
            functions_total: ins.len() as u32,
            functions_indexed: ins.len() as u32,
            packed: false,
            imports: Vec::new(),
            strings: Vec::new(),
            exports: Vec::new(),
            records_sha256: None,
        },
        &ins,
    )?;
    Ok(())
}
