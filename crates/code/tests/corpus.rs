//! Cheap corpus check for CI: a few dozen real PE files (small projects), each matched against
//! the files of the other versions. Run with
//! `ASCRIBE_CORPUS=/work/corpus cargo test -p ascribe-code --test corpus -- --ignored`.
use std::collections::HashMap;

use ascribe_code::{
    sign_bytes, AddOutcome, CodeIndex, ExtractConfig, MemoryStore, QueryOptions, SampleMeta,
    SignatureConfig,
};

#[test]
#[ignore = "needs the corpus: set ASCRIBE_CORPUS and pass --ignored"]
fn small_projects_match_their_other_versions() {
    let dir =
        std::env::var("ASCRIBE_CORPUS").expect("ASCRIBE_CORPUS must point at the corpus directory");
    let manifest = std::fs::read_to_string(format!("{dir}/manifest.tsv")).expect("manifest.tsv");
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
