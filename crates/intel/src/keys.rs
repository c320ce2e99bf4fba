//! Normalisation, kind detection and the one match-key function.
//!
//! Every indicator — imported from a feed or found in a case — is matched
//! through [`keys`]: importers store a record's keys, case extractors compute
//! the keys of what they found, and the store looks records up by key. The
//! first key is always the exact key `"<kind>:<norm>"`; the others are
//! derived (same /24, registrable domain, host of a URL, /24s of a network).

use ascribe_core::IntelKind;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest value accepted (a URL can be long; nothing legitimate is longer).
pub const MAX_VALUE_BYTES: usize = 8192;

/// Broadest IPv4 network expanded into `ip24:` keys (a /16 = 256 keys).
pub const MIN_CIDR4_PREFIX_FOR_KEYS: u8 = 16;
/// Broadest IPv6 network expanded into `ip48:` keys (a /40 = 256 keys).
pub const MIN_CIDR6_PREFIX_FOR_KEYS: u8 = 40;

/// Why a value is not a valid indicator of the given kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {kind} indicator ({reason}): {value:?}")]
pub struct InvalidValue {
    /// The kind asked for (`IntelKind::as_str`).
    pub kind: &'static str,
    /// The value, clipped to 80 characters.
    pub value: String,
    /// What is wrong.
    pub reason: &'static str,
}

fn invalid(kind: IntelKind, value: &str, reason: &'static str) -> InvalidValue {
    InvalidValue {
        kind: kind.as_str(),
        value: value.chars().take(80).collect(),
        reason,
    }
}

/// Undo the usual defang styles (`hxxp://`, `evil[.]com`, `a(.)b`, `[at]`)
/// and trim whitespace, brackets and quotes around the value.
pub fn refang(value: &str) -> String {
    let r = ascribe_text::refang::refang(value.trim());
    let t: &str = &r.text;
    t.trim()
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '<' || c == '>')
        .trim()
        .to_string()
}

/// The normalised form of `value` as an indicator of `kind`: refanged,
/// lower-case host names and hex, canonical IP text, networks masked to
/// their network address. Errors say why the value is not of that kind.
pub fn normalize(kind: IntelKind, value: &str) -> Result<String, InvalidValue> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(invalid(kind, value, "longer than 8 KiB"));
    }
    let v = refang(value);
    if v.is_empty() {
        return Err(invalid(kind, value, "empty"));
    }
    match kind {
        IntelKind::Ipv4 => v
            .parse::<Ipv4Addr>()
            .map(|a| a.to_string())
            .map_err(|_| invalid(kind, value, "not a dotted-quad IPv4 address")),
        IntelKind::Ipv6 => {
            let a = v
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<Ipv6Addr>()
                .map_err(|_| invalid(kind, value, "not an IPv6 address"))?;
            Ok(a.to_string())
        }
        IntelKind::Cidr => parse_cidr(&v)
            .map(|c| c.to_string())
            .ok_or_else(|| invalid(kind, value, "not an address/prefix network")),
        IntelKind::Domain => {
            norm_domain(&v).ok_or_else(|| invalid(kind, value, "not a domain with a known suffix"))
        }
        IntelKind::Url => norm_url(&v).ok_or_else(|| invalid(kind, value, "not a URL with a host")),
        IntelKind::Email => {
            norm_email(&v).ok_or_else(|| invalid(kind, value, "not an e-mail address"))
        }
        IntelKind::Md5 | IntelKind::Ja3 => {
            hex_of_len(&v, &[32]).ok_or_else(|| invalid(kind, value, "not 32 hexadecimal digits"))
        }
        IntelKind::Sha1 => {
            hex_of_len(&v, &[40]).ok_or_else(|| invalid(kind, value, "not 40 hexadecimal digits"))
        }
        IntelKind::Sha256 => {
            hex_of_len(&v, &[64]).ok_or_else(|| invalid(kind, value, "not 64 hexadecimal digits"))
        }
        IntelKind::Jarm => {
            hex_of_len(&v, &[62]).ok_or_else(|| invalid(kind, value, "not 62 hexadecimal digits"))
        }
        IntelKind::X509 => {
            let h: String = v.chars().filter(|c| *c != ':' && *c != ' ').collect();
            hex_of_len(&h, &[32, 40, 64]).ok_or_else(|| {
                invalid(
                    kind,
                    value,
                    "not an MD5, SHA-1 or SHA-256 fingerprint in hexadecimal",
                )
            })
        }
        IntelKind::Wallet => norm_wallet(&v)
            .ok_or_else(|| invalid(kind, value, "not a Bitcoin, Monero or Ethereum address")),
        IntelKind::Filename => {
            if v.len() > 1024 || v.contains(['\0', '\n', '\r']) {
                Err(invalid(kind, value, "not a file name"))
            } else {
                Ok(v.to_lowercase())
            }
        }
    }
}

