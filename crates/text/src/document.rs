//! Reading documents: encoding detection, HTML and PDF to text, batch walking.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::TextError;

/// Default upper bound of a document, in bytes (64 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (`.txt`, `.log`, anything unknown that decodes as text).
    Text,
    /// Markdown (`.md`): its links, footnotes and images are understood
    /// (see [`crate::markup`]).
    Markdown,
    /// AsciiDoc (`.adoc`, `.asciidoc`): passthroughs, links and footnotes are
    /// understood (see [`crate::markup`]).
    #[serde(rename = "asciidoc")]
    AsciiDoc,
    /// HTML (`.html`, `.htm`, `.xhtml`), converted to text.
    Html,
    /// PDF, text layer extracted.
    Pdf,
}

/// Character encoding the bytes were decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (with or without BOM).
    Utf8,
    /// UTF-8 with some invalid sequences replaced by U+FFFD.
    Utf8Lossy,
    /// UTF-16 little endian, announced by a BOM.
    Utf16Le,
    /// UTF-16 big endian, announced by a BOM.
    Utf16Be,
    /// ISO-8859-1 fallback for bytes that are not UTF-8.
    Latin1,
    /// Produced by a converter (PDF).
    Converted,
}

/// A document turned into text, ready for [`crate::extract`].
///
/// All byte offsets reported by the extractor are offsets into [`Document::text`].
/// For UTF-8 `.txt`/`.md` files without BOM they equal file offsets; for other
/// encodings and for HTML/PDF they refer to the decoded / converted text.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Name used in locations (the path as given, or a caller-chosen label).
    pub name: Option<String>,
    /// Format the text came from.
    pub format: Format,
    /// Encoding the bytes were decoded from.
    pub encoding: Encoding,
    /// The text.
    pub text: String,
    /// Problems met while reading that did not stop it (lossy decoding, ...).
    pub warnings: Vec<String>,
}

impl Document {
    /// Wraps text that is already in memory.
    pub fn from_text(name: Option<&str>, text: impl Into<String>) -> Self {
        Document {
            name: name.map(str::to_owned),
            format: Format::Text,
            encoding: Encoding::Utf8,
            text: text.into(),
            warnings: Vec::new(),
        }
    }
}

/// Limits and switches for [`load_document_with`].
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Files larger than this are refused with [`TextError::TooLarge`].
    pub max_bytes: u64,
    /// Seconds to wait for the PDF converter before giving up.
    pub pdf_timeout_secs: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            pdf_timeout_secs: 60,
        }
    }
}

/// Reads a `.txt`, `.md`, `.html` or `.pdf` file with default limits.
///
/// The format comes from the extension; unknown extensions are sniffed
/// (`%PDF-` header, `<html`/`<!doctype html`), else read as text.
pub fn load_document(path: impl AsRef<Path>) -> Result<Document, TextError> {
    load_document_with(path, &LoadOptions::default())
}

