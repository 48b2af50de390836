//! Claims across outlets: the `claims/` page's rows (every claim, statement and dispute,
//! grouped by the shared `claim:` id, first appearance first) and their schema.org `Claim` /
//! `ClaimReview` markup, the markup fact-checkers publish.

use super::{Ctx, collapse, deps};
use crate::anchor::Article;
use crate::ix::ArticleIx;
use crate::link::{AnnRef, SiteGraph};
use crate::model::AnnotationKind;
use crate::render::view::{ArticleBrief, DateView, EntityRef};
use crate::routes;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Whether an annotation of this kind says what someone claims.
pub fn is_claim_kind(kind: AnnotationKind) -> bool {
    matches!(
        kind,
        AnnotationKind::Claim | AnnotationKind::Statement | AnnotationKind::Dispute
    )
}

/// One row of the claims page: a shared claim id's annotations, or a lone annotation.
#[derive(Debug)]
pub struct ClaimRow {
    /// The `claim:` id the appearances share (`None` for an annotation without one).
    pub id: Option<String>,
    /// In order of appearance: publication date, then article id, then reading order.
    pub appearances: Vec<AnnRef>,
}

/// Every claim, statement and dispute of the site, grouped by `claim:` id, rows in the order
/// of their first appearance.
pub fn rows(g: &SiteGraph) -> Vec<ClaimRow> {
    let rank: BTreeMap<ArticleIx, usize> = g
        .article_order
        .iter()
        .enumerate()
        .map(|(r, &a)| (a, r))
        .collect();
    let mut shared: BTreeMap<&str, Vec<AnnRef>> = BTreeMap::new();
    let mut rows = Vec::new();
    for &a in &g.article_order {
        for (n, ann) in g.articles[a].annotations.iter().enumerate() {
            if !is_claim_kind(ann.kind) {
                continue;
            }
            match &ann.claim {
                Some(id) => shared.entry(id.as_str()).or_default().push((a, n)),
                None => rows.push(ClaimRow {
                    id: None,
                    appearances: vec![(a, n)],
                }),
            }
        }
    }
    rows.extend(shared.into_iter().map(|(id, appearances)| ClaimRow {
        id: Some(id.to_owned()),
        appearances,
    }));
    let first = |r: &ClaimRow| r.appearances.first().map(|&(a, n)| (rank[&a], n));
    rows.sort_by(|x, y| first(x).cmp(&first(y)).then_with(|| x.id.cmp(&y.id)));
    rows
}

/// The page anchor of a row: its claim id, or `<article id>-<annotation id>` for a lone one.
pub fn row_anchor(g: &SiteGraph, row: &ClaimRow) -> String {
    match (&row.id, row.appearances.first()) {
        (Some(id), _) => format!("claim-{id}"),
        (None, Some(&(a, n))) => {
            let art: &Article = &g.articles[a];
            format!("claim-{}-{}", art.id, art.annotations[n].id)
        }
        (None, None) => "claim".into(),
    }
}

