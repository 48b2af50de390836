//! What a pasted web page holds besides the article's text, recognised paragraph by
//! paragraph, so that `gloss new` can list it under `text.drop` or `text.end_before`
//! instead of leaving it in the built page: share buttons, navigation, advertisements,
//! photo credits, comment boxes, bylines, and what follows the article.

/// Paragraphs that are web furniture as a whole, compared without case.
const FURNITURE: &[&str] = &[
    "< back",
    "back",
    "skip to content",
    "skip to main content",
    "menu",
    "search",
    "home",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share article",
    "share via",
    "copy link",
    "link copied",
    "print",
    "print this page",
    "email",
    "tweet",
    "advertisement",
    "sponsored",
    "sponsored content",
    "story continues below advertisement",
    "article continues below",
    "listen to this article",
    "listen",
    "save",
    "save article",
    "bookmark",
    "follow",
    "subscribe",
    "sign in",
    "log in",
    "read more",
    "continue reading",
    "show more",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add a comment",
    "show comments",
    "view comments",
    "cancel reply",
    "post comment",
    "submit",
    "name",
    "name *",
    "name*",
    "email *",
    "email*",
    "website",
    "related",
    "related posts",
    "related articles",
    "related stories",
];

/// Social networks, as share buttons name them.
const NETWORKS: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "telegram",
    "reddit",
    "pinterest",
    "email",
    "e-mail",
    "mail",
    "print",
    "messenger",
    "bluesky",
    "threads",
    "mastodon",
    "copy",
    "link",
];

/// How comment boxes and sign-up forms start their lines.
const FORM_STARTS: &[&str] = &[
    "your email address will not be published",
    "required fields are marked",
    "notify me of",
    "save my name, email",
    "you must be logged in to post a comment",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "get our newsletter",
    "join the conversation",
    "reading time:",
    "read more:",
    "read also:",
    "also read:",
    "see also:",
];

/// How photo credits and captions with credits start.
const CREDIT_STARTS: &[&str] = &[
    "photo:",
    "photo by ",
    "photos:",
    "photo credit",
    "photograph:",
    "photograph by ",
    "photography:",
    "image:",
    "image by ",
    "image credit",
    "picture:",
    "pictured:",
    "credit:",
    "file photo",
    "(photo",
    "[photo",
    "(image",
];

/// Agencies whose name ends a photo credit (`Jane Doe/Reuters`).
const AGENCIES: &[&str] = &[
    "getty images",
    "reuters",
    "afp",
    "ap",
    "ap photo",
    "shutterstock",
    "epa",
    "alamy",
    "xinhua",
];

/// How what follows an article starts: after it, nothing is the article's text.
const TRAILER_STARTS: &[&str] = &[
    "related",
    "you may also like",
    "you might also like",
    "more from",
    "more stories",
    "more on this",
    "most popular",
    "most read",
    "read next",
    "recommended",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "comments",
    "join the conversation",
    "tags:",
    "topics:",
    "filed under",
    "about the author",
];

/// Whether a paragraph is web furniture rather than article text.
pub fn is_furniture(paragraph: &str) -> bool {
    // Bullets and arrows in front (`▲File photo: …`) do not change what a line is.
    let lower = paragraph
        .trim_start_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '(' | '[' | '<'))
        .to_lowercase();
    let plain = lower.trim_end_matches([':', '.', '!']).trim();
    FURNITURE.contains(&plain)
        || is_share_row(plain)
        || is_comment_count(plain)
        || is_breadcrumb(paragraph)
        || is_reading_time(plain)
        || FORM_STARTS.iter().any(|s| lower.starts_with(s))
        || is_credit(&lower)
}

/// Whether the article's text ends before this paragraph.
pub fn is_trailer(paragraph: &str) -> bool {
    let lower = paragraph.to_lowercase();
    let short = paragraph.split_whitespace().count() <= 8;
    short && (TRAILER_STARTS.iter().any(|s| lower.starts_with(s)) || is_comment_count(&lower))
}

/// `Facebook Twitter Email`, `Share on Facebook`, `Share: X | LinkedIn`.
fn is_share_row(plain: &str) -> bool {
    let rest = ["share on ", "share via ", "share to ", "share:", "share "]
        .iter()
        .find_map(|s| plain.strip_prefix(s))
        .unwrap_or(plain);
    let words: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | ',' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 8
        && words.iter().all(|w| NETWORKS.contains(w) || *w == "on")
        && (words.len() > 1 || rest.len() < plain.len() || !matches!(words[0], "x" | "link"))
}

/// `12 Comments`, `Comments (3)`.
fn is_comment_count(plain: &str) -> bool {
    let words: Vec<&str> = plain
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    matches!(words.as_slice(), [n, "comments" | "comment"] | ["comments" | "comment", n] if n.chars().all(|c| c.is_ascii_digit()))
}

/// `Home > News > Local`, `World / Asia`: short parts between separators, no sentence.
fn is_breadcrumb(paragraph: &str) -> bool {
    let arrows: Vec<&str> = paragraph.split(['>', '›', '»', '|']).collect();
    let crumbs = if arrows.len() >= 2 {
        arrows
    } else {
        paragraph.split(" / ").collect()
    };
    crumbs.len() >= 2
        && crumbs.iter().map(|c| c.trim()).all(|c| {
            !c.is_empty() && c.split_whitespace().count() <= 3 && !c.ends_with(['.', '?', '!'])
        })
}

