//! Tags: a question's topics, typed as one field of names separated by spaces or commas.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

use super::{FieldError, Problem};

/// A tag's name: 1–35 characters of letters of any script (Hangul included), digits and `+ # . -`, with at
/// least one letter or digit (`..` is no topic), stored lower-cased after NFKC (`Rust`, `rust` and
/// full-width `ｒｕｓｔ` are one tag).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagName(String);

impl TagName {
    pub const MAX_CHARS: usize = 35;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        // NFKC again after lower-casing, which can undo it: a stored name parses to itself.
        // Lower-casing `İ` leaves `i` with a combining dot above: the dot goes, so `İstanbul` is `istanbul`.
        let name: String = raw
            .trim()
            .nfkc()
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .replace("i\u{307}", "i")
            .nfkc()
            .collect();
        if name.is_empty() {
            Err(Problem::Required)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(Problem::TagTooLong)
        } else if !characters_allowed(&name) {
            Err(Problem::TagCharacters)
        } else if !name
            .chars()
            .any(|c| c.is_alphanumeric() && !is_combining_mark(c))
        {
            Err(Problem::TagNeedsLetter)
        } else {
            Ok(Self(name))
        }
    }

    /// A name as stored: for names read back from the database, which were parsed when written.
    pub fn stored(name: String) -> Self {
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TagName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Marks a letter may carry at most: scripts that stack them (Devanagari, Vietnamese, Thai) need two or
/// three; more only draws over the text around the name.
const MARKS_PER_LETTER: usize = 3;

/// Letters of any script with their marks (Devanagari's vowel signs), digits and `+ # . -`; nothing drawn as
/// nothing (a variation selector would make a second `rust` that looks like the first), no mark first or
/// piled up.
fn characters_allowed(name: &str) -> bool {
    let mut marks_in_a_row = 0;
    for (at, c) in name.chars().enumerate() {
        if super::is_invisible(c) {
            return false;
        }
        if is_combining_mark(c) {
            marks_in_a_row += 1;
            if at == 0 || marks_in_a_row > MARKS_PER_LETTER {
                return false;
            }
            continue;
        }
        marks_in_a_row = 0;
        if !(c.is_alphanumeric() || matches!(c, '+' | '#' | '.' | '-')) {
            return false;
        }
    }
    true
}

/// What separates names in a tags field: a comma (full-width and ideographic ones too) or white space.
pub fn is_separator(c: char) -> bool {
    matches!(c, ',' | '，' | '、' | '､') || c.is_whitespace()
}

/// A question's tags: at most five, each once, in the order typed. None is fine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<TagName>);

impl Tags {
    pub const MAX: usize = 5;
    /// The longest tags field taken, in bytes.
    pub const LONGEST_FIELD: usize = 256;

    /// The `tags` field as typed: names separated by spaces or commas. Each wrong name is reported with the
    /// name itself, so the form can say which one and why.
    pub fn parse(raw: &str) -> Result<Self, Vec<FieldError>> {
        // Five names and their separators fit in far less: a longer field is not a person's tags, and its
        // names are not each worth a message.
        if raw.len() > Self::LONGEST_FIELD {
            return Err(vec![FieldError::new("tags", Problem::TooManyTags)]);
        }
        let mut names: Vec<TagName> = Vec::new();
        let mut errors = Vec::new();
        for typed in raw.split(is_separator) {
            if typed.is_empty() || errors.len() == Self::MAX {
                continue;
            }
            match TagName::parse(typed) {
                Ok(name) if names.contains(&name) => {}
                Ok(name) => names.push(name),
                Err(problem) => errors.push(FieldError::about("tags", problem, typed)),
            }
        }
        if errors.is_empty() && names.len() > Self::MAX {
            errors.push(FieldError::new("tags", Problem::TooManyTags));
        }
        if errors.is_empty() {
            Ok(Self(names))
        } else {
            Err(errors)
        }
    }

    /// Tags as stored: space-separated names, each parsed when it was written.
    pub fn stored(names: &str) -> Self {
        Self(
            names
                .split(' ')
                .filter(|name| !name.is_empty())
                .map(|name| TagName(name.to_owned()))
                .collect(),
        )
    }

    /// The names separated by spaces, as stored and as the edit form shows them.
    pub fn joined(&self) -> String {
        let names: Vec<&str> = self.0.iter().map(TagName::as_str).collect();
        names.join(" ")
    }

    /// How many of these tags `other` carries too.
    pub fn shared_with(&self, other: &Tags) -> i64 {
        self.0.iter().filter(|name| other.0.contains(name)).count() as i64
    }

    pub fn names(&self) -> &[TagName] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A tag with the number of questions that carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCount {
    pub name: TagName,
    pub questions: i64,
}

/// One page of the tag list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagList {
    /// Tags matching the filter (all of them without one).
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    pub tags: Vec<TagCount>,
}

/// Tags per page of `/tags`.
pub const TAGS_PER_PAGE: i64 = 36;

/// The page of `/tags` shown for `requested`: clamped to the pages `total` tags make (1 when there are none).
pub fn clamp_tag_page(requested: i64, total: i64) -> i64 {
    let last = ((total + TAGS_PER_PAGE - 1) / TAGS_PER_PAGE).max(1);
    requested.clamp(1, last)
}

/// The name filter of `/tags` as typed: what a tag's name starts with, lower-cased like names are; at most
/// [`TagName::MAX_CHARS`] characters are looked at (no tag is longer), and characters no tag holds match
/// nothing rather than fail (control characters are left out: PostgreSQL refuses a NUL in text).
pub fn name_prefix(raw: &str) -> String {
    raw.trim()
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_control())
        .take(TagName::MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(raw: &str) -> Vec<(Problem, Option<String>)> {
        Tags::parse(raw)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.problem, e.about))
            .collect()
    }

    #[test]
    fn names_are_lower_cased_deduplicated_and_kept_in_order() {
        // Six typed, five once `rust` is counted once: within the limit.
        let tags = Tags::parse(" Rust, flask  c++ ,C# 파이썬 rust,,").expect("valid");
        assert_eq!(tags.joined(), "rust flask c++ c# 파이썬");
        assert_eq!(Tags::stored(&tags.joined()), tags);
        assert_eq!(TagName::parse(".NET").expect("valid").as_str(), ".net");
        assert!(Tags::parse("").expect("none is fine").is_empty());
        assert_eq!(
            TagName::parse("ｒｕｓｔ").expect("full-width").as_str(),
            "rust"
        );
        // Full-width and ideographic commas separate as a comma does.
        assert_eq!(
            Tags::parse("rust，flask、파이썬").expect("valid").joined(),
            "rust flask 파이썬"
        );
        // Letters with marks: Devanagari's vowel signs, a Turkish capital I with its dot.
        assert_eq!(TagName::parse("हिन्दी").expect("marks").as_str(), "हिन्दी");
        assert_eq!(
            TagName::parse("İstanbul").expect("dotted").as_str(),
            "istanbul"
        );
    }

    #[test]
    fn each_wrong_name_is_reported_with_the_name() {
        assert_eq!(
            problems("rust <script> ../ ok"),
            vec![
                (Problem::TagCharacters, Some("<script>".into())),
                (Problem::TagCharacters, Some("../".into())),
            ]
        );
        let long = "a".repeat(36);
        assert_eq!(
            problems(&format!("fine {long}")),
            vec![(Problem::TagTooLong, Some(long))]
        );
        assert!(TagName::parse(&"가".repeat(35)).is_ok());
        assert_eq!(
            problems(".. +++"),
            vec![
                (Problem::TagNeedsLetter, Some("..".into())),
                (Problem::TagNeedsLetter, Some("+++".into())),
            ]
        );
        assert_eq!(problems("a b c d e f"), vec![(Problem::TooManyTags, None)]);
        // A mark cannot stand first, nor alone, nor piled up; nothing invisible makes a second `rust`.
        for odd in [
            "\u{301}a",
            "\u{64E}",
            &format!("a{}", "\u{489}".repeat(4)),
            "rust\u{FE0F}",
            "c++\u{34F}",
            "ru\u{200B}st",
        ] {
            assert_eq!(
                problems(odd),
                vec![(Problem::TagCharacters, Some(odd.to_owned()))],
                "{odd:?}"
            );
        }
        // A field no person types: one message, not one per name.
        assert_eq!(
            problems(&"! ".repeat(500)),
            vec![(Problem::TooManyTags, None)]
        );
        assert_eq!(problems(&"! ".repeat(100)).len(), 5);
    }

    #[test]
    fn a_stored_name_parses_to_itself() {
        // Lower-casing can leave text that NFKC would change again (Greek with a combining iota).
        for typed in ["Ὰͅ", "ǅ", "ＲＵＳＴ", "ﬁle", "Straße", "İstanbul"] {
            if let Ok(name) = TagName::parse(typed) {
                let again = TagName::parse(name.as_str()).expect("a stored name is valid");
                assert_eq!(again, name, "{typed}");
            }
        }
    }

    #[test]
    fn shared_tags_are_counted_by_whole_names() {
        let shown = Tags::stored("rust flask sql");
        assert_eq!(shown.shared_with(&Tags::stored("sql rust")), 2);
        assert_eq!(shown.shared_with(&Tags::stored("rusty sq flask")), 1);
        assert_eq!(shown.shared_with(&Tags::stored("")), 0);
    }
}
