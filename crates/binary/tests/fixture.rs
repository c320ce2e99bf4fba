//! Parsing the crate's own benign PE fixtures, and the hints derived from
//! batches of them.

use ascribe_binary::evidence_hints;
use ascribe_binary::fixture::{FixtureResource, FixtureSpec};
use ascribe_binary::{inspect_bytes, inspect_path, Format, InspectOptions};

#[test]
fn default_fixture_parses_completely() {
    let exe = FixtureSpec::default().build();
    let r = inspect_bytes(&exe, &InspectOptions::default());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.format, Format::Pe);
    assert_eq!(r.arch.as_deref(), Some("x86"));
    let pe = r.pe.unwrap();
    assert!(!pe.pe32plus);
    assert_eq!(pe.timedatestamp, 0x5470_5c3e);
    assert_eq!(pe.linker_version, "14.31");
    assert_eq!(pe.sections.len(), 3);
    assert_eq!(pe.sections[0].flags, "rxc");
    assert_eq!(pe.resource_types.len(), 1);
    assert_eq!(pe.resource_langids, vec![0x412]);
    assert_eq!(pe.resource_count, 1);
    assert_eq!(pe.imports.len(), 1);
    assert_eq!(pe.imports[0].functions, vec!["ExitProcess"]);
    assert_eq!(
        pe.imphash.as_deref(),
        Some(ascribe_binary::hashes::md5_hex(b"kernel32.exitprocess").as_str())
    );
    let rich = pe.rich.as_ref().unwrap();
    assert_eq!(rich.entries.len(), 4);
    assert_eq!(rich.entries[3].product_id, 0x0102);
    assert_eq!(rich.entries[3].build, 31104);
    assert!(rich.checksum_valid);
    assert_eq!(pe.linker.consistent, Some(true));
    let pdb = pe.pdb.as_ref().unwrap();
    assert_eq!(pdb.format, "RSDS");
    assert!(pdb.path.ends_with("fixture\\Release\\fixture.pdb"));
    assert_eq!(
        pdb.guid.as_deref(),
        Some("443322116655887799AABBCCDDEEFF001")
    );
    assert_eq!(pdb.age, 1);
    assert_eq!(pe.debug_types, vec![2]);
    assert_eq!(
        pe.version_info.get("CompanyName").map(String::as_str),
        Some("Example Fixture Co.")
    );
    assert_eq!(
        pe.version_info.get("FileVersion").map(String::as_str),
        Some("1.0.0.1")
    );
    assert_eq!(pe.overlay_size, 0);
    assert!(pe.authenticode.is_none());
    let h = r.hashes.unwrap();
    assert_eq!(h.sha256.len(), 64);
    assert!(h.tlsh.unwrap().starts_with("T1"));
    assert!(r
        .strings
        .iter()
        .any(|s| s.value.starts_with("C:\\Users\\tester\\")));
}

#[test]
fn rcdata_variant_and_overlay() {
    let spec = FixtureSpec {
        resource: FixtureResource::RcData(b"hello resource".to_vec()),
        lang_id: 0x0419,
        overlay: vec![0xAB; 1000],
        ..FixtureSpec::default()
    };
    let exe = spec.build();
    let pe = inspect_bytes(&exe, &InspectOptions::structural())
        .pe
        .unwrap();
    assert_eq!(serde_json::to_string(&pe.resource_types).unwrap(), "[10]");
    assert_eq!(pe.resource_langids, vec![0x419]);
    assert!(pe.version_info.is_empty());
    assert_eq!(pe.overlay_size, 1000);
}

#[test]
fn forged_rich_header_is_flagged() {
    let spec = FixtureSpec {
        corrupt_rich_checksum: true,
        linker_version: (9, 0),
        ..FixtureSpec::default()
    };
    let exe = spec.build();
    let r = inspect_bytes(&exe, &InspectOptions::structural());
    let pe = r.pe.as_ref().unwrap();
    assert!(!pe.rich.as_ref().unwrap().checksum_valid);
    assert_eq!(pe.linker.consistent, Some(false));
    let hints = evidence_hints::derive(&[r], 2_000_000_000);
    assert_eq!(hints.rich_anomalies.len(), 2, "{:?}", hints.rich_anomalies);
    assert!(hints.rich_anomalies[1].what.contains("9.0"));
}

#[test]
fn structural_mode_skips_whole_file_passes() {
    let exe = FixtureSpec::default().build();
    let r = inspect_bytes(&exe, &InspectOptions::structural());
    assert!(r.hashes.is_none());
    assert!(r.strings.is_empty());
    assert!(r.pe.unwrap().sections.iter().all(|s| s.entropy.is_none()));
}

