//! Cheap corpus check for CI: a few dozen real PE files (small projects), each matched against
//! the files of the other versions. Run with
//! `ASCRIBE_CORPUS=/work/corpus cargo test -p ascribe-code --test corpus -- --ignored`.
use std::collections::HashMap;

use ascribe_code::{
    sign_bytes, AddOutcome, CodeIndex, ExtractConfig, MemoryStore, QueryOptions, SampleMeta,
    SignatureConfig,
};

/// The corpus directory (`ASCRIBE_CORPUS`) and its `manifest.tsv`.
fn corpus() -> (String, String) {
    let dir =
        std::env::var("ASCRIBE_CORPUS").expect("ASCRIBE_CORPUS must point at the corpus directory");
    let manifest = std::fs::read_to_string(format!("{dir}/manifest.tsv")).expect("manifest.tsv");
    (dir, manifest)
}

#[test]
#[ignore = "needs the corpus: set ASCRIBE_CORPUS and pass --ignored"]
fn small_projects_match_their_other_versions() {
    let (dir, manifest) = corpus();
    let wanted = [
        "psutil",
        "pyyaml",
        "markupsafe",
        "ujson",
        "regex",
        "pyinstaller",
    ];
    let mut rows = Vec::new();
    for line in manifest.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c[5] == "pe" && c[10] == "own" && wanted.contains(&c[1]) {
            rows.push((
                c[1].to_string(),
                c[2].to_string(),
                c[11].to_string(),
                c[12].to_string(),
            ));
        }
    }
    assert!(
        rows.len() >= 20,
        "expected a few dozen files, got {}",
        rows.len()
    );
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    let mut signed = Vec::new();
    let mut sample_of = HashMap::new();
    for (p, v, _, rel) in &rows {
        let data = std::fs::read(format!("{dir}/{rel}")).unwrap();
        let s = sign_bytes(
            &data,
            &ExtractConfig::default(),
            &SignatureConfig::default(),
        )
        .unwrap();
        let meta = SampleMeta {
            family: p.clone(),
            actor: None,
            name: Some(rel.clone()),
        };
        let id = match idx.add_signed(&s, &meta).unwrap() {
            AddOutcome::Added { sample, .. } | AddOutcome::AlreadyIndexed { sample } => sample,
        };
        sample_of
            .entry((p.clone(), v.clone()))
            .or_insert_with(Vec::new)
            .push(id);
        signed.push(s);
    }
    let (mut ok, mut sib) = (0, 0);
    for (i, (p, v, key, _)) in rows.iter().enumerate() {
        let opts = QueryOptions {
            exclude_samples: sample_of[&(p.clone(), v.clone())].clone(),
            // Benchmarks exclude the query's own copy explicitly (the product reports it).
            exclude_self: true,
            ..QueryOptions::default()
        };
        let m = idx.match_samples(&signed[i], &opts).unwrap();
        if let Some((best, _)) = m.first() {
            let j = rows
                .iter()
                .position(|r| Some(&r.3) == best.name.as_ref())
                .unwrap();
            ok += usize::from(rows[j].0 == *p);
            sib += usize::from(rows[j].0 == *p && rows[j].2 == *key);
        }
    }
    let n = rows.len() as f64;
    assert!(ok as f64 / n >= 0.95, "project top-1 {ok}/{n}");
    assert!(sib as f64 / n >= 0.85, "sibling top-1 {sib}/{n}");
}

