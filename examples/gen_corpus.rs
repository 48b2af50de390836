//! Writes a synthetic briefing of N articles, and the equivalent Hugo site, for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- --articles 1000 --out /tmp/corpus`
//! writes `/tmp/corpus/gloss/` and `/tmp/corpus/hugo/`. Output is deterministic: the same
//! arguments always give the same bytes, so benchmark runs compare like with like.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const ENTITIES: usize = 500;
const TAGS: usize = 50;
const WORDS_PER_ARTICLE: usize = 800;
const ANNOTATIONS: usize = 10;

/// A small deterministic generator (SplitMix64), so no dependency decides our corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const VOCAB: &[&str] = &[
    "the",
    "military",
    "talks",
    "channel",
    "defense",
    "officials",
    "said",
    "agreed",
    "maritime",
    "security",
    "crisis",
    "communication",
    "between",
    "two",
    "sides",
    "would",
    "resume",
    "dialogue",
    "after",
    "months",
    "of",
    "tension",
    "over",
    "regional",
    "issues",
    "including",
    "exercises",
    "and",
    "patrols",
    "near",
    "contested",
    "waters",
    "a",
    "spokesperson",
    "told",
    "reporters",
    "that",
    "meeting",
    "was",
    "constructive",
    "while",
    "analysts",
    "warned",
    "progress",
    "remained",
    "fragile",
    "in",
    "context",
    "broader",
    "strategic",
    "competition",
    "senior",
    "commanders",
    "held",
    "video",
    "call",
    "to",
    "discuss",
    "risk",
    "reduction",
    "mechanisms",
    "hotline",
    "arrangements",
    "consultations",
    "were",
    "suspended",
    "restored",
    "following",
    "summit",
    "leaders",
    "pledged",
    "stabilize",
    "relations",
    "observers",
    "noted",
    "statement",
    "emphasized",
    "mutual",
    "respect",
    "avoid",
    "accidents",
    "at",
    "sea",
    "air",
    "encounters",
    "unsafe",
    "intercepts",
    "reported",
    "by",
    "several",
    "outlets",
    "with",
    "differing",
    "accounts",
    "framing",
    "timing",
    "agenda",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "sha", "tor", "vel", "qin", "dan", "zhu", "mar", "bel", "ost", "ira",
    "fen", "gao", "hal", "jun", "pet", "ros",
];

struct Entity {
    id: String,
    name: String,
    alias: String,
    kind: &'static str,
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn entities(rng: &mut Rng) -> Vec<Entity> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < ENTITIES {
        let first = cap(&format!("{}{}", rng.pick(SYLLABLES), rng.pick(SYLLABLES)));
        let last = cap(&format!(
            "{}{}{}",
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES)
        ));
        let i = out.len();
        let (name, alias, kind) = match i % 4 {
            0 | 1 => (
                format!("{first} {last}"),
                format!("Minister {last}"),
                "person",
            ),
            2 => (
                format!("{last} Defense Agency"),
                format!("{last} Agency"),
                "organization",
            ),
            _ => (
                format!("{last} Strait"),
                format!("the {last} waters"),
                "place",
            ),
        };
        if !seen.insert(name.clone()) || !seen.insert(alias.clone()) {
            continue;
        }
        out.push(Entity {
            id: format!("e{i:03}-{}", last.to_lowercase()),
            name,
            alias,
            kind,
        });
    }
    out
}

fn sentence(rng: &mut Rng, ents: &[Entity], with_entity: bool) -> String {
    let len = 12 + rng.below(10);
    let mut words: Vec<String> = (0..len).map(|_| rng.pick(VOCAB).to_string()).collect();
    if with_entity {
        let e = rng.pick(ents);
        let name = if rng.below(3) == 0 {
            e.alias.clone()
        } else {
            e.name.clone()
        };
        let at = 1 + rng.below(len - 2);
        words.insert(at, name);
    }
    let mut s = words.join(" ");
    s = cap(&s);
    s.push('.');
    s
}

struct Article {
    id: String,
    title: String,
    date: String,
    paragraphs: Vec<Vec<String>>,
    tags: Vec<String>,
    annotations: Vec<(String, String, String, usize)>, // id, quote, note, event
    outlet: usize,
}

