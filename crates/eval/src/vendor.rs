//! Leave-one-vendor-out: who published a citation, and the case set that
//! removes one publisher's every citation from the knowledge base.
//!
//! # The publisher rule
//!
//! A citation (ATT&CK external reference: a `source_name` and usually a
//! URL) belongs to **every** publisher that either of these names:
//!
//! 1. **the URL**: an archived URL (`web.archive.org/web/<ts>/<url>`) is
//!    replaced by the URL it archives; the host's registrable domain is its
//!    last two labels, or three when the second-level label is one of
//!    [`SECOND_LEVEL`] under a two-letter country code (`pwc.co.uk`,
//!    `jpcert.or.jp`). On hosting services where the account, not the
//!    domain, is the publisher (GitHub, GitHub Pages, Medium, WordPress,
//!    S3) the key is the account (`github.com/eset`, `pan-unit42.github.io`).
//!    The key then goes through [`ALIASES`] (rebrands, acquisitions and a
//!    vendor's several sites: `fireeye.com`, `mandiant.com` and Google's
//!    threat-intelligence pages are one publisher);
//! 2. **the name**: a word of `source_name` from [`NAME_KEYWORDS`]
//!    (`"Unit 42 …"`, `"Securelist …"`, `"MSTIC …"`).
//!
//! When the two disagree (the Check Point report hosted on Kaspersky's
//! content server), the citation counts for both: a holdout of either then
//! removes it, which can only make the holdout stricter. Publishers that
//! are in neither table are still found, by their registrable domain.

use crate::cases::{Bundle, CaseSpec, Set};
use ascribe_core::{Citation, KbFacts};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A publisher must have at least this many distinct cited reports on the
/// knowledge base's links to get a holdout.
pub const MIN_PUBLISHER_REPORTS: usize = 20;

/// Second-level labels under a country code that are not registrable.
pub const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "or", "ac", "gov", "go", "ne", "net", "edu", "gouv", "admin",
];

/// Registrable domains (or hosting accounts) → publisher.
pub const ALIASES: &[(&str, &str)] = &[
    ("fireeye.com", "Mandiant"),
    ("mandiant.com", "Mandiant"),
    ("isightpartners.com", "Mandiant"),
    ("google.com", "Mandiant"),
    ("blog.google", "Mandiant"),
    ("github.com/fireeye", "Mandiant"),
    ("github.com/mandiant", "Mandiant"),
    ("kaspersky.com", "Kaspersky"),
    ("securelist.com", "Kaspersky"),
    ("securelist.ru", "Kaspersky"),
    ("kasperskycontenthub.com", "Kaspersky"),
    ("kaspersky.co.uk", "Kaspersky"),
    ("paloaltonetworks.com", "Palo Alto Networks"),
    ("pan-unit42.github.io", "Palo Alto Networks"),
    ("github.com/paloaltonetworks", "Palo Alto Networks"),
    ("eset.com", "ESET"),
    ("welivesecurity.com", "ESET"),
    ("github.com/eset", "ESET"),
    ("symantec.com", "Symantec"),
    ("security.com", "Symantec"),
    ("broadcom.com", "Symantec"),
    ("microsoft.com", "Microsoft"),
    ("technet.com", "Microsoft"),
    ("msdn.com", "Microsoft"),
    ("github.com/microsoft", "Microsoft"),
    ("crowdstrike.com", "CrowdStrike"),
    ("trendmicro.com", "Trend Micro"),
    ("trendmicro.co.jp", "Trend Micro"),
    ("talosintelligence.com", "Cisco Talos"),
    ("cisco.com", "Cisco Talos"),
    ("talos-intelligence-site.s3.amazonaws.com", "Cisco Talos"),
    ("secureworks.com", "Secureworks"),
    ("proofpoint.com", "Proofpoint"),
    ("cisa.gov", "CISA"),
    ("us-cert.gov", "CISA"),
    ("mcafee.com", "Trellix"),
    ("trellix.com", "Trellix"),
    ("checkpoint.com", "Check Point"),
    ("sentinelone.com", "SentinelOne"),
    ("f-secure.com", "WithSecure"),
    ("withsecure.com", "WithSecure"),
    ("clearskysec.com", "ClearSky"),
    ("cybereason.com", "Cybereason"),
    ("malwarebytes.com", "Malwarebytes"),
    ("pwc.co.uk", "PwC"),
    ("pwc.com", "PwC"),
    ("recordedfuture.com", "Recorded Future"),
    ("group-ib.com", "Group-IB"),
    ("group-ib.ru", "Group-IB"),
];

