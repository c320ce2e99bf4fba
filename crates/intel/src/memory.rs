//! An in-memory [`IntelStore`]: records indexed by match key. For tests,
//! benchmarks and small feeds that need no database; it keeps the same
//! semantics as the SQLite store (a source is replaced as a whole, look-ups
//! by key, distinct actors per key).

use ascribe_core::{IntelRecord, IntelSourceInfo};
use ascribe_store::{IntelStore, PutSummary, StoreError};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Records in memory, indexed by key.
#[derive(Debug, Default, Clone)]
pub struct MemoryIntelStore {
    records: Vec<Option<IntelRecord>>,
    by_key: HashMap<String, Vec<usize>>,
    by_source: BTreeMap<String, (String, Vec<usize>)>,
}

impl MemoryIntelStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of records held.
    pub fn len(&self) -> usize {
        self.records.iter().filter(|r| r.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remove_source(&mut self, source: &str) -> usize {
        let Some((_, ids)) = self.by_source.remove(source) else {
            return 0;
        };
        for &i in &ids {
            if let Some(r) = self.records[i].take() {
                for k in &r.keys {
                    if let Some(v) = self.by_key.get_mut(k) {
                        v.retain(|&x| x != i);
                        if v.is_empty() {
                            self.by_key.remove(k);
                        }
                    }
                }
            }
        }
        ids.len()
    }
}

impl IntelStore for MemoryIntelStore {
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        let sources: BTreeSet<&str> = records.iter().map(|r| r.source.as_str()).collect();
        let mut replaced = 0;
        for s in &sources {
            replaced += self.remove_source(s);
        }
        for r in records {
            let i = self.records.len();
            for k in &r.keys {
                let v = self.by_key.entry(k.clone()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            self.by_source
                .entry(r.source.clone())
                .or_insert_with(|| (origin.to_string(), Vec::new()))
                .1
                .push(i);
            self.records.push(Some(r.clone()));
        }
        Ok(PutSummary {
            sources: sources.len(),
            entities: records.len(),
            relations: 0,
            replaced_entities: replaced,
        })
    }

    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        let mut out = Vec::new();
        for k in keys {
            for &i in self.by_key.get(k).into_iter().flatten() {
                if let Some(r) = &self.records[i] {
                    out.push((k.clone(), r.clone()));
                }
            }
        }
        Ok(out)
    }

    fn intel_key_actor_counts(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, usize>, StoreError> {
        let mut out = HashMap::new();
        for k in keys {
            let Some(ids) = self.by_key.get(k) else {
                continue;
            };
            let actors: BTreeSet<String> = ids
                .iter()
                .filter_map(|&i| self.records[i].as_ref())
                .flat_map(|r| r.actors.iter().map(|a| ascribe_core::normalize_name(a)))
                .collect();
            out.insert(k.clone(), actors.len());
        }
        Ok(out)
    }

    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        Ok(self
            .by_source
            .iter()
            .map(|(s, (origin, ids))| IntelSourceInfo {
                source: s.clone(),
                origin: origin.clone(),
                records: ids.len(),
                imported_at: 0,
            })
            .collect())
    }

    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        Ok(sources.iter().map(|s| self.remove_source(s)).sum())
    }
}

/// Read a case directory's own intelligence (`<case>/intel/`: MISP events,
/// STIX bundles, IOC lists) into memory, for matching beside the user's
/// store without writing to it. Returns the store and one note per file
/// that could not be read (the others are read regardless).
pub fn load_case_intel(case_dir: &std::path::Path) -> (MemoryIntelStore, Vec<String>) {
    let mut store = MemoryIntelStore::new();
    let mut notes = Vec::new();
    let dir = case_dir.join("intel");
    if !dir.is_dir() {
        return (store, notes);
    }
    let outcomes = crate::import_paths(&[dir], &crate::ImportOptions::default());
    for o in outcomes {
        let name = o.path.display().to_string();
        put_outcome(&mut store, &mut notes, &name, o.result);
    }
    (store, notes)
}

/// [`load_case_intel`] for intelligence files stored anywhere: each is
/// `(name in the case, e.g. intel/event.json; where its bytes are)`.
pub fn load_intel_files(files: &[(String, std::path::PathBuf)]) -> (MemoryIntelStore, Vec<String>) {
    let mut store = MemoryIntelStore::new();
    let mut notes = Vec::new();
    for (name, path) in files {
        let outcomes =
            crate::import_paths(std::slice::from_ref(path), &crate::ImportOptions::default());
        for o in outcomes {
            put_outcome(&mut store, &mut notes, name, o.result);
        }
    }
    (store, notes)
}

fn put_outcome<E: std::fmt::Display>(
    store: &mut MemoryIntelStore,
    notes: &mut Vec<String>,
    name: &str,
    result: Result<Vec<crate::ImportedSource>, E>,
) {
    match result {
        Ok(sources) => {
            for src in sources {
                if let Err(e) = store.put_intel(name, &src.records) {
                    notes.push(format!("{name}: {e}"));
                }
            }
        }
        Err(e) => notes.push(format!("{name}: not read as intelligence: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ascribe_core::IntelKind;

    fn rec(source: &str, value: &str, actor: &str) -> IntelRecord {
        IntelRecord {
            kind: IntelKind::Domain,
            value: value.into(),
            norm: value.into(),
            keys: crate::keys(IntelKind::Domain, value),
            actors: vec![actor.into()],
            source: source.into(),
            event: None,
            event_title: None,
            published: None,
            first_seen: None,
            last_seen: None,
            to_ids: true,
            confidence: None,
            role: None,
        }
    }

    #[test]
    fn a_source_is_replaced_whole_and_actors_are_counted_per_key() {
        let mut s = MemoryIntelStore::new();
        s.put_intel(
            "a",
            &[
                rec("s1", "a.evil.com", "Turla"),
                rec("s1", "b.evil.com", "Turla"),
            ],
        )
        .unwrap();
        s.put_intel("b", &[rec("s2", "evil.com", "Sednit")])
            .unwrap();
        let k = vec!["regdomain:evil.com".to_string()];
        assert_eq!(s.intel_lookup(&k).unwrap().len(), 3);
        assert_eq!(
            s.intel_key_actor_counts(&k).unwrap()["regdomain:evil.com"],
            2
        );
        let p = s
            .put_intel("a2", &[rec("s1", "c.other.org", "Turla")])
            .unwrap();
        assert_eq!(p.replaced_entities, 2);
        assert_eq!(s.intel_lookup(&k).unwrap().len(), 1);
        assert_eq!(s.remove_intel_sources(&["s2".into()]).unwrap(), 1);
        assert!(s.intel_lookup(&k).unwrap().is_empty());
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn the_sony_example_carries_its_own_intelligence() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sony-2014");
        let (store, notes) = load_case_intel(&dir);
        assert!(notes.is_empty(), "{notes:?}");
        let k = vec!["ipv4:203.131.222.102".to_string()];
        let found = store.intel_lookup(&k).unwrap();
        assert_eq!(found.len(), 1);
        let r = &found[0].1;
        assert_eq!(r.actors, vec!["North Korea".to_string()]);
        assert_eq!(r.published.as_deref(), Some("2014-12-19"));
        // a case directory without intel/ gives an empty store
        let (none, notes) = load_case_intel(&dir.join("reports"));
        assert!(none.is_empty() && notes.is_empty());
    }
}
