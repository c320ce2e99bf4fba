//! Observations: what was seen in a case, before any weighing.
//!
//! An observation is the unit every evidence producer emits: the analyst's
//! `case.toml`, binary inspection, code-reuse search, report extraction. The
//! reasoning engine turns observations into [`crate::Evidence`] using the
//! knowledge base; producers never compute likelihoods themselves.

use serde::{Deserialize, Serialize};

/// Where an observation comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Short stable id, e.g. `fbi-2014-12-19`.
    pub id: String,
    /// Title or description of the source.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// What kind of source it is; sets the default reliability of its claims.
    pub kind: SourceKind,
    /// The evidence file in the case directory this source is, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// Kinds of sources, from the most to the least accountable for technical claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Own analysis of the case's evidence (ascribe itself, or the analyst).
    Analysis,
    /// Government body or agency (FBI, US-CERT, NCSC…).
    Government,
    /// Security vendor or CERT report.
    Vendor,
    /// Named independent researcher or analyst.
    Researcher,
    /// News media.
    Media,
    /// The (alleged) perpetrator or a persona speaking for it.
    Actor,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// All kinds, for help texts.
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Analysis,
        SourceKind::Government,
        SourceKind::Vendor,
        SourceKind::Researcher,
        SourceKind::Media,
        SourceKind::Actor,
        SourceKind::Other,
    ];

    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Analysis => "analysis",
            SourceKind::Government => "government",
            SourceKind::Vendor => "vendor",
            SourceKind::Researcher => "researcher",
            SourceKind::Media => "media",
            SourceKind::Actor => "actor",
            SourceKind::Other => "other",
        }
    }
}

/// Where in the case an observation was written (for error messages and reports).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// Types of network and file indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorType {
    Ip,
    Domain,
    Url,
    Email,
    Hash,
    /// A cryptocurrency wallet address (Bitcoin, Monero or Ethereum).
    Wallet,
}

impl IndicatorType {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorType::Ip => "ip",
            IndicatorType::Domain => "domain",
            IndicatorType::Url => "url",
            IndicatorType::Email => "email",
            IndicatorType::Hash => "hash",
            IndicatorType::Wallet => "wallet",
        }
    }

    /// The fact key of an indicator value (`indicator:ip:203.0.113.5`):
    /// the same indicator reached through different routes is one fact.
    /// Values are lower-cased except wallet addresses in Base58, whose case
    /// is significant.
    pub fn fact_key(self, value: &str) -> String {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        let v =
            if self != IndicatorType::Wallet || lower.starts_with("bc1") || lower.starts_with("0x")
            {
                lower
            } else {
                v.to_string()
            };
        format!("indicator:{}:{v}", self.as_str())
    }
}

/// Kinds of artifacts found in binaries or their metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactType {
    /// Language of resources (e.g. `Korean`, or a LANGID such as `0x0412`).
    ResourceLanguage,
    /// Keyboard layout or code page pointing to a language.
    CodePage,
    /// An estimated UTC offset of the developers' working hours (`+9`, `-5`, `+3:30`).
    UtcOffset,
    /// A compile timestamp (ISO 8601). Several together yield an UTC offset.
    CompileTime,
    /// A Rich-header toolchain fingerprint (free text or hash).
    RichHeader,
    /// The Rich header contradicts the PE linker version: tampering.
    RichMismatch,
    /// The Authenticode signature's digest is not the file's: a signature
    /// transplanted from another file, or a file changed after signing.
    SignatureMismatch,
    /// A PDB path, developer user name or project folder.
    PdbPath,
    /// A code-signing certificate subject.
    Certificate,
}

impl ArtifactType {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactType::ResourceLanguage => "resource-language",
            ArtifactType::CodePage => "code-page",
            ArtifactType::UtcOffset => "utc-offset",
            ArtifactType::CompileTime => "compile-time",
            ArtifactType::RichHeader => "rich-header",
            ArtifactType::RichMismatch => "rich-mismatch",
            ArtifactType::SignatureMismatch => "signature-mismatch",
            ArtifactType::PdbPath => "pdb-path",
            ArtifactType::Certificate => "certificate",
        }
    }
}

/// What a claimant says about who is responsible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// States that the target is responsible.
    Asserts,
    /// Suspects or believes it, with hedging.
    Suspects,
    /// Doubts that the target is responsible.
    Doubts,
    /// Denies (usually the accused about itself).
    Denies,
    /// Claims responsibility (the actor about itself).
    ClaimsResponsibility,
}

impl Stance {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Suspects => "suspects",
            Stance::Doubts => "doubts",
            Stance::Denies => "denies",
            Stance::ClaimsResponsibility => "claims-responsibility",
        }
    }
}