/// No file with an import table yields an empty import set (issue 12): every PE file of the
/// corpus whose import directory is set gets a non-empty set from the reader the index uses,
/// the way the delvewheel-patched modules whose tables `object` rejects ("Invalid PE import
/// thunk address") are (that layout is tested on a fixture in `tests/extract.rs`; the
/// shared corpus's delvewheel-renamed numpy modules keep their names in place). Run with
/// `ASCRIBE_CORPUS=/work/corpus cargo test -p ascribe-code --test corpus -- --ignored`.
#[test]
#[ignore = "needs the corpus: set ASCRIBE_CORPUS and pass --ignored"]
fn no_pe_with_an_import_table_has_an_empty_import_set() {
    use object::Object;
    let (dir, manifest) = corpus();
    let (mut files, mut with_table, mut object_empty_ours_not) = (0usize, 0usize, Vec::new());
    let mut empty = Vec::new();
    for line in manifest.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c[5] != "pe" {
            continue;
        }
        files += 1;
        let rel = c[12];
        let data = std::fs::read(format!("{dir}/{rel}")).unwrap();
        let mut notes = Vec::new();
        let tables = ascribe_binary::pe::import_tables(&data, &mut notes).unwrap();
        if !tables.has_import_directory {
            continue;
        }
        with_table += 1;
        let (set, warnings) = ascribe_code::import_set(&data).unwrap();
        if set.is_empty() {
            empty.push(format!("{rel}: {warnings:?}"));
            continue;
        }
        let object_names = object::File::parse(&*data).ok().map_or(0, |f| {
            f.imports()
                .map_or(0, |v| v.into_iter().filter(|i| i.is_ok()).count())
        });
        if object_names == 0 {
            object_empty_ours_not.push(rel.to_string());
        }
    }
    eprintln!(
        "{files} PE files, {with_table} with an import table; {} read here but not by `object`, e.g. {:?}",
        object_empty_ours_not.len(),
        object_empty_ours_not.iter().take(3).collect::<Vec<_>>()
    );
    // not vacuous on any corpus set (CI reads the win32 subset, 357 files;
    // the whole corpus has 1,338 PE files, all with an import table)
    assert!(
        files > 0 && with_table * 10 >= files * 9,
        "only {with_table} of {files} PE files with imports"
    );
    assert!(
        empty.is_empty(),
        "{} file(s) with an import table got an empty import set: {:?}",
        empty.len(),
        &empty[..empty.len().min(10)]
    );
}

/// Every Python extension module of the corpus (a `.pyd` file) exports `PyInit_<module>`, the
/// module's name up to its first dot, and the code index's export-name set holds it: the
/// export table is read (by `ascribe-binary`, pefile's rules) for every such file, and the set
/// is exactly the names `inspect` reports. Run with
/// `ASCRIBE_CORPUS=/work/corpus cargo test -p ascribe-code --test corpus -- --ignored`.
#[test]
#[ignore = "needs the corpus: set ASCRIBE_CORPUS and pass --ignored"]
fn every_python_extension_module_exports_its_init_function() {
    let (dir, manifest) = corpus();
    let (mut modules, mut missing) = (0usize, Vec::new());
    for line in manifest.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let rel = c[12];
        if c[5] != "pe" || !rel.ends_with(".pyd") {
            continue;
        }
        modules += 1;
        let module = rel.rsplit('/').next().unwrap().split('.').next().unwrap();
        let data = std::fs::read(format!("{dir}/{rel}")).unwrap();
        let set = ascribe_code::export_set(&data).unwrap();
        // the same names `inspect` reports (one reader)
        let info = ascribe_binary::pe::parse(
            &data,
            &ascribe_binary::InspectOptions::structural(),
            &mut Vec::new(),
        )
        .unwrap();
        let mut inspected: Vec<u64> = info
            .exports
            .iter()
            .filter(|n| !ascribe_code::is_generic_export(n.as_bytes()))
            .map(|n| ascribe_code::export_key(n.as_bytes()))
            .collect();
        inspected.sort_unstable();
        inspected.dedup();
        assert_eq!(
            set, inspected,
            "{rel}: export set differs from inspect's names"
        );
        let init = ascribe_code::export_key(format!("PyInit_{module}").as_bytes());
        if set.binary_search(&init).is_err() {
            missing.push(format!("{rel} ({} exports)", set.len()));
        }
    }
    eprintln!("{modules} extension modules");
    assert!(modules > 0, "no .pyd file in {dir}");
    assert!(
        missing.is_empty(),
        "{} module(s) without PyInit_<module> in the export set: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
}
