//! The preview's search records cross from the build process to the server as changes:
//! at 10,000 articles the records hold every article's text (tens of megabytes), and
//! sending them all after each save kept the edited page waiting while they were written,
//! read and parsed.

use crate::hash::stable_hash;
use crate::render::search::Record;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What changed in the search records since the last delta the server applied.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordsDelta {
    /// The records below are all there are (a build process's first records).
    pub full: bool,
    /// Records that are new or differ, by URL.
    pub changed: Vec<Record>,
    /// URLs whose records are gone.
    pub removed: Vec<String>,
    /// Every record's URL in the order the build gave them, when that order changed.
    pub order: Option<Vec<String>>,
}

/// The build process's side: each record it has sent, by URL.
#[derive(Default)]
pub struct Sent {
    records: Option<HashMap<String, Arc<Record>>>,
    order: u64,
}

impl Sent {
    /// What the server needs to hold `records`, or `None` when it holds them already. A
    /// record the build kept from its last run is the same allocation, so finding the
    /// changes costs no comparison of texts.
    pub fn delta(&mut self, records: Vec<Arc<Record>>) -> Option<RecordsDelta> {
        let order = stable_hash(&records.iter().map(|r| &r.url).collect::<Vec<_>>());
        let listed = || Some(records.iter().map(|r| r.url.clone()).collect());
        let delta = match &self.records {
            None => RecordsDelta {
                full: true,
                order: listed(),
                changed: records.iter().map(|r| Record::clone(r)).collect(),
                removed: Vec::new(),
            },
            Some(before) => {
                let urls: HashSet<&str> = records.iter().map(|r| r.url.as_str()).collect();
                let mut removed: Vec<String> = before
                    .keys()
                    .filter(|url| !urls.contains(url.as_str()))
                    .cloned()
                    .collect();
                removed.sort();
                RecordsDelta {
                    full: false,
                    order: if order == self.order { None } else { listed() },
                    changed: records
                        .iter()
                        .filter(|r| {
                            before
                                .get(&r.url)
                                .is_none_or(|old| !Arc::ptr_eq(old, r) && old != *r)
                        })
                        .map(|r| Record::clone(r))
                        .collect(),
                    removed,
                }
            }
        };
        self.records = Some(records.into_iter().map(|r| (r.url.clone(), r)).collect());
        self.order = order;
        let nothing = !delta.full
            && delta.changed.is_empty()
            && delta.removed.is_empty()
            && delta.order.is_none();
        (!nothing).then_some(delta)
    }
}

/// The server's side: every record, by URL, in the build's order.
#[derive(Default)]
pub struct Held {
    records: HashMap<String, Record>,
    order: Vec<String>,
}

impl Held {
    pub fn apply(&mut self, delta: RecordsDelta) {
        if delta.full {
            self.records.clear();
        }
        for url in &delta.removed {
            self.records.remove(url);
        }
        for record in delta.changed {
            self.records.insert(record.url.clone(), record);
        }
        if let Some(order) = delta.order {
            self.order = order;
        }
    }

    /// The records, in the order the build last gave them.
    pub fn records(&self) -> Vec<Record> {
        self.order
            .iter()
            .filter_map(|url| self.records.get(url))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, content: &str) -> Record {
        Record {
            url: url.into(),
            title: url.into(),
            kind: "article".into(),
            content: content.into(),
            language: "en".into(),
            filters: Default::default(),
        }
    }

    #[test]
    fn the_server_holds_what_the_build_last_gave_and_only_changes_cross() {
        let mut sent = Sent::default();
        let mut held = Held::default();
        let builds = [
            vec![record("/a/", "one"), record("/b/", "two")],
            vec![record("/a/", "one"), record("/b/", "two")],
            vec![record("/a/", "one!"), record("/b/", "two")],
            vec![record("/c/", "three"), record("/a/", "one!")],
            vec![record("/a/", "one!"), record("/c/", "three")],
        ];
        let mut crossed = Vec::new();
        for records in builds {
            match sent.delta(records.iter().cloned().map(Arc::new).collect()) {
                Some(delta) => {
                    crossed.push(delta.changed.len());
                    held.apply(delta);
                }
                None => crossed.push(usize::MAX),
            }
            assert_eq!(held.records(), records);
        }
        assert_eq!(crossed, [2, usize::MAX, 1, 1, 0]);
    }

    #[test]
    fn a_new_build_process_replaces_everything() {
        let mut held = Held::default();
        held.apply(
            Sent::default()
                .delta(vec![Arc::new(record("/a/", "x"))])
                .unwrap(),
        );
        let fresh = Sent::default()
            .delta(vec![Arc::new(record("/b/", "y"))])
            .unwrap();
        assert!(fresh.full);
        held.apply(fresh);
        assert_eq!(held.records(), [record("/b/", "y")]);
    }
}
