//! Benchmark cases from the official ATT&CK bundle, with their leakage rules.
//!
//! Two sets:
//!
//! * **campaigns** — every campaign with an `attributed-to` link. The case
//!   holds the campaign's techniques and software. The campaign leaves the
//!   knowledge base with all its links, and so does every *leaked* link
//!   (see [`leaked`]) of the true group's profile (its own links and those
//!   of its other campaigns) and of software-to-technique links.
//! * **reports** — "a new report about a known group": for every group and
//!   every report cited on at least [`MIN_REPORT_LINKS`] of the group's own
//!   `uses` links, the case holds those links' techniques and software; the
//!   links supported only by that report leave the group's profile (and
//!   software-to-technique links supported only by it leave the knowledge
//!   base: they would not exist before the report either).
//!
//! In both sets the case's own reports are then struck from the citations
//! of every remaining link: ascribe compares a case with the actors'
//! earlier reports, and the case's report must not be one of them.
//!
//! The split into fitting and test halves is fixed by report: the FNV-1a
//! hash of the citation name, even = fit, odd = test. Every case built from
//! one report falls in the same half.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A report must support at least this many of a group's links to make a case.
pub const MIN_REPORT_LINKS: usize = 5;

/// Which set a case belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Set {
    Campaigns,
    Reports,
    /// Report cases with their publisher's every citation removed
    /// ([`crate::vendor`]).
    Vendor,
    /// Report cases with the true group removed from the knowledge base
    /// ([`crate::openset`]): the right answer is "an actor not in the
    /// knowledge base".
    OpenSet,
}

/// Fitting or test half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Fit,
    Test,
}

/// What a leakage rule removed for one case.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Leak {
    /// Links of the true group's profile (own or via its other campaigns).
    pub profile_links: usize,
    /// Of those, removed because their citations all also cite the campaign.
    pub by_citation: usize,
    /// Of those, removed because their text names the campaign.
    pub by_text: usize,
    /// Software-to-technique links.
    pub software_links: usize,
    /// Links of the held-out campaign itself.
    pub campaign_links: usize,
}

/// One benchmark case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSpec {
    /// `C0022` or `G0032 @ <report>`.
    pub id: String,
    pub set: Set,
    pub split: Split,
    /// ATT&CK ids of the true group(s).
    pub truth: Vec<String>,
    /// The report (reports set) or the campaign name.
    pub source: String,
    /// When the intrusion happened, as far as the case knows: the
    /// campaign's first-seen date, or the report's name (its year).
    pub date: Option<String>,
    /// ATT&CK technique ids observed.
    pub techniques: Vec<String>,
    /// ATT&CK software ids observed.
    pub software: Vec<String>,
    #[serde(skip)]
    pub remove_relations: HashSet<String>,
    #[serde(skip)]
    pub remove_entities: HashSet<String>,
    /// Citation names that did not exist before the case: struck from
    /// every remaining link, so that no report-level document of the
    /// knowledge base is the case's own report.
    #[serde(skip)]
    pub strip_citations: HashSet<String>,
    pub leak: Leak,
    /// The publisher held out (vendor set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holdout: Option<String>,
    /// The state of the true group in the whole knowledge base (set by the
    /// harness: the open set removes the group from the case's KB).
    #[serde(skip)]
    pub truth_state: Option<String>,
}

struct Obj {
    kind: String,
    name: String,
    aliases: Vec<String>,
    ext: Option<String>,
    description: String,
    first_seen: Option<String>,
}

struct Rel {
    id: String,
    kind: String,
    src: String,
    dst: String,
    description: String,
    citations: BTreeSet<String>,
}

/// The parts of an ATT&CK STIX bundle the case builders need, including the
/// relationship texts the knowledge base does not keep.
pub struct Bundle {
    objs: HashMap<String, Obj>,
    rels: Vec<Rel>,
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

impl Bundle {
    /// Parse a STIX 2.1 bundle (the official ATT&CK Enterprise file).
    pub fn parse(bytes: &[u8]) -> anyhow::Result<Bundle> {
        let v: Value = serde_json::from_slice(bytes)?;
        let objects = v
            .get("objects")
            .and_then(Value::as_array)
            .ok_or_else(|| anyhow::anyhow!("not a STIX bundle: no \"objects\" array"))?;
        let mut objs = HashMap::new();
        let mut rels = Vec::new();
        for o in objects {
            let kind = s(o, "type");
            if o.get("revoked").and_then(Value::as_bool) == Some(true)
                || o.get("x_mitre_deprecated").and_then(Value::as_bool) == Some(true)
            {
                continue;
            }
            let refs = o
                .get("external_references")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if kind == "relationship" {
                let citations = refs
                    .iter()
                    .map(|r| s(r, "source_name"))
                    .filter(|n| !n.is_empty() && n != "mitre-attack")
                    .collect();
                rels.push(Rel {
                    id: s(o, "id"),
                    kind: s(o, "relationship_type"),
                    src: s(o, "source_ref"),
                    dst: s(o, "target_ref"),
                    description: s(o, "description"),
                    citations,
                });
                continue;
            }
            let ext = refs
                .iter()
                .find(|r| s(r, "source_name") == "mitre-attack")
                .map(|r| s(r, "external_id"))
                .filter(|x| !x.is_empty());
            let aliases = o
                .get("aliases")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            objs.insert(
                s(o, "id"),
                Obj {
                    kind,
                    name: s(o, "name"),
                    aliases,
                    ext,
                    description: s(o, "description"),
                    first_seen: o
                        .get("first_seen")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                },
            );
        }
        Ok(Bundle { objs, rels })
    }

