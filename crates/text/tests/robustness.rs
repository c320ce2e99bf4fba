//! Bad input: encodings, binary junk, huge lines, malformed HTML, broken PDFs,
//! size limits, batch walking, and a property test that nothing panics.

use ascribe_text::{
    decode_text, document_from_bytes, extract, load_document, load_document_with, walk_documents,
    Document, Encoding, ExtractOptions, Format, LoadOptions, TextError, Vocabulary,
};
use proptest::prelude::*;

/// A scratch directory removed when the test ends (pass or fail).
fn tmpdir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("ascribe-text-{name}-"))
        .tempdir()
        .unwrap()
}

fn small_vocab() -> Vocabulary {
    let mut v = Vocabulary::new();
    v.add_actor("G0032", "Lazarus Group");
    v.add_technique("T1566", "Phishing");
    v.add_default_countries();
    v
}

#[test]
fn decodes_utf16_and_latin1() {
    let s = "C2 at evil[.]com — Pyongyang";
    let mut le = vec![0xFF, 0xFE];
    le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    let (t, enc, _) = decode_text(&le).unwrap();
    assert_eq!((t.as_str(), enc), (s, Encoding::Utf16Le));
    let mut be = vec![0xFE, 0xFF];
    be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(decode_text(&be).unwrap().0, s);
    let latin1 = b"Caf\xe9 au lait \xe0 evil.com \xa9 2014";
    let (t, enc, w) = decode_text(latin1).unwrap();
    assert_eq!(enc, Encoding::Latin1);
    assert!(t.starts_with("Café") && !w.is_empty());
    // mostly UTF-8 with one stray byte: lossy, with a warning
    let mixed = "Überweisung an evil.com — naïve — ok \u{2013} fine "
        .repeat(4)
        .into_bytes();
    let mut m = mixed.clone();
    m.push(0xFF);
    let (_, enc, w) = decode_text(&m).unwrap();
    assert_eq!(enc, Encoding::Utf8Lossy);
    assert!(w[0].contains("invalid UTF-8"));
}

#[test]
fn binary_junk_is_refused() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let err =
        document_from_bytes("junk.txt", Format::Text, &junk, &LoadOptions::default()).unwrap_err();
    assert!(matches!(err, TextError::Binary { .. }), "{err}");
    assert!(err.to_string().contains("binary"));
}

