//! Known shared and public services: infrastructure that anyone can use, so
//! an overlap on it says little about who used it.
//!
//! The lists are data files under `crates/intel/data/` (sources, versions
//! and licences in `data/README.md`), compiled into the binary: nothing is
//! fetched at run time. Host names match themselves and their subdomains;
//! addresses match the ranges that contain them. Names under a suffix of
//! the PRIVATE section of the public suffix list (`psl` crate: providers
//! that hand out subdomains to their customers, `*.github.io`,
//! `*.duckdns.org`) count as hosting too.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

/// A category of shared service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceKind {
    /// Dynamic-DNS provider: anyone gets a host name under its domains.
    DynamicDns,
    /// URL shortener: the short link is anyone's.
    UrlShortener,
    /// Free or disposable mail provider.
    FreeMail,
    /// Paste, file-sharing or code-hosting site.
    PasteOrFileSharing,
    /// Cloud, CDN or hosting provider's service domain (or a PRIVATE public
    /// suffix: a provider that gives customers subdomains).
    CloudHosting,
    /// An address in a cloud or CDN provider's published ranges.
    CloudRange,
    /// An address of a VPN provider or a datacentre used by VPN providers.
    VpnRange,
    /// A sinkhole: researchers or authorities took the name over.
    Sinkhole,
}

impl ServiceKind {
    /// Stable text form.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::DynamicDns => "dynamic-dns",
            ServiceKind::UrlShortener => "url-shortener",
            ServiceKind::FreeMail => "free-mail",
            ServiceKind::PasteOrFileSharing => "paste-or-file-sharing",
            ServiceKind::CloudHosting => "cloud-hosting",
            ServiceKind::CloudRange => "cloud-range",
            ServiceKind::VpnRange => "vpn-range",
            ServiceKind::Sinkhole => "sinkhole",
        }
    }

    /// What it means, for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            ServiceKind::DynamicDns => "a dynamic-DNS provider (anyone can get a name under it)",
            ServiceKind::UrlShortener => "a URL shortener",
            ServiceKind::FreeMail => "a free or disposable mail provider",
            ServiceKind::PasteOrFileSharing => "a public paste or file-sharing site",
            ServiceKind::CloudHosting => "a cloud, CDN or hosting provider's shared domain",
            ServiceKind::CloudRange => {
                "a cloud or CDN provider's address range (addresses are reassigned often)"
            }
            ServiceKind::VpnRange => "a VPN provider's or datacentre's address range",
            ServiceKind::Sinkhole => {
                "a sinkhole (the name was taken over by researchers or authorities)"
            }
        }
    }
}

/// A value found on a shared service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedHit {
    pub kind: ServiceKind,
    /// The list entry that matched (a domain, a range) and its provider
    /// when the list names one.
    pub entry: String,
}

/// Networks of one prefix length: masked network → (kind, provider index).
type Prefixes<T> = Vec<(u8, HashMap<T, (ServiceKind, u16)>)>;

/// The compiled lists.
#[derive(Debug, Default)]
pub struct SharedServices {
    hosts: HashMap<String, ServiceKind>,
    /// Per prefix length, network (masked) → (kind, provider index).
    v4: Prefixes<u32>,
    v6: Prefixes<u128>,
    providers: Vec<String>,
    /// Entry counts per list, as loaded (for `intel stats` and the docs).
    pub counts: Vec<(&'static str, usize)>,
}

const DYNAMIC_DNS: &str = include_str!("../data/dynamic-dns.txt");
const URL_SHORTENERS: &str = include_str!("../data/url-shorteners.txt");
const FREE_MAIL: &str = include_str!("../data/free-mail.txt");
const PASTE: &str = include_str!("../data/paste-file-sharing.txt");
const CLOUD_HOSTING: &str = include_str!("../data/cloud-hosting.txt");
const CLOUD_RANGES: &str = include_str!("../data/cloud-ranges.txt");
const VPN_RANGES: &str = include_str!("../data/vpn-ranges.txt");
const SINKHOLES: &str = include_str!("../data/sinkholes.txt");

fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Parse `a.b.c.d/n`, `a.b.c.d`, IPv6 and IPv6/n.
pub fn parse_net(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, len) = match s.split_once('/') {
        Some((ip, len)) => (ip, Some(len.parse::<u8>().ok()?)),
        None => (s, None),
    };
    let ip: IpAddr = ip.trim().parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = len.unwrap_or(max);
    (len <= max).then_some((ip, len))
}

fn mask4(ip: Ipv4Addr, len: u8) -> u32 {
    let v = u32::from(ip);
    if len == 0 {
        0
    } else {
        v & (u32::MAX << (32 - u32::from(len)))
    }
}

