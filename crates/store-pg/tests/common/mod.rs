//! A PostgreSQL schema of its own for one test (`ASCRIBE_TEST_PG_URL`),
//! dropped at the end; shared by the store and code-index suites.

pub struct TestDb {
    pub url: String,
    pub schema: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

/// A fresh schema `<prefix>_<test>_<pid>` for one test, or `None` (skip)
/// when no server is given.
pub fn test_db(prefix: &str, test: &str) -> Option<TestDb> {
    let url = match std::env::var("ASCRIBE_TEST_PG_URL") {
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
    let schema = format!("{prefix}_{test}_{}", std::process::id());
    let db = TestDb { url, schema };
    // a schema left by an earlier, killed run of the same process id
    drop(TestDb {
        url: db.url.clone(),
        schema: db.schema.clone(),
    });
    Some(db)
}
