//! What each content file may contain, field by field: the shapes `shape::check` holds an
//! article file, `entities.yaml`, `events.yaml` and a page's front matter to. They say what
//! serde's types say, in a form a checker can walk (a test keeps the two the same), and in
//! the words messages use.

/// What a value in a file must look like.
pub enum Shape {
    /// Any scalar (YAML reads `2024` or `true` as text where text is expected).
    Text,
    Bool,
    /// A whole number, at least `min`.
    Int {
        min: i64,
    },
    /// One of a fixed set of words; `what` names the set in messages ("kind of annotation").
    Choice {
        what: &'static str,
        options: &'static [&'static str],
    },
    List(&'static Shape),
    Record(&'static Record),
    /// A mapping from ids the author chooses to values of one shape.
    MapOf(&'static Shape),
}

/// A mapping with a fixed set of fields.
pub struct Record {
    /// What one such mapping is, in messages: "an annotation".
    pub what: &'static str,
    pub fields: &'static [Field],
}

pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// A bad value here changes what a later stage makes of the whole record (a quote's
    /// `prefix` chooses among its matches), so the message names the record: the later
    /// error about it is then known as a consequence.
    pub decisive: bool,
    /// A record missing this required field is still read (the later stages know what to
    /// make of it), so its other fields are checked in the same run.
    pub kept_when_missing: bool,
}

const fn field(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
        decisive: false,
        kept_when_missing: false,
    }
}

const fn required(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
        decisive: true,
        kept_when_missing: false,
    }
}

/// A required field whose record is read without it: the annotation's `quote` (the
/// annotation is left unanchored, its references still checked), an entity's `name` and
/// `kind` (the entity keeps its id, so references to it are no second error).
const fn required_kept(name: &'static str, shape: Shape) -> Field {
    Field {
        kept_when_missing: true,
        ..required(name, shape)
    }
}

const fn decisive(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
        decisive: true,
        kept_when_missing: false,
    }
}

const TEXTS: Shape = Shape::List(&Shape::Text);

/// The words of `model::AnnotationKind`.
pub const ANNOTATION_KINDS: &[&str] = &[
    "note",
    "fact",
    "claim",
    "statement",
    "context",
    "question",
    "dispute",
];

const TEXT_RULES: Record = Record {
    what: "the `text` rules",
    fields: &[
        field("drop", TEXTS),
        field("end_before", Shape::Text),
        field("headings", TEXTS),
    ],
};

const ANNOTATION: Record = Record {
    what: "an annotation",
    fields: &[
        required("id", Shape::Text),
        required_kept("quote", Shape::Text),
        decisive("prefix", Shape::Text),
        decisive("suffix", Shape::Text),
        // 0 is read, so that the anchor stage can say which occurrences there are.
        decisive("occurrence", Shape::Int { min: 0 }),
        decisive(
            "in",
            Shape::Choice {
                what: "text",
                options: &["original", "translation"],
            },
        ),
        field(
            "kind",
            Shape::Choice {
                what: "kind of annotation",
                options: ANNOTATION_KINDS,
            },
        ),
        field("speaker", Shape::Text),
        field("note", Shape::Text),
        field("entities", TEXTS),
        field("events", TEXTS),
        field("see", TEXTS),
        field(
            "status",
            Shape::Choice {
                what: "status",
                options: &["unverified", "verified", "disputed"],
            },
        ),
        field("claim", Shape::Text),
        field("verdict", Shape::Record(&VERDICT)),
    ],
};

/// `model::Verdict`.
const VERDICT: Record = Record {
    what: "a verdict",
    fields: &[
        required(
            "rating",
            Shape::Choice {
                what: "rating",
                options: &[
                    "true",
                    "mostly-true",
                    "mixed",
                    "mostly-false",
                    "false",
                    "misquoted",
                    "unproven",
                ],
            },
        ),
        required("text", Shape::Text),
    ],
};

/// `model::ArticleFile`.
pub const ARTICLE_FILE: Shape = Shape::Record(&Record {
    what: "an annotation file",
    fields: &[
        field("seed", Shape::Text),
        field("title", Shape::Text),
        field("slug", Shape::Text),
        field("outlet", Shape::Text),
        field("author", Shape::Text),
        field("published", Shape::Text),
        field("updated", Shape::Text),
        field("url", Shape::Text),
        field("archived", Shape::Text),
        field("retrieved", Shape::Text),
        field("language", Shape::Text),
        field("draft", Shape::Bool),
        field("tags", TEXTS),
        field("summary", Shape::Text),
        field("text", Shape::Record(&TEXT_RULES)),
        field("annotations", Shape::List(&Shape::Record(&ANNOTATION))),
    ],
});

/// `model::EntitiesFile`.
pub const ENTITIES_FILE: Shape = Shape::MapOf(&Shape::Record(&Record {
    what: "an entity",
    fields: &[
        required_kept("name", Shape::Text),
        required_kept(
            "kind",
            Shape::Choice {
                what: "kind of entity",
                options: &["person", "organization", "place", "other"],
            },
        ),
        field("aliases", TEXTS),
        field("role", Shape::Text),
        field("description", Shape::Text),
        field("links", TEXTS),
    ],
}));

/// `model::EventsFile`.
pub const EVENTS_FILE: Shape = Shape::List(&Shape::Record(&Record {
    what: "an event",
    fields: &[
        required("id", Shape::Text),
        required("date", Shape::Text),
        required("title", Shape::Text),
        field("summary", Shape::Text),
        field("entities", TEXTS),
        field("tags", TEXTS),
    ],
}));

/// `model::PageFrontMatter`.
pub const PAGE_FRONT_MATTER: Shape = Shape::Record(&Record {
    what: "a page's front matter",
    fields: &[
        field("title", Shape::Text),
        field("slug", Shape::Text),
        field("weight", Shape::Int { min: i64::MIN }),
        field("draft", Shape::Bool),
    ],
});

/// A file type whose shape is known, so `parse_yaml` can check it field by field.
pub trait Shaped {
    const SHAPE: &'static Shape;
}

impl Shaped for crate::model::ArticleFile {
    const SHAPE: &'static Shape = &ARTICLE_FILE;
}

impl Shaped for crate::model::EntitiesFile {
    const SHAPE: &'static Shape = &ENTITIES_FILE;
}

impl Shaped for crate::model::EventsFile {
    const SHAPE: &'static Shape = &EVENTS_FILE;
}

impl Shaped for crate::model::PageFrontMatter {
    const SHAPE: &'static Shape = &PAGE_FRONT_MATTER;
}
