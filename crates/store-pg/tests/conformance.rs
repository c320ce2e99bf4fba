//! The embedded store's behavioural suite (`ascribe_store::conformance`)
//! against a real PostgreSQL: set `ASCRIBE_TEST_PG_URL`
//! (e.g. `postgres://ascribe:ascribe@localhost:5432/ascribe_test`). Without
//! it every test prints why it skips — unless `ASCRIBE_TEST_PG=1`, which CI
//! sets, and then it fails. Each test works in a schema of its own, dropped
//! at the end, so the tests run in parallel.

use ascribe_store::{conformance, IntelStore, Store};
use ascribe_store_pg::PgStore;

mod common;
use common::TestDb;

fn test_db(test: &str) -> Option<TestDb> {
    common::test_db("t", test)
}

fn open(db: &TestDb) -> PgStore {
    PgStore::open_in_schema(&db.url, &db.schema).expect("open the test schema")
}

#[test]
fn kb_round_trip_and_idempotent_reimport() {
    let Some(db) = test_db("kb_round_trip") else {
        return;
    };
    conformance::kb_round_trip_and_idempotent_reimport(&mut open(&db));
}

#[test]
fn kb_sources_listed_and_removed() {
    let Some(db) = test_db("kb_sources") else {
        return;
    };
    conformance::kb_sources_listed_and_removed(&mut open(&db));
}

#[test]
fn intel_round_trip() {
    let Some(db) = test_db("intel_round_trip") else {
        return;
    };
    conformance::intel_round_trip(&mut open(&db));
}

#[test]
fn intel_large_batch() {
    let Some(db) = test_db("intel_large") else {
        return;
    };
    conformance::intel_large_batch(&mut open(&db));
}

#[test]
fn awkward_text_survives() {
    let Some(db) = test_db("awkward") else { return };
    conformance::awkward_text_survives(&mut open(&db));
}

#[test]
fn reopening_keeps_data_and_a_newer_schema_is_refused() {
    let Some(db) = test_db("schema_version") else {
        return;
    };
    {
        let mut s = open(&db);
        assert_eq!(
            s.schema_version().unwrap(),
            ascribe_store_pg::SCHEMA_VERSION
        );
        s.put_kb_facts(&conformance::sample_facts("a", 2)).unwrap();
        s.put_intel("o", &conformance::intel_sample()).unwrap();
    }
    {
        let s = open(&db);
        assert_eq!(s.load_kb_facts().unwrap().entities.len(), 2);
        assert_eq!(s.intel_sources().unwrap().len(), 2);
        let c = s.intel_counts().unwrap();
        assert_eq!((c.sources, c.records, c.keys, c.actors), (2, 4, 9, 2));
        s.set_meta("schema_version", "99").unwrap();
    }
    let err = PgStore::open_in_schema(&db.url, &db.schema)
        .unwrap_err()
        .to_string();
    let ours = format!("({})", ascribe_store_pg::SCHEMA_VERSION);
    assert!(err.contains("version 99") && err.contains(&ours), "{err}");
    let pw = url_password(&db.url);
    assert!(
        !pw.is_empty() && !err.contains(&format!(":{pw}@")),
        "no password in {err}"
    );
}

#[test]
fn a_version_1_database_gains_the_code_index_and_keeps_its_facts() {
    let Some(db) = test_db("migrate_v1") else {
        return;
    };
    {
        let mut s = open(&db);
        s.put_kb_facts(&conformance::sample_facts("a", 2)).unwrap();
    }
    // Back to what version 1 created.
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "SET search_path TO {s}; DROP TABLE code_alloc, code_sample, code_function, code_posting;
         UPDATE ascribe_meta SET value = '1' WHERE key = 'schema_version'",
        s = db.schema
    ))
    .unwrap();
    let s = open(&db);
    assert_eq!(
        s.schema_version().unwrap(),
        ascribe_store_pg::SCHEMA_VERSION
    );
    assert_eq!(s.load_kb_facts().unwrap().entities.len(), 2);
    let code = ascribe_store_pg::PgCodeStore::open_in_schema(&db.url, &db.schema).unwrap();
    use ascribe_code::CodeIndexStore;
    assert_eq!(code.counts().unwrap().samples, 0);
}

#[test]
fn an_unreachable_server_is_named() {
    let Some(_db) = test_db("unreachable") else {
        return;
    };
    let err = PgStore::open("postgres://ascribe:pw@127.0.0.1:1/none")
        .unwrap_err()
        .to_string();
    assert!(err.contains("postgres://ascribe@127.0.0.1:1/none"), "{err}");
    assert!(!err.contains("pw"), "{err}");
}

#[test]
fn two_stores_write_the_same_source_concurrently() {
    let Some(db) = test_db("concurrent") else {
        return;
    };
    let _ = open(&db); // migrate once
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (url, schema) = (db.url.clone(), db.schema.clone());
            std::thread::spawn(move || {
                let mut s = PgStore::open_in_schema(&url, &schema).unwrap();
                for _ in 0..5 {
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
    let s = open(&db);
    let f = s.load_kb_facts().unwrap();
    // one writer's batch, whole: never a mix of two
    assert!((3..7).contains(&f.entities.len()), "{}", f.entities.len());
    assert_eq!(f.entities.len(), f.relations.len());
    assert_eq!(s.intel_lookup(&["ip24:203.0.113".into()]).unwrap().len(), 3);
}

#[test]
fn the_schema_keeps_to_citus_rules() {
    let Some(db) = test_db("citus_rules") else {
        return;
    };
    let _ = open(&db);
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
            &[&db.schema],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut planned: Vec<&str> = ascribe_store_pg::DISTRIBUTION.iter().map(|d| d.0).collect();
    let mut found: Vec<&str> = tables.iter().map(String::as_str).collect();
    planned.sort_unstable();
    found.sort_unstable();
    assert_eq!(found, planned, "every table has a Citus placement");
    let fks: i64 = c
        .query_one(
            "SELECT count(*) FROM information_schema.table_constraints
             WHERE table_schema = $1 AND constraint_type = 'FOREIGN KEY'",
            &[&db.schema],
        )
        .unwrap()
        .get(0);
    assert_eq!(fks, 0, "no foreign keys");
    for (table, column) in ascribe_store_pg::DISTRIBUTION {
        let pk: Vec<String> = c
            .query(
                "SELECT k.column_name::text FROM information_schema.table_constraints t
                 JOIN information_schema.key_column_usage k
                   ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema
                 WHERE t.table_schema = $1 AND t.table_name = $2 AND t.constraint_type = 'PRIMARY KEY'",
                &[&db.schema, table],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(!pk.is_empty(), "{table} has a primary key");
        if let Some(col) = column {
            assert!(
                pk.iter().any(|c| c == col),
                "{table}: primary key {pk:?} lacks {col}"
            );
        }
    }
}

/// The password of a `postgres://user:password@host/…` URL (empty when none),
/// so that "no password in the message" checks the real one.
fn url_password(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, r)| r.split_once('@'))
        .and_then(|(c, _)| c.split_once(':'))
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}
