//! The network of actors as pages show it: the whole network on the entities index and each
//! entity's neighbourhood on its page, each as a drawing (laid out by `network_layout`) and a
//! table of the same links saying how often and where.

use super::network_layout::{self, Label, NodeIn};
use super::{Ctx, deps};
use crate::ix::{EntityIx, TiVec};
use crate::link::{NetworkLink, Tie};
use crate::model::EntityKind;
use crate::render::view::EntityRef;
use crate::routes;
use serde::Serialize;
use std::collections::BTreeMap;

/// The entities index draws this many entities, those with the most ties; its table lists
/// every link (up to [`INDEX_ROWS`]).
pub const INDEX_NODES: usize = 40;
/// An entity page draws the entity and this many of its neighbours, the most tied first.
pub const NEIGHBOURS: usize = 15;
/// Rows the entities index's table shows, strongest links first: enough for any briefing
/// read by people, bounded for generated ones.
const INDEX_ROWS: usize = 400;
/// Rows an entity page's table shows, strongest first.
const ENTITY_ROWS: usize = 300;
/// Articles each row names; the rest are counted.
const PLACES: usize = 3;

/// A drawing's size in viewBox units.
const INDEX_SIZE: (f64, f64) = (720.0, 500.0);
const ENTITY_SIZE: (f64, f64) = (640.0, 400.0);

/// A network as a page shows it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct NetworkView {
    pub width: f64,
    pub height: f64,
    /// Drawn entities, the focus (on an entity page) first, then the most tied.
    pub nodes: Vec<NetworkNode>,
    /// Drawn links, lightest first so heavy ones are drawn on top.
    pub edges: Vec<NetworkEdge>,
    /// The table: the links, strongest first.
    pub rows: Vec<NetworkRow>,
    /// Every link there is (the table may show fewer, the drawing fewer still).
    pub link_count: usize,
    /// Every entity with a link (the drawing may show fewer).
    pub entity_count: usize,
    /// The kinds of entity drawn, for the legend.
    pub kinds: Vec<KindKey>,
    /// What the drawing shows, in a sentence.
    pub caption: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct NetworkNode {
    pub entity: EntityRef,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// All of the entity's ties, drawn or not.
    pub ties: usize,
    /// How many entities it is linked with.
    pub links: usize,
    /// The entity whose page this is.
    pub focus: bool,
    /// Its shape, an SVG path: the kind is told by shape as well as by colour.
    pub path: String,
    /// Its label at the drawing's two text sizes (wide screens, phones); absent where no
    /// place was free.
    pub label: Option<Label>,
    pub label_narrow: Option<Label>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NetworkEdge {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    /// Stroke width and opacity, both growing with the weight, so a web of single ties
    /// recedes behind the links that recur.
    pub width: f64,
    pub opacity: f64,
    pub weight: usize,
    pub from: String,
    pub to: String,
}

/// One link of the table.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkRow {
    pub entity: EntityRef,
    pub other: EntityRef,
    /// How many ties: annotations naming both, paragraphs mentioning both, bylines.
    pub weight: usize,
    /// The articles the ties are in, in timeline order (the first [`PLACES`]).
    pub places: Vec<TiePlace>,
    /// Articles with ties beyond those listed.
    pub more_articles: usize,
}

