//! Per-function signatures: a position-independent exact hash and a MinHash sketch.
//!
//! Instruction tokens (see [`crate::extract`]) already mask addresses, address-like immediates,
//! stack offsets and general-purpose register allocation. On top of them:
//!
//! * the **exact hash** hashes the token sequence in address order together with the block
//!   layout, so two functions with the same code at different addresses and with different
//!   register choices get the same value;
//! * the **MinHash** is a one-permutation MinHash (with densification) of a feature set made of
//!   token n-grams inside basic blocks (with per-feature occurrence counts), block-level hashes,
//!   edge shapes and bucketed CFG statistics.

use serde::{Deserialize, Serialize};

use crate::extract::Function;
use crate::hash::{fold, mix64, FastMap};

/// Number of MinHash values per function.
pub const MINHASH_K: usize = 64;

/// Signature parameters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SignatureConfig {
    /// Token n-gram length used for MinHash features.
    pub ngram: usize,
    /// Functions with fewer instructions are not signed (too generic to be evidence).
    pub min_instructions: usize,
}

impl Default for SignatureConfig {
    fn default() -> Self {
        Self {
            ngram: 3,
            min_instructions: 10,
        }
    }
}

/// Signature of one function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionSignature {
    /// Function address in the sample.
    pub address: u64,
    /// Position-independent exact hash.
    pub exact: u64,
    /// MinHash values (low 16 bits of each minimum).
    pub minhash: Vec<u16>,
    /// Instructions.
    pub instructions: u32,
    /// Basic blocks.
    pub blocks: u32,
    /// CFG edges.
    pub edges: u32,
}

impl FunctionSignature {
    /// Estimated Jaccard similarity of the feature sets: the fraction of equal MinHash values.
    pub fn similarity(&self, other: &FunctionSignature) -> f32 {
        minhash_similarity(&self.minhash, &other.minhash)
    }
}

/// Fraction of equal values in two MinHash sketches (0 when lengths differ).
pub fn minhash_similarity(a: &[u16], b: &[u16]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let eq = a.iter().zip(b).filter(|(x, y)| x == y).count();
    eq as f32 / a.len() as f32
}

fn bucket(n: usize) -> u64 {
    (usize::BITS - n.leading_zeros()) as u64
}

/// Signs one function; `None` if it is below [`SignatureConfig::min_instructions`].
pub fn sign_function(f: &Function, cfg: &SignatureConfig) -> Option<FunctionSignature> {
    let n = f.tokens.len();
    if n < cfg.min_instructions.max(1) {
        return None;
    }
    // Exact hash: tokens in address order plus block boundaries and edges.
    let mut exact = 0x000e_7ac7_u64;
    for b in &f.blocks {
        exact = fold(exact, 0xb10c ^ u64::from(b.instructions));
        for &t in &f.tokens[b.first as usize..(b.first + b.instructions) as usize] {
            exact = fold(exact, u64::from(t));
        }
    }
    for &(a, b) in &f.edges {
        exact = fold(exact, (u64::from(a) << 32) | u64::from(b));
    }

    let mut feats: Vec<u64> = Vec::with_capacity(n + f.blocks.len() * 2 + 8);
    let mut counts: FastMap<u64, u32> = FastMap::default();
    let g = cfg.ngram.max(1);
    let mut block_hash = Vec::with_capacity(f.blocks.len());
    for b in &f.blocks {
        let toks = &f.tokens[b.first as usize..(b.first + b.instructions) as usize];
        let mut bh = 0xb1u64;
        for &t in toks {
            bh = fold(bh, u64::from(t));
        }
        block_hash.push(bh);
        if toks.len() < g {
            // Short block: one feature for the whole block.
            feats.push(fold(0x5b, bh));
        } else {
            for w in toks.windows(g) {
                let mut h = 0x9au64;
                for &t in w {
                    h = fold(h, u64::from(t));
                }
                feats.push(h);
            }
        }
    }
    for &(a, b) in &f.edges {
        // Edge shape: hashes of the two blocks' first tokens (position independent).
        let fa = f
            .tokens
            .get(f.blocks[a as usize].first as usize)
            .copied()
            .unwrap_or(0);
        let fb = f
            .tokens
            .get(f.blocks[b as usize].first as usize)
            .copied()
            .unwrap_or(0);
        feats.push(fold(fold(0xed, u64::from(fa)), u64::from(fb)));
    }
    feats.push(fold(0xc1, bucket(n)));
    feats.push(fold(0xc2, bucket(f.blocks.len())));
    feats.push(fold(0xc3, bucket(f.edges.len())));
    feats.push(fold(0xc4, bucket(f.calls.len())));
    // Occurrence-count the features so repeated n-grams weigh more (weighted Jaccard).
    let mut mins = [u32::MAX; MINHASH_K];
    for x in feats {
        let c = counts.entry(x).or_insert(0);
        *c += 1;
        if *c > 16 {
            continue;
        }
        let h = mix64(fold(x, u64::from(*c)));
        let bin = (h >> 58) as usize; // top 6 bits select one of 64 bins
        let v = h as u32;
        if v < mins[bin] {
            mins[bin] = v;
        }
    }
    // Densify empty bins by borrowing from the next non-empty bin with a per-bin rehash.
    let mut minhash = vec![0u16; MINHASH_K];
    for i in 0..MINHASH_K {
        let mut j = i;
        let mut step = 0u64;
        while mins[j] == u32::MAX {
            j = (j + 1) % MINHASH_K;
            step += 1;
            if step as usize >= MINHASH_K {
                break;
            }
        }
        let v = if step == 0 {
            mins[i]
        } else {
            mix64(fold(u64::from(mins[j]), step)) as u32
        };
        minhash[i] = (v ^ (v >> 16)) as u16;
    }
    Some(FunctionSignature {
        address: f.address,
        exact,
        minhash,
        instructions: n as u32,
        blocks: f.blocks.len() as u32,
        edges: f.edges.len() as u32,
    })
}

