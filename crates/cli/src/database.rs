//! The store behind the commands: the embedded SQLite file (`--store`) or a
//! PostgreSQL database (`--database postgres://…` / `ASCRIBE_DATABASE`,
//! cargo feature `postgres`, on by default). Both implement the same
//! `Store` and `IntelStore` traits; [`Database`] forwards to the one in use
//! so the commands never care which.

use anyhow::Result;
use ascribe_core::{IntelRecord, IntelSourceInfo, KbFacts, SourceInfo};
use ascribe_store::{IntelCounts, IntelStore, PutSummary, SqliteStore, Store, StoreError};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// `--database` as given on the command line (set once by `main`).
static DATABASE_URL: OnceLock<Option<String>> = OnceLock::new();

/// Record `--database` / `ASCRIBE_DATABASE` for this run.
pub fn set_database_url(url: Option<String>) {
    let _ = DATABASE_URL.set(url.filter(|u| !u.is_empty()));
}

/// The PostgreSQL URL of this run, if any.
pub fn database_url() -> Option<&'static str> {
    DATABASE_URL.get().and_then(|u| u.as_deref())
}

/// An open store of either kind.
pub enum Database {
    Sqlite(SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(ascribe_store_pg::PgStore),
    /// A coordinator with its shards (`ascribe store shard init`).
    #[cfg(feature = "postgres")]
    Sharded(ascribe_store_pg::shard::ShardedStore),
}

/// Whether reads may answer from the live shards alone (`--allow-partial`).
static ALLOW_PARTIAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Let this run's reads of a sharded store go on without unreachable
/// shards (`--allow-partial` on `intel lookup`, `analyze` and `similar`).
pub fn set_allow_partial(yes: bool) {
    ALLOW_PARTIAL.store(yes, std::sync::atomic::Ordering::Relaxed);
}

pub fn allow_partial() -> bool {
    ALLOW_PARTIAL.load(std::sync::atomic::Ordering::Relaxed)
}

/// Connections a code-index query uses on one PostgreSQL database
/// (`ASCRIBE_DB_READERS`, default 2, at most 64): each query stage is split over
/// them in one snapshot, so the server works it on that many cores.
#[cfg(feature = "postgres")]
pub fn db_readers() -> anyhow::Result<usize> {
    match std::env::var("ASCRIBE_DB_READERS") {
        Err(_) => Ok(2),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if (1..=64).contains(&n) => Ok(n),
            _ => anyhow::bail!(
                "ASCRIBE_DB_READERS={v:?}: give the number of PostgreSQL connections a code-index query may use, 1 to 64"
            ),
        },
    }
}

/// Functions a batch of `ascribe index add` on a sharded store (`ASCRIBE_INDEX_BATCH`,
/// default 50,000; 0 writes every sample in its own transactions): files are signed first,
/// then each batch is written as one transaction a shard and acknowledged by the
/// coordinator's commit.
#[cfg(feature = "postgres")]
pub fn index_batch() -> anyhow::Result<usize> {
    match std::env::var("ASCRIBE_INDEX_BATCH") {
        Err(_) => Ok(50_000),
        Ok(v) => v.trim().parse::<usize>().map_err(|_| {
            crate::exit(
                2,
                format!(
                    "ASCRIBE_INDEX_BATCH={v:?}: give the number of functions an `index add` batch holds on a sharded store (0: one sample at a time)"
                ),
            )
        }),
    }
}

/// Opens the database's code index for reading: a snapshot of what is committed now,
/// read through [`db_readers`] connections (`--allow-partial` honoured on a sharded store).
#[cfg(feature = "postgres")]
pub fn open_code_read_only(url: &str) -> anyhow::Result<ascribe_store_pg::AnyCodeStore> {
    use anyhow::Context;
    let name = ascribe_store_pg::redact_url(url);
    let readers = db_readers()?;
    let mut st = ascribe_store_pg::open_code(url, true, allow_partial())
        .with_context(|| format!("opening the code index in {name}"))?;
    st.add_readers(url, readers)
        .with_context(|| format!("opening {readers} reader connections to {name}"))?;
    Ok(st)
}

