//! Writes a synthetic briefing of N articles, and the equivalent Hugo site, for benchmarks,
//! in any shape: performance tuned to one corpus must be checked on others.
//!
//! `cargo run --release --example gen_corpus -- --articles 1000 --out /tmp/corpus [KNOBS]`
//! writes `/tmp/corpus/gloss/`, `/tmp/corpus/hugo/` and `/tmp/corpus/shape.txt` (the knobs
//! used, as arguments that make the same corpus again). Knobs (defaults in brackets):
//!
//! - `--words W` [800]: mean words per article (each article 0.5×–1.5× that)
//! - `--annotations K` [10]: annotations per article (fewer if an article has fewer sentences)
//! - `--entities E` [500], `--aliases A` [1]: entities, and aliases of each besides its name
//! - `--mentions D` [0.5]: share of sentences that mention an entity
//! - `--events V` [N/5]: events; each annotation reports one
//! - `--tags T` [50], `--tags-per-article P` [3]
//! - `--note-words M` [20]: words per annotation note; `--code C` [0.01]: share of notes
//!   with a highlighted code block
//! - `--cjk S` [0]: share of articles written in Chinese characters (entities then also
//!   get a name in Chinese characters)
//! - `--seed X` [42]: the random generator's seed
//! - `--random X`: every knob drawn at random (seeded by X) within the ranges of real
//!   briefings, then the corpus generated with seed X; explicit knobs after it override.
//!
//! Output is deterministic: the same arguments always give the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

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
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The corpus's shape: every knob of the command line.
#[derive(Clone, Debug)]
struct Shape {
    articles: usize,
    words: usize,
    annotations: usize,
    entities: usize,
    aliases: usize,
    mentions: f64,
    events: Option<usize>,
    tags: usize,
    tags_per_article: usize,
    note_words: usize,
    code: f64,
    cjk: f64,
    seed: u64,
}

impl Default for Shape {
    fn default() -> Self {
        Self {
            articles: 1000,
            words: 800,
            annotations: 10,
            entities: 500,
            aliases: 1,
            mentions: 0.5,
            events: None,
            tags: 50,
            tags_per_article: 3,
            note_words: 20,
            code: 0.01,
            cjk: 0.0,
            seed: 42,
        }
    }
}

impl Shape {
    /// Every knob drawn from `seed`, within what real briefings show.
    fn random(seed: u64, articles: usize) -> Self {
        let mut rng = Rng(seed ^ 0xA076_1D64_78BD_642F);
        let share = |rng: &mut Rng, lo: usize, hi: usize| rng.between(lo, hi) as f64 / 100.0;
        Self {
            articles,
            words: rng.between(200, 3000),
            annotations: rng.between(0, 40),
            entities: rng.between(20, 3000),
            aliases: rng.between(0, 4),
            mentions: share(&mut rng, 5, 95),
            events: Some(articles * rng.between(2, 100) / 100 + 1),
            tags: rng.between(3, 400),
            tags_per_article: rng.between(0, 8),
            note_words: rng.between(0, 250),
            code: share(&mut rng, 0, 30),
            cjk: if rng.chance(0.3) {
                share(&mut rng, 5, 100)
            } else {
                0.0
            },
            seed,
        }
    }

    fn events(&self) -> usize {
        self.events.unwrap_or(self.articles / 5).max(1)
    }

    /// The arguments that give this corpus again.
    fn args(&self) -> String {
        format!(
            "--articles {} --words {} --annotations {} --entities {} --aliases {} --mentions {} --events {} --tags {} --tags-per-article {} --note-words {} --code {} --cjk {} --seed {}",
            self.articles,
            self.words,
            self.annotations,
            self.entities,
            self.aliases,
            self.mentions,
            self.events(),
            self.tags,
            self.tags_per_article,
            self.note_words,
            self.code,
            self.cjk,
            self.seed
        )
    }
}