/// The match keys of a normalised indicator: the exact key
/// `"<kind>:<norm>"` first, then the derived keys:
///
/// - IPv4: `ip24:a.b.c`; IPv6: `ip48:<first three hextets>`;
/// - network: `ip24:` for each /24 it covers (none when broader than /16;
///   IPv6: `ip48:` for each /48, none when broader than /40);
/// - domain: `host:<fqdn>`, `regdomain:<registrable domain>`;
/// - URL: `host:<fqdn>` and `regdomain:` (or, for an IP host, the address's
///   exact key and its `ip24:`/`ip48:`);
/// - e-mail: `regdomain:` of its domain.
///
/// Grouping the hashes of one file (`md5`/`sha1`/`sha256` of the same file)
/// is the importer's job: it adds the other hashes' exact keys to a record.
/// `norm` must come from [`normalize`]; other input yields the exact key only.
pub fn keys(kind: IntelKind, norm: &str) -> Vec<String> {
    let mut out = vec![exact_key(kind, norm)];
    match kind {
        IntelKind::Ipv4 => {
            if let Ok(a) = norm.parse::<Ipv4Addr>() {
                out.push(ip24(a));
            }
        }
        IntelKind::Ipv6 => {
            if let Ok(a) = norm.parse::<Ipv6Addr>() {
                out.push(ip48(a));
            }
        }
        IntelKind::Cidr => {
            if let Some(c) = parse_cidr(norm) {
                c.push_keys(&mut out);
            }
        }
        IntelKind::Domain => push_host_keys(norm, &mut out),
        IntelKind::Url => {
            if let Some(h) = url_host(norm) {
                push_url_host_keys(&h, &mut out);
            }
        }
        IntelKind::Email => {
            if let Some((_, d)) = norm.rsplit_once('@') {
                if let Some(r) = registrable(d) {
                    out.push(format!("regdomain:{r}"));
                }
            }
        }
        _ => {}
    }
    out
}

/// The exact key of a normalised value.
pub fn exact_key(kind: IntelKind, norm: &str) -> String {
    format!("{}:{norm}", kind.as_str())
}

fn push_url_host_keys(h: &str, out: &mut Vec<String>) {
    if let Ok(a) = h.parse::<Ipv4Addr>() {
        out.push(exact_key(IntelKind::Ipv4, &a.to_string()));
        out.push(ip24(a));
    } else if let Ok(a) = h
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<Ipv6Addr>()
    {
        out.push(exact_key(IntelKind::Ipv6, &a.to_string()));
        out.push(ip48(a));
    } else {
        push_host_keys(h, out);
    }
}

fn push_host_keys(host: &str, out: &mut Vec<String>) {
    out.push(format!("host:{host}"));
    if let Some(r) = registrable(host) {
        out.push(format!("regdomain:{r}"));
    }
}

fn ip24(a: Ipv4Addr) -> String {
    let o = a.octets();
    format!("ip24:{}.{}.{}", o[0], o[1], o[2])
}

fn ip48(a: Ipv6Addr) -> String {
    let s = a.segments();
    format!("ip48:{:x}:{:x}:{:x}", s[0], s[1], s[2])
}

/// The registrable domain of a host name (public suffix list), lower case.
pub fn registrable(host: &str) -> Option<String> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    match psl::suffix(h.as_bytes()) {
        Some(s) if s.is_known() => {}
        _ => return None,
    }
    psl::domain(h.as_bytes()).and_then(|d| std::str::from_utf8(d.as_bytes()).ok().map(String::from))
}

/// An IP network with its address masked to the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cidr {
    V4(Ipv4Addr, u8),
    V6(Ipv6Addr, u8),
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cidr::V4(a, p) => write!(f, "{a}/{p}"),
            Cidr::V6(a, p) => write!(f, "{a}/{p}"),
        }
    }
}

