//! Notable strings: URLs, IPv4 addresses, e-mail addresses, Windows paths
//! and mutex-like object names, in ASCII and UTF-16LE. One linear pass per
//! encoding; the count and each string's length are bounded.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Longest run kept (longer runs are cut).
pub const MAX_STRING_LEN: usize = 512;
const MIN_RUN: usize = 6;

/// What a notable string looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StringKind {
    /// `http://`, `https://`, `ftp://` URL.
    Url,
    /// Dotted-quad IPv4 address (each octet ≤ 255, not a version-like
    /// `x.0.0.0`).
    Ipv4,
    /// `user@domain.tld`.
    Email,
    /// Windows path (`C:\…`, `\\server\…`, `%APPDATA%\…`).
    WindowsPath,
    /// `Global\…` / `Local\…` object name, typical of mutexes.
    MutexName,
}

/// One notable string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotableString {
    /// Kind.
    pub kind: StringKind,
    /// The matched text.
    pub value: String,
    /// File offset of the run it was found in.
    pub offset: u64,
    /// `true` when found as UTF-16LE.
    pub wide: bool,
}

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

/// Scan `data` and keep at most `max` notable strings (first found,
/// de-duplicated by kind and value).
pub fn scan(data: &[u8], max: usize) -> Vec<NotableString> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    if max == 0 {
        return out;
    }
    // ASCII runs.
    let mut start = None;
    for (i, &b) in data.iter().enumerate() {
        if printable(b) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            if i - s >= MIN_RUN {
                classify(
                    &data[s..i.min(s + MAX_STRING_LEN)],
                    s,
                    false,
                    &mut out,
                    &mut seen,
                    max,
                );
                if out.len() >= max {
                    return out;
                }
            }
        }
    }
    if let Some(s) = start {
        if data.len() - s >= MIN_RUN {
            classify(
                &data[s..data.len().min(s + MAX_STRING_LEN)],
                s,
                false,
                &mut out,
                &mut seen,
                max,
            );
        }
    }
    // UTF-16LE runs (ASCII range only), on both byte parities.
    for parity in 0..2usize {
        let mut run: Vec<u8> = Vec::new();
        let mut run_start = 0usize;
        let mut i = parity;
        while i + 1 < data.len() {
            let (lo, hi) = (data[i], data[i + 1]);
            if hi == 0 && printable(lo) {
                if run.is_empty() {
                    run_start = i;
                }
                if run.len() < MAX_STRING_LEN {
                    run.push(lo);
                }
            } else if !run.is_empty() {
                if run.len() >= MIN_RUN {
                    classify(&run, run_start, true, &mut out, &mut seen, max);
                    if out.len() >= max {
                        return out;
                    }
                }
                run.clear();
            }
            i += 2;
        }
        if run.len() >= MIN_RUN {
            classify(&run, run_start, true, &mut out, &mut seen, max);
        }
    }
    out.truncate(max);
    out
}

fn push(
    kind: StringKind,
    v: &str,
    off: usize,
    wide: bool,
    out: &mut Vec<NotableString>,
    seen: &mut HashSet<(StringKind, String)>,
    max: usize,
) {
    if out.len() < max && seen.insert((kind, v.to_string())) {
        out.push(NotableString {
            kind,
            value: v.to_string(),
            offset: off as u64,
            wide,
        });
    }
}

fn classify(
    run: &[u8],
    off: usize,
    wide: bool,
    out: &mut Vec<NotableString>,
    seen: &mut HashSet<(StringKind, String)>,
    max: usize,
) {
    // Cheap prefilter: every kind needs one of these characters; most
    // runs in a binary (symbol names, code bytes) have none of them.
    let (mut colon, mut at, mut dots, mut bslash, mut pct) = (false, false, 0u32, false, false);
    for &b in run {
        match b {
            b':' => colon = true,
            b'@' => at = true,
            b'.' => dots += 1,
            b'\\' => bslash = true,
            b'%' => pct = true,
            _ => {}
        }
    }
    if !colon && !at && dots < 3 && !bslash {
        return;
    }
    // Runs are printable ASCII, so this never fails.
    let Ok(s) = std::str::from_utf8(run) else {
        return;
    };
    if colon {
        classify_urls(s, off, wide, out, seen, max);
    }
    if at || dots >= 3 {
        for tok in s.split(|c: char| !(c.is_ascii_alphanumeric() || "._-@".contains(c))) {
            if tok.contains('@') {
                if is_email(tok) {
                    push(StringKind::Email, tok, off, wide, out, seen, max);
                }
            } else if let Some(ip) = ipv4(tok) {
                push(StringKind::Ipv4, ip, off, wide, out, seen, max);
            }
        }
    }
    if bslash || pct {
        classify_paths(s, off, wide, out, seen, max);
    }
}