/// Calls `$e` on whichever store is open.
macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            Database::Sqlite($s) => $e,
            #[cfg(feature = "postgres")]
            Database::Postgres($s) => $e,
            #[cfg(feature = "postgres")]
            Database::Sharded($s) => $e,
        }
    };
}

/// Open a PostgreSQL database (migrations applied).
pub fn open_postgres(url: &str) -> Result<Database> {
    #[cfg(feature = "postgres")]
    {
        use ascribe_store_pg::shard::ShardedStore;
        let pg = ascribe_store_pg::PgStore::open(url)?;
        if ShardedStore::layout_of(&pg)?.is_some() {
            return Ok(Database::Sharded(ShardedStore::with_coordinator(
                pg,
                url,
                allow_partial(),
            )?));
        }
        Ok(Database::Postgres(pg))
    }
    #[cfg(not(feature = "postgres"))]
    {
        Err(crate::exit(
            2,
            format!(
                "{}: this ascribe was built without PostgreSQL support (cargo feature `postgres`)",
                url.split('@').next_back().unwrap_or(url)
            ),
        ))
    }
}

/// Open a store named `sqlite:PATH`, `postgres://…` or a plain path.
pub fn open_named(name: &str) -> Result<Database> {
    if name.starts_with("postgres://") || name.starts_with("postgresql://") {
        return open_postgres(name);
    }
    let path = name.strip_prefix("sqlite:").unwrap_or(name);
    Ok(Database::Sqlite(SqliteStore::open(Path::new(path))?))
}

impl Database {
    /// Where the store lives, for messages (no password).
    pub fn location(&self) -> String {
        match self {
            Database::Sqlite(s) => s.path().display().to_string(),
            #[cfg(feature = "postgres")]
            Database::Postgres(s) => s.name().to_string(),
            #[cfg(feature = "postgres")]
            Database::Sharded(s) => {
                format!("{} (coordinator of {} shards)", s.name(), s.shard_count())
            }
        }
    }

    /// The embedded store, when that is the one in use.
    pub fn sqlite(&self) -> Option<&SqliteStore> {
        match self {
            Database::Sqlite(s) => Some(s),
            #[cfg(feature = "postgres")]
            Database::Postgres(_) | Database::Sharded(_) => None,
        }
    }

    /// Rebuild the embedded store's key file (PostgreSQL has none).
    pub fn rebuild_intel_index(&self) -> Result<usize, StoreError> {
        match self {
            Database::Sqlite(s) => s.rebuild_intel_index(),
            #[cfg(feature = "postgres")]
            Database::Postgres(_) | Database::Sharded(_) => Ok(0),
        }
    }

    pub fn intel_source_exact_keys(&self, source: &str) -> Result<Vec<String>, StoreError> {
        each!(self, s => s.intel_source_exact_keys(source))
    }

    pub fn intel_counts(&self) -> Result<IntelCounts, StoreError> {
        each!(self, s => s.intel_counts())
    }

    /// Shards whose share a read of this store left out (`--allow-partial`).
    pub fn missing_shards(&self) -> Vec<String> {
        match self {
            #[cfg(feature = "postgres")]
            Database::Sharded(s) => s.missing_shards(),
            _ => Vec::new(),
        }
    }
}

/// The sharded store opened for the pipeline's matching, to ask it which
/// shards were missing after the analysis.
#[cfg(feature = "postgres")]
static PIPELINE_SHARDED: OnceLock<std::sync::Arc<ascribe_store_pg::shard::ShardedStore>> =
    OnceLock::new();

/// The database's code index opened for the pipeline, to ask it which
/// shards were missing after the analysis.
#[cfg(feature = "postgres")]
static PIPELINE_CODE: OnceLock<
    std::sync::Arc<ascribe_code::CodeIndex<ascribe_store_pg::AnyCodeStore>>,
> = OnceLock::new();

