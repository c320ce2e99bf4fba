mod common;

use ascribe_code::conformance::{meta, populate, query, CRT};
use ascribe_code::{AddOutcome, CodeIndex, DiskStore, MemoryStore, QueryOptions};
use common::sample_file as file;

#[test]
fn similar_ranks_the_right_family_and_discounts_shared_runtime() {
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    populate(&mut idx);
    let res = idx
        .similar_bytes(&query(), &QueryOptions::default())
        .unwrap();
    assert_eq!(res[0].family, "A");
    assert_eq!(res[0].actors, vec!["actor-A".to_string()]);
    assert_eq!(res[0].shared_functions, 7, "4 own + 3 runtime");
    assert!(res.len() == 3, "B and C share the runtime only");
    assert!(
        res[0].score > 3.0 * res[1].score,
        "{} vs {}",
        res[0].score,
        res[1].score
    );
    let own = res[0]
        .top_pairs
        .iter()
        .find(|p| p.df_families == 1)
        .unwrap();
    let crt = res[0]
        .top_pairs
        .iter()
        .find(|p| p.df_families == 3)
        .unwrap();
    assert!(
        own.weight > 5.0 * crt.weight,
        "{} vs {}",
        own.weight,
        crt.weight
    );
    assert_eq!(crt.df_samples, 8);
    assert!(crt.exact && crt.similarity == 1.0);
    // Coverage: the best A sample holds 3 of the query's 4 known own functions (two with df 2,
    // one with df 3); the runtime (df 8 of 8 samples) weighs 0; the 2 new functions count with
    // the maximum IDF ln(9).
    let idf = |df: f32| (9.0f32 / (df + 1.0)).ln();
    let expected = (2.0 * idf(2.0) + idf(3.0)) / (3.0 * idf(2.0) + idf(3.0) + 2.0 * 9f32.ln());
    assert!(
        (res[0].coverage - expected).abs() < 1e-4,
        "{} vs {expected}",
        res[0].coverage
    );
}

#[test]
fn re_adding_is_idempotent() {
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    populate(&mut idx);
    let before = idx.stats().unwrap();
    let again = idx
        .add_bytes(&file(&[1, 2, 3, 4, 5, 6, 200, 201, 202], 0), &meta("other"))
        .unwrap();
    // Version 0 of A replaced salt 1 with 101, so this exact file is new; add it twice.
    assert!(matches!(again, AddOutcome::Added { .. }));
    let twice = idx
        .add_bytes(&file(&[1, 2, 3, 4, 5, 6, 200, 201, 202], 0), &meta("other"))
        .unwrap();
    assert!(matches!(twice, AddOutcome::AlreadyIndexed { .. }));
    let after = idx.stats().unwrap();
    assert_eq!(after.counts.samples, before.counts.samples + 1);
    assert_eq!(after.families["other"], 1);
}

#[test]
fn disk_store_persists_compacts_and_matches_memory_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut mem = CodeIndex::new(MemoryStore::new()).unwrap();
    populate(&mut mem);
    let expected = mem
        .similar_bytes(&query(), &QueryOptions::default())
        .unwrap();
    {
        let mut disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
        populate(&mut disk);
        // Before compaction the postings come from the log.
        assert_eq!(
            disk.similar_bytes(&query(), &QueryOptions::default())
                .unwrap(),
            expected
        );
        disk.store_mut().compact().unwrap();
        assert_eq!(
            disk.similar_bytes(&query(), &QueryOptions::default())
                .unwrap(),
            expected
        );
    }
    let disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    assert_eq!(disk.stats().unwrap(), mem.stats().unwrap());
    assert_eq!(
        disk.similar_bytes(&query(), &QueryOptions::default())
            .unwrap(),
        expected
    );
}

