//! View models: exactly the data each template sees, so that themes have a stable contract.
//!
//! Every string here is plain text and is escaped by Tera's autoescaping, except fields
//! whose name ends in `_html`, which `render` has already built safely (escaped text,
//! sanitized Markdown) and templates print with `| safe`.
//! URLs are root-relative and include the site's base path (e.g. `/repo/articles/x/`),
//! so they work from any page depth, including `404.html`.

use serde::Serialize;

/// Site-wide values, available in every template as `site`.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute base URL with a trailing slash, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// The base URL's path with leading and trailing slash, e.g. `/repo/` or `/`.
    pub root: String,
    pub language: String,
    /// The briefing's author line (`site.toml` `author`), or empty.
    pub author: String,
    /// The day the briefing's judgments stand as of (`site.toml` `as_of`).
    pub as_of: Option<DateView>,
    /// Extra Markdown pages, for the navigation.
    pub pages: Vec<LinkView>,
    /// URL of the stylesheet, with a content hash query so browsers refetch it on change.
    pub stylesheet: String,
    /// Whether `feed.xml` exists: not when the briefing states no day for its `updated`.
    pub feed: bool,
    pub search: bool,
    /// The search index's bundle folders relative to `root`: the search page loads the
    /// first and merges the others.
    pub search_bundles: Vec<String>,
    /// The indexes in languages other than the site's, which the search page merges too, so
    /// that a search finds a Chinese article from an English site's search page.
    pub search_languages: Vec<LanguageIndex>,
    /// True only under `gloss serve`: the live-reload script is injected.
    pub live_reload: bool,
    pub generator: String,
}

/// One language's index in one bundle folder of the search index.
#[derive(Clone, Debug, Serialize)]
pub struct LanguageIndex {
    /// The bundle folder relative to `root` (`pagefind/`).
    pub bundle: String,
    /// The index's language, as Pagefind names it (`zh`).
    pub language: String,
}

/// A titled link.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// Which page is being rendered, available as `page` in every template.
#[derive(Clone, Debug, Serialize)]
pub struct PageMeta {
    /// `index`, `article`, `articles`, `entity`, `entities`, `event`, `events`, `tag`, `tags`, `page`, `search`, `404`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// Root-relative URL of this page.
    pub url: String,
    /// Absolute URL of this page (canonical link).
    pub permalink: String,
    /// The page's social card (`og:image`), unless `build.social_cards = false`.
    pub image: Option<ImageMeta>,
}

/// A page's social card as its `<head>` announces it.
#[derive(Clone, Debug, Serialize)]
pub struct ImageMeta {
    /// Absolute URL of the PNG (under the base URL).
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// What the card shows, for `og:image:alt`.
    pub alt: String,
}

