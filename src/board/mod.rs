//! What people do on the board, one async function each: it takes who acts and the input as typed,
//! parses it, asks the policy, renders Markdown, reads the clock and owns the transaction, and answers with
//! domain values or a [`BoardError`]. `web/` turns that into pages; a JSON API will turn the same into JSON.

pub mod accounts;
pub mod answers;
pub mod comments;
pub mod flags;
pub mod likes;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod people;
pub mod questions;
pub mod revisions;
pub mod tokens;
pub mod views;

use crate::{
    domain::{
        FieldError, Problem,
        ids::UserId,
        policy::Denied,
        writing::{Limited, WriteLimits},
    },
    markdown::Style,
    store::{Guarded, Store, StoreError, writing::WriteCheck},
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

/// The check the limits on writing make of a post rendered as `html` (its links to other sites counted);
/// `None` when the limits are off.
fn write_check(limits: Option<&WriteLimits>, html: &str) -> Option<WriteCheck> {
    limits.map(|limits| WriteCheck {
        limits: limits.clone(),
        links: crate::markdown::external_links(html),
    })
}

/// A new post's outcome as a result: a limit's refusal is a problem of the text, which the form shows
/// with the text kept (too fast: a 429 that says when to send it again).
fn written<T>(outcome: Guarded<T>) -> Result<T, BoardError> {
    let problem = match outcome {
        Guarded::Denied(Denied::Limited(Limited::Wait(seconds))) => {
            FieldError::about("content", Problem::TooFast, &seconds.to_string())
        }
        Guarded::Denied(Denied::Limited(Limited::Repeated)) => {
            FieldError::new("content", Problem::Repeated)
        }
        Guarded::Denied(Denied::Limited(Limited::Links(most))) => {
            FieldError::about("content", Problem::TooManyLinks, &most.to_string())
        }
        other => return allowed(other),
    };
    Err(BoardError::Invalid(vec![problem]))
}

/// An edit's note and the rest of its form as parsed: every problem of both at once.
fn both_parsed<T>(
    note: Result<crate::domain::revisions::EditNote, Vec<FieldError>>,
    rest: Result<T, Vec<FieldError>>,
) -> Result<(crate::domain::revisions::EditNote, T), BoardError> {
    match (note, rest) {
        (Ok(note), Ok(rest)) => Ok((note, rest)),
        (note, rest) => Err(BoardError::Invalid(
            note.err().into_iter().chain(rest.err()).flatten().collect(),
        )),
    }
}

/// Refuses an edit that puts more links in a post than the author's reputation allows (a new post is
/// checked inside its write, with the other limits; an edit is not a new post, so only this applies).
async fn links_allowed(
    store: &Store,
    user: &crate::domain::accounts::CurrentUser,
    limits: Option<&WriteLimits>,
    html: &str,
) -> Result<(), BoardError> {
    let Some(limits) = limits else {
        return Ok(());
    };
    if crate::markdown::external_links(html) <= limits.most_links
        || moderation::standing(store, user).await?.reputation >= limits.links_below_reputation
    {
        return Ok(());
    }
    Err(BoardError::Invalid(vec![FieldError::about(
        "content",
        Problem::TooManyLinks,
        &limits.most_links.to_string(),
    )]))
}

/// How long a refused post must wait, when a limit on writing was what refused it.
pub fn wait_of(errors: &[FieldError]) -> Option<std::time::Duration> {
    errors
        .iter()
        .find(|error| error.problem == Problem::TooFast)
        .and_then(|error| error.about.as_deref()?.parse().ok())
        .map(std::time::Duration::from_secs)
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
