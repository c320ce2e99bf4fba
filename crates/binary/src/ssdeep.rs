//! ssdeep (context-triggered piecewise hashing) digests, identical to
//! libfuzzy's `fuzzy_hash_buf` without flags.
//!
//! This is a speed-oriented rewrite of the `fuzzyhash` crate's hasher (MIT;
//! itself a port of the ssdeep algorithm), kept output-identical to it:
//!
//! * the piece hash (FNV-style, `h * 0x01000193 ^ c`) is only ever used
//!   modulo 64, so it is kept as a 6-bit lane, and the lanes of all block
//!   sizes (and of their half-digest hashes) are advanced eight at a time
//!   in a `u64` (`step8`: `19·h ^ c` per byte, no carry between lanes);
//! * the rolling-hash trigger test for the smallest block size (3) is done
//!   first, since it fails for two bytes in three;
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
/// Block-hash lanes: one byte per block size, eight to a word, plus one
/// spare word so that the two words from any live word can be advanced
/// without a bounds test.
const WORDS: usize = NUM_BLOCKHASHES.div_ceil(8) + 1;
const LO6: u64 = 0x3F3F_3F3F_3F3F_3F3F;
const LO5: u64 = 0x1F1F_1F1F_1F1F_1F1F;
const LO2: u64 = 0x0303_0303_0303_0303;
const ONES: u64 = 0x0101_0101_0101_0101;

/// One piece-hash step on eight 6-bit lanes at once.
///
/// The piece hash is `h * 0x01000193 ^ c`, only ever read modulo 64, and
/// `0x01000193 ≡ 19 (mod 64)`, so each lane becomes `(19·h ^ c) mod 64`,
/// with `19·h = h + 2h + 16h`. Each lane holds a value below 64, `2h` and
/// `16h` are taken modulo 64 before the shift (so no bit leaves its byte),
/// and the sum stays below 192: no carry crosses a lane.
#[inline(always)]
fn step8(x: u64, cc: u64) -> u64 {
    let y = x.wrapping_add((x & LO5) << 1).wrapping_add((x & LO2) << 4);
    (y & LO6) ^ cc
}

/// Block-hash state: the piece hash and the half-digest piece hash of every
/// block size as byte lanes (advanced together, eight sizes per operation).
struct State {
    h: [u64; WORDS],
    halfh: [u64; WORDS],
    halfdigest: [u8; NUM_BLOCKHASHES],
    dlen: [u8; NUM_BLOCKHASHES],
    digest: [[u8; SPAMSUM_LENGTH]; NUM_BLOCKHASHES],
}

#[inline(always)]
fn lane(w: &[u64; WORDS], j: usize) -> u8 {
    (w[j >> 3] >> ((j & 7) * 8)) as u8 & 63
}

#[inline(always)]
fn set_lane(w: &mut [u64; WORDS], j: usize, v: u8) {
    let sh = (j & 7) * 8;
    w[j >> 3] = (w[j >> 3] & !(0xFF << sh)) | (u64::from(v & 63) << sh);
}