/// The ties of one link in one article.
#[derive(Clone, Debug, Serialize)]
pub struct TiePlace {
    /// The article's outlet and date ("Global Times, 30 Nov 2023"), or its title when it
    /// has neither: short enough for a table cell.
    pub label: String,
    pub title: String,
    /// The first tie: the annotation, the paragraph's first mention, or the article.
    pub url: String,
    pub annotations: usize,
    pub paragraphs: usize,
    pub byline: bool,
    /// The counts in words: "1 annotation, 2 paragraphs, byline".
    pub how: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct KindKey {
    pub kind: &'static str,
    pub label: &'static str,
    /// The kind's shape around (0, 0), for the legend.
    pub path: String,
}

/// The shape of an entity of `kind` at (`x`, `y`) with size `r`, as an SVG path: a circle
/// for people, a square for organizations, a diamond for places, a triangle for the rest
/// (the shapes of the entity chips elsewhere in the theme).
pub fn shape(kind: EntityKind, x: f64, y: f64, r: f64) -> String {
    let f = round;
    match kind {
        EntityKind::Person => format!(
            "M{} {}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 {} 0Z",
            f(x - r),
            f(y),
            f(2.0 * r),
            f(-2.0 * r)
        ),
        EntityKind::Organization => {
            let h = f(r * 0.9);
            format!(
                "M{} {}h{}v{}h{}Z",
                f(x - h),
                f(y - h),
                f(2.0 * h),
                f(2.0 * h),
                f(-2.0 * h)
            )
        }
        EntityKind::Place => {
            let d = f(r * 1.2);
            format!(
                "M{} {}L{} {}L{} {}L{} {}Z",
                f(x),
                f(y - d),
                f(x + d),
                f(y),
                f(x),
                f(y + d),
                f(x - d),
                f(y)
            )
        }
        EntityKind::Other => {
            let d = r * 1.2;
            format!(
                "M{} {}L{} {}L{} {}Z",
                f(x),
                f(y - d),
                f(x + d * 0.87),
                f(y + d * 0.5),
                f(x - d * 0.87),
                f(y + d * 0.5)
            )
        }
    }
}

impl Ctx<'_> {
    /// The whole network, for the entities index.
    pub(super) fn network_view(&self) -> NetworkView {
        let g = self.g;
        for e in g.entities.keys() {
            deps::read(deps::Kind::EntityLinks, e);
        }
        let ties: TiVec<EntityIx, usize> = g
            .entity_links
            .iter()
            .map(|l| l.network.iter().map(NetworkLink::weight).sum())
            .collect();
        let mut linked: Vec<EntityIx> = g
            .entities
            .keys()
            .filter(|&e| !g.entity_links[e].network.is_empty())
            .collect();
        linked.sort_by(|&x, &y| {
            ties[y]
                .cmp(&ties[x])
                .then_with(|| g.entities[x].name.cmp(&g.entities[y].name))
                .then(x.cmp(&y))
        });
        let entity_count = linked.len();
        linked.truncate(INDEX_NODES);
        let mut pairs: Vec<(EntityIx, &NetworkLink)> = g
            .entities
            .keys()
            .flat_map(|e| {
                g.entity_links[e]
                    .network
                    .iter()
                    .filter(move |l| l.other > e)
                    .map(move |l| (e, l))
            })
            .collect();
        let link_count = pairs.len();
        pairs.sort_by(|(x, l), (y, m)| {
            m.weight()
                .cmp(&l.weight())
                .then_with(|| g.entities[*x].name.cmp(&g.entities[*y].name))
                .then_with(|| g.entities[l.other].name.cmp(&g.entities[m.other].name))
                .then((x, l.other).cmp(&(y, m.other)))
        });
        let rows = pairs
            .iter()
            .take(INDEX_ROWS)
            .map(|&(e, l)| self.network_row(e, l))
            .collect();
        let mut view = self.drawing(&linked, None, INDEX_SIZE);
        view.rows = rows;
        view.link_count = link_count;
        view.entity_count = entity_count;
        view.caption = if view.nodes.len() < entity_count {
            format!(
                "The {} entities with the most links, of {entity_count} that have any. Each shape leads to the entity's page.",
                view.nodes.len()
            )
        } else {
            "Every entity with a link. Each shape leads to the entity's page.".to_owned()
        };
        view
    }

    /// Entity `e` and its neighbours, for its page.
    pub(super) fn neighbourhood_view(&self, e: EntityIx) -> NetworkView {
        let g = self.g;
        let links = &g.entity_links[e].network;
        if links.is_empty() {
            return NetworkView::default();
        }
        let mut order: Vec<&NetworkLink> = links.iter().collect();
        order.sort_by(|l, m| {
            m.weight()
                .cmp(&l.weight())
                .then_with(|| g.entities[l.other].name.cmp(&g.entities[m.other].name))
                .then(l.other.cmp(&m.other))
        });
        let drawn: Vec<EntityIx> = std::iter::once(e)
            .chain(order.iter().take(NEIGHBOURS).map(|l| l.other))
            .collect();
        let rows = order
            .iter()
            .take(ENTITY_ROWS)
            .map(|l| self.network_row(e, l))
            .collect();
        let mut view = self.drawing(&drawn, Some(e), ENTITY_SIZE);
        view.rows = rows;
        view.link_count = links.len();
        view.entity_count = links.len() + 1;
        let name = &g.entities[e].name;
        view.caption = if links.len() > NEIGHBOURS {
            format!(
                "{name} and the {NEIGHBOURS} entities it is most often linked with, of {}, with the links among them.",
                links.len()
            )
        } else {
            format!("{name} and every entity it is linked with, with the links among them.")
        };
        view
    }

