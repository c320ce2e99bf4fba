//! `ascribe kb …`

use crate::database::Database;
use crate::{exit, load_kb, open_store, store_path};
use anyhow::{Context, Result};
use ascribe_kb::{import, KnowledgeBase, Resolution};
use ascribe_store::{SqliteStore, Store};
use clap::Subcommand;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The official ATT&CK Enterprise STIX 2.1 bundle.
pub const ATTACK_URL: &str =
    "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json";

#[derive(Subcommand)]
pub enum KbCommand {
    /// Import STIX 2.1 bundles, MISP galaxy clusters, MISP event exports or
    /// the ATT&CK revoked list.
    ///
    /// The format is recognised from the content. Re-importing a document
    /// replaces what the same source imported before. A directory imports
    /// every `.json` file below it; a file there that cannot be imported is
    /// reported and skipped.
    ///
    /// An import that holds nothing (no entity, no relation), or that would
    /// remove more than 10 % of the entities a source already holds, is
    /// refused (exit 6, naming the source and what would be removed) unless
    /// `--replace` is given. Duplicate uuids in a MISP cluster are reported;
    /// the first value is kept.
    Import {
        /// Files or directories to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Allow an import that is empty or removes more than 10 % of a
        /// source's entities.
        #[arg(long)]
        replace: bool,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Download the official ATT&CK Enterprise STIX bundle and re-import it.
    Update {
        /// Where to download from.
        #[arg(long, default_value = ATTACK_URL)]
        url: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Allow a download that is empty or removes more than 10 % of the
        /// stored ATT&CK entities.
        #[arg(long)]
        replace: bool,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Counts of what the knowledge base holds, and its sources.
    Stats {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show an actor (aliases, state, country, victims, techniques, software,
    /// campaigns) or a state organisation ("GRU", "Unit 74455", "MSS") with
    /// its state and the groups tied to it.
    Actor {
        /// Name, alias or id (case- and punctuation-insensitive).
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Replace the stored knowledge base with the embedded default.
    ///
    /// Without options every source goes, user imports included. With
    /// `--defaults-only` only the embedded default sources are restored and
    /// the sources you imported are kept. With `--force` the store file is
    /// deleted and recreated (for a store that cannot be opened).
    Reset {
        /// Restore the embedded default sources, keep user-imported sources.
        #[arg(long, conflicts_with = "force")]
        defaults_only: bool,
        /// Delete the store file (also one that is corrupted or not an
        /// ascribe store) and recreate it with the embedded default.
        #[arg(long)]
        force: bool,
    },
}

/// The share of a source's stored entities an import may remove without
/// `--replace`.
pub const MAX_REMOVED_SHARE: f64 = 0.10;

/// Exit code of an import refused because it is empty or would remove too
/// much of a source.
pub const EXIT_REFUSED: u8 = 6;

/// Sources stored under a key without the document's identity (a store
/// filled before MISP cluster keys carried the cluster uuid) that the
/// import supersedes: same family, and most of their entities are in it.
fn superseded(s: &Database, imp: &import::Imported) -> Result<Vec<String>> {
    let new: std::collections::HashSet<&str> =
        imp.facts.entities.iter().map(|e| e.id.as_str()).collect();
    let mut out = Vec::new();
    for src in &imp.facts.sources {
        let family = import::source_family(&src.key);
        if family == src.key {
            continue;
        }
        let old = s.kb_source_entity_ids(family)?;
        let kept = old.iter().filter(|id| new.contains(id.as_str())).count();
        if !old.is_empty() && kept * 2 >= old.len() {
            out.push(family.to_string());
        }
    }
    Ok(out)
}

/// Why an import into `s` must be refused without `--replace`, if it must.
fn refusal(s: &Database, origin: &str, imp: &import::Imported) -> Result<Option<String>> {
    let new: std::collections::HashSet<&str> =
        imp.facts.entities.iter().map(|e| e.id.as_str()).collect();
    let mut why = Vec::new();
    for src in &imp.facts.sources {
        let old = s.kb_source_entity_ids(&src.key)?;
        let removed = old.iter().filter(|id| !new.contains(id.as_str())).count();
        if new.is_empty() && imp.facts.relations.is_empty() {
            why.push(if old.is_empty() {
                format!(
                    "{origin} holds nothing to import as {} ({})",
                    src.key, src.name
                )
            } else {
                format!(
                    "{origin} holds nothing to import; importing it would remove all {} entities of {} ({})",
                    old.len(),
                    src.key,
                    src.name
                )
            });
        } else if removed > 0 && removed as f64 > MAX_REMOVED_SHARE * old.len() as f64 {
            why.push(format!(
                "importing {origin} would remove {removed} of the {} entities of {} ({}) and keep {}",
                old.len(),
                src.key,
                src.name,
                old.len() - removed
            ));
        }
    }
    Ok((!why.is_empty()).then(|| {
        format!(
            "{}; refused: pass --replace to import it anyway (an import may remove at most {} % of a source without it)",
            why.join("; "),
            (MAX_REMOVED_SHARE * 100.0).round()
        )
    }))
}

pub fn run(store: Option<&Path>, cmd: KbCommand) -> Result<String> {
    let mut o = String::new();
    match cmd {
        KbCommand::Import {
            files,
            replace,
            json,
        } => {
            let mut s = open_store(store)?;
            let mut reports = Vec::new();
            // (path, found in a directory)
            let mut list: Vec<(PathBuf, bool)> = Vec::new();
            for f in &files {
                if f.is_dir() {
                    let rel = f.display().to_string();
                    for p in import::json_files_below(f, &rel)? {
                        list.push((PathBuf::from(p), true));
                    }
                } else {
                    list.push((f.clone(), false));
                }
            }
            let mut failed = 0usize;
            let mut refused = Vec::new();
            for (f, in_dir) in &list {
                let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
                let imp = match import::import_bytes(&bytes, &f.display().to_string()) {
                    Ok(i) => i,
                    Err(e) if *in_dir => {
                        // inside a directory: report and go on
                        failed += 1;
                        eprintln!("ascribe: skipped {e}");
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                };
                for w in imp
                    .report
                    .warnings
                    .iter()
                    .filter(|w| w.starts_with("duplicate uuid"))
                {
                    eprintln!("ascribe: {}: {w}", f.display());
                }
                if !replace {
                    if let Some(why) = refusal(&s, &f.display().to_string(), &imp)? {
                        eprintln!("ascribe: {why}");
                        refused.push(f.display().to_string());
                        continue;
                    }
                }
                let legacy = superseded(&s, &imp)?;
                let mut sum = s.put_kb_facts(&imp.facts)?;
                sum.replaced_entities += s.remove_kb_sources(&legacy)?;
                if !json {
                    print_report(
                        &mut o,
                        &f.display().to_string(),
                        &imp.report,
                        sum.replaced_entities,
                    );
                }
                reports.push(imp.report);
            }
            if json {
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(&reports)?);
            } else if failed > 0 {
                let _ = writeln!(
                    o,
                    "{failed} file(s) could not be imported (listed on stderr)"
                );
            }
            if !refused.is_empty() {
                // what was imported is reported before the refusal
                crate::emit(&o)?;
                return Err(exit(
                    EXIT_REFUSED,
                    format!(
                        "{} file(s) not imported because they would wipe a source: {} (reasons above; pass --replace to import anyway)",
                        refused.len(),
                        refused.join(", ")
                    ),
                ));
            }
            if failed > 0 {
                // as `intel import`: 7 when some files of a directory failed,
                // 1 when none could be imported
                crate::emit(&o)?;
                return Err(exit(
                    crate::batch_exit_code(failed, failed + reports.len()),
                    format!(
                        "{failed} of {} file(s) could not be imported (listed above)",
                        failed + reports.len()
                    ),
                ));
            }
            Ok(o)
        }
        KbCommand::Update {
            url,
            timeout,
            replace,
            json,
        } => {
            let bytes = download(&url, timeout)?;
            let mut s = open_store(store)?;
            let imp = import::import_bytes(&bytes, &url)?;
            if !replace {
                if let Some(why) = refusal(&s, &url, &imp)? {
                    return Err(exit(EXIT_REFUSED, why));
                }
            }
            let legacy = superseded(&s, &imp)?;
            let mut sum = s.put_kb_facts(&imp.facts)?;
            sum.replaced_entities += s.remove_kb_sources(&legacy)?;
            if json {
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(&imp.report)?);
            } else {
                print_report(&mut o, &url, &imp.report, sum.replaced_entities);
            }
            Ok(o)
        }
        KbCommand::Stats { json } => {
            let s = open_store(store)?;
            let kb = load_kb(&s)?;
            let st = kb.stats();
            if json {
                let _ = writeln!(o, "{}", serde_json::to_string_pretty(st)?);
                return Ok(o);
            }
            let _ = writeln!(o, "store: {}", s.location());
            let _ = writeln!(o, "sources:");
            let events = st
                .sources
                .iter()
                .filter(|s| s.key.starts_with("misp-event:"))
                .count();
            if events > 0 {
                let _ = writeln!(
                    o,
                    "  {:<28} {events} MISP event exports (--json lists them)",
                    "misp-event:*"
                );
            }
            for src in st
                .sources
                .iter()
                .filter(|s| !s.key.starts_with("misp-event:"))
            {
                let _ = writeln!(
                    o,
                    "  {:<28} {}{}",
                    src.key,
                    src.name,
                    src.version
                        .as_deref()
                        .map(|v| format!(" (version {v})"))
                        .unwrap_or_default()
                );
            }
            let _ = writeln!(o, "facts:");
            for (k, v) in &st.entities {
                let _ = writeln!(o, "  {k:<28} {v}");
            }
            for (k, v) in &st.relations {
                let _ = writeln!(o, "  relation {k:<19} {v}");
            }
            let _ = writeln!(o, "built:");
            let _ = writeln!(o, "  actors                       {} ({} ATT&CK groups, {} of them merged with MISP actors)", st.actors, st.actors_with_attack_id, st.actors_merged_with_misp);
            let _ = writeln!(o, "  techniques                   {}", st.techniques);
            let _ = writeln!(o, "  software                     {}", st.software);
            let _ = writeln!(o, "  known infrastructure         {}", st.infrastructure);
            let _ = writeln!(o, "  ambiguous aliases            {}", st.ambiguous_aliases);
            let _ = writeln!(
                o,
                "  MISP actors left unmerged    {} (they matched several ATT&CK groups)",
                st.misp_actors_not_merged_ambiguous
            );
            let _ = writeln!(o, "  actors with a state          {}", st.actors_with_state);
            let _ = writeln!(
                o,
                "  state organisations          {} ({} tied to actors)",
                st.state_orgs, st.state_orgs_with_actors
            );
            let _ = writeln!(
                o,
                "  software used by an actor    {}",
                st.software_with_actor
            );
            for (k, v) in &st.software_links_by_source {
                let _ = writeln!(o, "    links from {k:<24} {v}");
            }
            if st.name_links_unresolved > 0 {
                let _ = writeln!(
                    o,
                    "    event links not resolved   {} (actor or family name unknown)",
                    st.name_links_unresolved
                );
            }
            let _ = writeln!(
                o,
                "conflicts between sources about an actor's country: {}",
                st.conflicts.len()
            );
            for c in &st.conflicts {
                let _ = writeln!(
                    o,
                    "  {} {}: {} ({})",
                    c.actor,
                    c.name,
                    c.chosen.as_deref().unwrap_or("undecided"),
                    c.rule
                );
                for cl in &c.claims {
                    let _ = writeln!(
                        o,
                        "      {} says {} [{}{}]",
                        cl.from,
                        cl.country,
                        cl.basis.as_str(),
                        if cl.sponsor_agrees {
                            ", sponsor agrees"
                        } else {
                            ""
                        }
                    );
                }
                for m in &c.merges_rejected {
                    let _ = writeln!(o, "      not merged: {m}");
                }
            }
            Ok(o)
        }
        KbCommand::Actor { name, json } => {
            let s = open_store(store)?;
            let kb = load_kb(&s)?;
            actor(&kb, &name, json)
        }
        KbCommand::Reset {
            defaults_only,
            force,
        } => {
            let path = store_path(store)?;
            if force && crate::database::database_url().is_none() {
                if path.is_dir() {
                    return Err(exit(
                        1,
                        format!(
                            "{} is a directory, not a store file; pass --store with a file path",
                            path.display()
                        ),
                    ));
                }
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let p = PathBuf::from(p);
                    match std::fs::remove_file(&p) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(exit(1, format!("cannot remove {}: {e}", p.display())))
                        }
                    }
                }
                let s = open_store(store)?;
                let _ = writeln!(
                    o,
                    "store {} recreated with the embedded default knowledge base",
                    s.location()
                );
                return Ok(o);
            }
            let mut s = match crate::database::database_url() {
                Some(url) => crate::database::open_postgres(url)?,
                None => Database::Sqlite(SqliteStore::open(&path)?),
            };
            if defaults_only {
                let facts = ascribe_kb::embedded::default_facts()?;
                // the default sources, and the same sources stored under the
                // keys of an older ascribe (`misp-galaxy:<type>` without the
                // cluster uuid)
                let keys: Vec<String> = facts
                    .sources
                    .iter()
                    .flat_map(|x| {
                        let family = import::source_family(&x.key);
                        [x.key.clone(), family.to_string()]
                    })
                    .collect();
                let kept: Vec<String> = s
                    .kb_sources()?
                    .into_iter()
                    .map(|x| x.key)
                    .filter(|k| !keys.contains(k))
                    .collect();
                s.remove_kb_sources(&keys)?;
                s.put_kb_facts(&facts)?;
                let _ = writeln!(
                    o,
                    "default sources restored from the embedded knowledge base in {} ({} user source(s) kept{}{})",
                    s.location(),
                    kept.len(),
                    if kept.is_empty() { "" } else { ": " },
                    kept.join(", ")
                );
                return Ok(o);
            }
            s.clear_kb()?;
            drop(s);
            let s = open_store(store)?;
            let _ = writeln!(
                o,
                "knowledge base reset to the embedded default in {}",
                s.location()
            );
            Ok(o)
        }
    }
}

fn print_report(o: &mut String, origin: &str, r: &import::ImportReport, replaced: usize) {
    let _ = writeln!(
        o,
        "imported {origin} as {} ({:?})",
        r.source_key,
        r.format.map(|f| format!("{f:?}")).unwrap_or_default()
    );
    for (k, v) in &r.entities {
        let _ = writeln!(o, "  {k:<28} {v}");
    }
    for (k, v) in &r.relations {
        let _ = writeln!(o, "  relation {k:<19} {v}");
    }
    for (k, v) in &r.skipped {
        let _ = writeln!(o, "  skipped {k:<20} {v}");
    }
    if replaced > 0 {
        let _ = writeln!(
            o,
            "  replaced {replaced} entities from an earlier import of the same source"
        );
    }
    for w in &r.warnings {
        let _ = writeln!(o, "  warning: {w}");
    }
}

fn download(url: &str, timeout: u64) -> Result<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(timeout)))
        .http_status_as_error(true)
        .build()
        .into();
    eprintln!("ascribe: downloading {url}");
    let mut resp = agent
        .get(url)
        .call()
        .map_err(|e| exit(1, format!("cannot download {url}: {e}; check the network or pass --url with a mirror or a local copy served over HTTP")))?;
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(import::MAX_IMPORT_BYTES as u64)
        .read_to_vec()
        .map_err(|e| exit(1, format!("download of {url} failed: {e}")))?;
    eprintln!("ascribe: received {} bytes", bytes.len());
    Ok(bytes)
}