const USAGE: &str = "usage: gen_corpus --out DIR [--articles N] [--random SEED] [--words W] \
[--annotations K] [--entities E] [--aliases A] [--mentions D] [--events V] [--tags T] \
[--tags-per-article P] [--note-words M] [--code C] [--cjk S] [--seed X]";

fn parse_args() -> (Shape, PathBuf) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fail = |msg: &str| -> ! {
        eprintln!("error: {msg}\n{USAGE}");
        std::process::exit(2);
    };
    let value = |i: usize| -> &str {
        args.get(i + 1)
            .map(String::as_str)
            .unwrap_or_else(|| fail(&format!("{} needs a value", args[i])))
    };
    fn num<T: std::str::FromStr>(flag: &str, v: &str) -> T {
        v.parse().unwrap_or_else(|_| {
            eprintln!("error: {flag} takes a number, not {v:?}\n{USAGE}");
            std::process::exit(2);
        })
    }
    // The article count first: a random shape scales its event count to it.
    let mut shape = Shape::default();
    if let Some(i) = args.iter().position(|a| a == "--articles") {
        shape.articles = num("--articles", value(i));
    }
    let mut out = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let v = value(i);
        match flag {
            "--out" => out = Some(PathBuf::from(v)),
            "--articles" => shape.articles = num(flag, v),
            "--random" => shape = Shape::random(num(flag, v), shape.articles),
            "--words" => shape.words = num::<usize>(flag, v).max(20),
            "--annotations" => shape.annotations = num(flag, v),
            "--entities" => shape.entities = num::<usize>(flag, v).max(1),
            "--aliases" => shape.aliases = num(flag, v),
            "--mentions" => shape.mentions = num(flag, v),
            "--events" => shape.events = Some(num(flag, v)),
            "--tags" => shape.tags = num::<usize>(flag, v).max(1),
            "--tags-per-article" => shape.tags_per_article = num(flag, v),
            "--note-words" => shape.note_words = num(flag, v),
            "--code" => shape.code = num(flag, v),
            "--cjk" => shape.cjk = num(flag, v),
            "--seed" => shape.seed = num(flag, v),
            _ => fail(&format!("unknown argument {flag}")),
        }
        i += 2;
    }
    let out = out.unwrap_or_else(|| fail("--out is required"));
    (shape, out)
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

/// Two-character Chinese words, for articles written in Chinese characters.
const CJK_VOCAB: &[&str] = &[
    "军事", "会谈", "渠道", "国防", "官员", "表示", "同意", "海上", "安全", "危机", "沟通", "双方",
    "恢复", "对话", "数月", "紧张", "地区", "问题", "包括", "演习", "巡逻", "附近", "海域", "发言",
    "记者", "会议", "建设", "分析", "警告", "进展", "脆弱", "背景", "战略", "竞争", "高级", "指挥",
    "举行", "视频", "通话", "讨论", "风险", "降低", "机制", "热线", "安排", "磋商", "暂停", "随后",
    "峰会", "领导", "承诺", "稳定", "关系", "观察", "指出", "声明", "强调", "相互", "尊重", "避免",
    "事故", "空中", "相遇", "拦截", "报道", "媒体",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "sha", "tor", "vel", "qin", "dan", "zhu", "mar", "bel", "ost", "ira",
    "fen", "gao", "hal", "jun", "pet", "ros",
];

const CJK_SYLLABLES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "海", "峡", "江", "山", "明", "华", "国", "东", "南", "北",
];

struct Entity {
    id: String,
    name: String,
    /// Every other name the entity goes by in the text (Latin script).
    aliases: Vec<String>,
    /// Its name in Chinese characters, when the corpus has Chinese articles.
    cjk: Option<String>,
    kind: &'static str,
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect()
}

