//! Questions and answers as storage hands them to the use cases and the views: plain values, whatever
//! engine they came from.

use super::{
    ids::{AnswerId, CommentId, QuestionId, UserId},
    policy::PostRef,
    tags::Tags,
};

/// A question as the list shows it.
#[derive(Clone, Debug)]
pub struct QuestionSummary {
    pub id: QuestionId,
    pub subject: String,
    pub author: String,
    pub created_at: i64,
    pub answer_count: i64,
    pub like_count: i64,
    /// Whether its author accepted one of its answers.
    pub accepted: bool,
    pub view_count: i64,
    pub tags: Tags,
    pub author_id: UserId,
    /// The author's reputation (the JSON API carries it with the name).
    pub author_reputation: i64,
    /// Whether a moderator closed it (it takes no new answers).
    pub closed: bool,
    /// Hidden by spam flags until a moderator decides: its subject shows only to its author and staff.
    pub hidden: bool,
}

/// Where a question stands, as the list shows it (in words and an icon).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionState {
    Unanswered,
    Answered,
    Accepted,
}

impl QuestionState {
    fn of(accepted: bool, answer_count: i64) -> Self {
        if accepted {
            Self::Accepted
        } else if answer_count > 0 {
            Self::Answered
        } else {
            Self::Unanswered
        }
    }
}

impl QuestionSummary {
    pub fn state(&self) -> QuestionState {
        QuestionState::of(self.accepted, self.answer_count)
    }
}

/// One page of the question list.
#[derive(Clone, Debug)]
pub struct QuestionList {
    pub total: i64,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    pub questions: Vec<QuestionSummary>,
}

/// A question with one page of its answers, as one viewer sees them. The accepted answer stands above the
/// first page, whatever the sort, and not again among the others, which keep their sort and paging.
#[derive(Clone, Debug)]
pub struct QuestionPage {
    pub question: Question,
    /// The answer page shown, clamped to the pages that exist.
    pub page: i64,
    /// The accepted answer, on the first page.
    pub accepted: Option<Answer>,
    /// One page of the other answers.
    pub answers: Vec<Answer>,
    /// The first comments of the question and of each answer shown, oldest first.
    pub comments: Vec<Comment>,
    /// The deleted answers the viewer may see (a moderator all, an author their own), oldest first, at
    /// most [`DELETED_ANSWERS_SHOWN`].
    pub deleted_answers: Vec<Answer>,
    /// The questions sharing its tags, best first (`domain::related`), when the whole page was read.
    pub related: Vec<QuestionSummary>,
}

/// How much of a question page to read: the whole page, or its answers alone (an answer section swapped in
/// place, the API), which show no related questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageParts {
    Whole,
    Answers,
}

/// How many deleted answers a question's page lists for those who may see them.
pub const DELETED_ANSWERS_SHOWN: i64 = 30;

impl QuestionPage {
    /// The comments shown under `post`, oldest first.
    pub fn comments_on(&self, post: PostRef) -> Vec<&Comment> {
        self.comments
            .iter()
            .filter(|comment| comment.on == post)
            .collect()
    }
}

/// A question or an answer as a feed carries it.
#[derive(Clone, Debug)]
pub struct FeedEntry {
    pub question_id: QuestionId,
    /// `Some` for an answer.
    pub answer_id: Option<AnswerId>,
    /// The question's subject (an answer's entry names the question it answers).
    pub subject: String,
    pub author: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    pub content_html: String,
    /// The question's tags (none on an answer).
    pub tags: Tags,
}

impl FeedEntry {
    /// When the entry last changed: its edit, or its writing.
    pub fn updated_at(&self) -> i64 {
        self.modified_at.unwrap_or(self.created_at)
    }
}

