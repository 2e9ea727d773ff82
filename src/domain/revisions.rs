//! Edit history: every edit of a post keeps the post as it then stood (a revision), and any revision can
//! be made the current text again (a rollback, itself a new revision).

use std::time::{Duration, Instant};

use similar::{ChangeTag, TextDiff};

use super::{FieldError, moderation::note, policy::PostRef, tags::Tags};

/// What an editor says of an edit ("fixed the example"): trimmed, at most 500 characters; required of
/// anyone editing a post that is not theirs (moderators), so the author is told why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditSummary(String);

impl EditSummary {
    pub fn parse(raw: Option<&str>, required: bool) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = note(raw.unwrap_or_default(), "summary", required, &mut errors);
        if errors.is_empty() {
            Ok(Self(text))
        } else {
            Err(errors)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a revision exists beyond its text: the editor's summary, and whether it rolled the post back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditNote {
    pub summary: EditSummary,
    /// The earlier revision this one made current again.
    pub rolled_back_to: Option<i64>,
}

/// A post as one of its revisions left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionEntry {
    /// 1 for the post as first written (or as it stood before edit history was kept), then one more for
    /// each edit.
    pub number: i64,
    pub editor_id: super::ids::UserId,
    /// The editor's name ('' once their account is deleted).
    pub editor: String,
    pub created_at: i64,
    pub summary: String,
    pub rolled_back_to: Option<i64>,
    /// A question's subject and tags; `None` on answers and comments.
    pub subject: Option<String>,
    pub content: String,
    pub tags: Option<Tags>,
}

impl RevisionEntry {
    /// Whether the two read the same: subject, text and tags.
    pub fn same_text(&self, other: &RevisionEntry) -> bool {
        self.subject == other.subject && self.content == other.content && self.tags == other.tags
    }
}

/// How many revisions a page of a post's history shows (a post edited a thousand times is read a page at a
/// time, and each page diffs at most this many).
pub const REVISIONS_PER_PAGE: i64 = 10;

/// The revision numbers a page of the history shows, newest first: page 1 ends at the newest (`total`).
/// `(low, high)`, both included; `low` is 1 or more. A page past the end shows the oldest page.
pub fn page_numbers(total: i64, page: i64) -> (i64, i64) {
    let pages = (total.max(1) + REVISIONS_PER_PAGE - 1) / REVISIONS_PER_PAGE;
    let page = page.clamp(1, pages);
    let high = total.max(1) - (page - 1) * REVISIONS_PER_PAGE;
    ((high - REVISIONS_PER_PAGE + 1).max(1), high)
}

/// Some of a post's revisions (numbers `low` to `high`, oldest first, each with the one before it to diff
/// against when there is one), with what the history page needs of the post.
#[derive(Clone, Debug)]
pub struct PostRevisions {
    pub post: PostRef,
    /// The question the post is (or is under), with its subject as it stands.
    pub question_id: super::ids::QuestionId,
    pub question_subject: String,
    pub author_id: super::ids::UserId,
    /// Hidden by spam flags: only its author and moderators read its history.
    pub hidden: bool,
    /// How many revisions the post has: the newest is numbered so (a post never edited has 1, itself).
    pub total: i64,
    /// The revisions asked for, oldest first, after the one before the lowest when there is one.
    pub revisions: Vec<RevisionEntry>,
}

impl PostRevisions {
    /// The revision numbered `number`, if it was read.
    pub fn get(&self, number: i64) -> Option<&RevisionEntry> {
        self.revisions.iter().find(|r| r.number == number)
    }

    /// Whether revision `number` is what the post reads as now.
    pub fn is_current(&self, number: i64) -> bool {
        number == self.total
    }
}

/// One run of words in a diff: kept, added or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Kept,
    Added,
    Removed,
}

/// How long one diff may take before it settles for a coarser answer (whole runs replaced).
const DIFF_DEADLINE: Duration = Duration::from_millis(50);

/// `old` and `new` as runs of words (split where whitespace starts or ends: Korean is spaced by words
/// too), each kept, added or removed; neighbouring words of one kind are joined in one run.
pub fn word_diff(old: &str, new: &str) -> Vec<(Change, String)> {
    let diff = TextDiff::configure()
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_words(old, new);
    let mut runs: Vec<(Change, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Kept,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match runs.last_mut() {
            Some((last, text)) if *last == kind => text.push_str(change.value()),
            _ => runs.push((kind, change.value().to_owned())),
        }
    }
    runs
}

/// Whether a field changed between two revisions (the page shows only what did).
pub fn changed(runs: &[(Change, String)]) -> bool {
    runs.iter().any(|(kind, _)| *kind != Change::Kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Problem;

    fn shown(runs: &[(Change, String)]) -> String {
        runs.iter()
            .map(|(kind, text)| match kind {
                Change::Kept => text.clone(),
                Change::Added => format!("[+{text}]"),
                Change::Removed => format!("[-{text}]"),
            })
            .collect()
    }

    #[test]
    fn english_words_are_marked_added_and_removed() {
        let runs = word_diff("the quick brown fox", "the slow brown fox jumps");
        assert_eq!(shown(&runs), "the [-quick][+slow] brown fox[+ jumps]");
        assert!(changed(&runs));
    }

    #[test]
    fn korean_words_are_marked_by_the_spaces_between_them() {
        let runs = word_diff("플라스크로 게시판을 만듭니다", "러스트로 게시판을 만듭니다");
        assert_eq!(shown(&runs), "[-플라스크로][+러스트로] 게시판을 만듭니다");
        let runs = word_diff("질문 답변", "질문 답변 댓글");
        assert_eq!(shown(&runs), "질문 답변[+ 댓글]");
    }

    #[test]
    fn the_same_text_has_no_change() {
        let runs = word_diff("같은 글 same text", "같은 글 same text");
        assert!(!changed(&runs));
        assert_eq!(runs, vec![(Change::Kept, "같은 글 same text".to_owned())]);
        assert!(!changed(&word_diff("", "")));
    }

    #[test]
    fn pages_of_history_run_from_the_newest() {
        assert_eq!(page_numbers(1, 1), (1, 1));
        assert_eq!(page_numbers(10, 1), (1, 10));
        assert_eq!(page_numbers(11, 1), (2, 11));
        assert_eq!(page_numbers(11, 2), (1, 1));
        assert_eq!(page_numbers(25, 3), (1, 5));
        assert_eq!(page_numbers(25, 9), (1, 5), "past the end: the oldest page");
        assert_eq!(page_numbers(25, -3), (16, 25));
    }

    #[test]
    fn a_summary_is_optional_unless_required_and_limited() {
        assert_eq!(EditSummary::parse(None, false).unwrap().as_str(), "");
        assert_eq!(
            EditSummary::parse(Some("  typo "), true).unwrap().as_str(),
            "typo"
        );
        let problems = |raw: &str, required| {
            EditSummary::parse(Some(raw), required)
                .unwrap_err()
                .into_iter()
                .map(|e| e.problem)
                .collect::<Vec<_>>()
        };
        assert_eq!(problems("  ", true), vec![Problem::Required]);
        assert_eq!(
            problems(&"가".repeat(501), false),
            vec![Problem::NoteTooLong]
        );
        assert_eq!(problems("a\0b", false), vec![Problem::NulCharacter]);
    }
}
