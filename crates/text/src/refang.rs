//! Refanging: undoing the usual ways reports "defang" indicators.
//!
//! Handled (case-insensitive): `hxxp`, `hxxps`, `hXXp`, `hxtp`, `htxp`, `fxp` (scheme
//! prefixes, only when followed by `:`, `[` or `(`); bracketed dots, at-signs,
//! colons and scheme separators in `[]`, `()` or `{}`: `[.]`, `(.)`, `{.}`,
//! `[dot]`, `(dot)`, ` [dot] ` (the surrounding spaces are swallowed), `[@]`,
//! `[at]`, `(at)`, `[:]`, `[://]`, `[/]`; and a backslash-escaped dot `\.`
//! between alphanumerics. Every replacement is recorded so that positions in
//! the refanged text map back to the original, and findings that overlap a
//! replacement are marked as defanged.

use std::borrow::Cow;

/// One replacement: `orig[old_start..old_start+old_len]` became
/// `new[new_start..new_start+new_len]`.
#[derive(Debug, Clone, Copy)]
struct Edit {
    old_start: usize,
    old_len: usize,
    new_start: usize,
    new_len: usize,
}

/// Refanged text plus the edits needed to map offsets back.
#[derive(Debug)]
pub struct Refanged<'a> {
    /// The refanged text (borrowed when nothing was defanged).
    pub text: Cow<'a, str>,
    edits: Vec<Edit>,
}

impl Refanged<'_> {
    /// Maps a byte offset of the refanged text to the original text.
    pub fn to_original(&self, pos: usize) -> usize {
        let idx = self.edits.partition_point(|e| e.new_start <= pos);
        if idx == 0 {
            return pos;
        }
        let e = self.edits[idx - 1];
        if pos < e.new_start + e.new_len {
            e.old_start + (pos - e.new_start).min(e.old_len)
        } else {
            pos - (e.new_start + e.new_len) + e.old_start + e.old_len
        }
    }

    /// Maps an end offset (exclusive) back to the original text.
    pub fn end_to_original(&self, end: usize) -> usize {
        if end == 0 {
            return 0;
        }
        let idx = self.edits.partition_point(|e| e.new_start < end);
        if idx > 0 {
            let e = self.edits[idx - 1];
            if end <= e.new_start + e.new_len {
                return e.old_start + e.old_len;
            }
        }
        self.to_original(end - 1) + 1
    }

    /// True when `[start, end)` of the refanged text overlaps a replacement.
    pub fn is_defanged(&self, start: usize, end: usize) -> bool {
        let idx = self
            .edits
            .partition_point(|e| e.new_start + e.new_len <= start);
        self.edits.get(idx).is_some_and(|e| e.new_start < end)
    }

    /// Number of replacements made.
    pub fn edit_count(&self) -> usize {
        self.edits.len()
    }
}

