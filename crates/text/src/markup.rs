//! Markup-aware reading: AsciiDoc and Markdown structure understood before
//! indicators (and, for callers that want it, sentences) are found.
//!
//! Everything here keeps byte offsets: markup is *blanked* (its ASCII bytes
//! replaced by spaces), never removed, so a position in the result is the
//! same position in the document text and every finding keeps its location.
//! HTML is converted to text when the document is loaded
//! ([`crate::load_document`]); its text is treated like plain text here.
//!
//! What is blanked ([`mask`], used before indicators are searched):
//!
//! - AsciiDoc: passthrough delimiters `+value+`, `++value++`, `+++value+++`
//!   and `pass:[value]`; the brackets of link text after a URL
//!   (`https://example.com[text]`, `mailto:a@example.com[text]`,
//!   `link:target[text]`) — but never a defang token such as `[.]`; the
//!   `footnote:[` … `]` macro.
//! - Markdown: the brackets and parentheses of inline links and images
//!   (`[text](url "title")`, `![alt](url)`), so that two adjacent links are
//!   two URLs; footnote references and definitions (`[^1]`, `[^1]:`).
//!
//! Code spans, table cell separators and emphasis need no blanking: the
//! indicator scanner already stops at `` ` ``, `|` and `*`.
//!
//! [`to_plain`] goes further for sentence-level readers: it also blanks the
//! link targets and bare URLs (words inside a URL are not prose), and
//! returns each link with its target.

use std::borrow::Cow;

use crate::Format;

/// A link found by [`to_plain`]: the text a reader sees and where it points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte span of the visible link text (empty for a bare URL, which has none).
    pub text: (usize, usize),
    /// Byte span of the target as written in the document.
    pub target_span: (usize, usize),
    /// The target as written (not refanged).
    pub target: String,
}

/// A document's text with markup and link targets blanked, and its links.
#[derive(Debug, Clone)]
pub struct Plain {
    /// The text, same length as the input: offsets are document offsets.
    pub text: String,
    /// Links and bare URLs, in text order.
    pub links: Vec<Link>,
}

/// The markup dialect of a document format (plain text and CSV have none).
fn dialect(format: Format) -> Option<Dialect> {
    match format {
        Format::AsciiDoc => Some(Dialect::AsciiDoc),
        Format::Markdown => Some(Dialect::Markdown),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    AsciiDoc,
    Markdown,
}

/// `text` with the markup of `format` blanked (see the module documentation);
/// borrowed when there is nothing to blank.
pub fn mask(text: &str, format: Format) -> Cow<'_, str> {
    let Some(d) = dialect(format) else {
        return Cow::Borrowed(text);
    };
    let mut blank = Vec::new();
    let mut links = Vec::new();
    scan(text, d, &mut blank, &mut links);
    if blank.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(apply(text, &blank))
}

/// Plain text for sentence-level reading: markup, link targets and bare URLs
/// blanked (same length as `text`), plus the links with their targets.
pub fn to_plain(text: &str, format: Format) -> Plain {
    let mut blank = Vec::new();
    let mut links = Vec::new();
    if let Some(d) = dialect(format) {
        scan(text, d, &mut blank, &mut links);
    }
    // bare URLs (and URLs of AsciiDoc links, whose target is the URL itself)
    let mut link_starts: Vec<(usize, usize)> = links.iter().map(|l| l.target_span).collect();
    link_starts.sort_unstable();
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&b[from..], b"://") {
        let q = from + p;
        let mut s = q;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'+') {
            s -= 1;
        }
        let mut e = q + 3;
        while e < b.len() && !url_stop(b[e]) {
            e += 1;
        }
        while e > q + 3 && matches!(b[e - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')') {
            e -= 1;
        }
        let inside_link = {
            let k = link_starts.partition_point(|&(a, _)| a <= s);
            k > 0 && s < link_starts[k - 1].1
        };
        if s < q && !inside_link {
            let e = floor(text, e);
            links.push(Link {
                text: (s, s),
                target_span: (s, e),
                target: text[s..e].to_owned(),
            });
        }
        from = e.max(q + 3);
    }
    links.sort_by_key(|l| l.target_span.0);
    for l in &links {
        blank.push(l.target_span);
    }
    Plain {
        text: apply(text, &blank),
        links,
    }
}

