//! The store conformance suite on a store sharded across several
//! PostgreSQL servers: set `ASCRIBE_TEST_PG_URL` (the coordinator) and
//! `ASCRIBE_TEST_PG_SHARDS=url1,url2,url3` (the shards; CI starts three
//! clusters). Without them every test prints why it skips — unless
//! `ASCRIBE_TEST_PG=1`, which CI sets, and then it fails. Each test works
//! in schemas of its own on every node, dropped at the end.

use ascribe_store::{conformance, IntelStore, Store};
use ascribe_store_pg::shard::ShardedStore;
use ascribe_store_pg::PgStore;

#[path = "common/layout.rs"]
mod layout;
use layout::{init, specs, test_layout};

#[test]
fn sharded_kb_round_trip_and_idempotent_reimport() {
    let Some(l) = test_layout("kb_round_trip") else {
        return;
    };
    conformance::kb_round_trip_and_idempotent_reimport(&mut init(&l));
}

#[test]
fn sharded_kb_sources_listed_and_removed() {
    let Some(l) = test_layout("kb_sources") else {
        return;
    };
    conformance::kb_sources_listed_and_removed(&mut init(&l));
}

#[test]
fn sharded_intel_round_trip() {
    let Some(l) = test_layout("intel_round_trip") else {
        return;
    };
    conformance::intel_round_trip(&mut init(&l));
}

#[test]
fn sharded_intel_large_batch_spreads_over_every_shard() {
    let Some(l) = test_layout("intel_large") else {
        return;
    };
    let mut s = init(&l);
    conformance::intel_large_batch(&mut s);
    let counts = s.table_counts().unwrap();
    let key = counts.iter().find(|t| t.table == "intel_key").unwrap();
    assert_eq!(
        key.coordinator, 0,
        "sharded rows never land on the coordinator"
    );
    let per: Vec<u64> = key.shards.iter().map(|c| c.unwrap()).collect();
    assert_eq!(per.iter().sum::<u64>(), 10_000);
    if per.len() > 1 {
        assert!(per.iter().all(|c| *c > 1000), "keys spread: {per:?}");
    }
    let src = counts.iter().find(|t| t.table == "intel_source").unwrap();
    assert_eq!(src.coordinator, 1);
}

#[test]
fn sharded_awkward_text_survives() {
    let Some(l) = test_layout("awkward") else {
        return;
    };
    conformance::awkward_text_survives(&mut init(&l));
}

#[test]
fn every_distribution_table_is_placed_and_reopening_keeps_the_layout() {
    let Some(l) = test_layout("layout") else {
        return;
    };
    {
        let mut s = init(&l);
        s.put_intel("o", &conformance::intel_sample()).unwrap();
        // init again with the same list: the same store
        let again = init(&l);
        assert_eq!(again.layout(), s.layout());
    }
    let s = ShardedStore::open_in_schema(&l.coord, &l.schema, false).unwrap();
    let c = s.intel_counts().unwrap();
    assert_eq!((c.sources, c.records, c.keys, c.actors), (2, 4, 9, 2));
    let tables: Vec<String> = s
        .table_counts()
        .unwrap()
        .into_iter()
        .map(|t| t.table)
        .collect();
    let planned: Vec<&str> = ascribe_store_pg::DISTRIBUTION.iter().map(|d| d.0).collect();
    assert_eq!(tables, planned);
    // what --database opens: the sharded store, by the coordinator's URL
    let sep = if l.coord.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}options=-csearch_path%3D{}", l.coord, l.schema);
    let any = ascribe_store_pg::shard::open_any(&url, false).unwrap();
    assert!(matches!(
        any,
        ascribe_store_pg::shard::AnyPgStore::Sharded(_)
    ));
    assert_eq!(
        any.intel_lookup(&["ip24:203.0.113".into()]).unwrap().len(),
        3
    );
    // a shard named twice, or the coordinator as a shard, is refused
    let mut twice = specs(&l);
    twice.push(twice[0].clone());
    let err = ShardedStore::init(&l.coord, Some(&l.schema), &twice).unwrap_err();
    assert!(err.to_string().contains("named twice"), "{err}");
    let mut with_coord = specs(&l);
    with_coord[0].url = l.coord.clone();
    let err = ShardedStore::init(&l.coord, Some(&l.schema), &with_coord).unwrap_err();
    assert!(err.to_string().contains("named twice"), "{err}");
    // another shard list for the same coordinator is refused
    let mut fewer = specs(&l);
    fewer.pop();
    let err = ShardedStore::init(&l.coord, Some(&l.schema), &fewer)
        .unwrap_err()
        .to_string();
    assert!(err.contains("already the coordinator"), "{err}");
    // a plain open of the coordinator sees no intel (it is on the shards)
    let plain = PgStore::open_in_schema(&l.coord, &l.schema).unwrap();
    assert!(plain
        .intel_lookup(&["ip24:203.0.113".into()])
        .unwrap()
        .is_empty());
}

