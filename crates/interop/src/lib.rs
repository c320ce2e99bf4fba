//! Interoperability with the platforms analysts keep their incidents in.
//!
//! * **Cases in**: [`misp_in::from_misp`] turns a MISP event (attributes,
//!   objects, galaxies, tags, event reports, attachments) and
//!   [`stix_in::from_stix`] a STIX 2.1 bundle (observables, indicators,
//!   attack-patterns, malware, tools, `attributed-to` claims with their
//!   `created_by_ref` claimant) into an [`ImportedCase`]: a `case.toml`, the
//!   evidence files to write beside it and a report of what was not mapped.
//! * **Verdicts out**: [`stix_out::bundle`] (STIX 2.1), [`misp_out::event`]
//!   (MISP event JSON), [`navigator::layers`] (ATT&CK Navigator layer
//!   format 4.5) and [`html::report`] (one self-contained HTML file).
//!
//! Readers are bounded ([`MAX_INPUT_BYTES`], [`MAX_DEPTH`]) and return an
//! [`InteropError`] on hostile or broken input; nothing here panics on
//! input. Mappings, losses and the confidence mapping of each format are in
//! `docs/formats/`.

pub mod casewrite;
pub mod html;
pub mod misp_in;
pub mod misp_out;
pub mod navigator;
pub mod stix_in;
pub mod stix_out;

pub use casewrite::{ImportedCase, MappingCounts};

use serde_json::Value;

/// Largest input document read (a MISP event or a STIX bundle).
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
/// Deepest JSON nesting accepted (MISP and STIX documents are shallow; a
/// deeper one is refused before it is parsed).
pub const MAX_DEPTH: usize = 64;

/// Errors of the readers and writers.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    #[error("{what}: {bytes} bytes is more than the {max} bytes accepted")]
    TooLarge {
        what: String,
        bytes: usize,
        max: usize,
    },
    #[error("{what}: JSON nested deeper than {MAX_DEPTH} levels; refused")]
    TooDeep { what: String },
    #[error("{what}: not valid JSON: {message}")]
    Json { what: String, message: String },
    #[error("{what}: {message}")]
    Invalid { what: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Parse a JSON document with the size and depth bounds.
pub fn read_json(bytes: &[u8], what: &str) -> Result<Value, InteropError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(InteropError::TooLarge {
            what: what.into(),
            bytes: bytes.len(),
            max: MAX_INPUT_BYTES,
        });
    }
    if json_depth(bytes) > MAX_DEPTH {
        return Err(InteropError::TooDeep { what: what.into() });
    }
    serde_json::from_slice(bytes).map_err(|e| InteropError::Json {
        what: what.into(),
        message: e.to_string(),
    })
}

/// The deepest nesting of `[` and `{` outside strings (a linear scan, so
/// that the recursive parser never sees a document deeper than the bound).
fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The namespace of every UUIDv5 ascribe derives (itself the UUIDv5 of
/// `ascribe` in the URL namespace): the same input gives the same id, so a
/// re-export updates the objects a platform already holds.
pub fn namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"https://ascribe/interop")
}

/// A deterministic id: `<prefix>--<uuid5(namespace, key)>`.
pub fn det_id(prefix: &str, key: &str) -> String {
    format!(
        "{prefix}--{}",
        uuid::Uuid::new_v5(&namespace(), format!("{prefix}|{key}").as_bytes())
    )
}

/// A deterministic bare UUID (MISP uuids).
pub fn det_uuid(key: &str) -> String {
    uuid::Uuid::new_v5(&namespace(), key.as_bytes()).to_string()
}

/// Traffic Light Protocol 2.0 levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    /// Parse `clear`, `green`, `amber`, `amber+strict` (also `amber-strict`), `red`
    /// (case-insensitive, an optional `tlp:` prefix; `white` reads as `clear`).
    pub fn parse(s: &str) -> Option<Tlp> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("tlp:").unwrap_or(&s);
        Some(match s {
            "clear" | "white" => Tlp::Clear,
            "green" => Tlp::Green,
            "amber" => Tlp::Amber,
            "amber+strict" | "amber-strict" | "amber_strict" => Tlp::AmberStrict,
            "red" => Tlp::Red,
            _ => return None,
        })
    }

    /// `clear`, `green`, `amber`, `amber+strict`, `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The OASIS TLP 2.0 marking-definition id (cti-stix-common-objects,
    /// extension-definition-specifications/tlp-2.0).
    pub fn stix_marking_id(self) -> &'static str {
        match self {
            Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        }
    }
}