/// Words of a citation's `source_name` → publisher (matched on whole
/// words, case-insensitively; multi-word keys as a word sequence).
pub const NAME_KEYWORDS: &[(&str, &str)] = &[
    ("fireeye", "Mandiant"),
    ("mandiant", "Mandiant"),
    ("isight", "Mandiant"),
    ("kaspersky", "Kaspersky"),
    ("securelist", "Kaspersky"),
    ("unit 42", "Palo Alto Networks"),
    ("unit42", "Palo Alto Networks"),
    ("palo alto", "Palo Alto Networks"),
    ("paloalto", "Palo Alto Networks"),
    ("eset", "ESET"),
    ("welivesecurity", "ESET"),
    ("symantec", "Symantec"),
    ("microsoft", "Microsoft"),
    ("mstic", "Microsoft"),
    ("msrc", "Microsoft"),
    ("crowdstrike", "CrowdStrike"),
    ("trend micro", "Trend Micro"),
    ("trendmicro", "Trend Micro"),
    ("talos", "Cisco Talos"),
    ("secureworks", "Secureworks"),
    ("proofpoint", "Proofpoint"),
    ("us-cert", "CISA"),
    ("cisa", "CISA"),
    ("mcafee", "Trellix"),
    ("trellix", "Trellix"),
    ("checkpoint", "Check Point"),
    ("check point", "Check Point"),
    ("sentinelone", "SentinelOne"),
    ("sentinellabs", "SentinelOne"),
    ("f-secure", "WithSecure"),
    ("withsecure", "WithSecure"),
    ("clearsky", "ClearSky"),
    ("cybereason", "Cybereason"),
    ("malwarebytes", "Malwarebytes"),
    ("pwc", "PwC"),
    ("recorded future", "Recorded Future"),
    ("group-ib", "Group-IB"),
    ("group ib", "Group-IB"),
];

/// Hosts where the first path segment (or the subdomain) is the publisher.
const HOSTING: &[&str] = &[
    "github.com",
    "github.io",
    "medium.com",
    "wordpress.com",
    "amazonaws.com",
    "x.com",
    "twitter.com",
    "blogspot.com",
];

/// The URL an archive URL stands for (or the URL itself).
fn unarchive(url: &str) -> &str {
    let mut u = url.trim();
    loop {
        let lower = u.to_ascii_lowercase();
        let Some(i) = lower.find("web.archive.org/web/") else {
            return u;
        };
        let rest = &u[i + "web.archive.org/web/".len()..];
        // skip the timestamp (digits, maybe with a suffix such as "id_")
        let Some(j) = rest.find('/') else { return u };
        let inner = &rest[j + 1..];
        if inner.is_empty() {
            return u;
        }
        u = inner;
    }
}

/// Host and path of a URL (scheme optional, "http:/x" tolerated).
fn host_path(url: &str) -> Option<(String, String)> {
    let u = unarchive(url);
    let rest = match u.find(':') {
        Some(i) if u[..i].chars().all(|c| c.is_ascii_alphabetic()) => {
            u[i + 1..].trim_start_matches('/')
        }
        _ => u.trim_start_matches('/'),
    };
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    Some((host, path.to_string()))
}

/// The registrable domain of a host (see the module documentation).
pub fn registrable_domain(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n <= 2 {
        return labels.join(".");
    }
    let take = if labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n - take.min(n)..].join(".")
}