/// The content of an observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ObservationKind {
    /// An ATT&CK technique was observed (`T1485`, `T1561.002`).
    Technique { id: String },
    /// A piece of software (malware family or tool) was observed, by name.
    Software {
        name: String,
        /// The software's code or builder leaked publicly (Babuk, Conti,
        /// Hacking Team, the Shadow Brokers' tools): anyone may deploy it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        leaked: bool,
    },
    /// A network or file indicator.
    Indicator {
        indicator: IndicatorType,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        first_seen: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_seen: Option<String>,
        /// ISO country the indicator geolocates to, if known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        country: Option<String>,
        /// Actor whose known infrastructure this indicator overlaps, according
        /// to the observation's source.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        overlaps: Option<String>,
    },
    /// A finding that a set of indicators overlaps infrastructure previously
    /// tied to an actor or a country (e.g. the FBI's statement on the Sony C2s).
    InfrastructureOverlap {
        indicators: Vec<String>,
        /// Actor name or country.
        overlaps: String,
        /// How the overlapped infrastructure relates to the actor it is tied
        /// to: `owned` (the default reading), `shared` (used by several
        /// actors: shared hosting, a common provider) or `hijacked` (taken
        /// over by someone else: the owner is not the operator).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation: Option<String>,
    },
    /// A binary or metadata artifact.
    Artifact {
        artifact: ArtifactType,
        value: String,
        /// The sample (file name or hash) it was found in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sample: Option<String>,
        /// Actor this artifact is known for, according to the source (e.g. a
        /// Rich fingerprint or PDB path seen in that actor's tools).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        known_for: Option<String>,
    },
    /// Code shared with a known malware family.
    CodeOverlap {
        family: String,
        /// The actor the family is tied to, when the knowledge base does not
        /// know the family (according to the observation's source).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
        /// Similarity in [0, 1] (share of distinctive code in common).
        similarity: f64,
        /// What is shared (functions, algorithms, routines).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shared: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sample: Option<String>,
    },
    /// Someone says who did it.
    Claim {
        claimant: String,
        claimant_kind: SourceKind,
        /// Actor or country named.
        target: String,
        stance: Stance,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quote: Option<String>,
    },
    /// The operators' own connection came from an address space tied to an
    /// actor or a state (an opsec slip: the Guardians of Peace's and Guccifer
    /// 2.0's logins from North Korean and GRU addresses), as opposed to
    /// where a server is hosted.
    OperatorOrigin {
        /// Actor, state organisation or country whose address space it is.
        actor: String,
        /// The address or range (`175.45.178.0/24`), if published.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
        /// What connected (a persona's login, a VPN session, an upload).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        activity: Option<String>,
    },
    /// The case's operators or C2 are the same as those of a known campaign
    /// or malware family, according to the source.
    SameOperator {
        /// The campaign or family (name or ATT&CK id) the case is linked to.
        as_of_campaign_or_family: String,
        /// The actor behind it, when the knowledge base does not know it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
        /// Which link: the same operators, or the same C2.
        #[serde(default)]
        link: LinkKind,
    },
    /// Evidence for or against a hypothesis the analyst declared
    /// (`[[hypothesis]]`: an insider, hacktivist sympathisers, criminals).
    DeclaredEvidence {
        /// Id of the declared hypothesis.
        hypothesis: String,
        stance: DeclaredStance,
        strength: Strength,
    },
}

/// How a case is linked to a campaign or family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// The same operators (personas, handles, hands-on-keyboard habits).
    #[default]
    SameOperator,
    /// The same command-and-control infrastructure.
    SameC2,
}

impl LinkKind {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::SameOperator => "same-operator",
            LinkKind::SameC2 => "same-c2",
        }
    }
}

/// Whether an item speaks for or against a declared hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclaredStance {
    For,
    Against,
}

impl DeclaredStance {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredStance::For => "for",
            DeclaredStance::Against => "against",
        }
    }
}

/// How strongly an item speaks for or against a declared hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    Weak,
    Moderate,
    Strong,
}

impl Strength {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Weak => "weak",
            Strength::Moderate => "moderate",
            Strength::Strong => "strong",
        }
    }
}

/// Whether an observation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Stated by its source as a fact (the default).
    #[default]
    Asserted,
    /// Stated with doubt: weighed with lowered reliability, and the report
    /// says so.
    Uncertain,
    /// Withdrawn by its source or disproved: shown, never weighed.
    Retracted,
}

impl Status {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Asserted => "asserted",
            Status::Uncertain => "uncertain",
            Status::Retracted => "retracted",
        }
    }

    fn is_asserted(&self) -> bool {
        *self == Status::Asserted
    }
}

/// A hypothesis the analyst declares beside the knowledge base's actors
/// (an insider, hacktivist sympathisers, criminals). Its prior is taken out
/// of P(unknown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredHypothesis {
    /// Short id, used as `declared:<id>` in evidence support.
    pub id: String,
    /// Plain-language label.
    pub label: String,
    /// Prior probability, in (0, 1).
    pub prior: f64,
    /// ISO 3166 alpha-2 code of the state behind it, if any.
    #[serde(default)]
    pub state: Option<String>,
}

