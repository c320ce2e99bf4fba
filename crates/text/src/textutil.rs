//! Lines and sentences.

/// Line starts of a text, for offset → (line, column) lookups.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1));
        LineIndex { starts }
    }

    /// 1-based line and 1-based byte column of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.starts.partition_point(|&s| s <= offset);
        let line = idx.max(1);
        (line, offset - self.starts[line - 1] + 1)
    }
}

/// Abbreviations after which a period does not end a sentence (lowercase, without the dot).
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "st", "jr",
    "sr", "inc", "corp", "co", "ltd", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "no", "fig",
    "al", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mt", "ft", "pres", "dept", "est", "vol", "p", "pp", "ph.d",
];

/// Splits text into sentence spans `[start, end)`.
///
/// Rules: a blank line always ends a sentence; so does a line break after a
/// line with no final punctuation that is followed by an upper-case start
/// (headings); `.`, `!` or `?` (optionally followed by closing quotes or
/// brackets) end a sentence when followed by white space and then an
/// upper-case letter, a digit or an opening quote, unless the word before is
/// a known abbreviation or a single letter. Dots inside tokens
/// (`evil.com`, `1.2.3.4`, `file.exe`) never split. Sentences longer than
/// `max_len` bytes are cut at the next white space after `max_len`.
pub fn sentences(text: &str, max_len: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut line_start = 0;
    let n = b.len();
    while i < n {
        // skip to the next byte that can end a sentence, or to the length cap
        let cap = (start + max_len).min(n);
        while i < cap && !matches!(b[i], b'\n' | b'.' | b'!' | b'?') {
            i += 1;
        }
        if i >= n {
            break;
        }
        if i >= start + max_len && !matches!(b[i], b'\n' | b'.' | b'!' | b'?') {
            // over-long sentence: cut at the next space or line break
            match memchr::memchr2(b' ', b'\n', &b[i..]) {
                Some(p) => {
                    push_trimmed(text, start, i + p, &mut out);
                    start = i + p + 1;
                    i = start;
                    continue;
                }
                None => break,
            }
        }
        let c = b[i];
        let mut cut: Option<(usize, usize)> = None; // (sentence end, next start)
        if c == b'\n' {
            // blank line?
            let mut j = i + 1;
            while j < n && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\r') {
                j += 1;
            }
            let row = |p: usize| p < n && b[p] == b'|';
            let line_is_row = text[line_start.max(start)..i].trim_start().starts_with('|');
            if j < n && b[j] == b'\n' {
                cut = Some((i, j + 1));
            } else if j < n && (row(j) || line_is_row) {
                // a Markdown table row is a unit of its own
                cut = Some((i, j));
            } else if j < n {
                let line = text[line_start.max(start)..i].trim_end();
                let ends_punct = line.ends_with(|ch: char| ".!?:;,\"'”’)".contains(ch));
                let next_upper =
                    b[j].is_ascii_uppercase() || b[j] == b'-' || b[j] == b'*' || b[j] == b'#';
                if !line.is_empty() && !ends_punct && next_upper {
                    // a heading or list item line
                    let words = line.split_whitespace().count();
                    if words <= 14 || line.starts_with(['-', '*', '#']) {
                        cut = Some((i, j));
                    }
                }
            }
            line_start = i + 1;
        } else if c == b'.' || c == b'!' || c == b'?' {
            let mut j = i + 1;
            // closing quotes / brackets (ASCII or UTF-8 curly quotes)
            loop {
                if j < n && matches!(b[j], b'"' | b'\'' | b')' | b']') {
                    j += 1;
                } else if let Some(k) = footnote_end(b, j) {
                    // "Russia.[1] The", "Russia.[^2] The", "Russia.^3 The"
                    j = k;
                } else if j + 2 < n
                    && b[j] == 0xE2
                    && b[j + 1] == 0x80
                    && matches!(b[j + 2], 0x9D | 0x99)
                {
                    j += 3;
                } else {
                    break;
                }
            }
            if j >= n {
                cut = Some((j, j));
            } else if c == b'.' && glued_sentence(text, start, i, j) {
                // "… from Russia.This group …": a missing space after the period
                cut = Some((j, j));
            } else if b[j] == b' ' || b[j] == b'\n' || b[j] == b'\t' || b[j] == b'\r' {
                let mut k = j;
                while k < n && (b[k] == b' ' || b[k] == b'\t' || b[k] == b'\r' || b[k] == b'\n') {
                    k += 1;
                }
                let next_ok = k >= n
                    || b[k].is_ascii_uppercase()
                    || b[k].is_ascii_digit()
                    || matches!(b[k], b'"' | b'\'' | b'(' | b'[')
                    || (b[k] == 0xE2 && k + 1 < n && b[k + 1] == 0x80)
                    || b[k] >= 0xC3;
                if next_ok && !(c == b'.' && is_abbrev(text, start, i)) {
                    cut = Some((j, k));
                }
            }
        }
        if cut.is_none() && i - start >= max_len && c == b'\n' {
            cut = Some((i, i + 1));
        }
        if let Some((end, next)) = cut {
            push_trimmed(text, start, end, &mut out);
            start = next;
            i = next;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start, n, &mut out);
    out
}