impl Ctx<'_> {
    /// The claims page. It reads every article, since any annotation can become a claim.
    pub(super) fn claims_view(&self) -> ClaimsView {
        let g = self.g;
        deps::read(deps::Kind::ArticleOrder, 0usize);
        for a in g.articles.keys() {
            self.read_article(a);
        }
        let rows = rows(g);
        let mut outlets = BTreeSet::new();
        let mut verdict_texts = Vec::with_capacity(rows.len());
        let views: Vec<ClaimRowView> = rows
            .iter()
            .map(|row| {
                let appearances: Vec<AppearanceView> = row
                    .appearances
                    .iter()
                    .map(|&(a, n)| {
                        let art = &g.articles[a];
                        let ann = &art.annotations[n];
                        outlets.extend(g.article_links[a].outlet);
                        AppearanceView {
                            url: routes::fragment(&self.article_url(a), ann.id.as_str()),
                            article: self.article_brief(a),
                            quote: collapse(ann.range.of(art.text(ann.side))),
                            kind: ann.kind.as_str().into(),
                            kind_label: ann.kind.label().into(),
                            status: ann.status_name(),
                            speaker: g.article_links[a].annotations[n]
                                .speaker
                                .map(|s| self.entity_ref(s)),
                            language: art
                                .source
                                .language
                                .clone()
                                .filter(|l| *l != g.config.language),
                        }
                    })
                    .collect();
                let mut speakers: Vec<EntityRef> = Vec::new();
                for s in appearances.iter().filter_map(|ap| ap.speaker.as_ref()) {
                    if !speakers.iter().any(|x| x.id == s.id) {
                        speakers.push(s.clone());
                    }
                }
                let mut kinds: Vec<String> = Vec::new();
                for ap in &appearances {
                    if !kinds.contains(&ap.kind) {
                        kinds.push(ap.kind.clone());
                    }
                }
                let verdict = row.appearances.iter().find_map(|&(a, n)| {
                    let ann = &g.articles[a].annotations[n];
                    let v = ann.verdict.as_ref()?;
                    let mut d = Vec::new();
                    let html = self.markdown(
                        &v.text,
                        g.articles[a].path.as_deref(),
                        Some(ann.pos),
                        &mut d,
                    );
                    Some((
                        v.text.clone(),
                        VerdictView {
                            rating: v.rating.as_str().into(),
                            label: v.rating.label().into(),
                            text_html: html,
                            url: routes::fragment(&self.article_url(a), ann.id.as_str()),
                        },
                    ))
                });
                let (verdict_text, verdict) = verdict.unzip();
                verdict_texts.push(verdict_text);
                ClaimRowView {
                    anchor: row_anchor(g, row),
                    claim_id: row.id.clone(),
                    text: appearances
                        .first()
                        .map(|ap| ap.quote.clone())
                        .unwrap_or_default(),
                    speakers,
                    status: row_status(
                        row.appearances
                            .iter()
                            .map(|&(a, n)| g.articles[a].annotations[n].status),
                    ),
                    kinds,
                    appearances,
                    verdict,
                }
            })
            .collect();
        let json_ld = json_ld(
            &views,
            &routes::url(&self.root, routes::CLAIMS),
            &g.config.title,
            &verdict_texts,
            &|url| routes::absolute(&g.config.base_url, url),
        );
        ClaimsView {
            shared: views.iter().filter(|r| r.appearances.len() > 1).count(),
            reviewed: views.iter().filter(|r| r.verdict.is_some()).count(),
            outlets: outlets.len(),
            rows: views,
            json_ld,
        }
    }
}

/// What the claims page shows.
#[derive(Debug, Serialize)]
pub struct ClaimsView {
    pub rows: Vec<ClaimRowView>,
    /// How many rows are carried by more than one article.
    pub shared: usize,
    /// How many rows have an analyst's verdict.
    pub reviewed: usize,
    /// How many distinct outlets carried a claim.
    pub outlets: usize,
    /// schema.org `Claim` and `ClaimReview` items as one `<script>` element.
    pub json_ld: String,
}

#[derive(Debug, Serialize)]
pub struct ClaimRowView {
    /// The page anchor.
    pub anchor: String,
    pub claim_id: Option<String>,
    /// The first appearance's wording.
    pub text: String,
    /// Who made the claim, as the annotations name them (first appearance first, no repeats).
    pub speakers: Vec<EntityRef>,
    /// The most severe status any appearance gives: disputed, then unverified, then verified.
    pub status: String,
    pub kinds: Vec<String>,
    pub appearances: Vec<AppearanceView>,
    pub verdict: Option<VerdictView>,
}