/// A question as its own page shows it.
#[derive(Clone, Debug)]
pub struct Question {
    pub id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    /// The author's reputation, shown beside the name.
    pub author_reputation: i64,
    pub subject: String,
    pub content: String,
    pub content_html: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    pub answer_count: i64,
    pub like_count: i64,
    pub comment_count: i64,
    pub view_count: i64,
    /// Whether the user viewing the page has liked it.
    pub liked: bool,
    /// Whether the user viewing the page follows it (hears of its new answers).
    pub followed: bool,
    /// The answer its author accepted, if any.
    pub accepted_answer_id: Option<AnswerId>,
    pub tags: Tags,
    /// Why it was closed, while it is: a closed question takes no new answers.
    pub closure: Option<super::moderation::Closure>,
    /// Who edited it last, when not its author (a moderator; '' once their account is deleted).
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: only its author and moderators read it.
    pub hidden: bool,
    /// Deleted: only its author and moderators see it (and may bring it back).
    pub deleted: Option<Deletion>,
}

/// When and by whom a post was deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deletion {
    pub at: i64,
    /// Who deleted it ('' once their account is deleted).
    pub by: String,
    pub by_id: Option<UserId>,
    /// An answer deleted because its question was: it comes back with the question.
    pub with_question: bool,
}

/// What becomes of a question or an answer someone takes away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Gone for everyone but its author and the moderators, who may bring it back.
    Delete,
    /// Back as it was.
    Undelete,
    /// Gone for good, with everything on it (admins only).
    Purge,
}

impl Removal {
    /// What the policy is asked.
    pub fn action(self) -> super::policy::Action {
        use super::policy::Action;
        match self {
            Self::Delete => Action::Delete,
            Self::Undelete => Action::Undelete,
            Self::Purge => Action::Purge,
        }
    }

    /// What the moderation log calls it, done to someone else's post.
    pub fn logged(self) -> super::moderation::LogAction {
        use super::moderation::LogAction;
        match self {
            Self::Delete => LogAction::Delete,
            Self::Undelete => LogAction::Undelete,
            Self::Purge => LogAction::Purge,
        }
    }
}

impl Question {
    pub fn state(&self) -> QuestionState {
        QuestionState::of(self.accepted_answer_id.is_some(), self.answer_count)
    }

    /// How many answers sit in the paged list below the accepted one.
    pub fn paged_answers(&self) -> i64 {
        self.answer_count - i64::from(self.accepted_answer_id.is_some())
    }
}

/// An answer as its question's page shows it.
#[derive(Clone, Debug)]
pub struct Answer {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    /// The author's reputation, shown beside the name.
    pub author_reputation: i64,
    pub content: String,
    pub content_html: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    pub like_count: i64,
    pub comment_count: i64,
    /// Whether the user viewing the page has liked it.
    pub liked: bool,
    /// Whether its question's author accepted it.
    pub accepted: bool,
    /// Who asked its question: the one who may accept it.
    pub question_author_id: UserId,
    /// Who edited it last, when not its author (a moderator; '' once their account is deleted).
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: only its author and moderators read it.
    pub hidden: bool,
    /// Deleted: only its author and moderators see it (and may bring it back).
    pub deleted: Option<Deletion>,
}

/// A short remark under a question or an answer.
#[derive(Clone, Debug)]
pub struct Comment {
    pub id: CommentId,
    /// The post it is on: a question or an answer.
    pub on: PostRef,
    /// The question it is under (its own, or its answer's).
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    pub content: String,
    pub content_html: String,
    pub created_at: i64,
    pub modified_at: Option<i64>,
    /// The author's reputation (the JSON API carries it with the name).
    pub author_reputation: i64,
    /// Who edited it last, when not its author (a moderator; '' once their account is deleted).
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: only its author and moderators read it.
    pub hidden: bool,
}

/// Every comment on one post, with the question it is under (the page of a post's comments).
#[derive(Clone, Debug)]
pub struct PostComments {
    pub post: PostRef,
    pub question_id: QuestionId,
    pub question_subject: String,
    /// Who wrote the post, and its Markdown (the page shows what the comments are about).
    pub post_author: String,
    pub post_content: String,
    /// The post's author while it is hidden by spam flags (only they and moderators read it).
    pub hidden_post_author: Option<UserId>,
    /// The question's author while the question is hidden (its subject shows only to them and staff).
    pub hidden_question_author: Option<UserId>,
    pub comments: Vec<Comment>,
}
