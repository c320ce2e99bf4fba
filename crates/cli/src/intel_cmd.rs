//! `ascribe intel`: import threat-intelligence files (MISP, STIX, IOC
//! lists) into the indicator store, look values up, list and remove sources.

use crate::database::Database;
use crate::exit;
use anyhow::{Context, Result};
use ascribe_intel::{ImportOptions, ImportedSource};
use ascribe_store::{IntelStore, SqliteStore};
use clap::Subcommand;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The share of a source's records an import may remove without `--replace`.
pub const MAX_REMOVED_SHARE: f64 = 0.10;
const EXIT_REFUSED: u8 = 6;
const EXIT_INVALID: u8 = 3;
const EXIT_UNKNOWN: u8 = 4;

#[derive(Subcommand)]
pub enum IntelCommand {
    /// Import MISP events (`{"Event":…}`, `{"response":[…]}` exports, feed
    /// directories with manifest.json), STIX 2.0/2.1 bundles, or plain/CSV
    /// IOC lists; the format is recognised from the content.
    ///
    /// Each event, bundle or list is a source (`misp-event:<uuid>`,
    /// `stix:<bundle id>`, `ioc-list:<sha256>`); re-importing it replaces
    /// its records. A directory imports its `.json`, `.csv`, `.txt`, `.tsv`
    /// and `.ioc` files. A file that cannot be read is reported and the
    /// others are imported (exit 7). An import that would replace a source
    /// with nothing, or remove more than 10 % of its records, is refused
    /// (exit 6) unless `--replace`.
    Import {
        /// Files or directories.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Attribute every record to this actor (replaces what the files
        /// say; for IOC lists and events attributed only by their folder or
        /// title).
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
        /// Publication date (YYYY-MM-DD) of sources that carry none (IOC lists).
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// When an event names no actor, take the name of its folder as the
        /// publisher's attribution (the `events/<actor>/` layout of ESET's
        /// malware-ioc repository).
        #[arg(long)]
        folder_actor: bool,
        /// Allow an import that empties a source or removes more than 10 % of it.
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// What the store knows about values (IP, network, domain, URL, e-mail,
    /// hash, wallet): matching records with their actors, events, sources
    /// and dates, how they match, and how many actors share the value.
    Lookup {
        /// Values to look up (defanged forms such as `hxxp://` and `[.]` are accepted).
        #[arg(required = true)]
        values: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// On a sharded store, answer from the shards that are up when some
        /// are not (the output names the missing shards; their records are
        /// not in the answer). Without it an unreachable shard is an error.
        #[arg(long)]
        allow_partial: bool,
    },
    /// Counts of the indicator store and its sources.
    Stats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove sources (keys as listed by `intel stats`) and their records.
    Remove {
        /// Source keys, e.g. `misp-event:<uuid>`.
        #[arg(required = true)]
        sources: Vec<String>,
    },
}

fn open(store: Option<&Path>) -> Result<Database> {
    if let Some(url) = crate::database::database_url() {
        return crate::database::open_postgres(url);
    }
    let path = crate::store_path(store)?;
    SqliteStore::open(&path)
        .map(Database::Sqlite)
        .with_context(|| format!("opening the store {}", path.display()))
}

/// A `YYYY-MM-DD` day that exists (`2020-13-01` and `2020-02-30` do not).
fn valid_date(d: &str) -> bool {
    d.len() == 10
        && ascribe_core::PartialDate::parse(d)
            .is_some_and(|p| p.precision() == ascribe_core::DatePrecision::Day)
}

pub fn run(store: Option<&Path>, cmd: IntelCommand) -> Result<String> {
    match cmd {
        IntelCommand::Import {
            files,
            actor,
            date,
            folder_actor,
            replace,
            json,
        } => {
            if let Some(d) = &date {
                if !valid_date(d) {
                    return Err(exit(2, format!("--date {d:?}: expected YYYY-MM-DD")));
                }
            }
            let opts = ImportOptions {
                actor: actor
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
                date,
                actor_from_folder: folder_actor,
            };
            import(store, &files, &opts, replace, json)
        }
        IntelCommand::Lookup {
            values,
            json,
            allow_partial,
        } => {
            crate::database::set_allow_partial(allow_partial);
            lookup(store, &values, json)
        }
        IntelCommand::Stats { json } => stats(store, json),
        IntelCommand::Remove { sources } => {
            let mut s = open(store)?;
            let known: HashSet<String> = s.intel_sources()?.into_iter().map(|x| x.source).collect();
            let unknown: Vec<&String> = sources.iter().filter(|x| !known.contains(*x)).collect();
            if !unknown.is_empty() {
                return Err(exit(
                    EXIT_UNKNOWN,
                    format!(
                        "no such intelligence source: {} (`ascribe intel stats` lists them)",
                        unknown
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let n = s.remove_intel_sources(&sources)?;
            s.rebuild_intel_index()?;
            Ok(format!(
                "removed {} source(s), {n} record(s)\n",
                sources.len()
            ))
        }
    }
}

/// Why storing `src` must be refused without `--replace`, if it must.
fn refusal(s: &Database, origin: &str, src: &ImportedSource) -> Result<Option<String>> {
    let old = s.intel_source_exact_keys(&src.source)?;
    if old.is_empty() {
        return Ok(None);
    }
    let new: HashSet<&str> = src.records.iter().map(|r| r.keys[0].as_str()).collect();
    let removed = old.iter().filter(|k| !new.contains(k.as_str())).count();
    if src.records.is_empty() {
        return Ok(Some(format!(
            "{origin} holds no indicator for {}; importing it would remove all {} records of that source",
            src.source,
            old.len()
        )));
    }
    if removed > 0 && removed as f64 > MAX_REMOVED_SHARE * old.len() as f64 {
        return Ok(Some(format!(
            "importing {origin} would remove {removed} of the {} records of {} and keep {}",
            old.len(),
            src.source,
            old.len() - removed
        )));
    }
    Ok(None)
}

fn import(
    store: Option<&Path>,
    files: &[PathBuf],
    opts: &ImportOptions,
    replace: bool,
    json: bool,
) -> Result<String> {
    let mut s = open(store)?;
    let outcomes = ascribe_intel::import_paths(files, opts);
    let mut o = String::new();
    let (mut sources, mut failed, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_sources, mut n_records, mut n_files_ok) = (0usize, 0usize, 0usize);
    for out in outcomes {
        let origin = out.path.display().to_string();
        let srcs = match out.result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("ascribe: skipped {origin}: {e}");
                failed.push(json!({"path": origin, "error": e.to_string()}));
                continue;
            }
        };
        n_files_ok += 1;
        for src in srcs {
            if !replace {
                if let Some(why) = refusal(&s, &origin, &src)? {
                    eprintln!("ascribe: {why}; refused: pass --replace to import it anyway");
                    refused.push(json!({"path": origin, "source": src.source, "reason": why}));
                    continue;
                }
            }
            let sum = if src.records.is_empty() {
                // replaced by nothing (refused above unless --replace): the records an
                // earlier import of the source stored go
                ascribe_store::PutSummary {
                    replaced_entities: s.remove_intel_sources(std::slice::from_ref(&src.source))?,
                    ..Default::default()
                }
            } else {
                s.put_intel(&origin, &src.records)?
            };
            n_sources += 1;
            n_records += src.records.len();
            if !json {
                let _ = writeln!(
                    o,
                    "{}  {} records{}{}  {}{}",
                    src.source,
                    src.records.len(),
                    if sum.replaced_entities > 0 {
                        format!(" (replacing {})", sum.replaced_entities)
                    } else {
                        String::new()
                    },
                    if src.actors.is_empty() {
                        String::new()
                    } else {
                        format!("  actors: {}", src.actors.join(", "))
                    },
                    origin,
                    if src.records.is_empty() {
                        "  (no indicator: nothing stored)"
                    } else {
                        ""
                    }
                );
                if src.invalid_count > 0 {
                    let _ = writeln!(
                        o,
                        "  {} value(s) not valid for their type, e.g. {}",
                        src.invalid_count,
                        src.invalid.first().map(String::as_str).unwrap_or("?")
                    );
                }
            }
            sources.push(json!({
                "source": src.source,
                "format": src.format,
                "origin": origin,
                "title": src.title,
                "published": src.published,
                "actors": src.actors,
                "records": src.records.len(),
                "replaced": sum.replaced_entities,
                "dropped": src.dropped,
                "invalid": src.invalid_count,
                "warnings": src.warnings,
            }));
        }
    }
    s.rebuild_intel_index()?;
    if json {
        let _ = writeln!(
            o,
            "{}",
            serde_json::to_string_pretty(&json!({
                "sources": sources,
                "records": n_records,
                "failed": failed,
                "refused": refused,
            }))?
        );
    } else {
        let _ = writeln!(
            o,
            "imported {n_sources} source(s), {n_records} record(s) from {n_files_ok} file(s); {} file(s) failed, {} source(s) refused",
            failed.len(),
            refused.len()
        );
        for f in &failed {
            let _ = writeln!(
                o,
                "failed: {}: {}",
                f["path"].as_str().unwrap_or(""),
                f["error"].as_str().unwrap_or("")
            );
        }
    }
    if !refused.is_empty() {
        crate::emit(&o)?;
        return Err(exit(
            EXIT_REFUSED,
            format!(
                "{} source(s) not imported because the import would empty or shrink them (reasons above; pass --replace to import anyway)",
                refused.len()
            ),
        ));
    }
    if !failed.is_empty() {
        crate::emit(&o)?;
        return Err(exit(
            crate::batch_exit_code(failed.len(), failed.len() + n_files_ok),
            format!(
                "{} of {} file(s) could not be imported (listed above)",
                failed.len(),
                failed.len() + n_files_ok
            ),
        ));
    }
    Ok(o)
}

fn lookup(store: Option<&Path>, values: &[String], json_out: bool) -> Result<String> {
    let s = open(store)?;
    let found = ascribe_intel::lookup::lookup(&s, values)?;
    let bad = &found.not_indicators;
    if found.results.is_empty() {
        return Err(exit(
            EXIT_INVALID,
            format!(
                "not an indicator ascribe knows (IP, network, domain, URL, e-mail, MD5/SHA-1/SHA-256, wallet, JARM): {}",
                bad.join(", ")
            ),
        ));
    }
    let missing = s.missing_shards();
    if json_out {
        let mut v = serde_json::to_value(&found)?;
        if let (Some(o), false) = (v.as_object_mut(), missing.is_empty()) {
            o.insert("missing_shards".into(), json!(missing));
        }
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut out = String::new();
    for m in &missing {
        let _ = writeln!(
            out,
            "PARTIAL: {m} did not answer; records it holds are not in this answer"
        );
    }
    for v in &found.results {
        let (value, kind, norm, matches) = (&v.value, v.kind, &v.norm, &v.matches);
        let n_shared = v.actors_sharing_value;
        let actors: BTreeMap<&str, usize> = matches
            .iter()
            .flat_map(|m| m.record.actors.iter())
            .fold(BTreeMap::new(), |mut m, a| {
                *m.entry(a.as_str()).or_insert(0) += 1;
                m
            });
        let _ = writeln!(out, "{value} ({}, {norm})", kind.as_str());
        if matches.is_empty() {
            let _ = writeln!(out, "  not in the indicator store");
            continue;
        }
        let _ = writeln!(
            out,
            "  {} record(s); the exact value is tied to {n_shared} actor(s){}",
            matches.len(),
            if actors.is_empty() {
                String::new()
            } else {
                format!(
                    "; actors over all matches: {}",
                    actors
                        .iter()
                        .map(|(a, n)| format!("{a} ({n})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        for m in matches.iter().take(50) {
            let (mk, r) = (m.how, &m.record);
            let dates = [
                r.published.as_deref().map(|d| format!("published {d}")),
                r.first_seen.as_deref().map(|d| format!("first seen {d}")),
                r.last_seen.as_deref().map(|d| format!("last seen {d}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            let _ = writeln!(
                out,
                "  {mk:<24} {} {}  actors: {}  source: {}{}{}{}",
                r.kind.as_str(),
                r.value,
                if r.actors.is_empty() {
                    "-".into()
                } else {
                    r.actors.join(", ")
                },
                r.source,
                r.event_title
                    .as_deref()
                    .map(|t| format!("  event: {t}"))
                    .unwrap_or_default(),
                if dates.is_empty() {
                    String::new()
                } else {
                    format!("  ({dates})")
                },
                if r.to_ids { "  to_ids" } else { "" }
            );
        }
        if matches.len() > 50 {
            let _ = writeln!(out, "  … {} more (--json lists all)", matches.len() - 50);
        }
    }
    if !bad.is_empty() {
        let _ = writeln!(out, "not an indicator: {}", bad.join(", "));
    }
    Ok(out)
}

fn stats(store: Option<&Path>, json_out: bool) -> Result<String> {
    let s = open(store)?;
    let c = s.intel_counts()?;
    let srcs = s.intel_sources()?;
    if json_out {
        return Ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({"counts": c, "sources": srcs}))?
        ));
    }
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} source(s), {} record(s), {} match key(s), {} actor name(s); {}",
        c.sources,
        c.records,
        c.keys,
        c.actors,
        if s.sqlite().is_none() {
            "look-ups by the database's key index"
        } else if c.key_file_fresh {
            "key file current"
        } else {
            "key file absent or stale (look-ups use SQL)"
        }
    );
    for (k, n) in &c.by_kind {
        let _ = writeln!(o, "  {k:<10} {n}");
    }
    for src in &srcs {
        let _ = writeln!(o, "{}  {} records  {}", src.source, src.records, src.origin);
    }
    Ok(o)
}