#[derive(Debug, Serialize)]
pub struct AppearanceView {
    /// The annotation on its article page.
    pub url: String,
    pub article: ArticleBrief,
    pub quote: String,
    pub kind: String,
    pub kind_label: String,
    pub status: String,
    pub speaker: Option<EntityRef>,
    /// The article's language, when it differs from the site's.
    pub language: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct VerdictView {
    pub rating: String,
    pub label: String,
    pub text_html: String,
    /// The annotation that gives the verdict.
    pub url: String,
}

/// The status shown for a row: the most doubtful an appearance records.
pub fn row_status(statuses: impl Iterator<Item = Option<crate::model::Status>>) -> String {
    use crate::model::Status;
    let mut worst: Option<Status> = None;
    for s in statuses.flatten() {
        let rank = |s: Status| match s {
            Status::Disputed => 2,
            Status::Unverified => 1,
            Status::Verified => 0,
        };
        if worst.is_none_or(|w| rank(s) > rank(w)) {
            worst = Some(s);
        }
    }
    worst.map(|s| s.as_str().to_owned()).unwrap_or_default()
}

/// schema.org markup for the claims page: a `Claim` per row, with its appearances, and a
/// `ClaimReview` wrapping it where the analyst gave a verdict. `absolute` turns a
/// root-relative URL into an absolute one.
pub fn json_ld(
    rows: &[ClaimRowView],
    page_url: &str,
    site_title: &str,
    verdict_texts: &[Option<String>],
    absolute: &dyn Fn(&str) -> String,
) -> String {
    let thing = |e: &EntityRef| {
        let ty = match e.kind.as_str() {
            "person" => "Person",
            "organization" => "Organization",
            _ => "Thing",
        };
        json!({"@type": ty, "name": e.name, "url": absolute(&e.url)})
    };
    let items: Vec<Value> = rows
        .iter()
        .zip(verdict_texts)
        .map(|(row, verdict_text)| {
            let works: Vec<Value> = row
                .appearances
                .iter()
                .map(|ap| {
                    let mut w = json!({
                        "@type": "CreativeWork",
                        "url": absolute(&ap.url),
                        "headline": ap.article.title,
                        "text": ap.quote,
                    });
                    let obj = w.as_object_mut().expect("json! object");
                    if let Some(d) = ap.article.published.as_ref().and_then(iso_at_precision) {
                        obj.insert("datePublished".into(), json!(d));
                    }
                    if let Some(o) = &ap.article.outlet {
                        obj.insert("publisher".into(), thing(o));
                    }
                    w
                })
                .collect();
            let mut claim = json!({
                "@type": "Claim",
                "@id": format!("{}#{}", absolute(page_url), row.anchor),
                "text": row.text,
                "appearance": works,
            });
            let obj = claim.as_object_mut().expect("json! object");
            if let Some(first) = works.first() {
                obj.insert("firstAppearance".into(), first.clone());
            }
            if let Some(d) = works.first().and_then(|w| w.get("datePublished")) {
                obj.insert("datePublished".into(), d.clone());
            }
            if let Some(s) = row.speakers.first() {
                obj.insert("author".into(), thing(s));
            }
            match (&row.verdict, verdict_text) {
                (Some(v), Some(text)) => {
                    let mut rating = json!({
                        "@type": "Rating",
                        "alternateName": v.label,
                        "bestRating": 5,
                        "worstRating": 1,
                    });
                    if let Some(value) = rating_value(&v.rating) {
                        rating
                            .as_object_mut()
                            .expect("json! object")
                            .insert("ratingValue".into(), json!(value));
                    }
                    json!({
                        "@type": "ClaimReview",
                        "url": absolute(&v.url),
                        "claimReviewed": row.text,
                        "itemReviewed": claim,
                        "reviewRating": rating,
                        "reviewBody": text,
                        "author": {"@type": "Organization", "name": site_title},
                    })
                }
                _ => claim,
            }
        })
        .collect();
    let value = json!({"@context": "https://schema.org", "@graph": items});
    script(&value)
}

fn rating_value(rating: &str) -> Option<u8> {
    use crate::model::Rating;
    [
        Rating::True,
        Rating::MostlyTrue,
        Rating::Mixed,
        Rating::MostlyFalse,
        Rating::False,
        Rating::Misquoted,
        Rating::Unproven,
    ]
    .into_iter()
    .find(|r| r.as_str() == rating)
    .and_then(|r| r.value())
}

/// A date at the precision the source gives, as `feeds` writes it.
fn iso_at_precision(d: &DateView) -> Option<String> {
    let len = match d.precision {
        "year" => 4,
        "month" => 7,
        _ => 10,
    };
    d.iso.get(..len).map(str::to_owned)
}

/// JSON as a `<script>` element that no string inside can close.
pub fn script(value: &Value) -> String {
    let text = serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("<script type=\"application/ld+json\">{text}</script>")
}
