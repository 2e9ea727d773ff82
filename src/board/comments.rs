//! Commenting on questions and answers, and editing and deleting comments.

use super::{
    BoardError, allowed, both_parsed, links_allowed, render_mentioning,
    revisions::{Editing, editing},
    write_check, written,
};
use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        board::{CommentForm, CommentId, CommentText},
        policy::{self, Action, PostRef},
        posts::Comment,
        revisions::EditNote,
        writing::WriteLimits,
    },
    markdown::Style,
    store::{NewComment, Revision, Store},
};

/// Comments on a question or an answer; returns the comment's id.
pub async fn comment(
    store: &Store,
    user: &CurrentUser,
    on: PostRef,
    form: &CommentForm,
    limits: Option<&WriteLimits>,
) -> Result<CommentId, BoardError> {
    let content = form.parse().map_err(BoardError::Invalid)?;
    let (content_html, mentioned) =
        render_mentioning(store, content.as_str(), Style::Comment).await?;
    written(
        store
            .insert_comment(NewComment {
                on,
                author_id: user.id,
                check: write_check(limits, &content_html),
                content,
                content_html,
                mentioned,
                now: domain::now(),
            })
            .await?,
    )
}

/// The comment as it stands, for someone the policy lets do `action` to it (the edit form, the delete
/// page).
pub async fn to_change(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
    action: Action,
) -> Result<Comment, BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    let comment = store.comment(id).await?.ok_or(BoardError::NotFound)?;
    policy::may(actor, action, comment.author_id).map_err(BoardError::Forbidden)?;
    Ok(comment)
}

/// Replaces a comment's text; returns it as it now is. Who may is decided before the input is looked at
/// and again inside the write.
pub async fn edit(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
    form: &CommentForm,
    limits: Option<&WriteLimits>,
) -> Result<Comment, BoardError> {
    let editing = editing(store, user, PostRef::Comment(id)).await?;
    let (note, text) = both_parsed(editing.note(form.summary.as_deref()), form.parse())?;
    save_edit(store, user, &editing, id, text, note, limits).await
}

/// Saves an edit (or a rollback) someone may make, with its note; returns the comment as it now is.
pub(super) async fn save_edit(
    store: &Store,
    user: &CurrentUser,
    editing: &Editing,
    id: CommentId,
    text: CommentText,
    note: EditNote,
    limits: Option<&WriteLimits>,
) -> Result<Comment, BoardError> {
    let (html, mentioned) = render_mentioning(store, text.as_str(), Style::Comment).await?;
    links_allowed(store, user, limits, &html).await?;
    let revision = Revision {
        text,
        html,
        note,
        mentioned,
        now: domain::now(),
    };
    allowed(store.update_comment(editing.actor, id, revision).await?)
}

/// Deletes a comment; returns it as it was (its post is where the reader goes back to).
pub async fn delete(
    store: &Store,
    user: &CurrentUser,
    id: CommentId,
) -> Result<Comment, BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    allowed(store.delete_comment(actor, id).await?)
}
