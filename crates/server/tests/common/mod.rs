//! A test client over the router (no socket), a shared knowledge base,
//! and archive builders for hostile uploads.
#![allow(dead_code)]

use ascribe_server::{AppState, Config};
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub fn facts() -> Arc<ascribe_core::KbFacts> {
    static F: OnceLock<Arc<ascribe_core::KbFacts>> = OnceLock::new();
    F.get_or_init(|| Arc::new(ascribe_kb::embedded::default_facts().expect("embedded KB")))
        .clone()
}

/// Where a test server keeps users, cases and the rest.
pub enum Backend {
    /// `server.db` in the data directory.
    Sqlite,
    /// A PostgreSQL schema of the test's own, dropped at the end.
    Postgres(PgSchema),
}

/// A schema for one test: `t_srv_<test>_<process id>`.
pub struct PgSchema {
    pub url: String,
    pub schema: String,
}

impl PgSchema {
    fn drop_schema(&self) {
        #[cfg(feature = "postgres")]
        ascribe_server::pgdb::blocking(|| {
            if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
            }
        });
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        self.drop_schema();
    }
}

/// The PostgreSQL backend for `test`, or `None` (the test skips, saying
/// why on standard error) when `ASCRIBE_TEST_PG_URL` is not set or this
/// build has no PostgreSQL support; with `ASCRIBE_TEST_PG=1` (CI) a skip is
/// a failure.
pub fn postgres(test: &str) -> Option<Backend> {
    let required = std::env::var("ASCRIBE_TEST_PG").as_deref() == Ok("1");
    let why = if !cfg!(feature = "postgres") {
        "this build has no PostgreSQL support (cargo feature `postgres`)".to_string()
    } else {
        match std::env::var("ASCRIBE_TEST_PG_URL") {
            Ok(url) if !url.is_empty() => {
                let name: String = test.chars().take(40).collect();
                let pg = PgSchema {
                    url,
                    schema: format!("t_srv_{name}_{}", std::process::id()),
                };
                // a schema left by an earlier, killed run of the same process id
                pg.drop_schema();
                return Some(Backend::Postgres(pg));
            }
            _ => "set ASCRIBE_TEST_PG_URL=postgres://… to run it against PostgreSQL".to_string(),
        }
    };
    if required {
        panic!("ASCRIBE_TEST_PG=1 but {test} cannot run on PostgreSQL: {why}");
    }
    // straight to stderr: libtest does not capture it
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipping {test} on PostgreSQL: {why}");
    None
}

pub struct Server {
    pub st: AppState,
    pub app: Router,
    pub admin_password: String,
    pub dir: tempfile::TempDir,
    /// Dropped after the state above (the schema goes last).
    pub pg: Option<PgSchema>,
}

pub fn server_on(b: Backend, f: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Config::new(dir.path().join("data"));
    f(&mut c);
    let (st, pg) = match b {
        Backend::Sqlite => (ascribe_server::open_with_facts(c, facts()).unwrap(), None),
        #[cfg(feature = "postgres")]
        Backend::Postgres(pg) => {
            let db = ascribe_server::pgdb::PgServerStore::open_with(&pg.url, Some(&pg.schema), 4)
                .expect("open the server's test schema");
            let intel = ascribe_server::pgdb::blocking(|| {
                ascribe_store_pg::PgStore::open_in_schema(&pg.url, &pg.schema)
                    .map(|s| {
                        ascribe_server::pgdb::PgIntel(ascribe_server::pgdb::OffRuntime::new(
                            ascribe_store_pg::shard::AnyPgStore::Single(s),
                        ))
                    })
                    .expect("open the intelligence in the test schema")
            });
            let name = db.name().to_string();
            let st = ascribe_server::open_with_store(
                c,
                facts(),
                Box::new(db),
                name,
                Some(Arc::new(intel)),
            )
            .unwrap();
            (st, Some(pg))
        }
        #[cfg(not(feature = "postgres"))]
        Backend::Postgres(_) => unreachable!("postgres() gives no backend without the feature"),
    };
    let (_, pw) = ascribe_server::bootstrap_admin(&st).unwrap().unwrap();
    Server {
        app: ascribe_server::router(st.clone()),
        st,
        admin_password: pw,
        dir,
        pg,
    }
}