/// The publisher key of a URL: an alias, or the registrable domain (the
/// account on hosting services).
pub fn url_publisher(url: &str) -> Option<String> {
    let (host, path) = host_path(url)?;
    let dom = registrable_domain(&host);
    let mut keys = Vec::new();
    if HOSTING.contains(&dom.as_str()) {
        if host != dom && !host.starts_with("www.") && !host.starts_with("s3") {
            // account.github.io, account.medium.com, bucket.s3.amazonaws.com
            keys.push(host.clone());
            keys.push(format!("{}.{dom}", host.split('.').next().unwrap_or("")));
        }
        let first = path
            .trim_start_matches('/')
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches('@')
            .to_ascii_lowercase();
        if !first.is_empty() {
            keys.push(format!("{dom}/{first}"));
        }
    }
    keys.push(dom.clone());
    for k in &keys {
        if let Some((_, p)) = ALIASES.iter().find(|(d, _)| d == k) {
            return Some((*p).to_string());
        }
    }
    Some(keys.into_iter().next().unwrap_or(dom))
}

/// Publishers named by words of a citation name.
pub fn name_publishers(source_name: &str) -> Vec<&'static str> {
    let words: Vec<String> = source_name
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut out: Vec<&'static str> = Vec::new();
    for (k, p) in NAME_KEYWORDS {
        let kw: Vec<&str> = k.split(' ').collect();
        let hit = words
            .windows(kw.len())
            .any(|w| w.iter().zip(&kw).all(|(a, b)| a == b))
            // "Unit42Report", "FireEyeAPT": the key glued to the next word
            || (kw.len() == 1 && k.len() >= 6 && words.iter().any(|w| w.starts_with(k)));
        if hit && !out.contains(p) {
            out.push(p);
        }
    }
    out
}

/// Every publisher of a citation (the union of the URL's and the name's).
pub fn publishers(source_name: &str, url: Option<&str>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = name_publishers(source_name)
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(p) = url.and_then(url_publisher) {
        out.insert(p);
    }
    out
}

/// Publishers of a citation.
pub fn citation_publishers(c: &Citation) -> BTreeSet<String> {
    publishers(&c.source_name, c.url.as_deref())
}

/// One publisher's holdout: what it removes and what it tests.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Holdout {
    pub publisher: String,
    /// Distinct citation names of the publisher on the KB's links.
    pub reports: usize,
    /// Citations struck from links that keep another publisher's support.
    pub citations_struck: usize,
    /// Links removed because every citation on them is the publisher's.
    pub links_removed: usize,
    /// Of those, `uses` links of a group, campaign or software.
    pub uses_links_removed: usize,
    /// Report cases built from the publisher's reports.
    pub cases: usize,
    /// The citation names struck (sorted).
    #[serde(skip)]
    pub names: BTreeSet<String>,
    /// Relation ids removed.
    #[serde(skip)]
    pub relations: HashSet<String>,
}

/// Publisher of every citation name on the KB's links (a name cited with
/// several URLs gets the union).
pub fn name_index(facts: &KbFacts) -> BTreeMap<String, BTreeSet<String>> {
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &facts.relations {
        for c in &r.citations {
            m.entry(c.source_name.clone())
                .or_default()
                .extend(citation_publishers(c));
        }
    }
    m
}

/// Every publisher with at least `min_reports` cited reports, with what
/// its holdout removes.
pub fn holdouts(facts: &KbFacts, min_reports: usize) -> Vec<Holdout> {
    let index = name_index(facts);
    let mut by_pub: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, pubs) in &index {
        for p in pubs {
            by_pub.entry(p.as_str()).or_default().insert(name.clone());
        }
    }
    let mut out = Vec::new();
    for (p, names) in by_pub {
        if names.len() < min_reports {
            continue;
        }
        let mut h = Holdout {
            publisher: p.to_string(),
            reports: names.len(),
            ..Holdout::default()
        };
        for r in &facts.relations {
            if r.citations.is_empty() {
                continue;
            }
            let mine = r
                .citations
                .iter()
                .filter(|c| index.get(&c.source_name).is_some_and(|s| s.contains(p)))
                .count();
            if mine == r.citations.len() {
                if let Some(id) = &r.id {
                    h.relations.insert(id.clone());
                    h.links_removed += 1;
                    if r.kind == ascribe_core::RelationKind::Uses {
                        h.uses_links_removed += 1;
                    }
                }
            } else {
                h.citations_struck += mine;
            }
        }
        h.names = names;
        out.push(h);
    }
    out
}