fn entities(rng: &mut Rng, shape: &Shape) -> Vec<Entity> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < shape.entities {
        let first = cap(&word(rng, 2));
        let last = cap(&word(rng, 3));
        let i = out.len();
        let (name, kind, forms) = match i % 4 {
            0 | 1 => (
                format!("{first} {last}"),
                "person",
                vec![
                    format!("Minister {last}"),
                    format!("{} {last}", &first[..1]),
                    format!("General {first} {last}"),
                    format!("Mx {last}"),
                ],
            ),
            2 => (
                format!("{last} Defense Agency"),
                "organization",
                vec![
                    format!("{last} Agency"),
                    format!("the {last} DA"),
                    format!("{last} Defence Agency"),
                    format!("{last} defense office"),
                ],
            ),
            _ => (
                format!("{last} Strait"),
                "place",
                vec![
                    format!("the {last} waters"),
                    format!("{last} Channel"),
                    format!("the {last} narrows"),
                    format!("{last} Sound"),
                ],
            ),
        };
        let aliases: Vec<String> = forms.into_iter().take(shape.aliases).collect();
        let cjk = (shape.cjk > 0.0).then(|| {
            let len = rng.between(2, 4);
            (0..len)
                .map(|_| *rng.pick(CJK_SYLLABLES))
                .collect::<String>()
        });
        let names: Vec<&String> = std::iter::once(&name).chain(&aliases).chain(&cjk).collect();
        if names.iter().any(|n| seen.contains(*n)) {
            continue;
        }
        seen.extend(names.into_iter().cloned());
        out.push(Entity {
            id: format!("e{i:04}-{}", last.to_lowercase()),
            name,
            aliases,
            cjk,
            kind,
        });
    }
    out
}

/// One sentence, and the entity it mentions, if any.
fn sentence(rng: &mut Rng, ents: &[Entity], mention: f64, cjk: bool) -> (String, Option<usize>) {
    let mentioned = rng.chance(mention).then(|| rng.below(ents.len()));
    if cjk {
        let len = rng.between(8, 15);
        let mut words: Vec<String> = (0..len).map(|_| rng.pick(CJK_VOCAB).to_string()).collect();
        if let Some(e) = mentioned {
            // Corner brackets keep the name apart from the words around it, as mentions
            // are found on word boundaries.
            let name = ents[e].cjk.clone().unwrap_or_default();
            words.insert(1 + rng.below(len - 2), format!("「{name}」"));
        }
        return (words.concat() + "。", mentioned);
    }
    let len = rng.between(12, 21);
    let mut words: Vec<String> = (0..len).map(|_| rng.pick(VOCAB).to_string()).collect();
    if let Some(e) = mentioned {
        let ent = &ents[e];
        let form = rng.below(ent.aliases.len() + 2);
        let name = ent.aliases.get(form).unwrap_or(&ent.name).clone();
        words.insert(1 + rng.below(len - 2), name);
    }
    (cap(&words.join(" ")) + ".", mentioned)
}

struct Annotation {
    id: String,
    quote: String,
    note: String,
    event: usize,
}

struct Article {
    id: String,
    title: String,
    date: String,
    cjk: bool,
    paragraphs: Vec<Vec<String>>,
    /// Entities its text mentions, for Hugo's taxonomy.
    mentioned: BTreeSet<usize>,
    tags: Vec<String>,
    annotations: Vec<Annotation>,
    outlet: usize,
}

fn note(rng: &mut Rng, shape: &Shape, k: usize, ents: &[Entity]) -> String {
    let e = rng.pick(ents);
    let mut note = format!(
        "Analysis {k}: this passage matters because **{}** is involved; see [the entity](@/entities/{}).",
        e.name, e.id
    );
    let mut words = 12;
    while words < shape.note_words {
        let len = rng.between(8, 16).min(shape.note_words - words).max(1);
        let text: Vec<&str> = (0..len).map(|_| *rng.pick(VOCAB)).collect();
        note.push(' ');
        note.push_str(&cap(&text.join(" ")));
        note.push('.');
        words += len;
    }
    if rng.chance(shape.code) {
        note.push_str("\n\n```rust\nfn channel_open(days: u32) -> bool {\n    days < 30\n}\n```\n");
    }
    note
}