impl Cidr {
    fn push_keys(&self, out: &mut Vec<String>) {
        match *self {
            Cidr::V4(a, p) => {
                if p < MIN_CIDR4_PREFIX_FOR_KEYS {
                    return;
                }
                let base = u32::from(a) >> 8;
                let n = if p >= 24 { 1 } else { 1u32 << (24 - p) };
                for i in 0..n {
                    out.push(ip24(Ipv4Addr::from((base + i) << 8)));
                }
            }
            Cidr::V6(a, p) => {
                if p < MIN_CIDR6_PREFIX_FOR_KEYS {
                    return;
                }
                let base = u128::from(a) >> 80;
                let n = if p >= 48 { 1 } else { 1u128 << (48 - p) };
                for i in 0..n {
                    out.push(ip48(Ipv6Addr::from((base + i) << 80)));
                }
            }
        }
    }
}

fn parse_cidr(v: &str) -> Option<Cidr> {
    let (a, p) = v.split_once('/')?;
    if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let p: u8 = p.parse().ok()?;
    if let Ok(a) = a.parse::<Ipv4Addr>() {
        if p > 32 {
            return None;
        }
        let mask = if p == 0 { 0 } else { u32::MAX << (32 - p) };
        return Some(Cidr::V4(Ipv4Addr::from(u32::from(a) & mask), p));
    }
    let a = a
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<Ipv6Addr>()
        .ok()?;
    if p > 128 {
        return None;
    }
    let mask = if p == 0 { 0 } else { u128::MAX << (128 - p) };
    Some(Cidr::V6(Ipv6Addr::from(u128::from(a) & mask), p))
}

fn hex_of_len(v: &str, lens: &[usize]) -> Option<String> {
    let v = v.trim();
    if lens.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(v.to_ascii_lowercase())
    } else {
        None
    }
}

fn norm_domain(v: &str) -> Option<String> {
    let h = v.trim_end_matches('.').to_lowercase();
    if h.len() > 253 || !h.contains('.') {
        return None;
    }
    for label in h.split('.') {
        if label.is_empty()
            || label.len() > 63
            || label.starts_with('-')
            || !label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return None;
        }
    }
    // A wildcard or a bare suffix ("co.uk") is not a domain indicator.
    registrable(&h)?;
    Some(h)
}

fn norm_email(v: &str) -> Option<String> {
    let v = v.trim_start_matches("mailto:");
    let (local, domain) = v.rsplit_once('@')?;
    if local.is_empty() || local.len() > 64 || local.contains([' ', '<', '>', '@', '\t']) {
        return None;
    }
    let d = norm_domain(domain)?;
    Some(format!("{}@{d}", local.to_lowercase()))
}

/// Split a URL into (scheme, authority, rest); the scheme is required.
fn split_url(v: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = v.split_once("://")?;
    if scheme.is_empty()
        || scheme.len() > 16
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((scheme, &rest[..end], &rest[end..]))
}

/// Host of an authority: user info and port dropped, lower case.
fn authority_host(auth: &str) -> Option<String> {
    let a = auth.rsplit_once('@').map(|(_, h)| h).unwrap_or(auth);
    let host = if let Some(stripped) = a.strip_prefix('[') {
        let end = stripped.find(']')?;
        let h = &stripped[..end];
        h.parse::<Ipv6Addr>().ok()?.to_string()
    } else {
        let h = match a.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            Some(_) => return None,
            None => a,
        };
        h.trim_end_matches('.').to_lowercase()
    };
    if host.is_empty() {
        return None;
    }
    Some(host)
}

fn norm_url(v: &str) -> Option<String> {
    let (scheme, auth, rest) = split_url(v)?;
    let host = authority_host(auth)?;
    let host_ok = host.parse::<Ipv4Addr>().is_ok()
        || host.parse::<Ipv6Addr>().is_ok()
        || norm_domain(&host).is_some()
        || (!host.contains('.') && host.chars().all(|c| c.is_alphanumeric() || c == '-'));
    if !host_ok {
        return None;
    }
    let a = auth.rsplit_once('@').map(|(_, h)| h).unwrap_or(auth);
    let port = if a.starts_with('[') {
        a.rsplit_once("]:").map(|(_, p)| p)
    } else {
        a.rsplit_once(':').map(|(_, p)| p)
    };
    let scheme = scheme.to_ascii_lowercase();
    let port = match (scheme.as_str(), port) {
        (_, None) | ("http", Some("80")) | ("https", Some("443")) => String::new(),
        (_, Some(p)) => format!(":{p}"),
    };
    let host_txt = if host.parse::<Ipv6Addr>().is_ok() {
        format!("[{host}]")
    } else {
        host
    };
    let rest = if rest.is_empty() { "/" } else { rest };
    Some(format!("{scheme}://{host_txt}{port}{rest}"))
}

