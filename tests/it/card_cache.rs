//! Issue 18, item 3: `gloss build` keeps the social cards it draws in the site's
//! `.gloss-cache/`, so a rebuild draws only the cards of pages that changed. The cache never
//! changes what a build writes, a damaged entry is drawn again, and it holds only what the
//! site still uses, beside any file gloss did not make.

use crate::harness::Site;
use std::collections::BTreeMap;

/// The kept cards, by file name.
fn kept(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.tree(".gloss-cache/cards")
}

/// The built cards, by output path.
fn cards(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.tree("public")
        .into_iter()
        .filter(|(p, _)| p.ends_with(".png"))
        .collect()
}

#[test]
fn a_rebuild_takes_its_cards_from_the_cache_and_writes_what_a_cold_build_writes() {
    let site = Site::fixture("mini");
    site.build().ok();
    let cold = site.tree("public");
    let built = cards(&site);
    let kept_first = kept(&site);
    assert_eq!(kept_first.len(), built.len(), "one kept card per page");
    let mut kept_bytes: Vec<&Vec<u8>> = kept_first.values().collect();
    let mut built_bytes: Vec<&Vec<u8>> = built.values().collect();
    kept_bytes.sort();
    built_bytes.sort();
    assert_eq!(
        kept_bytes, built_bytes,
        "the cache holds the cards as built"
    );

    site.build().ok();
    assert_eq!(
        site.tree("public"),
        cold,
        "a warm build writes what a cold one did"
    );
    assert_eq!(kept(&site), kept_first);

    // The warm build took its cards from the cache: one entry given another's bytes shows
    // up on its page. (The cache is trusted as Hugo's resources/_gen is; delete it to reset.)
    let mut entries = kept_first.iter();
    let (name, _) = entries.next().expect("an entry");
    let (_, other) = entries.next().expect("a second entry");
    site.write_bytes(&format!(".gloss-cache/cards/{name}"), other);
    site.build().ok();
    let swapped = cards(&site)
        .into_iter()
        .filter(|(_, bytes)| bytes == other)
        .count();
    assert_eq!(swapped, 2, "the swapped entry and the one it copies");

    std::fs::remove_dir_all(site.path(".gloss-cache")).expect("the cache can be deleted");
    site.build().ok();
    assert_eq!(
        site.tree("public"),
        cold,
        "a build after deleting the cache"
    );
}

#[test]
fn a_cut_short_entry_is_drawn_again() {
    let site = Site::fixture("tiny");
    site.build().ok();
    let cold = site.tree("public");
    let (name, bytes) = kept(&site).into_iter().next().expect("a kept card");
    site.write_bytes(
        &format!(".gloss-cache/cards/{name}"),
        &bytes[..bytes.len() / 2],
    );
    site.build().ok();
    assert_eq!(site.tree("public"), cold);
    assert_eq!(kept(&site)[&name], bytes, "the entry is whole again");
}

#[test]
fn the_cache_holds_what_the_site_uses_and_keeps_files_gloss_did_not_make() {
    let site = Site::fixture("tiny");
    site.build().ok();
    let before = kept(&site);
    site.write(".gloss-cache/cards/README.txt", "mine")
        .write(".gloss-cache/notes.md", "mine too");
    site.replace(
        "content/articles/harbour.yaml",
        "title: Port and river agencies agree to share flood warnings",
        "title: Port and river agencies agree to share warnings",
    );
    site.build().ok();
    let after = kept(&site);
    assert_eq!(after.len(), before.len() + 1, "{:?}", after.keys());
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert_eq!(gone.len(), 1, "the old title's card is gone: {gone:?}");
    assert_eq!(site.read(".gloss-cache/cards/README.txt"), "mine");
    assert_eq!(site.read(".gloss-cache/notes.md"), "mine too");
    // A build that fails removes nothing.
    site.replace(
        "content/articles/harbour.yaml",
        "published: 2024-02-15",
        "published: [",
    );
    site.build();
    let failed = kept(&site);
    assert!(
        after.keys().all(|k| failed.contains_key(k)),
        "{:?}",
        failed.keys()
    );
}
