//! The code-index store suite (`ascribe_code::conformance`) on the code index
//! sharded across several PostgreSQL servers (`ShardedCodeStore`), the same
//! answers as the embedded index, and what only a sharded store has: orphan
//! rows of a writer interrupted between the shards' commits and the
//! coordinator's, a shard that is down. Set `ASCRIBE_TEST_PG_URL` (the
//! coordinator) and `ASCRIBE_TEST_PG_SHARDS=url1,url2,url3`; without them
//! every test prints why it skips, unless `ASCRIBE_TEST_PG=1` (CI), which
//! makes that a failure. Each test works in schemas of its own on every node.

use ascribe_code::conformance::{self, sample_file, writer_query, writer_samples};
use ascribe_code::CodeIndexStore;
use ascribe_code::{copy_index, digest, AddOutcome, CodeIndex, DiskStore, QueryOptions};
use ascribe_store_pg::shard::{shard_index, ShardedStore};
use ascribe_store_pg::{PgStore, ShardedCodeStore};

#[path = "common/layout.rs"]
mod layout;
use layout::{init, test_layout, TestLayout};

fn open(l: &TestLayout) -> ShardedCodeStore {
    ShardedCodeStore::open_in_schema(&l.coord, &l.schema).expect("open the sharded code index")
}

fn reader(l: &TestLayout) -> ShardedCodeStore {
    ShardedCodeStore::open_in_schema_read_only(&l.coord, &l.schema, false)
        .expect("open the sharded code index read-only")
}

fn layout(test: &str) -> Option<TestLayout> {
    let l = test_layout(test)?;
    drop(init(&l));
    Some(l)
}

#[test]
fn sharded_code_answers_match_the_memory_store() {
    let Some(l) = layout("code_answers") else {
        return;
    };
    conformance::answers_match_the_memory_store(open(&l));
}

#[test]
fn sharded_code_re_adding_is_idempotent() {
    let Some(l) = layout("code_readd") else {
        return;
    };
    conformance::re_adding_is_idempotent(open(&l));
}

#[test]
fn sharded_code_long_posting_lists_are_sampled_evenly() {
    let Some(l) = layout("code_long") else {
        return;
    };
    conformance::long_posting_lists_are_sampled_evenly(open(&l));
}

