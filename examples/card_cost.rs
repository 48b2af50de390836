//! Measures what a social card costs to draw and encode, on one thread, and how large it is.
//!
//! `cargo run --release --example card_cost -- [CARDS] [OUT_DIR]` draws CARDS cards [600]
//! of generated titles (long and short, a fifth in Chinese, a third of them events) with
//! one `Painter`, as a build does, and prints the mean time and size of a card; with
//! OUT_DIR it also writes the first cards there as PNG files, to look at.

use gloss::render::card::{CardText, Painter};
use std::time::Instant;

const WORDS: &[&str] = &[
    "Pentagon",
    "says",
    "China",
    "talks",
    "on",
    "military",
    "channels",
    "resume",
    "after",
    "months",
    "of",
    "silence",
    "defence",
    "ministers",
    "meet",
    "in",
    "Singapore",
    "hotline",
    "between",
    "the",
    "two",
    "armies",
    "was",
    "never",
    "used",
    "during",
    "crisis",
    "officials",
    "quietly",
    "agreed",
    "to",
    "new",
    "maritime",
    "rules",
    "Washington",
    "Beijing",
];
const HANZI: &str =
    "中美两军防务热线会谈国防部长新加坡海上安全规则官员同意恢复沟通渠道危机期间从未使用";

/// A small deterministic generator (SplitMix64), so every run draws the same cards.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn cards(n: usize) -> Vec<CardText> {
    let mut rng = Rng(42);
    let hanzi: Vec<char> = HANZI.chars().collect();
    (0..n)
        .map(|i| {
            let title = if i % 5 == 4 {
                (0..8 + rng.below(30))
                    .map(|_| hanzi[rng.below(hanzi.len())])
                    .collect()
            } else {
                (0..3 + rng.below(30))
                    .map(|_| WORDS[rng.below(WORDS.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let event = i % 3 == 2;
            CardText {
                kind: if event { "Event" } else { "Article" }.into(),
                title,
                detail: format!("Reuters · {} Oct 2020", 1 + i % 28),
                site: "China–US military channels".into(),
                host: "example.github.io".into(),
                event,
            }
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let out = args.next();
    let cards = cards(n);
    let painter = Painter::default();
    // The backdrops and the first glyphs are drawn once per build: not a card's cost.
    painter.png(&cards[0]).expect("a card");
    painter.png(&cards[2]).expect("an event card");
    let started = Instant::now();
    let mut bytes = 0;
    for (i, card) in cards.iter().enumerate() {
        let png = painter.png(card).expect("a card");
        bytes += png.len();
        if let Some(out) = &out
            && i < 10
        {
            std::fs::create_dir_all(out).expect("the output folder");
            std::fs::write(format!("{out}/card{i}.png"), &png).expect("a card written");
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{n} cards: {:.2} ms a card, {} bytes a card on average",
        elapsed.as_secs_f64() * 1000.0 / n as f64,
        bytes / n
    );
}
