//! Agreement with the peer reference outputs (pefile, py-tlsh, ssdeep, LIEF)
//! on the real-binary corpus.
//!
//! * `ASCRIBE_CORPUS`: the corpus directory written by
//!   `shared/corpus/fetch-pe-corpus.sh DIR` (or any subset of it). Unset:
//!   the test prints a message and passes without comparing.
//! * `ASCRIBE_CORPUS_REF`: the directory holding `reference.jsonl` and
//!   `reference-elf.jsonl`; defaults to `shared/corpus` beside the checkout,
//!   then `/work/shared/corpus`.
//!
//! Files are matched to reference lines by sha256 (from `manifest.tsv` when
//! present and its size matches, else computed), so any subset works. Every
//! compared field of every file must agree; the summary lists per field how
//! many files were compared and how many disagreed.

use ascribe_binary::{FileReport, InspectOptions};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn ref_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("ASCRIBE_CORPUS_REF") {
        return Some(PathBuf::from(d));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    [beside, PathBuf::from("/work/shared/corpus")]
        .into_iter()
        .find(|c| c.join("reference.jsonl").is_file())
}

fn load_refs(dir: &Path) -> HashMap<String, Value> {
    let mut m = HashMap::new();
    for f in ["reference.jsonl", "reference-elf.jsonl"] {
        let Ok(text) = std::fs::read_to_string(dir.join(f)) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).expect("reference line is JSON");
            let sha = v["sha256"].as_str().expect("sha256").to_string();
            m.insert(sha, v);
        }
    }
    m
}

/// rel_path -> (sha256, size) from manifest.tsv, if present.
fn manifest(dir: &Path) -> HashMap<PathBuf, (String, u64)> {
    let mut m = HashMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.tsv")) else {
        return m;
    };
    let mut lines = text.lines();
    let Some(hdr) = lines.next() else { return m };
    let cols: Vec<&str> = hdr.split('\t').collect();
    let ix = |n: &str| cols.iter().position(|c| *c == n);
    let (Some(is), Some(iz), Some(ir)) = (ix("sha256"), ix("size"), ix("rel_path")) else {
        return m;
    };
    for l in lines {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() > is.max(iz).max(ir) {
            if let Ok(sz) = f[iz].parse() {
                m.insert(dir.join(f[ir]), (f[is].to_string(), sz));
            }
        }
    }
    m
}

#[derive(Default)]
struct Tally {
    compared: usize,
    mismatches: Vec<String>,
}

struct Cmp<'a> {
    fields: BTreeMap<&'static str, Tally>,
    file: &'a str,
}