/// Shards left out of this run's reads (the store's and the pipeline's),
/// each once.
pub fn missing_shards(db: &Database) -> Vec<String> {
    #[allow(unused_mut)]
    let mut m: std::collections::BTreeSet<String> = db.missing_shards().into_iter().collect();
    #[cfg(feature = "postgres")]
    if let Some(p) = PIPELINE_SHARDED.get() {
        m.extend(p.missing_shards());
    }
    #[cfg(feature = "postgres")]
    if let Some(c) = PIPELINE_CODE.get() {
        m.extend(c.store().missing_shards());
    }
    m.into_iter().collect()
}

impl Store for Database {
    fn kb_is_empty(&self) -> Result<bool, StoreError> {
        each!(self, s => s.kb_is_empty())
    }
    fn put_kb_facts(&mut self, facts: &KbFacts) -> Result<PutSummary, StoreError> {
        each!(self, s => s.put_kb_facts(facts))
    }
    fn load_kb_facts(&self) -> Result<KbFacts, StoreError> {
        each!(self, s => s.load_kb_facts())
    }
    fn kb_sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        each!(self, s => s.kb_sources())
    }
    fn clear_kb(&mut self) -> Result<(), StoreError> {
        each!(self, s => s.clear_kb())
    }
    fn kb_source_entity_ids(&self, source_key: &str) -> Result<Vec<String>, StoreError> {
        each!(self, s => s.kb_source_entity_ids(source_key))
    }
    fn remove_kb_sources(&mut self, source_keys: &[String]) -> Result<usize, StoreError> {
        each!(self, s => s.remove_kb_sources(source_keys))
    }
}

impl IntelStore for Database {
    fn put_intel(
        &mut self,
        origin: &str,
        records: &[IntelRecord],
    ) -> Result<PutSummary, StoreError> {
        each!(self, s => s.put_intel(origin, records))
    }
    fn intel_lookup(&self, keys: &[String]) -> Result<Vec<(String, IntelRecord)>, StoreError> {
        each!(self, s => s.intel_lookup(keys))
    }
    fn intel_key_actor_counts(
        &self,
        keys: &[String],
    ) -> Result<HashMap<String, usize>, StoreError> {
        each!(self, s => s.intel_key_actor_counts(keys))
    }
    fn intel_sources(&self) -> Result<Vec<IntelSourceInfo>, StoreError> {
        each!(self, s => s.intel_sources())
    }
    fn remove_intel_sources(&mut self, sources: &[String]) -> Result<usize, StoreError> {
        each!(self, s => s.remove_intel_sources(sources))
    }
}

/// The indicator store the pipeline matches against besides the store
/// file's: a connection of its own to `--database`, when given.
pub fn pipeline_intel() -> Result<Option<std::sync::Arc<dyn IntelStore + Send + Sync>>> {
    #[cfg(feature = "postgres")]
    if let Some(url) = database_url() {
        use ascribe_store_pg::shard::ShardedStore;
        let pg = ascribe_store_pg::PgStore::open(url)?;
        if ShardedStore::layout_of(&pg)?.is_some() {
            let s = std::sync::Arc::new(ShardedStore::with_coordinator(pg, url, allow_partial())?);
            let _ = PIPELINE_SHARDED.set(s.clone());
            return Ok(Some(s));
        }
        return Ok(Some(std::sync::Arc::new(pg)));
    }
    Ok(None)
}

/// The code index the pipeline searches besides (instead of) the embedded
/// one: the database's, when `--database` is given and it holds samples —
/// on a coordinator, the code index sharded across its shards
/// (`--allow-partial` as for the rest of the analysis).
pub fn pipeline_code(
) -> Result<Option<std::sync::Arc<dyn ascribe_pipeline::code::CodeSearch + Send + Sync>>> {
    #[cfg(feature = "postgres")]
    if let Some(url) = database_url() {
        use anyhow::Context;
        use ascribe_code::CodeIndexStore;
        let name = ascribe_store_pg::redact_url(url);
        let st = open_code_read_only(url)?;
        let idx = ascribe_code::CodeIndex::new(st)
            .with_context(|| format!("reading the code index in {name}"))?;
        if idx.store().counts()?.samples == 0 {
            return Ok(None);
        }
        let idx = std::sync::Arc::new(idx);
        let _ = PIPELINE_CODE.set(idx.clone());
        return Ok(Some(idx));
    }
    Ok(None)
}