/// [`load_document`] with explicit [`LoadOptions`].
pub fn load_document_with(
    path: impl AsRef<Path>,
    opts: &LoadOptions,
) -> Result<Document, TextError> {
    let path = path.as_ref();
    let io = |source| TextError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(TextError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > opts.max_bytes {
        return Err(TextError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: opts.max_bytes,
        });
    }
    let bytes = read_regular(path, opts.max_bytes).map_err(io)?;
    if bytes.len() as u64 > opts.max_bytes {
        return Err(TextError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    let name = path.display().to_string();
    let format = match format_for(path) {
        Some(f) => f,
        None => sniff(&bytes),
    };
    document_from_bytes(&name, format, &bytes, opts).map_err(|e| e.with_path(path))
}

/// Decodes in-memory bytes of a known format. Errors carry `name` as path.
pub fn document_from_bytes(
    name: &str,
    format: Format,
    bytes: &[u8],
    opts: &LoadOptions,
) -> Result<Document, TextError> {
    let path = PathBuf::from(name);
    if bytes.len() as u64 > opts.max_bytes {
        return Err(TextError::TooLarge {
            path,
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    match format {
        Format::Pdf => {
            let text = pdf_to_text(&path, bytes, opts)?;
            Ok(Document {
                name: Some(name.to_owned()),
                format,
                encoding: Encoding::Converted,
                text,
                warnings: Vec::new(),
            })
        }
        Format::Text | Format::Markdown | Format::AsciiDoc | Format::Html => {
            let (text, encoding, mut warnings) =
                decode_text(bytes).map_err(|reason| TextError::Binary {
                    path: path.clone(),
                    reason,
                })?;
            let text = if format == Format::Html {
                let (t, w) = html_to_text(&path, &text)?;
                warnings.extend(w);
                t
            } else {
                text
            };
            Ok(Document {
                name: Some(name.to_owned()),
                format,
                encoding,
                text,
                warnings,
            })
        }
    }
}

impl TextError {
    fn with_path(self, p: &Path) -> TextError {
        let p = p.to_path_buf();
        match self {
            TextError::Binary { reason, .. } => TextError::Binary { path: p, reason },
            TextError::Html { message, .. } => TextError::Html { path: p, message },
            TextError::Pdf { message, .. } => TextError::Pdf { path: p, message },
            TextError::PdfNoText { .. } => TextError::PdfNoText { path: p },
            TextError::PdfDisabled { .. } => TextError::PdfDisabled { path: p },
            other => other,
        }
    }
}

fn format_for(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" | "log" | "csv" | "tsv" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        "adoc" | "asciidoc" => Format::AsciiDoc,
        "html" | "htm" | "xhtml" => Format::Html,
        "pdf" => Format::Pdf,
        _ => return None,
    })
}

/// True for extensions the batch walker picks up.
fn walkable(path: &Path) -> bool {
    format_for(path).is_some()
}

fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if memchr::memmem::find(&lower, b"<html").is_some()
        || memchr::memmem::find(&lower, b"<!doctype html").is_some()
    {
        Format::Html
    } else {
        Format::Text
    }
}

/// Decodes bytes to text: UTF-8 (BOM optional), UTF-16 LE/BE with BOM,
/// UTF-8 with a few bad sequences (replaced, with a warning), else Latin-1.
///
/// Returns `Err(reason)` for content that looks binary.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Encoding, Vec<String>), String> {
    let mut warnings = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_owned(), Encoding::Utf8, warnings)),
            Err(_) => {
                let s = String::from_utf8_lossy(rest).into_owned();
                warnings.push(
                    "invalid UTF-8 sequences after a UTF-8 BOM were replaced by U+FFFD".into(),
                );
                Ok((s, Encoding::Utf8Lossy, warnings))
            }
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(decode_utf16(rest, true, Encoding::Utf16Le, warnings));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(decode_utf16(rest, false, Encoding::Utf16Be, warnings));
    }
    check_not_binary(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_owned(), Encoding::Utf8, warnings)),
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            let bad = lossy.matches('\u{FFFD}').count();
            let non_ascii = bytes.iter().filter(|b| **b >= 0x80).count().max(1);
            if bad * 4 < non_ascii {
                warnings.push(format!(
                    "{bad} invalid UTF-8 sequence(s) replaced by U+FFFD (mixed encodings?); offsets refer to the decoded text"
                ));
                Ok((lossy.into_owned(), Encoding::Utf8Lossy, warnings))
            } else {
                warnings.push(
                    "not UTF-8: decoded as Latin-1 (ISO-8859-1); offsets refer to the decoded text"
                        .into(),
                );
                Ok((
                    bytes.iter().map(|&b| b as char).collect(),
                    Encoding::Latin1,
                    warnings,
                ))
            }
        }
    }
}

fn decode_utf16(
    rest: &[u8],
    le: bool,
    enc: Encoding,
    mut warnings: Vec<String>,
) -> (String, Encoding, Vec<String>) {
    if rest.len() % 2 == 1 {
        warnings.push("UTF-16 text has an odd number of bytes; the last byte was dropped".into());
    }
    let units = rest.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let mut bad = 0usize;
    let s: String = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                bad += 1;
                '\u{FFFD}'
            })
        })
        .collect();
    if bad > 0 {
        warnings.push(format!(
            "{bad} unpaired UTF-16 surrogate(s) replaced by U+FFFD"
        ));
    }
    (s, enc, warnings)
}

fn check_not_binary(bytes: &[u8]) -> Result<(), String> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.is_empty() {
        return Ok(());
    }
    let nul = head.iter().filter(|&&b| b == 0).count();
    if nul > 0 {
        return Err(format!(
            "{nul} NUL byte(s) in the first {} bytes and no UTF-16 BOM",
            head.len()
        ));
    }
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    if ctrl * 20 > head.len() {
        return Err(format!(
            "{ctrl} control bytes in the first {} bytes",
            head.len()
        ));
    }
    Ok(())
}

/// Reads a file known to be regular, opened non-blocking (so a file swapped
/// for a FIFO after the type check cannot block), refusing anything that is
/// not a regular file once open and never reading more than `limit + 1`
/// bytes.
fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc_o_nonblock());
    }
    let f = o.open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a FIFO, device or socket is never read)",
        ));
    }
    let mut bytes = Vec::new();
    f.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(all(unix, any(target_os = "linux", target_os = "android")))]