    /// The drawing of `drawn` (in priority order) and every link among them.
    fn drawing(
        &self,
        drawn: &[EntityIx],
        focus: Option<EntityIx>,
        (width, height): (f64, f64),
    ) -> NetworkView {
        let g = self.g;
        let pos: BTreeMap<EntityIx, usize> =
            drawn.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let mut edges: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &e) in drawn.iter().enumerate() {
            // The links among neighbours are part of what the page shows.
            deps::read(deps::Kind::EntityLinks, e);
            for l in g.entity_links[e].network.iter() {
                if let Some(&j) = pos.get(&l.other)
                    && j > i
                {
                    edges.push((i, j, l.weight()));
                }
            }
        }
        let ties: Vec<usize> = drawn
            .iter()
            .map(|&e| g.entity_links[e].network.iter().map(|l| l.weight()).sum())
            .collect();
        let max_ties = ties.iter().copied().max().unwrap_or(1).max(1) as f64;
        let radius = |i: usize| {
            if Some(drawn[i]) == focus {
                17.0
            } else {
                round(5.0 + 10.0 * (ties[i] as f64 / max_ties).sqrt())
            }
        };
        let inputs: Vec<NodeIn> = drawn
            .iter()
            .enumerate()
            .map(|(i, &e)| NodeIn {
                label: g.entities[e].name.clone(),
                radius: radius(i),
            })
            .collect();
        let placed = network_layout::layout(&inputs, &edges, width, height);
        let nodes: Vec<NetworkNode> = drawn
            .iter()
            .zip(placed.iter())
            .enumerate()
            .map(|(i, (&e, p))| NetworkNode {
                entity: self.entity_ref(e),
                x: p.x,
                y: p.y,
                r: inputs[i].radius,
                ties: ties[i],
                links: g.entity_links[e].network.len(),
                focus: Some(e) == focus,
                path: shape(g.entities[e].kind, p.x, p.y, inputs[i].radius),
                label: p.wide.clone(),
                label_narrow: p.narrow.clone(),
            })
            .collect();
        let max_weight = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
        edges.sort_by_key(|&(i, j, w)| (w, i, j));
        let edges = edges
            .into_iter()
            .map(|(i, j, w)| NetworkEdge {
                x1: nodes[i].x,
                y1: nodes[i].y,
                x2: nodes[j].x,
                y2: nodes[j].y,
                width: round(1.0 + 5.0 * (w as f64 / max_weight).sqrt()),
                opacity: ((0.3 + 0.6 * (w as f64 / max_weight).sqrt()) * 100.0).round() / 100.0,
                weight: w,
                from: nodes[i].entity.name.clone(),
                to: nodes[j].entity.name.clone(),
            })
            .collect();
        let kinds = [
            EntityKind::Person,
            EntityKind::Organization,
            EntityKind::Place,
            EntityKind::Other,
        ]
        .into_iter()
        .filter(|k| drawn.iter().any(|&e| g.entities[e].kind == *k))
        .map(|k| KindKey {
            kind: k.as_str(),
            label: k.plural_label(),
            path: shape(k, 0.0, 0.0, 6.0),
        })
        .collect();
        NetworkView {
            width,
            height,
            nodes,
            edges,
            rows: Vec::new(),
            link_count: 0,
            entity_count: 0,
            kinds,
            caption: String::new(),
        }
    }

    /// A table row: `e`'s link `l`, with the articles its ties are in.
    fn network_row(&self, e: EntityIx, l: &NetworkLink) -> NetworkRow {
        let mut places: Vec<TiePlace> = Vec::new();
        let mut articles = 0;
        let mut last = None;
        for &tie in &l.ties {
            let a = tie.article();
            if last != Some(a) {
                last = Some(a);
                articles += 1;
                if places.len() < PLACES {
                    places.push(self.tie_place(tie));
                }
                continue;
            }
            if articles <= PLACES
                && let Some(p) = places.last_mut()
            {
                count(p, tie);
            }
        }
        NetworkRow {
            entity: self.entity_ref(e),
            other: self.entity_ref(l.other),
            weight: l.weight(),
            more_articles: articles - places.len(),
            places,
        }
    }

    /// The first tie of a link in an article, and where it leads.
    fn tie_place(&self, tie: Tie) -> TiePlace {
        let a = tie.article();
        deps::read(deps::Kind::ArticleRef, a);
        let art = &self.g.articles[a];
        let url = self.article_url(a);
        let url = match tie {
            Tie::Annotation((_, n)) => {
                deps::read(deps::Kind::AnnotationRefs, a);
                routes::fragment(&url, art.annotations[n].id.as_str())
            }
            Tie::Paragraph { mention, .. } => routes::fragment(&url, &format!("m{}", mention + 1)),
            Tie::Byline(_) => url,
        };
        let outlet = self.g.article_links[a]
            .outlet
            .map(|o| self.g.entities[o].name.clone());
        let date = art.published.as_ref().map(|d| super::date_view(d).display);
        let label = match (outlet, date) {
            (Some(o), Some(d)) => format!("{o}, {d}"),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => art.title.clone(),
        };
        let mut place = TiePlace {
            label,
            title: art.title.clone(),
            url,
            annotations: 0,
            paragraphs: 0,
            byline: false,
            how: String::new(),
        };
        count(&mut place, tie);
        place
    }
}

/// Counts `tie` into `place` and says the counts again in words.
fn count(place: &mut TiePlace, tie: Tie) {
    match tie {
        Tie::Annotation(_) => place.annotations += 1,
        Tie::Paragraph { .. } => place.paragraphs += 1,
        Tie::Byline(_) => place.byline = true,
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if place.annotations > 0 {
        parts.push(plural(place.annotations, "annotation"));
    }
    if place.paragraphs > 0 {
        parts.push(plural(place.paragraphs, "paragraph"));
    }
    if place.byline {
        parts.push("byline".to_owned());
    }
    place.how = parts.join(", ");
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
