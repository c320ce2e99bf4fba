//! Hand-written indicator cases: positives, defanged forms and tricky negatives.

use ascribe_text::{extract, Context, Document, ExtractOptions, IndicatorKind as K, Vocabulary};

fn run(text: &str) -> Vec<(K, String, bool)> {
    let doc = Document::from_text(Some("case.txt"), text);
    let x = extract(&doc, &Vocabulary::new(), &ExtractOptions::default());
    x.indicators
        .iter()
        .map(|i| (i.kind, i.value.clone(), i.defanged))
        .collect()
}

fn has(v: &[(K, String, bool)], k: K, val: &str) -> bool {
    v.iter().any(|(kk, vv, _)| *kk == k && vv == val)
}

#[test]
fn urls_domains_and_hosts() {
    let v = run("Payload at https://cdn.example-bad.com/x/y.php?id=1&z=2, then (http://203.0.113.5:8080/a).");
    assert!(has(
        &v,
        K::Url,
        "https://cdn.example-bad.com/x/y.php?id=1&z=2"
    ));
    assert!(has(&v, K::Domain, "cdn.example-bad.com"));
    assert!(has(&v, K::Url, "http://203.0.113.5:8080/a"), "{v:?}");
    assert!(has(&v, K::Ipv4, "203.0.113.5"));
    // CSV: the next field is not part of the URL; commas inside a query are kept
    let v = run("url,https://a-b.com/x.php,kit\nurl,https://a-b.com/q?a=1,2 ok");
    assert!(has(&v, K::Url, "https://a-b.com/x.php"), "{v:?}");
    assert!(has(&v, K::Url, "https://a-b.com/q?a=1,2"), "{v:?}");
}

#[test]
fn defanged_styles_are_refanged_and_flagged() {
    let cases = [
        ("hxxp://evil[.]com/a", K::Url, "http://evil.com/a"),
        (
            "hXXps://bad(.)example(.)org",
            K::Url,
            "https://bad.example.org",
        ),
        ("http[:]//x[.]io/p", K::Url, "http://x.io/p"),
        (
            "hxxps[://]login-secure[.]net",
            K::Url,
            "https://login-secure.net",
        ),
        ("evil[dot]ru", K::Domain, "evil.ru"),
        ("c2 [dot] example [dot] com", K::Domain, "c2.example.com"),
        ("198.51.100[.]7", K::Ipv4, "198.51.100.7"),
        ("ops[@]badmail[.]com", K::Email, "ops@badmail.com"),
        ("ops[at]badmail[.]com", K::Email, "ops@badmail.com"),
        ("evil{.}com", K::Domain, "evil.com"),
    ];
    for (text, k, val) in cases {
        let v = run(&format!("Seen: {text} yesterday."));
        let hit = v.iter().find(|(kk, vv, _)| *kk == k && vv == val);
        assert!(hit.is_some_and(|h| h.2), "{text}: {v:?}");
    }
    // plain ones are not flagged
    let v = run("Seen: evil.com yesterday.");
    assert_eq!(v, vec![(K::Domain, "evil.com".to_string(), false)]);
}

#[test]
fn ips_with_cidr_and_ipv6() {
    let v = run("Ranges 192.0.2.0/24 and 2001:db8:85a3::8a2e:370:7334/64; host ::ffff:192.0.2.1 and [2001:db8::2].");
    assert!(has(&v, K::Ipv4, "192.0.2.0/24"), "{v:?}");
    assert!(has(&v, K::Ipv6, "2001:db8:85a3::8a2e:370:7334/64"), "{v:?}");
    assert!(has(&v, K::Ipv6, "::ffff:192.0.2.1"), "{v:?}");
    assert!(has(&v, K::Ipv6, "2001:db8::2"), "{v:?}");
}