#[test]
fn disk_store_drops_an_uncommitted_tail() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
        populate(&mut disk);
    }
    // Simulate a crash while adding one more sample: its functions and postings reached the
    // disk, its sample line did not.
    let samples = std::fs::read_to_string(dir.path().join("samples.jsonl")).unwrap();
    let lines: Vec<&str> = samples.lines().collect();
    std::fs::write(
        dir.path().join("samples.jsonl"),
        lines[..lines.len() - 1].join("\n") + "\n",
    )
    .unwrap();
    let disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    let c = disk.stats().unwrap().counts;
    assert_eq!(c.samples, 7);
    assert_eq!(c.functions, 63);
    assert_eq!(c.postings, 63 * 16);
    let mut disk = disk;
    // The dropped sample can be added again.
    let mut salts: Vec<u8> = (40..46).collect();
    salts[1] = salts[1].wrapping_add(100);
    salts.extend(CRT);
    assert!(matches!(
        disk.add_bytes(&file(&salts, 0), &meta("C")).unwrap(),
        AddOutcome::Added { .. }
    ));
}

#[test]
fn excluded_samples_are_not_reported() {
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    populate(&mut idx);
    let opts = QueryOptions {
        exclude_samples: vec![0, 1, 2],
        ..QueryOptions::default()
    };
    let res = idx.similar_bytes(&query(), &opts).unwrap();
    assert!(res.iter().all(|f| f.family != "A"));
}

/// A signed sample of `data` with the given import and export-name sets (hashes), as if read
/// from its headers.
fn signed_with(data: &[u8], imports: &[u64], exports: &[u64]) -> ascribe_code::SignedSample {
    use ascribe_code::{sign_bytes, ExtractConfig, SignatureConfig};
    let mut s = sign_bytes(data, &ExtractConfig::default(), &SignatureConfig::default()).unwrap();
    s.imports = imports.to_vec();
    s.exports = exports.to_vec();
    s
}

#[test]
fn import_sets_rank_equal_code_and_find_recompiled_variants() {
    let sign = |data: &[u8], imports: &[u64]| signed_with(data, imports, &[]);
    let a_code: Vec<u8> = (1..7).collect();
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    // X and Y hold the same code (Y differs in a trailing byte only); X imports what the
    // query imports, Y does not.
    let x = file(&a_code, 0);
    let mut y = x.clone();
    y.push(0);
    idx.add_signed(&sign(&x, &[1, 2, 3, 4]), &meta("X"))
        .unwrap();
    idx.add_signed(&sign(&y, &[9, 10]), &meta("Y")).unwrap();
    // Z shares no code at all but most imports: a variant rebuilt by another compiler.
    let z = file(&(60..66).collect::<Vec<u8>>(), 0);
    idx.add_signed(&sign(&z, &[1, 2, 3, 5]), &meta("Z"))
        .unwrap();
    idx.flush().unwrap();
    let q = sign(&file(&a_code, 3), &[1, 2, 3, 4]);
    let res = idx.match_samples(&q, &QueryOptions::default()).unwrap();
    let names: Vec<&str> = res
        .iter()
        .map(|(m, _)| match m.sample {
            0 => "X",
            1 => "Y",
            _ => "Z",
        })
        .collect();
    assert_eq!(
        names[0], "X",
        "equal code, the matching imports first: {names:?}"
    );
    assert_eq!(names.len(), 3);
    let by = |s: u32| &res.iter().find(|(m, _)| m.sample == s).unwrap().0;
    let (x_m, y_m, z_m) = (by(0), by(1), by(2));
    assert!((x_m.coverage - y_m.coverage).abs() < 1e-6, "same code");
    assert_eq!(x_m.import_similarity, 1.0);
    assert_eq!(y_m.import_similarity, 0.0);
    assert_eq!(z_m.shared_functions, 0);
    assert_eq!(z_m.coverage, 0.0, "imports are not code-reuse evidence");
    assert!((z_m.import_similarity - 0.6).abs() < 1e-6);
    // Code only: Z is not reported, and the code evidence is unchanged.
    let code_only = QueryOptions {
        import_weight: 0.0,
        ..QueryOptions::default()
    };
    let res2 = idx.match_samples(&q, &code_only).unwrap();
    assert_eq!(res2.len(), 2);
    assert!((res2[0].0.coverage - x_m.coverage).abs() < 1e-6);
}

