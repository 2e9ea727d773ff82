//! Board input: subjects, post bodies, ids, sorts, page numbers and search terms, each parsed once.

use serde::Deserialize;

use super::{FieldError, Problem};

pub use super::ids::{AnswerId, QuestionId, parse_id};

/// A question's subject: 1–200 characters after trimming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let subject = raw.trim();
        match subject.chars().count() {
            0 => Err(Problem::Required),
            n if n > Self::MAX_CHARS => Err(Problem::SubjectTooLong),
            _ => Ok(Self(subject.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Markdown body of a question or answer: 1–20,000 characters after trimming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content(String);

impl Content {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        // Browsers send CRLF; store one kind of line ending.
        let content = raw.trim().replace("\r\n", "\n");
        match content.chars().count() {
            0 => Err(Problem::Required),
            n if n > Self::MAX_CHARS => Err(Problem::ContentTooLong),
            _ => Ok(Self(content)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The question form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub content: String,
}

/// A question that passed validation.
pub struct QuestionDraft {
    pub subject: Subject,
    pub content: Content,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<QuestionDraft, Vec<FieldError>> {
        let subject = Subject::parse(&self.subject);
        let content = Content::parse(&self.content);
        match (subject, content) {
            (Ok(subject), Ok(content)) => Ok(QuestionDraft { subject, content }),
            (subject, content) => Err([
                subject.err().map(|p| FieldError::new("subject", p)),
                content.err().map(|p| FieldError::new("content", p)),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }
}

/// The answer form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub content: String,
}

impl AnswerForm {
    pub fn parse(&self) -> Result<Content, Vec<FieldError>> {
        Content::parse(&self.content).map_err(|p| vec![FieldError::new("content", p)])
    }
}

/// How the question list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListSort {
    #[default]
    Recent,
    Likes,
    Answers,
}

impl ListSort {
    pub const ALL: [ListSort; 3] = [ListSort::Recent, ListSort::Likes, ListSort::Answers];

    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("likes") => Self::Likes,
            Some("answers") => Self::Answers,
            _ => Self::Recent,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Recent => "recent",
            Self::Likes => "likes",
            Self::Answers => "answers",
        }
    }
}

/// How a question's answers are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AnswerSort {
    /// Most liked first, ties oldest first (pybo's board_x_1).
    #[default]
    Likes,
    /// Newest first.
    Recent,
}

impl AnswerSort {
    pub const ALL: [AnswerSort; 2] = [AnswerSort::Likes, AnswerSort::Recent];

    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("recent") => Self::Recent,
            _ => Self::Likes,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Likes => "likes",
            Self::Recent => "recent",
        }
    }
}

/// Ten posts a page, on the list and under a question.
pub const PAGE_SIZE: i64 = 10;

/// A requested page number: garbage reads as page 1; the caller clamps it to the last page.
pub fn parse_page(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// A page number that exists for `total` items: past the end is the last page, and an empty list has page 1.
pub fn clamp_page(page: i64, total: i64) -> i64 {
    let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    page.clamp(1, last)
}

/// What someone typed in the search box, split into terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<String>,
}

/// Korean particles and endings that follow a word, longest first: `파이썬을` is searched as `파이썬`.
const PARTICLES: &[&str] = &[
    "에서부터",
    "으로부터",
    "에게서",
    "한테서",
    "이라고",
    "에서",
    "에게",
    "한테",
    "으로",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이나",
    "이랑",
    "하고",
    "라고",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "랑",
];

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// A Hangul word without its trailing particle, when at least two syllables remain.
fn korean_stem(word: &str) -> &str {
    if !word.chars().any(is_hangul) {
        return word;
    }
    PARTICLES
        .iter()
        .find_map(|particle| {
            word.strip_suffix(particle)
                .filter(|stem| stem.chars().count() >= 2)
        })
        .unwrap_or(word)
}

impl SearchQuery {
    /// At most this many terms are searched; the rest are ignored.
    const MAX_TERMS: usize = 8;
    /// And the input is cut at this many characters.
    const MAX_CHARS: usize = 200;

    /// The part of the typed text that is searched (and shown back): its first 200 characters.
    pub fn cut(raw: &str) -> &str {
        match raw.char_indices().nth(Self::MAX_CHARS) {
            Some((end, _)) => &raw[..end],
            None => raw,
        }
    }

    pub fn parse(raw: &str) -> Self {
        let cleaned = Self::cut(raw);
        // Only letters and digits make the index's tokens; everything else separates them there too.
        let terms = cleaned
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(|word| korean_stem(&word.to_lowercase()).to_owned())
            .take(Self::MAX_TERMS)
            .collect();
        Self { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Each distinct term on its own, quoted, so no input is ever FTS syntax: every term is matched as a
    /// whole token (Korean words through the index's `stems` columns), and the index is walked one term
    /// at a time.
    pub fn quoted_terms(&self) -> Vec<String> {
        let mut quoted: Vec<String> = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            let term = format!("\"{}\"", term.replace('"', "\"\""));
            if !quoted.contains(&term) {
                quoted.push(term);
            }
        }
        quoted
    }
}

/// Prefixes of a Hangul word are indexed up to this many syllables: enough for a noun and its particle
/// (`파이썬을` -> `파이`, `파이썬`), and it keeps the stems of any text linear in its length.
const MAX_STEM_PREFIX: usize = 6;

/// The stems of each Hangul word of `text`, so that plain token matches find `파이썬을` from `파이썬` and
/// `질문이` from `질문`: the word's leading parts of two up to [`MAX_STEM_PREFIX`] syllables (one short of the
/// word), and the word without its trailing particle, the form a search term is cut to. At most
/// `MAX_STEM_PREFIX` stems of bounded length per word, plus one no longer than the word: a post of any
/// shape costs index space in proportion to its length (every prefix of a 6,000-syllable run was 18 million).
pub fn index_stems(text: &str) -> String {
    let mut stems: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.chars().any(is_hangul) {
            continue;
        }
        let ends = word.char_indices().map(|(at, _)| at).skip(2);
        for end in ends.take(MAX_STEM_PREFIX - 1) {
            stems.insert(&word[..end]);
        }
        let stem = korean_stem(word);
        if stem.len() < word.len() {
            stems.insert(stem);
        }
    }
    let mut stems: Vec<&str> = stems.into_iter().collect();
    stems.sort_unstable();
    stems.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_1_to_200_characters_after_trimming() {
        assert_eq!(Subject::parse("  hello  ").map(|s| s.0), Ok("hello".into()));
        assert_eq!(Subject::parse("   "), Err(Problem::Required));
        assert!(Subject::parse(&"가".repeat(200)).is_ok());
        assert_eq!(
            Subject::parse(&"가".repeat(201)),
            Err(Problem::SubjectTooLong)
        );
    }

    #[test]
    fn content_is_1_to_20000_characters_with_unix_line_ends() {
        assert_eq!(Content::parse("a\r\nb").map(|c| c.0), Ok("a\nb".to_owned()));
        assert_eq!(Content::parse("\n \n"), Err(Problem::Required));
        assert!(Content::parse(&"x".repeat(20_000)).is_ok());
        assert_eq!(
            Content::parse(&"x".repeat(20_001)),
            Err(Problem::ContentTooLong)
        );
    }

    #[test]
    fn garbage_page_numbers_read_as_page_one_and_clamp_to_the_last() {
        for raw in ["-1", "0", "abc", "1e9", "\0", "", " "] {
            assert_eq!(parse_page(Some(raw)), 1, "{raw:?}");
        }
        assert_eq!(parse_page(Some("3")), 3);
        assert_eq!(clamp_page(99, 25), 3);
        assert_eq!(clamp_page(2, 0), 1);
        assert_eq!(clamp_page(i64::MAX, 10), 1);
    }

    #[test]
    fn search_input_never_reaches_fts_as_syntax() {
        let hostile = SearchQuery::parse(r#"a" OR "b NEAR( x* ) \ AND -c ^d"#);
        assert_eq!(
            hostile.terms(),
            ["a", "or", "b", "near", "x", "and", "c", "d"]
        );
        assert_eq!(
            hostile.quoted_terms().join(" "),
            r#""a" "or" "b" "near" "x" "and" "c" "d""#
        );
        assert_eq!(SearchQuery::parse("a A a").quoted_terms(), [r#""a""#]);
        assert!(SearchQuery::parse(" \" ( ) * ").is_empty());
        assert!(SearchQuery::parse("\0\u{1}").is_empty());
    }

    #[test]
    fn korean_particles_come_off_search_terms() {
        assert_eq!(
            SearchQuery::parse("파이썬을 배우자").terms(),
            ["파이썬", "배우자"]
        );
        assert_eq!(SearchQuery::parse("서버에서").terms(), ["서버"]);
        assert_eq!(SearchQuery::parse("질문이").terms(), ["질문"]);
        // A word ending in what looks like a particle loses it too, and is still found through the stems.
        assert_eq!(SearchQuery::parse("고양이").terms(), ["고양"]);
        assert!(index_stems("고양이").split(' ').any(|stem| stem == "고양"));
        assert_eq!(SearchQuery::parse("이").terms(), ["이"]);
        assert_eq!(SearchQuery::parse("Flask").terms(), ["flask"]);
    }

    #[test]
    fn stems_grow_linearly_with_the_text() {
        for text in [
            "가".repeat(20_000),
            "x".repeat(20_000),
            "가 ".repeat(10_000),
            "가나다라마바사아자차카타파하".repeat(1_400),
            "가나다라마바사아자차카타파하을 ".repeat(1_300),
            // Every word different: nothing to share between them.
            (0..2_000u32)
                .map(|n| {
                    let syllable =
                        |k: u32| char::from_u32(0xAC00 + (n * 7 + k) % 11_172).unwrap_or('가');
                    (0..9).map(syllable).chain([' ']).collect::<String>()
                })
                .collect(),
        ] {
            let stems = index_stems(&text);
            assert!(
                stems.len() <= 3 * text.len(),
                "{} bytes of stems",
                stems.len()
            );
        }
    }

    #[test]
    fn a_long_korean_word_is_found_without_its_particle() {
        let word = "가나다라마바사아자차";
        let stems = index_stems(&format!("{word}를 보라"));
        let query = SearchQuery::parse(&format!("{word}를"));
        let term = &query.terms()[0];
        assert_eq!(term, word);
        assert!(stems.split(' ').any(|stem| stem == word), "{stems}");
    }

    #[test]
    fn the_index_holds_the_leading_parts_of_korean_words() {
        assert_eq!(
            index_stems("파이썬을 배우는 질문이 flask"),
            "배우 질문 파이 파이썬"
        );
        assert_eq!(index_stems("no korean here"), "");
    }
}