/// `5 min read`, `3 minute read`.
fn is_reading_time(plain: &str) -> bool {
    let words: Vec<&str> = plain.split_whitespace().collect();
    matches!(words.as_slice(), [n, "min" | "mins" | "minute" | "minutes", "read"] if n.chars().all(|c| c.is_ascii_digit()))
}

/// A photo credit, or a short caption that ends with one.
fn is_credit(lower: &str) -> bool {
    if CREDIT_STARTS.iter().any(|s| lower.starts_with(s)) {
        return lower.split_whitespace().count() <= 40;
    }
    let short = lower.split_whitespace().count() <= 40;
    let tail = lower.trim_end_matches([')', ']', '.', ' ']);
    let credited = [
        "(photo",
        "(image",
        "(credit",
        "[photo",
        "photo:",
        "photograph:",
    ]
    .iter()
    .any(|s| lower.contains(s))
        && (lower.ends_with(')') || lower.ends_with(']'));
    let agency = tail.rsplit_once('/').is_some_and(|(before, after)| {
        !before.ends_with(char::is_whitespace) && AGENCIES.contains(&after.trim())
    });
    short && (credited || agency)
}

/// The name in a byline paragraph (`By Ana Ruiz`, `By Ana Ruiz | April 2, 2024`,
/// `By Ana Ruiz, Reuters`); `None` when the paragraph is not a byline.
pub fn byline(paragraph: &str) -> Option<&str> {
    let rest = paragraph
        .strip_prefix("By ")
        .or_else(|| paragraph.strip_prefix("BY "))
        .or_else(|| paragraph.strip_prefix("by "))?;
    if paragraph.split_whitespace().count() > 16 || paragraph.ends_with('.') {
        return None;
    }
    let name = rest
        .split(['|', ',', '·', '•', '—', '–'])
        .next()
        .unwrap_or(rest)
        .split(" and ")
        .next()
        .unwrap_or(rest)
        .trim();
    let words = name.split_whitespace().count();
    let capitalised = name
        .split_whitespace()
        .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    ((1..=4).contains(&words) && capitalised).then_some(name)
}

/// Whether a paragraph that holds the date `date` is a dateline (`April 2, 2024`,
/// `Published: April 2, 2024, 10:04 a.m.`, `By Ana Ruiz | April 2, 2024`) rather than a
/// sentence that mentions a date.
pub fn is_dateline(paragraph: &str, date: &str) -> bool {
    let lower = paragraph.to_lowercase();
    let leads = [
        "published",
        "updated",
        "posted",
        "last updated",
        "first published",
        "date:",
        "by ",
        "on ",
    ];
    let without = paragraph.replacen(date, "", 1);
    let rest_words = without.split_whitespace().count();
    let sentence = paragraph.ends_with('.') && !lower.ends_with("a.m.") && !lower.ends_with("p.m.");
    !sentence
        && (rest_words <= 6 || (rest_words <= 16 && leads.iter().any(|l| lower.starts_with(l))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_is_recognised_and_text_is_not() {
        for debris in [
            "Share on Facebook",
            "Facebook Twitter LinkedIn Email",
            "Share: X | LinkedIn | Email",
            "Tweet",
            "Advertisement",
            "Home > News > Local",
            "World / Asia",
            "12 Comments",
            "Photo: Luca Bianchi/Reuters",
            "Rescue workers search the rubble on Tuesday. (Photo: Jane Doe/AFP)",
            "Firefighters at the scene. Jane Doe/Getty Images",
            "Your email address will not be published. Required fields are marked *",
            "Save my name, email, and website in this browser for the next time I comment.",
            "\u{25b2}File photo:China Military",
            "READ MORE: China's military 'will not dance to US' tune'",
            "5 min read",
        ] {
            assert!(is_furniture(debris), "{debris}");
        }
        for text in [
            "The council voted on Tuesday to build a new library.",
            "X marks the spot, the mayor said.",
            "Email",
            "Mara Quist / Eastvale",
            "Facebook said on Tuesday it would appeal the ruling.",
            "Photographs of the flood circulated widely on Tuesday, officials said.",
        ] {
            let expected = text == "Email" || text == "Mara Quist / Eastvale";
            assert_eq!(is_furniture(text), expected, "{text}");
        }
    }

    #[test]
    fn bylines_datelines_and_trailers() {
        assert_eq!(byline("By Ana Ruiz"), Some("Ana Ruiz"));
        assert_eq!(byline("By Ana Ruiz | April 2, 2024"), Some("Ana Ruiz"));
        assert_eq!(byline("By Ana Ruiz and Li Wei, Reuters"), Some("Ana Ruiz"));
        assert_eq!(byline("By the end of the day, the river had risen."), None);
        assert!(is_dateline("April 2, 2024", "April 2, 2024"));
        assert!(is_dateline(
            "Published: April 2, 2024, 10:04 a.m. EDT",
            "April 2, 2024"
        ));
        assert!(is_dateline("By Ana Ruiz | April 2, 2024", "April 2, 2024"));
        assert!(!is_dateline(
            "On April 2, 2024, the council voted to build a new library by the river.",
            "April 2, 2024"
        ));
        assert!(is_trailer("Related posts"));
        assert!(is_trailer("You may also like"));
        assert!(is_trailer("Comments (4)"));
        assert!(!is_trailer(
            "Related talks continued on Friday, officials said, without result."
        ));
    }
}