/// End of a footnote marker at `j` (`[1]`, `[^12]`, `^3`), if there is one.
fn footnote_end(b: &[u8], j: usize) -> Option<usize> {
    let n = b.len();
    if j < n && b[j] == b'[' {
        let mut k = j + 1;
        if k < n && b[k] == b'^' {
            k += 1;
        }
        let d = k;
        while k < n && k - d < 4 && b[k].is_ascii_digit() {
            k += 1;
        }
        (k > d && k < n && b[k] == b']').then_some(k + 1)
    } else if j + 1 < n && b[j] == b'^' && b[j + 1].is_ascii_digit() {
        let mut k = j + 1;
        while k < n && k - j < 4 && b[k].is_ascii_digit() {
            k += 1;
        }
        Some(k)
    } else {
        None
    }
}

/// A period glued to the next sentence: a lower-case word of 3+ letters, `.`,
/// then a capitalised word (`Russia.This`), outside URLs, paths, e-mails and
/// dotted names (`Node.Js`, `evil.com`, `System.IO` are left alone).
fn glued_sentence(text: &str, start: usize, dot: usize, next: usize) -> bool {
    let b = text.as_bytes();
    if next + 1 >= b.len() || next != dot + 1 {
        return false;
    }
    if !(b[next].is_ascii_uppercase() && b[next + 1].is_ascii_lowercase()) {
        return false;
    }
    let word = text[start..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let next_word: &str = text[next..]
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    word.len() >= 3
        && word.bytes().all(|c| c.is_ascii_alphabetic())
        && word.as_bytes()[word.len() - 1].is_ascii_lowercase()
        && word.as_bytes()[word.len() - 2].is_ascii_lowercase()
        && next_word.len() >= 3
}

fn push_trimmed(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    if s >= e {
        return;
    }
    let slice = &text[s..e];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push((s + lead, e - trail));
    }
}

fn is_abbrev(text: &str, start: usize, dot: usize) -> bool {
    let before = &text[start..dot];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true; // initials: "J. Smith"
    }
    let lw = word.to_ascii_lowercase();
    ABBREV.contains(&lw.as_str())
}

