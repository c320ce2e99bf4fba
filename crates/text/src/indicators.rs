//! Indicator scanner (runs on refanged text).
//!
//! The text is cut into chunks at white space and at the delimiters
//! `" ' < > ( ) [ ] { } , ; | `` ` `` and non-ASCII bytes; each chunk is
//! classified by the characters it holds, so plain words cost one table look-up
//! per byte. URLs and Windows paths may run past a delimiter (query strings,
//! `Program Files (x86)`), so their handlers extend the chunk themselves.
//!
//! False-positive rules:
//! - domains must end in a public suffix known to the embedded public suffix
//!   list (`psl` crate), with a lower-case TLD unless found in a URL, an e-mail
//!   address or defanged (`Microsoft.Exchange`, `end.The` are not domains);
//!   names whose "TLD" is also a common file extension (`.zip`, `.py`, `.sh`,
//!   `.md`, `.mov`, ...) are reported as file names unless defanged or in a URL;
//! - IPv4 needs exactly four decimal octets 0–255 without leading zeros, not
//!   preceded by `version`/`v`/`build`/... and not part of a longer dotted
//!   number (OIDs, `1.2.3.4.5`);
//! - hashes are hex runs of exactly 32/40/64 characters bounded by non-alphanumerics,
//!   not all digits;
//! - dotted numbers (`1.2.3`, `3.14`, dates) never match anything.

use serde::Serialize;

/// Type of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    /// IPv4 address, optionally with CIDR prefix.
    Ipv4,
    /// IPv6 address, optionally with CIDR prefix.
    Ipv6,
    /// Domain name validated against the public suffix list.
    Domain,
    /// URL with a scheme.
    Url,
    /// E-mail address.
    Email,
    /// MD5 hash (32 hex).
    Md5,
    /// SHA-1 hash (40 hex).
    Sha1,
    /// SHA-256 hash (64 hex).
    Sha256,
    /// CVE identifier.
    Cve,
    /// Windows file system path (drive, `%VAR%` or UNC).
    WindowsPath,
    /// Windows registry key.
    RegistryKey,
    /// File name with a known extension.
    FileName,
    /// Mutex name, where the text marks it as one.
    Mutex,
}

impl IndicatorKind {
    /// Stable lower-case name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Ipv4 => "ipv4",
            IndicatorKind::Ipv6 => "ipv6",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Url => "url",
            IndicatorKind::Email => "email",
            IndicatorKind::Md5 => "md5",
            IndicatorKind::Sha1 => "sha1",
            IndicatorKind::Sha256 => "sha256",
            IndicatorKind::Cve => "cve",
            IndicatorKind::WindowsPath => "windows-path",
            IndicatorKind::RegistryKey => "registry-key",
            IndicatorKind::FileName => "file-name",
            IndicatorKind::Mutex => "mutex",
        }
    }
}

/// Where an indicator was found relative to other indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// On its own.
    Standalone,
    /// Host part of a URL.
    InUrl,
    /// Domain part of an e-mail address.
    InEmail,
}

/// A hit in refanged coordinates.
#[derive(Debug, Clone)]
pub(crate) struct RawHit {
    pub kind: IndicatorKind,
    pub value: String,
    pub start: usize,
    pub end: usize,
    pub cidr: Option<u8>,
    pub port: Option<u16>,
    pub context: Context,
}

const D: u8 = 1; // delimiter
const DOT: u8 = 2;
const COLON: u8 = 4;
const AT: u8 = 8;
const BSL: u8 = 16;
const DIGIT: u8 = 32;
const OTHER: u8 = 64; // any other non-letter (%, /, -, _ ...)
const HEX_LETTER: u8 = 128;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c >= 0x80
            || c.is_ascii_whitespace()
            || matches!(
                c,
                b'"' | b'\''
                    | b'<'
                    | b'>'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b','
                    | b';'
                    | b'|'
                    | b'`'
            )
            || c < 0x20
        {
            D
        } else if c == b'.' {
            DOT
        } else if c == b':' {
            COLON
        } else if c == b'@' {
            AT
        } else if c == b'\\' {
            BSL
        } else if c.is_ascii_digit() {
            DIGIT
        } else if matches!(c, b'a'..=b'f' | b'A'..=b'F') {
            HEX_LETTER
        } else if c.is_ascii_alphabetic() {
            0
        } else {
            OTHER
        };
        i += 1;
    }
    t
};

/// Common file extensions (lower case) used for file names.
const FILE_EXT: &[&str] = &[
    "exe", "dll", "sys", "drv", "ocx", "cpl", "scr", "bat", "cmd", "ps1", "psm1", "vbs", "vbe",
    "js", "jse", "wsf", "hta", "lnk", "msi", "jar", "py", "sh", "pl", "rb", "php", "asp", "aspx",
    "jsp", "doc", "docx", "docm", "dot", "dotm", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx",
    "pptm", "rtf", "pdf", "zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "cab", "iso", "img",
    "vhd", "vhdx", "dmg", "apk", "ipa", "elf", "so", "dylib", "bin", "dat", "tmp", "log", "ini",
    "cfg", "conf", "txt", "csv", "json", "xml", "html", "htm", "eml", "msg", "one", "chm", "inf",
    "reg", "db", "sqlite", "pem", "crt", "pfx", "ovpn", "lua", "go", "rs", "config", "deb", "rpm",
    "pkg", "mov", "md", "ps", "cc", "pub", "run", "app", "pif", "xll", "wll", "ace", "arj", "uue",
    "lzh", "vba", "svg", "png", "jpg", "jpeg", "gif", "bmp", "ico",
];

