//! Issue 13: one writer, many readers. Concurrent writers and readers against the on-disk store
//! must give the counts and answers of a sequential build; readers never modify files;
//! corruption is detected and named; an identical file is the strongest match.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ascribe_code::conformance::{summary, writer_query as query, writer_samples as samples_of};
use ascribe_code::{
    verify, CodeIndex, CodeIndexStore, DiskStore, MemoryStore, QueryOptions, SampleMeta,
};
use common::elf64;

fn meta(f: &str) -> SampleMeta {
    SampleMeta {
        family: f.into(),
        actor: None,
        name: None,
    }
}

#[test]
fn concurrent_writers_and_readers_match_a_sequential_build() {
    const WRITERS: u8 = 3;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    // Create the index so that readers have something to open from the start.
    drop(DiskStore::open(&path).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for r in 0..2u8 {
        let (path, done) = (path.clone(), done.clone());
        readers.push(std::thread::spawn(move || {
            let mut opens = 0;
            let mut last = 0;
            while !done.load(Ordering::SeqCst) {
                let idx = CodeIndex::new(DiskStore::open_read_only(&path).unwrap()).unwrap();
                let c = idx.stats().unwrap().counts;
                assert_eq!(
                    c.postings,
                    c.functions * 16,
                    "a reader saw a half-published state"
                );
                assert!(c.samples >= last, "samples went backwards");
                last = c.samples;
                idx.similar_bytes(&query(r), &QueryOptions::default())
                    .unwrap();
                // Checksums are published with the files they cover: never a false alarm.
                let rep = verify(&path).unwrap();
                assert!(rep.problems.is_empty(), "{:?}", rep.problems);
                opens += 1;
            }
            opens
        }));
    }
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                for (fam, data) in samples_of(w) {
                    // One process-level `index add` per sample: open as writer, add, compact.
                    let mut idx = CodeIndex::new(DiskStore::open(&path).unwrap()).unwrap();
                    idx.add_bytes(&data, &meta(&fam)).unwrap();
                    idx.flush().unwrap();
                    idx.store_mut().compact().unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    for r in readers {
        assert!(r.join().unwrap() > 0);
    }

    let mut seq = CodeIndex::new(MemoryStore::new()).unwrap();
    for w in 0..WRITERS {
        for (fam, data) in samples_of(w) {
            seq.add_bytes(&data, &meta(&fam)).unwrap();
        }
    }
    let disk = CodeIndex::new(DiskStore::open_read_only(&path).unwrap()).unwrap();
    let (a, b) = (disk.stats().unwrap(), seq.stats().unwrap());
    assert_eq!(a.counts, b.counts);
    assert_eq!(a.families, b.families);
    for w in 0..WRITERS {
        let q = query(w);
        assert_eq!(
            summary(&disk.similar_bytes(&q, &QueryOptions::default()).unwrap()),
            summary(&seq.similar_bytes(&q, &QueryOptions::default()).unwrap())
        );
    }
    let rep = verify(&path).unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    assert!(rep.checksummed);
}

fn build(dir: &Path) {
    let mut idx = CodeIndex::new(DiskStore::open(dir).unwrap()).unwrap();
    for w in 0..2 {
        for (fam, data) in samples_of(w) {
            idx.add_bytes(&data, &meta(&fam)).unwrap();
        }
    }
    idx.flush().unwrap();
    idx.store_mut().compact().unwrap();
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_reader_ignores_uncommitted_bytes_and_modifies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    // A writer's uncommitted appends: function records, log entries and a torn sample line.
    let append = |name: &str, bytes: &[u8]| {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(name))
            .unwrap()
            .write_all(bytes)
            .unwrap();
    };
    append("functions.bin", &[7u8; 160 * 3]);
    append("postings.log", &[9u8; 12 * 5]);
    append("samples.jsonl", b"{\"sha256\":\"ab");
    let before = snapshot(dir.path());
    let idx = CodeIndex::new(DiskStore::open_read_only(dir.path()).unwrap()).unwrap();
    assert_eq!(idx.stats().unwrap().counts.samples, 13);
    idx.similar_bytes(&query(0), &QueryOptions::default())
        .unwrap();
    drop(idx);
    assert!(verify(dir.path()).unwrap().problems.is_empty());
    assert_eq!(snapshot(dir.path()), before, "a reader modified the index");
    // The writer, on open, drops the tails and keeps the committed state.
    let idx = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    assert_eq!(idx.stats().unwrap().counts.samples, 13);
}

#[test]
fn corruption_is_detected_and_named() {
    // A bad line inside samples.jsonl: named, and nothing truncated.
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let sp = dir.path().join("samples.jsonl");
    let text = std::fs::read_to_string(&sp).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{not json";
    std::fs::write(&sp, lines.join("\n") + "\n").unwrap();
    let before = snapshot(dir.path());
    let e = DiskStore::open_read_only(dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("samples.jsonl: line 3"), "{e}");
    assert_eq!(snapshot(dir.path()), before);
    let rep = verify(dir.path()).unwrap();
    assert!(rep.problems.iter().any(|p| p.contains("samples.jsonl")));

    // Garbage inside functions.bin: verify names it; a query touching it errors.
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let fp = dir.path().join("functions.bin");
    let mut f = std::fs::read(&fp).unwrap();
    for b in &mut f[160 * 4..160 * 4 + 40] {
        *b ^= 0x5a;
    }
    std::fs::write(&fp, f).unwrap();
    let rep = verify(dir.path()).unwrap();
    assert!(
        rep.problems.iter().any(|p| p.contains("functions.bin")),
        "{:?}",
        rep.problems
    );

    // Damaged signature bytes (a MinHash value, the sample id intact): a query reading the
    // records names the damaged sample instead of answering from them; verify names it too.
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let fp = dir.path().join("functions.bin");
    let mut f = std::fs::read(&fp).unwrap();
    for rec in f.chunks_mut(160) {
        rec[100] ^= 0x01;
    }
    std::fs::write(&fp, f).unwrap();
    let idx = CodeIndex::new(DiskStore::open_read_only(dir.path()).unwrap()).unwrap();
    let e = idx
        .similar_bytes(&query(1), &QueryOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("functions.bin")
            && e.contains("do not match their checksum")
            && e.contains("index verify"),
        "{e}"
    );
    let rep = verify(dir.path()).unwrap();
    assert!(
        rep.problems
            .iter()
            .any(|p| p.contains("do not match their checksum")),
        "{:?}",
        rep.problems
    );

    // rebuild refuses to recompute postings from the damaged signatures (and to write a
    // manifest covering them): the damage stays visible to verify.
    let e = ascribe_code::rebuild(dir.path(), || {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("functions.bin") && e.contains("do not match their checksum"),
        "{e}"
    );
    assert!(verify(dir.path())
        .unwrap()
        .problems
        .iter()
        .any(|p| p.contains("do not match their checksum")));

    // Garbage inside postings.bin: verify names it; rebuild repairs it from the signatures.
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let good = CodeIndex::new(DiskStore::open_read_only(dir.path()).unwrap())
        .unwrap()
        .similar_bytes(&query(1), &QueryOptions::default())
        .unwrap();
    let pp = dir.path().join("postings.bin");
    let mut p = std::fs::read(&pp).unwrap();
    let n = p.len();
    for b in &mut p[n - 400..n - 200] {
        *b = 0xff;
    }
    std::fs::write(&pp, p).unwrap();
    let rep = verify(dir.path()).unwrap();
    assert!(
        rep.problems.iter().any(|p| p.contains("postings.bin")),
        "{:?}",
        rep.problems
    );
    ascribe_code::rebuild(dir.path(), || {}).unwrap();
    assert!(verify(dir.path()).unwrap().problems.is_empty());
    let idx = CodeIndex::new(DiskStore::open_read_only(dir.path()).unwrap()).unwrap();
    assert_eq!(
        idx.similar_bytes(&query(1), &QueryOptions::default())
            .unwrap(),
        good
    );
}

#[test]
fn an_identical_file_is_the_strongest_match() {
    let mut idx = CodeIndex::new(MemoryStore::new()).unwrap();
    for w in 0..3 {
        for (fam, data) in samples_of(w) {
            idx.add_bytes(&data, &meta(&fam)).unwrap();
        }
    }
    let same = samples_of(1).remove(2).1;
    let r = idx.similar_bytes(&same, &QueryOptions::default()).unwrap();
    assert_eq!(r[0].family, "F1");
    assert!(r[0].identical);
    assert_eq!(r[0].coverage, 1.0);
    assert!(r[0].samples[0].identical);
    // A file with no signable code at all is still matched by its SHA-256.
    let empty = elf64(&[0xc3], 0, &[0]);
    idx.add_bytes(&empty, &meta("Fempty")).unwrap();
    let r = idx.similar_bytes(&empty, &QueryOptions::default()).unwrap();
    assert_eq!(r[0].family, "Fempty");
    assert!(r[0].identical);
    // Benchmarks exclude the query's own copy explicitly.
    let opts = QueryOptions {
        exclude_self: true,
        ..QueryOptions::default()
    };
    let r = idx.similar_bytes(&same, &opts).unwrap();
    assert!(r.iter().all(|f| !f.identical));
    let _ = idx.store().counts().unwrap();
}

#[test]
fn the_bulk_builder_writes_a_verified_store() {
    use ascribe_code::{band_keys, sign_bytes, DiskStoreBuilder, FunctionInsert, SampleRecord};
    let dir = tempfile::tempdir().unwrap();
    let mut b = DiskStoreBuilder::create(dir.path()).unwrap();
    let mut mem = CodeIndex::new(MemoryStore::new()).unwrap();
    for (fam, data) in samples_of(0) {
        let s = sign_bytes(&data, &Default::default(), &Default::default()).unwrap();
        let fs: Vec<FunctionInsert> = s
            .functions
            .iter()
            .map(|f| FunctionInsert {
                signature: f.clone(),
                band_keys: band_keys(&f.minhash),
            })
            .collect();
        b.add_sample(
            SampleRecord {
                sha256: s.sha256.clone(),
                family: fam.clone(),
                actor: None,
                name: None,
                format: s.format,
                arch: s.arch,
                functions_total: s.functions_total,
                functions_indexed: fs.len() as u32,
                packed: s.packed,
                imports: s.imports.clone(),
                strings: Vec::new(),
                exports: Vec::new(),
                records_sha256: None,
            },
            &fs,
        )
        .unwrap();
        mem.add_bytes(&data, &meta(&fam)).unwrap();
    }
    drop(b.finish().unwrap());
    let rep = verify(dir.path()).unwrap();
    assert!(rep.checksummed && rep.problems.is_empty(), "{rep:?}");
    let disk = CodeIndex::new(DiskStore::open_read_only(dir.path()).unwrap()).unwrap();
    assert_eq!(disk.stats().unwrap(), mem.stats().unwrap());
}
