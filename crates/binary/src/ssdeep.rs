//! ssdeep (context-triggered piecewise hashing) digests, identical to
//! libfuzzy's `fuzzy_hash_buf` without flags.
//!
//! This is a speed-oriented rewrite of the `fuzzyhash` crate's hasher (MIT;
//! itself a port of the ssdeep algorithm), kept output-identical to it:
//!
//! * the piece hash (FNV-style, `h * 0x01000193 ^ c`) is only ever used
//!   modulo 64, so it is kept as a 6-bit state and advanced through a
//!   64 × 64 table built at compile time;
//! * the rolling-hash trigger test for the smallest block size (3) is done
//!   first, since it fails for two bytes in three;
//! * fixed-size arrays, no allocation per byte.
//!
//! `tests/ssdeep_equivalence.rs` checks it against `fuzzyhash` on random
//! inputs and the corpus test checks it against libfuzzy's reference
//! digests.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const SPAMSUM_LENGTH: usize = 64;
const NUM_BLOCKHASHES: usize = 31;
const MIN_BLOCKSIZE: u32 = 3;
const ROLLING_WINDOW: usize = 7;
/// `0x28021967 mod 64`.
const HASH_INIT: u8 = 0x27;

/// `SUM[h][c mod 64] = (h * 0x01000193 ^ c) mod 64`.
static SUM: [[u8; 64]; 64] = {
    let mut t = [[0u8; 64]; 64];
    let mut h = 0;
    while h < 64 {
        let mut c = 0;
        while c < 64 {
            t[h][c] = (((h as u32).wrapping_mul(0x0100_0193) ^ c as u32) & 63) as u8;
            c += 1;
        }
        h += 1;
    }
    t
};

#[derive(Clone, Copy)]
struct Block {
    h: u8,
    halfh: u8,
    halfdigest: u8,
    dlen: u8,
    digest: [u8; SPAMSUM_LENGTH],
}

const EMPTY: Block = Block {
    h: 0,
    halfh: 0,
    halfdigest: 0,
    dlen: 0,
    digest: [0; SPAMSUM_LENGTH],
};

/// The ssdeep digest of `data` (`blocksize:hash1:hash2`).
pub fn hash(data: &[u8]) -> String {
    let total = data.len() as u64;
    let mut bh = [EMPTY; NUM_BLOCKHASHES];
    bh[0].h = HASH_INIT;
    bh[0].halfh = HASH_INIT;
    let mut start = 0usize;
    let mut end = 1usize;
    let (mut h1, mut h2, mut h3) = (0u32, 0u32, 0u32);
    let mut window = [0u8; ROLLING_WINDOW];
    let mut wi = 0usize;
    for &c in data {
        // Rolling hash over the last 7 bytes.
        h2 = h2.wrapping_sub(h1).wrapping_add(ROLLING_WINDOW as u32 * c as u32);
        h1 = h1.wrapping_add(c as u32).wrapping_sub(window[wi] as u32);
        window[wi] = c;
        wi = if wi == ROLLING_WINDOW - 1 { 0 } else { wi + 1 };
        h3 = (h3 << 5) ^ c as u32;
        let sum = h1.wrapping_add(h2).wrapping_add(h3);
        let c6 = (c & 63) as usize;
        for b in &mut bh[start..end] {
            b.h = SUM[b.h as usize][c6];
            b.halfh = SUM[b.halfh as usize][c6];
        }
        if sum % MIN_BLOCKSIZE != MIN_BLOCKSIZE - 1 {
            continue;
        }
        let mut j = start;
        while j < end {
            let bs = MIN_BLOCKSIZE << j;
            if sum % bs != bs - 1 {
                break;
            }
            if bh[j].dlen == 0 && end < NUM_BLOCKHASHES {
                // First trigger of the last block size: start the next.
                let last = bh[end - 1];
                bh[end].h = last.h;
                bh[end].halfh = last.halfh;
                bh[end].digest[0] = 0;
                bh[end].halfdigest = 0;
                bh[end].dlen = 0;
                end += 1;
            }
            let b = &mut bh[j];
            b.digest[b.dlen as usize] = B64[(b.h & 63) as usize];
            b.halfdigest = B64[(b.halfh & 63) as usize];
            if (b.dlen as usize) < SPAMSUM_LENGTH - 1 {
                b.dlen += 1;
                b.digest[b.dlen as usize] = 0;
                b.h = HASH_INIT;
                if (b.dlen as usize) < SPAMSUM_LENGTH / 2 {
                    b.halfh = HASH_INIT;
                    b.halfdigest = 0;
                }
            } else if end - start >= 2
                && ((MIN_BLOCKSIZE as u64) << start) * (SPAMSUM_LENGTH as u64) < total
                && (bh[start + 1].dlen as usize) >= SPAMSUM_LENGTH / 2
            {
                start += 1;
            }
            j += 1;
        }
    }
    let roll_sum = h1.wrapping_add(h2).wrapping_add(h3);
    digest(&bh, start, end, total, roll_sum)
}

fn digest(bh: &[Block; NUM_BLOCKHASHES], start: usize, end: usize, total: u64, roll_sum: u32) -> String {
    let mut bi = start;
    while ((MIN_BLOCKSIZE as u64) << bi) * (SPAMSUM_LENGTH as u64) < total {
        bi += 1;
        if bi >= NUM_BLOCKHASHES {
            // Inputs over ~200 GB; capped like the largest block size.
            bi = NUM_BLOCKHASHES - 1;
            break;
        }
    }
    while bi >= end {
        bi -= 1;
    }
    while bi > start && (bh[bi].dlen as usize) < SPAMSUM_LENGTH / 2 {
        bi -= 1;
    }
    let mut out = Vec::with_capacity(2 * SPAMSUM_LENGTH + 20);
    out.extend_from_slice(((MIN_BLOCKSIZE as u64) << bi).to_string().as_bytes());
    out.push(b':');
    let b = &bh[bi];
    let n = b.dlen as usize;
    out.extend_from_slice(&b.digest[..n]);
    if roll_sum != 0 {
        out.push(B64[(b.h & 63) as usize]);
    } else if b.digest[n] != 0 {
        out.push(b.digest[n]);
    }
    out.push(b':');
    if bi < end - 1 {
        let b = &bh[bi + 1];
        let n = (b.dlen as usize).min(SPAMSUM_LENGTH / 2 - 1);
        out.extend_from_slice(&b.digest[..n]);
        if roll_sum != 0 {
            out.push(B64[(b.halfh & 63) as usize]);
        } else if b.halfdigest != 0 {
            out.push(b.halfdigest);
        }
    } else if roll_sum != 0 {
        out.push(B64[(b.h & 63) as usize]);
    }
    // Only ASCII digits, ':' and base64 characters were pushed.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(hash(b""), "3::");
        assert_eq!(hash(b"abc"), "3:uG:uG");
        let data: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(hash(&data), fuzzyhash::FuzzyHash::new(&data).to_string());
    }
}