fn article(rng: &mut Rng, shape: &Shape, a: usize, ents: &[Entity], tags: &[String]) -> Article {
    let n = shape.articles;
    let year = 2000 + a * 24 / n.max(1);
    let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
    let cjk = rng.chance(shape.cjk) && shape.cjk > 0.0;
    let target = rng.between(shape.words / 2, shape.words * 3 / 2).max(20);
    let mut paragraphs = Vec::new();
    let mut mentioned = BTreeSet::new();
    let mut words = 0;
    while words < target {
        let count = rng.between(3, 5);
        let para: Vec<String> = (0..count)
            .map(|_| {
                let (s, e) = sentence(rng, ents, shape.mentions, cjk);
                mentioned.extend(e);
                // A Chinese sentence counts as many words as it has two-character words.
                words += if cjk {
                    s.chars().count() / 2
                } else {
                    s.split(' ').count()
                };
                s
            })
            .collect();
        paragraphs.push(para);
    }
    let sentences: usize = paragraphs.iter().map(Vec::len).sum();
    let mut annotations = Vec::new();
    let mut used = BTreeSet::new();
    while annotations.len() < shape.annotations.min(sentences) {
        let p = rng.below(paragraphs.len());
        let s = rng.below(paragraphs[p].len());
        if !used.insert((p, s)) {
            continue;
        }
        let k = annotations.len();
        annotations.push(Annotation {
            id: format!("a{k}"),
            quote: paragraphs[p][s].clone(),
            note: note(rng, shape, k, ents),
            event: rng.below(shape.events()),
        });
    }
    let (headline, _) = sentence(rng, ents, 0.0, cjk);
    let title = format!("Report {a}: {}", headline.trim_end_matches(['.', '。']));
    let mut t: Vec<String> = (0..shape.tags_per_article)
        .map(|_| rng.pick(tags).clone())
        .collect();
    t.sort();
    t.dedup();
    let outlets: Vec<usize> = (0..ents.len())
        .filter(|&i| ents[i].kind == "organization")
        .collect();
    Article {
        id: format!("art{a:05}"),
        title,
        date: format!("{year}-{month:02}-{day:02}"),
        cjk,
        paragraphs,
        mentioned,
        tags: t,
        annotations,
        outlet: if outlets.is_empty() {
            0
        } else {
            *rng.pick(&outlets)
        },
    }
}

