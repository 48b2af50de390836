//! The shapes of the YAML files an analyst writes, with source positions for diagnostics.
//!
//! These types are also the source of `gloss schema`: doc comments become the
//! descriptions an editor shows, and `deny_unknown_fields` makes editors flag typos.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A string with the position it was written at.
pub type SpannedStr = Spanned<String>;

/// An annotation file, `content/articles/<id>.yaml`: how one seed article is shown and annotated.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleFile {
    /// The seed file in `seeds/` (default: `<id>.txt`).
    #[schemars(with = "Option<String>")]
    pub seed: Option<SpannedStr>,
    /// A clean title. Default: the seed's first paragraph.
    pub title: Option<String>,
    /// The page's URL segment, `articles/<slug>/`. Default: the slugified title. Must be unique.
    #[schemars(with = "Option<String>")]
    pub slug: Option<SpannedStr>,
    /// The publishing outlet: an entity id (kind: organization).
    #[schemars(with = "Option<String>")]
    pub outlet: Option<SpannedStr>,
    /// The byline, when the article has one. It links to the entity with that name or
    /// alias, when there is one.
    pub author: Option<String>,
    /// Publication date in EDTF, e.g. `2020-10-29`, `2020-10`, `2023-12~`.
    #[schemars(with = "Option<String>")]
    pub published: Option<SpannedStr>,
    /// When the annotations were last revised, in EDTF at a day's precision, e.g.
    /// `2024-03-05`: the feed entry's `updated` and the page's `dateModified`.
    #[schemars(with = "Option<String>")]
    pub updated: Option<SpannedStr>,
    /// The original article's address.
    pub url: Option<String>,
    /// A permanent copy of the original (an archive's URL), for when `url` changes or dies.
    #[schemars(with = "Option<String>")]
    pub archived: Option<SpannedStr>,
    /// When the seed's text was copied from the source, as a date (`2024-03-05`).
    #[schemars(with = "Option<String>")]
    pub retrieved: Option<SpannedStr>,
    /// The language the seed is written in, as a BCP 47 tag (`zh`, `zh-Hans`, `en`).
    /// Default: the site's `language`.
    #[schemars(with = "Option<String>")]
    pub language: Option<SpannedStr>,
    /// Drafts are built only with `--drafts` or `build.drafts = true`.
    #[serde(default)]
    pub draft: bool,
    /// Tags, lowercase-with-hyphens.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Markdown: what this article adds to the briefing.
    pub summary: Option<String>,
    /// How the seed's text is shown: web debris to drop, where the body ends, subheadings.
    #[serde(default)]
    pub text: TextRules,
    /// Highlighted passages with notes.
    #[serde(default)]
    pub annotations: Vec<AnnotationDef>,
}

/// Rules that turn a seed's raw paragraphs into the article body.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRules {
    /// Paragraphs removed from the body (whole-paragraph match, normalized).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub drop: Vec<SpannedStr>,
    /// The body ends before the first paragraph starting with this text.
    #[schemars(with = "Option<String>")]
    pub end_before: Option<SpannedStr>,
    /// Paragraphs shown as subheadings (whole-paragraph match, normalized).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub headings: Vec<SpannedStr>,
}

/// What an annotation says about its passage.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    /// A remark on the passage (the default).
    #[default]
    Note,
    /// A checkable fact the passage states.
    Fact,
    /// An assertion the passage reports, not established by it; name the `speaker`.
    Claim,
    /// Someone's words, reported as said; name the `speaker`.
    Statement,
    /// Background the passage needs to be read correctly.
    Context,
    /// Something the passage leaves open.
    Question,
    /// A point the passage makes that is contested.
    Dispute,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Fact => "fact",
            Self::Claim => "claim",
            Self::Statement => "statement",
            Self::Context => "context",
            Self::Question => "question",
            Self::Dispute => "dispute",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Note => "Note",
            Self::Fact => "Fact",
            Self::Claim => "Claim",
            Self::Statement => "Statement",
            Self::Context => "Context",
            Self::Question => "Question",
            Self::Dispute => "Dispute",
        }
    }
}

/// Which of an article's texts a passage is in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TextSide {
    /// The seed: the article as it was published (the default).
    #[default]
    Original,
    /// The translation shown beside the original, `seeds/<seed name>.<language>.txt`.
    Translation,
}

impl TextSide {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Translation => "translation",
        }
    }
}

/// How far an annotation's reading has been checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not checked yet.
    Unverified,
    /// Checked against the sources.
    Verified,
    /// Checked, and the sources disagree.
    Disputed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Verified => "verified",
            Self::Disputed => "disputed",
        }
    }
}

