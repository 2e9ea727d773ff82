//! Questions and answers as storage hands them to the use cases and the views: plain values, whatever
//! engine they came from.

use super::ids::{AnswerId, QuestionId, UserId};

/// A question as the list shows it.
#[derive(Clone, Debug)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub subject: String,
    pub author: String,
    pub created_at: i64,
    pub answer_count: i64,
    pub like_count: i64,
}

/// One page of the question list.
#[derive(Clone, Debug)]
pub struct QuestionList {
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    pub questions: Vec<QuestionSummary>,
}

/// A question with one page of its answers, as one viewer sees them.
#[derive(Clone, Debug)]
pub struct QuestionPage {
    pub question: Question,
    /// The answer page shown, clamped to the pages that exist.
    pub page: i64,
    pub answers: Vec<Answer>,
}

/// A question as its own page shows it.
#[derive(Clone, Debug)]
pub struct Question {
    pub id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    pub subject: String,
    pub content: String,
    pub content_html: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    pub answer_count: i64,
    pub like_count: i64,
    /// Whether the user viewing the page has liked it.
    pub liked: bool,
}

/// An answer as its question's page shows it.
#[derive(Clone, Debug)]
pub struct Answer {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    pub content: String,
    pub content_html: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    pub like_count: i64,
    /// Whether the user viewing the page has liked it.
    pub liked: bool,
}