/// `ascribe store …`
#[derive(clap::Subcommand)]
pub enum StoreCommand {
    /// Copy the knowledge-base facts and the intelligence of every source
    /// from one store to another (the target's copies of those sources are
    /// replaced; its other sources stay), and the code index (`PATH.code/`
    /// beside an embedded store, the code tables of a database: samples the
    /// target holds already are kept), then check the target by counts and
    /// SHA-256 checksums.
    Copy {
        /// `sqlite:PATH` (or a plain path) or `postgres://user:password@host/db`.
        #[arg(long, value_name = "STORE")]
        from: String,
        /// `sqlite:PATH` (or a plain path) or `postgres://…`.
        #[arg(long, value_name = "STORE")]
        to: String,
        /// Output as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Rows per table of a PostgreSQL store (`--database`); for a sharded
    /// store, per node: the coordinator and each shard.
    Stats {
        /// Output as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Sharded stores: one coordinator (small reference tables) and shards
    /// holding the large tables hashed on their distribution column
    /// (docs/deployment.md).
    #[command(subcommand)]
    Shard(crate::shard_cmd::ShardCommand),
}

/// What a store holds of a set of sources: counts and a checksum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contents {
    pub kb_sources: usize,
    pub entities: usize,
    pub relations: usize,
    pub intel_sources: usize,
    pub intel_records: usize,
    /// SHA-256 over the sorted JSON lines of sources (without import
    /// times), entities, relations (in their per-source order) and records.
    pub sha256: String,
}

/// Every record of one intelligence source, through the trait: the
/// source's exact keys looked up, the hits of that source kept once.
fn intel_of_source(s: &Database, source: &str) -> Result<Vec<IntelRecord>> {
    let mut keys = s.intel_source_exact_keys(source)?;
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for (k, r) in s.intel_lookup(&keys)? {
        if r.source == source && r.keys.first() == Some(&k) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Intelligence sources with their records.
type IntelBySource = Vec<(IntelSourceInfo, Vec<IntelRecord>)>;

/// The facts and records of the given sources (all when `None`).
fn read_all(
    s: &Database,
    kb_only: Option<&[String]>,
    intel_only: Option<&[String]>,
) -> Result<(KbFacts, IntelBySource)> {
    let mut facts = s.load_kb_facts()?;
    if let Some(keep) = kb_only {
        facts.sources.retain(|x| keep.contains(&x.key));
        facts.entities.retain(|x| keep.contains(&x.source));
        facts.relations.retain(|x| keep.contains(&x.source));
    }
    let mut intel = Vec::new();
    for src in s.intel_sources()? {
        if intel_only.is_some_and(|k| !k.contains(&src.source)) {
            continue;
        }
        let recs = intel_of_source(s, &src.source)?;
        intel.push((src, recs));
    }
    Ok((facts, intel))
}

fn contents(facts: &KbFacts, intel: &[(IntelSourceInfo, Vec<IntelRecord>)]) -> Result<Contents> {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<String> = Vec::new();
    for x in &facts.sources {
        lines.push(format!("S{}", serde_json::to_string(x)?));
    }
    for x in &facts.entities {
        lines.push(format!("E{}", serde_json::to_string(x)?));
    }
    // relations keep their order within a source
    let mut seq: HashMap<&str, usize> = HashMap::new();
    for x in &facts.relations {
        let n = seq.entry(x.source.as_str()).or_insert(0);
        lines.push(format!(
            "R{}\t{n:09}\t{}",
            x.source,
            serde_json::to_string(x)?
        ));
        *n += 1;
    }
    let mut records = 0;
    for (src, recs) in intel {
        lines.push(format!("I{}\t{}\t{}", src.source, src.origin, recs.len()));
        for r in recs {
            lines.push(format!("X{}", serde_json::to_string(r)?));
        }
        records += recs.len();
    }
    lines.sort_unstable();
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    let sha256 = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Contents {
        kb_sources: facts.sources.len(),
        entities: facts.entities.len(),
        relations: facts.relations.len(),
        intel_sources: intel.len(),
        intel_records: records,
        sha256,
    })
}

/// Copy everything from `from` to `to` and verify; returns both sides'
/// contents (equal when the copy is verified).
pub fn copy_store(from: &str, to: &str) -> Result<(Contents, Contents)> {
    if !(from.starts_with("postgres://") || from.starts_with("postgresql://")) {
        // opening an embedded store creates it: a mistyped source would be
        // copied as an empty store and reported as verified
        let path = Path::new(from.strip_prefix("sqlite:").unwrap_or(from));
        if !path.exists() && !ascribe_pipeline::code::index_dir(path).is_dir() {
            return Err(crate::exit(
                1,
                format!(
                    "no store at {} (nor a code index at {}): nothing to copy; check the path",
                    path.display(),
                    ascribe_pipeline::code::index_dir(path).display()
                ),
            ));
        }
    }
    let src = open_named(from)?;
    let (facts, intel) = read_all(&src, None, None)?;
    let before = contents(&facts, &intel)?;
    drop(src);
    let mut dst = open_named(to)?;
    dst.put_kb_facts(&facts)?;
    // one batch per origin, as they were imported
    let mut by_origin: Vec<(String, Vec<IntelRecord>)> = Vec::new();
    for (info, recs) in &intel {
        match by_origin.iter_mut().find(|(o, _)| *o == info.origin) {
            Some((_, v)) => v.extend(recs.iter().cloned()),
            None => by_origin.push((info.origin.clone(), recs.clone())),
        }
    }
    for (origin, recs) in &by_origin {
        dst.put_intel(origin, recs)?;
    }
    dst.rebuild_intel_index()?;
    let kb_keys: Vec<String> = facts.sources.iter().map(|x| x.key.clone()).collect();
    let intel_keys: Vec<String> = intel.iter().map(|(i, _)| i.source.clone()).collect();
    let (f2, i2) = read_all(&dst, Some(&kb_keys), Some(&intel_keys))?;
    let after = contents(&f2, &i2)?;
    Ok((before, after))
}

/// A code index on either side of `store copy` (two a run: their size does not matter).
#[allow(clippy::large_enum_variant)]
enum CodeSide {
    Disk(ascribe_code::DiskStore),
    #[cfg(feature = "postgres")]
    Pg(ascribe_store_pg::AnyCodeStore),
}

impl CodeSide {
    fn store(&self) -> &dyn ascribe_code::CodeIndexStore {
        match self {
            CodeSide::Disk(s) => s,
            #[cfg(feature = "postgres")]
            CodeSide::Pg(s) => s,
        }
    }
    fn store_mut(&mut self) -> &mut dyn ascribe_code::CodeIndexStore {
        match self {
            CodeSide::Disk(s) => s,
            #[cfg(feature = "postgres")]
            CodeSide::Pg(s) => s,
        }
    }
}

/// The code index of a store named as in `store copy`: `<path>.code/` beside
/// an embedded store, the code tables of a PostgreSQL database. `None` when
/// reading and there is none (no directory, no sample).
fn open_code(name: &str, write: bool) -> Result<Option<CodeSide>> {
    use anyhow::Context;
    if name.starts_with("postgres://") || name.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        {
            use ascribe_code::CodeIndexStore;
            let shown = ascribe_store_pg::redact_url(name);
            let s = ascribe_store_pg::open_code(name, !write, false)
                .with_context(|| format!("opening the code index in {shown}"))?;
            if !write && s.counts()?.samples == 0 {
                return Ok(None);
            }
            return Ok(Some(CodeSide::Pg(s)));
        }
        #[cfg(not(feature = "postgres"))]
        return open_postgres(name).map(|_| None);
    }
    let path = name.strip_prefix("sqlite:").unwrap_or(name);
    let dir = ascribe_pipeline::code::index_dir(Path::new(path));
    let s = if write {
        ascribe_code::DiskStore::open(&dir)
    } else if dir.is_dir() {
        ascribe_code::DiskStore::open_read_only(&dir)
    } else {
        return Ok(None);
    }
    .with_context(|| format!("opening the code index {}", dir.display()))?;
    Ok(Some(CodeSide::Disk(s)))
}

/// What `store copy` did with the code index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeCopy {
    /// Samples written, and those the target held already.
    pub added: u64,
    pub present: u64,
    /// The source index, and the same samples in the target.
    pub from: ascribe_code::IndexDigest,
    pub to: ascribe_code::IndexDigest,
    /// Counts and checksum agree (postings compared when the target's
    /// index was empty before the copy, which is when they can be).
    pub verified: bool,
}