#[test]
fn hashes_cves_paths_registry_mutex() {
    let text = "MD5 d41d8cd98f00b204e9800998ecf8427e; SHA-1: da39a3ee5e6b4b0d3255bfef95601890afd80709; \
        sha256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855. Exploits CVE-2023-23397. \
        Dropped to C:\\Users\\Public\\svchost.exe and \\\\fileserver\\share\\a.bat, key HKEY_CURRENT_USER\\Software\\Run. \
        The malware creates a mutex named Global\\QWERTY_99 to avoid reinfection.";
    let v = run(text);
    assert!(has(&v, K::Md5, "d41d8cd98f00b204e9800998ecf8427e"));
    assert!(has(&v, K::Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"));
    assert!(has(
        &v,
        K::Sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    ));
    assert!(has(&v, K::Cve, "CVE-2023-23397"));
    assert!(
        has(&v, K::WindowsPath, "C:\\Users\\Public\\svchost.exe"),
        "{v:?}"
    );
    assert!(
        has(&v, K::WindowsPath, "\\\\fileserver\\share\\a.bat"),
        "{v:?}"
    );
    assert!(
        has(&v, K::RegistryKey, "HKEY_CURRENT_USER\\Software\\Run"),
        "{v:?}"
    );
    assert!(has(&v, K::Mutex, "Global\\QWERTY_99"), "{v:?}");
}

#[test]
fn file_names_vs_domains() {
    let v = run("It dropped invoice.zip, stage2.dll and readme.md, then beaconed to tracker.zip-files.com and cdn.evil.");
    assert!(has(&v, K::FileName, "invoice.zip"));
    assert!(has(&v, K::FileName, "stage2.dll"));
    assert!(has(&v, K::FileName, "readme.md"));
    assert!(has(&v, K::Domain, "tracker.zip-files.com"));
    assert!(!v
        .iter()
        .any(|(k, _, _)| *k == K::Domain && !has(&v, K::Domain, "tracker.zip-files.com")));
    // a defanged .zip is a domain
    let v = run("C2: mirror[.]zip");
    assert!(has(&v, K::Domain, "mirror.zip"), "{v:?}");
}

#[test]
fn tricky_negatives() {
    let text = "Version 1.2.3.4 and v10.0.0.1 shipped; see section 3.2.1 and Figure 4.1. \
        On 2014.11.24 the ratio was 3.14159, up 0.5.\nThe attack ended.It was over. \
        Built on ASP.NET and Microsoft.Exchange; e.g. this, i.e. that. \
        Build 10.0.19041.1 and OID 1.3.6.1.4.1.311 are not addresses. \
        Time 10:30:45 and std::vector are not IPv6. A 32-digit number 12345678901234567890123456789012 is no hash. \
        U.S. officials met at 5 p.m. and No. 10 said so.";
    let v = run(text);
    assert!(v.is_empty(), "false positives: {v:?}");
}

#[test]
fn locations_and_sentences() {
    let text = "First line.\nThe C2 was evil[.]com. Second sentence.";
    let doc = Document::from_text(Some("loc.txt"), text);
    let x = extract(&doc, &Vocabulary::new(), &ExtractOptions::default());
    let i = &x.indicators[0];
    assert_eq!(i.raw, "evil[.]com");
    assert_eq!(
        &text[i.location.byte_offset..i.location.byte_offset + i.location.byte_len],
        "evil[.]com"
    );
    assert_eq!((i.location.line, i.location.column), (2, 12));
    assert_eq!(i.sentence, "The C2 was evil[.]com.");
    assert_eq!(i.location.file.as_deref(), Some("loc.txt"));
    assert_eq!(i.context, Context::Standalone);
}

#[test]
fn techniques_by_id_and_revoked() {
    let mut v = Vocabulary::new();
    v.add_technique("T1560", "Archive Collected Data");
    v.add_technique("T1566.001", "Spearphishing Attachment");
    v.add_technique("T1059.001", "PowerShell");
    v.add_revoked("T1002", "T1560");
    let doc = Document::from_text(
        None,
        "Used T1002, T1566.001 and PowerShell; also T9999. Not T12345 nor XT1566.",
    );
    let x = extract(&doc, &v, &ExtractOptions::default());
    let got: Vec<(&str, Option<&str>, bool)> = x
        .techniques
        .iter()
        .map(|t| (t.attack_id.as_str(), t.revoked_id.as_deref(), t.known))
        .collect();
    assert_eq!(
        got,
        vec![
            ("T1560", Some("T1002"), true),
            ("T1566.001", None, true),
            ("T1059.001", None, true),
            ("T9999", None, false)
        ]
    );
}

fn run_as(text: &str, format: ascribe_text::Format) -> ascribe_text::Extraction {
    let mut doc = Document::from_text(Some("case"), text);
    doc.format = format;
    extract(&doc, &Vocabulary::new(), &ExtractOptions::default())
}

fn values(x: &ascribe_text::Extraction, k: K) -> Vec<String> {
    x.indicators
        .iter()
        .filter(|i| i.kind == k)
        .map(|i| i.value.clone())
        .collect()
}

/// Issue 12: markup around values (ESET's AsciiDoc IOC tables, Markdown pages).
#[test]
fn asciidoc_markup_is_read_before_indicators() {
    use ascribe_text::Format;
    let t = "|`+nododru[.]ru+` |`+5.252.178[.]140+` |N/A\n\
             - `++https://script.google[.]com/macros/s/AKfy/exec++`\n\
             The https://www.misp-project.org[MISP] event; see https://www.welivesecurity.com/2019/10/21/winnti/[\nthe paper].\n";
    let x = run_as(t, Format::AsciiDoc);
    assert_eq!(
        values(&x, K::Domain).len(),
        4,
        "{:?}",
        values(&x, K::Domain)
    );
    assert!(values(&x, K::Domain).contains(&"nododru.ru".to_string()));
    assert_eq!(values(&x, K::Ipv4), vec!["5.252.178.140"]);
    assert_eq!(
        values(&x, K::Url),
        vec![
            "https://script.google.com/macros/s/AKfy/exec",
            "https://www.misp-project.org",
            "https://www.welivesecurity.com/2019/10/21/winnti/",
        ]
    );
    // the raw text of a finding is the document's, markup excluded
    let d = x
        .indicators
        .iter()
        .find(|i| i.value == "nododru.ru")
        .unwrap();
    assert_eq!(d.raw, "nododru[.]ru");
    assert!(d.defanged);
}

#[test]
fn markdown_links_footnotes_and_attack_urls() {
    use ascribe_text::Format;
    let t =
        "See [T1](https://a.example.com/x)[ATT&CK](https://attack.mitre.org/techniques/T1012/) \
             and [sub](https://attack.mitre.org/techniques/T1055/012)[^1].\n[^1]: note";
    let x = run_as(t, Format::Markdown);
    assert_eq!(
        values(&x, K::Url),
        vec![
            "https://a.example.com/x",
            "https://attack.mitre.org/techniques/T1012/",
            "https://attack.mitre.org/techniques/T1055/012",
        ]
    );
    let ids: Vec<&str> = x.techniques.iter().map(|t| t.attack_id.as_str()).collect();
    assert_eq!(ids, vec!["T1012", "T1055.012"]);
    // the same text read as plain text merges nothing it should not either
    let plain = run_as("x https://a.example.com/T1012 y", Format::Text);
    assert!(
        plain.techniques.is_empty(),
        "ids inside other URLs are not mentions"
    );
}

#[test]
fn urls_keep_iris_text_fragments_and_quotes() {
    let v = run("Lure: https://example.com/статья/новости?q=ä, then https://example.com/p#:~:text=first,last ok");
    assert!(
        has(&v, K::Url, "https://example.com/статья/новости?q=ä"),
        "{v:?}"
    );
    assert!(
        has(&v, K::Url, "https://example.com/p#:~:text=first,last"),
        "{v:?}"
    );
    let v = run("DownloadFile('http://185.117.119.87/update.exe','C:\\Windows\\update.exe')");
    assert!(has(&v, K::Url, "http://185.117.119.87/update.exe"), "{v:?}");
    // the URL ends at a closing quotation mark, whatever the script
    let v = run("«https://example.org/a»");
    assert!(has(&v, K::Url, "https://example.org/a"), "{v:?}");
}

#[test]
fn nothing_inside_a_url_but_its_host() {
    let v = run(
        "http://www.evernote[.]com/shard/s675/sh/6686ff4e/fc7fbe66c820f17c30147235e95d31b8 end",
    );
    assert!(
        v.iter().all(|(k, _, _)| matches!(k, K::Url | K::Domain)),
        "{v:?}"
    );
}

#[test]
fn more_defangs_and_cves_in_detection_names() {
    let v = run("C2: htxp://bad-host[.]net/gate and Win32/Exploit.CVE-2017-11882.BU seen");
    assert!(has(&v, K::Url, "http://bad-host.net/gate"), "{v:?}");
    assert!(has(&v, K::Cve, "CVE-2017-11882"), "{v:?}");
    // values of a query-like chunk; file names in query parameters are not domains
    let v =
        run("destination_address=www.comcast.net&count1=4 dn=Beta1.zip&xl=1 via dns=8.8.4.4%60cd");
    assert!(has(&v, K::Domain, "www.comcast.net"), "{v:?}");
    assert!(has(&v, K::Ipv4, "8.8.4.4"), "{v:?}");
    assert!(!has(&v, K::Domain, "beta1.zip"), "{v:?}");
}
