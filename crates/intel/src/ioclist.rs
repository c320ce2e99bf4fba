//! Plain-text and CSV IOC lists, with the actor and date the importer is
//! told (`--actor`, `--date`): the file itself carries no attribution.
//!
//! Values are read by the report extractor (`ascribe_text`: refanging,
//! public-suffix-checked domains, URLs, IPs and networks, e-mail
//! addresses, hashes), so a list reads like a report would; each field of a
//! line (split on `,`, `;`, tab, space) is also tried with
//! [`crate::detect`] for the kinds the extractor does not know (wallets,
//! JARM fingerprints). Hosts of URLs and domains of e-mail addresses are
//! not separate records (their keys already find them). File names, paths,
//! registry keys, CVEs and mutexes are dropped.

use crate::import::{Builder, Ctx, Format, ImportError, ImportOptions, ImportedSource};
use ascribe_core::IntelKind;
use ascribe_text::{Context, Document, ExtractOptions, IndicatorKind, Vocabulary};
use sha2::{Digest, Sha256};

/// Read a list.
pub fn import_list(bytes: &[u8], opts: &ImportOptions) -> Result<ImportedSource, ImportError> {
    let (text, _enc, _w) = ascribe_text::decode_text(bytes).map_err(ImportError::Invalid)?;
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut b = Builder::new(format!("ioc-list:{hex}"), Format::IocList);
    let ctx = Ctx {
        actors: opts.actor.iter().cloned().collect(),
        published: opts.date.clone(),
        to_ids: true,
        ..Default::default()
    };
    b.out.actors.clone_from(&ctx.actors);
    b.out.published.clone_from(&opts.date);
    if opts.actor.is_none() {
        b.warn("no --actor given: the records name no actor (lookup only)".into());
    }
    let doc = Document::from_text(None, text);
    let xopts = ExtractOptions {
        indicators: true,
        techniques: false,
        entities: false,
        claims: false,
        max_findings: crate::import::MAX_RECORDS_PER_FILE,
        ..Default::default()
    };
    let x = ascribe_text::extract(&doc, &Vocabulary::new(), &xopts);
    for w in x.warnings {
        b.warn(w);
    }
    for ind in &x.indicators {
        if ind.context != Context::Standalone {
            continue;
        }
        let kind = match ind.kind {
            IndicatorKind::Ipv4 | IndicatorKind::Ipv6 if ind.cidr.is_some() => IntelKind::Cidr,
            IndicatorKind::Ipv4 => IntelKind::Ipv4,
            IndicatorKind::Ipv6 => IntelKind::Ipv6,
            IndicatorKind::Domain => IntelKind::Domain,
            IndicatorKind::Url => IntelKind::Url,
            IndicatorKind::Email => IntelKind::Email,
            IndicatorKind::Md5 => IntelKind::Md5,
            IndicatorKind::Sha1 => IntelKind::Sha1,
            IndicatorKind::Sha256 => IntelKind::Sha256,
            other => {
                b.drop_type(other.as_str());
                continue;
            }
        };
        let value = match ind.cidr {
            Some(p) if !ind.value.contains('/') => format!("{}/{p}", ind.value),
            _ => ind.value.clone(),
        };
        b.add(kind, &value, &ctx);
    }
    for line in doc.text.lines() {
        for field in line.split([',', ';', '\t', ' ']) {
            let f = field.trim().trim_matches('"');
            if f.len() < 26 || f.len() > 120 {
                continue;
            }
            if let Some((k @ (IntelKind::Wallet | IntelKind::Jarm), _)) = crate::detect(f) {
                b.add(k, f, &ctx);
            }
        }
    }
    let out = b.finish();
    if out.records.is_empty() {
        return Err(ImportError::Invalid(
            "no indicator found in this text (not a MISP event, STIX bundle or IOC list)".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::import::{import_bytes, ImportOptions};
    use ascribe_core::IntelKind;

    #[test]
    fn csv_and_plain_lists() {
        let text = "indicator,type,comment\n\
            hxxp://evil[.]example.com/gate.php,url,c2\n\
            203.0.113.0/24,cidr,\n\
            198.51.100.7,ip,\n\
            bad.example.org,domain,\n\
            44d88612fea8a8f36de82e1278abb02f,md5,\n\
            1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,btc,\n\
            C:\\Windows\\evil.exe,path,\n";
        let o = ImportOptions {
            actor: Some("APT1".into()),
            date: Some("2013-02-19".into()),
            ..Default::default()
        };
        let s = &import_bytes(text.as_bytes(), None, &o).unwrap()[0];
        assert!(s.source.starts_with("ioc-list:"));
        let kinds: Vec<_> = s
            .records
            .iter()
            .map(|r| (r.kind, r.norm.as_str()))
            .collect();
        assert!(
            kinds.contains(&(IntelKind::Url, "http://evil.example.com/gate.php")),
            "{kinds:?}"
        );
        assert!(kinds.contains(&(IntelKind::Cidr, "203.0.113.0/24")));
        assert!(kinds.contains(&(IntelKind::Ipv4, "198.51.100.7")));
        assert!(kinds.contains(&(IntelKind::Domain, "bad.example.org")));
        assert!(kinds.contains(&(IntelKind::Md5, "44d88612fea8a8f36de82e1278abb02f")));
        assert!(kinds.contains(&(IntelKind::Wallet, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")));
        // the URL's host is not a record of its own
        assert!(!kinds.contains(&(IntelKind::Domain, "evil.example.com")));
        assert!(s
            .records
            .iter()
            .all(|r| r.actors == ["APT1"] && r.published.as_deref() == Some("2013-02-19")));
    }

    #[test]
    fn text_without_indicators_is_an_error() {
        let e = import_bytes(
            b"Copyright (c) 2024, nothing here",
            None,
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no indicator"), "{e}");
    }
}
