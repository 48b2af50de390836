//! The network drawing laid out at build time: ForceAtlas2 (the `fa2` crate) places the
//! nodes, then nodes that would overlap are pushed apart and each label is put where it
//! covers no other label or node, or left out (the node keeps its name in a tooltip and the
//! table beside the drawing lists every link).

use fa2::{FA2Data, FA2Settings};

/// How many rounds of ForceAtlas2: the drawings hold a few dozen nodes, which settle well
/// before this, and a fixed count keeps the result the same on every run.
const ITERATIONS: usize = 400;
/// Space kept free around the drawing, in viewBox units, for labels at the edges.
const MARGIN: f64 = 18.0;
/// Gap between a node and its label.
const LABEL_GAP: f64 = 4.0;
/// Labels longer than this many characters are cut (the full name is in the tooltip).
const LABEL_CHARS: usize = 24;

/// A node to place: how big it is drawn and its label.
pub struct NodeIn {
    pub label: String,
    pub radius: f64,
}

/// A label's position: its anchor point and which way the text runs from it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    /// `start`, `end` or `middle`, as SVG's `text-anchor`.
    pub anchor: &'static str,
    pub text: String,
}

/// Where a node is drawn, with its label at the two text sizes the theme uses (wide
/// screens, and phones where the drawing is scaled down and its text must be larger).
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub wide: Option<Label>,
    pub narrow: Option<Label>,
}

/// The text sizes, in viewBox units, that labels are placed for.
pub const WIDE_FONT: f64 = 13.0;
pub const NARROW_FONT: f64 = 22.0;

/// Lays out `nodes` joined by weighted `edges` in a `width` × `height` box. Nodes come in
/// priority order (the first keeps its label when two compete); the result is a pure
/// function of the input.
pub fn layout(
    nodes: &[NodeIn],
    edges: &[(usize, usize, usize)],
    width: f64,
    height: f64,
) -> Vec<Placed> {
    let n = nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let mut data = FA2Data::<f64>::with_capacity(n, edges.len());
    // A sunflower spiral: distinct, deterministic starting points, the first nodes central.
    for i in 0..n {
        let r = 10.0 * (i as f64 + 0.5).sqrt();
        let angle = i as f64 * 2.399_963_229_728_653;
        data.add_node_with_position(r * angle.cos(), r * angle.sin());
    }
    for &(a, b, w) in edges {
        if a != b && a < n && b < n {
            data.add_edge_with_weight(a, b, w as f64);
        }
    }
    let positions: Vec<(f64, f64)> = if n == 1 {
        vec![(0.0, 0.0)]
    } else {
        let mut runner = FA2Settings::<f64>::from_graph_order(n)
            .with_pairwise_repulsion()
            .build(data);
        runner.run(ITERATIONS);
        runner.data().positions().collect()
    };
    let mut pts = fit(&positions, nodes, width, height);
    separate(&mut pts, nodes, width, height);
    let mut placed: Vec<Placed> = pts
        .iter()
        .map(|&(x, y)| Placed {
            x: round(x),
            y: round(y),
            wide: None,
            narrow: None,
        })
        .collect();
    for (font, narrow) in [(WIDE_FONT, false), (NARROW_FONT, true)] {
        let labels = place_labels(&pts, nodes, font, width, height);
        for (p, l) in placed.iter_mut().zip(labels) {
            if narrow {
                p.narrow = l;
            } else {
                p.wide = l;
            }
        }
    }
    placed
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Scales the layout's positions into the box, keeping each node's radius inside it.
fn fit(positions: &[(f64, f64)], nodes: &[NodeIn], width: f64, height: f64) -> Vec<(f64, f64)> {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in positions {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let max_r = nodes.iter().map(|n| n.radius).fold(0.0, f64::max);
    let pad = MARGIN + max_r;
    let span = |lo: f64, hi: f64, room: f64| {
        if hi - lo < 1e-9 {
            (0.0, room / 2.0)
        } else {
            ((room - 2.0 * pad) / (hi - lo), pad)
        }
    };
    let (sx, ox) = span(x0, x1, width);
    let (sy, oy) = span(y0, y1, height);
    positions
        .iter()
        .map(|&(x, y)| (ox + (x - x0) * sx, oy + (y - y0) * sy))
        .collect()
}

/// Pushes apart nodes that overlap (ForceAtlas2 as the crate runs it ignores node sizes),
/// a few deterministic rounds, keeping every node in the box.
fn separate(pts: &mut [(f64, f64)], nodes: &[NodeIn], width: f64, height: f64) {
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..pts.len() {
            for j in i + 1..pts.len() {
                let need = nodes[i].radius + nodes[j].radius + 6.0;
                let (dx, dy) = (pts[j].0 - pts[i].0, pts[j].1 - pts[i].1);
                let d = (dx * dx + dy * dy).sqrt();
                if d >= need {
                    continue;
                }
                moved = true;
                // Coincident nodes part along a direction fixed by their indexes.
                let (ux, uy) = if d < 1e-6 {
                    let a = (i * 7 + j * 13) as f64;
                    (a.cos(), a.sin())
                } else {
                    (dx / d, dy / d)
                };
                let push = (need - d) / 2.0;
                pts[i].0 -= ux * push;
                pts[i].1 -= uy * push;
                pts[j].0 += ux * push;
                pts[j].1 += uy * push;
            }
        }
        for (p, node) in pts.iter_mut().zip(nodes) {
            let r = node.radius + 2.0;
            p.0 = p.0.clamp(r, width - r);
            p.1 = p.1.clamp(r, height - r);
        }
        if !moved {
            break;
        }
    }
}

/// An axis-aligned box: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The label's text: the name, cut between characters when long.
fn label_text(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        return name.to_owned();
    }
    let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// About how wide `text` is set at `font` units in the theme's semibold sans-serif: Han, Kana
/// and Hangul take a full em, capitals and wide letters more than the rest. Browsers and
/// fonts differ, so the estimate errs wide.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars()
        .map(|c| {
            if crate::text::SpacelessScript::of(c).is_some() || crate::text::is_cjk_punctuation(c) {
                1.1
            } else if c.is_uppercase() || matches!(c, 'm' | 'w') {
                0.84
            } else if matches!(
                c,
                'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ' ' | '\''
            ) {
                0.42
            } else {
                0.7
            }
        })
        .sum::<f64>()
        * font
}