/// The leave-one-vendor-out case set: for every holdout, the report cases
/// built from the publisher's reports, each assessed against the knowledge
/// base without any of the publisher's citations (and with the report
/// case's own leakage rule, which the holdout already covers).
pub fn lovo_cases(
    bundle: &Bundle,
    facts: &KbFacts,
    min_reports: usize,
) -> (Vec<CaseSpec>, Vec<Holdout>) {
    let mut hs = holdouts(facts, min_reports);
    let reports = bundle.report_cases();
    let mut out = Vec::new();
    for h in &mut hs {
        for c in reports.iter().filter(|c| h.names.contains(&c.source)) {
            let mut k = c.clone();
            k.id = format!("{} | {}", h.publisher, c.id);
            k.set = Set::Vendor;
            k.holdout = Some(h.publisher.clone());
            k.remove_relations.extend(h.relations.iter().cloned());
            k.strip_citations.extend(h.names.iter().cloned());
            out.push(k);
            h.cases += 1;
        }
    }
    (out, hs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_publishers() {
        let p = |u: &str| url_publisher(u).unwrap();
        assert_eq!(p("https://www.fireeye.com/blog/x.html"), "Mandiant");
        assert_eq!(
            p("https://web.archive.org/web/20200618231942/https://www.fireeye.com/blog/x"),
            "Mandiant"
        );
        assert_eq!(
            p("https://web.archive.org/web/20180825085952/https:/s3-us-west-2.amazonaws.com/cymmetria-blog/public/x.pdf"),
            "amazonaws.com/cymmetria-blog"
        );
        assert_eq!(
            p("https://unit42.paloaltonetworks.com/x/"),
            "Palo Alto Networks"
        );
        assert_eq!(
            p("https://pan-unit42.github.io/playbook_viewer/"),
            "Palo Alto Networks"
        );
        assert_eq!(
            p("https://github.com/eset/malware-ioc/tree/master/x"),
            "ESET"
        );
        assert_eq!(
            p("https://github.com/gentilkiwi/mimikatz"),
            "github.com/gentilkiwi"
        );
        assert_eq!(p("https://www.pwc.co.uk/cyber-security/x.pdf"), "PwC");
        assert_eq!(
            p("https://blogs.jpcert.or.jp/en/2018/03/x.html"),
            "jpcert.or.jp"
        );
        assert_eq!(
            p("https://symantec-enterprise-blogs.security.com/blogs/threat-intelligence/x"),
            "Symantec"
        );
        assert_eq!(
            p("https://media.kasperskycontenthub.com/x.pdf"),
            "Kaspersky"
        );
        assert_eq!(p("https://medium.com/s2wblog/x"), "medium.com/s2wblog");
        assert_eq!(p("https://bi-zone.medium.com/x"), "bi-zone.medium.com");
        assert!(url_publisher("not a url").is_none());
    }

    #[test]
    fn names_map_to_publishers() {
        assert_eq!(
            name_publishers("Unit 42 Sofacy Feb 2018"),
            vec!["Palo Alto Networks"]
        );
        assert_eq!(name_publishers("Securelist Turla"), vec!["Kaspersky"]);
        assert_eq!(
            name_publishers("MSTIC NOBELIUM May 2021"),
            vec!["Microsoft"]
        );
        assert_eq!(
            name_publishers("ESET Turla Mosquito Jan 2018"),
            vec!["ESET"]
        );
        assert_eq!(
            name_publishers("Unit42 Emissary"),
            vec!["Palo Alto Networks"]
        );
        // whole words: "Preset" is not ESET, "Talosian" not Talos
        assert!(name_publishers("Preset Talosian 2019").is_empty());
        // both when the name and the host disagree
        let both = publishers(
            "CheckPoint Volatile Cedar March 2015",
            Some("https://media.kasperskycontenthub.com/x.pdf"),
        );
        assert!(both.contains("Check Point") && both.contains("Kaspersky"));
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable_domain("a.b.example.com"), "example.com");
        assert_eq!(registrable_domain("www.pwc.co.uk"), "pwc.co.uk");
        assert_eq!(registrable_domain("ncsc.gov.uk"), "ncsc.gov.uk");
        assert_eq!(registrable_domain("blog.google"), "blog.google");
        assert_eq!(registrable_domain("localhost"), "localhost");
    }
}