/// A date as the source gives it.
#[derive(Clone, Debug, Serialize)]
pub struct DateView {
    /// The EDTF string as written, e.g. `2020-10-28/2020-10-29`.
    pub edtf: String,
    /// Human text at the source's precision: "28–29 Oct 2020", "Dec 2020 (approx.)".
    pub display: String,
    /// The start at the source's precision (`2020`, `2020-10` or `2020-10-29`), for
    /// `<time datetime>` and meta tags, which must not claim a day the source never gave;
    /// empty when the start is open or unknown.
    pub iso: String,
    /// `day`, `month` or `year`.
    pub precision: &'static str,
    pub approximate: bool,
    pub uncertain: bool,
    pub interval: bool,
    pub open_end: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    /// `person`, `organization`, `place`, `other`.
    pub kind: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct EventRef {
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: DateView,
}

#[derive(Clone, Debug, Serialize)]
pub struct TagRef {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// An article in lists.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    pub url: String,
    pub outlet: Option<EntityRef>,
    pub published: Option<DateView>,
    pub summary_html: String,
    pub tags: Vec<TagRef>,
    pub annotation_count: usize,
}

/// A link to one annotation on another page, for "see also" and backlinks.
#[derive(Clone, Debug, Serialize)]
pub struct AnnotationRef {
    /// URL of the annotated article with `#<annotation id>`.
    pub url: String,
    pub article_title: String,
    pub outlet: Option<String>,
    /// The highlighted passage, original characters.
    pub quote: String,
    pub kind: String,
}

/// One paragraph (or subheading) of an article's kept text.
#[derive(Clone, Debug, Serialize)]
pub struct BlockView {
    /// `p` or `h`.
    pub kind: &'static str,
    /// Escaped text with `<mark>` highlights and mention links.
    pub html: String,
    /// The same paragraph of the translation, marked the same way, when the article has one.
    pub translation_html: Option<String>,
    /// Indexes into `article.annotations` of the annotations that start in this block,
    /// so a theme can place their notes beside or under it.
    pub notes: Vec<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnnotationView {
    /// Also the id of the first `<mark>` of this highlight, so `#id` lands on it.
    pub id: String,
    /// The element id of the note, `note-<id>`, which the marks point to with `aria-describedby`.
    pub note_id: String,
    /// 1-based, in reading order: the footnote number.
    pub number: usize,
    /// `note`, `fact`, `claim`, `statement`, `context`, `question`, `dispute`.
    pub kind: String,
    pub kind_label: String,
    /// `unverified`, `verified`, `disputed`, or empty.
    pub status: String,
    /// The highlighted passage in the original characters.
    pub quote: String,
    /// The text the passage is in: `original` or `translation`.
    pub side: &'static str,
    pub note_html: String,
    pub speaker: Option<EntityRef>,
    pub entities: Vec<EntityRef>,
    pub events: Vec<EventRef>,
    /// Annotations this one points to.
    pub see: Vec<AnnotationRef>,
    /// Annotations elsewhere that point to this one.
    pub seen_from: Vec<AnnotationRef>,
    /// Deep link into the original article (a text fragment), when the article has a `url`.
    pub source_link: Option<String>,
    /// How to cite the annotation.
    pub cite: CiteView,
    /// The note's first paragraph as plain text, shortened: what a collapsed note shows.
    pub preview: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MentionCount {
    pub entity: EntityRef,
    pub count: usize,
}

/// `article.html`: one annotated article.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub outlet: Option<EntityRef>,
    pub author: Option<String>,
    /// The entity the byline names, when `author` is an entity's name or alias.
    pub author_entity: Option<EntityRef>,
    pub published: Option<DateView>,
    /// When the annotations were last revised, when the file says.
    pub updated: Option<DateView>,
    /// The original article's address, when known.
    pub source_url: Option<String>,
    /// The language of the article's text (BCP 47): its `language:`, or the site's.
    pub language: String,
    pub draft: bool,
    pub tags: Vec<TagRef>,
    pub summary_html: String,
    /// The summary split for narrow screens: its first paragraph, and the rest (may be empty).
    pub summary_lead_html: String,
    pub summary_more_html: String,
    pub blocks: Vec<BlockView>,
    pub annotations: Vec<AnnotationView>,
    pub events: Vec<EventRef>,
    /// Entities mentioned in the text, most mentioned first.
    pub entities: Vec<MentionCount>,
    /// Articles connected by "see" references, in either direction.
    pub see_also: Vec<ArticleRef>,
    /// Articles sharing events, entities and tags, most related first.
    pub related: Vec<ArticleRef>,
    /// Neighbours on the timeline.
    pub prev: Option<ArticleRef>,
    pub next: Option<ArticleRef>,
    /// schema.org NewsArticle JSON-LD, already serialized and safe inside `<script>`.
    pub json_ld: String,
    /// The translation shown beside the text, when there is one (each block's
    /// `translation_html` holds its paragraphs).
    pub translation: Option<TranslationView>,
    /// What a reader needs to verify the annotated text.
    pub source: SourceView,
    /// How to cite the source article.
    pub cite: CiteView,
}

/// A reference formatted for a reader, and its downloads.
#[derive(Clone, Debug, Serialize)]
pub struct CiteView {
    /// The citation key, the same in every format and in `citations.bib`.
    pub key: String,
    /// The bibliography entry in Chicago (notes and bibliography) and APA style: escaped
    /// text with `<i>`/`<b>` only.
    pub chicago_html: String,
    pub apa_html: String,
    /// URLs of the reference in BibTeX, RIS and CSL-JSON.
    pub bibtex: String,
    pub ris: String,
    pub csl_json: String,
}

/// The translation beside an article's text.
#[derive(Clone, Debug, Serialize)]
pub struct TranslationView {
    /// BCP 47, from the file name.
    pub language: String,
    /// The translation's language for a reader, in English where gloss knows its name
    /// (`English`, `Chinese (Simplified)`), else its tag.
    pub label: String,
    /// The original's language, named the same way.
    pub original_label: String,
    /// The translated title, when the file starts with one.
    pub title: Option<String>,
    /// The file's name in `seeds/`.
    pub file: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// The file as written, byte for byte, published beside the page.
    pub original_url: String,
    /// Its kept paragraphs, as annotated.
    pub text_url: String,
}

/// Where an article's text came from, and its hash, so a reader can check it.
#[derive(Clone, Debug, Serialize)]
pub struct SourceView {
    /// The seed file's name in `seeds/`.
    pub seed: String,
    /// SHA-256 of the seed's bytes, lowercase hex.
    pub sha256: String,
    /// The seed as collected, byte for byte, published beside the page: the file the
    /// SHA-256 is of.
    pub original_url: String,
    /// The text as annotated: the seed without what the text rules drop.
    pub text_url: String,
    /// The source's language for a reader (`English`), else its tag.
    pub language_label: String,
    /// A permanent copy of the original.
    pub archived: Option<String>,
    pub retrieved: Option<DateView>,
    /// BCP 47: the article's `language`, or the site's.
    pub language: String,
}

/// A sentence of an article that names an entity, quoted once however often it names it,
/// with the annotations on it that concern the entity.
#[derive(Clone, Debug, Serialize)]
pub struct MentionView {
    /// The language of the sentence (BCP 47): the article's, or its translation's.
    pub lang: String,
    /// Escaped sentence with each mention wrapped in `<strong>`.
    pub sentence_html: String,
    /// Link to the sentence's first mention (or highlight) in the article.
    pub url: String,
    /// Annotations on this sentence where the entity speaks or that are about it.
    pub passages: Vec<PassageView>,
}

/// An article named in a long list, without its summary and tags.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleBrief {
    pub id: String,
    pub title: String,
    pub url: String,
    pub outlet: Option<EntityRef>,
    pub published: Option<DateView>,
}

/// Everything one article says about an entity.
#[derive(Clone, Debug, Serialize)]
pub struct MentionGroup {
    pub article: ArticleBrief,
    /// The entity wrote the article (its byline).
    pub byline: bool,
    /// The entity published the article (its outlet).
    pub outlet: bool,
    /// How often the article's text names the entity.
    pub mention_count: usize,
    /// How many of the article's annotations quote the entity speaking.
    pub statement_count: usize,
    /// Sentences in reading order, each once.
    pub mentions: Vec<MentionView>,
}

/// A statement or claim an entity made, or a passage about it.
#[derive(Clone, Debug, Serialize)]
pub struct PassageView {
    pub url: String,
    pub article_title: String,
    pub outlet: Option<String>,
    pub quote: String,
    pub kind: String,
    pub kind_label: String,
    /// `unverified`, `verified`, `disputed`, or empty.
    pub status: String,
    /// The entity whose words these are, for statements and claims.
    pub speaker: Option<EntityRef>,
    pub note_html: String,
}

/// `entity.html`.
#[derive(Clone, Debug, Serialize)]
pub struct EntityView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub role: String,
    pub aliases: Vec<String>,
    pub description_html: String,
    pub links: Vec<String>,
    pub mention_count: usize,
    /// Annotations where this entity is the speaker.
    pub statement_count: usize,
    /// Every article that names, quotes, publishes or is written by this entity, newest
    /// first, with each sentence about it once; the groups' counts add up to the totals.
    pub mentions: Vec<MentionGroup>,
    pub events: Vec<EventRef>,
    /// Articles this entity published (it is their outlet).
    pub published: Vec<ArticleRef>,
    /// Articles under this entity's byline (their `author`).
    pub bylines: Vec<ArticleRef>,
    /// Entities mentioned in the same articles, most shared first.
    pub co_entities: Vec<MentionCount>,
    /// The entity and its neighbours in the network of actors, drawn and as a table.
    pub network: super::network::NetworkView,
}

