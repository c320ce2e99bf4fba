//! `ascribe kb …`

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
    /// Import STIX 2.1 bundles, MISP galaxy clusters or the ATT&CK revoked list.
    ///
    /// The format is recognised from the content. Re-importing a document
    /// replaces what the same source imported before.
    Import {
        /// Files to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
        #[arg(long)]
        json: bool,
    },
    /// Counts of what the knowledge base holds, and its sources.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Show an actor: aliases, country, techniques, software, campaigns.
    Actor {
        /// Name, alias or id (case- and punctuation-insensitive).
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Replace the stored knowledge base with the embedded default.
    Reset,
}

pub fn run(store: Option<&Path>, cmd: KbCommand) -> Result<String> {
    let mut o = String::new();
    match cmd {
        KbCommand::Import { files, json } => {
            let mut s = open_store(store)?;
            let mut reports = Vec::new();
            for f in &files {
                let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
                let imp = import::import_bytes(&bytes, &f.display().to_string())?;
                let sum = s.put_kb_facts(&imp.facts)?;
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
            }
            Ok(o)
        }
        KbCommand::Update { url, timeout, json } => {
            let bytes = download(&url, timeout)?;
            let mut s = open_store(store)?;
            let imp = import::import_bytes(&bytes, &url)?;
            let sum = s.put_kb_facts(&imp.facts)?;
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
            let _ = writeln!(o, "store: {}", s.path().display());
            let _ = writeln!(o, "sources:");
            for src in &st.sources {
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
            Ok(o)
        }
        KbCommand::Actor { name, json } => {
            let s = open_store(store)?;
            let kb = load_kb(&s)?;
            actor(&kb, &name, json)
        }
        KbCommand::Reset => {
            let path = store_path(store)?;
            let mut s = SqliteStore::open(&path)?;
            s.clear_kb()?;
            drop(s);
            let s = open_store(store)?;
            let _ = writeln!(
                o,
                "knowledge base reset to the embedded default in {}",
                s.path().display()
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

fn actor(kb: &KnowledgeBase, name: &str, json: bool) -> Result<String> {
    let mut o = String::new();
    let idx = match kb.resolve_actor(name) {
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
    if let Some(c) = &a.country {
        let _ = writeln!(o, "country:    {c}");
    }
    if let Some(s) = &a.sponsor {
        let _ = writeln!(o, "sponsor:    {s}");
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
                .map(|f| format!("(first seen {})", &f[..f.len().min(10)]))
                .unwrap_or_default()
        );
    }
    Ok(o)
}