    fn kind(&self, id: &str) -> &str {
        self.objs.get(id).map(|o| o.kind.as_str()).unwrap_or("")
    }

    fn ext(&self, id: &str) -> Option<&str> {
        self.objs.get(id).and_then(|o| o.ext.as_deref())
    }

    fn is_feature(&self, id: &str) -> bool {
        matches!(self.kind(id), "attack-pattern" | "malware" | "tool")
    }

    fn is_software(&self, id: &str) -> bool {
        matches!(self.kind(id), "malware" | "tool")
    }

    /// Campaign id → groups it is attributed to.
    fn attributions(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut m: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in &self.rels {
            if r.kind == "attributed-to"
                && self.kind(&r.src) == "campaign"
                && self.kind(&r.dst) == "intrusion-set"
            {
                m.entry(r.src.as_str()).or_default().push(r.dst.as_str());
            }
        }
        m
    }

    fn features(&self, rels: &[&Rel]) -> (Vec<String>, Vec<String>) {
        let mut t = BTreeSet::new();
        let mut sw = BTreeSet::new();
        for r in rels {
            if let Some(x) = self.ext(&r.dst) {
                if self.is_software(&r.dst) {
                    sw.insert(x.to_string());
                } else if self.kind(&r.dst) == "attack-pattern" {
                    t.insert(x.to_string());
                }
            }
        }
        (t.into_iter().collect(), sw.into_iter().collect())
    }