impl Cmp<'_> {
    fn check(&mut self, field: &'static str, ours: Value, theirs: &Value) {
        let t = self.fields.entry(field).or_default();
        t.compared += 1;
        if &ours != theirs {
            t.mismatches
                .push(format!("{}: ours {} ref {}", self.file, ours, theirs));
        }
    }
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn compare(r: &FileReport, v: &Value, fields: &mut BTreeMap<&'static str, Tally>, name: &str) {
    let mut c = Cmp {
        fields: std::mem::take(fields),
        file: name,
    };
    let h = r.hashes.as_ref().expect("hashes on");
    c.check("size", r.size.into(), &v["size"]);
    c.check("tlsh", opt_str(h.tlsh.as_deref()), &v["tlsh"]);
    c.check("ssdeep", h.ssdeep.clone().into(), &v["ssdeep"]);
    if v.get("imphash").is_some() {
        match &r.pe {
            None => c.check("parsed_as_pe", false.into(), &Value::Bool(true)),
            Some(pe) => {
                c.check("machine", pe.machine.into(), &v["machine"]);
                c.check("pe32plus", pe.pe32plus.into(), &v["pe32plus"]);
                c.check("is_dll", pe.is_dll.into(), &v["is_dll"]);
                c.check(
                    "timedatestamp",
                    pe.timedatestamp.into(),
                    &v["timedatestamp"],
                );
                c.check(
                    "linker_version",
                    pe.linker_version.clone().into(),
                    &v["linker_version"],
                );
                c.check("subsystem", pe.subsystem.into(), &v["subsystem"]);
                c.check("num_sections", pe.sections.len().into(), &v["num_sections"]);
                let names: Vec<Value> = pe.sections.iter().map(|s| s.name.clone().into()).collect();
                c.check("section_names", names.into(), &v["section_names"]);
                c.check("imphash", opt_str(pe.imphash.as_deref()), &v["imphash"]);
                c.check("import_dlls", pe.imports.len().into(), &v["import_dlls"]);
                let nf: usize = pe.imports.iter().map(|d| d.functions.len()).sum();
                c.check("import_funcs", nf.into(), &v["import_funcs"]);
                let nd: usize = pe.delay_imports.iter().map(|d| d.functions.len()).sum();
                c.check("delay_import_funcs", nd.into(), &v["delay_import_funcs"]);
                c.check("exports", pe.export_count.into(), &v["exports"]);
                c.check(
                    "export_dll_name",
                    opt_str(pe.export_dll_name.as_deref()),
                    &v["export_dll_name"],
                );
                let rich = pe.rich.as_ref();
                let entries = rich.map_or(Value::Null, |r| {
                    r.entries
                        .iter()
                        .map(|e| Value::from(vec![Value::from(e.comp_id()), Value::from(e.count)]))
                        .collect::<Vec<_>>()
                        .into()
                });
                c.check("rich", entries, &v["rich"]);
                c.check(
                    "rich_key",
                    opt_str(rich.map(|r| r.key.as_str())),
                    &v["rich_key"],
                );
                c.check(
                    "rich_checksum_valid",
                    rich.map_or(Value::Null, |r| r.checksum_valid.into()),
                    &v["rich_checksum_valid"],
                );
                c.check(
                    "rich_pe_header_hash",
                    opt_str(rich.map(|r| r.hash_md5.as_str())),
                    &v["rich_pe_header_hash"],
                );
                c.check(
                    "resource_langids",
                    pe.resource_langids.clone().into(),
                    &v["resource_langids"],
                );
                let mut types = pe.resource_types.clone();
                types.sort();
                types.dedup();
                c.check(
                    "resource_types",
                    serde_json::to_value(&types).unwrap(),
                    &v["resource_types"],
                );
                let pdb = pe.pdb.as_ref();
                c.check(
                    "pdb_path",
                    opt_str(pdb.map(|p| p.path.as_str())),
                    &v["pdb_path"],
                );
                c.check(
                    "pdb_guid",
                    opt_str(pdb.and_then(|p| p.guid.as_deref())),
                    &v["pdb_guid"],
                );
                c.check(
                    "pdb_age",
                    pdb.map_or(Value::Null, |p| p.age.into()),
                    &v["pdb_age"],
                );
                c.check(
                    "debug_types",
                    pe.debug_types.clone().into(),
                    &v["debug_types"],
                );
                const VI_KEYS: [&str; 8] = [
                    "CompanyName",
                    "ProductName",
                    "FileVersion",
                    "ProductVersion",
                    "OriginalFilename",
                    "InternalName",
                    "FileDescription",
                    "LegalCopyright",
                ];
                let vi: serde_json::Map<String, Value> = pe
                    .version_info
                    .iter()
                    .filter(|(k, _)| VI_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone().into()))
                    .collect();
                let vi = if vi.is_empty() {
                    Value::Null
                } else {
                    Value::Object(vi)
                };
                c.check("version_info", vi, &v["version_info"]);
                c.check("overlay_size", pe.overlay_size.into(), &v["overlay_size"]);
                c.check(
                    "authenticode",
                    pe.authenticode.is_some().into(),
                    &v["authenticode"],
                );
            }
        }
    } else if v.get("elf_type").is_some() {
        match &r.elf {
            None => c.check("parsed_as_elf", false.into(), &Value::Bool(true)),
            Some(e) => {
                c.check("elf_machine", e.machine.clone().into(), &v["machine"]);
                c.check("elf_type", e.elf_type.clone().into(), &v["elf_type"]);
                c.check(
                    "elf_num_sections",
                    e.sections.len().into(),
                    &v["num_sections"],
                );
                c.check("build_id", opt_str(e.build_id.as_deref()), &v["build_id"]);
                c.check("needed", e.needed.clone().into(), &v["needed"]);
                c.check("soname", opt_str(e.soname.as_deref()), &v["soname"]);
                c.check(
                    "exported_functions",
                    e.exported_functions.into(),
                    &v["exported_functions"],
                );
                c.check(
                    "imported_functions",
                    e.imported_functions.into(),
                    &v["imported_functions"],
                );
                c.check("has_symtab", e.has_symtab.into(), &v["has_symtab"]);
                c.check(
                    "has_debug_info",
                    e.has_debug_info.into(),
                    &v["has_debug_info"],
                );
            }
        }
    }
    *fields = c.fields;
}