/// The ssdeep digest of `data` (`blocksize:hash1:hash2`).
pub fn hash(data: &[u8]) -> String {
    let total = data.len() as u64;
    let mut st = State {
        h: [0; WORDS],
        halfh: [0; WORDS],
        halfdigest: [0; NUM_BLOCKHASHES],
        dlen: [0; NUM_BLOCKHASHES],
        digest: [[0; SPAMSUM_LENGTH]; NUM_BLOCKHASHES],
    };
    set_lane(&mut st.h, 0, HASH_INIT);
    set_lane(&mut st.halfh, 0, HASH_INIT);
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
    // The live lanes `start..end` sit in the words `w0..w1`. The first two
    // are kept in registers (`ha`, `hb`: piece hashes; `fa`, `fb`: half
    // hashes) and written back to `st` only when a live size triggers; any
    // further live word (only while more than nine sizes are live, early in
    // very large inputs) is advanced in `st`. Lanes outside `start..end` are
    // advanced too, harmlessly: a lane is overwritten when its size starts
    // and never read below `start`.
    let (mut w0, mut w1) = (0usize, 1usize);
    let (mut ha, mut hb, mut fa, mut fb) = (st.h[0], st.h[1], st.halfh[0], st.halfh[1]);
    let (mut h1, mut h2, mut h3) = (0u32, 0u32, 0u32);
    for (i, &c) in data.iter().enumerate() {
        // Rolling hash over the last 7 bytes (bytes before the start count
        // as zero).
        let out = if i >= ROLLING_WINDOW {
            data[i - ROLLING_WINDOW]
        } else {
            0
        };
        h2 = h2
            .wrapping_sub(h1)
            .wrapping_add(ROLLING_WINDOW as u32 * c as u32);
        h1 = h1.wrapping_add(c as u32).wrapping_sub(out as u32);
        h3 = (h3 << 5) ^ c as u32;
        let sum = h1.wrapping_add(h2).wrapping_add(h3);
        let cc = u64::from(c & 63).wrapping_mul(ONES);
        ha = step8(ha, cc);
        hb = step8(hb, cc);
        fa = step8(fa, cc);
        fb = step8(fb, cc);
        if w1 > w0 + 2 {
            for w in w0 + 2..w1 {
                st.h[w] = step8(st.h[w], cc);
                st.halfh[w] = step8(st.halfh[w], cc);
            }
        }
        // Size `j` (block size `3 << j`) triggers when `sum mod (3 << j)` is
        // `(3 << j) - 1`, that is when `sum mod 3 == 2` and the low `j` bits
        // of `sum / 3` are all ones: one division by a constant decides
        // every size.
        // The two tests are combined without a short circuit: once the
        // smallest live size has grown, a trigger is rare and the single
        // branch is predictable, where `sum mod 3 == 2` alone is a coin
        // toss.
        let q = sum / MIN_BLOCKSIZE;
        let ones = q.trailing_ones() as usize;
        if (sum - q * MIN_BLOCKSIZE != MIN_BLOCKSIZE - 1) | (ones < start) {
            continue;
        }
        st.h[w0] = ha;
        st.h[w0 + 1] = hb;
        st.halfh[w0] = fa;
        st.halfh[w0 + 1] = fb;
        let mut j = start;
        while j < end && j <= ones {
            if st.dlen[j] == 0 && end < cap {
                // First trigger of the last block size: start the next.
                let p = end - 1;
                let (hp, halfp) = (lane(&st.h, p), lane(&st.halfh, p));
                set_lane(&mut st.h, end, hp);
                set_lane(&mut st.halfh, end, halfp);
                st.digest[end][0] = 0;
                st.halfdigest[end] = 0;
                st.dlen[end] = 0;
                end += 1;
                w1 = (end - 1) / 8 + 1;
            }
            let hj = lane(&st.h, j);
            let half = lane(&st.halfh, j);
            let dl = st.dlen[j] as usize;
            st.digest[j][dl] = B64[hj as usize];
            st.halfdigest[j] = B64[half as usize];
            if dl < SPAMSUM_LENGTH - 1 {
                st.dlen[j] += 1;
                st.digest[j][dl + 1] = 0;
                set_lane(&mut st.h, j, HASH_INIT);
                if dl + 1 < SPAMSUM_LENGTH / 2 {
                    set_lane(&mut st.halfh, j, HASH_INIT);
                    st.halfdigest[j] = 0;
                }
            } else if end - start >= 2
                && ((MIN_BLOCKSIZE as u64) << start) * (SPAMSUM_LENGTH as u64) < total
                && (st.dlen[start + 1] as usize) >= SPAMSUM_LENGTH / 2
            {
                start += 1;
            }
            j += 1;
        }
        w0 = start / 8;
        ha = st.h[w0];
        hb = st.h[w0 + 1];
        fa = st.halfh[w0];
        fb = st.halfh[w0 + 1];
    }
    st.h[w0] = ha;
    st.h[w0 + 1] = hb;
    st.halfh[w0] = fa;
    st.halfh[w0 + 1] = fb;
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
        out.push(B64[lane(&st.h, bi) as usize]);
    } else if st.digest[bi][n] != 0 {
        out.push(st.digest[bi][n]);
    }
    out.push(b':');
    if bi < end - 1 {
        let b = bi + 1;
        let n = (st.dlen[b] as usize).min(SPAMSUM_LENGTH / 2 - 1);
        out.extend_from_slice(&st.digest[b][..n]);
        if roll_sum != 0 {
            out.push(B64[lane(&st.halfh, b) as usize]);
        } else if st.halfdigest[b] != 0 {
            out.push(st.halfdigest[b]);
        }
    } else if roll_sum != 0 {
        out.push(B64[lane(&st.h, bi) as usize]);
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
