//! Threat-intelligence indicators: what a feed (a MISP event, a STIX bundle,
//! an IOC list) said about a value, and the keys it is matched by.
//!
//! Records are flat and unmerged, like [`crate::facts`]: one record per
//! (source, value), tagged with the source key that a re-import replaces.
//! Matching never compares raw values: importers and case extractors both
//! derive [`IntelRecord::keys`] with the same function (`ascribe-intel`), and
//! the store looks records up by key in batches.

use serde::{Deserialize, Serialize};

/// The kind of an indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntelKind {
    Ipv4,
    Ipv6,
    /// An IPv4 or IPv6 network in CIDR notation.
    Cidr,
    Domain,
    Url,
    Email,
    Md5,
    Sha1,
    Sha256,
    /// A cryptocurrency wallet address.
    Wallet,
    /// An X.509 certificate fingerprint (SHA-1 or SHA-256, by length).
    X509,
    Ja3,
    Jarm,
    /// A file name (kept for lookup; never evidence on its own).
    Filename,
}

impl IntelKind {
    /// Text form (stable: used in keys and in the store).
    pub fn as_str(self) -> &'static str {
        match self {
            IntelKind::Ipv4 => "ipv4",
            IntelKind::Ipv6 => "ipv6",
            IntelKind::Cidr => "cidr",
            IntelKind::Domain => "domain",
            IntelKind::Url => "url",
            IntelKind::Email => "email",
            IntelKind::Md5 => "md5",
            IntelKind::Sha1 => "sha1",
            IntelKind::Sha256 => "sha256",
            IntelKind::Wallet => "wallet",
            IntelKind::X509 => "x509",
            IntelKind::Ja3 => "ja3",
            IntelKind::Jarm => "jarm",
            IntelKind::Filename => "filename",
        }
    }

    /// Parse the text form.
    pub fn parse(s: &str) -> Option<IntelKind> {
        Some(match s {
            "ipv4" => IntelKind::Ipv4,
            "ipv6" => IntelKind::Ipv6,
            "cidr" => IntelKind::Cidr,
            "domain" => IntelKind::Domain,
            "url" => IntelKind::Url,
            "email" => IntelKind::Email,
            "md5" => IntelKind::Md5,
            "sha1" => IntelKind::Sha1,
            "sha256" => IntelKind::Sha256,
            "wallet" => IntelKind::Wallet,
            "x509" => IntelKind::X509,
            "ja3" => IntelKind::Ja3,
            "jarm" => IntelKind::Jarm,
            "filename" => IntelKind::Filename,
            _ => return None,
        })
    }
}

/// One indicator as one source published it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntelRecord {
    pub kind: IntelKind,
    /// The value as published (refanged, trimmed).
    pub value: String,
    /// The normalised value (lower-case host names, canonical IP text,
    /// lower-case hex hashes); `kind` + `norm` identify the indicator.
    pub norm: String,
    /// Match keys (`ascribe_intel::keys`): the exact key first, then the
    /// derived ones (`ip24:203.0.113`, `regdomain:example.com`,
    /// `host:www.example.com`, `file:<group>`...). Lookups go by key.
    pub keys: Vec<String>,
    /// Actor names as the source gives them (resolved against the knowledge
    /// base when matched, never at import).
    #[serde(default)]
    pub actors: Vec<String>,
    /// Source key, replaced as a whole on re-import: `misp-event:<uuid>`,
    /// `stix:<bundle id>`, `ioc-list:<sha256 of the file>`.
    pub source: String,
    /// The event or report it came from (MISP event uuid, STIX report id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The event's or report's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_title: Option<String>,
    /// Publication date of the event or report (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Activity window of the indicator itself, when the source gives one
    /// (MISP `first_seen`/`last_seen`, STIX `valid_from`/`valid_until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// MISP `to_ids` (or a STIX indicator, as opposed to an observable).
    #[serde(default)]
    pub to_ids: bool,
    /// The source's confidence, 0–100, when it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    /// Role in the source (`c2`, `download`, `payload`, a MISP category...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One imported intelligence source, as listed by `intel stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntelSourceInfo {
    pub source: String,
    /// What was imported (file path or feed name).
    pub origin: String,
    pub records: usize,
    /// Unix seconds of the import.
    pub imported_at: i64,
}
