//! The code-index store suite (`ascribe_code::conformance`, which `MemoryStore` and `DiskStore`
//! pass) against a real PostgreSQL, plus what only a shared database has: concurrent writers,
//! a killed writer, answers equal to the embedded index. Set `ASCRIBE_TEST_PG_URL`
//! (e.g. `postgres://ascribe:ascribe@127.0.0.1:5432/ascribe_test`); without it every test
//! prints why it skips, unless `ASCRIBE_TEST_PG=1` (CI), which makes that a failure. Each test
//! works in a schema of its own, dropped at the end.

use ascribe_code::conformance::{self, sample_file, sign, summary, writer_query, writer_samples};
use ascribe_code::{
    copy_index, digest, AddOutcome, CodeIndex, CodeIndexStore, DiskStore, QueryOptions, SampleMeta,
    SampleRecord,
};
use ascribe_store_pg::PgCodeStore;

mod common;
use common::TestDb;

fn test_db(test: &str) -> Option<TestDb> {
    common::test_db("tc", test)
}

fn open(db: &TestDb) -> PgCodeStore {
    PgCodeStore::open_in_schema(&db.url, &db.schema).expect("open the test schema")
}

#[test]
fn answers_match_the_memory_store() {
    let Some(db) = test_db("answers") else { return };
    conformance::answers_match_the_memory_store(open(&db));
}

#[test]
fn re_adding_is_idempotent() {
    let Some(db) = test_db("readd") else { return };
    conformance::re_adding_is_idempotent(open(&db));
}

#[test]
fn long_posting_lists_are_sampled_evenly() {
    let Some(db) = test_db("long_lists") else {
        return;
    };
    conformance::long_posting_lists_are_sampled_evenly(open(&db));
}

#[test]
fn flushed_samples_survive_reopening() {
    let Some(db) = test_db("reopen") else { return };
    conformance::flushed_samples_survive_reopening(|| open(&db));
    let rep = open(&db).verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    assert_eq!(rep.counts.samples, 8);
}

/// The same samples indexed in a `DiskStore` and in PostgreSQL give the same answers, and
/// `copy_index` moves an index both ways with equal digests.
#[test]
fn same_answers_as_the_embedded_index_and_copies_both_ways() {
    let Some(db) = test_db("vs_disk") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    let mut pg = CodeIndex::new(open(&db)).unwrap();
    for w in 0..3 {
        for (fam, data) in writer_samples(w) {
            let m = conformance::meta(&fam);
            assert_eq!(
                disk.add_bytes(&data, &m).unwrap(),
                pg.add_bytes(&data, &m).unwrap()
            );
        }
    }
    disk.flush().unwrap();
    disk.store_mut().compact().unwrap();
    pg.flush().unwrap();
    let opts = QueryOptions::default();
    for w in 0..3 {
        let q = writer_query(w);
        let want = disk.similar_bytes(&q, &opts).unwrap();
        assert!(!want.is_empty());
        assert_eq!(pg.similar_bytes(&q, &opts).unwrap(), want, "query {w}");
    }
    let d = digest(disk.store()).unwrap();
    assert_eq!(digest(pg.store()).unwrap(), d);
    // PostgreSQL → a new embedded index → a new PostgreSQL schema.
    let dir2 = tempfile::tempdir().unwrap();
    let mut back = DiskStore::open(dir2.path()).unwrap();
    copy_index(pg.store(), &mut back, 100, &mut |_, _| {}).unwrap();
    assert_eq!(digest(&back).unwrap(), d);
    let Some(db2) = test_db("vs_disk2") else {
        return;
    };
    let mut pg2 = open(&db2);
    let sum = copy_index(&back, &mut pg2, 100, &mut |_, _| {}).unwrap();
    assert_eq!(sum.added, d.counts.samples);
    assert_eq!(
        d.counts.samples, 19,
        "6 samples of each writer, the shared one once"
    );
    assert_eq!(digest(&pg2).unwrap(), d);
    assert!(pg2.verify().unwrap().problems.is_empty());
}