#[test]
fn a_shard_that_is_down_is_named_and_partial_reads_say_so() {
    let Some(l) = test_layout("down") else {
        return;
    };
    {
        let mut s = init(&l);
        s.put_intel("o", &conformance::intel_sample()).unwrap();
    }
    // point the layout's last shard at a port where nothing listens (a
    // stopped cluster: bench/scale/shards.sh --failures stops a real one)
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
    let err = ShardedStore::open_in_schema(&l.coord, &l.schema, false)
        .unwrap_err()
        .to_string();
    let want = format!(
        "shard {} of {} (postgres://ascribe@127.0.0.1:1/nowhere",
        victim + 1,
        l.shards.len()
    );
    assert!(err.contains(&want) && err.contains("unreachable"), "{err}");
    assert!(err.contains("--allow-partial"), "{err}");
    // partial: the live shards answer, the missing one is named
    let s = ShardedStore::open_in_schema(&l.coord, &l.schema, true).unwrap();
    assert_eq!(s.missing_shards().len(), 1);
    assert!(s.missing_shards()[0].starts_with(&want));
    let hits = s
        .intel_lookup(&["ip24:203.0.113".into(), "regdomain:evil.com".into()])
        .unwrap();
    let held: usize = ["ip24:203.0.113", "regdomain:evil.com"]
        .iter()
        .map(|k| {
            let n = if *k == "ip24:203.0.113" { 3 } else { 1 };
            if ascribe_store_pg::shard::shard_index(k.as_bytes(), l.shards.len()) == victim {
                0
            } else {
                n
            }
        })
        .sum();
    assert_eq!(hits.len(), held);
    // writes never go partial
    let mut s = s;
    let err = s.put_intel("o", &conformance::intel_sample()).unwrap_err();
    assert!(err.to_string().contains("unreachable"), "{err}");
}

#[test]
fn partial_reads_name_the_missing_shard() {
    let Some(l) = test_layout("partial") else {
        return;
    };
    let mut s = init(&l);
    s.put_intel("o", &conformance::intel_sample()).unwrap();
    let all = s.intel_lookup(&["ip24:203.0.113".into(), "regdomain:evil.com".into()]);
    assert_eq!(all.unwrap().len(), 4);
    drop(s);
    // a shard's tables disappear under a live store: a read fails naming
    // the shard, or (allow_partial) answers from the others and says which
    let key_shard = ascribe_store_pg::shard::shard_index(b"ip24:203.0.113", l.shards.len());
    let strict = ShardedStore::open_in_schema(&l.coord, &l.schema, false).unwrap();
    let partial = ShardedStore::open_in_schema(&l.coord, &l.schema, true).unwrap();
    {
        let mut c = postgres::Client::connect(&l.shards[key_shard], postgres::NoTls).unwrap();
        c.batch_execute(&format!(
            "ALTER TABLE {}.intel_key RENAME TO gone",
            l.schema
        ))
        .unwrap();
    }
    let err = strict
        .intel_lookup(&["ip24:203.0.113".into()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("shard {} of", key_shard + 1)),
        "{err}"
    );
    assert!(err.contains("--allow-partial"), "{err}");
    let hits = partial
        .intel_lookup(&["ip24:203.0.113".into(), "regdomain:evil.com".into()])
        .unwrap();
    let missing = partial.missing_shards();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].starts_with(&format!("shard {} of", key_shard + 1)));
    assert!(hits.iter().all(|(k, _)| k != "ip24:203.0.113"));
}