    /// Links making up a group's profile: its own `uses` links to techniques
    /// and software, and those of campaigns attributed to it.
    fn profile_links<'a>(
        &'a self,
        group: &str,
        attributions: &BTreeMap<&str, Vec<&str>>,
        skip_campaign: Option<&str>,
    ) -> Vec<&'a Rel> {
        let campaigns: HashSet<&str> = attributions
            .iter()
            .filter(|(c, gs)| gs.contains(&group) && Some(**c) != skip_campaign)
            .map(|(c, _)| *c)
            .collect();
        self.rels
            .iter()
            .filter(|r| {
                r.kind == "uses"
                    && (r.src == group || campaigns.contains(r.src.as_str()))
                    && self.is_feature(&r.dst)
            })
            .collect()
    }

    fn software_technique_links(&self) -> impl Iterator<Item = &Rel> {
        self.rels.iter().filter(|r| {
            r.kind == "uses" && self.is_software(&r.src) && self.kind(&r.dst) == "attack-pattern"
        })
    }

    /// The held-out campaign set.
    pub fn campaign_cases(&self) -> Vec<CaseSpec> {
        let attributions = self.attributions();
        let mut out = Vec::new();
        for (&c, groups) in &attributions {
            let camp = &self.objs[c];
            let own: Vec<&Rel> = self
                .rels
                .iter()
                .filter(|r| r.src == c || r.dst == c)
                .collect();
            let uses: Vec<&Rel> = own
                .iter()
                .copied()
                .filter(|r| r.kind == "uses" && r.src == c && self.is_feature(&r.dst))
                .collect();
            let (techniques, software) = self.features(&uses);
            // Everything that cites the campaign: its links and its text.
            let mut cites: BTreeSet<String> = own
                .iter()
                .flat_map(|r| r.citations.iter().cloned())
                .collect();
            cites.extend(citation_names(&camp.description));
            let mut names: Vec<String> = std::iter::once(camp.name.clone())
                .chain(camp.aliases.iter().cloned())
                .map(|n| n.to_lowercase())
                .filter(|n| n.len() >= 4)
                .collect();
            if let Some(x) = &camp.ext {
                names.push(format!("/campaigns/{}", x.to_lowercase()));
            }
            let mut leak = Leak {
                campaign_links: own.len(),
                ..Leak::default()
            };
            let mut remove: HashSet<String> = own.iter().map(|r| r.id.clone()).collect();
            for &g in groups {
                for r in self.profile_links(g, &attributions, Some(c)) {
                    let (by_cite, by_text) = leaked(r, &cites, &names);
                    if (by_cite || by_text) && remove.insert(r.id.clone()) {
                        leak.profile_links += 1;
                        leak.by_citation += by_cite as usize;
                        leak.by_text += by_text as usize;
                    }
                }
            }
            for r in self.software_technique_links() {
                let (a, b) = leaked(r, &cites, &names);
                if (a || b) && remove.insert(r.id.clone()) {
                    leak.software_links += 1;
                }
            }
            let truth: Vec<String> = groups
                .iter()
                .filter_map(|g| self.ext(g).map(str::to_string))
                .collect();
            out.push(CaseSpec {
                id: camp.ext.clone().unwrap_or_else(|| camp.name.clone()),
                set: Set::Campaigns,
                split: Split::Test,
                truth,
                source: camp.name.clone(),
                date: camp.first_seen.clone(),
                techniques,
                software,
                remove_relations: remove,
                remove_entities: std::iter::once(c.to_string()).collect(),
                strip_citations: cites.into_iter().collect(),
                leak,
                holdout: None,
                truth_state: None,
            });
        }
        out
    }

    /// The "new report about a known group" set.
    pub fn report_cases(&self) -> Vec<CaseSpec> {
        let attributions = self.attributions();
        let mut groups: Vec<(&str, &Obj)> = self
            .objs
            .iter()
            .filter(|(_, o)| o.kind == "intrusion-set")
            .map(|(id, o)| (id.as_str(), o))
            .collect();
        groups.sort_by(|a, b| a.1.ext.cmp(&b.1.ext));
        let mut out = Vec::new();
        for (g, gobj) in groups {
            let Some(gid) = gobj.ext.clone() else {
                continue;
            };
            let own: Vec<&Rel> = self
                .rels
                .iter()
                .filter(|r| r.kind == "uses" && r.src == g && self.is_feature(&r.dst))
                .collect();
            let mut by_report: BTreeMap<&str, Vec<&Rel>> = BTreeMap::new();
            for r in &own {
                for c in &r.citations {
                    by_report.entry(c.as_str()).or_default().push(r);
                }
            }
            for (report, links) in by_report {
                if links.len() < MIN_REPORT_LINKS {
                    continue;
                }
                let (techniques, software) = self.features(&links);
                let only = |r: &Rel| r.citations.len() == 1 && r.citations.contains(report);
                let mut leak = Leak::default();
                let mut remove = HashSet::new();
                for r in self.profile_links(g, &attributions, None) {
                    if only(r) && remove.insert(r.id.clone()) {
                        leak.profile_links += 1;
                        leak.by_citation += 1;
                    }
                }
                for r in self.software_technique_links() {
                    if only(r) && remove.insert(r.id.clone()) {
                        leak.software_links += 1;
                    }
                }
                out.push(CaseSpec {
                    id: format!("{gid} @ {report}"),
                    set: Set::Reports,
                    split: split_of(report),
                    truth: vec![gid.clone()],
                    source: report.to_string(),
                    date: Some(report.to_string()),
                    techniques,
                    software,
                    remove_relations: remove,
                    remove_entities: HashSet::new(),
                    strip_citations: std::iter::once(report.to_string()).collect(),
                    leak,
                    holdout: None,
                    truth_state: None,
                });
            }
        }
        out
    }
}

/// Whether a profile link leaks a campaign: (all its citations also cite
/// the campaign, its text names the campaign). A link without citations
/// cannot leak by citation.
fn leaked(r: &Rel, cites: &BTreeSet<String>, names: &[String]) -> (bool, bool) {
    let by_cite = !r.citations.is_empty() && r.citations.iter().all(|c| cites.contains(c));
    let d = r.description.to_lowercase();
    let by_text = names.iter().any(|n| d.contains(n.as_str()));
    (by_cite, by_text)
}

/// Names in `(Citation: X)` markers of an ATT&CK text.
fn citation_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("(Citation: ") {
        rest = &rest[i + 11..];
        match rest.find(')') {
            Some(j) => {
                out.push(rest[..j].trim().to_string());
                rest = &rest[j..];
            }
            None => break,
        }
    }
    out
}

/// The fixed split: FNV-1a of the report name, even = fit.
pub fn split_of(report: &str) -> Split {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in report.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    if h % 2 == 0 {
        Split::Fit
    } else {
        Split::Test
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_markers() {
        assert_eq!(
            citation_names("x (Citation: A B 2019)(Citation: C) y (Citation: broken"),
            vec!["A B 2019".to_string(), "C".to_string()]
        );
    }

    #[test]
    fn split_is_stable() {
        // Pinned: changing the hash would silently reshuffle the halves.
        assert_eq!(
            split_of("Novetta Blockbuster"),
            split_of("Novetta Blockbuster")
        );
        let fit = (0..1000)
            .filter(|i| split_of(&format!("report {i}")) == Split::Fit)
            .count();
        assert!((400..600).contains(&fit), "{fit}");
    }
}
