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
        }
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
    Software { name: String },
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
}

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
        }
    }
}

/// One observation with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Id within the case, e.g. `technique-3`.
    pub id: String,
    #[serde(flatten)]
    pub kind: ObservationKind,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
    /// Type of incident: `espionage`, `sabotage`, `financial theft`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
}

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
}