fn state_org(kb: &KnowledgeBase, org: &ascribe_kb::StateOrg, json: bool) -> Result<String> {
    let mut o = String::new();
    let state = ascribe_kb::countries::find_country(&org.country)
        .map(|c| format!("{} ({})", c.name, c.iso2))
        .unwrap_or_else(|| org.country.clone());
    if json {
        let v = serde_json::json!({
            "state_org": org,
            "state": org.country,
            "groups": org.actors.iter().map(|&i| serde_json::json!({"id": kb.actors[i].id, "name": kb.actors[i].name})).collect::<Vec<_>>(),
        });
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&v)?);
        return Ok(o);
    }
    let _ = writeln!(o, "state organisation: {}", org.name);
    let _ = writeln!(o, "state:      {state}");
    if let Some(p) = org
        .parent
        .as_deref()
        .and_then(|p| kb.state_orgs.iter().find(|x| x.key == p))
    {
        let _ = writeln!(o, "part of:    {}", p.name);
    }
    let _ = writeln!(o, "names:      {}", org.aliases.join(", "));
    let _ = writeln!(o, "groups publicly tied to it ({}):", org.actors.len());
    for &i in &org.actors {
        let a = &kb.actors[i];
        let _ = writeln!(o, "  {:<10} {}", a.id, a.name);
    }
    Ok(o)
}