fn main() {
    let mut n = 1000usize;
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--articles" => n = args.next().and_then(|v| v.parse().ok()).unwrap_or(n),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            _ => {
                eprintln!("usage: gen_corpus --articles N --out DIR");
                std::process::exit(2);
            }
        }
    }
    let mut rng = Rng(42);
    let ents = entities(&mut rng);
    let orgs: Vec<usize> = (0..ents.len())
        .filter(|&i| ents[i].kind == "organization")
        .collect();
    let events = (n / 5).max(1);
    let tags: Vec<String> = (0..TAGS).map(|i| format!("topic-{i:02}")).collect();

    let mut articles = Vec::with_capacity(n);
    for a in 0..n {
        let year = 2000 + (a * 24 / n.max(1)) as i32;
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let mut paragraphs = Vec::new();
        let mut words = 0;
        while words < WORDS_PER_ARTICLE {
            let count = 3 + rng.below(3);
            let para: Vec<String> = (0..count)
                .map(|_| {
                    let with_entity = rng.below(2) == 0;
                    sentence(&mut rng, &ents, with_entity)
                })
                .collect();
            words += para.iter().map(|s| s.split(' ').count()).sum::<usize>();
            paragraphs.push(para);
        }
        let mut annotations = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        while annotations.len() < ANNOTATIONS {
            let p = rng.below(paragraphs.len());
            let s = rng.below(paragraphs[p].len());
            if !used.insert((p, s)) {
                continue;
            }
            let k = annotations.len();
            let e = rng.pick(&ents);
            let mut note = format!(
                "Analysis {k}: this passage matters because **{}** is involved; see [the entity](@/entities/{}).",
                e.name, e.id
            );
            if k == 0 && rng.below(10) == 0 {
                note.push_str(
                    "\n\n```rust\nfn channel_open(days: u32) -> bool {\n    days < 30\n}\n```\n",
                );
            }
            annotations.push((
                format!("a{k}"),
                paragraphs[p][s].clone(),
                note,
                rng.below(events),
            ));
        }
        let title = format!(
            "Report {a}: {}",
            sentence(&mut rng, &ents, false).trim_end_matches('.')
        );
        let mut t: Vec<String> = (0..3).map(|_| rng.pick(&tags).clone()).collect();
        t.sort();
        t.dedup();
        articles.push(Article {
            id: format!("art{a:05}"),
            title,
            date: format!("{year}-{month:02}-{day:02}"),
            paragraphs,
            tags: t,
            annotations,
            outlet: *rng.pick(&orgs),
        });
    }

    write_gloss(&out.join("gloss"), &ents, &articles, events, &mut Rng(7));
    write_hugo(&out.join("hugo"), &ents, &articles, events);
    eprintln!("wrote {n} articles to {}", out.display());
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).expect("create folder");
    }
    fs::write(path, text).expect("write file");
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_gloss(dir: &Path, ents: &[Entity], articles: &[Article], events: usize, rng: &mut Rng) {
    let _ = fs::remove_dir_all(dir);
    write(
        &dir.join("site.toml"),
        "title = \"Synthetic briefing\"\ndescription = \"Benchmark corpus\"\nbase_url = \"https://example.org/\"\n",
    );
    let mut e = String::new();
    for ent in ents {
        let _ = write!(
            e,
            "{}:\n  name: {}\n  kind: {}\n  aliases: [{}]\n  role: Synthetic {}\n",
            ent.id,
            yaml_str(&ent.name),
            ent.kind,
            yaml_str(&ent.alias),
            ent.kind
        );
    }
    write(&dir.join("content/entities.yaml"), &e);
    let mut ev = String::new();
    for i in 0..events {
        let year = 2000 + (i * 24 / events.max(1));
        let month = 1 + rng.below(12);
        let date = match i % 4 {
            0 => format!("{year}-{month:02}-{:02}", 1 + rng.below(28)),
            1 => format!("{year}-{month:02}"),
            2 => format!("{year}-{month:02}-01/{year}-{month:02}-15"),
            _ => format!("{year}-{month:02}~"),
        };
        let a = rng.pick(ents);
        let _ = write!(
            ev,
            "- id: ev{i:05}\n  date: \"{date}\"\n  title: Event {i}\n  summary: Something happened involving {}.\n  entities: [{}]\n  tags: [topic-{:02}]\n",
            a.name,
            a.id,
            i % TAGS
        );
    }
    write(&dir.join("content/events.yaml"), &ev);
    write(
        &dir.join("content/briefing.md"),
        "A synthetic briefing for benchmarks.\n",
    );
    for art in articles {
        let seed: String = std::iter::once(art.title.clone())
            .chain(art.paragraphs.iter().map(|p| p.join(" ")))
            .collect::<Vec<_>>()
            .join("\n\n");
        write(&dir.join(format!("seeds/{}.txt", art.id)), &(seed + "\n"));
        let mut y = format!(
            "title: {}\noutlet: {}\npublished: \"{}\"\ntags: [{}]\nsummary: A synthetic article about {}.\nannotations:\n",
            yaml_str(&art.title),
            ents[art.outlet].id,
            art.date,
            art.tags.join(", "),
            art.tags.join(" and ")
        );
        for (id, quote, note, event) in &art.annotations {
            let _ = write!(
                y,
                "  - id: {id}\n    quote: {}\n    kind: fact\n    events: [ev{event:05}]\n    note: |\n",
                yaml_str(quote)
            );
            for line in note.lines() {
                let _ = writeln!(y, "      {line}");
            }
        }
        write(&dir.join(format!("content/articles/{}.yaml", art.id)), &y);
    }
}