#[test]
fn size_limit() {
    let tmp = tmpdir("limit");
    let d = tmp.path();
    let p = d.join("big.txt");
    std::fs::write(&p, "x".repeat(1000)).unwrap();
    let err = load_document_with(
        &p,
        &LoadOptions {
            max_bytes: 100,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(
        err,
        TextError::TooLarge {
            size: 1000,
            limit: 100,
            ..
        }
    ));
}

#[test]
fn html_good_and_malformed() {
    let tmp = tmpdir("html");
    let d = tmp.path();
    let p = d.join("a.html");
    std::fs::write(&p, "<html><body><p>The FBI blamed <b>North Korea</b>.</p><script>var x='1.2.3.4'</script><p>C2: evil[.]com</p>").unwrap();
    let doc = load_document(&p).unwrap();
    assert_eq!(doc.format, Format::Html);
    let x = extract(&doc, &small_vocab(), &ExtractOptions::default());
    assert_eq!(
        x.unique_indicators().len(),
        1,
        "{:?}",
        x.unique_indicators()
    );
    assert_eq!(x.claims.len(), 1);
    let p2 = d.join("bad.htm");
    std::fs::write(&p2, "<div><p>unclosed <b>bold <i>evil.com <table><tr><td>1.2.3.4</div></span></p>< <<>>&amp;&bogus;").unwrap();
    let doc = load_document(&p2).unwrap();
    let x = extract(&doc, &small_vocab(), &ExtractOptions::default());
    assert!(x.unique_indicators().iter().any(|(_, v)| v == "1.2.3.4"));
    // deep nesting does not overflow the stack
    let deep = format!("{}evil.com{}", "<div>".repeat(5000), "</div>".repeat(5000));
    let p3 = d.join("deep.html");
    std::fs::write(&p3, deep).unwrap();
    let doc = load_document(&p3).unwrap();
    assert!(doc.text.contains("evil.com"));
}

#[test]
fn broken_pdfs_give_clear_errors() {
    let tmp = tmpdir("pdf");
    let d = tmp.path();
    let p = d.join("broken.pdf");
    std::fs::write(&p, b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF").unwrap();
    let err = load_document(&p).unwrap_err();
    let msg = err.to_string();
    #[cfg(feature = "pdf")]
    assert!(
        matches!(err, TextError::Pdf { .. } | TextError::PdfNoText { .. }),
        "{msg}"
    );
    #[cfg(not(feature = "pdf"))]
    assert!(
        matches!(err, TextError::PdfDisabled { .. }) && msg.contains("--features pdf"),
        "{msg}"
    );
    let q = d.join("notpdf.pdf");
    std::fs::write(&q, b"hello, I am not a pdf").unwrap();
    assert!(load_document(&q).is_err());
}

#[test]
fn huge_single_line_is_bounded() {
    let mut s = String::new();
    while s.len() < 8 << 20 {
        s.push_str("1.1.1.1 evil[.]com aaaaaaaa\\.bbb [.](.)hxxp:// ");
    }
    let doc = Document::from_text(None, s);
    let opts = ExtractOptions {
        max_findings: 10_000,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let x = extract(&doc, &small_vocab(), &opts);
    assert_eq!(x.indicators.len(), 10_000);
    assert!(x.warnings.iter().any(|w| w.contains("dropped")));
    assert!(x.indicators.iter().all(|i| i.sentence.len() <= 420));
    assert!(t.elapsed().as_secs() < 60, "took {:?}", t.elapsed());
}

#[test]
fn batch_walker_reports_errors_and_goes_on() {
    let tmp = tmpdir("walk");
    let d = tmp.path();
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("a.txt"), "evil.com").unwrap();
    std::fs::write(d.join("sub/b.md"), "# Report\n1.2.3.4").unwrap();
    std::fs::write(d.join("sub/c.txt"), [0u8, 1, 2, 3, 0, 0, 0]).unwrap();
    std::fs::write(d.join("ignored.png"), [0u8; 10]).unwrap();
    let items = walk_documents(d, &LoadOptions::default());
    let names: Vec<String> = items
        .iter()
        .map(|i| i.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["a.txt", "b.md", "c.txt"]);
    assert!(items[0].result.is_ok() && items[1].result.is_ok());
    assert!(matches!(items[2].result, Err(TextError::Binary { .. })));
    let missing = walk_documents(d.join("nope"), &LoadOptions::default());
    assert!(matches!(missing[0].result, Err(TextError::Io { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let v = small_vocab();
        for f in [Format::Text, Format::Html] {
            if let Ok(doc) = document_from_bytes("p.txt", f, &bytes, &LoadOptions::default()) {
                let x = extract(&doc, &v, &ExtractOptions::default());
                for i in &x.indicators {
                    prop_assert!(i.location.byte_offset + i.location.byte_len <= doc.text.len());
                }
            }
        }
    }

    #[test]
    fn ioc_like_text_never_panics(s in "([a-zA-Z0-9 .:/@\\[\\]()\\\\%{}'\"’“”\\n-]|hxxp|\\[\\.\\]|\\[dot\\]|North Korea|denied|blamed|FBI|T1566|CVE-|é|ü|\u{2019}s){0,200}") {
        let v = small_vocab();
        let doc = Document::from_text(Some("p.txt"), s);
        let x = extract(&doc, &v, &ExtractOptions::default());
        for i in &x.indicators {
            prop_assert_eq!(&doc.text[i.location.byte_offset..i.location.byte_offset + i.location.byte_len], i.raw.as_str());
        }
        for c in &x.claims {
            prop_assert!(!c.cues.is_empty());
        }
    }

    /// The claims, origin, detection-name and entity-hygiene paths on text
    /// made of their own trigger words and multi-byte white space and dashes.
    #[test]
    fn claim_and_entity_text_never_panics(s in r"( |\x{85}|\x{2013}|\x{2019}s|\.|,|\n|\||---|\[1\]|\^2|[A-Z][a-z]{0,6}|Chinese-based| group| actor|attributed to|linked to|accused by|claimed responsibility|also known as|https://x\.y/a-b|\(Citation: M\)|Win32/|PowerShell/|Trojan:|\.A!dha|Russia|Russia's GRU|Reconnaissance General Bureau|OilRig|said|they|The group|operating out of|pro-|-speaking|unknown if|Global\\x|Payload){0,120}") {
        let mut v = small_vocab();
        v.add_actor("state-org:ru-gru", "GRU");
        v.add_actor("state-org:kp-rgb", "Reconnaissance General Bureau");
        v.add_actor_primary("G0049", "OilRig");
        v.add_software("fam:oilrig", "OilRig");
        v.add_software("fam:payload", "Payload");
        v.add_technique("T1059.001", "PowerShell");
        let doc = Document::from_text(Some("p.md"), s);
        let x = extract(&doc, &v, &ExtractOptions::default());
        for e in &x.entities {
            prop_assert!(e.location.byte_offset + e.location.byte_len <= doc.text.len());
            prop_assert!(!e.ids.is_empty());
        }
        for c in &x.claims {
            prop_assert!(!c.cues.is_empty());
        }
    }
}

/// A one-page PDF whose page content stream is `content` (Helvetica as F1).
#[cfg(feature = "pdf")]
fn make_pdf(content: &str) -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{}\nendstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{}\nendobj\n", i + 1, o).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .into_bytes(),
    );
    out
}

#[cfg(feature = "pdf")]
#[test]
fn pdf_text_layer_and_scans() {
    let tmp = tmpdir("pdf-ok");
    let d = tmp.path();
    let p = d.join("report.pdf");
    std::fs::write(&p, make_pdf("BT /F1 12 Tf 72 712 Td (The FBI blamed North Korea for the hack. C2: evil[.]com) Tj ET")).unwrap();
    let doc = load_document(&p).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.format, Format::Pdf);
    let x = extract(&doc, &small_vocab(), &ExtractOptions::default());
    assert!(
        x.unique_indicators().iter().any(|(_, v)| v == "evil.com"),
        "{:?}",
        doc.text
    );
    assert_eq!(x.claims.len(), 1);
    let q = d.join("scan.pdf");
    std::fs::write(&q, make_pdf("q 612 0 0 792 0 0 cm Q")).unwrap();
    let err = load_document(&q).unwrap_err();
    assert!(matches!(err, TextError::PdfNoText { .. }), "{err}");
    assert!(err.to_string().contains("no text layer"));
}
