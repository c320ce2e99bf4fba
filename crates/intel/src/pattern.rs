//! A small, bounded parser for STIX 2.x patterns.
//!
//! It reads the whole pattern grammar far enough to find its comparisons
//! (`[type:path op value]` joined by `AND`/`OR`, observation expressions
//! joined by `AND`/`OR`/`FOLLOWEDBY`, parentheses, qualifiers `WITHIN`,
//! `START … STOP`, `REPEATS`), and returns, per observation expression, the
//! comparisons with `=` or `IN` (the ones that name a value). Comparisons
//! with other operators (`LIKE`, `MATCHES`, `!=`, `>`, `NOT …`) are counted
//! as unsupported. Bounds: 64 KiB of pattern, 64 levels of parentheses,
//! 10,000 comparisons.

/// Longest pattern read.
pub const MAX_PATTERN_BYTES: usize = 64 * 1024;
const MAX_DEPTH: usize = 64;
const MAX_COMPARISONS: usize = 10_000;

/// One `path = 'value'` comparison (an `IN` list gives one per value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Object path, e.g. `file:hashes.'SHA-256'` (quotes kept as written).
    pub path: String,
    pub value: String,
}

/// The comparisons of one observation expression `[ … ]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observation {
    pub comparisons: Vec<Comparison>,
    /// Whether all comparisons were joined by `AND` (one object described by
    /// several properties, e.g. several hashes of one file).
    pub all_and: bool,
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub observations: Vec<Observation>,
    /// Comparisons with an operator other than `=`/`IN`, or negated.
    pub unsupported: usize,
}

/// Why a pattern could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("STIX pattern not read: {0}")]
pub struct PatternError(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LBrack,
    RBrack,
    LParen,
    RParen,
    Comma,
    Op(String),
    Word(String),
    Str(String),
    Num,
}

fn lex(p: &str) -> Result<Vec<Tok>, PatternError> {
    let b = p.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'[' => {
                out.push(Tok::LBrack);
                i += 1
            }
            b']' => {
                out.push(Tok::RBrack);
                i += 1
            }
            b'(' => {
                out.push(Tok::LParen);
                i += 1
            }
            b')' => {
                out.push(Tok::RParen);
                i += 1
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1
            }
            b'=' | b'!' | b'<' | b'>' => {
                let mut j = i + 1;
                if j < b.len() && b[j] == b'=' {
                    j += 1;
                }
                out.push(Tok::Op(p[i..j].to_string()));
                i = j;
            }
            b'\'' => {
                let (s, j) = string(p, i)?;
                out.push(Tok::Str(s));
                i = j;
            }
            b'-' | b'0'..=b'9' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                    j += 1;
                }
                out.push(Tok::Num);
                i = j;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                // t'…', h'…', b'…' literals
                if matches!(c, b't' | b'h' | b'b') && b.get(i + 1) == Some(&b'\'') {
                    let (s, j) = string(p, i + 1)?;
                    out.push(Tok::Str(s));
                    i = j;
                    continue;
                }
                let mut j = i;
                while j < b.len() {
                    let d = b[j];
                    if d.is_ascii_alphanumeric() || matches!(d, b'_' | b'-' | b':' | b'.') {
                        j += 1;
                    } else if d == b'\'' && j > i && b[j - 1] == b'.' {
                        let (_, k) = string(p, j)?;
                        j = k;
                    } else if d == b'[' && j > i && b[j - 1] != b' ' {
                        // list index in a path: [*] or [0]
                        let close = p[j..].find(']').ok_or_else(|| {
                            PatternError("unclosed index in an object path".into())
                        })?;
                        let inner = &p[j + 1..j + close];
                        if inner != "*" && !inner.bytes().all(|x| x.is_ascii_digit()) {
                            break;
                        }
                        j += close + 1;
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(p[i..j].to_string()));
                i = j;
            }
            _ => {
                return Err(PatternError(format!(
                    "unexpected character {:?} at byte {i}",
                    p[i..].chars().next().unwrap_or('?')
                )))
            }
        }
    }
    Ok(out)
}