#[test]
fn corpus_agrees_with_peers() {
    let Ok(dir) = std::env::var("ASCRIBE_CORPUS") else {
        println!("ASCRIBE_CORPUS is not set: corpus comparison skipped");
        return;
    };
    let dir = PathBuf::from(dir);
    let refs_dir = ref_dir().expect("reference.jsonl not found: set ASCRIBE_CORPUS_REF");
    let refs = load_refs(&refs_dir);
    assert!(
        !refs.is_empty(),
        "no reference lines in {}",
        refs_dir.display()
    );
    let man = manifest(&dir);
    // With a manifest, only the binaries it lists (the fetch script also
    // keeps the downloaded wheels there); without one, every file.
    let files: Vec<PathBuf> = ascribe_binary::walk_inputs([&dir])
        .filter(|p| p.file_name().is_some_and(|n| n != "manifest.tsv"))
        .filter(|p| man.is_empty() || man.contains_key(p))
        .collect();
    let opts = InspectOptions {
        strings: false,
        section_entropy: false,
        ..InspectOptions::default()
    };
    let results = ascribe_binary::inspect_batch(&files, &opts);
    let mut fields: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut matched = 0usize;
    let mut unmatched = 0usize;
    let mut errors = Vec::new();
    for (path, res) in results {
        let report = match res {
            Ok(r) => r,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let sha = match man.get(&path) {
            Some((sha, size)) if *size == report.size => sha.clone(),
            _ => report.hashes.as_ref().unwrap().sha256.clone(),
        };
        assert_eq!(
            report.hashes.as_ref().unwrap().sha256,
            sha,
            "{} differs from its manifest sha256",
            path.display()
        );
        let Some(v) = refs.get(&sha) else {
            unmatched += 1;
            continue;
        };
        matched += 1;
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        compare(&report, v, &mut fields, &name);
    }
    println!(
        "corpus {}: {} files with a reference line compared, {} files without one, {} unreadable",
        dir.display(),
        matched,
        unmatched,
        errors.len()
    );
    println!("{:<22} {:>9} {:>11}", "field", "compared", "mismatches");
    let mut total_bad = 0;
    for (f, t) in &fields {
        println!("{:<22} {:>9} {:>11}", f, t.compared, t.mismatches.len());
        total_bad += t.mismatches.len();
    }
    for (f, t) in &fields {
        for m in t.mismatches.iter().take(5) {
            println!("  {f} mismatch: {m}");
        }
    }
    assert!(errors.is_empty(), "unreadable files: {errors:?}");
    assert!(matched > 0, "no corpus file matched a reference line");
    assert_eq!(
        total_bad, 0,
        "{total_bad} field mismatches (see summary above)"
    );
}
