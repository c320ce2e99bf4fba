//! # ascribe-intel — threat-intelligence indicators
//!
//! - [`keys`]: the one function that makes match keys (importers and case
//!   matching both use it), [`normalize`] and [`detect`];
//! - importers (format recognised from content, bounded): MISP events,
//!   `{"response": […]}` exports and feed directories, STIX 2.0/2.1
//!   bundles, plain and CSV IOC lists.

pub mod keys;

pub use keys::{detect, exact_key, keys, normalize, refang, registrable, url_host, InvalidValue};

use ascribe_core::{IntelKind, IntelRecord};

/// A record for `value` of `kind` from `source`, with its normalised form and
/// match keys filled in; the other fields empty.
pub fn new_record(kind: IntelKind, value: &str, source: &str) -> Result<IntelRecord, InvalidValue> {
    let norm = normalize(kind, value)?;
    Ok(IntelRecord {
        kind,
        value: refang(value),
        keys: keys(kind, &norm),
        norm,
        actors: Vec::new(),
        source: source.to_string(),
        event: None,
        event_title: None,
        published: None,
        first_seen: None,
        last_seen: None,
        to_ids: false,
        confidence: None,
        role: None,
    })
}
