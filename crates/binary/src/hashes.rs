//! Whole-file content hashes and entropy.

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

/// Cryptographic and fuzzy hashes of a whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentHashes {
    /// MD5, lower-case hex.
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// TLSH digest as py-tlsh prints it (`T1` + 70 hex digits); `None` when
    /// the input is too small or too uniform (py-tlsh's `TNULL`).
    pub tlsh: Option<String>,
    /// ssdeep (libfuzzy) digest `blocksize:hash1:hash2`.
    pub ssdeep: String,
}

impl ContentHashes {
    /// Hash `data`.
    pub fn compute(data: &[u8]) -> Self {
        ContentHashes {
            md5: hex(&Md5::digest(data)),
            sha1: hex(&sha1::Sha1::digest(data)),
            sha256: hex(&sha2::Sha256::digest(data)),
            tlsh: tlsh(data),
            ssdeep: ssdeep(data),
        }
    }
}

/// TLSH (128 buckets, 1-byte checksum), identical to py-tlsh `tlsh.hash`.
pub fn tlsh(data: &[u8]) -> Option<String> {
    let mut b = tlsh2::TlshDefaultBuilder::new();
    b.update(data);
    let t = b.build()?;
    let h = t.hash();
    String::from_utf8(h.to_vec()).ok()
}

/// ssdeep digest, identical to libfuzzy's `fuzzy_hash_buf` (see
/// [`crate::ssdeep`]).
pub fn ssdeep(data: &[u8]) -> String {
    crate::ssdeep::hash(data)
}

/// MD5 of `data` as lower-case hex.
pub fn md5_hex(data: &[u8]) -> String {
    hex(&Md5::digest(data))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

/// Shannon entropy in bits per byte (0.0 ..= 8.0); 0.0 for empty input.
pub fn entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    // Four interleaved histograms avoid store-to-load stalls on runs.
    let mut h = [[0u32; 256]; 4];
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        h[0][c[0] as usize] += 1;
        h[1][c[1] as usize] += 1;
        h[2][c[2] as usize] += 1;
        h[3][c[3] as usize] += 1;
    }
    for &b in chunks.remainder() {
        h[0][b as usize] += 1;
    }
    let n = data.len() as f64;
    let mut e = 0.0;
    for (((a, b), c), d) in h[0].iter().zip(&h[1]).zip(&h[2]).zip(&h[3]) {
        let c = (*a as u64 + *b as u64 + *c as u64 + *d as u64) as f64;
        if c > 0.0 {
            let p = c / n;
            e -= p * p.log2();
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let h = ContentHashes::compute(b"abc");
        assert_eq!(h.md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(h.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            h.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(h.tlsh, None);
        assert_eq!(h.ssdeep, "3:uG:uG");
    }

    #[test]
    fn entropy_bounds() {
        assert_eq!(entropy(&[]), 0.0);
        assert_eq!(entropy(&[7; 100]), 0.0);
        let all: Vec<u8> = (0..=255u8).collect();
        assert!((entropy(&all) - 8.0).abs() < 1e-9);
    }
}