/// One highlighted passage and what the analyst says about it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnotationDef {
    /// Unique within the file; the page anchor is `#<id>`.
    #[schemars(with = "String")]
    pub id: SpannedStr,
    /// The exact passage, matched against the seed after normalizing quotes, dashes and spaces.
    // Required: load's shape check reports a missing quote, and the annotation is read
    // without one, so that its other mistakes (an unknown entity) are reported in the same run.
    #[schemars(with = "String")]
    pub quote: Option<SpannedStr>,
    /// Text immediately before the quote, to choose among several matches.
    pub prefix: Option<String>,
    /// Text immediately after the quote, to choose among several matches.
    pub suffix: Option<String>,
    /// 1-based: which of the remaining matches, when prefix and suffix are not enough.
    #[schemars(range(min = 1))]
    pub occurrence: Option<usize>,
    /// Which text the quote is in: `original` (the seed, the default) or `translation`
    /// (the translation beside it, `seeds/<seed name>.<language>.txt`). Quote, prefix,
    /// suffix and occurrence are matched in that text.
    #[serde(default, rename = "in")]
    #[schemars(rename = "in")]
    pub side: TextSide,
    /// What the annotation says about the passage.
    #[serde(default)]
    pub kind: AnnotationKind,
    /// Who is speaking (an entity id), for statements and claims.
    #[schemars(with = "Option<String>")]
    pub speaker: Option<SpannedStr>,
    /// Markdown. Link pages with `@/articles/<id>`, `@/entities/<id>`, `@/events/<id>`.
    pub note: Option<String>,
    /// Entity ids this passage is about.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub entities: Vec<SpannedStr>,
    /// Event ids this passage reports.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub events: Vec<SpannedStr>,
    /// Other annotations: `<article id>#<annotation id>`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub see: Vec<SpannedStr>,
    /// How far this reading has been checked.
    pub status: Option<Status>,
    /// For claims, statements and disputes: a shared claim id (letters, digits, hyphens).
    /// Annotations in different articles with the same `claim` are one row of the claims
    /// page: the same claim as each outlet carried it.
    #[schemars(with = "Option<String>")]
    pub claim: Option<SpannedStr>,
    /// The analyst's verdict on the claim, published as a schema.org `ClaimReview`.
    pub verdict: Option<Verdict>,
}

/// An analyst's rating of a claim, with the evidence for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The rating, from `true` to `false`, or `misquoted` / `unproven`.
    pub rating: Rating,
    /// Markdown: why, citing the sources that support the rating (outlet and date).
    pub text: String,
}

/// A fact-checker's rating scale; `misquoted` and `unproven` lie outside the true–false scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// The claim is accurate as stated.
    True,
    /// Accurate, but missing a detail or context that matters.
    MostlyTrue,
    /// Partly accurate and partly not.
    Mixed,
    /// It holds an element of truth but leaves a wrong impression.
    MostlyFalse,
    /// The claim is inaccurate.
    False,
    /// The words are not what the speaker said (garbled, cut or attributed to the wrong person).
    Misquoted,
    /// The sources at hand can neither confirm nor refute it.
    Unproven,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::True => "true",
            Self::MostlyTrue => "mostly-true",
            Self::Mixed => "mixed",
            Self::MostlyFalse => "mostly-false",
            Self::False => "false",
            Self::Misquoted => "misquoted",
            Self::Unproven => "unproven",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::True => "True",
            Self::MostlyTrue => "Mostly true",
            Self::Mixed => "Mixed",
            Self::MostlyFalse => "Mostly false",
            Self::False => "False",
            Self::Misquoted => "Misquoted",
            Self::Unproven => "Unproven",
        }
    }

    /// The position on a 1 (false) to 5 (true) scale, for `reviewRating.ratingValue`;
    /// ratings off that scale have none.
    pub fn value(self) -> Option<u8> {
        match self {
            Self::True => Some(5),
            Self::MostlyTrue => Some(4),
            Self::Mixed => Some(3),
            Self::MostlyFalse => Some(2),
            Self::False => Some(1),
            Self::Misquoted | Self::Unproven => None,
        }
    }
}

/// What kind of thing an entity is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person, listed under People.
    Person,
    /// A government body, company, outlet or other group.
    Organization,
    /// A country, city or other location.
    Place,
    /// Anything else the articles name.
    #[default]
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organization => "organization",
            Self::Place => "place",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Person => "Person",
            Self::Organization => "Organization",
            Self::Place => "Place",
            Self::Other => "Other",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            Self::Person => "People",
            Self::Organization => "Organizations",
            Self::Place => "Places",
            Self::Other => "Other",
        }
    }
}

/// `content/entities.yaml`: entity id → entity.
pub type EntitiesFile = BTreeMap<String, EntityDef>;

/// A person, organization or place the articles name.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// The display name; also matched in article text.
    // Required: load's shape check reports a missing name or kind, and the entity is read
    // without it, so that references to it are not reported as unknown ids too.
    #[schemars(with = "String")]
    pub name: Option<String>,
    /// What kind of thing this is.
    #[schemars(with = "EntityKind")]
    pub kind: Option<EntityKind>,
    /// Other spellings matched in article text (case-sensitive, whole words).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line: who or what this is.
    pub role: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Reference links.
    #[serde(default)]
    pub links: Vec<String>,
}

/// `content/events.yaml`: a list of dated events.
pub type EventsFile = Vec<EventDef>;

/// Something that happened, which articles report.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// Unique id, used in `events:` lists and in the URL `events/<id>/`.
    #[schemars(with = "String")]
    pub id: SpannedStr,
    /// EDTF date: `2020-10-20`, `2020-10-28/2020-10-29`, `2022-08/..`, `2020-12~`.
    #[schemars(with = "String")]
    pub date: SpannedStr,
    pub title: String,
    /// Markdown.
    pub summary: Option<String>,
    /// Entity ids involved.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub entities: Vec<SpannedStr>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// YAML front matter of `content/pages/*.md`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    /// URL segment, `pages/<slug>/`. Default: the file stem.
    pub slug: Option<String>,
    /// Order in the navigation (lower first).
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
}