/// Copies the code index of `from` (if it has one) into `to`'s.
pub fn copy_code(from: &str, to: &str) -> Result<Option<CodeCopy>> {
    let Some(src) = open_code(from, false)? else {
        return Ok(None);
    };
    let before = ascribe_code::digest(src.store())?;
    let mut dst = open_code(to, true)?.expect("opened for writing");
    let was_empty = dst.store().counts()?.samples == 0;
    #[cfg(feature = "postgres")]
    if let CodeSide::Pg(p) = &mut dst {
        // bulk: one transaction (one COPY of functions, one of posting blocks) per batch
        p.set_batch_functions(250_000);
    }
    let sum = ascribe_code::copy_index(src.store(), dst.store_mut(), 256, &mut |_, _| {})?;
    match &mut dst {
        CodeSide::Disk(d) => d.compact()?,
        #[cfg(feature = "postgres")]
        CodeSide::Pg(p) => {
            p.compact()?;
        }
    }
    let after = if was_empty {
        ascribe_code::digest(dst.store())?
    } else {
        let shas: std::collections::HashSet<String> = {
            let s = src.store();
            (0..s.counts()?.samples)
                .map(|i| s.sample(i as ascribe_code::SampleId).map(|r| r.sha256))
                .collect::<Result<_, _>>()?
        };
        ascribe_code::digest_where(dst.store(), &|r| shas.contains(&r.sha256))?
    };
    let verified = after.sha256 == before.sha256
        && after.counts.samples == before.counts.samples
        && after.counts.functions == before.counts.functions
        && (!was_empty || after.counts.postings == before.counts.postings);
    Ok(Some(CodeCopy {
        added: sum.added,
        present: sum.present,
        from: before,
        to: after,
        verified,
    }))
}