/// Refangs `text`; see the module documentation for the handled styles.
pub fn refang(text: &str) -> Refanged<'_> {
    let b = text.as_bytes();
    // Fast path: no trigger byte at all.
    if memchr::memchr3(b'[', b'(', b'{', b).is_none()
        && memchr::memchr3(b'x', b'X', b'\\', b).is_none()
    {
        return Refanged {
            text: Cow::Borrowed(text),
            edits: Vec::new(),
        };
    }
    let mut out = String::new();
    let mut edits = Vec::new();
    let mut copied = 0; // original bytes copied up to here
    let mut i = 0;
    // next trigger bytes of each group, found with SIMD searches and refreshed only once
    // passed (the text is walked about once, not byte by byte)
    let find_br = |from: usize| {
        memchr::memchr3(b'[', b'(', b'{', &b[from..]).map_or(usize::MAX, |p| from + p)
    };
    let find_x = |from: usize| {
        memchr::memchr3(b'x', b'X', b'\\', &b[from..]).map_or(usize::MAX, |p| from + p)
    };
    let (mut next_br, mut next_x) = (find_br(0), find_x(0));
    while i < b.len() {
        if next_br < i {
            next_br = find_br(i);
        }
        if next_x < i {
            next_x = find_x(i);
        }
        i = next_br.min(next_x);
        if i >= b.len() {
            break;
        }
        let c = b[i];
        let hit: Option<(usize, usize, &str)> = match c {
            b'[' | b'(' | b'{' => bracket(b, i),
            b'x' | b'X' => scheme(b, i),
            b'\\' => escaped_dot(b, i),
            _ => None,
        };
        if let Some((start, end, rep)) = hit {
            if out.capacity() == 0 {
                out.reserve(text.len() + 16);
            }
            out.push_str(&text[copied..start]);
            let new_start = out.len();
            out.push_str(rep);
            edits.push(Edit {
                old_start: start,
                old_len: end - start,
                new_start,
                new_len: rep.len(),
            });
            copied = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if edits.is_empty() {
        return Refanged {
            text: Cow::Borrowed(text),
            edits,
        };
    }
    out.push_str(&text[copied..]);
    Refanged {
        text: Cow::Owned(out),
        edits,
    }
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `[.]`-style tokens at `i`. Returns (start, end, replacement).
fn bracket(b: &[u8], i: usize) -> Option<(usize, usize, &'static str)> {
    let close = match b[i] {
        b'[' => b']',
        b'(' => b')',
        _ => b'}',
    };
    let limit = (i + 8).min(b.len());
    let rel = b[i + 1..limit].iter().position(|&x| x == close)?;
    let inner = &b[i + 1..i + 1 + rel];
    let end = i + 2 + rel;
    let inner_trim = trim_spaces(inner);
    let prev = if i > 0 { b[i - 1] } else { b' ' };
    let next = b.get(end).copied().unwrap_or(b' ');
    let is = |w: &[u8]| inner_trim.eq_ignore_ascii_case(w);
    let rep = if is(b".") || is(b"dot") {
        "."
    } else if is(b"@") || is(b"at") {
        "@"
    } else if is(b":") {
        ":"
    } else if is(b"://") || is(b":/") {
        "://"
    } else if is(b"/") {
        "/"
    } else {
        return None;
    };
    if rep == "." || rep == "@" {
        // word-style tokens ("dot", "at") may have spaces around them
        if inner_trim.len() > 1 {
            let mut s = i;
            let mut e = end;
            while s > 0 && b[s - 1] == b' ' && i - s < 2 {
                s -= 1;
            }
            while e < b.len() && b[e] == b' ' && e - end < 2 {
                e += 1;
            }
            let before = if s > 0 { b[s - 1] } else { b' ' };
            let after = b.get(e).copied().unwrap_or(b' ');
            if is_alnum(before) && (is_alnum(after) || after == b'-') {
                return Some((s, e, rep));
            }
            return None;
        }
        if !(is_alnum(prev) || prev == b'-' || prev == b'_') || !(is_alnum(next) || next == b'-') {
            return None;
        }
    } else if rep == ":" || rep == "://" {
        // "http[:]//", "hxxp[://]", "1.2.3.4[:]443"
        if !is_alnum(prev) {
            return None;
        }
    } else if !is_alnum(prev) {
        return None;
    }
    Some((i, end, rep))
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let a = s.iter().position(|&c| c != b' ').unwrap_or(s.len());
    let z = s
        .iter()
        .rposition(|&c| c != b' ')
        .map(|p| p + 1)
        .unwrap_or(a);
    &s[a..z]
}

/// `hxxp`, `hxxps`, `hXXp`, `hxtp`, `htxp`, `fxp` at the second (or, for `htxp`, third)
/// byte `i` (we trigger on the x to keep the fast path narrow). Returns the span of the scheme word.
fn scheme(b: &[u8], i: usize) -> Option<(usize, usize, &'static str)> {
    if i == 0 {
        return None;
    }
    // "htxp": the trigger byte is the third one
    let start =
        if i >= 2 && b[i - 1].eq_ignore_ascii_case(&b't') && b[i - 2].eq_ignore_ascii_case(&b'h') {
            i - 2
        } else {
            i - 1
        };
    let first = b[start].to_ascii_lowercase();
    if !(first == b'h' || first == b'f') || (start > 0 && is_alnum(b[start - 1])) {
        return None;
    }
    let word_end = (start..b.len().min(start + 6))
        .find(|&k| !b[k].is_ascii_alphabetic())
        .unwrap_or(b.len().min(start + 6));
    let word = &b[start..word_end];
    let is = |w: &[u8]| word.eq_ignore_ascii_case(w);
    let rep = if is(b"hxxp") || is(b"hxtp") || is(b"htxp") || is(b"hxxxp") {
        "http"
    } else if is(b"hxxps") || is(b"hxtps") || is(b"htxps") {
        "https"
    } else if is(b"fxp") {
        "ftp"
    } else {
        return None;
    };
    let next = b.get(word_end).copied()?;
    if !matches!(next, b':' | b'[' | b'(') {
        return None;
    }
    Some((start, word_end, rep))
}

fn escaped_dot(b: &[u8], i: usize) -> Option<(usize, usize, &'static str)> {
    if i == 0 || i + 2 >= b.len() {
        return None;
    }
    if b.get(i + 1) == Some(&b'.')
        && is_alnum(b[i - 1])
        && b.get(i + 2).is_some_and(|&c| is_alnum(c))
    {
        // not a Windows path component like "dir\.hidden": require no other backslash nearby
        let lo = i.saturating_sub(32);
        if (lo..i).any(|k| b[k] == b'\\' && b.get(k + 1) != Some(&b'.')) {
            return None;
        }
        return Some((i, i + 2, "."));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refangs_common_styles() {
        let cases = [
            ("hxxp://evil[.]com/a", "http://evil.com/a"),
            ("hxxps[://]bad(.)org", "https://bad.org"),
            ("user[@]mail[.]ru", "user@mail.ru"),
            ("1.2.3[.]4", "1.2.3.4"),
            ("evil [dot] com", "evil.com"),
            ("http[:]//x{.}net", "http://x.net"),
            ("joe[at]corp[dot]com", "joe@corp.com"),
            ("plain text (see above) [1]", "plain text (see above) [1]"),
            ("www\\.evil\\.com", "www.evil.com"),
        ];
        for (a, b) in cases {
            assert_eq!(refang(a).text, b, "input {a}");
        }
    }

    #[test]
    fn maps_offsets_back() {
        let s = "see hxxp://evil[.]com today";
        let r = refang(s);
        let t = r.text.as_ref();
        let start = t.find("http").unwrap();
        let end = t.find(" today").unwrap();
        assert_eq!(
            &s[r.to_original(start)..r.end_to_original(end)],
            "hxxp://evil[.]com"
        );
        assert!(r.is_defanged(start, end));
        let today = t.find("today").unwrap();
        assert_eq!(
            &s[r.to_original(today)..r.end_to_original(today + 5)],
            "today"
        );
        assert!(!r.is_defanged(today, today + 5));
    }
}