fn mask6(ip: Ipv6Addr, len: u8) -> u128 {
    let v = u128::from(ip);
    if len == 0 {
        0
    } else {
        v & (u128::MAX << (128 - u32::from(len)))
    }
}

/// Whether `ip` lies in the network `net` (`a.b.c.d/n` or IPv6).
pub fn net_contains(net: &str, ip: IpAddr) -> bool {
    match (parse_net(net), ip) {
        (Some((IpAddr::V4(n), len)), IpAddr::V4(a)) => mask4(n, len) == mask4(a, len),
        (Some((IpAddr::V6(n), len)), IpAddr::V6(a)) => mask6(n, len) == mask6(a, len),
        _ => false,
    }
}

impl SharedServices {
    /// The lists shipped with ascribe, loaded once.
    pub fn embedded() -> &'static SharedServices {
        static ONCE: OnceLock<SharedServices> = OnceLock::new();
        ONCE.get_or_init(|| {
            let mut s = SharedServices::default();
            // later lists do not override earlier ones: the more specific
            // meaning (a shortener is also on a hosting domain) comes first
            s.add_hosts("url-shorteners", URL_SHORTENERS, ServiceKind::UrlShortener);
            s.add_hosts("paste-file-sharing", PASTE, ServiceKind::PasteOrFileSharing);
            s.add_hosts("free-mail", FREE_MAIL, ServiceKind::FreeMail);
            s.add_hosts("dynamic-dns", DYNAMIC_DNS, ServiceKind::DynamicDns);
            s.add_hosts("cloud-hosting", CLOUD_HOSTING, ServiceKind::CloudHosting);
            s.add_ranges("sinkholes", SINKHOLES, ServiceKind::Sinkhole);
            s.add_ranges("cloud-ranges", CLOUD_RANGES, ServiceKind::CloudRange);
            s.add_ranges("vpn-ranges", VPN_RANGES, ServiceKind::VpnRange);
            s
        })
    }

    fn add_hosts(&mut self, name: &'static str, text: &str, kind: ServiceKind) {
        let mut n = 0;
        for e in entries(text) {
            n += 1;
            self.hosts.entry(e.to_ascii_lowercase()).or_insert(kind);
        }
        self.counts.push((name, n));
    }

    fn add_ranges(&mut self, name: &'static str, text: &str, kind: ServiceKind) {
        let mut n = 0;
        for line in entries(text) {
            let mut parts = line.split('\t');
            let net = parts.next().unwrap_or("");
            let provider = parts.next().unwrap_or(name);
            let Some((ip, len)) = parse_net(net) else {
                continue;
            };
            n += 1;
            let p = match self.providers.iter().position(|x| x == provider) {
                Some(p) => p,
                None => {
                    self.providers.push(provider.to_string());
                    self.providers.len() - 1
                }
            } as u16;
            match ip {
                IpAddr::V4(a) => {
                    let i = match self.v4.iter().position(|x| x.0 == len) {
                        Some(i) => i,
                        None => {
                            self.v4.push((len, HashMap::new()));
                            self.v4.len() - 1
                        }
                    };
                    self.v4[i].1.entry(mask4(a, len)).or_insert((kind, p));
                }
                IpAddr::V6(a) => {
                    let i = match self.v6.iter().position(|x| x.0 == len) {
                        Some(i) => i,
                        None => {
                            self.v6.push((len, HashMap::new()));
                            self.v6.len() - 1
                        }
                    };
                    self.v6[i].1.entry(mask6(a, len)).or_insert((kind, p));
                }
            }
        }
        // most specific range first
        self.v4.sort_by_key(|x| std::cmp::Reverse(x.0));
        self.v6.sort_by_key(|x| std::cmp::Reverse(x.0));
        self.counts.push((name, n));
    }

    /// The shared service a host name is on (itself or a parent domain in
    /// a list, or a PRIVATE public suffix).
    pub fn host(&self, host: &str) -> Option<SharedHit> {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        let mut h = host.as_str();
        loop {
            if let Some(&kind) = self.hosts.get(h) {
                return Some(SharedHit {
                    kind,
                    entry: h.to_string(),
                });
            }
            match h.split_once('.') {
                Some((_, rest)) if rest.contains('.') => h = rest,
                _ => break,
            }
        }
        let suffix = psl::suffix(host.as_bytes())?;
        if suffix.typ() == Some(psl::Type::Private) && suffix.is_known() {
            return Some(SharedHit {
                kind: ServiceKind::CloudHosting,
                entry: format!(
                    "{} (public suffix list, private section)",
                    String::from_utf8_lossy(suffix.as_bytes())
                ),
            });
        }
        None
    }

    /// The shared range an address is in.
    pub fn ip(&self, ip: IpAddr) -> Option<SharedHit> {
        let found = match ip {
            IpAddr::V4(a) => self
                .v4
                .iter()
                .find_map(|(len, m)| m.get(&mask4(a, *len)).map(|x| (*len, *x))),
            IpAddr::V6(a) => self
                .v6
                .iter()
                .find_map(|(len, m)| m.get(&mask6(a, *len)).map(|x| (*len, *x))),
        };
        let (len, (kind, p)) = found?;
        let net = match ip {
            IpAddr::V4(a) => format!("{}/{len}", Ipv4Addr::from(mask4(a, len))),
            IpAddr::V6(a) => format!("{}/{len}", Ipv6Addr::from(mask6(a, len))),
        };
        Some(SharedHit {
            kind,
            entry: format!("{net} ({})", self.providers[p as usize]),
        })
    }

    /// The shared service of an indicator value by its kind's text form
    /// (`ipv4`, `domain`, `url`, `email`...); `None` for hashes and for
    /// values on no list.
    pub fn classify(&self, kind: ascribe_core::IntelKind, norm: &str) -> Option<SharedHit> {
        use ascribe_core::IntelKind as K;
        match kind {
            K::Ipv4 | K::Ipv6 => self.ip(norm.parse().ok()?),
            K::Cidr => self.ip(parse_net(norm)?.0),
            K::Domain => self.host(norm),
            K::Url => self.host(&url_host(norm)?),
            K::Email => self.host(norm.rsplit_once('@')?.1),
            _ => None,
        }
    }
}