fn libc_o_nonblock() -> i32 {
    0o4000
}

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn libc_o_nonblock() -> i32 {
    0x0004
}

/// Nesting depth above which HTML is not given to `html2text` (whose work
/// grows with the square of the depth: 100,000 nested `<div>` took 33 s)
/// but to the linear tag stripper, with a warning. Real reports nest a few
/// dozen levels.
pub const MAX_HTML_DEPTH: usize = 512;

/// Elements that never have content, so never open a level.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The deepest nesting of elements in `html` (an estimate in one linear
/// pass: an opening tag opens a level unless void or self-closing, a
/// closing tag closes one).
pub fn html_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p + 1;
        let Some(q) = memchr::memchr(b'>', &b[start..]) else {
            break;
        };
        let end = start + q;
        let tag = &b[start..end];
        i = end + 1;
        match tag.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                if tag.last() == Some(&b'/') {
                    continue;
                }
                let name_len = tag
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .unwrap_or(tag.len());
                let name = &tag[..name_len];
                if !VOID_ELEMENTS
                    .iter()
                    .any(|v| name.eq_ignore_ascii_case(v.as_bytes()))
                {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Converts HTML to plain text with `html2text` on a thread with a large
/// stack (deeply nested markup recurses); falls back to a tag stripper.
fn html_to_text(path: &Path, html: &str) -> Result<(String, Vec<String>), TextError> {
    let depth = html_depth(html);
    if depth > MAX_HTML_DEPTH {
        return Ok((
            strip_tags(html),
            vec![format!(
                "HTML nested {depth} levels deep (over {MAX_HTML_DEPTH}): flattened with a plain tag stripper"
            )],
        ));
    }
    let owned = html.to_owned();
    let handle = std::thread::Builder::new()
        .name("ascribe-html".into())
        .stack_size(512 * 1024 * 1024)
        .spawn(move || {
            html2text::config::plain()
                .no_table_borders()
                .link_footnotes(false)
                .string_from_read(owned.as_bytes(), 100_000)
        });
    let converted = match handle {
        Ok(h) => match h.join() {
            Ok(Ok(t)) => return Ok((t, Vec::new())),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "the HTML converter panicked".to_owned(),
        },
        Err(e) => e.to_string(),
    };
    let text = strip_tags(html);
    if text.trim().is_empty() && !html.trim().is_empty() {
        return Err(TextError::Html {
            path: path.to_path_buf(),
            message: converted,
        });
    }
    Ok((
        text,
        vec![format!(
            "HTML converter failed ({converted}); used a plain tag stripper"
        )],
    ))
}

/// Minimal tag stripper: drops `<...>`, `<script>`/`<style>` bodies, decodes a few entities.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let b = html.as_bytes();
    // once a closing tag is known to be absent further on, never search again
    let (mut script_closes, mut style_closes) = (true, true);
    while i < b.len() {
        if b[i] == b'<' {
            let rest = &lower[i..];
            let skip_to = if script_closes && rest.starts_with("<script") {
                let f = rest.find("</script>").map(|p| i + p + 9);
                script_closes = f.is_some();
                f
            } else if style_closes && rest.starts_with("<style") {
                let f = rest.find("</style>").map(|p| i + p + 8);
                style_closes = f.is_some();
                f
            } else {
                None
            };
            let end = skip_to.or_else(|| memchr::memchr(b'>', &b[i..]).map(|p| i + p + 1));
            match end {
                Some(e) => {
                    let tag = &lower[i..e];
                    if tag.starts_with("<p")
                        || tag.starts_with("<br")
                        || tag.starts_with("<div")
                        || tag.starts_with("<li")
                        || tag.starts_with("</p")
                        || tag.starts_with("<h")
                        || tag.starts_with("<tr")
                    {
                        out.push('\n');
                    } else {
                        out.push(' ');
                    }
                    i = e;
                }
                None => break,
            }
        } else {
            let next = memchr::memchr(b'<', &b[i..])
                .map(|p| i + p)
                .unwrap_or(b.len());
            out.push_str(&decode_entities(&html[i..next]));
            i = next;
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(feature = "pdf")]
fn pdf_to_text(path: &Path, bytes: &[u8], opts: &LoadOptions) -> Result<String, TextError> {
    let err = |m: String| TextError::Pdf {
        path: path.to_path_buf(),
        message: m,
    };
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_none() {
        return Err(err("no %PDF- header: not a PDF".into()));
    }
    let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
    let owned = bytes.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("ascribe-pdf".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&owned));
            let _ = tx.send(r);
        });
    if let Err(e) = spawned {
        return Err(err(e.to_string()));
    }
    let text = match rx.recv_timeout(std::time::Duration::from_secs(opts.pdf_timeout_secs)) {
        Ok(Ok(Ok(t))) => t,
        Ok(Ok(Err(e))) => {
            let hint = if encrypted {
                " (the PDF is encrypted)"
            } else {
                ""
            };
            return Err(err(format!("{e}{hint}")));
        }
        Ok(Err(_)) => {
            let hint = if encrypted {
                "; the PDF is encrypted"
            } else {
                ""
            };
            return Err(err(format!("the PDF parser panicked (broken file{hint})")));
        }
        Err(_) => {
            return Err(err(format!(
                "gave up after {} s (the converter thread is left to finish)",
                opts.pdf_timeout_secs
            )))
        }
    };
    if text.chars().filter(|c| !c.is_whitespace()).count() < 16 {
        return Err(TextError::PdfNoText {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

#[cfg(not(feature = "pdf"))]
fn pdf_to_text(path: &Path, _bytes: &[u8], _opts: &LoadOptions) -> Result<String, TextError> {
    Err(TextError::PdfDisabled {
        path: path.to_path_buf(),
    })
}

/// Outcome of one file of a batch.
#[derive(Debug)]
pub struct BatchItem {
    /// The file.
    pub path: PathBuf,
    /// Its document, or why it could not be read.
    pub result: Result<Document, TextError>,
}

/// Walks `root` (a file or a directory, recursively, in sorted order) and
/// loads every `.txt`, `.text`, `.log`, `.csv`, `.tsv`, `.md`, `.markdown`,
/// `.adoc`, `.asciidoc`, `.html`, `.htm`, `.xhtml` and `.pdf` file. Errors are reported per file and the walk goes on;
/// unreadable directories are reported as an item with an I/O error.
/// Symbolic links are not followed.
pub fn walk_documents(root: impl AsRef<Path>, opts: &LoadOptions) -> Vec<BatchItem> {
    list_documents(root)
        .into_iter()
        .map(|entry| match entry {
            Ok(p) => BatchItem {
                result: load_document_with(&p, opts),
                path: p,
            },
            Err(e) => BatchItem {
                path: match &e {
                    TextError::Io { path, .. } => path.clone(),
                    _ => PathBuf::new(),
                },
                result: Err(e),
            },
        })
        .collect()
}

/// The files [`walk_documents`] would load, in its order, without loading
/// them (so that a caller knows the batch's size first); a missing root
/// or an unreadable directory is an [`TextError::Io`] entry.
pub fn list_documents(root: impl AsRef<Path>) -> Vec<Result<PathBuf, TextError>> {
    let mut items = Vec::new();
    let mut stack = vec![root.as_ref().to_path_buf()];
    let mut first = true;
    while let Some(p) = stack.pop() {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(source) => {
                items.push(Err(TextError::Io { path: p, source }));
                continue;
            }
        };
        if meta.is_dir() {
            match std::fs::read_dir(&p) {
                Ok(rd) => {
                    let mut children: Vec<PathBuf> =
                        rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                    children.sort();
                    children.reverse();
                    stack.extend(children);
                }
                Err(source) => items.push(Err(TextError::Io { path: p, source })),
            }
        } else if first || (meta.is_file() && walkable(&p)) {
            // a named path that is not a directory is always loaded, so a
            // FIFO or device named on the command line gets its error
            items.push(Ok(p));
        }
        first = false;
    }
    items
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn depth_counts_open_elements_only() {
        assert_eq!(html_depth("<p>a<br>b<img src=x/></p>"), 1);
        assert_eq!(html_depth("<div><div></div><div><b>x</b></div></div>"), 3);
        assert_eq!(html_depth("<!doctype html><html></html>"), 1);
        let deep = "<span>".repeat(MAX_HTML_DEPTH + 1);
        assert_eq!(html_depth(&deep), MAX_HTML_DEPTH + 1);
    }

    #[test]
    fn deep_html_is_flattened_with_a_warning() {
        let n = 20_000;
        let html = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let (text, warnings) = html_to_text(Path::new("x.html"), &html).unwrap();
        assert!(text.contains("deep text"));
        assert!(warnings[0].contains("flattened"), "{warnings:?}");
    }

    #[test]
    fn many_unclosed_scripts_are_stripped_in_one_pass() {
        // each `<script` once searched the rest of the file for its end
        let html = "<script>x ".repeat(50_000);
        let text = strip_tags(&html);
        assert!(text.contains('x'));
    }
}
