//! Opening the embedded knowledge-base store, filled with the embedded
//! default knowledge base on first use.

use ascribe_store::{SqliteStore, Store};
use std::path::Path;

use crate::PipelineError;

/// What [`open_store`] loaded into an empty store: the embedded default
/// knowledge base, so many entities and relations. The caller says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrapped {
    /// Entities loaded.
    pub entities: usize,
    /// Relations loaded.
    pub relations: usize,
}

/// Open (or create) the SQLite store at `path`; an empty store is filled
/// with the embedded default knowledge base, and the second value says so.
///
/// Errors: [`PipelineError::StoreUnreadable`] when the file cannot be
/// opened or read (damaged, not a store, newer schema, directory not
/// creatable), [`PipelineError::Bootstrap`] when the default knowledge base
/// cannot be written into it, [`PipelineError::Kb`] when the embedded
/// default itself cannot be decoded (a build problem).
pub fn open_store(path: &Path) -> Result<(SqliteStore, Option<Bootstrapped>), PipelineError> {
    let unreadable = |source| PipelineError::StoreUnreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut s = SqliteStore::open(path).map_err(unreadable)?;
    if !s.kb_is_empty().map_err(unreadable)? {
        return Ok((s, None));
    }
    let facts = ascribe_kb::embedded::default_facts()?;
    s.put_kb_facts(&facts)
        .map_err(|source| PipelineError::Bootstrap {
            path: path.to_path_buf(),
            source,
        })?;
    Ok((
        s,
        Some(Bootstrapped {
            entities: facts.entities.len(),
            relations: facts.relations.len(),
        }),
    ))
}