/// Two writers (two connections, as two `index add` processes) adding overlapping samples at
/// once: every sample stored once, no posting lost, the answers of a sequential build.
#[test]
fn concurrent_writers_store_each_sample_once_and_lose_nothing() {
    let Some(db) = test_db("concurrent") else {
        return;
    };
    let Some(seq) = test_db("concurrent_seq") else {
        return;
    };
    // Writer w adds its own samples and the other writer's, in opposite orders, so the two
    // collide on every shared file.
    let mut all: Vec<(String, Vec<u8>)> = Vec::new();
    for w in 0..2 {
        all.extend(writer_samples(w));
    }
    {
        let mut s = CodeIndex::new(open(&seq)).unwrap();
        for (f, d) in &all {
            s.add_bytes(d, &conformance::meta(f)).unwrap();
        }
        s.flush().unwrap();
    }
    let url = db.url.clone();
    let schema = db.schema.clone();
    let _ = open(&db); // migrate once before the race
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let (url, schema) = (url.clone(), schema.clone());
            let mut mine = all.clone();
            if w == 1 {
                mine.reverse();
            }
            std::thread::spawn(move || {
                let mut idx =
                    CodeIndex::new(PgCodeStore::open_in_schema(&url, &schema).unwrap()).unwrap();
                let mut added = 0;
                for (f, d) in &mine {
                    if let AddOutcome::Added { .. } =
                        idx.add_bytes(d, &conformance::meta(f)).unwrap()
                    {
                        added += 1;
                    }
                }
                idx.flush().unwrap();
                added
            })
        })
        .collect();
    let added: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let distinct = {
        let mut v: Vec<String> = all
            .iter()
            .map(|(_, d)| ascribe_code::sha256_hex(d))
            .collect();
        v.sort();
        v.dedup();
        v.len()
    };
    assert_eq!(added, distinct, "each file added by exactly one writer");
    let got = CodeIndex::new(open(&db)).unwrap();
    let want = CodeIndex::new(open(&seq)).unwrap();
    assert_eq!(got.stats().unwrap(), want.stats().unwrap());
    let rep = got.store().verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    for w in 0..2 {
        let q = writer_query(w);
        assert_eq!(
            summary(&got.similar_bytes(&q, &QueryOptions::default()).unwrap()),
            summary(&want.similar_bytes(&q, &QueryOptions::default()).unwrap()),
            "query {w}"
        );
    }
}

/// A reader opened before a writer's commits ignores them (its snapshot); a writer whose
/// connection dies mid-sample leaves nothing of that sample, and adding it again completes.
#[test]
fn snapshots_and_a_writer_killed_mid_sample() {
    let Some(db) = test_db("killed") else { return };
    let mut w = CodeIndex::new(open(&db)).unwrap();
    conformance::populate(&mut w);
    let reader = CodeIndex::new(open(&db)).unwrap();
    let before = reader
        .similar_bytes(&conformance::query(), &QueryOptions::default())
        .unwrap();
    // A second writer starts a sample and dies before its last function (its connection is
    // dropped: the server rolls the transaction back).
    let extra = sign(&sample_file(&[1, 2, 3, 4, 150, 151, 9], 0));
    {
        let mut dying = open(&db);
        let id = dying
            .put_sample(SampleRecord {
                sha256: extra.sha256.clone(),
                family: "X".into(),
                actor: None,
                name: None,
                format: extra.format,
                arch: extra.arch,
                functions_total: extra.functions_total,
                functions_indexed: extra.functions.len() as u32,
                packed: false,
                imports: vec![],
                strings: Vec::new(),
                exports: Vec::new(),
                records_sha256: None,
            })
            .unwrap();
        let ins = conformance::inserts(&extra);
        dying.put_functions(id, &ins[..2]).unwrap();
        // dropped here, uncommitted
    }
    // Meanwhile the first writer adds one more sample: the id allocator was released.
    let more = sample_file(&[60, 61, 62, 63], 1);
    assert!(matches!(
        w.add_bytes(&more, &conformance::meta("D")).unwrap(),
        AddOutcome::Added { sample: 8, .. }
    ));
    // The old reader's answers do not move; a new reader sees 9 samples, none of X.
    assert_eq!(
        reader
            .similar_bytes(&conformance::query(), &QueryOptions::default())
            .unwrap(),
        before
    );
    let fresh = CodeIndex::new(open(&db)).unwrap();
    assert_eq!(fresh.stats().unwrap().counts.samples, 9);
    assert!(fresh.store().verify().unwrap().problems.is_empty());
    // The re-run completes.
    let mut again = CodeIndex::new(open(&db)).unwrap();
    let meta = SampleMeta {
        family: "X".into(),
        actor: None,
        name: None,
    };
    assert!(matches!(
        again.add_signed(&extra, &meta).unwrap(),
        AddOutcome::Added { sample: 9, .. }
    ));
    again.flush().unwrap();
    let rep = open(&db).verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    assert_eq!(rep.counts.samples, 10);
    // A read-only store refuses writes.
    let mut ro = PgCodeStore::open_in_schema_read_only(&db.url, &db.schema).unwrap();
    assert_eq!(ro.counts().unwrap().samples, 10);
    assert!(ro.put_sample(fresh.store().sample(0).unwrap()).is_err());
}