fn classify_urls(
    s: &str,
    off: usize,
    wide: bool,
    out: &mut Vec<NotableString>,
    seen: &mut HashSet<(StringKind, String)>,
    max: usize,
) {
    let lower = s.to_ascii_lowercase();
    for scheme in ["http://", "https://", "ftp://"] {
        let mut from = 0;
        while let Some(p) = lower[from..].find(scheme) {
            let st = from + p;
            let end = s[st..]
                .find(|c: char| c.is_whitespace() || "\"'<>`{}|^".contains(c))
                .map_or(s.len(), |e| st + e);
            if end - st > scheme.len() + 3 {
                push(StringKind::Url, &s[st..end], off, wide, out, seen, max);
            }
            from = end.max(st + 1);
        }
    }
}

fn classify_paths(
    s: &str,
    off: usize,
    wide: bool,
    out: &mut Vec<NotableString>,
    seen: &mut HashSet<(StringKind, String)>,
    max: usize,
) {
    let b = s.as_bytes();
    for i in 0..b.len() {
        let drive = i + 2 < b.len()
            && b[i].is_ascii_alphabetic()
            && b[i + 1] == b':'
            && b[i + 2] == b'\\'
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        let unc = i + 2 < b.len()
            && b[i] == b'\\'
            && b[i + 1] == b'\\'
            && b[i + 2].is_ascii_alphanumeric()
            && (i == 0 || b[i - 1] != b'\\');
        let env = b[i] == b'%'
            && s[i..].find("%\\").is_some_and(|p| p > 1 && p < 24)
            && s[i + 1..]
                .chars()
                .take_while(|c| *c != '%')
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if drive || unc || env {
            let end = s[i..]
                .find(|c: char| "\"<>|*?".contains(c))
                .map_or(s.len(), |e| i + e);
            let p = s[i..end].trim_end();
            if p.len() > 4 {
                push(StringKind::WindowsPath, p, off, wide, out, seen, max);
            }
            break;
        }
    }
    for pre in ["Global\\", "Local\\"] {
        if let Some(p) = s.find(pre) {
            let end = s[p..]
                .find(|c: char| c.is_whitespace() || "\"'".contains(c))
                .map_or(s.len(), |e| p + e);
            if end - p > pre.len() + 1 {
                push(StringKind::MutexName, &s[p..end], off, wide, out, seen, max);
            }
        }
    }
}

fn is_email(t: &str) -> bool {
    let Some((user, dom)) = t.split_once('@') else {
        return false;
    };
    let Some((_, tld)) = dom.rsplit_once('.') else {
        return false;
    };
    !user.is_empty()
        && user.len() <= 64
        && !dom.contains('@')
        && !dom.starts_with('.')
        && !dom.contains("..")
        && (2..=12).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphabetic())
}

fn ipv4(t: &str) -> Option<&str> {
    let t = t.trim_matches(|c: char| c == '.' || c == '-' || c == '_');
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = [0u32; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if p.len() > 1 && p.starts_with('0') {
            return None;
        }
        v[i] = p.parse().ok()?;
        if v[i] > 255 {
            return None;
        }
    }
    // Version numbers (1.0.0.0, 6.1.7601.0 fails above) and 0.x are noise.
    if v[0] == 0 || (v[1] == 0 && v[2] == 0) {
        return None;
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(data: &[u8]) -> Vec<(StringKind, String)> {
        scan(data, 100)
            .into_iter()
            .map(|s| (s.kind, s.value))
            .collect()
    }

    #[test]
    fn finds_ascii_kinds() {
        let d = b"\0\0see http://evil.example.com/x.php?a=1 now\0mail admin@example.org\0\
C:\\Users\\kim\\Desktop\\proj\\Release\\a.pdb\0Global\\MyMutex123\0beacon 203.0.113.7\0ver 1.0.0.1\0";
        let k = kinds(d);
        assert!(
            k.contains(&(StringKind::Url, "http://evil.example.com/x.php?a=1".into())),
            "{k:?}"
        );
        assert!(k.contains(&(StringKind::Email, "admin@example.org".into())));
        assert!(k.contains(&(
            StringKind::WindowsPath,
            "C:\\Users\\kim\\Desktop\\proj\\Release\\a.pdb".into()
        )));
        assert!(k.contains(&(StringKind::MutexName, "Global\\MyMutex123".into())));
        assert!(k.contains(&(StringKind::Ipv4, "203.0.113.7".into())));
        assert!(!k.iter().any(|(_, v)| v == "1.0.0.1"));
    }

    #[test]
    fn finds_utf16() {
        let mut d = vec![0u8; 3];
        for c in "https://example.net/a".encode_utf16() {
            d.extend_from_slice(&c.to_le_bytes());
        }
        d.extend_from_slice(&[0, 0]);
        let s = scan(&d, 10);
        assert_eq!(s.len(), 1);
        assert!(s[0].wide);
        assert_eq!(s[0].value, "https://example.net/a");
        assert_eq!(s[0].offset, 3);
    }

    #[test]
    fn bounded() {
        let mut d = Vec::new();
        for i in 0..1000 {
            d.extend_from_slice(format!("http://h{i}.example.com/\0").as_bytes());
        }
        assert_eq!(scan(&d, 7).len(), 7);
    }
}