#[test]
fn a_failed_shard_write_commits_nothing_and_a_rerun_completes() {
    let Some(l) = test_layout("write_fail") else {
        return;
    };
    let mut s = init(&l);
    s.put_intel("o", &conformance::intel_sample()).unwrap();
    let recs = {
        let mut v = conformance::intel_sample();
        for r in &mut v {
            r.source = "feed:new".into();
        }
        v
    };
    // the last shard refuses writes to intel_key for a while
    let last = l.shards.len() - 1;
    let mut c = postgres::Client::connect(&l.shards[last], postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "ALTER TABLE {}.intel_key ADD CONSTRAINT no_new CHECK (source <> 'feed:new')",
        l.schema
    ))
    .unwrap();
    let before = s.table_counts().unwrap();
    let err = s.put_intel("o2", &recs).unwrap_err().to_string();
    assert!(err.contains(&format!("shard {} of", last + 1)), "{err}");
    let after = s.table_counts().unwrap();
    let rows = |t: &[ascribe_store_pg::shard::TableCounts]| -> Vec<(u64, Vec<Option<u64>>)> {
        t.iter()
            .map(|x| (x.coordinator, x.shards.clone()))
            .collect()
    };
    assert_eq!(
        rows(&before),
        rows(&after),
        "nothing of the failed batch stays"
    );
    c.batch_execute(&format!(
        "ALTER TABLE {}.intel_key DROP CONSTRAINT no_new",
        l.schema
    ))
    .unwrap();
    s.put_intel("o2", &recs).unwrap();
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    assert_eq!(s.intel_sources().unwrap().len(), 3);
    assert_eq!(s.intel_lookup(&["ip24:203.0.113".into()]).unwrap().len(), 6);
}

#[test]
fn two_sharded_writers_of_one_source_take_turns() {
    let Some(l) = test_layout("concurrent") else {
        return;
    };
    let _ = init(&l);
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let (url, schema) = (l.coord.clone(), l.schema.clone());
            std::thread::spawn(move || {
                let mut s = ShardedStore::open_in_schema(&url, &schema, false).unwrap();
                for _ in 0..4 {
                    s.put_kb_facts(&conformance::sample_facts("shared", 3 + i))
                        .unwrap();
                    s.put_intel("t", &conformance::intel_sample()).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = ShardedStore::open_in_schema(&l.coord, &l.schema, false).unwrap();
    let f = s.load_kb_facts().unwrap();
    assert!((3..6).contains(&f.entities.len()), "{}", f.entities.len());
    assert_eq!(f.entities.len(), f.relations.len());
    assert_eq!(s.intel_lookup(&["ip24:203.0.113".into()]).unwrap().len(), 3);
}

#[test]
fn the_code_index_is_refused_on_a_sharded_store_naming_the_node() {
    let Some(l) = test_layout("code_refused") else {
        return;
    };
    drop(init(&l));
    let coord = ascribe_store_pg::PgCodeStore::open_in_schema(&l.coord, &l.schema)
        .map(|_| ())
        .expect_err("the coordinator of a sharded store holds no code index");
    assert!(
        coord
            .to_string()
            .contains("the coordinator of a sharded store")
            && coord.to_string().contains("through its coordinator"),
        "{coord}"
    );
    let shard = ascribe_store_pg::PgCodeStore::open_in_schema_read_only(&l.shards[1], &l.schema)
        .map(|_| ())
        .expect_err("nor does a shard");
    assert!(
        shard.to_string().contains("a shard of a sharded store"),
        "{shard}"
    );
}