/// Schemes accepted in URLs.
const SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "sftp", "tcp", "udp", "ws", "wss", "smb", "file", "ssh", "rdp",
    "ldap", "ldaps", "irc", "tftp", "telnet", "socks5", "socks4",
];

/// Words that, before a dotted quad, make it a version number.
/// Also section-like words: "paragraph 2.4.1.3" is a section number.
const VERSION_WORDS: &[&str] = &[
    "version",
    "versions",
    "ver",
    "v",
    "build",
    "release",
    "firmware",
    "rev",
    "revision",
    "update",
    "patch",
    "section",
    "sections",
    "paragraph",
    "chapter",
    "figure",
    "fig",
    "table",
    "appendix",
    "clause",
    "step",
    "item",
    "oid",
];

/// Scans refanged text. `defanged(start,end)` tells whether a span was defanged.
pub(crate) fn scan(
    t: &str,
    defanged: &dyn Fn(usize, usize) -> bool,
) -> (Vec<RawHit>, Vec<(String, usize, usize)>) {
    let b = t.as_bytes();
    let n = b.len();
    let mut hits = Vec::new();
    let mut techs = Vec::new();
    let mut i = 0;
    while i < n {
        if CLASS[b[i] as usize] & D != 0 {
            i += 1;
            continue;
        }
        let s = i;
        let mut flags = 0u8;
        let mut letters = 0usize;
        while i < n {
            let c = CLASS[b[i] as usize];
            if c & D != 0 {
                break;
            }
            if c == 0 {
                letters += 1;
            }
            flags |= c;
            i += 1;
        }
        let e = i;
        if flags & !(HEX_LETTER) == 0 {
            // letters only
            if e - s >= 32 && letters == 0 {
                hex_runs(b, s, e, &mut hits);
            }
            if (5..=8).contains(&(e - s)) && (b[s] | 0x20) == b'm' {
                mutex(t, s, e, &mut hits);
            }
            continue;
        }
        let next = classify(t, s, e, flags, defanged, &mut hits, &mut techs);
        if next > i {
            i = next;
        }
    }
    (hits, techs)
}

#[allow(clippy::too_many_arguments)]
fn classify(
    t: &str,
    s: usize,
    e: usize,
    flags: u8,
    defanged: &dyn Fn(usize, usize) -> bool,
    hits: &mut Vec<RawHit>,
    techs: &mut Vec<(String, usize, usize)>,
) -> usize {
    let b = t.as_bytes();
    let chunk = &b[s..e];
    // a URL first: nothing inside it is matched but the URL and what it names
    if flags & COLON != 0 {
        if let Some(q) = memchr::memmem::find(chunk, b"://") {
            if let Some(end) = url(t, s, s + q, defanged, hits, techs) {
                return end;
            }
        }
    }
    if e - s >= 32 {
        hex_runs(b, s, e, hits);
    }
    if (5..=9).contains(&(e - s)) && (chunk[0] | 0x20) == b'm' {
        mutex(t, s, e, hits);
    }
    if flags & COLON != 0 && memchr::memmem::find(chunk, b"://").is_some() {
        return e;
    }
    if flags & BSL != 0 || chunk[0] == b'%' {
        if let Some(end) = win_path(t, s, hits) {
            return end;
        }
    }
    if flags & AT != 0 {
        email(t, s, e, defanged, hits);
        return e;
    }
    if flags & DIGIT != 0 {
        if chunk.len() >= 13 && chunk[..4].eq_ignore_ascii_case(b"cve-") {
            cve(b, s, e, hits);
            return e;
        }
        // inside a detection name or a path: "Win32/Exploit.CVE-2017-11882.BU"
        if chunk.len() >= 14 {
            let mut from = 1;
            while let Some(p) = find_ci(&chunk[from..], b"cve-") {
                let at = from + p;
                if !chunk[at - 1].is_ascii_alphanumeric() {
                    cve(b, s + at, e, hits);
                }
                from = at + 4;
            }
        }
        if chunk[0] == b'T' {
            tech_id(t, s, e, techs);
        }
    }
    if flags & COLON != 0 && chunk.iter().filter(|&&c| c == b':').count() >= 2 {
        let before = hits.len();
        ipv6(t, s, e, hits);
        if hits.len() > before {
            return e;
        }
    }
    if flags & DOT != 0 {
        // "destination_address=www.example.net&count=4": each value of a query-like chunk
        let kv = chunk.iter().position(|&c| c == b'=' || c == b'&');
        match kv {
            Some(p) if !chunk[..p].contains(&b'.') && !chunk[..p].contains(&b'/') => {
                let mut a = s;
                for k in s..=e {
                    if k == e || b[k] == b'=' || b[k] == b'&' {
                        if k > a && b[a..k].contains(&b'.') {
                            dotted(t, a, k, defanged, hits);
                        }
                        a = k + 1;
                    }
                }
            }
            _ => dotted(t, s, e, defanged, hits),
        }
    }
    e
}

