//! `gloss new SEED`: an annotation skeleton for one seed, so an analyst starts from what gloss
//! can already see in the text — the headline, byline and dateline as `title`, `author`
//! and `published` (and out of the body), dates with EDTF candidates, the entity mentions,
//! web debris to drop — and copies quotes from the paragraphs listed as comments, instead
//! of retyping them.
//!
//! The skeleton is valid as written (`gloss check` accepts it); everything that is only a
//! guess is either marked as one or left commented out.

mod dates;
mod debris;
mod skeleton;

use super::Exit;
use crate::link::mentions::MentionMatcher;
use crate::model::EntitiesFile;
use crate::types::EntityId;
use camino::{Utf8Path, Utf8PathBuf};
pub use dates::{FoundDate, find_dates};
pub use skeleton::skeleton;

pub fn run(root: &Utf8Path, seed: &str) -> Exit {
    match write_skeleton(root, seed) {
        Ok(path) => {
            eprintln!("Wrote {path}.");
            eprintln!(
                "  Check the guessed title, author and date, write the summary, pick quotes from the"
            );
            eprintln!(
                "  paragraphs in its comments, then run `gloss check` (or keep `gloss serve` running)."
            );
            Exit::Success
        }
        Err(message) => {
            eprintln!("error: {message}");
            Exit::Failure
        }
    }
}

/// Writes `content/articles/<id>.yaml` for `seed` and returns its path, or says why not.
fn write_skeleton(root: &Utf8Path, seed: &str) -> Result<Utf8PathBuf, String> {
    let seeds = root.join("seeds");
    let name = seed_name(&seeds, seed)?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let target = root
        .join("content")
        .join("articles")
        .join(format!("{stem}.yaml"));
    if target.exists() {
        return Err(format!(
            "{target} already exists; gloss new never overwrites an annotation file\n  help: edit it, or delete it first to start again"
        ));
    }
    let text = crate::load::read_seed(root, &name).map_err(|d| match d.help {
        Some(help) => format!("{}\n  help: {help}", d.message),
        None => d.message,
    })?;
    let matcher = entity_matcher(root);
    let yaml = skeleton(&name, &text, matcher.as_ref());
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {parent}: {e}"))?;
    }
    // `create_new` closes the race with another writer between the check above and here.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{target} already exists; gloss new never overwrites an annotation file")
            }
            _ => format!("cannot write {target}: {e}"),
        })?;
    std::io::Write::write_all(&mut file, yaml.as_bytes())
        .map_err(|e| format!("cannot write {target}: {e}"))?;
    Ok(target)
}

/// The seed's file name in `seeds/`, from `x.txt`, `seeds/x.txt` or the stem `x`.
fn seed_name(seeds: &Utf8Path, seed: &str) -> Result<String, String> {
    let given = seed.replace('\\', "/");
    let given = given.strip_prefix("./").unwrap_or(&given);
    let given = given.strip_prefix("seeds/").unwrap_or(given);
    if given.is_empty() || given.contains('/') || given.starts_with('.') {
        return Err(format!(
            "`{seed}` is not a file name in seeds/\n  help: give the seed's file name, e.g. `gloss new article.txt`"
        ));
    }
    for candidate in [given.to_owned(), format!("{given}.txt")] {
        if seeds.join(&candidate).is_file() {
            return Ok(candidate);
        }
    }
    let available: Vec<String> = seeds
        .read_dir_utf8()
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let help = match crate::suggest::nearest(given, available.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "put the article's text in seeds/ first (plain UTF-8 text)".into(),
    };
    Err(format!("seeds/{given} does not exist\n  help: {help}"))
}

/// Every alias of every entity in `content/entities.yaml`, or `None` when the file is missing
/// or does not parse (then the skeleton simply lists no mentions).
fn entity_matcher(root: &Utf8Path) -> Option<MentionMatcher> {
    let entities: EntitiesFile = crate::load::read_entities(root)?;
    let aliases: Vec<(EntityId, String)> = entities
        .iter()
        .flat_map(|(id, e)| {
            e.name
                .iter()
                .chain(&e.aliases)
                .filter(|a| !a.trim().is_empty())
                .cloned()
                .map(move |a| (EntityId(id.clone()), a))
        })
        .collect();
    Some(MentionMatcher::new(&aliases))
}
