//! People: a user's profile with its counts and reputation, their questions and answers, and the list of
//! users by reputation.

use super::{
    accounts::{Username, username_key},
    ids::{AnswerId, QuestionId, UserId},
    posts::QuestionList,
};

/// Reputation a like on someone's question gives them (as on Stack Overflow); the database's triggers
/// (migration 14 on SQLite, 10 on PostgreSQL) add these same amounts.
pub const REPUTATION_PER_QUESTION_LIKE: i64 = 5;
/// Reputation a like on someone's answer gives them.
pub const REPUTATION_PER_ANSWER_LIKE: i64 = 10;
/// Reputation an answer accepted by its question's asker gives its author (not for the asker's own).
pub const REPUTATION_PER_ACCEPTED_ANSWER: i64 = 15;

/// Tags a profile shows: the ones its user asked about most.
pub const PROFILE_TAGS: i64 = 10;
/// Of their latest questions, this many: each is a row read from anywhere in the table (263 of them took
/// 1.1 ms at a million questions; 100 take about 0.4 ms).
pub const TOP_TAGS_OF: i64 = 100;

/// Users on a page of `/users`.
pub const USERS_PER_PAGE: i64 = 36;

/// What a profile shows about its user.
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: UserId,
    /// The name as its user spelled it (the profile's address).
    pub username: String,
    pub joined_at: i64,
    pub reputation: i64,
    pub question_count: i64,
    pub answer_count: i64,
    /// Their answers that an asker other than themselves accepted.
    pub accepted_count: i64,
    /// Likes on their questions and answers.
    pub likes_received: i64,
    pub role: super::policy::Role,
    /// Set while a suspension runs (staff see it).
    pub suspension: Option<super::moderation::Suspension>,
}

/// The posts a profile lists below its counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProfileTab {
    #[default]
    Questions,
    Answers,
    /// Their deleted questions and answers: for them and the moderators only.
    Deleted,
}

impl ProfileTab {
    /// The tab a `tab` parameter names; anything else is the default.
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("answers") => Self::Answers,
            Some("deleted") => Self::Deleted,
            _ => Self::Questions,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Questions => "questions",
            Self::Answers => "answers",
            Self::Deleted => "deleted",
        }
    }
}

/// An answer as a profile lists it: under its question's subject.
#[derive(Clone, Debug)]
pub struct AnswerSummary {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub question_subject: String,
    pub created_at: i64,
    pub like_count: i64,
    /// Whether its question's asker accepted it.
    pub accepted: bool,
}

/// One page of a user's answers, newest first.
#[derive(Clone, Debug)]
pub struct AnswerList {
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    pub answers: Vec<AnswerSummary>,
}

/// The posts a profile's tab shows: one page of the user's questions or answers.
#[derive(Clone, Debug)]
pub enum ProfilePosts {
    Questions(QuestionList),
    Answers(AnswerList),
    /// The newest deletions first, at most [`DELETED_LISTED`].
    Deleted(Vec<DeletedPost>),
}

/// How many deleted posts a profile's tab lists.
pub const DELETED_LISTED: i64 = 50;

/// A deleted question or answer as its author's profile lists it (to them and the moderators).
#[derive(Clone, Debug)]
pub struct DeletedPost {
    pub question_id: QuestionId,
    /// Set for an answer.
    pub answer_id: Option<AnswerId>,
    /// The question's subject (an answer's, the question it answers).
    pub subject: String,
    pub deletion: super::posts::Deletion,
}

impl ProfilePosts {
    pub fn tab(&self) -> ProfileTab {
        match self {
            Self::Questions(_) => ProfileTab::Questions,
            Self::Answers(_) => ProfileTab::Answers,
            Self::Deleted(_) => ProfileTab::Deleted,
        }
    }

    /// The page shown and how many posts the tab holds.
    pub fn page_and_total(&self) -> (i64, i64) {
        match self {
            Self::Questions(list) => (list.page, list.total),
            Self::Answers(list) => (list.page, list.total),
            Self::Deleted(posts) => (1, posts.len() as i64),
        }
    }
}

/// A user as `/users` lists them.
#[derive(Clone, Debug)]
pub struct UserSummary {
    pub username: String,
    pub reputation: i64,
    pub joined_at: i64,
    pub question_count: i64,
    pub answer_count: i64,
    pub role: super::policy::Role,
    /// Set while a suspension runs (staff see it).
    pub suspension: Option<super::moderation::Suspension>,
}

/// One page of `/users`.
#[derive(Clone, Debug)]
pub struct UserList {
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    pub users: Vec<UserSummary>,
}

/// The page of `/users` shown for `requested`: clamped to the pages `total` users make (1 when none).
pub fn clamp_user_page(requested: i64, total: i64) -> i64 {
    let last = ((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE).max(1);
    requested.clamp(1, last)
}

/// The name filter of `/users` as typed: what a name's lookup key starts with (so letter case and
/// full-width forms do not matter), at most as long as a name can be; control characters, which no name
/// holds, left out (PostgreSQL refuses a NUL in text).
pub fn name_prefix(raw: &str) -> String {
    username_key(raw)
        .chars()
        .filter(|c| !c.is_control())
        .take(Username::MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_filter_is_a_lookup_key_cut_to_a_name_s_length() {
        assert_eq!(name_prefix("  ＡLice "), "alice");
        assert_eq!(name_prefix("a\0b\u{7}"), "ab");
        assert_eq!(
            name_prefix(&"x".repeat(10_000)).chars().count(),
            Username::MAX_CHARS
        );
    }

    #[test]
    fn a_tab_parses_or_is_the_questions() {
        assert_eq!(ProfileTab::parse(Some("answers")), ProfileTab::Answers);
        assert_eq!(ProfileTab::parse(Some("<x>")), ProfileTab::Questions);
        assert_eq!(ProfileTab::parse(None).code(), "questions");
    }
}