/// A long list written as many small blocks (one a sample) is sampled as the memory store
/// samples it, before and after `compact` merges the blocks, and with a batched writer.
#[test]
fn posting_blocks_sample_evenly_before_and_after_compaction() {
    use ascribe_code::{FunctionInsert, FunctionSignature, MemoryStore, MINHASH_K};
    let Some(db) = test_db("blocks") else { return };
    let sig = |i: u32| FunctionSignature {
        address: u64::from(i),
        exact: u64::from(i) * 31,
        instructions: 12,
        blocks: 1,
        edges: 0,
        minhash: vec![i as u16; MINHASH_K],
    };
    let fill = |st: &mut dyn FnMut(SampleRecord, Vec<FunctionInsert>)| {
        for s in 0..40u32 {
            let rec = SampleRecord {
                sha256: format!("{s:064x}"),
                family: "f".into(),
                actor: None,
                name: None,
                format: ascribe_code::Format::Elf,
                arch: ascribe_code::Arch::X64,
                functions_total: 20,
                functions_indexed: 20,
                packed: false,
                imports: vec![],
                strings: Vec::new(),
                exports: Vec::new(),
                records_sha256: None,
            };
            let batch = (0..20)
                .map(|j| {
                    let i = s * 20 + j;
                    let mut keys = vec![1u64, 1000 + u64::from(i)];
                    if i % 7 == 0 {
                        keys.push(2);
                    }
                    FunctionInsert {
                        signature: sig(i),
                        band_keys: keys,
                    }
                })
                .collect();
            st(rec, batch);
        }
    };
    let mut mem = MemoryStore::new();
    fill(&mut |r, b| {
        let id = mem.put_sample(r).unwrap();
        mem.put_functions(id, &b).unwrap();
    });
    let keys = [1u64, 2, 1005, 3];
    let check = |st: &PgCodeStore| {
        for limit in [0, 1, 7, 128, 200, 1000] {
            assert_eq!(
                st.lookup_bands(&keys, limit).unwrap(),
                mem.lookup_bands(&keys, limit).unwrap(),
                "limit {limit}"
            );
        }
    };
    for batch in [0usize, 100] {
        let db = test_db(&format!("blocks{batch}")).expect("a server");
        let mut st = open(&db);
        st.set_batch_functions(batch);
        fill(&mut |r, b| {
            let id = st.put_sample(r).unwrap();
            st.put_functions(id, &b).unwrap();
        });
        st.flush().unwrap();
        check(&st);
        let (k, before, after) = st.compact().unwrap();
        assert_eq!(k, 2, "keys 1 and 2 had several blocks");
        assert!(after < before, "{before} → {after}");
        check(&st);
        assert_eq!(st.compact().unwrap().0, 0, "nothing left to compact");
        let rep = st.verify().unwrap();
        assert!(rep.problems.is_empty(), "{:?}", rep.problems);
        assert_eq!(rep.counts, mem.counts().unwrap());
        check(&open(&db));
    }
    drop(db);
}

/// A read-only store reading through several connections in one exported snapshot gives the
/// answers of one connection, and does not see what a writer commits after it opened.
#[test]
fn readers_in_one_snapshot_give_the_same_answers() {
    let Some(db) = test_db("readers") else { return };
    let mut w = CodeIndex::new(open(&db)).unwrap();
    conformance::populate(&mut w);
    let one = CodeIndex::new(PgCodeStore::open_in_schema_read_only(&db.url, &db.schema).unwrap())
        .unwrap();
    let mut st = PgCodeStore::open_in_schema_read_only(&db.url, &db.schema).unwrap();
    st.add_readers(&db.url, Some(&db.schema), 3).unwrap();
    let three = CodeIndex::new(st).unwrap();
    // committed after both opened: neither may see it
    w.add_bytes(&conformance::query(), &conformance::meta("late"))
        .unwrap();
    w.flush().unwrap();
    let q = sign(&conformance::query());
    let opts = QueryOptions::default();
    assert_eq!(
        one.match_samples(&q, &opts).unwrap(),
        three.match_samples(&q, &opts).unwrap()
    );
    // enough keys to be split over the connections
    let keys: Vec<u64> = (0..5000u64)
        .chain(
            q.functions
                .iter()
                .flat_map(|f| ascribe_code::band_keys(&f.minhash)),
        )
        .collect();
    assert_eq!(
        one.store().lookup_bands(&keys, 2).unwrap(),
        three.store().lookup_bands(&keys, 2).unwrap()
    );
    assert_eq!(three.store().counts().unwrap().samples, 8);
    let mut rw = open(&db);
    assert!(
        rw.add_readers(&db.url, Some(&db.schema), 2).is_err(),
        "a writer keeps one connection"
    );
    rw.flush().unwrap();
}
