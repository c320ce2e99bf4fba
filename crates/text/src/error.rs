//! Error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong while reading a document.
///
/// Extraction itself never fails: problems found while scanning text are
/// reported as warnings in [`crate::Extraction::warnings`].
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File that failed.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file (a FIFO, a device, a socket): such
    /// files are refused before they are opened, since reading them could
    /// block forever or never end.
    #[error("{path}: not a regular file (a FIFO, device or socket is never read)")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than [`crate::LoadOptions::max_bytes`].
    #[error("{path}: {size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// File that failed.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// The content looks like binary data, not text.
    #[error("{path}: looks like binary data, not text ({reason})")]
    Binary {
        /// File that failed.
        path: PathBuf,
        /// Why it was judged binary.
        reason: String,
    },
    /// The extension names a format this crate does not read.
    #[error("{path}: unsupported format `{extension}` (expected txt, md, html or pdf)")]
    Unsupported {
        /// File that failed.
        path: PathBuf,
        /// Its extension.
        extension: String,
    },
    /// The HTML could not be turned into text.
    #[error("{path}: HTML conversion failed: {message}")]
    Html {
        /// File that failed.
        path: PathBuf,
        /// Message of the converter.
        message: String,
    },
    /// The PDF could not be read (broken, encrypted, or the converter failed).
    #[error("{path}: PDF text extraction failed: {message}")]
    Pdf {
        /// File that failed.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The PDF parsed but holds no text layer (a scan): it needs OCR first.
    #[error("{path}: the PDF has no text layer (scanned pages?); run OCR first")]
    PdfNoText {
        /// File that failed.
        path: PathBuf,
    },
    /// PDF support was not compiled in.
    #[error("{path}: PDF support is not compiled in; rebuild ascribe-text with `--features pdf`")]
    PdfDisabled {
        /// File that failed.
        path: PathBuf,
    },
}
