//! Accounts, sessions, API tokens, CSRF and roles.
//!
//! - Passwords: argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes),
//!   PHC strings in the database.
//! - Sessions: a random 256-bit id in an `HttpOnly; SameSite=Strict` cookie
//!   (`Secure` behind TLS); the database keeps only its SHA-256. Each
//!   session has a CSRF token that every unsafe request made with the
//!   cookie must echo in `X-CSRF-Token`.
//! - API tokens: `asc_` + 256 random bits, sent as `Authorization: Bearer`;
//!   stored as SHA-256; no CSRF (a browser never adds them by itself).

use crate::db::{Role, Session, User};
use crate::error::{ApiError, ApiResult};
use crate::{now, AppState};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};

pub const SESSION_COOKIE: &str = "ascribe_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Session lifetime: 12 hours.
pub const SESSION_SECS: i64 = 12 * 3600;

pub fn hash_password(pw: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A real argon2id hash of a random password, made once: unknown user
/// names are checked against it so that a login's time does not tell
/// whether the name exists.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password(&random_hex(16)).unwrap_or_default())
}

pub fn verify_password(pw: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(pw.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A generated password: 20 characters from an unambiguous alphabet (~110 bits).
pub fn generate_password() -> String {
    const A: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::new();
    while out.len() < 20 {
        let mut b = [0u8; 1];
        OsRng.fill_bytes(&mut b);
        // rejection sampling keeps the choice uniform
        if (b[0] as usize) < 256 - 256 % A.len() {
            out.push(A[b[0] as usize % A.len()] as char);
        }
    }
    out
}

pub fn sha256_hex(s: &str) -> String {
    crate::blobs::sha256_hex(s.as_bytes())
}

/// Constant-time comparison of two strings.
pub fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The rules for a user name: 1–64 characters of letters, digits, `.`, `_`, `-`.
pub fn check_user_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 64 {
        return Err("a user name has 1 to 64 characters".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err("a user name holds only letters, digits, '.', '_' and '-'".into());
    }
    Ok(())
}

/// The rules for a password: 12 to 1,024 bytes.
pub fn check_password(pw: &str) -> Result<(), String> {
    if pw.len() < 12 {
        return Err("a password has at least 12 characters".into());
    }
    if pw.len() > 1024 {
        return Err("a password has at most 1,024 bytes".into());
    }
    Ok(())
}

/// How the request was authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    Session(Session),
    Token,
}

/// The authenticated user of a request. Extracting it checks the
/// credentials and, for cookie sessions, the CSRF token of unsafe methods.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    pub via: Via,
}

impl Auth {
    pub fn require(&self, role: Role) -> ApiResult<()> {
        if self.user.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this needs the {} role; you are {}",
                role.as_str(),
                self.user.role.as_str()
            )))
        }
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let t = now();
        if let Some(v) = parts.headers.get(header::AUTHORIZATION) {
            let v = v.to_str().map_err(|_| ApiError::unauthorized())?;
            let token = v
                .strip_prefix("Bearer ")
                .ok_or_else(ApiError::unauthorized)?
                .trim();
            if token.is_empty() || token.len() > 256 {
                return Err(ApiError::unauthorized());
            }
            let uid = st
                .db()
                .token_user(&sha256_hex(token), t)?
                .ok_or_else(ApiError::unauthorized)?;
            let user = st
                .db()
                .user_by_id(uid)?
                .ok_or_else(ApiError::unauthorized)?;
            return Ok(Auth {
                user,
                via: Via::Token,
            });
        }
        let sid = cookie(parts, SESSION_COOKIE).ok_or_else(ApiError::unauthorized)?;
        if sid.len() > 256 {
            return Err(ApiError::unauthorized());
        }
        let session = st
            .db()
            .session(&sha256_hex(sid), t)?
            .ok_or_else(ApiError::unauthorized)?;
        if !is_safe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ct_eq(sent, &session.csrf) {
                return Err(ApiError::forbidden(
                    "missing or wrong CSRF token: send the session's token (from GET /api/v1/me) in the X-CSRF-Token header",
                ));
            }
        }
        let user = st
            .db()
            .user_by_id(session.user_id)?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Auth {
            user,
            via: Via::Session(session),
        })
    }
}

/// The `Set-Cookie` value of a new session (or, with `None`, one that ends it).
pub fn session_cookie(value: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match value {
        Some(v) => format!(
            "{SESSION_COOKIE}={v}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECS}{secure}"
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}

/// Failed logins per user name: after 5 within 15 minutes, logins for the
/// name are refused (429) until the window passes.
#[derive(Default)]
pub struct Throttle {
    failures: std::sync::Mutex<std::collections::HashMap<String, Vec<i64>>>,
}

impl Throttle {
    const WINDOW: i64 = 900;
    const MAX: usize = 5;

    pub fn blocked(&self, name: &str, now: i64) -> bool {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match m.get_mut(name) {
            Some(v) => {
                v.retain(|&t| now - t < Self::WINDOW);
                v.len() >= Self::MAX
            }
            None => false,
        }
    }

    pub fn fail(&self, name: &str, now: i64) {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 100_000 {
            m.clear();
        }
        m.entry(name.to_string()).or_default().push(now);
    }

    pub fn clear(&self, name: &str) {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        m.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip_and_dummy_hash_is_real() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        // the hash checked for unknown names parses, so it costs a full verification
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[test]
    fn generated_secrets_and_name_rules() {
        let a = generate_password();
        assert_eq!(a.len(), 20);
        assert_ne!(a, generate_password());
        assert_eq!(random_hex(32).len(), 64);
        assert!(ct_eq("abc", "abc") && !ct_eq("abc", "abd") && !ct_eq("abc", "abcd"));
        assert!(check_user_name("alice.b-1_x").is_ok());
        for bad in ["", "a b", "../x", "é", &"x".repeat(65)] {
            assert!(check_user_name(bad).is_err(), "{bad}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password(&"x".repeat(1025)).is_err());
    }
}
