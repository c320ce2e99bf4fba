//! A sharded test store: schemas of their own on the coordinator
//! (`ASCRIBE_TEST_PG_URL`) and on every shard (`ASCRIBE_TEST_PG_SHARDS`),
//! dropped at the end; shared by the sharded store and code-index suites.
#![allow(dead_code)]

use ascribe_store_pg::shard::{NodeSpec, ShardedStore};

pub struct TestLayout {
    pub coord: String,
    pub shards: Vec<String>,
    pub schema: String,
}

impl Drop for TestLayout {
    fn drop(&mut self) {
        for url in std::iter::once(&self.coord).chain(&self.shards) {
            if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
            }
        }
    }
}

pub fn test_layout(test: &str) -> Option<TestLayout> {
    let coord = std::env::var("ASCRIBE_TEST_PG_URL").unwrap_or_default();
    let shards = std::env::var("ASCRIBE_TEST_PG_SHARDS").unwrap_or_default();
    if coord.is_empty() || shards.is_empty() {
        if std::env::var("ASCRIBE_TEST_PG").as_deref() == Ok("1") {
            panic!(
                "ASCRIBE_TEST_PG=1 but ASCRIBE_TEST_PG_URL or ASCRIBE_TEST_PG_SHARDS is not set"
            );
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping {test}: set ASCRIBE_TEST_PG_URL=postgres://… (coordinator) and ASCRIBE_TEST_PG_SHARDS=url1,url2,url3 to run it on a sharded store"
        );
        return None;
    }
    let l = TestLayout {
        coord,
        shards: shards.split(',').map(|s| s.trim().to_string()).collect(),
        schema: format!("ts_{}_{}", test, std::process::id()),
    };
    // schemas left by an earlier, killed run of the same process id
    drop(TestLayout {
        coord: l.coord.clone(),
        shards: l.shards.clone(),
        schema: l.schema.clone(),
    });
    Some(l)
}

pub fn specs(l: &TestLayout) -> Vec<NodeSpec> {
    l.shards
        .iter()
        .map(|u| NodeSpec {
            url: u.clone(),
            schema: Some(l.schema.clone()),
        })
        .collect()
}

pub fn init(l: &TestLayout) -> ShardedStore {
    ShardedStore::init(&l.coord, Some(&l.schema), &specs(l)).expect("init the sharded test store")
}
