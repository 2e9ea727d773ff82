//! The JSON the API sends and takes: domain values as programs read them. Ids are integers, times RFC 3339
//! in UTC, posts carry their Markdown and the sanitised HTML it renders to.

use poem_openapi::{Enum, Object};
use time::OffsetDateTime;

use super::text::Text;

use crate::domain::{
    ids::UserId,
    policy::PostRef,
    posts::{Answer, Comment, Question, QuestionState, QuestionSummary},
    tags::Tags,
};

/// A Unix time as the API writes it.
pub fn timestamp(unix_seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix_seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A post's text, or nothing while it is hidden by spam flags.
fn shown(hidden: bool, text: &str) -> String {
    if hidden {
        String::new()
    } else {
        text.to_owned()
    }
}

fn tag_names(tags: &Tags) -> Vec<String> {
    tags.names()
        .iter()
        .map(|tag| tag.as_str().to_owned())
        .collect()
}

/// Who wrote a post.
#[derive(Object)]
pub struct Author {
    /// Null for a deleted account (its posts are not linked to one another).
    #[oai(nullable)]
    pub id: Option<i64>,
    /// Empty for a deleted account.
    pub username: String,
    /// 0 for a deleted account.
    pub reputation: i64,
    /// The account was deleted; its posts stay.
    pub deleted: bool,
}

impl Author {
    fn new(id: UserId, username: &str, reputation: i64) -> Self {
        let deleted = username.is_empty();
        Self {
            id: (!deleted).then_some(id.0),
            username: username.to_owned(),
            reputation: if deleted { 0 } else { reputation },
            deleted,
        }
    }
}

/// Where a question stands.
#[derive(Enum, Clone, Copy)]
#[oai(rename_all = "lowercase")]
pub enum QuestionStateJson {
    /// No answer yet.
    Unanswered,
    /// Answered, none accepted.
    Answered,
    /// Its author accepted an answer.
    Accepted,
}

impl From<QuestionState> for QuestionStateJson {
    fn from(state: QuestionState) -> Self {
        match state {
            QuestionState::Unanswered => Self::Unanswered,
            QuestionState::Answered => Self::Answered,
            QuestionState::Accepted => Self::Accepted,
        }
    }
}

/// A question as lists carry it.
#[derive(Object)]
pub struct QuestionItem {
    pub id: i64,
    pub subject: String,
    pub author: Author,
    pub tags: Vec<String>,
    pub state: QuestionStateJson,
    pub answer_count: i64,
    pub like_count: i64,
    pub view_count: i64,
    /// A moderator closed it: it takes no new answers.
    pub closed: bool,
    /// Hidden by spam flags until a moderator decides: its subject is left out here.
    pub hidden: bool,
    pub created_at: OffsetDateTime,
    /// Its page on the board.
    pub url: String,
}

impl From<&QuestionSummary> for QuestionItem {
    fn from(question: &QuestionSummary) -> Self {
        Self {
            id: question.id.0,
            subject: shown(question.hidden, &question.subject),
            author: Author::new(
                question.author_id,
                &question.author,
                question.author_reputation,
            ),
            tags: tag_names(&question.tags),
            state: question.state().into(),
            answer_count: question.answer_count,
            like_count: question.like_count,
            view_count: question.view_count,
            closed: question.closed,
            hidden: question.hidden,
            created_at: timestamp(question.created_at),
            url: format!("/questions/{}", question.id.0),
        }
    }
}

/// One page of questions.
#[derive(Object)]
pub struct QuestionList {
    pub items: Vec<QuestionItem>,
    /// The page shown (a page past the last shows the last).
    pub page: i64,
    /// How many questions there are in all (for a search: match, counted up to 10,000).
    pub total: i64,
    /// The next page's address, when there is one.
    #[oai(nullable)]
    pub next: Option<String>,
}

/// An answer.
#[derive(Object)]
pub struct AnswerJson {
    pub id: i64,
    pub question_id: i64,
    pub author: Author,
    /// Markdown, as written.
    pub content: String,
    /// The Markdown rendered and sanitised.
    pub content_html: String,
    pub like_count: i64,
    pub comment_count: i64,
    /// Its question's author accepted it.
    pub accepted: bool,
    /// The token's account liked it (always false without a token).
    pub liked: bool,
    pub created_at: OffsetDateTime,
    #[oai(nullable)]
    pub modified_at: Option<OffsetDateTime>,
    /// Who edited it last when not its author (a moderator; empty once their account is deleted); null
    /// when nobody else did.
    #[oai(nullable)]
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: its text is left out here.
    pub hidden: bool,
    /// Deleted: only its author and moderators read it; null while it is not.
    #[oai(nullable)]
    pub deleted: Option<DeletionJson>,
    pub url: String,
}

/// When and by whom a post was deleted.
#[derive(Object)]
pub struct DeletionJson {
    pub at: OffsetDateTime,
    /// Who deleted it (empty once their account is deleted).
    pub by: String,
    /// An answer deleted with its question: it comes back with it.
    pub with_question: bool,
}

impl From<&crate::domain::posts::Deletion> for DeletionJson {
    fn from(deletion: &crate::domain::posts::Deletion) -> Self {
        Self {
            at: timestamp(deletion.at),
            by: deletion.by.clone(),
            with_question: deletion.with_question,
        }
    }
}

impl From<&Answer> for AnswerJson {
    fn from(answer: &Answer) -> Self {
        Self {
            id: answer.id.0,
            question_id: answer.question_id.0,
            author: Author::new(answer.author_id, &answer.author, answer.author_reputation),
            content: shown(answer.hidden, &answer.content),
            content_html: shown(answer.hidden, &answer.content_html),
            like_count: answer.like_count,
            comment_count: answer.comment_count,
            accepted: answer.accepted,
            liked: answer.liked,
            created_at: timestamp(answer.created_at),
            modified_at: answer.modified_at.map(timestamp),
            edited_by: answer.edited_by.clone(),
            hidden: answer.hidden,
            deleted: answer.deleted.as_ref().map(DeletionJson::from),
            url: format!("/answers/{}", answer.id.0),
        }
    }
}

/// One page of a question's answers: on the first, the accepted answer comes first, whatever the order.
#[derive(Object)]
pub struct AnswerList {
    pub items: Vec<AnswerJson>,
    pub page: i64,
    pub total: i64,
    #[oai(nullable)]
    pub next: Option<String>,
}

/// A question with the first page of its answers.
#[derive(Object)]
pub struct QuestionJson {
    pub id: i64,
    pub subject: String,
    pub author: Author,
    /// Markdown, as written.
    pub content: String,
    /// The Markdown rendered and sanitised.
    pub content_html: String,
    pub tags: Vec<String>,
    pub state: QuestionStateJson,
    pub answer_count: i64,
    pub like_count: i64,
    pub comment_count: i64,
    pub view_count: i64,
    #[oai(nullable)]
    pub accepted_answer_id: Option<i64>,
    /// The token's account liked it (always false without a token).
    pub liked: bool,
    /// The token's account follows it (always false without a token).
    pub followed: bool,
    pub created_at: OffsetDateTime,
    #[oai(nullable)]
    pub modified_at: Option<OffsetDateTime>,
    /// Who edited it last when not its author (a moderator; empty once their account is deleted); null
    /// when nobody else did.
    #[oai(nullable)]
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: its text is left out here.
    pub hidden: bool,
    /// Deleted (with its answers): only its author and moderators read it; null while it is not.
    #[oai(nullable)]
    pub deleted: Option<DeletionJson>,
    pub url: String,
    /// Why it was closed (it takes no new answers); null while it is open.
    #[oai(nullable)]
    pub closure: Option<super::moderation::ClosureJson>,
    /// The first page of its answers, most liked first.
    pub answers: AnswerList,
}

impl QuestionJson {
    pub fn new(question: &Question, answers: AnswerList) -> Self {
        Self {
            id: question.id.0,
            subject: question.subject.clone(),
            author: Author::new(
                question.author_id,
                &question.author,
                question.author_reputation,
            ),
            content: shown(question.hidden, &question.content),
            content_html: shown(question.hidden, &question.content_html),
            tags: tag_names(&question.tags),
            state: question.state().into(),
            answer_count: question.answer_count,
            like_count: question.like_count,
            comment_count: question.comment_count,
            view_count: question.view_count,
            accepted_answer_id: question.accepted_answer_id.map(|id| id.0),
            liked: question.liked,
            followed: question.followed,
            created_at: timestamp(question.created_at),
            modified_at: question.modified_at.map(timestamp),
            edited_by: question.edited_by.clone(),
            hidden: question.hidden,
            deleted: question.deleted.as_ref().map(DeletionJson::from),
            url: format!("/questions/{}", question.id.0),
            closure: question
                .closure
                .as_ref()
                .map(super::moderation::ClosureJson::from),
            answers,
        }
    }
}

/// A question to ask, or a question's new text.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct QuestionInput {
    /// 1–200 characters.
    pub subject: Text,
    /// Markdown, 1–20,000 characters.
    pub content: Text,
    /// Up to 5 tags (letters, digits, `+`, `#`, `-`, `.`). Left out (or null), an edit keeps the
    /// question's tags.
    #[oai(nullable)]
    pub tags: Option<Vec<Text>>,
    /// An edit's summary, up to 500 characters: what changed and why. Required of a moderator editing
    /// someone else's post; not kept when posting.
    #[oai(nullable)]
    pub summary: Option<Text>,
}

