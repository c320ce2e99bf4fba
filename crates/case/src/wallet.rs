//! Cryptocurrency wallet addresses: which chain, and whether the address is
//! well formed. Bitcoin addresses are checked in full (Base58Check and
//! Bech32/Bech32m checksums), so a mistyped character is caught; Monero and
//! Ethereum addresses by alphabet, length and prefix (their checksums need
//! Keccak, which a mistyped character in a hand-copied address rarely
//! survives anyway: the format check catches truncation and stray spaces).

use sha2::{Digest, Sha256};

/// The chain an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    Bitcoin,
    Monero,
    Ethereum,
}

impl Chain {
    /// Lower-case name, as in fact keys (`wallet:btc:…`).
    pub fn short(self) -> &'static str {
        match self {
            Chain::Bitcoin => "btc",
            Chain::Monero => "xmr",
            Chain::Ethereum => "eth",
        }
    }
}

const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn base58_decode(s: &str) -> Option<Vec<u8>> {
    // big-endian base-256 accumulator
    let mut out: Vec<u8> = Vec::new();
    for c in s.bytes() {
        let mut carry = B58.iter().position(|&x| x == c)? as u32;
        for b in out.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut v = vec![0u8; zeros];
    v.extend(out);
    Some(v)
}

fn base58check_ok(s: &str) -> bool {
    let Some(v) = base58_decode(s) else {
        return false;
    };
    if v.len() != 25 {
        return false;
    }
    let (payload, check) = v.split_at(21);
    let h = Sha256::digest(Sha256::digest(payload));
    h[..4] == *check && (payload[0] == 0x00 || payload[0] == 0x05)
}

fn bech32_polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn bech32_ok(s: &str) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower = s.to_ascii_lowercase();
    if s != lower && s != s.to_ascii_uppercase() {
        return false; // mixed case is invalid in Bech32
    }
    let Some(pos) = lower.rfind('1') else {
        return false;
    };
    let (hrp, data) = (&lower[..pos], &lower[pos + 1..]);
    if hrp != "bc" || data.len() < 6 || !(14..=74).contains(&lower.len()) {
        return false;
    }
    let Some(vals) = data
        .bytes()
        .map(|c| CHARSET.iter().position(|&x| x == c).map(|p| p as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let mut v: Vec<u8> = hrp.bytes().map(|c| c >> 5).collect();
    v.push(0);
    v.extend(hrp.bytes().map(|c| c & 31));
    v.extend(&vals);
    let pm = bech32_polymod(&v);
    // witness v0 uses Bech32 (constant 1), v1+ Bech32m
    let witness = vals[0];
    (witness == 0 && pm == 1) || (witness > 0 && witness <= 16 && pm == 0x2bc8_30a3)
}

/// The chain of a well-formed address, or why it is not one.
pub fn classify(v: &str) -> Result<Chain, String> {
    let v = v.trim();
    if let Some(hex) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        return if hex.len() == 40 && hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            Ok(Chain::Ethereum)
        } else {
            Err(format!(
                "'{v}' looks like an Ethereum address but is not 0x followed by 40 hex digits"
            ))
        };
    }
    if v.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("bc1")) {
        return if bech32_ok(v) {
            Ok(Chain::Bitcoin)
        } else {
            Err(format!("'{v}' looks like a Bitcoin Bech32 address (bc1…) but its checksum or length is wrong; copy it again"))
        };
    }
    if v.starts_with('1') || v.starts_with('3') {
        return if (26..=35).contains(&v.len()) && base58check_ok(v) {
            Ok(Chain::Bitcoin)
        } else {
            Err(format!("'{v}' looks like a Bitcoin address (1… or 3…) but its Base58Check checksum or length is wrong; copy it again"))
        };
    }
    if v.starts_with('4') || v.starts_with('8') {
        let b58 = v.bytes().all(|c| B58.contains(&c));
        return if b58 && (v.len() == 95 || (v.starts_with('4') && v.len() == 106)) {
            Ok(Chain::Monero)
        } else {
            Err(format!("'{v}' looks like a Monero address (4… or 8…) but is not 95 (or 106, integrated) Base58 characters"))
        };
    }
    Err(format!(
        "'{v}' is not a Bitcoin (1…, 3…, bc1…), Monero (4…, 8…) or Ethereum (0x…) address"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitcoin_addresses_are_checked() {
        // the genesis block's address and a P2SH example from BIP 13's era
        assert_eq!(
            classify("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Ok(Chain::Bitcoin)
        );
        assert_eq!(
            classify("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            Ok(Chain::Bitcoin)
        );
        // one character changed: checksum fails
        assert!(classify("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").is_err());
        // BIP 173 / BIP 350 test vectors
        assert_eq!(
            classify("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            Ok(Chain::Bitcoin)
        );
        assert_eq!(
            classify("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"),
            Ok(Chain::Bitcoin)
        );
        assert!(classify("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").is_err());
        assert!(classify("bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").is_err());
    }

    #[test]
    fn monero_and_ethereum_by_format() {
        let xmr = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
        assert_eq!(xmr.len(), 95);
        assert_eq!(classify(xmr), Ok(Chain::Monero));
        assert!(classify(&xmr[..90]).is_err());
        assert_eq!(
            classify("0x52908400098527886E0F7030069857D2E4169EE7"),
            Ok(Chain::Ethereum)
        );
        assert!(classify("0x5290840009852788").is_err());
        assert!(classify("hello").is_err());
        assert!(classify("").is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,120}") {
            let _ = classify(&s);
        }

        #[test]
        fn near_addresses_never_panic(s in "(bc1|1|3|4|8|0x)[a-zA-Z0-9€é]{0,110}") {
            let _ = classify(&s);
        }
    }
}