pub fn server_with(f: impl FnOnce(&mut Config)) -> Server {
    server_on(Backend::Sqlite, f)
}

pub fn server() -> Server {
    server_with(|_| {})
}

/// Each test `async fn NAME(b: Backend)` twice: `sqlite::NAME` on the
/// embedded backend (a current-thread runtime, as before) and
/// `postgres::NAME` on PostgreSQL (a multi-threaded runtime, as
/// `ascribe serve` runs), which skips when no PostgreSQL is given.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(b) = $crate::common::postgres(stringify!($name)) {
                        super::$name(b).await
                    }
                }
            )*
        }
    };
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
    /// An error response: JSON with a code and a message.
    pub fn error_code(&self) -> String {
        let j = self.json();
        assert!(j["error"]["message"].is_string(), "{j}");
        j["error"]["code"].as_str().unwrap().to_string()
    }
}

/// A logged-in (or anonymous) client.
#[derive(Clone)]
pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

pub enum B {
    None,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

impl Client {
    pub fn anon(s: &Server) -> Client {
        Client {
            app: s.app.clone(),
            cookie: None,
            csrf: None,
            bearer: None,
        }
    }

    pub async fn login(s: &Server, user: &str, pw: &str) -> Client {
        let mut c = Client::anon(s);
        let r = c
            .send(
                Method::POST,
                "/api/v1/login",
                B::Json(serde_json::json!({"username": user, "password": pw})),
                &[],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let sc = r.header("set-cookie");
        c.cookie = Some(sc.split(';').next().unwrap().to_string());
        c.csrf = Some(r.json()["csrf_token"].as_str().unwrap().to_string());
        c
    }

    pub async fn admin(s: &Server) -> Client {
        Client::login(s, "admin", &s.admin_password.clone()).await
    }

    /// Create a user through the admin API and log in as them.
    pub async fn user(s: &Server, name: &str, role: &str) -> Client {
        let a = Client::admin(s).await;
        let pw = format!("{name}-password-123");
        let r = a
            .send(
                Method::POST,
                "/api/v1/users",
                B::Json(serde_json::json!({"name": name, "role": role, "password": pw})),
                &[],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        Client::login(s, name, &pw).await
    }

    pub async fn send(&self, method: Method, uri: &str, body: B, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::builder().method(method.clone()).uri(uri);
        if let Some(c) = &self.cookie {
            b = b.header("cookie", c);
        }
        if let Some(t) = &self.bearer {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        if let (Some(t), false) = (&self.csrf, method == Method::GET) {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("x-csrf-token"))
            {
                b = b.header("x-csrf-token", t);
            }
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = match body {
            B::None => b.body(Body::empty()).unwrap(),
            B::Json(v) => b
                .header("content-type", "application/json")
                .body(Body::from(serde_json::to_vec(&v).unwrap()))
                .unwrap(),
            B::Raw(ct, bytes) => b
                .header("content-type", ct)
                .body(Body::from(bytes))
                .unwrap(),
        };
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.send(Method::GET, uri, B::None, &[]).await
    }
    pub async fn post(&self, uri: &str, v: Value) -> Resp {
        self.send(Method::POST, uri, B::Json(v), &[]).await
    }

    /// POST multipart: parts are (field name, file name, bytes).
    pub async fn multipart(
        &self,
        uri: &str,
        parts: &[(&str, Option<&str>, Vec<u8>)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let (ct, body) = multipart_body(parts);
        let ct: &'static str = Box::leak(ct.into_boxed_str());
        self.send(Method::POST, uri, B::Raw(ct, body), headers)
            .await
    }

    pub async fn create_case(&self, toml: &str) -> (i64, String) {
        let r = self
            .post("/api/v1/cases", serde_json::json!({"case_toml": toml}))
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        (r.json()["id"].as_i64().unwrap(), r.header("etag"))
    }
}

pub fn multipart_body(parts: &[(&str, Option<&str>, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----ascribe-test-boundary-7d1c";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub const CASE: &str = r#"[case]
name = "Test case"
date = "2014-11-24"

[[source]]
id = "fbi"
title = "FBI statement"
kind = "government"

[[technique]]
id = "T1485"
source = "fbi"
"#;

/// A zip with the given entries: (name, bytes, unix mode or None).
pub fn zip_of(entries: &[(&str, &[u8], Option<u32>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, mode) in entries {
        let mut o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if *mode == Some(0o120777) {
            w.add_symlink(*name, String::from_utf8_lossy(bytes), o)
                .unwrap();
            continue;
        }
        if let Some(m) = mode {
            o = o.unix_permissions(*m);
        }
        w.start_file(*name, o).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A tar (ustar) whose entries are regular files, symlinks or hard links.
pub enum TarEntry<'a> {
    File(&'a str, &'a [u8]),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
}

pub fn tar_of(entries: &[TarEntry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_ustar();
        match e {
            TarEntry::File(name, bytes) => {
                h.set_size(bytes.len() as u64);
                h.set_mode(0o644);
                h.set_entry_type(tar::EntryType::Regular);
                // set_path refuses '..': write the raw name as a hostile archiver would
                raw_name(&mut h, name);
                h.set_cksum();
                b.append(&h, *bytes).unwrap();
            }
            TarEntry::Symlink(name, target) | TarEntry::Hardlink(name, target) => {
                h.set_size(0);
                h.set_mode(0o777);
                h.set_entry_type(if matches!(e, TarEntry::Symlink(..)) {
                    tar::EntryType::Symlink
                } else {
                    tar::EntryType::Link
                });
                raw_name(&mut h, name);
                h.set_link_name(target).unwrap();
                h.set_cksum();
                b.append(&h, &[][..]).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn raw_name(h: &mut tar::Header, name: &str) {
    let n = &mut h.as_old_mut().name;
    n.fill(0);
    n[..name.len()].copy_from_slice(name.as_bytes());
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// examples/sony-2014 as a tar.gz with its top directory.
pub fn sony_tar_gz() -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014");
    let mut b = tar::Builder::new(Vec::new());
    b.append_dir_all("sony-2014", &root).unwrap();
    gzip(&b.into_inner().unwrap())
}

/// Wait for a job to finish; returns its final JSON.
pub async fn wait_job(c: &Client, job: i64) -> Value {
    for _ in 0..1200 {
        let r = c.get(&format!("/api/v1/jobs/{job}")).await;
        assert_eq!(r.status, StatusCode::OK);
        let j = r.json();
        let state = j["job"]["state"].as_str().unwrap().to_string();
        if state == "done" || state == "failed" {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("job {job} did not finish in 120 s");
}

/// Import indicator records into the store the server reads (`DATA/kb.db`,
/// or the test's PostgreSQL schema).
pub fn import_intel(s: &Server, origin: &str, records: &[ascribe_core::IntelRecord]) {
    use ascribe_store::IntelStore;
    match &s.pg {
        None => {
            let mut st =
                ascribe_store::SqliteStore::open(&s.st.config().data_dir.join("kb.db")).unwrap();
            st.put_intel(origin, records).unwrap();
            st.rebuild_intel_index().unwrap();
        }
        #[cfg(feature = "postgres")]
        Some(pg) => ascribe_server::pgdb::blocking(|| {
            let mut st = ascribe_store_pg::PgStore::open_in_schema(&pg.url, &pg.schema).unwrap();
            st.put_intel(origin, records).unwrap();
        }),
        #[cfg(not(feature = "postgres"))]
        Some(_) => unreachable!(),
    }
}