/// Signs every function of an extraction that is large enough.
pub fn sign_all(functions: &[Function], cfg: &SignatureConfig) -> Vec<FunctionSignature> {
    functions
        .iter()
        .filter_map(|f| sign_function(f, cfg))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{BasicBlock, FunctionSource};

    fn func(tokens: Vec<u32>, addr: u64) -> Function {
        let n = tokens.len() as u32;
        Function {
            address: addr,
            source: FunctionSource::Symbol,
            blocks: vec![BasicBlock {
                address: addr,
                size: n * 3,
                first: 0,
                instructions: n,
            }],
            edges: vec![],
            calls: vec![],
            tokens,
            has_invalid: false,
            truncated: false,
        }
    }

    #[test]
    fn exact_hash_is_position_independent() {
        let a = sign_function(
            &func((1..40).collect(), 0x1000),
            &SignatureConfig::default(),
        )
        .unwrap();
        let b = sign_function(
            &func((1..40).collect(), 0x9000),
            &SignatureConfig::default(),
        )
        .unwrap();
        assert_eq!(a.exact, b.exact);
        assert_eq!(a.similarity(&b), 1.0);
        let c = sign_function(
            &func((2..41).collect(), 0x1000),
            &SignatureConfig::default(),
        )
        .unwrap();
        assert_ne!(a.exact, c.exact);
    }

    #[test]
    fn similarity_tracks_overlap() {
        let cfg = SignatureConfig::default();
        let base: Vec<u32> = (1..400).map(|x| x * 7919).collect();
        let mut near = base.clone();
        for t in near.iter_mut().step_by(40) {
            *t ^= 0xdead;
        }
        let far: Vec<u32> = (1..400).map(|x| x * 104_729 + 3).collect();
        let a = sign_function(&func(base, 0), &cfg).unwrap();
        let n = sign_function(&func(near, 0), &cfg).unwrap();
        let f = sign_function(&func(far, 0), &cfg).unwrap();
        assert!(a.similarity(&n) > 0.6, "{}", a.similarity(&n));
        assert!(a.similarity(&f) < 0.2, "{}", a.similarity(&f));
    }

    #[test]
    fn small_functions_are_skipped() {
        assert!(sign_function(&func(vec![1, 2, 3], 0), &SignatureConfig::default()).is_none());
    }
}