impl DeclaredHypothesis {
    /// The actor id through which evidence speaks to this hypothesis
    /// (`declared:<id>` in [`crate::ActorSupport::actor`]).
    pub fn support_id(&self) -> String {
        format!("{DECLARED_PREFIX}{}", self.id)
    }
}

/// Prefix of [`crate::ActorSupport::actor`] for a declared hypothesis.
pub const DECLARED_PREFIX: &str = "declared:";

impl ObservationKind {
    /// Short name of the kind, as in `case.toml` tables.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ObservationKind::Technique { .. } => "technique",
            ObservationKind::Software { .. } => "software",
            ObservationKind::Indicator { .. } => "indicator",
            ObservationKind::InfrastructureOverlap { .. } => "infrastructure-overlap",
            ObservationKind::Artifact { .. } => "artifact",
            ObservationKind::CodeOverlap { .. } => "code-overlap",
            ObservationKind::Claim { .. } => "claim",
            ObservationKind::OperatorOrigin { .. } => "operator-origin",
            ObservationKind::SameOperator { .. } => "link",
            ObservationKind::DeclaredEvidence { .. } => "hypothesis-evidence",
        }
    }
}

/// One observation with its provenance.
///
/// In JSON the kind is an object of its own (`{"id": "technique-3",
/// "kind": {"type": "technique", "id": "T1485"}, "source": …}`), never
/// flattened beside the observation's fields: a kind's own `id` (the
/// technique's) would otherwise collide with the observation's, and the
/// JSON would not read back. `case.toml` has its own reader (`ascribe-case`)
/// and is not this format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Id within the case, e.g. `technique-3`.
    pub id: String,
    pub kind: ObservationKind,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the item stands, is uncertain or was retracted.
    #[serde(default, skip_serializing_if = "Status::is_asserted")]
    pub status: Status,
    /// The analyst's forge-cost class for this item, replacing the
    /// builder's, with the written justification (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forge_cost_override: Option<(crate::ForgeCost, String)>,
    /// The underlying fact (`language:korean`, `utc-offset:+9`,
    /// `indicator:ip:203.0.113.5`): items of one fact reached through
    /// different routes count once. Set by the analyst, or by the builders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact_key: Option<String>,
    /// A stand-in that illustrates the pipeline: shown, never weighed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}

impl Observation {
    /// An asserted, weighable observation with no note or location.
    pub fn new(id: impl Into<String>, kind: ObservationKind, source: Source) -> Observation {
        Observation {
            id: id.into(),
            kind,
            source,
            location: None,
            note: None,
            status: Status::Asserted,
            forge_cost_override: None,
            fact_key: None,
            illustrative: false,
        }
    }
}

/// The victim of the intrusion. Its country and sector, and the type of
/// incident, are weighed against the actors' known victims
/// (`reason::victimology`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Victim {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Target category, lower-case, as in the MISP galaxy's
    /// `cfr-target-category` (`private sector`, `government`, `military`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Type of incident, lower-case, as in the MISP galaxy's
    /// `cfr-type-of-incident` (see [`INCIDENT_TYPES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_type: Option<String>,
}

/// The types of incident the MISP galaxy's `cfr-type-of-incident` uses,
/// lower-case: what `[victim] incident_type` accepts.
pub const INCIDENT_TYPES: [&str; 8] = [
    "espionage",
    "sabotage",
    "denial of service",
    "financial theft",
    "information operations",
    "defacement",
    "business email compromise",
    "extortion",
];

/// A case: the observations about one intrusion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default)]
    pub victim: Victim,
    pub sources: Vec<Source>,
    pub observations: Vec<Observation>,
    /// Knowledge-base links citing only these reports are ignored for this
    /// case (case-insensitive substrings of citation names): the leakage rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_citations: Vec<String>,
    /// Evidence files in the case directory, relative paths.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Hypotheses the analyst declares beside the knowledge base's actors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hypotheses: Vec<DeclaredHypothesis>,
    /// Analysis date (`YYYY-MM-DD`): assess with the knowledge published by
    /// then (see `ascribe_kb::as_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Files (relative paths) that are illustrative stand-ins: they are
    /// analysed and shown, never weighed (a directory holding a file named
    /// `ILLUSTRATIVE` marks everything under it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub illustrative_files: Vec<String>,
    /// Files ascribe skipped because it wrote them (its own reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_files: Vec<String>,
    /// Notes about the case directory's files that were not read (a
    /// symbolic link, a FIFO or device, a `[[source]] file` that is not in
    /// the directory), one line each, starting with the relative path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_notes: Vec<String>,
}