fn url_stop(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'<' | b'>' | b'`' | b'|' | b'[' | b']')
}

fn floor(t: &str, mut i: usize) -> usize {
    i = i.min(t.len());
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Replaces every ASCII byte inside the spans by a space (multi-byte characters are kept:
/// the result stays valid UTF-8 and as long as the input).
fn apply(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = text.as_bytes().to_vec();
    for &(s, e) in spans {
        for c in &mut out[s.min(text.len())..e.min(text.len())] {
            if c.is_ascii() && *c != b'\n' {
                *c = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Tokens in brackets right after a host or path that are defanging, not link text.
fn is_defang_token(inner: &[u8]) -> bool {
    let t: Vec<u8> = inner
        .iter()
        .filter(|c| **c != b' ')
        .map(u8::to_ascii_lowercase)
        .collect();
    matches!(
        t.as_slice(),
        b"." | b"dot" | b"@" | b"at" | b":" | b"://" | b":/" | b"/" | b"d" | b"punkt"
    )
}

fn scan(text: &str, d: Dialect, blank: &mut Vec<(usize, usize)>, links: &mut Vec<Link>) {
    let b = text.as_bytes();
    let mut line_start = 0;
    while line_start < b.len() {
        let line_end = memchr::memchr(b'\n', &b[line_start..])
            .map(|p| line_start + p)
            .unwrap_or(b.len());
        let m = Matches::new(b, line_start, line_end);
        match d {
            Dialect::AsciiDoc => asciidoc_line(b, line_start, line_end, &m, blank, links, text),
            Dialect::Markdown => markdown_line(b, line_start, line_end, &m, blank, links, text, 0),
        }
        line_start = line_end + 1;
    }
}

/// Matching brackets and parentheses of one line, found once with a stack, so that every
/// look-up is O(1) and a line of a million `[` stays linear.
struct Matches {
    close: std::collections::HashMap<usize, usize>,
}

impl Matches {
    fn new(b: &[u8], ls: usize, le: usize) -> Self {
        let mut close = std::collections::HashMap::new();
        let (mut sq, mut par) = (Vec::new(), Vec::new());
        for (k, &c) in b.iter().enumerate().take(le).skip(ls) {
            match c {
                b'[' => sq.push(k),
                b']' => {
                    if let Some(o) = sq.pop() {
                        close.insert(o, k);
                    }
                }
                b'(' => par.push(k),
                b')' => {
                    if let Some(o) = par.pop() {
                        close.insert(o, k);
                    }
                }
                _ => {}
            }
        }
        Matches { close }
    }
    /// The `]` or `)` closing the bracket at `open`.
    fn of(&self, open: usize) -> Option<usize> {
        self.close.get(&open).copied()
    }
}

/// Linear: the line is walked once; each passthrough closer search either succeeds (and the
/// walk jumps past it) or fails and is remembered for that delimiter length.
fn asciidoc_line(
    b: &[u8],
    ls: usize,
    le: usize,
    m: &Matches,
    blank: &mut Vec<(usize, usize)>,
    links: &mut Vec<Link>,
    text: &str,
) {
    let mut i = ls;
    // start of the current token (after white space, `|`, `` ` ``, `(` or `<`)
    let mut tok_start = ls;
    // the current token holds "://" (tracked as the walk goes: no re-scan per `[`)
    let mut tok_url = false;
    // for delimiter lengths 1..=3: no closer exists at or after this position
    let mut no_closer = [usize::MAX; 4];
    while i < le {
        let c = b[i];
        if c.is_ascii_whitespace() || matches!(c, b'|' | b'`' | b'(' | b'<') {
            tok_start = i + 1;
            tok_url = false;
            i += 1;
            continue;
        }
        if c == b':' && b[i..le].starts_with(b"://") {
            tok_url = true;
        }
        // passthrough: +v+, ++v++, +++v+++ opening at a token start
        if c == b'+' && (i == ls || is_open_ctx(b[i - 1])) {
            let mut n = 1;
            while i + n < le && b[i + n] == b'+' && n < 3 {
                n += 1;
            }
            let body = i + n;
            if body < le && b[body] != b' ' && b[body] != b'+' && body < no_closer[n] {
                // the same run of `+` closing before the end of the line, followed by a
                // token end
                let mut k = body;
                let mut found = None;
                while k + n <= le {
                    if b[k..k + n].iter().all(|&x| x == b'+')
                        && (k + n == le || is_close_ctx(b[k + n]))
                        && b[k - 1] != b' '
                    {
                        found = Some(k);
                        break;
                    }
                    k += 1;
                }
                match found {
                    Some(k) => {
                        blank.push((i, body));
                        blank.push((k, k + n));
                        i = k + n;
                        tok_start = i;
                        tok_url = false;
                        continue;
                    }
                    None => no_closer[n] = body,
                }
            }
            i += n;
            continue;
        }
        // pass:[v] and footnote:[v]
        if c == b':' && b.get(i + 1) == Some(&b'[') {
            let word_start = b[tok_start..i]
                .iter()
                .rposition(|x| !x.is_ascii_alphabetic())
                .map_or(tok_start, |p| tok_start + p + 1);
            let word = &b[word_start..i];
            if matches!(word, b"pass" | b"footnote" | b"footnoteref") {
                if let Some(close) = m.of(i + 1) {
                    blank.push((word_start, i + 2));
                    blank.push((close, close + 1));
                    i += 2;
                    continue;
                }
            }
        }
        // link text after a URL, mailto: or link: target: "TARGET[text]"
        if c == b'[' && i > tok_start {
            let tok = &b[tok_start..i];
            let is_target = tok_url || tok.starts_with(b"mailto:") || tok.starts_with(b"link:");
            if is_target {
                if let Some(close) = m.of(i) {
                    let after = b.get(close + 1).copied().unwrap_or(b' ');
                    let inner = &b[i + 1..close];
                    if !is_defang_token(inner)
                        && (close + 1 >= le || !after.is_ascii_alphanumeric())
                    {
                        blank.push((i, i + 1));
                        blank.push((close, close + 1));
                        let target_start = if tok.starts_with(b"link:") {
                            blank.push((tok_start, tok_start + 5));
                            tok_start + 5
                        } else {
                            tok_start
                        };
                        links.push(Link {
                            text: (i + 1, close),
                            target_span: (target_start, i),
                            target: text[target_start..i].to_owned(),
                        });
                        // the link text is a new token
                        tok_start = i + 1;
                        tok_url = false;
                        i += 1;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
}

/// Nested link texts walked at most this deep (hostile `[[[[…](a)](b)…` stays bounded).
const MAX_LINK_NESTING: usize = 16;

#[allow(clippy::too_many_arguments)]
fn markdown_line(
    b: &[u8],
    ls: usize,
    le: usize,
    m: &Matches,
    blank: &mut Vec<(usize, usize)>,
    links: &mut Vec<Link>,
    text: &str,
    depth: usize,
) {
    let mut i = ls;
    while i < le {
        if b[i] != b'[' {
            i += 1;
            continue;
        }
        let Some(close) = m.of(i) else {
            i += 1;
            continue;
        };
        // footnote reference or definition: [^id] / [^id]:
        if b.get(i + 1) == Some(&b'^') {
            let e = if b.get(close + 1) == Some(&b':') {
                close + 2
            } else {
                close + 1
            };
            blank.push((i, e));
            i = e;
            continue;
        }
        // inline link or image: [text](target "title")
        if b.get(close + 1) != Some(&b'(') {
            // a defang token or plain brackets: look inside them
            i += 1;
            continue;
        }
        let open = close + 1;
        let Some(paren) = m.of(open) else {
            i += 1;
            continue;
        };
        let img = i > ls && b[i - 1] == b'!';
        blank.push((if img { i - 1 } else { i }, i + 1));
        blank.push((close, open + 1));
        blank.push((paren, paren + 1));
        // the target ends at the first space (a title may follow)
        let ts = open + 1;
        let te = memchr::memchr(b' ', &b[ts..paren]).map_or(paren, |p| ts + p);
        let (ts2, te2) = if b.get(ts) == Some(&b'<') && te > ts + 1 && b[te - 1] == b'>' {
            (ts + 1, te - 1)
        } else {
            (ts, te)
        };
        links.push(Link {
            text: (i + 1, close),
            target_span: (ts2, te2),
            target: text[ts2..te2].to_owned(),
        });
        // link text may itself hold brackets or links (`[![img](a)](b)`): walk it, then go
        // past the target; each byte is walked once
        if depth < MAX_LINK_NESTING {
            markdown_line(b, i + 1, close, m, blank, links, text, depth + 1);
        }
        i = paren + 1;
    }
}

fn is_open_ctx(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'|' | b'`' | b'(' | b'[' | b'*' | b'_' | b'"' | b'\'')
}

fn is_close_ctx(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || c == b'+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asciidoc_passthrough_and_links_are_blanked_in_place() {
        let t = "|`+evil[.]com+` |`++http://a.example.com/x?q=<b> c++`\nsee https://www.misp-project.org[MISP] and http://b[.]com/p\n";
        let m = mask(t, Format::AsciiDoc);
        assert_eq!(m.len(), t.len());
        assert!(m.contains(" evil[.]com "), "{m}");
        assert!(m.contains("  http://a.example.com/x?q=<b> c  "), "{m}");
        assert!(m.contains("https://www.misp-project.org MISP "), "{m}");
        // a defang token after a host is not link text
        assert!(m.contains("http://b[.]com/p"), "{m}");
    }

    #[test]
    fn plus_inside_a_value_is_kept() {
        let t = "q=a+b and c++ is a language, x+y+z";
        assert_eq!(mask(t, Format::AsciiDoc), t);
    }

    #[test]
    fn markdown_adjacent_links_are_separate() {
        let t = "[a](https://x.example/T1012)[b](https://attack.mitre.org/techniques/T1012/)";
        let m = mask(t, Format::Markdown);
        assert_eq!(
            m,
            " a  https://x.example/T1012  b  https://attack.mitre.org/techniques/T1012/ "
        );
        let p = to_plain(t, Format::Markdown);
        assert_eq!(p.links.len(), 2);
        assert_eq!(
            p.links[1].target,
            "https://attack.mitre.org/techniques/T1012/"
        );
        assert_eq!(p.text.trim(), "a                           b");
    }

    #[test]
    fn footnotes_are_blanked() {
        let t = "Russia.[^1] See http://e.example/a[^2]\n[^1]: note";
        let m = mask(t, Format::Markdown);
        assert_eq!(m, "Russia.     See http://e.example/a    \n      note");
        let a = "APT28 footnote:[ESET, 2019] used x";
        assert_eq!(
            mask(a, Format::AsciiDoc),
            "APT28           ESET, 2019  used x"
        );
    }

    #[test]
    fn plain_text_and_csv_are_untouched() {
        let t = "|`+x+`| [a](b)";
        assert!(matches!(mask(t, Format::Text), Cow::Borrowed(_)));
    }

    #[test]
    fn hostile_lines_stay_linear_and_bounded() {
        // each would be quadratic (or overflow the stack) with naive look-ahead / recursion
        let n = 100_000;
        let cases = [
            "+a ".repeat(n),
            "[".repeat(n),
            "a[".repeat(n),
            "](".repeat(n),
            format!("{}{}", "[".repeat(n), "](x)".repeat(n)),
            format!("{}{}", "(".repeat(n), ")".repeat(n)),
            "x://y[".repeat(n),
            "pass:[".repeat(n),
        ];
        for t in &cases {
            for f in [Format::AsciiDoc, Format::Markdown] {
                assert_eq!(mask(t, f).len(), t.len());
                assert_eq!(to_plain(t, f).text.len(), t.len());
            }
        }
    }

    #[test]
    fn non_ascii_is_kept_and_length_is_preserved() {
        let t = "[Übersicht](https://de.example/straße) — +ä+";
        let m = mask(t, Format::Markdown);
        assert_eq!(m.len(), t.len());
        assert!(m.contains("https://de.example/straße"));
    }
}