/// One article's passages on an event.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageView {
    pub article: ArticleRef,
    /// When the article appeared relative to the event: `before` (it can only anticipate
    /// it), `report`, or `later` (it refers back to it).
    pub time: &'static str,
    pub passages: Vec<PassageView>,
    /// How many of its passages are of each kind in `EventView::kinds`, in that order.
    pub kind_counts: Vec<usize>,
    /// How many of its passages are disputed (the kind `dispute` or the status `disputed`).
    pub disputed: usize,
}

/// An annotation kind as a column heading.
#[derive(Clone, Debug, Serialize)]
pub struct KindView {
    pub kind: String,
    pub label: String,
}

/// `event.html`.
#[derive(Clone, Debug, Serialize)]
pub struct EventView {
    pub id: String,
    pub title: String,
    pub date: DateView,
    pub summary_html: String,
    pub entities: Vec<EntityRef>,
    pub tags: Vec<TagRef>,
    /// Each article's passages on this event, side by side, in order of publication.
    pub coverage: Vec<CoverageView>,
    /// How many articles report the event: those published before it began do not.
    pub report_count: usize,
    /// The annotation kinds among the coverage's passages, in the theme's legend order.
    pub kinds: Vec<KindView>,
    pub prev: Option<EventRef>,
    pub next: Option<EventRef>,
}