fn find_ci(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

fn trim_span(b: &[u8], mut s: usize, mut e: usize, lead: &[u8], trail: &[u8]) -> (usize, usize) {
    while s < e && lead.contains(&b[s]) {
        s += 1;
    }
    while e > s && trail.contains(&b[e - 1]) {
        e -= 1;
    }
    (s, e)
}

fn hex_runs(b: &[u8], s: usize, e: usize, hits: &mut Vec<RawHit>) {
    let mut i = s;
    while i < e {
        if !b[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let rs = i;
        while i < e && b[i].is_ascii_hexdigit() {
            i += 1;
        }
        let before_ok = rs == 0 || !b[rs - 1].is_ascii_alphanumeric();
        let after_ok = i >= b.len() || !b[i].is_ascii_alphanumeric();
        if !before_ok || !after_ok {
            // skip the rest of an alphanumeric run
            while i < e && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        let run = &b[rs..i];
        let kind = match run.len() {
            32 => IndicatorKind::Md5,
            40 => IndicatorKind::Sha1,
            64 => IndicatorKind::Sha256,
            _ => continue,
        };
        if run.iter().all(u8::is_ascii_digit) {
            continue;
        }
        hits.push(RawHit {
            kind,
            value: String::from_utf8_lossy(run).to_ascii_lowercase(),
            start: rs,
            end: i,
            cidr: None,
            port: None,
            context: Context::Standalone,
        });
    }
}

fn cve(b: &[u8], s: usize, e: usize, hits: &mut Vec<RawHit>) {
    let c = &b[s..e];
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    if !(c.len() >= 13 && digits(&c[4..8]) && c[8] == b'-') {
        return;
    }
    let mut j = 9;
    while j < c.len() && c[j].is_ascii_digit() {
        j += 1;
    }
    if !(4..=7).contains(&(j - 9)) || (j < c.len() && c[j].is_ascii_alphanumeric()) {
        return;
    }
    hits.push(RawHit {
        kind: IndicatorKind::Cve,
        value: String::from_utf8_lossy(&c[..j]).to_ascii_uppercase(),
        start: s,
        end: s + j,
        cidr: None,
        port: None,
        context: Context::Standalone,
    });
}

fn tech_id(t: &str, s: usize, e: usize, techs: &mut Vec<(String, usize, usize)>) {
    let b = t.as_bytes();
    let (s, e) = trim_span(b, s, e, b"", b".:!?-");
    let c = &b[s..e];
    let ok = (c.len() == 5
        || (c.len() == 9 && c[5] == b'.' && c[6..9].iter().all(u8::is_ascii_digit)))
        && c[1..5].iter().all(u8::is_ascii_digit);
    if ok {
        techs.push((t[s..e].to_owned(), s, e));
    }
}

/// Parses a dotted quad at the start of `c`; returns (octets end, value).
fn parse_ipv4(c: &[u8]) -> Option<usize> {
    let mut pos = 0;
    for part in 0..4 {
        let st = pos;
        while pos < c.len() && c[pos].is_ascii_digit() && pos - st < 4 {
            pos += 1;
        }
        let len = pos - st;
        if len == 0 || len > 3 || (len > 1 && c[st] == b'0') {
            return None;
        }
        let v: u32 = std::str::from_utf8(&c[st..pos]).ok()?.parse().ok()?;
        if v > 255 {
            return None;
        }
        if part < 3 {
            if pos >= c.len() || c[pos] != b'.' {
                return None;
            }
            pos += 1;
        }
    }
    if pos < c.len()
        && (c[pos].is_ascii_digit()
            || (c[pos] == b'.' && c.get(pos + 1).is_some_and(u8::is_ascii_digit)))
    {
        return None; // longer dotted number
    }
    Some(pos)
}

/// Up to `n` words before `s` on the same line (lower case, nearest first).
fn prev_words(b: &[u8], s: usize, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut j = s;
    for _ in 0..n {
        while j > 0 && matches!(b[j - 1], b' ' | b'\t' | b':' | b'=' | b'(' | b'"') {
            j -= 1;
        }
        let end = j;
        while j > 0 && b[j - 1].is_ascii_alphanumeric() && end - j < 12 {
            j -= 1;
        }
        if j == end {
            break;
        }
        out.push(String::from_utf8_lossy(&b[j..end]).to_ascii_lowercase());
    }
    out
}

fn dotted(
    t: &str,
    s: usize,
    e: usize,
    defanged: &dyn Fn(usize, usize) -> bool,
    hits: &mut Vec<RawHit>,
) {
    let b = t.as_bytes();
    let (s, e) = trim_span(b, s, e, b".:!?=*-/#~", b".:!?=*-/#~");
    if s >= e {
        return;
    }
    let c = &b[s..e];
    // IPv4
    if c[0].is_ascii_digit() {
        if let Some(end) = parse_ipv4(c) {
            if s > 0 && (b[s - 1] == b'.' || b[s - 1].is_ascii_alphanumeric()) {
                return;
            }
            // "version 1.2.3.4", "v1.2.3.4", "version string was 1.2.3.4"
            if !defanged(s, s + end)
                && prev_words(b, s, 3)
                    .iter()
                    .any(|w| VERSION_WORDS.contains(&w.as_str()))
            {
                return;
            }
            let rest = &c[end..];
            let mut cidr = None;
            let mut port = None;
            let mut vend = end;
            if rest.len() >= 2 && rest[0] == b'/' {
                let d: Vec<u8> = rest[1..]
                    .iter()
                    .take_while(|x| x.is_ascii_digit())
                    .copied()
                    .collect();
                if !d.is_empty() && d.len() <= 2 && 1 + d.len() == rest.len() {
                    let v: u8 = std::str::from_utf8(&d)
                        .ok()
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(99);
                    if v <= 32 {
                        cidr = Some(v);
                        vend = end + 1 + d.len();
                    }
                }
            } else if rest.len() >= 2 && rest[0] == b':' {
                let d: Vec<u8> = rest[1..]
                    .iter()
                    .take_while(|x| x.is_ascii_digit())
                    .copied()
                    .collect();
                port = std::str::from_utf8(&d)
                    .ok()
                    .and_then(|x| x.parse::<u16>().ok());
            } else if !rest.is_empty() && rest[0].is_ascii_alphabetic() {
                return; // "1.2.3.4abc"
            }
            hits.push(RawHit {
                kind: IndicatorKind::Ipv4,
                value: t[s..s + vend].to_owned(),
                start: s,
                end: s + vend,
                cidr,
                port,
                context: Context::Standalone,
            });
            return;
        }
        if c.iter().all(|x| x.is_ascii_digit() || *x == b'.') {
            return; // version, section number, decimal
        }
    }
    // host part
    let host_end = c
        .iter()
        .position(|&x| matches!(x, b'/' | b':' | b'?' | b'#' | b'=' | b'&'))
        .unwrap_or(c.len());
    let (hs, he) = trim_span(b, s, s + host_end, b"-_", b".-");
    if hs >= he {
        return;
    }
    let host = &t[hs..he];
    let was_defanged = defanged(hs, he);
    // a name followed by more parameters ("dn=setup.zip&xl=…") may be a file name too
    let may_be_file = host_end == c.len() || matches!(c[host_end], b'&' | b'=');
    match domain_or_file(host, was_defanged, may_be_file) {
        Some(IndicatorKind::Domain) => {
            let port = if c.get(host_end) == Some(&b':') {
                let d: String = t[s + host_end + 1..e]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                d.parse().ok()
            } else {
                None
            };
            hits.push(RawHit {
                kind: IndicatorKind::Domain,
                value: host.to_ascii_lowercase(),
                start: hs,
                end: he,
                cidr: None,
                port,
                context: Context::Standalone,
            })
        }
        Some(IndicatorKind::FileName) => hits.push(RawHit {
            kind: IndicatorKind::FileName,
            value: host.to_owned(),
            start: hs,
            end: he,
            cidr: None,
            port: None,
            context: Context::Standalone,
        }),
        _ => {}
    }
}

/// Decides whether `host` is a domain, a file name, or neither.
/// `relaxed`: found in a URL/e-mail or defanged (case rules and file-extension
/// ambiguity are waived). `may_be_file`: nothing follows the name.
fn domain_or_file(host: &str, relaxed: bool, may_be_file: bool) -> Option<IndicatorKind> {
    let hb = host.as_bytes();
    let last_dot = memchr::memrchr(b'.', hb)?;
    let tld = &host[last_dot + 1..];
    let ext_lower = tld.to_ascii_lowercase();
    let is_file_ext = may_be_file && FILE_EXT.contains(&ext_lower.as_str());
    let dom = valid_domain(host, relaxed);
    if dom {
        if is_file_ext
            && !relaxed
            && ext_lower != "com"
            && !host.to_ascii_lowercase().starts_with("www.")
            && valid_file_name(host)
        {
            return Some(IndicatorKind::FileName);
        }
        return Some(IndicatorKind::Domain);
    }
    if is_file_ext && valid_file_name(host) {
        return Some(IndicatorKind::FileName);
    }
    None
}

fn valid_file_name(name: &str) -> bool {
    let b = name.as_bytes();
    let dot = match memchr::memrchr(b'.', b) {
        Some(d) if d > 0 => d,
        _ => return false,
    };
    b[..dot].iter().all(|&c| {
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'~' | b'$' | b'!' | b'+')
    }) && b[..dot].iter().any(u8::is_ascii_alphanumeric)
        && !b[..dot].iter().all(u8::is_ascii_digit)
}

/// Domain syntax + public suffix check.
pub(crate) fn valid_domain(host: &str, relaxed: bool) -> bool {
    let hb = host.as_bytes();
    if hb.len() < 4 || hb.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in host.split('.') {
        let lb = label.as_bytes();
        if lb.is_empty() || lb.len() > 63 || lb[0] == b'-' || lb[lb.len() - 1] == b'-' {
            return false;
        }
        if !lb
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    if labels < 2 {
        return false;
    }
    let tb = last.as_bytes();
    if tb.len() < 2
        || !(tb.iter().all(u8::is_ascii_alphabetic)
            || last.to_ascii_lowercase().starts_with("xn--"))
    {
        return false;
    }
    // "attack.It", "Microsoft.Exchange": outside URLs, e-mails and defanged
    // text the TLD must be written in lower case ("Google.com" is fine)
    if !relaxed && !tb.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let lower = host.to_ascii_lowercase();
    match psl::suffix(lower.as_bytes()) {
        Some(sfx) if sfx.is_known() => {}
        _ => return false,
    }
    psl::domain(lower.as_bytes()).is_some()
}

/// Unicode combining marks (general categories Mn, Mc, Me) in the common blocks: they
/// belong to the word they follow (Devanagari, Arabic, Hebrew vowel signs, accents).
fn is_mark(ch: char) -> bool {
    matches!(ch as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF..=0x05C7
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x302A..=0x302F
        | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// The technique an ATT&CK page URL names (`https://attack.mitre.org/techniques/T1055/012/`
/// names T1055.012); the id is reported at its place in the URL.
fn attack_url_technique(
    t: &str,
    hs: usize,
    he: usize,
    path_start: usize,
    end: usize,
    techs: &mut Vec<(String, usize, usize)>,
) {
    let host = &t[hs..he];
    if !(host.eq_ignore_ascii_case("attack.mitre.org")
        || host.to_ascii_lowercase().ends_with(".attack.mitre.org"))
    {
        return;
    }
    let path = &t[path_start..end];
    let Some(p) = path.find("/techniques/") else {
        return;
    };
    let id_start = path_start + p + "/techniques/".len();
    let b = t.as_bytes();
    let is_id = |a: usize| {
        b.get(a) == Some(&b'T')
            && b.len() >= a + 5
            && b[a + 1..a + 5].iter().all(u8::is_ascii_digit)
            && b.get(a + 5).is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    if id_start + 5 > end || !is_id(id_start) {
        return;
    }
    let mut id = t[id_start..id_start + 5].to_owned();
    let mut id_end = id_start + 5;
    // sub-technique: "/T1055/012" or "/T1055.012"
    if matches!(b.get(id_end), Some(b'/') | Some(b'.'))
        && id_end + 4 <= end
        && b[id_end + 1..id_end + 4].iter().all(u8::is_ascii_digit)
        && b.get(id_end + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        id.push('.');
        id.push_str(&t[id_end + 1..id_end + 4]);
        id_end += 4;
    }
    techs.push((id, id_start, id_end));
}

fn url(
    t: &str,
    s: usize,
    q: usize,
    defanged: &dyn Fn(usize, usize) -> bool,
    hits: &mut Vec<RawHit>,
    techs: &mut Vec<(String, usize, usize)>,
) -> Option<usize> {
    let b = t.as_bytes();
    // scheme: letters right before "://"
    let mut ss = q;
    while ss > s && (b[ss - 1].is_ascii_alphanumeric() || b[ss - 1] == b'+') {
        ss -= 1;
    }
    let scheme = t[ss..q].to_ascii_lowercase();
    if !SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    // a URL in single quotes ('http://…/x.exe','C:\…') ends at the closing quote
    let quoted = ss > 0 && b[ss - 1] == b'\'';
    let mut end = q + 3;
    while end < b.len() {
        let c = b[end];
        if quoted && c == b'\'' {
            break;
        }
        if c >= 0x80 {
            // IRIs: letters, digits and marks of any script belong to the URL; other
            // characters (quotation marks, dashes, spaces, ideographic punctuation) end it.
            match t[end..].chars().next() {
                Some(ch) if ch.is_alphanumeric() || is_mark(ch) => {
                    end += ch.len_utf8();
                    continue;
                }
                _ => break,
            }
        }
        if c.is_ascii_whitespace()
            || matches!(
                c,
                b'"' | b'<' | b'>' | b'`' | b'|' | b'\\' | b'^' | b'{' | b'}'
            )
            || c < 0x20
        {
            break;
        }
        end += 1;
    }
    // trim trailing punctuation and unbalanced brackets
    loop {
        if end <= q + 3 {
            return None;
        }
        let c = b[end - 1];
        if matches!(
            c,
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' | b'[' | b'(' | b'{'
        ) {
            end -= 1;
        } else if c == b')' || c == b']' {
            let open = if c == b')' { b'(' } else { b'[' };
            let o = b[ss..end].iter().filter(|&&x| x == open).count();
            let cl = b[ss..end].iter().filter(|&&x| x == c).count();
            if cl > o {
                end -= 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    // CSV: a comma in the host ends the URL; in the path, a comma followed by a plain field
    // ("…/login.php,kit,…", "…,xxx,…", an empty field) ends it, except in a text fragment
    // ("#:~:text=start,end" is one URL)
    let text_fragment = memchr::memmem::find(&b[q + 3..end], b"#:~:text=").map(|p| q + 3 + p);
    let path_start = b[q + 3..end]
        .iter()
        .position(|&x| matches!(x, b'/' | b'?' | b'#'))
        .map_or(end, |p| q + 3 + p);
    let mut k = q + 3;
    while k < text_fragment.unwrap_or(end) {
        if b[k] == b',' {
            if k < path_start {
                end = k;
                break;
            }
            let field_end = b[k + 1..end]
                .iter()
                .position(|&x| x == b',')
                .map_or(end, |p| k + 1 + p);
            let field = &b[k + 1..field_end];
            // in a query, "?a=1,2" keeps its comma; in a path a plain field of any kind
            // ("…/gate/,1AfoH41…" then a Bitcoin address) is the next column
            let in_query = b[q + 3..k].contains(&b'?');
            let plain_start = if in_query {
                field.first().is_some_and(u8::is_ascii_alphabetic)
            } else {
                field.first().is_some_and(u8::is_ascii_alphanumeric)
            };
            if field.is_empty()
                || (plain_start
                    && !field.iter().any(|x| {
                        matches!(x, b'/' | b'?' | b'=' | b'&' | b'#' | b'.' | b':' | b'%')
                    }))
            {
                end = k;
                break;
            }
        }
        k += 1;
    }
    // authority
    let auth_start = q + 3;
    let auth_end = b[auth_start..end]
        .iter()
        .position(|&x| matches!(x, b'/' | b'?' | b'#'))
        .map(|p| auth_start + p)
        .unwrap_or(end);
    let host_start = b[auth_start..auth_end]
        .iter()
        .rposition(|&x| x == b'@')
        .map(|p| auth_start + p + 1)
        .unwrap_or(auth_start);
    let (hs, he, kind) = if b.get(host_start) == Some(&b'[') {
        let close = b[host_start..auth_end].iter().position(|&x| x == b']')? + host_start;
        let inner = &t[host_start + 1..close];
        inner.parse::<std::net::Ipv6Addr>().ok()?;
        (host_start + 1, close, IndicatorKind::Ipv6)
    } else {
        let he = b[host_start..auth_end]
            .iter()
            .position(|&x| x == b':')
            .map(|p| host_start + p)
            .unwrap_or(auth_end);
        let host = &b[host_start..he];
        if host.is_empty() {
            return None;
        }
        if host[0].is_ascii_digit() && parse_ipv4(host) == Some(host.len()) {
            (host_start, he, IndicatorKind::Ipv4)
        } else if valid_domain(&t[host_start..he], true) {
            (host_start, he, IndicatorKind::Domain)
        } else if scheme == "file" || scheme == "smb" {
            (host_start, he, IndicatorKind::Url) // no host indicator
        } else {
            return None;
        }
    };
    let _ = defanged;
    if kind == IndicatorKind::Domain {
        attack_url_technique(t, hs, he, auth_end, end, techs);
    }
    let mut value = String::with_capacity(end - ss);
    value.push_str(&scheme);
    value.push_str(&t[q..end]);
    hits.push(RawHit {
        kind: IndicatorKind::Url,
        value,
        start: ss,
        end,
        cidr: None,
        port: None,
        context: Context::Standalone,
    });
    if kind != IndicatorKind::Url {
        let v = t[hs..he].to_ascii_lowercase();
        hits.push(RawHit {
            kind,
            value: v,
            start: hs,
            end: he,
            cidr: None,
            port: None,
            context: Context::InUrl,
        });
    }
    Some(end)
}

fn email(
    t: &str,
    s: usize,
    e: usize,
    defanged: &dyn Fn(usize, usize) -> bool,
    hits: &mut Vec<RawHit>,
) {
    let b = t.as_bytes();
    let Some(at) = memchr::memchr(b'@', &b[s..e]).map(|p| s + p) else {
        return;
    };
    let mut ls = at;
    while ls > s
        && (b[ls - 1].is_ascii_alphanumeric()
            || matches!(b[ls - 1], b'.' | b'_' | b'%' | b'+' | b'-'))
    {
        ls -= 1;
    }
    while ls < at && b[ls] == b'.' {
        ls += 1;
    }
    if ls == at || b[at - 1] == b'.' {
        return;
    }
    let mut de = at + 1;
    while de < e && (b[de].is_ascii_alphanumeric() || matches!(b[de], b'.' | b'-')) {
        de += 1;
    }
    while de > at + 1 && matches!(b[de - 1], b'.' | b'-') {
        de -= 1;
    }
    let dom = &t[at + 1..de];
    let relaxed = dom.bytes().any(|c| c.is_ascii_lowercase()) || defanged(ls, de);
    if !valid_domain(dom, relaxed) {
        return;
    }
    hits.push(RawHit {
        kind: IndicatorKind::Email,
        value: t[ls..de].to_ascii_lowercase(),
        start: ls,
        end: de,
        cidr: None,
        port: None,
        context: Context::Standalone,
    });
    hits.push(RawHit {
        kind: IndicatorKind::Domain,
        value: dom.to_ascii_lowercase(),
        start: at + 1,
        end: de,
        cidr: None,
        port: None,
        context: Context::InEmail,
    });
}

const REG_ROOTS: &[&str] = &[
    "HKEY_LOCAL_MACHINE",
    "HKEY_CURRENT_USER",
    "HKEY_CLASSES_ROOT",
    "HKEY_USERS",
    "HKEY_CURRENT_CONFIG",
    "HKLM",
    "HKCU",
    "HKCR",
    "HKU",
    "HKCC",
];

/// Windows paths and registry keys starting at `s`. Returns the end if found.
fn win_path(t: &str, s: usize, hits: &mut Vec<RawHit>) -> Option<usize> {
    let b = t.as_bytes();
    let rest = &b[s..];
    let kind;
    let body;
    if rest.len() >= 4
        && rest[0].is_ascii_alphabetic()
        && rest[1] == b':'
        && rest[2] == b'\\'
        && (s == 0 || !b[s - 1].is_ascii_alphanumeric())
    {
        kind = IndicatorKind::WindowsPath;
        body = s + 3;
    } else if rest.len() >= 4
        && rest[0] == b'\\'
        && rest[1] == b'\\'
        && rest[2].is_ascii_alphanumeric()
    {
        kind = IndicatorKind::WindowsPath;
        body = s + 2;
    } else if rest[0] == b'%' {
        let close = rest[1..rest.len().min(40)]
            .iter()
            .position(|&c| c == b'%')?
            + 1;
        if close < 2
            || !rest[1..close]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'(' || *c == b')')
        {
            return None;
        }
        if rest.get(close + 1) != Some(&b'\\') {
            return None;
        }
        kind = IndicatorKind::WindowsPath;
        body = s + close + 2;
    } else {
        let root = REG_ROOTS.iter().find(|r| {
            rest.len() > r.len() + 1
                && rest[..r.len()].eq_ignore_ascii_case(r.as_bytes())
                && (rest[r.len()] == b'\\' || (rest[r.len()] == b':' && rest[r.len() + 1] == b'\\'))
        })?;
        kind = IndicatorKind::RegistryKey;
        body = s + root.len() + 1;
    }
    let stop = |c: u8| {
        c.is_ascii_whitespace()
            || !(0x20..0x80).contains(&c)
            || matches!(
                c,
                b'"' | b'<' | b'>' | b'|' | b'*' | b'?' | b',' | b';' | b'\'' | b'`'
            )
    };
    let mut end = body;
    loop {
        while end < b.len() && !stop(b[end]) {
            end += 1;
        }
        // continue over spaces ("Program Files (x86)\\Evil Corp\\x.exe") when, within
        // three words, a word holds a backslash, the current component has no
        // extension yet and no new path starts
        if end + 1 < b.len() && b[end] == b' ' && kind == IndicatorKind::WindowsPath {
            let comp_start = b[s..end]
                .iter()
                .rposition(|&c| c == b'\\')
                .map(|p| s + p + 1)
                .unwrap_or(s);
            if !b[comp_start..end].contains(&b'.') {
                let mut ws = end + 1;
                let mut joined = None;
                for _ in 0..3 {
                    let mut we = ws;
                    while we < b.len() && !stop(b[we]) {
                        we += 1;
                    }
                    let w = &b[ws..we];
                    if w.is_empty() || (w.len() >= 2 && w[1] == b':') || w.starts_with(b"%") {
                        break;
                    }
                    if w.contains(&b'\\') {
                        joined = Some(we);
                        break;
                    }
                    if w.contains(&b'.') || we >= b.len() || b[we] != b' ' {
                        break;
                    }
                    ws = we + 1;
                }
                if let Some(we) = joined {
                    if we - s < 1024 {
                        end = we;
                        continue;
                    }
                }
            }
        }
        break;
    }
    while end > body && matches!(b[end - 1], b'.' | b':' | b')' | b']') {
        if b[end - 1] == b')'
            && b[s..end].iter().filter(|&&c| c == b'(').count()
                >= b[s..end].iter().filter(|&&c| c == b')').count()
        {
            break;
        }
        end -= 1;
    }
    if end <= body && kind == IndicatorKind::RegistryKey {
        return None;
    }
    hits.push(RawHit {
        kind,
        value: t[s..end].to_owned(),
        start: s,
        end,
        cidr: None,
        port: None,
        context: Context::Standalone,
    });
    Some(end)
}

fn ipv6(t: &str, s: usize, e: usize, hits: &mut Vec<RawHit>) {
    let b = t.as_bytes();
    let (s, mut e) = trim_span(b, s, e, b"", b".,:");
    let c = &t[s..e];
    let mut cidr = None;
    let mut addr_end = e;
    if let Some(slash) = c.find('/') {
        let d = &c[slash + 1..];
        if d.is_empty() || d.len() > 3 || !d.bytes().all(|x| x.is_ascii_digit()) {
            return;
        }
        let v: u8 = d.parse().ok().filter(|v| *v <= 128).unwrap_or(255);
        if v == 255 {
            return;
        }
        cidr = Some(v);
        addr_end = s + slash;
    }
    let mut addr = &t[s..addr_end];
    if let Some(p) = addr.find('%') {
        addr = &addr[..p];
        if cidr.is_none() {
            e = addr_end;
        }
    }
    let colons = addr.bytes().filter(|&x| x == b':').count();
    if !(colons == 7 || addr.contains("::")) {
        return;
    }
    let groups: Vec<&str> = addr.split(':').filter(|g| !g.is_empty()).collect();
    if groups.len() < 2 && addr != "::1" {
        return;
    }
    // times like 10::30 and C++ scopes are out: require a group of >= 3 chars or a hex letter
    if !groups
        .iter()
        .any(|g| g.len() >= 3 || g.bytes().any(|x| x.is_ascii_alphabetic()))
    {
        return;
    }
    if addr.parse::<std::net::Ipv6Addr>().is_err() {
        return;
    }
    hits.push(RawHit {
        kind: IndicatorKind::Ipv6,
        value: t[s..if cidr.is_some() { e } else { s + addr.len() }].to_ascii_lowercase(),
        start: s,
        end: if cidr.is_some() { e } else { s + addr.len() },
        cidr,
        port: None,
        context: Context::Standalone,
    });
}

const MUTEX_FILLER: &[&str] = &[
    "named", "called", "the", "a", "an", "with", "name", "names", "value", "of", "is", "object",
    "=", ":", "-", "as",
];

/// A mutex name after "mutex"/"mutant" (or a quoted name right before it).
fn mutex(t: &str, s: usize, e: usize, hits: &mut Vec<RawHit>) {
    let b = t.as_bytes();
    let word = t[s..e].trim_end_matches([':', '=']).to_ascii_lowercase();
    if !matches!(word.as_str(), "mutex" | "mutexes" | "mutant" | "mutants") {
        return;
    }
    let mut i = e;
    // the name may follow on the next line, but not after a blank line
    // a window of 300 bytes, cut back to a character boundary: a name is
    // sliced from `t` up to `line_end`
    let limit = crate::textutil::floor_boundary(t, (e + 300).min(b.len()));
    let line_end = memchr::memmem::find(&b[e..limit], b"\n\n")
        .map(|p| e + p)
        .unwrap_or(limit);
    for _ in 0..5 {
        while i < line_end && matches!(b[i], b' ' | b'\t' | b':' | b'=' | b'\n' | b'\r') {
            i += 1;
        }
        if i >= line_end {
            return;
        }
        // quoted?
        let (q_open, q_len) = match b[i] {
            b'"' | b'\'' | b'`' => (b[i], 1),
            0xE2 if b.get(i + 1) == Some(&0x80)
                && matches!(b.get(i + 2), Some(0x9C) | Some(0x98)) =>
            {
                (b[i + 2], 3)
            }
            _ => (0, 0),
        };
        if q_len > 0 {
            let cs = i + q_len;
            let close = (cs..line_end).find(|&k| match q_open {
                0x9C => b[k] == 0xE2 && b.get(k + 2) == Some(&0x9D),
                0x98 => b[k] == 0xE2 && b.get(k + 2) == Some(&0x99),
                q => b[k] == q,
            });
            if let Some(ce) = close {
                if ce > cs && ce - cs <= 200 {
                    push_mutex(t, cs, ce, hits);
                }
            }
            return;
        }
        let ws = i;
        while i < line_end && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let tok = t[ws..i].trim_end_matches(['.', ',', ';', ':', ')']);
        if MUTEX_FILLER.contains(&tok.to_ascii_lowercase().as_str()) {
            continue;
        }
        let tb = tok.as_bytes();
        let marked = tb.iter().skip(1).any(|c| c.is_ascii_uppercase())
            || tb.iter().any(|c| {
                c.is_ascii_digit()
                    || matches!(c, b'_' | b'\\' | b'{' | b'-' | b'#' | b'$' | b'!' | b'@')
            });
        if marked && !tok.is_empty() && tok.len() <= 200 && tok.is_char_boundary(tok.len()) {
            push_mutex(t, ws, ws + tok.len(), hits);
        }
        return;
    }
}

fn push_mutex(t: &str, s: usize, e: usize, hits: &mut Vec<RawHit>) {
    if !t.is_char_boundary(s) || !t.is_char_boundary(e) {
        return;
    }
    hits.push(RawHit {
        kind: IndicatorKind::Mutex,
        value: t[s..e].to_owned(),
        start: s,
        end: e,
        cidr: None,
        port: None,
        context: Context::Standalone,
    });
}