/// An answer to write, or an answer's new text.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct AnswerInput {
    /// Markdown, 1–20,000 characters.
    pub content: Text,
    /// An edit's summary, up to 500 characters: what changed and why. Required of a moderator editing
    /// someone else's post; not kept when posting.
    #[oai(nullable)]
    pub summary: Option<Text>,
}

/// What a comment is on.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum PostKind {
    Question,
    Answer,
}

/// A comment under a question or an answer.
#[derive(Object)]
pub struct CommentJson {
    pub id: i64,
    /// What it is on: a question or an answer (`post_id`).
    pub post_kind: PostKind,
    pub post_id: i64,
    /// The question it is under (its own, or its answer's).
    pub question_id: i64,
    pub author: Author,
    /// Markdown (inline code, emphasis and links), as written.
    pub content: String,
    /// The Markdown rendered and sanitised.
    pub content_html: String,
    pub created_at: OffsetDateTime,
    #[oai(nullable)]
    pub modified_at: Option<OffsetDateTime>,
    /// Who edited it last when not its author (a moderator; empty once their account is deleted); null
    /// when nobody else did.
    #[oai(nullable)]
    pub edited_by: Option<String>,
    /// Hidden by spam flags until a moderator decides: its text is left out here.
    pub hidden: bool,
    pub url: String,
}

