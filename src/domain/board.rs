//! Board input: subjects, post bodies, ids, sorts, page numbers and search terms, each parsed once.

use serde::Deserialize;

use super::{FieldError, Problem, tags::Tags};

pub use super::ids::{AnswerId, CommentId, QuestionId, parse_id};

/// A question's subject: 1–200 characters after trimming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let subject = raw.trim();
        match subject.chars().count() {
            _ if super::shows_nothing(subject) => Err(Problem::Required),
            _ if subject.contains('\0') => Err(Problem::NulCharacter),
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
            _ if super::shows_nothing(&content) => Err(Problem::Required),
            _ if content.contains('\0') => Err(Problem::NulCharacter),
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
    /// Separated by spaces or commas; none is fine. Left out (a form or client from before tags), an edit
    /// keeps the question's tags and a new question has none.
    #[serde(default)]
    pub tags: Option<String>,
    /// What an edit changed and why (required of a moderator editing someone else's question).
    #[serde(default)]
    pub summary: Option<String>,
}

/// A question that passed validation.
pub struct QuestionDraft {
    pub subject: Subject,
    pub content: Content,
    /// `None`: the form had no tags field, so an edit leaves the tags as they are.
    pub tags: Option<Tags>,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<QuestionDraft, Vec<FieldError>> {
        let subject = Subject::parse(&self.subject);
        let content = Content::parse(&self.content);
        let tags = self.tags.as_deref().map(Tags::parse).transpose();
        match (subject, content, tags) {
            (Ok(subject), Ok(content), Ok(tags)) => Ok(QuestionDraft {
                subject,
                content,
                tags,
            }),
            (subject, content, tags) => Err([
                subject.err().map(|p| FieldError::new("subject", p)),
                content.err().map(|p| FieldError::new("content", p)),
            ]
            .into_iter()
            .flatten()
            .chain(tags.err().unwrap_or_default())
            .collect()),
        }
    }
}

/// The answer form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub content: String,
    /// What an edit changed and why.
    #[serde(default)]
    pub summary: Option<String>,
}

impl AnswerForm {
    pub fn parse(&self) -> Result<Content, Vec<FieldError>> {
        Content::parse(&self.content).map_err(|p| vec![FieldError::new("content", p)])
    }
}

/// A comment: 1–600 characters after trimming, Markdown limited to inline code, emphasis and links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentText(String);

impl CommentText {
    pub const MAX_CHARS: usize = 600;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let text = raw.trim().replace("\r\n", "\n");
        match text.chars().count() {
            _ if super::shows_nothing(&text) => Err(Problem::Required),
            _ if text.contains('\0') => Err(Problem::NulCharacter),
            n if n > Self::MAX_CHARS => Err(Problem::CommentTooLong),
            _ => Ok(Self(text)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The comment form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub content: String,
    /// What an edit changed and why.
    #[serde(default)]
    pub summary: Option<String>,
}

impl CommentForm {
    pub fn parse(&self) -> Result<CommentText, Vec<FieldError>> {
        CommentText::parse(&self.content).map_err(|p| vec![FieldError::new("content", p)])
    }
}

/// How many of a post's comments its question page shows; "show N more" loads the rest.
pub const COMMENTS_SHOWN: i64 = 5;

/// How the question list, or a search's matches, are ordered (and, for two of the list's tabs, which
/// questions it holds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListSort {
    /// Newest first: the list's default.
    #[default]
    Recent,
    /// The questions with no answer yet, newest first (the list only).
    Unanswered,
    /// The questions with no accepted answer, newest first (the list only).
    Unaccepted,
    Likes,
    Answers,
    /// Most relevant first: a search's default (the plain list has no relevance; it reads as `Recent`).
    Best,
}

impl ListSort {
    pub const ALL: [ListSort; 5] = [
        ListSort::Recent,
        ListSort::Unanswered,
        ListSort::Unaccepted,
        ListSort::Likes,
        ListSort::Answers,
    ];
    pub const SEARCH: [ListSort; 4] = [
        ListSort::Best,
        ListSort::Recent,
        ListSort::Likes,
        ListSort::Answers,
    ];

    /// The order named in the URL, or the default: relevance for a search, newest for the list.
    pub fn parse(raw: Option<&str>, searching: bool) -> Self {
        match raw {
            Some("likes") => Self::Likes,
            Some("answers") => Self::Answers,
            Some("recent") => Self::Recent,
            Some("unanswered") if !searching => Self::Unanswered,
            Some("unaccepted") if !searching => Self::Unaccepted,
            _ => Self::default_for(searching),
        }
    }

    pub fn default_for(searching: bool) -> Self {
        if searching { Self::Best } else { Self::Recent }
    }

    /// The tabs a page offers.
    pub fn tabs(searching: bool) -> &'static [ListSort] {
        if searching { &Self::SEARCH } else { &Self::ALL }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Recent => "recent",
            Self::Unanswered => "unanswered",
            Self::Unaccepted => "unaccepted",
            Self::Likes => "likes",
            Self::Answers => "answers",
            Self::Best => "best",
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
    let Some(digits) = raw.map(str::trim) else {
        return 1;
    };
    match digits.parse::<i64>() {
        Ok(page) if page >= 1 => page,
        // Too many digits for a number: as far past the end as can be, which is the last page.
        Err(_) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => i64::MAX,
        _ => 1,
    }
}

/// A page number that exists for `total` items: past the end is the last page, and an empty list has page 1.
pub fn clamp_page(page: i64, total: i64) -> i64 {
    let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    page.clamp(1, last)
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
    fn comments_are_1_to_600_characters_after_trimming() {
        assert_eq!(
            CommentText::parse(" a\r\nb ").map(|c| c.0),
            Ok("a\nb".to_owned())
        );
        assert_eq!(CommentText::parse(" \n "), Err(Problem::Required));
        assert!(CommentText::parse(&"가".repeat(600)).is_ok());
        assert_eq!(
            CommentText::parse(&"x".repeat(601)),
            Err(Problem::CommentTooLong)
        );
        // Characters drawn as nothing are nothing.
        for blank in [
            "\u{200B}\u{200B}",
            "\u{2800}",
            "\u{3164} \u{FEFF}",
            "\u{3000}",
        ] {
            assert_eq!(
                CommentText::parse(blank),
                Err(Problem::Required),
                "{blank:?}"
            );
            assert_eq!(Subject::parse(blank), Err(Problem::Required), "{blank:?}");
            assert_eq!(Content::parse(blank), Err(Problem::Required), "{blank:?}");
        }
        assert!(CommentText::parse("\u{200B}a").is_ok());
    }

    #[test]
    fn garbage_page_numbers_read_as_page_one_and_huge_ones_clamp_to_the_last() {
        for raw in ["-1", "0", "abc", "1e9", "\0", "", " "] {
            assert_eq!(parse_page(Some(raw)), 1, "{raw:?}");
        }
        assert_eq!(parse_page(Some("3")), 3);
        assert_eq!(parse_page(Some("99999999999999999999")), i64::MAX);
        assert_eq!(clamp_page(99, 25), 3);
        assert_eq!(clamp_page(2, 0), 1);
        assert_eq!(clamp_page(i64::MAX, 10), 1);
    }
}