/// `index.html`: the briefing and its timeline.
#[derive(Clone, Debug, Serialize)]
pub struct IndexView {
    pub briefing_html: String,
    /// The drawn timeline and the list of entries under it.
    pub timeline: TimelineView,
    pub article_count: usize,
    pub event_count: usize,
    pub entity_count: usize,
    pub annotation_count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntitySummary {
    pub entity: EntityRef,
    pub role: String,
    pub mention_count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntityGroup {
    pub kind: String,
    pub label: String,
    pub entities: Vec<EntitySummary>,
}

/// `tag.html`.
#[derive(Clone, Debug, Serialize)]
pub struct TagView {
    pub name: String,
    pub articles: Vec<ArticleRef>,
    pub events: Vec<EventRef>,
}

/// `page.html`: an extra Markdown page.
#[derive(Clone, Debug, Serialize)]
pub struct MarkdownPageView {
    pub title: String,
    pub content_html: String,
}

/// The drawn timeline and its list: `index.timeline` in `index.html`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TimelineView {
    /// False when nothing has a known date: no axis is drawn.
    pub drawn: bool,
    pub ticks: Vec<TickView>,
    pub cuts: Vec<CutView>,
    pub lanes: Vec<LaneView>,
    /// Lines from articles to the events they report.
    pub joins: Vec<JoinView>,
    /// Rows of all lanes together, for the join overlay's coordinates.
    pub rows: usize,
    /// Days the whole width shows at the widest stretch's scale, for zooming.
    pub days_per_width: f64,
    /// The list under the axis, by year of start; undated entries last, as `Undated`.
    pub years: Vec<YearView>,
    /// Articles left out of the list because there are too many (they stay counted above).
    pub unlisted_articles: usize,
    pub tags: Vec<OptionView>,
    pub entities: Vec<OptionView>,
    pub outlets: Vec<OptionView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TickView {
    pub x: f64,
    pub label: String,
    /// `year` or `month`.
    pub kind: &'static str,
    /// A year tick not labelled at fit zoom (years too close), or a month tick not drawn there.
    pub minor: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct CutView {
    pub x: f64,
    pub w: f64,
    /// "20 years without entries".
    pub label: String,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LaneView {
    pub label: String,
    pub kind: crate::render::timeline_layout::Kind,
    pub rows: Vec<Vec<MarkerView>>,
    /// Counts per period, shown instead of the markers at coarse zoom (or always, when
    /// `rows` is empty because the lane holds too many entries). An empty `url` means the
    /// entries are not in the list: the theme links to the articles page.
    pub counts: Vec<CountView>,
}

/// A point or bar on the axis for one entry.
#[derive(Clone, Debug, Serialize)]
pub struct MarkerView {
    /// The id of the entry in the list below.
    pub anchor: String,
    pub kind: crate::render::timeline_layout::Kind,
    pub x: f64,
    pub w: f64,
    /// A single day: drawn as a dot centred on `x`.
    pub point: bool,
    /// The first and last day of the date's range (`..` when open or unknown).
    pub start: String,
    pub end: String,
    pub approximate: bool,
    pub uncertain: bool,
    pub open_start: bool,
    pub open_end: bool,
    /// What a screen reader announces: kind, title, date, counts.
    pub label: String,
}

/// How many entries of a lane fall in one period.
#[derive(Clone, Debug, Serialize)]
pub struct CountView {
    pub x: f64,
    pub w: f64,
    pub count: usize,
    pub start: String,
    pub end: String,
    pub label: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct JoinView {
    /// The anchors of the article and the event.
    pub article: String,
    pub event: String,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct YearView {
    pub year: String,
    pub anchor: String,
    pub entries: Vec<EntryView>,
    /// Intervals that started in an earlier year and are still running.
    pub continuing: Vec<EntryLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntryLink {
    pub anchor: String,
    pub title: String,
    pub date: String,
}

/// An entry in the list: date, title and counts, its summary on demand.
#[derive(Clone, Debug, Serialize)]
pub struct EntryView {
    pub anchor: String,
    pub kind: crate::render::timeline_layout::Kind,
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub summary_html: String,
    pub outlet: Option<String>,
    pub outlet_id: String,
    pub count: usize,
    pub tags: String,
    pub entities: String,
    /// Events this article reports, or articles reporting this event.
    pub links: Vec<EntryLink>,
}

/// A choice in a filter.
#[derive(Clone, Debug, Serialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub count: usize,
}
