//! Fuzz target: bytes → decode (text, HTML, Markdown and AsciiDoc paths) → extract with a small
//! vocabulary, and the markup reader's plain text.
//! Run: `cd fuzz/text && cargo +nightly fuzz run extract`.
#![no_main]

use ascribe_text::{document_from_bytes, extract, ExtractOptions, Format, LoadOptions, Vocabulary};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let mut v = Vocabulary::new();
        v.add_actor("G0032", "Lazarus Group");
        v.add_actor("G0032", "Guardians of Peace");
        v.add_software("S0002", "Mimikatz");
        v.add_technique("T1566", "Phishing");
        v.add_technique("T1566.001", "Spearphishing Attachment");
        v.add_revoked("T1002", "T1560");
        v.add_default_countries();
        v
    })
}

fuzz_target!(|data: &[u8]| {
    // first byte: odd = HTML (as before), 2 mod 4 = Markdown, 4 mod 8 = AsciiDoc, else text
    let (fmt, body) = match data.first() {
        Some(b) if b & 1 == 1 => (Format::Html, &data[1..]),
        Some(b) if b & 2 == 2 => (Format::Markdown, &data[1..]),
        Some(b) if b & 4 == 4 => (Format::AsciiDoc, &data[1..]),
        Some(_) => (Format::Text, &data[1..]),
        None => (Format::Text, data),
    };
    if let Ok(doc) = document_from_bytes("fuzz", fmt, body, &LoadOptions::default()) {
        let x = extract(&doc, vocab(), &ExtractOptions::default());
        for i in &x.indicators {
            assert!(i.location.byte_offset + i.location.byte_len <= doc.text.len());
        }
        let p = ascribe_text::markup::to_plain(&doc.text, fmt);
        assert_eq!(p.text.len(), doc.text.len());
    }
});