impl From<&Comment> for CommentJson {
    fn from(comment: &Comment) -> Self {
        let (post_kind, post_id) = match comment.on {
            PostRef::Answer(id) => (PostKind::Answer, id.0),
            PostRef::Question(id) => (PostKind::Question, id.0),
            // Never stored (comments take no comments): read as on its question.
            PostRef::Comment(_) => (PostKind::Question, comment.question_id.0),
        };
        Self {
            id: comment.id.0,
            post_kind,
            post_id,
            question_id: comment.question_id.0,
            author: Author::new(
                comment.author_id,
                &comment.author,
                comment.author_reputation,
            ),
            content: shown(comment.hidden, &comment.content),
            content_html: shown(comment.hidden, &comment.content_html),
            created_at: timestamp(comment.created_at),
            modified_at: comment.modified_at.map(timestamp),
            edited_by: comment.edited_by.clone(),
            hidden: comment.hidden,
            url: format!("/comments/{}", comment.id.0),
        }
    }
}

/// Every comment on a post, oldest first (one page: a post's comments are few).
#[derive(Object)]
pub struct CommentList {
    pub items: Vec<CommentJson>,
    pub page: i64,
    pub total: i64,
    #[oai(nullable)]
    pub next: Option<String>,
}

/// A comment to write, or a comment's new text.
#[derive(Object)]
#[oai(deny_unknown_fields)]
pub struct CommentInput {
    /// 1–600 characters: inline code, emphasis and links.
    pub content: Text,
    /// An edit's summary, up to 500 characters: what changed and why. Required of a moderator editing
    /// someone else's post; not kept when posting.
    #[oai(nullable)]
    pub summary: Option<Text>,
}

/// Whether the token's account likes a post, and the post's likes.
#[derive(Object)]
pub struct LikeState {
    pub liked: bool,
    pub like_count: i64,
}

/// Whether the token's account follows a question or a tag (hears of what is new there).
#[derive(Object)]
pub struct FollowState {
    pub following: bool,
}

/// Whether an answer is its question's accepted one.
#[derive(Object)]
pub struct AcceptState {
    pub answer_id: i64,
    pub question_id: i64,
    pub accepted: bool,
}