/// A quoted string starting at `i` (the quote); returns it unescaped and the
/// index after the closing quote.
fn string(p: &str, i: usize) -> Result<(String, usize), PatternError> {
    let b = p.as_bytes();
    let mut s = String::new();
    let mut j = i + 1;
    let mut start = j;
    while j < b.len() {
        match b[j] {
            b'\\' if j + 1 < b.len() => {
                s.push_str(&p[start..j]);
                let next = p[j + 1..].chars().next().unwrap_or('\\');
                s.push(next);
                j += 1 + next.len_utf8();
                start = j;
            }
            b'\'' => {
                s.push_str(&p[start..j]);
                return Ok((s, j + 1));
            }
            _ => j += 1,
        }
    }
    Err(PatternError("unterminated string".into()))
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    out: Parsed,
    ncomp: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), PatternError> {
        if self.next() == Some(t) {
            Ok(())
        } else {
            Err(PatternError(format!("expected {what}")))
        }
    }

    fn obs_expr(&mut self, depth: usize) -> Result<(), PatternError> {
        if depth > MAX_DEPTH {
            return Err(PatternError("nested deeper than 64 levels".into()));
        }
        loop {
            self.obs_unit(depth)?;
            if self.is_word("AND") || self.is_word("OR") || self.is_word("FOLLOWEDBY") {
                self.pos += 1;
                continue;
            }
            return Ok(());
        }
    }

    fn obs_unit(&mut self, depth: usize) -> Result<(), PatternError> {
        match self.next() {
            Some(Tok::LBrack) => {
                let mut obs = Observation {
                    all_and: true,
                    ..Default::default()
                };
                self.comp_expr(&mut obs, depth + 1)?;
                self.expect(Tok::RBrack, "']'")?;
                self.out.observations.push(obs);
            }
            Some(Tok::LParen) => {
                self.obs_expr(depth + 1)?;
                self.expect(Tok::RParen, "')'")?;
            }
            _ => return Err(PatternError("expected '[' or '('".into())),
        }
        self.qualifiers()
    }

    fn qualifiers(&mut self) -> Result<(), PatternError> {
        loop {
            if self.is_word("WITHIN") {
                self.pos += 1;
                self.next();
                if self.is_word("SECONDS") {
                    self.pos += 1;
                }
            } else if self.is_word("REPEATS") {
                self.pos += 1;
                self.next();
                if self.is_word("TIMES") {
                    self.pos += 1;
                }
            } else if self.is_word("START") {
                self.pos += 1;
                self.next();
                if self.is_word("STOP") {
                    self.pos += 1;
                    self.next();
                }
            } else {
                return Ok(());
            }
        }
    }

    fn comp_expr(&mut self, obs: &mut Observation, depth: usize) -> Result<(), PatternError> {
        if depth > MAX_DEPTH {
            return Err(PatternError("nested deeper than 64 levels".into()));
        }
        loop {
            if self.peek() == Some(&Tok::LParen) {
                self.pos += 1;
                self.comp_expr(obs, depth + 1)?;
                self.expect(Tok::RParen, "')'")?;
            } else {
                self.comparison(obs)?;
            }
            if self.is_word("AND") {
                self.pos += 1;
            } else if self.is_word("OR") {
                obs.all_and = false;
                self.pos += 1;
            } else {
                return Ok(());
            }
        }
    }

    fn comparison(&mut self, obs: &mut Observation) -> Result<(), PatternError> {
        self.ncomp += 1;
        if self.ncomp > MAX_COMPARISONS {
            return Err(PatternError("more than 10,000 comparisons".into()));
        }
        let path = match self.next() {
            Some(Tok::Word(w)) if w.contains(':') => w,
            _ => {
                return Err(PatternError(
                    "expected an object path (type:property)".into(),
                ))
            }
        };
        let mut negated = false;
        if self.is_word("NOT") {
            negated = true;
            self.pos += 1;
        }
        let op = match self.next() {
            Some(Tok::Op(o)) => o,
            Some(Tok::Word(w))
                if ["IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                w.to_ascii_uppercase()
            }
            _ => return Err(PatternError(format!("expected an operator after {path}"))),
        };
        let values = self.value()?;
        if negated || !(op == "=" || op == "IN") {
            self.out.unsupported += 1;
            obs.all_and = false;
            return Ok(());
        }
        for v in values {
            obs.comparisons.push(Comparison {
                path: path.clone(),
                value: v,
            });
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Vec<String>, PatternError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(vec![s]),
            Some(Tok::Num) => Ok(vec![]),
            Some(Tok::Word(w)) if w == "true" || w == "false" => Ok(vec![]),
            Some(Tok::LParen) => {
                let mut out = Vec::new();
                loop {
                    match self.next() {
                        Some(Tok::Str(s)) => out.push(s),
                        Some(Tok::Num) => {}
                        _ => return Err(PatternError("expected a value in a list".into())),
                    }
                    match self.next() {
                        Some(Tok::Comma) => continue,
                        Some(Tok::RParen) => return Ok(out),
                        _ => return Err(PatternError("expected ',' or ')' in a list".into())),
                    }
                }
            }
            _ => Err(PatternError("expected a value".into())),
        }
    }
}

