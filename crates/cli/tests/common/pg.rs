//! A PostgreSQL schema of its own for one CLI test (`ASCRIBE_TEST_PG_URL`),
//! dropped at the end; shared by the tests that run the CLI on PostgreSQL.

pub struct TestDb {
    pub base: String,
    pub schema: String,
}

impl TestDb {
    /// The URL that puts every table in this test's schema.
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.base, self.schema)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

pub fn test_db(test: &str) -> Option<TestDb> {
    let base = match std::env::var("ASCRIBE_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            if std::env::var("ASCRIBE_TEST_PG").as_deref() == Ok("1") {
                panic!("ASCRIBE_TEST_PG=1 but ASCRIBE_TEST_PG_URL is not set");
            }
            // straight to stderr: libtest does not capture it, so the
            // reason shows in a normal run
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipping {test}: set ASCRIBE_TEST_PG_URL=postgres://… to run it against PostgreSQL"
            );
            return None;
        }
    };
    let db = TestDb {
        base,
        schema: format!("cli_{}_{}", test, std::process::id()),
    };
    let mut c = postgres::Client::connect(&db.base, postgres::NoTls).expect("connect");
    c.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}",
        db.schema
    ))
    .expect("create the test schema");
    Some(db)
}