fn actor(kb: &KnowledgeBase, name: &str, json: bool) -> Result<String> {
    let mut o = String::new();
    let resolved = kb.resolve_actor(name);
    // A state organisation's name wins over an actor's alias ("Unit 121"
    // is listed as a Lazarus alias), not over an actor's id or own name.
    if let Some(org) = kb.resolve_state_org(name) {
        let strong = matches!(
            resolved,
            Resolution::Found {
                tier: ascribe_kb::MatchTier::Id | ascribe_kb::MatchTier::Name,
                ..
            }
        );
        if !strong {
            return state_org(kb, &org, json);
        }
    }
    let idx = match resolved {
        Resolution::Found { index, .. } => index,
        Resolution::Ambiguous { candidates, tier } => {
            let list = candidates
                .iter()
                .map(|&i| format!("  {} = {}", kb.actors[i].id, kb.actors[i].name))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(exit(
                4,
                format!(
                    "'{name}' is ambiguous ({tier:?} of several actors); ask for one of:\n{list}"
                ),
            ));
        }
        Resolution::NotFound => {
            return Err(exit(
                4,
                format!("no actor named '{name}' in the knowledge base"),
            ))
        }
    };
    let a = &kb.actors[idx];
    let p = kb.profile(idx);
    let techs: Vec<&ascribe_kb::Technique> = kb
        .actor_techniques(idx)
        .into_iter()
        .map(|t| &kb.techniques[t])
        .collect();
    let soft: Vec<&ascribe_kb::Software> = kb
        .actor_software(idx)
        .into_iter()
        .map(|s| &kb.software[s])
        .collect();
    if json {
        let v = serde_json::json!({
            "actor": a,
            "techniques": techs.iter().map(|t| serde_json::json!({"id": t.attack_id, "name": t.name})).collect::<Vec<_>>(),
            "software": soft.iter().map(|s| serde_json::json!({"id": s.id, "name": s.name, "kind": s.kind})).collect::<Vec<_>>(),
            "campaigns": p.campaigns.iter().map(|(n, id, first)| serde_json::json!({"name": n, "id": id, "first_seen": first})).collect::<Vec<_>>(),
        });
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&v)?);
        return Ok(o);
    }
    let _ = writeln!(o, "{} — {}", a.id, a.name);
    match (&a.state, &a.country) {
        (Some(s), _) => {
            let _ = writeln!(
                o,
                "state:      {s} ({})",
                a.state_basis.map(|b| b.as_str()).unwrap_or("-")
            );
        }
        (None, Some(c)) => {
            let _ = writeln!(o, "country:    {c} (no state held responsible: criminal)");
        }
        (None, None) => {}
    }
    if let Some(s) = &a.sponsor {
        let _ = writeln!(o, "sponsor:    {s}");
    }
    if !a.state_orgs.is_empty() {
        let _ = writeln!(o, "state orgs: {}", a.state_orgs.join("; "));
    }
    if !a.victim_countries.is_empty() {
        let _ = writeln!(o, "victims:    {}", a.victim_countries.join(", "));
    }
    if !a.target_categories.is_empty() {
        let _ = writeln!(o, "targets:    {}", a.target_categories.join(", "));
    }
    if !a.incident_types.is_empty() {
        let _ = writeln!(o, "incidents:  {}", a.incident_types.join(", "));
    }
    if let Some(c) = kb.stats().conflicts.iter().find(|c| c.actor == a.id) {
        let _ = writeln!(
            o,
            "conflict:   sources disagree about the country; {} ({}){}",
            c.chosen.as_deref().unwrap_or("undecided"),
            c.rule,
            if c.merges_rejected.is_empty() {
                String::new()
            } else {
                format!("; not merged: {}", c.merges_rejected.join(", "))
            }
        );
    }
    let _ = writeln!(o, "sources:    {}", a.sources.join(", "));
    let _ = writeln!(o, "aliases:    {}", a.aliases.join(", "));
    let _ = writeln!(o, "techniques ({}):", techs.len());
    for t in &techs {
        let _ = writeln!(o, "  {:<10} {}", t.attack_id, t.name);
    }
    let _ = writeln!(o, "software ({}):", soft.len());
    for s in &soft {
        let _ = writeln!(o, "  {:<10} {}", s.id, s.name);
    }
    let _ = writeln!(o, "campaigns ({}):", p.campaigns.len());
    for (n, id, first) in &p.campaigns {
        let _ = writeln!(
            o,
            "  {:<10} {} {}",
            id.as_deref().unwrap_or("-"),
            n,
            first
                .as_deref()
                .map(|f| format!("(first seen {})", f.chars().take(10).collect::<String>()))
                .unwrap_or_default()
        );
    }
    Ok(o)
}