/// Parse a STIX pattern.
pub fn parse(pattern: &str) -> Result<Parsed, PatternError> {
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(PatternError("longer than 64 KiB".into()));
    }
    let toks = lex(pattern)?;
    let mut p = Parser {
        toks,
        pos: 0,
        out: Parsed::default(),
        ncomp: 0,
    };
    p.obs_expr(0)?;
    if p.pos != p.toks.len() {
        return Err(PatternError("unexpected text after the pattern".into()));
    }
    Ok(p.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps(p: &str) -> Vec<(String, String)> {
        parse(p)
            .unwrap()
            .observations
            .into_iter()
            .flat_map(|o| o.comparisons)
            .map(|c| (c.path, c.value))
            .collect()
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            comps("[ipv4-addr:value = '198.51.100.1']"),
            [("ipv4-addr:value".to_string(), "198.51.100.1".to_string())]
        );
        let p = parse("[file:hashes.MD5 = 'aa' AND file:hashes.'SHA-256' = 'bb']").unwrap();
        assert_eq!(p.observations.len(), 1);
        assert!(p.observations[0].all_and);
        assert_eq!(
            p.observations[0].comparisons[1].path,
            "file:hashes.'SHA-256'"
        );
        let p = parse("[domain-name:value = 'a.com' OR domain-name:value = 'b.com'] OR [url:value = 'http://x.com/'] WITHIN 300 SECONDS").unwrap();
        assert_eq!(p.observations.len(), 2);
        assert!(!p.observations[0].all_and);
        assert_eq!(
            comps("([ipv4-addr:value IN ('1.1.1.1', '2.2.2.2')] FOLLOWEDBY [email-addr:value = 'a\\'b@x.com']) START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'").len(),
            3
        );
        assert_eq!(
            comps(
                "[network-traffic:extensions.'http-request-ext'.request_header.'Host' = 'x.com']"
            )
            .len(),
            1
        );
        assert_eq!(
            comps("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]").len(),
            0
        );
    }

    #[test]
    fn unsupported_and_broken() {
        let p = parse("[url:value LIKE '%evil%' AND file:name NOT = 'x']").unwrap();
        assert_eq!(p.unsupported, 2);
        assert!(p.observations[0].comparisons.is_empty());
        assert!(parse("[ipv4-addr:value = '1.1.1.1'").is_err());
        assert!(parse("ipv4-addr:value = '1.1.1.1'").is_err());
        assert!(parse("[ipv4-addr:value = '1.1.1.1]").is_err());
        assert!(parse(&format!(
            "{}[a:b = 'c']{}",
            "(".repeat(100),
            ")".repeat(100)
        ))
        .is_err());
        assert!(parse("").is_err());
    }
}
