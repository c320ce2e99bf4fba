//! # ascribe-intel — threat-intelligence indicators
//!
//! - [`keys`]: the one function that makes match keys (importers and case
//!   matching both use it), [`normalize`] and [`detect`];
//! - importers (format recognised from content, bounded in size and depth,
//!   each file reported on its own): MISP events, `{"response": […]}`
//!   exports and feed directories ([`misp`]), STIX 2.0/2.1 bundles
//!   ([`stix`], patterns by [`pattern`]), plain and CSV IOC lists
//!   ([`ioclist`]); entry points [`import_paths`], [`import_file`],
//!   [`import_bytes`];
//! - matching with meaning ([`matching`]): a case's indicators against an
//!   [`ascribe_store::IntelStore`], weighed by match kind, time, sharing and
//!   the shared-service lists ([`shared`], data files under `data/`);
//!   [`memory::MemoryIntelStore`] keeps records in memory.

pub mod fuzz;
pub mod import;
pub mod ioclist;
pub mod keys;
pub mod lookup;
pub mod matching;
pub mod memory;
pub mod misp;
pub mod pattern;
pub mod shared;
pub mod stix;

pub use import::{
    import_bytes, import_file, import_json, import_paths, FileOutcome, Format, ImportError,
    ImportOptions, ImportedSource, MAX_IMPORT_BYTES, MAX_LIST_BYTES,
};
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
