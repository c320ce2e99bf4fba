//! Stable replay of the fuzz corpus in `fuzz/text/regressions/` through the
//! same steps as the cargo-fuzz target (`fuzz/text/fuzz_targets/extract.rs`).

use ascribe_text::{document_from_bytes, extract, ExtractOptions, Format, LoadOptions, Vocabulary};

#[test]
fn replay_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/text/regressions");
    let mut v = Vocabulary::new();
    v.add_actor("G0032", "Lazarus Group");
    v.add_actor("G0032", "Guardians of Peace");
    v.add_technique("T1566", "Phishing");
    v.add_revoked("T1002", "T1560");
    v.add_default_countries();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            continue;
        }
        let data = std::fs::read(&p).unwrap();
        let body = if data.is_empty() {
            &data[..]
        } else {
            &data[1..]
        };
        // every seed through every format (the fuzz target picks one by the first byte)
        for fmt in [
            Format::Text,
            Format::Html,
            Format::Markdown,
            Format::AsciiDoc,
        ] {
            if let Ok(doc) = document_from_bytes("fuzz", fmt, body, &LoadOptions::default()) {
                let x = extract(&doc, &v, &ExtractOptions::default());
                for i in &x.indicators {
                    assert!(
                        i.location.byte_offset + i.location.byte_len <= doc.text.len(),
                        "{}",
                        p.display()
                    );
                    assert!(doc.text.is_char_boundary(i.location.byte_offset));
                }
                let plain = ascribe_text::markup::to_plain(&doc.text, fmt);
                assert_eq!(plain.text.len(), doc.text.len(), "{}", p.display());
            }
        }
        n += 1;
    }
    assert!(
        n >= 4,
        "expected the committed regression inputs in {}",
        dir.display()
    );
}
