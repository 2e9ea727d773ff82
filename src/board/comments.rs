//! Commenting on questions and answers, and editing and deleting comments.

use super::{BoardError, allowed, render_with};
use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        board::{CommentForm, CommentId},
        policy::{self, Action, PostRef},
        posts::Comment,
    },
    store::{NewComment, Revision, Store},
};

/// A comment's limited Markdown, rendered off the executor as posts' is.
async fn render(markdown: &str) -> Result<String, BoardError> {
    render_with(markdown, crate::markdown::render_comment).await
}

/// Comments on a question or an answer; returns the comment's id.
pub async fn comment(
    store: &Store,
    user: &CurrentUser,
    on: PostRef,
    form: &CommentForm,
) -> Result<CommentId, BoardError> {
    let content = form.parse().map_err(BoardError::Invalid)?;
    let content_html = render(content.as_str()).await?;
    store
        .insert_comment(NewComment {
            on,
            author_id: user.id,
            content,
            content_html,
            now: domain::now(),
        })
        .await?
        .ok_or(BoardError::NotFound)
}

/// The comment as it stands, for someone the policy lets change it (the edit form, the delete page).
pub async fn to_change(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
) -> Result<Comment, BoardError> {
    let comment = store.comment(id).await?.ok_or(BoardError::NotFound)?;
    policy::may(user.actor(), Action::Edit, comment.author_id).map_err(BoardError::Forbidden)?;
    Ok(comment)
}

/// Replaces a comment's text; returns it as it now is. Who may is decided before the input is looked at
/// and again inside the write.
pub async fn edit(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
    form: &CommentForm,
) -> Result<Comment, BoardError> {
    let actor = user.actor();
    allowed(
        store
            .check(actor, Action::Edit, PostRef::Comment(id))
            .await?,
    )?;
    let text = form.parse().map_err(BoardError::Invalid)?;
    let html = render(text.as_str()).await?;
    let revision = Revision {
        text,
        html,
        now: domain::now(),
    };
    allowed(store.update_comment(actor, id, revision).await?)
}

/// Deletes a comment; returns it as it was (its post is where the reader goes back to).
pub async fn delete(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
) -> Result<Comment, BoardError> {
    allowed(store.delete_comment(user.actor(), id).await?)
}