#[test]
fn sharded_code_flushed_samples_survive_reopening() {
    let Some(l) = layout("code_reopen") else {
        return;
    };
    conformance::flushed_samples_survive_reopening(|| open(&l));
    let r = reader(&l);
    let rep = r.verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    assert_eq!(rep.counts.samples, 8);
    assert!(r.orphans().unwrap().is_empty());
    // every shard holds a share of the functions and of the postings
    let n = l.shards.len();
    for (i, url) in l.shards.iter().enumerate() {
        let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
        for t in ["code_function", "code_posting"] {
            let k: i64 = c
                .query_one(&format!("SELECT count(*) FROM {}.{t}", l.schema), &[])
                .unwrap()
                .get(0);
            assert!(k > 0, "shard {} of {n} holds no {t}", i + 1);
        }
        let s: i64 = c
            .query_one(
                &format!("SELECT count(*) FROM {}.code_sample", l.schema),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(s, 0, "samples live on the coordinator only");
    }
}

/// The same samples indexed in a `DiskStore` and in the sharded store give the same answers
/// and digests, and `copy_index` moves the sharded index out and back.
#[test]
fn sharded_code_same_answers_as_the_embedded_index() {
    let Some(l) = layout("code_vs_disk") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut disk = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    let mut sh = CodeIndex::new(open(&l)).unwrap();
    for w in 0..3 {
        for (fam, data) in writer_samples(w) {
            let m = conformance::meta(&fam);
            assert_eq!(
                disk.add_bytes(&data, &m).unwrap(),
                sh.add_bytes(&data, &m).unwrap()
            );
        }
    }
    disk.flush().unwrap();
    disk.store_mut().compact().unwrap();
    sh.flush().unwrap();
    let ro = CodeIndex::new(reader(&l)).unwrap();
    let opts = QueryOptions::default();
    for w in 0..3 {
        let q = writer_query(w);
        let want = disk.similar_bytes(&q, &opts).unwrap();
        assert!(!want.is_empty());
        assert_eq!(sh.similar_bytes(&q, &opts).unwrap(), want, "query {w}");
        assert_eq!(ro.similar_bytes(&q, &opts).unwrap(), want, "query {w}");
    }
    let d = digest(disk.store()).unwrap();
    assert_eq!(digest(ro.store()).unwrap(), d);
    let dir2 = tempfile::tempdir().unwrap();
    let mut back = DiskStore::open(dir2.path()).unwrap();
    copy_index(ro.store(), &mut back, 100, &mut |_, _| {}).unwrap();
    assert_eq!(digest(&back).unwrap(), d);
    let Some(l2) = layout("code_vs_disk2") else {
        return;
    };
    let mut sh2 = open(&l2);
    copy_index(&back, &mut sh2, 100, &mut |_, _| {}).unwrap();
    assert_eq!(digest(&sh2).unwrap(), d);
    assert!(sh2.verify().unwrap().problems.is_empty());
}

/// A writer whose coordinator commit fails after the shards committed (what a kill between
/// the two leaves): its rows stay on the shards as orphans, readers ignore them, the check
/// reports them, and the next writer deletes them and stores the sample with the same ids —
/// the result equals an index built without the interruption.
#[test]
fn sharded_code_orphans_are_ignored_reported_and_removed() {
    let Some(l) = layout("code_orphans") else {
        return;
    };
    let mut w = CodeIndex::new(open(&l)).unwrap();
    conformance::populate(&mut w);
    let before = w
        .similar_bytes(&conformance::query(), &QueryOptions::default())
        .unwrap();
    let extra = sample_file(&[1, 2, 3, 4, 150, 151, 9, 200], 0);
    let sha = ascribe_code::sha256_hex(&extra);
    // the band keys the extra sample will post to, and their lists before it
    let signed = ascribe_code::sign_bytes(&extra, &w.extract_config, &w.signature_config).unwrap();
    let mut keys: Vec<u64> = signed
        .functions
        .iter()
        .flat_map(|f| ascribe_code::band_keys(&f.minhash))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let lists_before = reader(&l).lookup_bands(&keys, 4).unwrap();
    let mut c = postgres::Client::connect(&l.coord, postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "ALTER TABLE {}.code_sample ADD CONSTRAINT refuse_one CHECK (sha256 <> '{sha}')",
        l.schema
    ))
    .unwrap();
    let err = w
        .add_bytes(&extra, &conformance::meta("X"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("refuse_one"), "{err}");
    drop(w);
    // the shards committed their share: orphans, at or above the allocator (72 functions)
    let r = reader(&l);
    let orphans = r.orphans().unwrap();
    assert!(!orphans.is_empty());
    assert_eq!(orphans.iter().map(|o| o.functions).sum::<u64>(), 8);
    assert!(r.verify().unwrap().problems.is_empty());
    assert_eq!(
        r.lookup_bands(&keys, 4).unwrap(),
        lists_before,
        "the orphans' postings count in no list's length or sample"
    );
    let ri = CodeIndex::new(r).unwrap();
    assert_eq!(ri.stats().unwrap().counts.samples, 8);
    assert_eq!(
        ri.similar_bytes(&conformance::query(), &QueryOptions::default())
            .unwrap(),
        before,
        "the orphans' functions are never handed out"
    );
    drop(ri); // its snapshot holds a lock on code_sample
              // the re-run deletes them and completes
    c.batch_execute(&format!(
        "ALTER TABLE {}.code_sample DROP CONSTRAINT refuse_one",
        l.schema
    ))
    .unwrap();
    let mut again = CodeIndex::new(open(&l)).unwrap();
    assert!(matches!(
        again.add_bytes(&extra, &conformance::meta("X")).unwrap(),
        AddOutcome::Added { sample: 8, .. }
    ));
    again.flush().unwrap();
    let cleaned: u64 = again
        .store()
        .cleaned_orphans()
        .iter()
        .map(|o| o.functions)
        .sum();
    assert_eq!(cleaned, 8);
    let r = reader(&l);
    assert!(r.orphans().unwrap().is_empty());
    let rep = r.verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    let dir = tempfile::tempdir().unwrap();
    let mut clean = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    conformance::populate(&mut clean);
    clean.add_bytes(&extra, &conformance::meta("X")).unwrap();
    clean.flush().unwrap();
    assert_eq!(digest(&r).unwrap(), digest(clean.store()).unwrap());
}

/// A shard that is down: opening names it; a partial reader answers from the others and names
/// it; a writer is refused.
#[test]
fn sharded_code_a_shard_that_is_down_is_named_and_partial_reads_say_so() {
    let Some(l) = layout("code_down") else {
        return;
    };
    {
        let mut w = CodeIndex::new(open(&l)).unwrap();
        conformance::populate(&mut w);
    }
    let full = CodeIndex::new(reader(&l))
        .unwrap()
        .similar_bytes(&conformance::query(), &QueryOptions::default())
        .unwrap();
    let victim = l.shards.len() - 1;
    {
        let coord = PgStore::open_in_schema(&l.coord, &l.schema).unwrap();
        let mut layout = ShardedStore::layout_of(&coord).unwrap().unwrap();
        layout.shards[victim].url = "postgres://ascribe@127.0.0.1:1/nowhere".into();
        coord
            .set_meta(
                ascribe_store_pg::shard::LAYOUT_KEY,
                &serde_json::to_string(&layout).unwrap(),
            )
            .unwrap();
    }
    let want = format!(
        "shard {} of {} (postgres://ascribe@127.0.0.1:1/nowhere",
        victim + 1,
        l.shards.len()
    );
    let err = ShardedCodeStore::open_in_schema_read_only(&l.coord, &l.schema, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&want) && err.contains("unreachable"), "{err}");
    let err = ShardedCodeStore::open_in_schema(&l.coord, &l.schema)
        .unwrap_err()
        .to_string();
    assert!(err.contains(&want), "{err}");
    let p = ShardedCodeStore::open_in_schema_read_only(&l.coord, &l.schema, true).unwrap();
    let m = p.missing_shards();
    assert_eq!(m.len(), 1);
    assert!(m[0].starts_with(&want));
    let idx = CodeIndex::new(p).unwrap();
    let part = idx
        .similar_bytes(&conformance::query(), &QueryOptions::default())
        .unwrap();
    // family A still leads; the band look-ups hand out no function the missing shard holds
    // (its record could not be read), where the full index does
    assert_eq!(part[0].family, full[0].family);
    let keys: Vec<u64> = conformance::inserts(&conformance::sign(&conformance::query()))
        .iter()
        .flat_map(|f| f.band_keys.clone())
        .collect();
    let n = l.shards.len();
    let on_victim = |f: &u32| shard_index(&i64::from(*f).to_be_bytes(), n) == victim;
    let got = idx.store().lookup_bands(&keys, 64).unwrap();
    assert!(got.iter().all(|b| !b.functions.iter().any(on_victim)));
    assert!(got.iter().any(|b| !b.functions.is_empty()));
    // and the missing shard does hold functions of the index
    let mut c = postgres::Client::connect(&l.coord, postgres::NoTls).unwrap();
    let fids: Vec<i64> = c
        .query(
            &format!("SELECT first_function + g FROM {}.code_sample, generate_series(0, functions - 1) g", l.schema),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(fids
        .iter()
        .any(|f| shard_index(&f.to_be_bytes(), n) == victim));
}

/// Two writers (as two `index add` processes) adding overlapping samples to the sharded index
/// at once: each file stored once, the answers and statistics of a sequential build.
#[test]
fn sharded_code_concurrent_writers_store_each_sample_once() {
    concurrent_writers("code_conc", 0);
}

/// The same with bulk writers: batches of about 25 functions (several samples each), so the
/// two writers' batches interleave.
#[test]
fn sharded_code_concurrent_batched_writers_store_each_sample_once() {
    concurrent_writers("code_conc_batch", 25);
}

fn concurrent_writers(test: &str, batch: usize) {
    let Some(l) = layout(test) else {
        return;
    };
    let mut all: Vec<(String, Vec<u8>)> = Vec::new();
    for w in 0..2 {
        all.extend(writer_samples(w));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut seq = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    for (f, d) in &all {
        seq.add_bytes(d, &conformance::meta(f)).unwrap();
    }
    seq.flush().unwrap();
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let (url, schema) = (l.coord.clone(), l.schema.clone());
            let mut mine = all.clone();
            if w == 1 {
                mine.reverse();
            }
            std::thread::spawn(move || {
                let mut st = ShardedCodeStore::open_in_schema(&url, &schema).unwrap();
                st.set_batch_functions(batch);
                let mut idx = CodeIndex::new(st).unwrap();
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
    let got = CodeIndex::new(reader(&l)).unwrap();
    assert_eq!(added as u64, got.stats().unwrap().counts.samples);
    assert_eq!(got.stats().unwrap(), seq.stats().unwrap());
    let rep = got.store().verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    for w in 0..2 {
        let q = writer_query(w);
        assert_eq!(
            conformance::summary(&got.similar_bytes(&q, &QueryOptions::default()).unwrap()),
            conformance::summary(&seq.similar_bytes(&q, &QueryOptions::default()).unwrap()),
            "query {w}"
        );
    }
}

/// Rows of `table` in the test schema on each shard.
fn shard_rows(l: &TestLayout, table: &str) -> Vec<i64> {
    l.shards
        .iter()
        .map(|u| {
            postgres::Client::connect(u, postgres::NoTls)
                .unwrap()
                .query_one(&format!("SELECT count(*) FROM {}.{table}", l.schema), &[])
                .unwrap()
                .get(0)
        })
        .collect()
}

/// A bulk writer's batch (several samples, one transaction a shard) interrupted between the
/// shards' commits and the coordinator's: first the coordinator refuses the batch after every
/// shard committed, then the last shard's commit fails after the others committed. Nothing
/// acknowledged is lost (the earlier batch), readers see exactly the acknowledged samples and
/// answer as before, the orphans are reported, and the next writer removes them and stores
/// the batch with the same ids — the result equals an index built without the interruptions.
/// An unflushed batch is on no shard at all.
#[test]
fn sharded_code_an_interrupted_batch_loses_nothing_acknowledged() {
    let Some(l) = layout("code_batch") else {
        return;
    };
    let opts = QueryOptions::default();
    let batched = || {
        let mut st = open(&l);
        st.set_batch_functions(1_000_000);
        CodeIndex::new(st).unwrap()
    };
    // batch 1: written only at flush
    let mut w = batched();
    for (f, d) in writer_samples(0) {
        w.add_bytes(&d, &conformance::meta(&f)).unwrap();
    }
    assert_eq!(
        CodeIndex::new(reader(&l))
            .unwrap()
            .stats()
            .unwrap()
            .counts
            .samples,
        0
    );
    assert_eq!(shard_rows(&l, "code_function"), vec![0; l.shards.len()]);
    w.flush().unwrap();
    drop(w);
    let acked = CodeIndex::new(reader(&l)).unwrap();
    let acked_stats = acked.stats().unwrap();
    assert_eq!(acked_stats.counts.samples, 7);
    // one transaction a shard for the batch: one posting block a key
    let blocks: i64 = shard_rows(&l, "code_posting").iter().sum();
    let keys: i64 = l
        .shards
        .iter()
        .map(|u| {
            postgres::Client::connect(u, postgres::NoTls)
                .unwrap()
                .query_one(
                    &format!(
                        "SELECT count(DISTINCT band_key) FROM {}.code_posting",
                        l.schema
                    ),
                    &[],
                )
                .unwrap()
                .get::<_, i64>(0)
        })
        .sum();
    assert_eq!(blocks, keys, "one block a key for a batch of 7 samples");
    let before: Vec<_> = (0..3)
        .map(|q| acked.similar_bytes(&writer_query(q), &opts).unwrap())
        .collect();
    drop(acked);
    let batch2 = writer_samples(1);
    let third = ascribe_code::sha256_hex(&batch2[2].1);
    let check = |what: &str| {
        let r = reader(&l);
        let orphans = r.orphans().unwrap();
        assert!(!orphans.is_empty(), "{what}: orphans on the shards");
        let rep = r.verify().unwrap();
        assert!(rep.problems.is_empty(), "{what}: {:?}", rep.problems);
        let ri = CodeIndex::new(r).unwrap();
        assert_eq!(
            ri.stats().unwrap(),
            acked_stats,
            "{what}: the acknowledged index"
        );
        for (q, want) in before.iter().enumerate() {
            assert_eq!(
                &ri.similar_bytes(&writer_query(q as u8), &opts).unwrap(),
                want,
                "{what}: query {q} answers as before the batch"
            );
        }
        orphans.iter().map(|o| o.functions).sum::<u64>()
    };
    // 1. the coordinator refuses the batch (its third sample) after the shards committed
    let mut c = postgres::Client::connect(&l.coord, postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "ALTER TABLE {}.code_sample ADD CONSTRAINT refuse_batch CHECK (sha256 <> '{third}')",
        l.schema
    ))
    .unwrap();
    let mut w = batched();
    let mut batch_functions = 0u64;
    for (f, d) in &batch2 {
        if let AddOutcome::Added { functions, .. } = w.add_bytes(d, &conformance::meta(f)).unwrap()
        {
            batch_functions += u64::from(functions);
        }
    }
    let err = w.flush().unwrap_err().to_string();
    assert!(err.contains("refuse_batch"), "{err}");
    drop(w);
    assert_eq!(
        check("coordinator refused"),
        batch_functions,
        "every function of the batch is an orphan, not only the refused sample's"
    );
    c.batch_execute(&format!(
        "ALTER TABLE {}.code_sample DROP CONSTRAINT refuse_batch",
        l.schema
    ))
    .unwrap();
    // 2. the last shard's commit fails (a deferred trigger) after the others committed
    let last = l.shards.last().unwrap();
    let mut s = postgres::Client::connect(last, postgres::NoTls).unwrap();
    s.batch_execute(&format!(
        "CREATE FUNCTION {0}.refuse() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'refuse_shard_commit'; END $$;
         CREATE CONSTRAINT TRIGGER refuse_shard_commit AFTER UPDATE ON {0}.code_alloc
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {0}.refuse();",
        l.schema
    ))
    .unwrap();
    let mut w = batched();
    for (f, d) in &batch2 {
        w.add_bytes(d, &conformance::meta(f)).unwrap();
    }
    let err = w.flush().unwrap_err().to_string();
    assert!(err.contains("refuse_shard_commit"), "{err}");
    drop(w);
    check("a shard's commit failed");
    s.batch_execute(&format!(
        "DROP TRIGGER refuse_shard_commit ON {0}.code_alloc; DROP FUNCTION {0}.refuse()",
        l.schema
    ))
    .unwrap();
    // 3. the next writer removes the orphans and stores the batch with the same ids
    let mut w = batched();
    let mut first = None;
    for (f, d) in &batch2 {
        if let AddOutcome::Added { sample, .. } = w.add_bytes(d, &conformance::meta(f)).unwrap() {
            first.get_or_insert(sample);
        }
    }
    w.flush().unwrap();
    assert_eq!(first, Some(7));
    let cleaned: u64 = w
        .store()
        .cleaned_orphans()
        .iter()
        .map(|o| o.functions)
        .sum();
    assert_eq!(cleaned, batch_functions);
    drop(w);
    let r = reader(&l);
    assert!(r.orphans().unwrap().is_empty());
    let rep = r.verify().unwrap();
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    let dir = tempfile::tempdir().unwrap();
    let mut clean = CodeIndex::new(DiskStore::open(dir.path()).unwrap()).unwrap();
    for w in 0..2 {
        for (f, d) in writer_samples(w) {
            clean.add_bytes(&d, &conformance::meta(&f)).unwrap();
        }
    }
    clean.flush().unwrap();
    assert_eq!(digest(&r).unwrap(), digest(clean.store()).unwrap());
}