/// Puts each node's label beside it (right, left, above, below, in that order of
/// preference) where it overlaps no label already placed, no node and no edge of the box;
/// nodes earlier in the list choose first.
fn place_labels(
    pts: &[(f64, f64)],
    nodes: &[NodeIn],
    font: f64,
    width: f64,
    height: f64,
) -> Vec<Option<Label>> {
    let circles: Vec<Rect> = pts
        .iter()
        .zip(nodes)
        .map(|(&(x, y), n)| (x - n.radius, y - n.radius, x + n.radius, y + n.radius))
        .collect();
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::with_capacity(pts.len());
    for (i, (&(x, y), node)) in pts.iter().zip(nodes).enumerate() {
        let text = label_text(&node.label);
        let w = text_width(&text, font);
        let r = node.radius;
        // Baseline positions; the box spans from ascender to descender around them.
        let candidates = [
            (
                x + r + LABEL_GAP,
                y + font * 0.35,
                "start",
                x + r + LABEL_GAP,
            ),
            (
                x - r - LABEL_GAP,
                y + font * 0.35,
                "end",
                x - r - LABEL_GAP - w,
            ),
            (x, y - r - LABEL_GAP - font * 0.2, "middle", x - w / 2.0),
            (x, y + r + LABEL_GAP + font * 0.95, "middle", x - w / 2.0),
        ];
        let found = candidates.into_iter().find_map(|(lx, ly, anchor, left)| {
            let rect = (
                left - 1.0,
                ly - font * 0.95,
                left + w + 1.0,
                ly + font * 0.3,
            );
            let inside = rect.0 >= 0.0 && rect.1 >= 0.0 && rect.2 <= width && rect.3 <= height;
            let clear = inside
                && !taken.iter().any(|&t| overlaps(t, rect))
                && !circles
                    .iter()
                    .enumerate()
                    .any(|(j, &c)| j != i && overlaps(c, rect));
            clear.then_some((rect, lx, ly, anchor))
        });
        out.push(found.map(|(rect, lx, ly, anchor)| {
            taken.push(rect);
            Label {
                x: round(lx),
                y: round(ly),
                anchor,
                text: text.clone(),
            }
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(names: &[&str]) -> Vec<NodeIn> {
        names
            .iter()
            .map(|n| NodeIn {
                label: (*n).to_owned(),
                radius: 8.0,
            })
            .collect()
    }

    #[test]
    fn nodes_stay_in_the_box_apart_and_labels_never_overlap() {
        let names: Vec<String> = (0..30).map(|i| format!("Entity number {i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let ns = nodes(&refs);
        let edges: Vec<(usize, usize, usize)> = (1..30).map(|i| (0, i, 1 + i % 3)).collect();
        let placed = layout(&ns, &edges, 720.0, 480.0);
        assert_eq!(placed, layout(&ns, &edges, 720.0, 480.0), "deterministic");
        for (i, p) in placed.iter().enumerate() {
            assert!((0.0..=720.0).contains(&p.x) && (0.0..=480.0).contains(&p.y));
            for q in &placed[i + 1..] {
                let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                assert!(d >= 16.0, "nodes overlap: {d}");
            }
        }
        let boxes: Vec<Rect> = placed
            .iter()
            .filter_map(|p| p.wide.as_ref())
            .map(|l| {
                let w = text_width(&l.text, WIDE_FONT);
                let left = match l.anchor {
                    "start" => l.x,
                    "end" => l.x - w,
                    _ => l.x - w / 2.0,
                };
                (left, l.y - 9.0, left + w, l.y + 2.0)
            })
            .collect();
        assert!(boxes.len() >= 10, "most labels fit: {}", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(*a, *b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn long_names_are_cut_and_a_single_node_is_centred() {
        assert_eq!(
            label_text("Ministry of National Defense of the People's Republic"),
            "Ministry of National De…"
        );
        let placed = layout(&nodes(&["Solo"]), &[], 400.0, 300.0);
        assert_eq!((placed[0].x, placed[0].y), (200.0, 150.0));
    }
}
