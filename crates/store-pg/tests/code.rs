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