#[test]
fn a_family_with_many_samples_does_not_take_the_credit_for_shared_runtime_code() {
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    // "Big": four samples linking the runtime; "Small": one; five unrelated samples.
    for k in 0..4u8 {
        idx.add_bytes(&file(&[CRT[0], CRT[1], CRT[2], 10 + k], 0), &meta("Big"))
            .unwrap();
    }
    idx.add_bytes(&file(&[CRT[0], CRT[1], CRT[2], 50], 0), &meta("Small"))
        .unwrap();
    for k in 0..5u8 {
        idx.add_bytes(&file(&[100 + k, 120 + k], 0), &meta("Other"))
            .unwrap();
    }
    idx.flush().unwrap();
    // A query holding the runtime only: the two families that hold it share the credit alike
    // (with the share of holding samples, Big took 4/5 of it and Small 1/5).
    let res = idx
        .similar_bytes(&file(&CRT, 0), &QueryOptions::default())
        .unwrap();
    let cov = |f: &str| res.iter().find(|m| m.family == f).unwrap().coverage;
    assert!(cov("Big") > 0.0);
    assert!(
        (cov("Big") - cov("Small")).abs() < 1e-6,
        "{} vs {}",
        cov("Big"),
        cov("Small")
    );
    // and each gets (1/2)^3 of what a family holding it alone would
    let pair = &res[0].top_pairs[0];
    let idf = (11.0f32 / 6.0).ln() * (pair.instructions as f32 / 10.0).max(1.0).sqrt();
    assert_eq!(pair.df_families, 2);
    assert!(
        (pair.weight - idf / 8.0).abs() < 1e-4,
        "{} vs {}",
        pair.weight,
        idf / 8.0
    );
}

#[test]
fn export_names_rank_equal_candidates_and_never_find_a_sample() {
    let sign = signed_with;
    let a_code: Vec<u8> = (1..7).collect();
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    // X and Y hold the same code and imports; X exports what the query exports, Y another
    // name. Z shares only the export names: no code, no imports.
    let x = file(&a_code, 0);
    let mut y = x.clone();
    y.push(0);
    idx.add_signed(&sign(&y, &[1, 2], &[77]), &meta("Y"))
        .unwrap();
    idx.add_signed(&sign(&x, &[1, 2], &[42]), &meta("X"))
        .unwrap();
    let z = file(&(60..66).collect::<Vec<u8>>(), 0);
    idx.add_signed(&sign(&z, &[9], &[42]), &meta("Z")).unwrap();
    idx.flush().unwrap();
    let q = sign(&file(&a_code, 3), &[1, 2], &[42]);
    let res = idx.match_samples(&q, &QueryOptions::default()).unwrap();
    let names: Vec<&str> = res
        .iter()
        .map(|(m, _)| match m.sample {
            0 => "Y",
            1 => "X",
            _ => "Z",
        })
        .collect();
    assert_eq!(names, ["X", "Y"], "Z shares only exports: not reported");
    let (x_m, y_m) = (&res[0].0, &res[1].0);
    assert_eq!(x_m.export_similarity, 1.0);
    assert_eq!(y_m.export_similarity, 0.0);
    assert!((x_m.coverage - y_m.coverage).abs() < 1e-6, "same code");
    assert!(
        (x_m.rank_score - y_m.rank_score - QueryOptions::default().export_weight).abs() < 1e-5,
        "exports add export_weight × Jaccard to the ranking key only"
    );
    // Off: no export similarity, and the tie falls back on the earlier sample.
    let off = QueryOptions {
        export_weight: 0.0,
        ..QueryOptions::default()
    };
    let res2 = idx.match_samples(&q, &off).unwrap();
    assert_eq!(res2.len(), 2);
    assert!(res2.iter().all(|(m, _)| m.export_similarity == 0.0));
    assert_eq!(res2[0].0.sample, 0, "equal keys: the lower sample id first");
}