/// Byte spans of link addresses and citation markup in `s`: URLs
/// (`http://`, `https://`, `hxxp://`, `ftp://`, `www.`) up to white space or a
/// closing bracket or quote, `(Citation: …)` notes and (wave 7) HTML footnote
/// superscripts `<sup>…</sup>` (Tidal's `<sup>[[Microsoft PLATINUM April 2016](…)]</sup>`).
pub fn link_spans(s: &str) -> Vec<(usize, usize)> {
    // fast path: most sentences hold no address at all (every form has a
    // colon except a bare "www.")
    static WWW: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let b = s.as_bytes();
    static SUP: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let www = WWW.get_or_init(|| memchr::memmem::Finder::new(b"www."));
    let sup = SUP.get_or_init(|| memchr::memmem::Finder::new(b"<sup>"));
    if memchr::memchr(b':', b).is_none() && www.find(b).is_none() && sup.find(b).is_none() {
        return Vec::new();
    }
    let lower = s.to_ascii_lowercase();
    let lb = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let rest = &lb[i..];
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let url = boundary
            && [
                "http://", "https://", "hxxp://", "hxxps://", "ftp://", "www.",
            ]
            .iter()
            .any(|p| rest.starts_with(p.as_bytes()));
        if url {
            let mut j = i;
            while j < b.len()
                && !b[j].is_ascii_whitespace()
                && !matches!(b[j], b')' | b']' | b'>' | b'<' | b'"' | b'|' | b'\'')
            {
                j += 1;
            }
            out.push((i, j));
            i = j;
        } else if rest.starts_with(b"<sup>") {
            // to its closing tag (or the end of the text), at most 1,000 bytes
            let j = memchr::memmem::find(&rest[..rest.len().min(1000)], b"</sup>")
                .map(|p| i + p + "</sup>".len())
                .unwrap_or(b.len().min(i + 1000));
            out.push((i, j));
            i = j;
        } else if rest.starts_with(b"(citation:") {
            let j = memchr::memchr(b')', rest)
                .map(|p| i + p + 1)
                .unwrap_or(b.len());
            out.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// `s` with [`link_spans`] blanked out (same length, same offsets); borrowed
/// when there is nothing to blank.
pub fn mask_links(s: &str) -> std::borrow::Cow<'_, str> {
    let spans = link_spans(s);
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut b = s.as_bytes().to_vec();
    for (a, e) in spans {
        for x in &mut b[a..e] {
            *x = b' ';
        }
    }
    // blanking whole UTF-8 sequences keeps the text valid
    std::borrow::Cow::Owned(String::from_utf8(b).unwrap_or_else(|_| s.to_owned()))
}

/// Largest char boundary `<= i`.
pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest char boundary `>= i`.
pub fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        sentences(t, 4000)
            .into_iter()
            .map(|(s, e)| &t[s..e])
            .collect()
    }

    #[test]
    fn splits_on_sentence_ends_not_on_tokens() {
        let t = "The C2 was evil.com. It resolved to 1.2.3.4. Mr. Smith said so.\n\nNew para";
        assert_eq!(
            split(t),
            vec![
                "The C2 was evil.com.",
                "It resolved to 1.2.3.4.",
                "Mr. Smith said so.",
                "New para"
            ]
        );
    }

    #[test]
    fn headings_split() {
        let t = "Pressure grows\nThe US government said so.";
        assert_eq!(
            split(t),
            vec!["Pressure grows", "The US government said so."]
        );
    }

    #[test]
    fn markup_does_not_glue_sentences() {
        let t = "The attack came from Russia.This group is new. Footnoted.[1] Next one.[^2] And \
                 the U.S. Dept. of State said so. See evil.com and System.IO here.";
        assert_eq!(
            split(t),
            vec![
                "The attack came from Russia.",
                "This group is new.",
                "Footnoted.[1]",
                "Next one.[^2]",
                "And the U.S. Dept. of State said so.",
                "See evil.com and System.IO here."
            ]
        );
        let table = "| Actor | Country |\n|---|---|\n| APT28 | Russia |\n| Lazarus | North Korea |";
        assert_eq!(split(table).len(), 4, "{:?}", split(table));
    }

    #[test]
    fn multibyte_white_space_before_a_glued_period() {
        // U+0085 is white space of two bytes
        let t = "x\u{85}abc.Def and more";
        assert_eq!(split(t).len(), 2);
    }

    #[test]
    fn link_addresses_are_masked() {
        let t = "See https://x.example/a-suspected-apt29-phishing-campaign.html (Citation: Mandiant APT1) now";
        let m = mask_links(t);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("apt29") && !m.contains("Mandiant") && m.ends_with(" now"));
        assert!(m.starts_with("See "));
    }

    #[test]
    fn lines() {
        let li = LineIndex::new("a\nbc\n");
        assert_eq!(li.line_col(0), (1, 1));
        assert_eq!(li.line_col(3), (2, 2));
    }
}
