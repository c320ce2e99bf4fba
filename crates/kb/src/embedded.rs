//! The default knowledge base shipped inside the binary.
//!
//! `data/default-kb.json.deflate` is produced by the project's own importer
//! from MITRE ATT&CK Enterprise v18.1, the ATT&CK revoked/deprecated list and
//! the MISP galaxy `threat-actor` and `malpedia` clusters
//! (`cargo run -p ascribe-kb --example build-default-kb -- ../shared/data`).
//! It holds facts only — identifiers, names, aliases, countries, dates,
//! relations and their citations — never descriptions. Its terms are in
//! `data/NOTICE.md` (ATT&CK's copyright notice and licence, MISP's licence).

use crate::KbError;
use ascribe_core::KbFacts;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

/// The compressed facts.
pub static DEFAULT_KB: &[u8] = include_bytes!("../data/default-kb.json.deflate");

/// ATT&CK licence text, reproduced as its terms require.
pub static ATTACK_LICENSE_TEXT: &str = include_str!("../data/LICENSE-ATTACK.txt");

/// The embedded default facts.
pub fn default_facts() -> Result<KbFacts, KbError> {
    decode(DEFAULT_KB)
}

/// Decode facts from the embedded format (deflate-compressed JSON).
pub fn decode(bytes: &[u8]) -> Result<KbFacts, KbError> {
    let mut json = Vec::new();
    DeflateDecoder::new(bytes)
        .take(256 * 1024 * 1024)
        .read_to_end(&mut json)
        .map_err(|e| KbError::Embedded(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| KbError::Embedded(e.to_string()))
}

/// Encode facts into the embedded format. Deterministic for equal input.
pub fn encode(facts: &KbFacts) -> Vec<u8> {
    let json = serde_json::to_vec(facts).expect("facts serialize");
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&json).expect("write to memory");
    enc.finish().expect("finish in memory")
}
