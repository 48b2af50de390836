//! Arbitrary text as `site.toml`: parsing must end in a configuration or a diagnostic, and a
//! configuration that parses must be safe to paste into pages and the live-reload script:
//! its base URL and base path hold no quote, angle bracket, query or other host.
#![no_main]

use camino::Utf8Path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(config) = gloss::config::parse(Utf8Path::new("site.toml"), text) else {
        return;
    };
    let root = config.root_path();
    for value in [config.base_url.as_str(), root.as_str()] {
        assert!(
            !value.contains(['"', '\'', '<', '>', '`', '\\', '?', '#'])
                && !value.chars().any(char::is_control),
            "unsafe base URL {value:?}"
        );
    }
    assert!(root.starts_with('/') && !root.starts_with("//"), "{root:?}");
    assert!(
        !config.github_pages.cname.contains(['\n', '\r', '/']),
        "{:?}",
        config.github_pages.cname
    );
});