fn main() {
    let (shape, out) = parse_args();
    let mut rng = Rng(shape.seed);
    let ents = entities(&mut rng, &shape);
    let tags: Vec<String> = (0..shape.tags).map(|i| format!("topic-{i:03}")).collect();
    let articles: Vec<Article> = (0..shape.articles)
        .map(|a| article(&mut rng, &shape, a, &ents, &tags))
        .collect();
    write_gloss(&out.join("gloss"), &shape, &ents, &articles, &mut Rng(7));
    write_hugo(&out.join("hugo"), &shape, &ents, &articles);
    write(&out.join("shape.txt"), &(shape.args() + "\n"));
    eprintln!(
        "wrote {} articles to {} ({})",
        shape.articles,
        out.display(),
        shape.args()
    );
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

fn seed_text(art: &Article) -> String {
    let joiner = if art.cjk { "" } else { " " };
    std::iter::once(art.title.clone())
        .chain(art.paragraphs.iter().map(|p| p.join(joiner)))
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

fn write_gloss(dir: &Path, shape: &Shape, ents: &[Entity], articles: &[Article], rng: &mut Rng) {
    let _ = fs::remove_dir_all(dir);
    write(
        &dir.join("site.toml"),
        "title = \"Synthetic briefing\"\ndescription = \"Benchmark corpus\"\nbase_url = \"https://example.org/\"\n",
    );
    let mut e = String::new();
    for ent in ents {
        let aliases: Vec<String> = ent
            .aliases
            .iter()
            .chain(&ent.cjk)
            .map(|a| yaml_str(a))
            .collect();
        let _ = write!(
            e,
            "{}:\n  name: {}\n  kind: {}\n  aliases: [{}]\n  role: Synthetic {}\n",
            ent.id,
            yaml_str(&ent.name),
            ent.kind,
            aliases.join(", "),
            ent.kind
        );
    }
    write(&dir.join("content/entities.yaml"), &e);
    let events = shape.events();
    let mut ev = String::new();
    for i in 0..events {
        let year = 2000 + (i * 24 / events);
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
            "- id: ev{i:05}\n  date: \"{date}\"\n  title: Event {i}\n  summary: Something happened involving {}.\n  entities: [{}]\n  tags: [topic-{:03}]\n",
            a.name,
            a.id,
            i % shape.tags
        );
    }
    write(&dir.join("content/events.yaml"), &ev);
    write(
        &dir.join("content/briefing.md"),
        "A synthetic briefing for benchmarks.\n",
    );
    for art in articles {
        write(&dir.join(format!("seeds/{}.txt", art.id)), &seed_text(art));
        let about = if art.tags.is_empty() {
            "nothing in particular".to_owned()
        } else {
            art.tags.join(" and ")
        };
        let mut y = format!(
            "title: {}\noutlet: {}\npublished: \"{}\"\ntags: [{}]\nsummary: A synthetic article about {about}.\nannotations:{}\n",
            yaml_str(&art.title),
            ents[art.outlet].id,
            art.date,
            art.tags.join(", "),
            if art.annotations.is_empty() {
                " []"
            } else {
                ""
            }
        );
        for n in &art.annotations {
            let _ = write!(
                y,
                "  - id: {}\n    quote: {}\n    kind: fact\n    events: [ev{:05}]\n    note: |\n",
                n.id,
                yaml_str(&n.quote),
                n.event
            );
            for line in n.note.lines() {
                let _ = writeln!(y, "      {line}");
            }
        }
        write(&dir.join(format!("content/articles/{}.yaml", art.id)), &y);
    }
}

fn write_hugo(dir: &Path, shape: &Shape, ents: &[Entity], articles: &[Article]) {
    let _ = fs::remove_dir_all(dir);
    write(
        &dir.join("hugo.toml"),
        &format!(
            "baseURL = \"https://example.org/\"\ntitle = \"Synthetic briefing\"\ndisableKinds = [\"RSS\"]\nhasCJKLanguage = {}\n[taxonomies]\n  tag = \"tags\"\n  entity = \"entities\"\n  event = \"events\"\n[markup.highlight]\n  noClasses = true\n",
            shape.cjk > 0.0
        ),
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
    for art in articles {
        let joiner = if art.cjk { "" } else { " " };
        let mut body = String::new();
        for p in &art.paragraphs {
            body.push_str(&p.join(joiner));
            body.push_str("\n\n");
        }
        body.push_str("## Annotations\n\n");
        let mut evs: Vec<String> = Vec::new();
        for n in &art.annotations {
            let _ = write!(
                body,
                "<a id=\"{}\"></a>\n\n> {}\n\n{}\n\n",
                n.id,
                n.quote,
                n.note.replace("(@/entities/", "(/entities/")
            );
            evs.push(format!("ev{:05}", n.event));
        }
        evs.sort();
        evs.dedup();
        let list = |v: &[String]| v.iter().map(|s| yaml_str(s)).collect::<Vec<_>>().join(", ");
        let entities: Vec<String> = art
            .mentioned
            .iter()
            .map(|&e| ents[e].name.clone())
            .collect();
        let front = format!(
            "---\ntitle: {}\ndate: {}\ntags: [{}]\nentities: [{}]\nevents: [{}]\n---\n\n",
            yaml_str(&art.title),
            art.date,
            art.tags.join(", "),
            list(&entities),
            list(&evs)
        );
        write(
            &dir.join(format!("content/articles/{}.md", art.id)),
            &(front + &body),
        );
    }
}
