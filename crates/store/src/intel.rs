//! The indicator store of [`SqliteStore`]: tables `intel_source`,
//! `intel_record` and `intel_key` (one row per match key of a record), and
//! beside the database a sorted, memory-mapped key file (`<db>.intel-keys`)
//! that answers batch look-ups without touching the SQLite key index.
//!
//! The key file holds `(hash(key), record id)` pairs sorted by hash, with a
//! 65,536-bucket fan-out table in front; it is rebuilt from `intel_key` by
//! [`SqliteStore::rebuild_intel_index`] (the CLI does it at the end of every
//! import or removal) and stamped with the store's intel generation, which
//! every write bumps: a stale or missing file is never read, look-ups then
//! go through SQL ([`SqliteStore::intel_lookup_sql`], the reference the file
//! is measured against). A hash collision only costs an extra record read:
//! every candidate is checked against the record's own keys.

use crate::{now_secs, PutSummary, SqliteStore, StoreError};
use ascribe_core::{IntelKind, IntelRecord, IntelSourceInfo};
use memmap2::Mmap;
use rusqlite::{params, params_from_iter, OptionalExtension};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

pub(crate) const INTEL_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS intel_source (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL UNIQUE,
    origin      TEXT NOT NULL,
    records     INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS intel_record (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    norm        TEXT NOT NULL,
    value       TEXT,
    extra_keys  TEXT,
    actors      TEXT,
    event_id    INTEGER,
    first_seen  TEXT,
    last_seen   TEXT,
    to_ids      INTEGER NOT NULL,
    confidence  INTEGER,
    role        TEXT
);
CREATE INDEX IF NOT EXISTS intel_record_source ON intel_record (source_id);
CREATE TABLE IF NOT EXISTS intel_event (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    event     TEXT,
    title     TEXT,
    published TEXT
);
CREATE INDEX IF NOT EXISTS intel_event_source ON intel_event (source_id);
CREATE TABLE IF NOT EXISTS intel_key (
    key    TEXT NOT NULL,
    record INTEGER NOT NULL,
    PRIMARY KEY (key, record)
) WITHOUT ROWID;
";

/// Keys per SQL statement in batch look-ups (well under every backend's
/// parameter limit).
const CHUNK: usize = 500;

const KEYS_MAGIC: &[u8; 8] = b"ASCIKEY1";
const FANOUT: usize = 1 << 16;
const HEADER: usize = 8 + 8 + 8 + (FANOUT + 1) * 8;

/// The 64-bit hash of a key in the key file: FNV-1a, then the SplitMix64
/// finaliser (so the top 16 bits spread evenly over the fan-out).
pub fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Counts for `intel stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IntelCounts {
    pub sources: usize,
    pub records: usize,
    pub keys: usize,
    /// Records by kind.
    pub by_kind: Vec<(String, usize)>,
    /// Distinct actor names.
    pub actors: usize,
    /// Whether the key file is current (look-ups use it).
    pub key_file_fresh: bool,
}

const RECORD_COLS: &str =
    "r.id, s.source, r.kind, r.norm, r.value, r.extra_keys, r.actors, e.event, e.title, \
     e.published, r.first_seen, r.last_seen, r.to_ids, r.confidence, r.role";

/// The joins a record row is read through (aliases `r`, `s`, `e`).
const RECORD_JOINS: &str = "JOIN intel_source s ON s.id = r.source_id \
     LEFT JOIN intel_event e ON e.id = r.event_id";

fn split_lines(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        s.split('\n')
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

fn row_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Result<IntelRecord, String>)> {
    let id: i64 = r.get(0)?;
    let kind_txt: String = r.get(2)?;
    let norm: String = r.get(3)?;
    let Some(kind) = IntelKind::parse(&kind_txt) else {
        return Ok((id, Err(format!("unknown indicator kind {kind_txt:?}"))));
    };
    let value: Option<String> = r.get(4)?;
    let mut keys = vec![format!("{kind_txt}:{norm}")];
    keys.extend(split_lines(r.get(5)?));
    let conf: Option<i64> = r.get(13)?;
    Ok((
        id,
        Ok(IntelRecord {
            kind,
            value: value.unwrap_or_else(|| norm.clone()),
            norm,
            keys,
            actors: split_lines(r.get(6)?),
            source: r.get(1)?,
            event: r.get(7)?,
            event_title: r.get(8)?,
            published: r.get(9)?,
            first_seen: r.get(10)?,
            last_seen: r.get(11)?,
            to_ids: r.get::<_, i64>(12)? != 0,
            confidence: conf.and_then(|c| u8::try_from(c).ok()),
            role: r.get(14)?,
        }),
    ))
}

fn clean_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

impl SqliteStore {
    /// Where the key file of this store lives (`None` in memory).
    pub fn intel_key_file(&self) -> Option<PathBuf> {
        if self.path.as_os_str() == ":memory:" {
            return None;
        }
        let mut p = self.path.clone().into_os_string();
        p.push(".intel-keys");
        Some(PathBuf::from(p))
    }

    fn intel_generation(&self) -> Result<u64, StoreError> {
        Ok(self
            .meta("intel_generation")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    fn bump_generation(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
        let g: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key='intel_generation'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        // Nanoseconds since the epoch (or the next number): a key file left
        // behind by another store at this path never carries a current one.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let next = (g.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1).max(now);
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('intel_generation', ?1) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            params![next.to_string()],
        )?;
        Ok(())
    }

    /// The key file, when it exists and was built from the current data.
    fn fresh_key_file(&self) -> Result<Option<Mmap>, StoreError> {
        let Some(p) = self.intel_key_file() else {
            return Ok(None);
        };
        let Ok(f) = std::fs::File::open(&p) else {
            return Ok(None);
        };
        // SAFETY: the key file is replaced by rename, never modified in place.
        let Ok(m) = (unsafe { Mmap::map(&f) }) else {
            return Ok(None);
        };
        if m.len() < HEADER || &m[..8] != KEYS_MAGIC {
            return Ok(None);
        }
        let gen = u64::from_le_bytes(m[8..16].try_into().unwrap_or_default());
        let n = u64::from_le_bytes(m[16..24].try_into().unwrap_or_default()) as usize;
        if gen != self.intel_generation()? || m.len() != HEADER + n.saturating_mul(16) {
            return Ok(None);
        }
        Ok(Some(m))
    }

    /// Whether look-ups use the key file (it exists and is current).
    pub fn intel_key_file_fresh(&self) -> Result<bool, StoreError> {
        Ok(self.fresh_key_file()?.is_some())
    }

    /// Rebuild the key file from `intel_key` (temporary file, then rename).
    /// Returns the number of keys. Does nothing for an in-memory store.
    pub fn rebuild_intel_index(&self) -> Result<usize, StoreError> {
        let Some(path) = self.intel_key_file() else {
            return Ok(0);
        };
        let gen = self.intel_generation()?;
        let mut pairs: Vec<(u64, u64)> = Vec::new();
        {
            let mut st = self.conn.prepare("SELECT key, record FROM intel_key")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let k: String = r.get(0)?;
                let id: i64 = r.get(1)?;
                pairs.push((key_hash(&k), id as u64));
            }
        }
        pairs.sort_unstable();
        let io =
            |e: std::io::Error| StoreError::Decode(format!("cannot write {}: {e}", path.display()));
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        {
            let f = std::fs::File::create(&tmp).map_err(io)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            w.write_all(KEYS_MAGIC).map_err(io)?;
            w.write_all(&gen.to_le_bytes()).map_err(io)?;
            w.write_all(&(pairs.len() as u64).to_le_bytes())
                .map_err(io)?;
            let mut start = 0usize;
            for b in 0..=FANOUT {
                while start < pairs.len() && ((pairs[start].0 >> 48) as usize) < b {
                    start += 1;
                }
                w.write_all(&(start as u64).to_le_bytes()).map_err(io)?;
            }
            for (h, id) in &pairs {
                w.write_all(&h.to_le_bytes()).map_err(io)?;
                w.write_all(&id.to_le_bytes()).map_err(io)?;
            }
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(pairs.len())
    }

    /// Candidate (key, record id) pairs from the key file.
    fn key_file_candidates(m: &Mmap, keys: &[String]) -> Vec<(usize, i64)> {
        let n = (m.len() - HEADER) / 16;
        // offsets are clamped: a damaged fan-out never reads out of bounds
        let fan = |b: usize| -> usize {
            let o = 24 + b * 8;
            (u64::from_le_bytes(m[o..o + 8].try_into().unwrap_or_default()) as usize).min(n)
        };
        let entry = |i: usize| -> (u64, u64) {
            let o = HEADER + i * 16;
            (
                u64::from_le_bytes(m[o..o + 8].try_into().unwrap_or_default()),
                u64::from_le_bytes(m[o + 8..o + 16].try_into().unwrap_or_default()),
            )
        };
        let mut q: Vec<(u64, usize)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (key_hash(k), i))
            .collect();
        q.sort_unstable();
        let mut out = Vec::new();
        for (h, ki) in q {
            let b = (h >> 48) as usize;
            let (mut lo, mut hi) = (fan(b), fan(b + 1));
            if lo > hi {
                continue;
            }
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if entry(mid).0 < h {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            let end = fan(b + 1);
            while lo < end {
                let (eh, id) = entry(lo);
                if eh != h {
                    break;
                }
                out.push((ki, id as i64));
                lo += 1;
            }
        }
        out
    }

    /// Records by id, in batches.
    fn records_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, IntelRecord>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT {RECORD_COLS} FROM intel_record r {RECORD_JOINS} WHERE r.id IN ({})",
                vec!["?"; chunk.len()].join(",")
            );
            let mut st = self.conn.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(chunk.iter()), row_record)?;
            for row in rows {
                let (id, rec) = row?;
                out.insert(id, rec.map_err(StoreError::Decode)?);
            }
        }
        Ok(out)
    }

    /// The same look-up as [`crate::IntelStore::intel_lookup`] through the
    /// SQLite key index only (the reference the key file is measured
    /// against; used when the key file is stale).
    pub fn intel_lookup_sql(
        &self,
        keys: &[String],
    ) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        let mut uniq: Vec<&String> = keys.iter().collect::<HashSet<_>>().into_iter().collect();
        uniq.sort();
        let mut out = Vec::new();
        for chunk in uniq.chunks(CHUNK) {
            let sql = format!(
                "SELECT {RECORD_COLS}, k.key FROM intel_key k JOIN intel_record r ON r.id = k.record {RECORD_JOINS} \
                 WHERE k.key IN ({})",
                vec!["?"; chunk.len()].join(",")
            );
            let mut st = self.conn.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(chunk.iter()), |r| {
                Ok((r.get::<_, String>(15)?, row_record(r)?))
            })?;
            for row in rows {
                let (k, (_, rec)) = row?;
                out.push((k, rec.map_err(StoreError::Decode)?));
            }
        }
        Ok(out)
    }

    /// The look-up through the key file; `None` when it is not current.
    pub fn intel_lookup_keyfile(
        &self,
        keys: &[String],
    ) -> Result<Option<Vec<(String, IntelRecord)>>, StoreError> {
        let Some(m) = self.fresh_key_file()? else {
            return Ok(None);
        };
        let mut uniq: Vec<String> = keys
            .iter()
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        uniq.sort();
        let cands = Self::key_file_candidates(&m, &uniq);
        let mut ids: Vec<i64> = cands.iter().map(|c| c.1).collect();
        ids.sort_unstable();
        ids.dedup();
        let recs = self.records_by_id(&ids)?;
        let mut out = Vec::with_capacity(cands.len());
        for (ki, id) in cands {
            if let Some(r) = recs.get(&id) {
                if r.keys.iter().any(|k| *k == uniq[ki]) {
                    out.push((uniq[ki].clone(), r.clone()));
                }
            }
        }
        Ok(Some(out))
    }

    /// The exact keys (`<kind>:<norm>`) of the records stored for one
    /// source (empty when the source is unknown).
    pub fn intel_source_exact_keys(&self, source: &str) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT r.kind, r.norm FROM intel_record r JOIN intel_source s ON s.id = r.source_id WHERE s.source=?1",
        )?;
        let rows = st.query_map(params![source], |r| {
            Ok(format!(
                "{}:{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Counts for `intel stats`.
    pub fn intel_counts(&self) -> Result<IntelCounts, StoreError> {
        let c = |sql: &str| -> Result<usize, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
        };
        let mut by_kind = Vec::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT kind, COUNT(*) FROM intel_record GROUP BY kind ORDER BY kind")?;
            let rows = st.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })?;
            for r in rows {
                by_kind.push(r?);
            }
        }
        let mut actors = HashSet::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT DISTINCT actors FROM intel_record WHERE actors IS NOT NULL")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            for r in rows {
                for a in r?.split('\n').filter(|a| !a.is_empty()) {
                    actors.insert(a.to_string());
                }
            }
        }
        Ok(IntelCounts {
            sources: c("SELECT COUNT(*) FROM intel_source")?,
            records: c("SELECT COUNT(*) FROM intel_record")?,
            keys: c("SELECT COUNT(*) FROM intel_key")?,
            by_kind,
            actors: actors.len(),
            key_file_fresh: self.intel_key_file_fresh()?,
        })
    }

    fn delete_source(tx: &rusqlite::Transaction<'_>, sid: i64) -> Result<usize, StoreError> {
        let mut sel = tx.prepare_cached(
            "SELECT id, kind, norm, extra_keys FROM intel_record WHERE source_id=?1",
        )?;
        let mut del_k = tx.prepare_cached("DELETE FROM intel_key WHERE key=?1 AND record=?2")?;
        let rows: Vec<(i64, String, String, Option<String>)> = sel
            .query_map(params![sid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        for (id, kind, norm, extra) in &rows {
            del_k.execute(params![format!("{kind}:{norm}"), id])?;
            for k in split_lines(extra.clone()) {
                del_k.execute(params![k, id])?;
            }
        }
        tx.execute("DELETE FROM intel_record WHERE source_id=?1", params![sid])?;
        tx.execute("DELETE FROM intel_event WHERE source_id=?1", params![sid])?;
        Ok(rows.len())
    }
}

impl crate::IntelStore for SqliteStore {
    /// Records of each source in the batch replace that source's earlier
    /// records, in one transaction. `PutSummary`: `sources`, `entities` =
    /// records written, `relations` = keys written, `replaced_entities` =
    /// earlier records removed. The key file goes stale until
    /// [`SqliteStore::rebuild_intel_index`].
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        let mut by_source: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for r in records {
            if seen.insert(r.source.as_str()) {
                by_source.push(&r.source);
            }
        }
        let now = now_secs();
        if records.len() >= 50_000 {
            // a bulk import: a 256 MiB page cache keeps the key index's
            // upper levels in memory (the default is 2 MiB)
            self.conn.execute_batch("PRAGMA cache_size=-262144")?;
        }
        let tx = self.conn.transaction()?;
        let mut sum = PutSummary::default();
        {
            let mut get_s = tx.prepare_cached("SELECT id FROM intel_source WHERE source=?1")?;
            let mut put_s = tx.prepare_cached(
                "INSERT INTO intel_source(source, origin, records, imported_at) VALUES (?1, ?2, 0, ?3)",
            )?;
            let mut upd_s = tx.prepare_cached(
                "UPDATE intel_source SET origin=?2, records=?3, imported_at=?4 WHERE id=?1",
            )?;
            let mut put_r = tx.prepare_cached(
                "INSERT INTO intel_record(source_id, kind, norm, value, extra_keys, actors, event_id,
                   first_seen, last_seen, to_ids, confidence, role)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut put_e = tx.prepare_cached(
                "INSERT INTO intel_event(source_id, event, title, published) VALUES (?1, ?2, ?3, ?4)",
            )?;
            type EventKey<'a> = (i64, Option<&'a str>, Option<&'a str>, Option<&'a str>);
            let mut event_ids: HashMap<EventKey<'_>, i64> = HashMap::new();
            // Keys are inserted sorted, after the records: B-tree pages are
            // then filled in order instead of at random.
            let mut key_rows: Vec<(String, i64)> = Vec::with_capacity(records.len() * 3);
            let mut put_k =
                tx.prepare_cached("INSERT OR IGNORE INTO intel_key(key, record) VALUES (?1, ?2)")?;
            let mut sid_of: HashMap<&str, i64> = HashMap::new();
            for s in &by_source {
                let existing: Option<i64> = get_s.query_row(params![s], |r| r.get(0)).optional()?;
                let sid = match existing {
                    Some(id) => {
                        sum.replaced_entities += Self::delete_source(&tx, id)?;
                        id
                    }
                    None => {
                        put_s.execute(params![s, origin, now])?;
                        tx.last_insert_rowid()
                    }
                };
                sid_of.insert(s, sid);
                sum.sources += 1;
            }
            let mut counts: HashMap<i64, usize> = HashMap::new();
            for r in records {
                let sid = sid_of[r.source.as_str()];
                let exact = format!("{}:{}", r.kind.as_str(), r.norm);
                let extra: Vec<String> = r
                    .keys
                    .iter()
                    .filter(|k| **k != exact)
                    .map(|k| clean_line(k))
                    .collect();
                let actors: Vec<String> = r.actors.iter().map(|a| clean_line(a)).collect();
                let ek: EventKey<'_> = (
                    sid,
                    r.event.as_deref(),
                    r.event_title.as_deref(),
                    r.published.as_deref(),
                );
                let event_id = if ek.1.is_none() && ek.2.is_none() && ek.3.is_none() {
                    None
                } else if let Some(&id) = event_ids.get(&ek) {
                    Some(id)
                } else {
                    put_e.execute(params![sid, ek.1, ek.2, ek.3])?;
                    let id = tx.last_insert_rowid();
                    event_ids.insert(ek, id);
                    Some(id)
                };
                put_r.execute(params![
                    sid,
                    r.kind.as_str(),
                    r.norm,
                    (r.value != r.norm).then_some(&r.value),
                    (!extra.is_empty()).then(|| extra.join("\n")),
                    (!actors.is_empty()).then(|| actors.join("\n")),
                    event_id,
                    r.first_seen,
                    r.last_seen,
                    i64::from(r.to_ids),
                    r.confidence.map(i64::from),
                    r.role,
                ])?;
                let id = tx.last_insert_rowid();
                key_rows.push((exact, id));
                key_rows.extend(extra.into_iter().map(|k| (k, id)));
                *counts.entry(sid).or_insert(0) += 1;
                sum.entities += 1;
            }
            key_rows.sort_unstable();
            for (k, id) in &key_rows {
                sum.relations += put_k.execute(params![k, id])?;
            }
            for sid in sid_of.values() {
                upd_s.execute(params![
                    sid,
                    origin,
                    counts.get(sid).copied().unwrap_or(0) as i64,
                    now
                ])?;
            }
        }
        Self::bump_generation(&tx)?;
        tx.commit()?;
        Ok(sum)
    }

    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        if let Some(out) = self.intel_lookup_keyfile(keys)? {
            return Ok(out);
        }
        self.intel_lookup_sql(keys)
    }

    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT source, origin, records, imported_at FROM intel_source ORDER BY source",
        )?;
        let rows = st.query_map([], |r| {
            Ok(IntelSourceInfo {
                source: r.get(0)?,
                origin: r.get(1)?,
                records: r.get::<_, i64>(2)? as usize,
                imported_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut removed = 0;
        for s in sources {
            let sid: Option<i64> = tx
                .query_row(
                    "SELECT id FROM intel_source WHERE source=?1",
                    params![s],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sid) = sid {
                removed += Self::delete_source(&tx, sid)?;
                tx.execute("DELETE FROM intel_source WHERE id=?1", params![sid])?;
            }
        }
        Self::bump_generation(&tx)?;
        tx.commit()?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IntelStore;

    // the conformance suite's record builder, shared with every backend
    use crate::conformance::intel_rec as rec;

    fn sample() -> Vec<IntelRecord> {
        vec![
            rec(
                IntelKind::Ipv4,
                "203.0.113.5",
                "misp-event:a",
                &["APT28"],
                &["ip24:203.0.113"],
            ),
            rec(
                IntelKind::Ipv4,
                "203.0.113.9",
                "misp-event:a",
                &["APT28"],
                &["ip24:203.0.113"],
            ),
            rec(
                IntelKind::Ipv4,
                "203.0.113.77",
                "stix:b",
                &["Lazarus", "APT28"],
                &["ip24:203.0.113"],
            ),
            rec(
                IntelKind::Domain,
                "evil.com",
                "stix:b",
                &[],
                &["host:evil.com", "regdomain:evil.com"],
            ),
        ]
    }

    fn sorted(mut v: Vec<(String, IntelRecord)>) -> Vec<(String, String, String)> {
        let mut o: Vec<_> = v.drain(..).map(|(k, r)| (k, r.source, r.norm)).collect();
        o.sort();
        o
    }

    fn check(s: &mut SqliteStore) {
        let sum = s.put_intel("test", &sample()).unwrap();
        assert_eq!((sum.sources, sum.entities, sum.relations), (2, 4, 9));
        let q = vec![
            "ip24:203.0.113".to_string(),
            "regdomain:evil.com".into(),
            "md5:00".into(),
        ];
        let sql = s.intel_lookup_sql(&q).unwrap();
        assert_eq!(sql.len(), 4);
        let full = sql.iter().find(|(_, r)| r.norm == "203.0.113.77").unwrap();
        assert_eq!(full.1, sample()[2]);
        s.rebuild_intel_index().unwrap();
        let fast = s.intel_lookup(&q).unwrap();
        assert_eq!(sorted(fast.clone()), sorted(sql.clone()));
        let counts = s.intel_key_actor_counts(&q).unwrap();
        assert_eq!(counts["ip24:203.0.113"], 2);
        assert_eq!(counts["regdomain:evil.com"], 0);
        assert!(!counts.contains_key("md5:00"));
        // re-import replaces the source; the key file goes stale until rebuilt
        let again = vec![rec(
            IntelKind::Ipv4,
            "198.51.100.1",
            "misp-event:a",
            &["X"],
            &[],
        )];
        let sum = s.put_intel("test2", &again).unwrap();
        assert_eq!(sum.replaced_entities, 2);
        assert!(!s.intel_key_file_fresh().unwrap());
        let after = s.intel_lookup(&q).unwrap();
        assert_eq!(after.len(), 2, "{after:?}");
        s.rebuild_intel_index().unwrap();
        assert_eq!(sorted(s.intel_lookup(&q).unwrap()), sorted(after));
        assert_eq!(
            s.intel_source_exact_keys("misp-event:a").unwrap(),
            ["ipv4:198.51.100.1"]
        );
        let srcs = s.intel_sources().unwrap();
        assert_eq!(srcs.len(), 2);
        assert_eq!(
            (
                srcs[0].source.as_str(),
                srcs[0].records,
                srcs[0].origin.as_str()
            ),
            ("misp-event:a", 1, "test2")
        );
        assert_eq!(s.remove_intel_sources(&["stix:b".into()]).unwrap(), 2);
        assert!(s.intel_lookup(&q).unwrap().is_empty());
        let c = s.intel_counts().unwrap();
        assert_eq!((c.sources, c.records, c.keys, c.actors), (1, 1, 1, 1));
    }

    #[test]
    fn a_key_file_left_by_another_store_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.put_intel("t", &sample()).unwrap();
            s.rebuild_intel_index().unwrap();
        }
        for f in ["a.db", "a.db-wal", "a.db-shm"] {
            let _ = std::fs::remove_file(dir.path().join(f));
        }
        let mut s = SqliteStore::open(&p).unwrap();
        s.put_intel("t", &sample()[..1]).unwrap();
        assert!(!s.intel_key_file_fresh().unwrap());
    }

    #[test]
    fn in_memory_round_trip() {
        check(&mut SqliteStore::open_in_memory().unwrap());
    }

    #[test]
    fn file_store_with_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("a.db")).unwrap();
        check(&mut s);
        assert!(s.intel_key_file().unwrap().exists());
    }

    #[test]
    fn a_corrupted_key_file_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("a.db")).unwrap();
        s.put_intel("t", &sample()).unwrap();
        s.rebuild_intel_index().unwrap();
        let kf = s.intel_key_file().unwrap();
        // a corrupted file is never read: look-ups fall back to SQL
        let mut bytes = std::fs::read(&kf).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&kf, &bytes).unwrap();
        assert!(!s.intel_key_file_fresh().unwrap());
        assert_eq!(
            s.intel_lookup(&["ipv4:203.0.113.5".into()]).unwrap().len(),
            1
        );
    }
}