#[test]
fn every_truncation_is_handled() {
    let exe = FixtureSpec::default().build();
    let opts = InspectOptions::default();
    for cut in 0..exe.len() {
        let r = inspect_bytes(&exe[..cut], &opts);
        assert_eq!(r.size, cut as u64);
        // Cut inside the headers: not a PE or a header error; later cuts
        // keep the headers and lose directories, with warnings.
        if cut >= 0x400 {
            assert!(r.pe.is_some(), "cut {cut}: {:?}", r.warnings);
        }
        if cut < exe.len() && r.pe.is_none() {
            assert!(!r.warnings.is_empty(), "cut {cut}");
        }
    }
}

#[test]
fn hints_from_a_korean_office_batch() {
    // 2014-11-24 is a Monday. Builds at 10:15, 13:40, 16:05 KST (UTC+9)
    // on several weekdays.
    let monday_utc = 1_416_787_200u32;
    let mut reports = Vec::new();
    for (day, hour_kst, min) in [
        (0, 10, 15),
        (1, 13, 40),
        (2, 16, 5),
        (3, 11, 30),
        (4, 15, 0),
    ] {
        let t = monday_utc + day * 86_400 + (hour_kst - 9) * 3600 + min * 60;
        let spec = FixtureSpec {
            timestamp: t,
            ..FixtureSpec::default()
        };
        reports.push(inspect_bytes(&spec.build(), &InspectOptions::default()));
    }
    let h = evidence_hints::derive(&reports, 2_000_000_000);
    assert_eq!(h.files, 5);
    assert_eq!(h.languages.len(), 1);
    assert_eq!(h.languages[0].language, "Korean");
    assert_eq!(h.languages[0].countries, vec!["KR", "KP"]);
    assert_eq!(h.languages[0].files, 5);
    assert_eq!(h.timezone.samples, 5);
    let off = h.timezone.utc_offset_hours.unwrap();
    let unc = h.timezone.uncertainty_hours.unwrap();
    assert!((off - 9.0).abs() <= unc, "{off} ± {unc}");
    // Five samples only: the estimate is honest about being loose.
    assert!(unc <= 5.0, "{unc}");
    assert_eq!(h.timezone.significant, Some(true));
    assert_eq!(h.pdbs.len(), 1);
    assert_eq!(h.pdbs[0].user.as_deref(), Some("tester"));
    assert_eq!(h.pdbs[0].project.as_deref(), Some("fixture"));
    assert_eq!(h.pdbs[0].files, 5);
    assert_eq!(h.toolchains.len(), 1);
    assert_eq!(h.toolchains[0].rich_linker.as_deref(), Some("14.31"));
    assert!(h.rich_anomalies.is_empty());
    // Serialises for the CLI / reasoning layer.
    let js = serde_json::to_string(&h).unwrap();
    let back: evidence_hints::EvidenceHints = serde_json::from_str(&js).unwrap();
    assert_eq!(back, h);
}

#[test]
fn two_samples_are_refused() {
    let reports: Vec<_> = [1_416_800_000u32, 1_416_900_000]
        .iter()
        .map(|&t| {
            inspect_bytes(
                &FixtureSpec {
                    timestamp: t,
                    ..FixtureSpec::default()
                }
                .build(),
                &InspectOptions::structural(),
            )
        })
        .collect();
    let h = evidence_hints::derive(&reports, 2_000_000_000);
    assert!(h.timezone.utc_offset_hours.is_none());
    assert!(h
        .timezone
        .refused
        .as_deref()
        .unwrap()
        .contains("at least 3"));
}