/// `ascribe store …`
pub fn run(cmd: StoreCommand) -> Result<String> {
    match cmd {
        StoreCommand::Stats { json } => crate::shard_cmd::stats(json),
        StoreCommand::Shard(c) => crate::shard_cmd::run(c),
        StoreCommand::Copy { from, to, json } => {
            let (before, after) = copy_store(&from, &to)?;
            let code = copy_code(&from, &to)?;
            let ok = before == after && code.as_ref().is_none_or(|c| c.verified);
            let o = if json {
                serde_json::to_string_pretty(&serde_json::json!({
                    "from": before, "to": after, "code": code, "verified": ok,
                }))? + "\n"
            } else {
                let code_text = match &code {
                    None => "no code index to copy\n".to_string(),
                    Some(c) => format!(
                        "code index: {} sample(s) copied, {} already present; source {} samples, {} functions, {} postings\nsha256 {} (source code index)\nsha256 {} (target code index)\n",
                        c.added,
                        c.present,
                        c.from.counts.samples,
                        c.from.counts.functions,
                        c.from.counts.postings,
                        c.from.sha256,
                        c.to.sha256
                    ),
                };
                code_text + &format!(
                    "copied {} KB source(s) ({} entities, {} relations) and {} intel source(s) ({} records)\nsha256 {} (source)\nsha256 {} (target)\n{}\n",
                    before.kb_sources,
                    before.entities,
                    before.relations,
                    before.intel_sources,
                    before.intel_records,
                    before.sha256,
                    after.sha256,
                    if ok { "verified: counts and checksums agree" } else { "NOT verified: the target differs" }
                )
            };
            if !ok {
                eprint!("{o}");
                return Err(crate::exit(
                    1,
                    "the copy differs from its source (counts or checksum)",
                ));
            }
            Ok(o)
        }
    }
}