/// The host of a URL (lower-case, without port or credentials).
pub fn url_host(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, r)) => r,
        None => url,
    };
    let auth = rest.split(['/', '?', '#']).next()?;
    let auth = auth.rsplit_once('@').map(|x| x.1).unwrap_or(auth);
    let host = if let Some(v6) = auth.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        auth.split(':').next()?
    };
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::IntelKind;

    #[test]
    fn lists_load_with_their_counts() {
        let s = SharedServices::embedded();
        let count = |n: &str| s.counts.iter().find(|c| c.0 == n).unwrap().1;
        assert!(count("dynamic-dns") > 30_000);
        assert!(count("url-shorteners") > 200);
        assert!(count("free-mail") > 10_000);
        assert!(count("cloud-ranges") > 7_000);
        assert!(count("sinkholes") > 100);
    }

    #[test]
    fn hosts_match_themselves_and_subdomains() {
        let s = SharedServices::embedded();
        assert_eq!(s.host("bit.ly").unwrap().kind, ServiceKind::UrlShortener);
        assert_eq!(
            s.host("pastebin.com").unwrap().kind,
            ServiceKind::PasteOrFileSharing
        );
        assert_eq!(
            s.host("evil.duckdns.org").unwrap().kind,
            ServiceKind::DynamicDns
        );
        assert_eq!(
            s.classify(IntelKind::Email, "someone@gmail.com")
                .unwrap()
                .kind,
            ServiceKind::FreeMail
        );
        // a customer's name under a private public suffix
        let h = s.host("someone.blogspot.com").unwrap();
        assert_eq!(h.kind, ServiceKind::CloudHosting);
        // an ordinary registered domain is no shared service
        assert_eq!(s.host("eset.com"), None);
        assert_eq!(s.host("com"), None);
    }

    #[test]
    fn addresses_match_their_ranges() {
        let s = SharedServices::embedded();
        // Cloudflare's published 104.16.0.0/13
        let h = s.ip("104.16.1.1".parse().unwrap()).unwrap();
        assert_eq!(h.kind, ServiceKind::CloudRange);
        assert!(h.entry.contains("cloudflare"), "{}", h.entry);
        // a documented sinkhole address of the list
        assert_eq!(
            s.ip("104.155.11.149".parse().unwrap()).unwrap().kind,
            ServiceKind::Sinkhole
        );
        // documentation range: on no list
        assert_eq!(s.ip("192.0.2.1".parse().unwrap()), None);
    }

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host("https://user@Example.COM:8443/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            url_host("http://[2001:db8::1]/x").as_deref(),
            Some("2001:db8::1")
        );
        assert!(net_contains("10.0.0.0/8", "10.1.2.3".parse().unwrap()));
        assert!(!net_contains("10.0.0.0/8", "11.1.2.3".parse().unwrap()));
        assert!(!net_contains("garbage", "11.1.2.3".parse().unwrap()));
    }
}