/// The host of a normalised URL (IPv6 without brackets).
pub fn url_host(norm: &str) -> Option<String> {
    let (_, auth, _) = split_url(norm)?;
    authority_host(auth)
}

fn norm_wallet(v: &str) -> Option<String> {
    let b = v.as_bytes();
    let base58 = |s: &[u8]| {
        s.iter()
            .all(|c| c.is_ascii_alphanumeric() && !matches!(c, b'0' | b'O' | b'I' | b'l'))
    };
    let lower = v.to_ascii_lowercase();
    // Bitcoin Cash CashAddr, with or without its prefix
    let cash = lower.strip_prefix("bitcoincash:").unwrap_or(&lower);
    if cash.len() == 42
        && (cash.starts_with('q') || cash.starts_with('p'))
        && cash.bytes().all(|c| c.is_ascii_alphanumeric())
        && (v == lower || v == v.to_ascii_uppercase())
    {
        return Some(cash.to_string());
    }
    if (lower.starts_with("bc1") || lower.starts_with("ltc1"))
        && (14..=90).contains(&v.len())
        && lower.bytes().all(|c| c.is_ascii_alphanumeric())
        && (v == lower || v == v.to_ascii_uppercase())
    {
        return Some(lower);
    }
    if (b.len() == 42)
        && lower.starts_with("0x")
        && lower[2..].bytes().all(|c| c.is_ascii_hexdigit())
    {
        return Some(lower);
    }
    if (26..=35).contains(&b.len())
        && matches!(b[0], b'1' | b'3' | b'L' | b'M' | b'D' | b'X')
        && base58(b)
    {
        return Some(v.to_string());
    }
    if (b.len() == 95 || b.len() == 106) && matches!(b[0], b'4' | b'8') && base58(b) {
        return Some(v.to_string());
    }
    None
}