#[test]
fn inspect_path_walk_and_batch() {
    let dir = std::env::temp_dir().join(format!("ascribe-binary-walk-{}", std::process::id()));
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(dir.join("a.exe"), FixtureSpec::default().build()).unwrap();
    std::fs::write(sub.join("b.txt"), b"just text, not a binary").unwrap();
    std::fs::write(sub.join("empty"), b"").unwrap();
    let files: Vec<_> = ascribe_binary::walk_inputs([&dir]).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    let results = ascribe_binary::inspect_batch(&files, &InspectOptions::default());
    assert_eq!(results.len(), 3);
    for (p, r) in &results {
        let r = r.as_ref().unwrap();
        assert_eq!(r.path.as_deref(), Some(p.display().to_string().as_str()));
        if p.ends_with("a.exe") {
            assert_eq!(r.format, Format::Pe);
        } else {
            assert_eq!(r.format, Format::Unknown);
            assert!(!r.warnings.is_empty());
        }
    }
    let missing = inspect_path(&dir.join("nope"), &InspectOptions::default()).unwrap_err();
    assert!(missing.to_string().contains("cannot read"), "{missing}");
    let small = InspectOptions {
        max_file_size: 10,
        ..InspectOptions::default()
    };
    let big = inspect_path(&dir.join("a.exe"), &small).unwrap_err();
    assert!(big.to_string().contains("over the limit"), "{big}");
    let not_file = inspect_path(&dir, &InspectOptions::default()).unwrap_err();
    assert!(
        not_file.to_string().contains("not a regular file"),
        "{not_file}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_round_trips_through_json() {
    let r = inspect_bytes(&FixtureSpec::default().build(), &InspectOptions::default());
    let js = serde_json::to_string(&r).unwrap();
    let back: ascribe_binary::FileReport = serde_json::from_str(&js).unwrap();
    assert_eq!(back, r);
}

/// With `ASCRIBE_PEFILE_PYTHON` pointing at a Python that has pefile,
/// pefile must read the same values from the fixture.
#[test]
fn pefile_agrees_on_fixture() {
    let Ok(py) = std::env::var("ASCRIBE_PEFILE_PYTHON") else {
        println!("ASCRIBE_PEFILE_PYTHON is not set: pefile cross-check skipped");
        return;
    };
    let path = std::env::temp_dir().join(format!("ascribe-fixture-{}.exe", std::process::id()));
    let spec = FixtureSpec {
        overlay: vec![1, 2, 3],
        ..FixtureSpec::default()
    };
    std::fs::write(&path, spec.build()).unwrap();
    let script = r#"
import sys, json, pefile
pe = pefile.PE(sys.argv[1])
rh = pe.parse_rich_header()
langs = sorted({l.data.lang | (l.data.sublang << 10) for t in pe.DIRECTORY_ENTRY_RESOURCE.entries for n in t.directory.entries for l in n.directory.entries})
dbg = [d.entry for d in pe.DIRECTORY_ENTRY_DEBUG if hasattr(d.entry, 'PdbFileName')][0]
vi = {}
for fi in pe.FileInfo:
    for st in fi:
        if getattr(st, 'Key', b'') == b'StringFileInfo':
            for t in st.StringTable:
                vi.update({k.decode(): v.decode() for k, v in t.entries.items()})
print(json.dumps({
  "imphash": pe.get_imphash(), "ts": pe.FILE_HEADER.TimeDateStamp, "langs": langs,
  "rich": [[rh['values'][i], rh['values'][i+1]] for i in range(0, len(rh['values']), 2)],
  "rich_hash": pe.get_rich_header_hash('md5'), "key": int.from_bytes(rh['key'], 'little'),
  "pdb": dbg.PdbFileName.rstrip(b'\0').decode(), "guid": dbg.Signature_String, "age": dbg.Age,
  "overlay": len(pe.get_overlay() or b''), "vi": vi,
  # A 3 KiB image is mostly zero padding; pefile notes that, nothing else.
  "warnings": [w for w in pe.get_warnings() if not w.startswith("Byte 0x00 makes up")]}))
"#;
    let out = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = inspect_path(&path, &InspectOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    let pe = r.pe.unwrap();
    let rich = pe.rich.unwrap();
    assert_eq!(v["imphash"], pe.imphash.unwrap());
    assert_eq!(v["ts"], pe.timedatestamp);
    assert_eq!(v["langs"], serde_json::json!(pe.resource_langids));
    let ours: Vec<[u32; 2]> = rich
        .entries
        .iter()
        .map(|e| [e.comp_id(), e.count])
        .collect();
    assert_eq!(v["rich"], serde_json::json!(ours));
    assert_eq!(v["rich_hash"], rich.hash_md5);
    assert_eq!(format!("{:08x}", v["key"].as_u64().unwrap()), rich.key);
    let pdb = pe.pdb.unwrap();
    assert_eq!(v["pdb"], pdb.path);
    assert_eq!(v["guid"], pdb.guid.unwrap());
    assert_eq!(v["age"], pdb.age);
    assert_eq!(v["overlay"], pe.overlay_size);
    assert_eq!(v["vi"], serde_json::json!(pe.version_info));
    assert_eq!(
        v["warnings"],
        serde_json::json!([]),
        "pefile warns about the fixture"
    );
}