fn write_hugo(dir: &Path, ents: &[Entity], articles: &[Article], events: usize) {
    let _ = fs::remove_dir_all(dir);
    write(
        &dir.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Synthetic briefing\"\ndisableKinds = [\"RSS\"]\n[taxonomies]\n  tag = \"tags\"\n  entity = \"entities\"\n  event = \"events\"\n[markup.highlight]\n  noClasses = true\n",
    );
    let layouts = [
        (
            "_default/baseof.html",
            "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav><a href=\"{{ \"/\" | relURL }}\">Home</a></nav>{{ block \"main\" . }}{{ end }}</body></html>\n",
        ),
        (
            "_default/single.html",
            "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2 Jan 2006\" }}</time>{{ .Content }}<ul>{{ range .GetTerms \"entities\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul><ul>{{ range .GetTerms \"events\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">prev</a>{{ end }}{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">next</a>{{ end }}</article>{{ end }}\n",
        ),
        (
            "_default/list.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}\n",
        ),
        (
            "_default/terms.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}\n",
        ),
        (
            "index.html",
            "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ol>{{ range .Site.RegularPages.ByDate }}<li><time>{{ .Date.Format \"2006-01-02\" }}</time> <a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}\n",
        ),
    ];
    for (path, text) in layouts {
        write(&dir.join("layouts").join(path), text);
    }
    let _ = (ents, events);
    for art in articles {
        let mut entities: Vec<&str> = Vec::new();
        let mut evs: Vec<String> = Vec::new();
        let mut body = String::new();
        for p in &art.paragraphs {
            body.push_str(&p.join(" "));
            body.push_str("\n\n");
            for e in ents
                .iter()
                .filter(|e| p.iter().any(|s| s.contains(&e.name)))
            {
                entities.push(&e.name);
            }
        }
        body.push_str("## Annotations\n\n");
        for (id, quote, note, event) in &art.annotations {
            let _ = write!(
                body,
                "<a id=\"{id}\"></a>\n\n> {quote}\n\n{}\n\n",
                note.replace("(@/entities/", "(/entities/")
            );
            evs.push(format!("ev{event:05}"));
        }
        entities.sort();
        entities.dedup();
        evs.sort();
        evs.dedup();
        let list = |v: &[String]| v.iter().map(|s| yaml_str(s)).collect::<Vec<_>>().join(", ");
        let front = format!(
            "---\ntitle: {}\ndate: {}\ntags: [{}]\nentities: [{}]\nevents: [{}]\n---\n\n",
            yaml_str(&art.title),
            art.date,
            art.tags.join(", "),
            list(&entities.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            list(&evs)
        );
        write(
            &dir.join(format!("content/articles/{}.md", art.id)),
            &(front + &body),
        );
    }
}
