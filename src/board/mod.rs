//! What people do on the board, one async function each: it takes who acts and the input as typed,
//! parses it, asks the policy, renders Markdown, reads the clock and owns the transaction, and answers with
//! domain values or a [`BoardError`]. `web/` turns that into pages; a JSON API will turn the same into JSON.

pub mod accounts;
pub mod answers;
pub mod comments;
pub mod likes;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod people;
pub mod questions;
pub mod tokens;
pub mod views;

use crate::{
    domain::{FieldError, ids::UserId, policy::Denied},
    markdown::Style,
    store::{Guarded, Store, StoreError},
};

/// Why something a person tried did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// No such post (or it went meanwhile).
    #[error("not found")]
    NotFound,
    /// The policy refused, and why.
    #[error("forbidden: {0:?}")]
    Forbidden(Denied),
    /// The account is suspended: it may read, not write.
    #[error("suspended until {}", .0.until)]
    Suspended(crate::domain::moderation::Suspension),
    /// The question is closed, for this reason: it takes no new answers.
    #[error("question closed")]
    QuestionClosed(Box<crate::domain::moderation::Closure>),
    /// The input has these problems; nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The name and password do not match an account (which of the two is not said).
    #[error("log-in failed")]
    LoginFailed,
    /// Too many passwords are being hashed: try again in a moment.
    #[error("busy")]
    Busy,
    /// The client (or the account name) reached a limit: try again after this long.
    #[error("throttled for {0:?}")]
    Throttled(std::time::Duration),
    /// Something that is not the person's fault, besides storage (a password hash that failed).
    #[error("{0}")]
    Internal(String),
    /// Storage failed: not the person's fault.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// Work off the executor failed (a panic in Markdown rendering).
    #[error("background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<crate::search::SearchError> for BoardError {
    fn from(err: crate::search::SearchError) -> Self {
        Self::Internal(format!("search: {err}"))
    }
}

/// A guarded change's outcome as a result.
fn allowed<T>(outcome: Guarded<T>) -> Result<T, BoardError> {
    match outcome {
        Guarded::Done(value) => Ok(value),
        Guarded::Missing => Err(BoardError::NotFound),
        Guarded::Denied(why) => Err(BoardError::Forbidden(why)),
    }
}

/// Renders a post's Markdown on a blocking thread: a 20,000-character post is real CPU work.
async fn render(markdown: &str) -> Result<String, BoardError> {
    render_with(markdown, crate::markdown::render).await
}

/// Renders an answer's or a comment's Markdown with its `@name` mentions linked to the users they name;
/// returns the HTML and those users (each is told).
async fn render_mentioning(
    store: &Store,
    markdown: &str,
    style: Style,
) -> Result<(String, Vec<UserId>), BoardError> {
    let source = markdown.to_owned();
    let (source, names) = tokio::task::spawn_blocking(move || {
        let names = crate::markdown::mentions(&source, style);
        (source, names)
    })
    .await?;
    let mentioned = if names.is_empty() {
        Vec::new()
    } else {
        store.users_named(names).await?
    };
    let ids = mentioned.iter().map(|user| user.id).collect();
    let html = tokio::task::spawn_blocking(move || {
        crate::markdown::render_mentioning(&source, style, &mentioned)
    })
    .await?;
    Ok((html, ids))
}

/// Renders Markdown with `renderer` (a post's or a comment's) on a blocking thread.
async fn render_with(markdown: &str, renderer: fn(&str) -> String) -> Result<String, BoardError> {
    let source = markdown.to_owned();
    Ok(tokio::task::spawn_blocking(move || renderer(&source)).await?)
}
