//! ascribe threat intelligence: indicator normalisation, the one match-key
//! function, matching with meaning and the shared-service lists.
//!
//! NOTE (branch intel-match): `keys` below is a stand-in written against
//! the contract in plan-wave2 until the importers' crate (branch
//! intel-core) lands; at the merge this file is theirs plus `matching` and
//! `shared`.

pub mod matching;
pub mod memory;
pub mod shared;

use ascribe_core::IntelKind;

/// Match keys of a normalised value: the exact key first, then the derived
/// ones (see `ascribe_core::IntelRecord::keys`).
pub fn keys(kind: IntelKind, norm: &str) -> Vec<String> {
    let mut out = vec![format!("{}:{norm}", kind.as_str())];
    let regdomain = |host: &str, out: &mut Vec<String>| {
        if let Some(d) = psl::domain_str(host) {
            out.push(format!("regdomain:{d}"));
        }
    };
    match kind {
        IntelKind::Ipv4 => {
            if let Ok(ip) = norm.parse::<std::net::Ipv4Addr>() {
                let o = ip.octets();
                out.push(format!("ip24:{}.{}.{}", o[0], o[1], o[2]));
            }
        }
        IntelKind::Ipv6 => {
            if let Ok(ip) = norm.parse::<std::net::Ipv6Addr>() {
                let s = ip.segments();
                out.push(format!("ip48:{:x}:{:x}:{:x}", s[0], s[1], s[2]));
            }
        }
        IntelKind::Cidr => {
            if let Some((std::net::IpAddr::V4(a), len)) = shared::parse_net(norm) {
                if (16..=32).contains(&len) {
                    let base = u32::from(a) & if len == 0 { 0 } else { u32::MAX << (32 - len) };
                    let n = if len >= 24 { 1 } else { 1u32 << (24 - len) };
                    for k in 0..n {
                        let o = std::net::Ipv4Addr::from(base + (k << 8)).octets();
                        out.push(format!("ip24:{}.{}.{}", o[0], o[1], o[2]));
                    }
                }
            }
            out.push(format!("cidr:{norm}"));
        }
        IntelKind::Domain => regdomain(norm, &mut out),
        IntelKind::Url => {
            if let Some(h) = shared::url_host(norm) {
                out.push(format!("host:{h}"));
                regdomain(&h, &mut out);
            }
        }
        IntelKind::Email => {
            if let Some((_, d)) = norm.rsplit_once('@') {
                regdomain(d, &mut out);
            }
        }
        _ => {}
    }
    out
}
