//! Looking values up in an indicator store: what `ascribe intel lookup`
//! prints and the server's `GET /api/v1/intel/lookup` returns (one
//! implementation for both).

use ascribe_core::{IntelKind, IntelRecord};
use ascribe_store::{IntelStore, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One record found for a looked-up value.
#[derive(Debug, Clone, Serialize)]
pub struct LookupMatch {
    /// How the record matches: `exact`, `same-file`, `host-of-url`,
    /// `inside-network`, `network-shares-/24`, `same-/24`, `same-/48`,
    /// `same-host`, `same-registrable-domain`, `other`.
    #[serde(rename = "match")]
    pub how: &'static str,
    /// The match key the record was found under.
    pub key: String,
    pub record: IntelRecord,
}

/// What the store knows about one value.
#[derive(Debug, Clone, Serialize)]
pub struct ValueLookup {
    /// The value as given.
    pub value: String,
    pub kind: IntelKind,
    pub norm: String,
    /// The value's match keys, exact first.
    pub keys: Vec<String>,
    /// How many actors the exact value is tied to over all sources.
    pub actors_sharing_value: usize,
    /// Each record once, under the first of the value's keys it carries.
    pub matches: Vec<LookupMatch>,
}

/// The look-up of several values.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Lookup {
    pub results: Vec<ValueLookup>,
    /// Values that are no indicator ascribe knows (IP, network, domain,
    /// URL, e-mail, hash, wallet, JARM).
    pub not_indicators: Vec<String>,
}

/// Look `values` up in `store` (raw values: they are refanged, recognised
/// and normalised; those not recognised are listed in
/// [`Lookup::not_indicators`]).
pub fn lookup<S: IntelStore + ?Sized>(store: &S, values: &[String]) -> Result<Lookup, StoreError> {
    let mut parsed = Vec::new();
    let mut bad = Vec::new();
    for v in values {
        match crate::detect(v) {
            Some((kind, norm)) => {
                let keys = crate::keys(kind, &norm);
                parsed.push((v.clone(), kind, norm, keys));
            }
            None => bad.push(v.clone()),
        }
    }
    if parsed.is_empty() {
        return Ok(Lookup {
            results: Vec::new(),
            not_indicators: bad,
        });
    }
    let all_keys: Vec<String> = parsed.iter().flat_map(|p| p.3.iter().cloned()).collect();
    let hits = store.intel_lookup(&all_keys)?;
    let exact: Vec<String> = parsed.iter().filter_map(|p| p.3.first().cloned()).collect();
    let shared = store.intel_key_actor_counts(&exact)?;
    let mut by_key: BTreeMap<&str, Vec<&IntelRecord>> = BTreeMap::new();
    for (k, r) in &hits {
        by_key.entry(k.as_str()).or_default().push(r);
    }
    let mut results = Vec::new();
    for (value, kind, norm, keys) in parsed {
        let mut seen = HashSet::new();
        let mut matches = Vec::new();
        for k in &keys {
            for r in by_key.get(k.as_str()).into_iter().flatten() {
                let first = r.keys.first().map(String::as_str).unwrap_or("");
                if !seen.insert((r.source.as_str(), first)) {
                    continue;
                }
                matches.push(LookupMatch {
                    how: match_kind(&keys, k, kind, &norm, r),
                    key: k.clone(),
                    record: (*r).clone(),
                });
            }
        }
        let actors_sharing_value = keys
            .first()
            .and_then(|k| shared.get(k))
            .copied()
            .unwrap_or(0);
        results.push(ValueLookup {
            value,
            kind,
            norm,
            keys,
            actors_sharing_value,
            matches,
        });
    }
    Ok(Lookup {
        results,
        not_indicators: bad,
    })
}

/// How a record found by `key` matches the looked-up value (`keys` are the
/// value's keys, exact first).
fn match_kind(
    keys: &[String],
    key: &str,
    kind: IntelKind,
    norm: &str,
    r: &IntelRecord,
) -> &'static str {
    let hash = |k: IntelKind| matches!(k, IntelKind::Md5 | IntelKind::Sha1 | IntelKind::Sha256);
    if keys.first().map(String::as_str) == Some(key) {
        if r.keys.first().map(String::as_str) == Some(key) {
            return "exact";
        }
        if hash(kind) && hash(r.kind) {
            return "same-file";
        }
        return "host-of-url";
    }
    match key.split_once(':').map(|x| x.0) {
        Some("ip24") if r.kind == IntelKind::Cidr => {
            if cidr_contains(&r.norm, norm) {
                "inside-network"
            } else {
                "network-shares-/24"
            }
        }
        Some("ip24") => "same-/24",
        Some("ip48") => "same-/48",
        Some("host") => "same-host",
        Some("regdomain") => "same-registrable-domain",
        _ => "other",
    }
}

fn cidr_contains(net: &str, ip: &str) -> bool {
    let (Some((a, p)), Ok(ip)) = (net.split_once('/'), ip.parse::<std::net::Ipv4Addr>()) else {
        return false;
    };
    let (Ok(a), Ok(p)) = (a.parse::<std::net::Ipv4Addr>(), p.parse::<u32>()) else {
        return false;
    };
    if p > 32 {
        return false;
    }
    let mask = if p == 0 { 0 } else { u32::MAX << (32 - p) };
    u32::from(a) & mask == u32::from(ip) & mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::MemoryIntelStore;

    fn rec(kind: IntelKind, value: &str, actor: &str) -> IntelRecord {
        let mut r = crate::new_record(kind, value, "test:src").unwrap();
        r.actors = vec![actor.to_string()];
        r
    }

    #[test]
    fn exact_neighbour_network_and_not_indicators() {
        let mut s = MemoryIntelStore::new();
        s.put_intel(
            "test",
            &[
                rec(IntelKind::Ipv4, "203.131.222.102", "North Korea"),
                rec(IntelKind::Cidr, "10.1.0.0/16", "X"),
                rec(IntelKind::Url, "http://evil.example.com/a", "Y"),
            ],
        )
        .unwrap();
        let vals: Vec<String> = [
            "203.131.222[.]102",
            "203.131.222.7",
            "10.1.2.3",
            "evil.example.com",
            "198.51.100.7",
            "hello",
        ]
        .map(String::from)
        .to_vec();
        let l = lookup(&s, &vals).unwrap();
        assert_eq!(l.not_indicators, vec!["hello".to_string()]);
        let how = |i: usize| {
            l.results[i]
                .matches
                .iter()
                .map(|m| m.how)
                .collect::<Vec<_>>()
        };
        assert_eq!(how(0), vec!["exact"]);
        assert_eq!(l.results[0].actors_sharing_value, 1);
        assert_eq!(how(1), vec!["same-/24"]);
        assert_eq!(how(2), vec!["inside-network"]);
        assert_eq!(how(3), vec!["same-host"]);
        assert!(how(4).is_empty());
        let j = serde_json::to_value(&l).unwrap();
        assert_eq!(j["results"][0]["matches"][0]["match"], "exact");
        assert_eq!(j["results"][0]["kind"], "ipv4");
    }
}