/// Export options shared by the writers.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// TLP 2.0 marking of everything exported (none when `None`).
    pub tlp: Option<Tlp>,
    /// The export's time, RFC 3339 UTC with milliseconds
    /// (`2026-11-29T13:00:00.000Z`): STIX `modified`, MISP `timestamp`.
    pub now: String,
    /// How many hypotheses of the ranking are exported (the leading ones).
    pub top: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            tlp: None,
            now: now_rfc3339(),
            top: 5,
        }
    }
}

/// The current time, RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(d.as_secs() as i64, d.subsec_millis())
}

/// Unix seconds to RFC 3339 UTC (proleptic Gregorian calendar; the
/// days-from-civil inverse of H. Hinnant's `chrono`-compatible algorithm).
pub fn rfc3339(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Unix seconds of an RFC 3339 timestamp's date and time (`YYYY-MM-DDTHH:MM:SS`…).
pub fn unix_seconds(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| ts.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = if b.len() >= 19 {
        (num(11..13)?, num(14..16)?, num(17..19)?)
    } else {
        (0, 0, 0)
    };
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// A `YYYY-MM-DD` (or longer) date as an RFC 3339 timestamp at midnight UTC.
pub fn date_to_timestamp(date: &str) -> Option<String> {
    let s = unix_seconds(date.get(..10)?)?;
    Some(rfc3339(s, 0))
}

/// Percent text of a probability, as the reports print it.
pub fn pct(p: f64) -> String {
    if p >= 0.9995 {
        ">99.9%".into()
    } else if p > 0.0 && p < 0.0005 {
        "<0.1%".into()
    } else if p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// A probability on the 0–100 scale of STIX `confidence` (rounded to the
/// nearest integer, clamped).
pub fn confidence_0_100(p: f64) -> u8 {
    if p.is_finite() {
        (p * 100.0).round().clamp(0.0, 100.0) as u8
    } else {
        0
    }
}

/// ATT&CK bundles known by the SHA-256 of the imported file, for bundles
/// that carry no `x-mitre-collection` version (ascribe's embedded subset of
/// Enterprise v18.1, `../shared/data/attack/README.md`).
const KNOWN_ATTACK_BUNDLES: [(&str, &str); 1] = [(
    "0f35191c6b09bc3d6d1357e56813e54af464bb760fd597cfc5710dc80b5725f8",
    "18.1",
)];

/// The ATT&CK Enterprise version the knowledge base was built from: the
/// bundle's own `x-mitre-collection` version, else the version of a bundle
/// known by its SHA-256; `None` when neither tells.
pub fn attack_version(kb: &ascribe_kb::KnowledgeBase) -> Option<String> {
    let s = kb
        .stats()
        .sources
        .iter()
        .find(|s| s.key.starts_with("mitre-attack:enterprise"))?;
    s.version.clone().or_else(|| {
        let sha = s.sha256.as_deref()?;
        KNOWN_ATTACK_BUNDLES
            .iter()
            .find(|(h, _)| *h == sha)
            .map(|(_, v)| v.to_string())
    })
}

/// The ATT&CK name of a technique id, if the knowledge base knows it.
pub fn technique_name(kb: Option<&ascribe_kb::KnowledgeBase>, id: &str) -> Option<String> {
    kb?.techniques
        .iter()
        .find(|t| t.attack_id.eq_ignore_ascii_case(id))
        .map(|t| t.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            date_to_timestamp("2014-12-19").as_deref(),
            Some("2014-12-19T00:00:00.000Z")
        );
        let s = unix_seconds("2024-02-29T23:59:58").unwrap();
        assert_eq!(rfc3339(s, 5), "2024-02-29T23:59:58.005Z");
    }

    #[test]
    fn ids_are_deterministic_v5() {
        let a = det_id("report", "x");
        assert_eq!(a, det_id("report", "x"));
        assert_ne!(a, det_id("report", "y"));
        let u = uuid::Uuid::parse_str(a.trim_start_matches("report--")).unwrap();
        assert_eq!(u.get_version_num(), 5);
    }

    #[test]
    fn depth_bound_refuses_before_parsing() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            read_json(deep.as_bytes(), "x"),
            Err(InteropError::TooDeep { .. })
        ));
        assert!(read_json(b"{\"a\": \"[[[[\"}", "x").is_ok());
        assert!(matches!(
            read_json(b"{\"a\": ", "x"),
            Err(InteropError::Json { .. })
        ));
    }

    #[test]
    fn tlp_levels() {
        assert_eq!(Tlp::parse("TLP:AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("white"), Some(Tlp::Clear));
        assert_eq!(Tlp::parse("purple"), None);
        assert_eq!(confidence_0_100(0.784), 78);
    }
}
