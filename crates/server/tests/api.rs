//! The JSON API end to end over the router: authentication, CSRF, roles,
//! per-case access, cases and versions, optimistic concurrency, uploads,
//! analyses, the knowledge base, errors.

mod common;
use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

async fn first_admin_is_created_once_and_logs_in(b: Backend) {
    let s = server_on(b, |_| {});
    assert!(ascribe_server::bootstrap_admin(&s.st).unwrap().is_none());
    let a = Client::admin(&s).await;
    let me = a.get("/api/v1/me").await.json();
    assert_eq!(me["user"]["name"], "admin");
    assert_eq!(me["user"]["role"], "admin");
    // the password is stored as an argon2id hash only
    let u = s.st.db().user_by_name("admin").unwrap().unwrap();
    assert!(
        u.password_hash.starts_with("$argon2id$"),
        "{}",
        u.password_hash
    );
    assert!(!u.password_hash.contains(&s.admin_password));
}

async fn login_cookie_flags_wrong_password_and_throttle(b: Backend) {
    let s = server_on(b, |_| {});
    let c = Client::anon(&s);
    let ok = c
        .post(
            "/api/v1/login",
            json!({"username": "admin", "password": s.admin_password}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let cookie = ok.header("set-cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP: no Secure ({cookie})"
    );
    // behind a TLS proxy the cookie is Secure
    let tls = c
        .send(
            Method::POST,
            "/api/v1/login",
            B::Json(json!({"username": "admin", "password": s.admin_password})),
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(tls.header("set-cookie").contains("Secure"));
    let s2 = server_with(|c| c.tls_proxy = true);
    let r = Client::anon(&s2)
        .post(
            "/api/v1/login",
            json!({"username": "admin", "password": s2.admin_password}),
        )
        .await;
    assert!(r.header("set-cookie").contains("; Secure"));

    let bad = c
        .post(
            "/api/v1/login",
            json!({"username": "admin", "password": "wrong password!"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.error_code(), "unauthorized");
    let unknown = c
        .post(
            "/api/v1/login",
            json!({"username": "nobody", "password": "wrong password!"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    for _ in 0..5 {
        c.post(
            "/api/v1/login",
            json!({"username": "admin", "password": "guess guess"}),
        )
        .await;
    }
    let blocked = c
        .post(
            "/api/v1/login",
            json!({"username": "admin", "password": s.admin_password}),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    // a login must be JSON: a cross-site HTML form cannot post it
    let form = c
        .send(
            Method::POST,
            "/api/v1/login",
            B::Raw(
                "application/x-www-form-urlencoded",
                b"username=admin&password=x".to_vec(),
            ),
            &[],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.error_code(), "unsupported-media-type");
}

async fn every_api_endpoint_needs_authentication(b: Backend) {
    let s = server_on(b, |_| {});
    let c = Client::anon(&s);
    for (m, uri) in [
        (Method::GET, "/api/v1/me"),
        (Method::GET, "/api/v1/cases"),
        (Method::POST, "/api/v1/cases"),
        (Method::GET, "/api/v1/cases/1"),
        (Method::PUT, "/api/v1/cases/1"),
        (Method::DELETE, "/api/v1/cases/1"),
        (Method::GET, "/api/v1/cases/1/versions"),
        (Method::GET, "/api/v1/cases/1/versions/1"),
        (Method::POST, "/api/v1/cases/1/observations"),
        (Method::POST, "/api/v1/cases/1/files"),
        (Method::GET, "/api/v1/cases/1/files/a.txt"),
        (Method::DELETE, "/api/v1/cases/1/files/a.txt"),
        (Method::GET, "/api/v1/cases/1/shares"),
        (Method::POST, "/api/v1/cases/1/shares"),
        (Method::DELETE, "/api/v1/cases/1/shares/x"),
        (Method::POST, "/api/v1/cases/1/analyses"),
        (Method::GET, "/api/v1/cases/1/assessments"),
        (Method::GET, "/api/v1/cases/1/assessments/1"),
        (
            Method::GET,
            "/api/v1/cases/1/assessments/1/export?format=stix",
        ),
        (Method::GET, "/api/v1/intel/lookup?value=1.2.3.4"),
        (Method::GET, "/api/v1/cases/1/similar?file=a"),
        (Method::GET, "/api/v1/jobs/1"),
        (Method::POST, "/api/v1/cases/import"),
        (Method::GET, "/api/v1/users"),
        (Method::POST, "/api/v1/users"),
        (Method::GET, "/api/v1/tokens"),
        (Method::POST, "/api/v1/tokens"),
        (Method::DELETE, "/api/v1/tokens/1"),
        (Method::GET, "/api/v1/audit"),
        (Method::POST, "/api/v1/logout"),
        (Method::POST, "/api/v1/me/password"),
        (Method::GET, "/api/v1/kb/actors?q=x"),
        (Method::GET, "/api/v1/kb/actors/G0032"),
        (Method::GET, "/api/v1/kb/complete?kind=actor&q=x"),
    ] {
        let r = c.send(m.clone(), uri, B::Json(json!({})), &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {uri}");
        assert_eq!(r.error_code(), "unauthorized", "{m} {uri}");
    }
    // a forged or unknown session and token are refused too
    let mut f = Client::anon(&s);
    f.cookie = Some("ascribe_session=00ff".into());
    assert_eq!(f.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut t = Client::anon(&s);
    t.bearer = Some("asc_0000".into());
    assert_eq!(t.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // public: health and the OpenAPI document
    assert_eq!(c.get("/api/v1/health").await.status, StatusCode::OK);
    assert_eq!(c.get("/api/openapi.json").await.status, StatusCode::OK);
}

async fn csrf_token_is_required_for_cookie_sessions_not_for_tokens(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    let body = B::Json(json!({"case_toml": CASE}));
    let none = a
        .send(Method::POST, "/api/v1/cases", body, &[("x-csrf-token", "")])
        .await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert!(none.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("CSRF"));
    let wrong = a
        .send(
            Method::POST,
            "/api/v1/cases",
            B::Json(json!({"case_toml": CASE})),
            &[("x-csrf-token", "abc")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let ok = a.post("/api/v1/cases", json!({"case_toml": CASE})).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    // GET needs none
    assert_eq!(a.get("/api/v1/cases").await.status, StatusCode::OK);

    // API tokens: shown once, work without CSRF, revocable
    let t = a.post("/api/v1/tokens", json!({"name": "script"})).await;
    assert_eq!(t.status, StatusCode::CREATED);
    let secret = t.json()["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("asc_"));
    let id = t.json()["token"]["id"].as_i64().unwrap();
    let mut bot = Client::anon(&s);
    bot.bearer = Some(secret.clone());
    let r = bot.post("/api/v1/cases", json!({"case_toml": CASE})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = a.get("/api/v1/tokens").await.json();
    assert_eq!(list["tokens"].as_array().unwrap().len(), 1);
    assert!(
        !list.to_string().contains(&secret),
        "the secret is never listed"
    );
    let del = a
        .send(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            B::None,
            &[],
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        bot.get("/api/v1/cases").await.status,
        StatusCode::UNAUTHORIZED
    );
    // logout ends the session
    let out = a.send(Method::POST, "/api/v1/logout", B::None, &[]).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(a.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

async fn roles_and_per_case_access(b: Backend) {
    let s = server_on(b, |_| {});
    let ann = Client::user(&s, "ann", "analyst").await;
    let bob = Client::user(&s, "bob", "analyst").await;
    let vic = Client::user(&s, "vic", "viewer").await;
    let admin = Client::admin(&s).await;
    let (id, etag) = ann.create_case(CASE).await;
    let url = format!("/api/v1/cases/{id}");

    // another analyst can neither read, list, edit, analyse nor download it
    assert_eq!(bob.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.get("/api/v1/cases").await.json()["cases"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let put = bob
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": CASE})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.send(Method::POST, &format!("{url}/analyses"), B::None, &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(&format!("{url}/versions")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(&format!("{url}/files/case.toml")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.send(Method::DELETE, &url, B::None, &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // a viewer cannot create a case
    let r = vic.post("/api/v1/cases", json!({"case_toml": CASE})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code(), "forbidden");
    // nor read one not shared with them
    assert_eq!(vic.get(&url).await.status, StatusCode::NOT_FOUND);

    // shared: the viewer reads but cannot write or analyse
    assert_eq!(
        ann.post(&format!("{url}/shares"), json!({"user": "vic"}))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        ann.post(&format!("{url}/shares"), json!({"user": "bob"}))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(vic.get(&url).await.status, StatusCode::OK);
    assert_eq!(vic.get(&url).await.json()["writable"], false);
    let put = vic
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": CASE})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    let obs = vic
        .send(
            Method::POST,
            &format!("{url}/observations"),
            B::Json(json!({"table": "technique", "fields": {"id": "T1490", "source": "fbi"}})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(obs.status, StatusCode::FORBIDDEN);
    let up = vic
        .multipart(
            &format!("{url}/files"),
            &[("file", Some("a.txt"), b"x".to_vec())],
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(up.status, StatusCode::FORBIDDEN);
    assert_eq!(
        vic.send(Method::POST, &format!("{url}/analyses"), B::None, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        vic.send(Method::DELETE, &url, B::None, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // the shared analyst edits, but only the owner (or an admin) deletes or shares
    let put = bob
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": CASE, "message": "bob's edit"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(
        bob.send(Method::DELETE, &url, B::None, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bob.post(&format!("{url}/shares"), json!({"user": "vic"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // unshare: access ends
    assert_eq!(
        ann.send(Method::DELETE, &format!("{url}/shares/vic"), B::None, &[])
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(vic.get(&url).await.status, StatusCode::NOT_FOUND);

    // users and the audit log are for admins
    assert_eq!(
        ann.post("/api/v1/users", json!({"name": "eve", "role": "admin"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(ann.get("/api/v1/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(vic.get("/api/v1/users").await.status, StatusCode::FORBIDDEN);
    // the admin sees every case and the audit log of who changed what
    assert_eq!(admin.get(&url).await.status, StatusCode::OK);
    let log = admin.get("/api/v1/audit").await.json();
    let entries = log["audit"].as_array().unwrap();
    let has = |user: &str, action: &str| {
        entries
            .iter()
            .any(|e| e["user"] == user && e["action"] == action)
    };
    assert!(has("ann", "case.create"));
    assert!(has("ann", "case.share"));
    assert!(has("bob", "case.update"));
    assert!(has("admin", "user.create"));
    // a generated password is returned once
    let r = admin
        .post("/api/v1/users", json!({"name": "gen", "role": "viewer"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(r.json()["password"].as_str().unwrap().len() >= 20);
    // bad input: a clear 422
    let r = admin
        .post("/api/v1/users", json!({"name": "../x", "role": "viewer"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(
            "/api/v1/users",
            json!({"name": "short", "role": "viewer", "password": "abc"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post("/api/v1/users", json!({"name": "x", "role": "root"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post("/api/v1/users", json!({"name": "ann", "role": "viewer"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

async fn cases_versions_and_optimistic_concurrency(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    let (id, etag) = a.create_case(CASE).await;
    assert_eq!(etag, "\"v1\"");
    let url = format!("/api/v1/cases/{id}");
    let got = a.get(&url).await;
    assert_eq!(got.header("etag"), "\"v1\"");
    assert_eq!(got.json()["title"], "Test case");
    assert_eq!(got.json()["sources"][0][0], "fbi");

    let edited = CASE.replace("Test case", "Edited case");
    // no If-Match: 428
    let r = a
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": edited})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(r.error_code(), "precondition-required");
    // a stale one: 412
    let r = a
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": edited})),
            &[("if-match", "\"v7\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    // garbage: 400
    let r = a
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": edited})),
            &[("if-match", "yesterday")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // invalid case.toml: 422 with line and column, nothing stored
    let r = a
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": "[case]\nname = 3\n"})),
            &[("if-match", "\"v1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("case.toml:"),
        "{}",
        r.json()
    );
    let r = a
        .send(
            Method::PUT,
            &url,
            B::Json(json!({"case_toml": edited, "message": "renamed"})),
            &[("if-match", "\"v1\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("etag"), "\"v2\"");
    assert_eq!(r.json()["title"], "Edited case");

    // concurrent edits from the same version: exactly one wins, none is lost silently
    let mut handles = Vec::new();
    for i in 0..8 {
        let c = a.clone();
        let url = url.clone();
        let body = CASE.replace("Test case", &format!("Concurrent {i}"));
        handles.push(tokio::spawn(async move {
            c.send(
                Method::PUT,
                &url,
                B::Json(json!({"case_toml": body})),
                &[("if-match", "\"v2\"")],
            )
            .await
            .status
        }));
    }
    let mut ok = 0;
    let mut stale = 0;
    for h in handles {
        match h.await.unwrap() {
            StatusCode::OK => ok += 1,
            StatusCode::PRECONDITION_FAILED => stale += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((ok, stale), (1, 7));

    // history: every version kept with its author and message
    let v = a.get(&format!("{url}/versions")).await.json();
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[1]["message"], "renamed");
    assert_eq!(versions[1]["author"], "ann");
    let v1 = a.get(&format!("{url}/versions/1")).await.json();
    assert!(v1["case_toml"].as_str().unwrap().contains("Test case"));
    assert_eq!(
        a.get(&format!("{url}/versions/9")).await.status,
        StatusCode::NOT_FOUND
    );

    // observations through the form endpoint
    let r = a
        .send(Method::POST, &format!("{url}/observations"), B::Json(json!({"table": "technique", "fields": {"id": "T1490", "source": "fbi", "note": "shadow copies \"deleted\""}})), &[("if-match", "\"v3\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let toml = r.json()["case_toml"].as_str().unwrap().to_string();
    assert!(toml.contains("[[technique]]\nid = \"T1490\""), "{toml}");
    for (body, what) in [
        (json!({"table": "shell", "fields": {}}), "unknown table"),
        (
            json!({"table": "technique", "fields": {"id": "T1490", "source": "fbi", "command": "x"}}),
            "unknown field",
        ),
        (
            json!({"table": "technique", "fields": {"id": "T1490", "source": "nobody"}}),
            "unknown source",
        ),
        (
            json!({"table": "technique", "fields": {"id": "not-a-technique", "source": "fbi"}}),
            "bad id",
        ),
    ] {
        let r = a
            .send(
                Method::POST,
                &format!("{url}/observations"),
                B::Json(body),
                &[("if-match", "\"v4\"")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.json()
        );
    }

    // delete: gone with its history
    assert_eq!(
        a.send(Method::DELETE, &url, B::None, &[]).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(a.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        a.get(&format!("{url}/versions")).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn inputs_are_validated_with_json_errors(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    // unknown route, wrong method, bad path, bad JSON, wrong field
    let r = a.get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not-found");
    let r = a.send(Method::PATCH, "/api/v1/cases", B::None, &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method-not-allowed");
    let r = a.get("/api/v1/cases/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "bad-request");
    let r = a
        .send(
            Method::POST,
            "/api/v1/cases",
            B::Raw("application/json", b"{not json".to_vec()),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "bad-request");
    let r = a
        .post("/api/v1/cases", json!({"case_toml": CASE, "owner": 1}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = a
        .post("/api/v1/cases", json!({"case_toml": "name = ["}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "invalid-input");
    let r = a.get("/api/v1/kb/complete?kind=shell&q=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = a.get("/api/v1/kb/complete").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let long = "x".repeat(300);
    let r = a.get(&format!("/api/v1/kb/actors?q={long}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = a.get("/api/v1/cases/1/assessments/x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = a.get("/api/v1/jobs/999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn body_limit_refuses_oversized_requests(b: Backend) {
    let s = server_on(b, |c| c.max_body = 64 << 10);
    let a = Client::user(&s, "ann", "analyst").await;
    let (id, etag) = a.create_case(CASE).await;
    let big = vec![b'A'; 100 << 10];
    let r = a
        .multipart(
            &format!("/api/v1/cases/{id}/files"),
            &[("file", Some("big.bin"), big)],
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.error_code(), "too-large");
    let toml = format!("{CASE}\n# {}\n", "x".repeat(100 << 10));
    let r = a.post("/api/v1/cases", json!({"case_toml": toml})).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "too-large");
}

async fn uploads_are_content_addressed_and_downloaded_as_attachments(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    let (id, etag) = a.create_case(CASE).await;
    let url = format!("/api/v1/cases/{id}");
    // no If-Match: 428
    let r = a
        .multipart(
            &format!("{url}/files"),
            &[("file", Some("x.exe"), b"MZ".to_vec())],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let r = a
        .multipart(
            &format!("{url}/files"),
            &[
                ("dir", None, b"reports".to_vec()),
                ("file", Some("page.html"), html.clone()),
                ("file", Some("same.html"), html.clone()),
            ],
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let files = r.json()["files"].clone();
    let sha = files["reports/page.html"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        files["reports/same.html"]["sha256"],
        sha.as_str(),
        "same bytes, same address"
    );
    assert_eq!(sha, ascribe_server::blobs::sha256_hex(&html));
    // stored once, never executable
    let path = s.st.blobs().file(&sha).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0, "mode {mode:o}");
    }
    // downloaded only as an attachment, never sniffed or rendered
    let d = a.get(&format!("{url}/files/reports/page.html")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body, html);
    assert!(
        d.header("content-disposition").starts_with("attachment;"),
        "{}",
        d.header("content-disposition")
    );
    assert_eq!(d.header("x-content-type-options"), "nosniff");
    assert_eq!(d.header("content-type"), "application/octet-stream");
    // an old version's files stay readable
    let d = a
        .get(&format!("{url}/files/reports/page.html?version=1"))
        .await;
    assert_eq!(d.status, StatusCode::NOT_FOUND);
    // remove a file: a new version
    let r = a
        .send(
            Method::DELETE,
            &format!("{url}/files/reports/same.html"),
            B::None,
            &[("if-match", "\"v2\"")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["files"].get("reports/same.html").is_none());
    let d = a
        .get(&format!("{url}/files/reports/same.html?version=2"))
        .await;
    assert_eq!(d.status, StatusCode::OK);
    // a traversal in a file name or directory is refused
    for (dir, name) in [
        ("", "../../etc/passwd"),
        ("../up", "a.txt"),
        ("/abs", "a.txt"),
        ("", "a\\..\\b"),
    ] {
        let mut parts = vec![("file", Some(name), b"x".to_vec())];
        if !dir.is_empty() {
            parts.insert(0, ("dir", None, dir.as_bytes().to_vec()));
        }
        let r = a
            .multipart(&format!("{url}/files"), &parts, &[("if-match", "\"v3\"")])
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{dir} {name}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    let r = a.get(&format!("{url}/files/..%2F..%2Fserver.db")).await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.status
    );
    assert_ne!(r.status, StatusCode::OK);
}

async fn hostile_archives_are_refused(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    let toml = CASE.as_bytes();
    let import = |bytes: Vec<u8>| {
        let a = a.clone();
        async move {
            a.multipart(
                "/api/v1/cases/import",
                &[("archive", Some("case.zip"), bytes)],
                &[],
            )
            .await
        }
    };
    // zip: traversal, absolute path, symlink
    let r = import(zip_of(&[
        ("case.toml", toml, None),
        ("../../evil.sh", b"#!/bin/sh", None),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("traversal"),
        "{}",
        r.json()
    );
    let r = import(zip_of(&[
        ("case.toml", toml, None),
        ("/etc/cron.d/x", b"x", None),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("absolute"));
    let r = import(zip_of(&[
        ("case.toml", toml, None),
        ("link", b"/etc/passwd", Some(0o120777)),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("symbolic link"));
    // tar: symlink, hard link, traversal; tar.gz the same
    let r = import(tar_of(&[
        TarEntry::File("case.toml", toml),
        TarEntry::Symlink("evil", "/etc/passwd"),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("symbolic link"));
    let r = import(tar_of(&[
        TarEntry::File("case.toml", toml),
        TarEntry::Hardlink("evil", "../server.db"),
    ]))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("hard link"));
    let r = import(gzip(&tar_of(&[
        TarEntry::File("case.toml", toml),
        TarEntry::File("../x", b"x"),
    ])))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("traversal"));
    // decompression bomb: 64 MiB of zeros in a small zip, and in a tar.gz
    let zeros = vec![0u8; 64 << 20];
    let bomb = zip_of(&[("case.toml", toml, None), ("zeros.bin", &zeros, None)]);
    assert!(bomb.len() < 1 << 20);
    let r = import(bomb).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("bomb"),
        "{}",
        r.json()
    );
    let r = import(gzip(&tar_of(&[
        TarEntry::File("case.toml", toml),
        TarEntry::File("zeros.bin", &zeros),
    ])))
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // too many entries
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8], Option<u32>)> =
        names.iter().map(|n| (n.as_str(), &b""[..], None)).collect();
    let r = import(zip_of(&entries)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("entries"));
    // not an archive, and an archive without case.toml
    let r = import(b"plain text".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = import(zip_of(&[("readme.txt", b"x", None)])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // nothing was created by any of them
    assert_eq!(
        a.get("/api/v1/cases").await.json()["cases"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

async fn sony_archive_import_analysis_and_verdict_history(b: Backend) {
    let s = server_on(b, |_| {});
    let a = Client::user(&s, "ann", "analyst").await;
    let r = a
        .multipart(
            "/api/v1/cases/import",
            &[("archive", Some("sony-2014.tar.gz"), sony_tar_gz())],
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let case = r.json();
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["title"], "Sony Pictures Entertainment, November 2014");
    assert!(
        case["files"].get("reports/seed-002-excerpt.txt").is_some(),
        "{}",
        case["files"]
    );
    assert!(case["files"].get("binaries/ILLUSTRATIVE").is_some());

    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/cases/{id}/analyses"),
            B::None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let job = r.json()["job"].as_i64().unwrap();
    assert_eq!(r.header("location"), format!("/api/v1/jobs/{job}"));
    let j = wait_job(&a, job).await;
    assert_eq!(j["job"]["state"], "done", "{j}");
    let full = a
        .get(&format!("/api/v1/cases/{id}/assessments/1"))
        .await
        .json();
    assert_eq!(
        full["verdict"]["leader"], "actor:G0032",
        "{}",
        full["verdict"]
    );
    assert!(full["state_verdict"]
        .as_str()
        .unwrap()
        .contains("North Korea"));

    // add an observation and analyse the new version: the history has both
    let r = a
        .send(Method::POST, &format!("/api/v1/cases/{id}/observations"), B::Json(json!({"table": "technique", "fields": {"id": "T1070.004", "source": "us-cert-ta14-353a"}})), &[("if-match", "\"v1\"")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/cases/{id}/analyses"),
            B::None,
            &[],
        )
        .await;
    let j = wait_job(&a, r.json()["job"].as_i64().unwrap()).await;
    assert_eq!(j["job"]["version"], 2);
    let hist = a
        .get(&format!("/api/v1/cases/{id}/assessments"))
        .await
        .json();
    let h = hist["assessments"].as_array().unwrap();
    assert_eq!(
        h.iter()
            .map(|x| x["version"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 2]
    );
    let p = |x: &serde_json::Value| x["verdict"]["probability"].as_f64().unwrap();
    assert_ne!(p(&h[0]), p(&h[1]), "the new observation moves the verdict");
    // the first version's assessment is kept as it was
    let again = a
        .get(&format!("/api/v1/cases/{id}/assessments/1"))
        .await
        .json();
    assert_eq!(again["verdict"], full["verdict"]);
    // the case as analysed is kept with its assessment, so that an export
    // reads it instead of running the pipeline again: its observations, those
    // the extractors found in the reports included
    let kept = s.st.db().assessment(id, 1).unwrap().unwrap();
    let analysed: ascribe_core::Case =
        serde_json::from_str(kept.analysed.as_deref().expect("the analysed case is kept")).unwrap();
    let typed = s.st.db().content(id, 1).unwrap().unwrap();
    let typed = ascribe_case::parse_case(&typed.case_toml, "case.toml")
        .unwrap()
        .observations
        .len();
    assert!(
        analysed.observations.len() > typed,
        "{} analysed, {typed} typed",
        analysed.observations.len()
    );
    assert!(analysed
        .observations
        .iter()
        .any(|o| matches!(o.kind, ascribe_core::ObservationKind::Technique { .. })));
    // exports of the kept assessment, as attachments
    for (fmt, ctype, ext) in [
        ("stix", "application/stix+json;version=2.1", "stix.json"),
        ("misp", "application/json", "misp.json"),
        ("navigator", "application/json", "navigator.json"),
        ("html", "text/html; charset=utf-8", "html"),
    ] {
        // a Navigator layer carries no TLP marking: asking for one is refused below
        let tlp = if fmt == "navigator" {
            ""
        } else {
            "&tlp=amber%2Bstrict"
        };
        let r = a
            .get(&format!(
                "/api/v1/cases/{id}/assessments/1/export?format={fmt}{tlp}"
            ))
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{fmt}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.header("content-type"), ctype, "{fmt}");
        assert_eq!(
            r.header("content-disposition"),
            format!("attachment; filename=\"case-{id}-v1.{ext}\""),
            "{fmt}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{fmt}");
        let text = String::from_utf8_lossy(&r.body).to_string();
        match fmt {
            "stix" => {
                let v = r.json();
                assert_eq!(v["type"], "bundle");
                assert!(text.contains("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"));
                assert!(text.contains("Lazarus"), "the leader is named");
            }
            "misp" => {
                let v = r.json();
                assert!(
                    v["Event"]["Attribute"].is_array() || v["Event"]["Object"].is_array(),
                    "{v}"
                );
                assert!(text.contains("tlp:amber+strict"));
            }
            "navigator" => {
                let v = r.json();
                let l = v.as_array().unwrap();
                assert!(!l.is_empty());
                assert!(l[0]["versions"]["layer"].is_string(), "{}", l[0]);
                assert!(l[0]["techniques"].is_array());
            }
            _ => {
                assert!(
                    text.starts_with("<!DOCTYPE html>") || text.starts_with("<!doctype html>"),
                    "{}",
                    &text[..80.min(text.len())]
                );
                assert!(text.contains("Lazarus"), "the verdict is in the report");
                assert!(r.header("content-security-policy").contains("sandbox"));
            }
        }
    }
    // an unencoded '+' reads as the same TLP
    let r = a
        .get(&format!(
            "/api/v1/cases/{id}/assessments/1/export?format=misp&tlp=amber+strict"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&r.body).contains("tlp:amber+strict"));
    for bad in [
        "format=pdf",
        "format=stix&tlp=purple",
        "format=navigator&tlp=red",
        "",
    ] {
        let r = a
            .get(&format!("/api/v1/cases/{id}/assessments/1/export?{bad}"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.error_code(), "bad-request", "{bad}");
    }
    let r = a
        .get(&format!(
            "/api/v1/cases/{id}/assessments/9/export?format=stix"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // another user's case is not found, and a viewer it is shared with may export
    let other = Client::user(&s, "otto", "analyst").await;
    let r = other
        .get(&format!(
            "/api/v1/cases/{id}/assessments/1/export?format=stix"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let v = Client::user(&s, "vic", "viewer").await;
    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/cases/{id}/shares"),
            B::Json(json!({"user": "vic"})),
            &[],
        )
        .await;
    assert!(
        r.status.is_success(),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = v
        .get(&format!(
            "/api/v1/cases/{id}/assessments/1/export?format=html"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // code similarity of an evidence file: none without a code index, then the family
    let r = a
        .get(&format!(
            "/api/v1/cases/{id}/similar?file=binaries/standin-1.exe"
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "no-code-index");
    {
        use ascribe_code::{CodeIndex, DiskStore, SampleMeta};
        let dir = s.st.code_index().unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let mut idx = CodeIndex::new(DiskStore::open_writer(&dir, || {}).unwrap()).unwrap();
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014");
        let data = std::fs::read(root.join("binaries/standin-1.exe")).unwrap();
        let meta = SampleMeta {
            family: "StandIn".into(),
            actor: None,
            name: Some("standin-1.exe".into()),
        };
        idx.add_bytes(&data, &meta).unwrap();
        idx.flush().unwrap();
        idx.store_mut().compact().unwrap();
    }
    let r = a
        .get(&format!(
            "/api/v1/cases/{id}/similar?file=binaries/standin-1.exe"
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["families"][0]["family"], "StandIn", "{}", r.json());
    let r = a
        .get(&format!(
            "/api/v1/cases/{id}/similar?file=reports/seed-002-excerpt.txt"
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let r = a
        .get(&format!("/api/v1/cases/{id}/similar?file=../x"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // a version that does not exist cannot be analysed
    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/cases/{id}/analyses?version=9"),
            B::None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn knowledge_base_search_pages_and_completion(b: Backend) {
    let s = server_on(b, |_| {});
    let v = Client::user(&s, "vic", "viewer").await;
    let r = v.get("/api/v1/kb/actors?q=lazarus").await.json();
    assert_eq!(r["actors"][0]["id"], "G0032", "{r}");
    let p = v.get("/api/v1/kb/actors/G0032").await.json();
    assert_eq!(p["actor"]["name"], "Lazarus Group");
    assert!(p["techniques"].as_array().unwrap().len() > 20);
    assert!(!p["software"].as_array().unwrap().is_empty());
    assert_eq!(
        v.get("/api/v1/kb/actors/Lazarus%20Group").await.json()["actor"]["id"],
        "G0032"
    );
    let r = v.get("/api/v1/kb/actors/no-such-actor-xyz").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let c = v
        .get("/api/v1/kb/complete?kind=technique&q=T1485")
        .await
        .json();
    assert_eq!(c["suggestions"][0]["value"], "T1485");
    let c = v
        .get("/api/v1/kb/complete?kind=software&q=destov")
        .await
        .json();
    assert!(
        c["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["value"].as_str().unwrap().contains("Destover")),
        "{c}"
    );
    let c = v
        .get("/api/v1/kb/complete?kind=actor&q=kimsuky")
        .await
        .json();
    assert_eq!(c["suggestions"][0]["value"], "Kimsuky");
}

async fn openapi_document_lists_the_api(b: Backend) {
    let s = server_on(b, |_| {});
    let doc = Client::anon(&s).get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/login",
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/files",
        "/api/v1/cases/{id}/analyses",
        "/api/v1/jobs/{id}",
        "/api/v1/cases/{id}/assessments",
        "/api/v1/kb/actors/{id}",
        "/api/v1/cases/{id}/assessments/{version}/export",
        "/api/v1/intel/lookup",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
}

async fn web_pages_are_served_with_a_strict_policy(b: Backend) {
    let s = server_on(b, |_| {});
    let c = Client::anon(&s);
    for p in ["/", "/login", "/cases/1", "/actors", "/actors/G0032"] {
        let r = c.get(p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        assert!(r.header("content-type").starts_with("text/html"));
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(r.header("x-frame-options"), "DENY");
        let body = String::from_utf8(r.body).unwrap();
        assert!(!body.contains("<script>"), "no inline script on {p}");
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "no external asset on {p}"
        );
    }
    let actors = String::from_utf8(c.get("/actors").await.body).unwrap();
    assert!(
        actors.contains("<label for=\"intel-values\">"),
        "the look-up box is labelled"
    );
    let js = c.get("/static/app.js").await;
    assert!(js.header("content-type").starts_with("text/javascript"));
    let js = String::from_utf8(js.body).unwrap();
    assert!(!js.contains("innerHTML"));
    assert!(js.contains("/export?format=") && js.contains("/api/v1/intel/lookup?"));
    // a hostile actor name in the page is escaped
    let r = c.get("/actors/%3Cscript%3E").await;
    assert!(!String::from_utf8(r.body)
        .unwrap()
        .contains("data-id=\"<script>"));
}

async fn intel_lookup_reads_the_servers_store(b: Backend) {
    let s = server_on(b, |_| {});
    let v = Client::user(&s, "vera", "viewer").await;
    // no store yet: values are recognised, nothing is known
    let r = v.get("/api/v1/intel/lookup?value=203.131.222.102").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["results"][0]["matches"], json!([]));
    // import the FBI's MISP event of the Sony case into the server's store
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/sony-2014/intel/fbi-2014-12-19.misp-event.json");
    let sources =
        ascribe_intel::import_file(&path, &ascribe_intel::ImportOptions::default()).unwrap();
    assert!(!sources.is_empty());
    for src in &sources {
        import_intel(&s, &path.display().to_string(), &src.records);
    }
    let r = v
        .get("/api/v1/intel/lookup?value=203.131.222.102&value=198.51.100.7&value=not%20an%20ioc")
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let j = r.json();
    let res = j["results"].as_array().unwrap();
    assert_eq!(res.len(), 2, "{j}");
    assert_eq!(res[0]["value"], "203.131.222.102");
    assert_eq!(res[0]["kind"], "ipv4");
    let m = res[0]["matches"].as_array().unwrap();
    assert!(!m.is_empty(), "{j}");
    assert_eq!(m[0]["match"], "exact");
    assert_eq!(m[0]["record"]["norm"], "203.131.222.102");
    assert!(m[0]["record"]["source"]
        .as_str()
        .unwrap()
        .starts_with("misp-event:"));
    // an unknown value: an empty list
    assert_eq!(res[1]["matches"], json!([]));
    assert_eq!(j["not_indicators"], json!(["not an ioc"]));
    // limits
    let r = v.get("/api/v1/intel/lookup").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let many: Vec<String> = (0..101)
        .map(|i| format!("value=10.0.0.{}", i % 250))
        .collect();
    let r = v
        .get(&format!("/api/v1/intel/lookup?{}", many.join("&")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

crate::on_both_backends!(
    first_admin_is_created_once_and_logs_in,
    login_cookie_flags_wrong_password_and_throttle,
    every_api_endpoint_needs_authentication,
    csrf_token_is_required_for_cookie_sessions_not_for_tokens,
    roles_and_per_case_access,
    cases_versions_and_optimistic_concurrency,
    inputs_are_validated_with_json_errors,
    body_limit_refuses_oversized_requests,
    uploads_are_content_addressed_and_downloaded_as_attachments,
    hostile_archives_are_refused,
    sony_archive_import_analysis_and_verdict_history,
    knowledge_base_search_pages_and_completion,
    openapi_document_lists_the_api,
    web_pages_are_served_with_a_strict_policy,
    intel_lookup_reads_the_servers_store,
);
