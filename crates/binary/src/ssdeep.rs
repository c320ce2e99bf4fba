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
//! * the half hash is only advanced while it differs from the full hash
//!   (they are reset together until the digest is half full);
//! * block sizes that cannot reach the digest (more than one above the
//!   size the total length selects) are never started;
//! * fixed-size, structure-of-arrays state, no allocation per byte.
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

/// `SUM[h << 6 | c mod 64] = (h * 0x01000193 ^ c) mod 64`, flattened so
/// that a masked index needs no bounds check.
static SUM: [u8; 64 * 64] = {
    let mut t = [0u8; 64 * 64];
    let mut h = 0;
    while h < 64 {
        let mut c = 0;
        while c < 64 {
            t[h * 64 + c] = (((h as u32).wrapping_mul(0x0100_0193) ^ c as u32) & 63) as u8;
            c += 1;
        }
        h += 1;
    }
    t
};

#[inline(always)]
fn step(h: u8, c6: usize) -> u8 {
    SUM[((h as usize & 63) << 6) | c6]
}

/// Block-hash state, structure-of-arrays for a tight per-byte loop.
struct State {
    h: [u8; NUM_BLOCKHASHES],
    halfh: [u8; NUM_BLOCKHASHES],
    /// `halfh == h` is known to hold (both reset together since the last
    /// divergence), so only `h` is advanced.
    same: [bool; NUM_BLOCKHASHES],
    halfdigest: [u8; NUM_BLOCKHASHES],
    dlen: [u8; NUM_BLOCKHASHES],
    digest: [[u8; SPAMSUM_LENGTH]; NUM_BLOCKHASHES],
}

/// The ssdeep digest of `data` (`blocksize:hash1:hash2`).
pub fn hash(data: &[u8]) -> String {
    let total = data.len() as u64;
    let mut st = State {
        h: [0; NUM_BLOCKHASHES],
        halfh: [0; NUM_BLOCKHASHES],
        same: [false; NUM_BLOCKHASHES],
        halfdigest: [0; NUM_BLOCKHASHES],
        dlen: [0; NUM_BLOCKHASHES],
        digest: [[0; SPAMSUM_LENGTH]; NUM_BLOCKHASHES],
    };
    st.h[0] = HASH_INIT;
    st.halfh[0] = HASH_INIT;
    st.same[0] = true;
    let mut start = 0usize;
    let mut end = 1usize;
    // The digest uses block sizes `bi` and `bi + 1`, where `bi` is at most
    // the first size with `size * 64 >= total`. Larger sizes never reach the
    // output and the reduction rule never looks above `bi + 1`, so they are
    // not started at all (same digest, much less work on big inputs).
    let mut guess = 0usize;
    while guess < NUM_BLOCKHASHES - 1
        && ((MIN_BLOCKSIZE as u64) << guess) * (SPAMSUM_LENGTH as u64) < total
    {
        guess += 1;
    }
    let cap = (guess + 2).min(NUM_BLOCKHASHES);
    let (mut h1, mut h2, mut h3) = (0u32, 0u32, 0u32);
    let mut window = [0u8; ROLLING_WINDOW];
    let mut wi = 0usize;
    for &c in data {
        // Rolling hash over the last 7 bytes.
        h2 = h2
            .wrapping_sub(h1)
            .wrapping_add(ROLLING_WINDOW as u32 * c as u32);
        h1 = h1.wrapping_add(c as u32).wrapping_sub(window[wi] as u32);
        window[wi] = c;
        wi = if wi == ROLLING_WINDOW - 1 { 0 } else { wi + 1 };
        h3 = (h3 << 5) ^ c as u32;
        let sum = h1.wrapping_add(h2).wrapping_add(h3);
        let c6 = (c & 63) as usize;
        for j in start..end {
            st.h[j] = step(st.h[j], c6);
            if !st.same[j] {
                st.halfh[j] = step(st.halfh[j], c6);
            }
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
            if st.dlen[j] == 0 && end < cap {
                // First trigger of the last block size: start the next.
                let p = end - 1;
                st.h[end] = st.h[p];
                st.halfh[end] = if st.same[p] { st.h[p] } else { st.halfh[p] };
                st.same[end] = st.same[p];
                st.digest[end][0] = 0;
                st.halfdigest[end] = 0;
                st.dlen[end] = 0;
                end += 1;
            }
            let half = if st.same[j] { st.h[j] } else { st.halfh[j] };
            let dl = st.dlen[j] as usize;
            st.digest[j][dl] = B64[(st.h[j] & 63) as usize];
            st.halfdigest[j] = B64[(half & 63) as usize];
            if dl < SPAMSUM_LENGTH - 1 {
                st.dlen[j] += 1;
                st.digest[j][dl + 1] = 0;
                st.h[j] = HASH_INIT;
                if dl + 1 < SPAMSUM_LENGTH / 2 {
                    st.halfh[j] = HASH_INIT;
                    st.halfdigest[j] = 0;
                    st.same[j] = true;
                } else {
                    st.halfh[j] = half;
                    st.same[j] = false;
                }
            } else if end - start >= 2
                && ((MIN_BLOCKSIZE as u64) << start) * (SPAMSUM_LENGTH as u64) < total
                && (st.dlen[start + 1] as usize) >= SPAMSUM_LENGTH / 2
            {
                start += 1;
            }
            j += 1;
        }
    }
    for j in 0..NUM_BLOCKHASHES {
        if st.same[j] {
            st.halfh[j] = st.h[j];
        }
    }
    let roll_sum = h1.wrapping_add(h2).wrapping_add(h3);
    digest(&st, start, end, total, roll_sum)
}

fn digest(st: &State, start: usize, end: usize, total: u64, roll_sum: u32) -> String {
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
    while bi > start && (st.dlen[bi] as usize) < SPAMSUM_LENGTH / 2 {
        bi -= 1;
    }
    let mut out = Vec::with_capacity(2 * SPAMSUM_LENGTH + 20);
    out.extend_from_slice(((MIN_BLOCKSIZE as u64) << bi).to_string().as_bytes());
    out.push(b':');
    let n = st.dlen[bi] as usize;
    out.extend_from_slice(&st.digest[bi][..n]);
    if roll_sum != 0 {
        out.push(B64[(st.h[bi] & 63) as usize]);
    } else if st.digest[bi][n] != 0 {
        out.push(st.digest[bi][n]);
    }
    out.push(b':');
    if bi < end - 1 {
        let b = bi + 1;
        let n = (st.dlen[b] as usize).min(SPAMSUM_LENGTH / 2 - 1);
        out.extend_from_slice(&st.digest[b][..n]);
        if roll_sum != 0 {
            out.push(B64[(st.halfh[b] & 63) as usize]);
        } else if st.halfdigest[b] != 0 {
            out.push(st.halfdigest[b]);
        }
    } else if roll_sum != 0 {
        out.push(B64[(st.h[bi] & 63) as usize]);
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
        let data: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(hash(&data), fuzzyhash::FuzzyHash::new(&data).to_string());
    }
}