/// Recognise the kind of a raw value (refanged first) and normalise it.
/// Hex strings go by length (32 → MD5, 40 → SHA-1, 64 → SHA-256, 62 →
/// JARM); a JA3 or X.509 fingerprint cannot be told from a hash by its text
/// and is reported as the hash. `None` when the value is none of the kinds.
pub fn detect(value: &str) -> Option<(IntelKind, String)> {
    if value.len() > MAX_VALUE_BYTES {
        return None;
    }
    let v = refang(value);
    if v.is_empty() {
        return None;
    }
    let try_kind = |k: IntelKind| normalize(k, &v).ok().map(|n| (k, n));
    if v.contains("://") {
        return try_kind(IntelKind::Url);
    }
    if v.contains('/') {
        return try_kind(IntelKind::Cidr);
    }
    if v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return match v.len() {
            32 => try_kind(IntelKind::Md5),
            40 => try_kind(IntelKind::Sha1),
            64 => try_kind(IntelKind::Sha256),
            62 => try_kind(IntelKind::Jarm),
            _ => None,
        };
    }
    if v.contains('@') {
        return try_kind(IntelKind::Email);
    }
    // an address with a port: `1.2.3.4:443`, `[2001:db8::1]:443`
    let without_port = |v: &str| -> Option<String> {
        if let Some(rest) = v.strip_prefix('[') {
            let (a, p) = rest.split_once("]:")?;
            return p.bytes().all(|b| b.is_ascii_digit()).then(|| a.to_string());
        }
        let (a, p) = v.rsplit_once(':')?;
        (a.contains('.') && !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| a.to_string())
    };
    try_kind(IntelKind::Ipv4)
        .or_else(|| try_kind(IntelKind::Ipv6))
        .or_else(|| {
            let a = without_port(&v)?;
            [IntelKind::Ipv4, IntelKind::Ipv6]
                .into_iter()
                .find_map(|k| normalize(k, &a).ok().map(|n| (k, n)))
        })
        .or_else(|| try_kind(IntelKind::Wallet))
        .or_else(|| try_kind(IntelKind::Domain))
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntelKind::*;

    fn k(kind: IntelKind, v: &str) -> Vec<String> {
        keys(kind, &normalize(kind, v).unwrap())
    }

    #[test]
    fn ip_keys_are_exact_then_prefix() {
        assert_eq!(
            k(Ipv4, " 203.0.113[.]7 "),
            ["ipv4:203.0.113.7", "ip24:203.0.113"]
        );
        assert!(normalize(Ipv4, "203.0.113.256").is_err());
        assert!(normalize(Ipv4, "01.2.3.4").is_err());
        assert_eq!(
            k(Ipv6, "2001:DB8:0:1::1"),
            ["ipv6:2001:db8:0:1::1", "ip48:2001:db8:0"]
        );
    }

    #[test]
    fn cidr_expands_to_its_24s_up_to_a_16() {
        let ks = k(Cidr, "10.1.2.3/23");
        assert_eq!(ks, ["cidr:10.1.2.0/23", "ip24:10.1.2", "ip24:10.1.3"]);
        assert_eq!(k(Cidr, "10.1.0.0/16").len(), 257);
        assert_eq!(k(Cidr, "10.0.0.0/8"), ["cidr:10.0.0.0/8"]);
        assert_eq!(k(Cidr, "10.1.2.3/30"), ["cidr:10.1.2.0/30", "ip24:10.1.2"]);
        assert_eq!(k(Cidr, "2001:db8::/47").len(), 3);
        assert!(normalize(Cidr, "10.0.0.0/33").is_err());
    }

    #[test]
    fn hosts_get_registrable_domains() {
        assert_eq!(
            k(Domain, "WWW.Evil.co.uk."),
            [
                "domain:www.evil.co.uk",
                "host:www.evil.co.uk",
                "regdomain:evil.co.uk"
            ]
        );
        assert!(normalize(Domain, "co.uk").is_err());
        assert!(normalize(Domain, "foo.notatld").is_err());
        assert_eq!(
            k(Url, "hxxps://Mail.Evil.com:443/a?b=1"),
            [
                "url:https://mail.evil.com/a?b=1",
                "host:mail.evil.com",
                "regdomain:evil.com"
            ]
        );
        assert_eq!(
            k(Url, "http://198.51.100.9:8080"),
            [
                "url:http://198.51.100.9:8080/",
                "ipv4:198.51.100.9",
                "ip24:198.51.100"
            ]
        );
        assert_eq!(
            k(Email, "Bob@Mail.Evil.com"),
            ["email:bob@mail.evil.com", "regdomain:evil.com"]
        );
    }

    #[test]
    fn hashes_and_fingerprints() {
        let md5 = "D41D8CD98F00B204E9800998ECF8427E";
        assert_eq!(k(Md5, md5), [format!("md5:{}", md5.to_lowercase())]);
        assert!(normalize(Sha1, md5).is_err());
        assert_eq!(
            normalize(
                X509,
                "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"
            )
            .unwrap(),
            "abcdef0123456789abcdef0123456789abcdef01"
        );
    }

    #[test]
    fn detection_by_form() {
        assert_eq!(detect("1.2.3.4").unwrap().0, Ipv4);
        assert_eq!(detect("evil[.]com").unwrap(), (Domain, "evil.com".into()));
        assert_eq!(detect("hxxp://evil.com/x").unwrap().0, Url);
        assert_eq!(detect("10.0.0.0/24").unwrap().0, Cidr);
        assert_eq!(detect("a@b.com").unwrap().0, Email);
        assert_eq!(detect(&"a".repeat(64)).unwrap().0, Sha256);
        assert_eq!(
            detect("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2").unwrap().0,
            Wallet
        );
        assert_eq!(
            detect("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
                .unwrap()
                .0,
            Wallet
        );
        assert_eq!(detect("::1").unwrap().0, Ipv6);
        assert_eq!(detect("1.2.3.4:443").unwrap(), (Ipv4, "1.2.3.4".into()));
        assert_eq!(
            detect("[2001:db8::1]:8443").unwrap(),
            (Ipv6, "2001:db8::1".into())
        );
        assert!(detect("1.2.3.4:99999x").is_none());
        assert_eq!(
            detect("bitcoincash:qph3s8p27pfg2lxgpzqmdel25tsmlryatyhxwzx3x5").unwrap(),
            (Wallet, "qph3s8p27pfg2lxgpzqmdel25tsmlryatyhxwzx3x5".into())
        );
        assert!(detect("hello").is_none());
        assert!(detect("1.2.3").is_none());
        assert!(detect("").is_none());
    }

    #[test]
    fn keys_of_unnormalised_input_are_only_the_exact_key() {
        assert_eq!(keys(Ipv4, "nonsense"), ["ipv4:nonsense"]);
        assert_eq!(keys(Url, "nonsense"), ["url:nonsense"]);
    }
}
