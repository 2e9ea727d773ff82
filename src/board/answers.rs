//! Answering, and editing and deleting answers.

use super::{
    BoardError, allowed, both_parsed, links_allowed, render_mentioning,
    revisions::{Editing, editing},
    write_check, written,
};
use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        board::{AnswerForm, AnswerId, Content, QuestionId},
        policy::{self, Action, Actor, Denied, PostRef},
        posts::{Answer, Question},
        revisions::EditNote,
        writing::WriteLimits,
    },
    markdown::Style,
    store::{Guarded, NewAnswer, Revision, Store},
};

/// Answers a question; returns the answer's id.
pub async fn answer(
    store: &Store,
    user: &CurrentUser,
    question: QuestionId,
    form: &AnswerForm,
    limits: Option<&WriteLimits>,
) -> Result<AnswerId, BoardError> {
    let content = form.parse().map_err(BoardError::Invalid)?;
    let (content_html, mentioned) = render_mentioning(store, content.as_str(), Style::Post).await?;
    let outcome = store
        .insert_answer(NewAnswer {
            question_id: question,
            author_id: user.id,
            author: user.username.clone(),
            check: write_check(limits, &content_html),
            content,
            content_html,
            mentioned,
            now: domain::now(),
        })
        .await?;
    if outcome == Guarded::Denied(Denied::QuestionClosed) {
        return Err(closed(store, question).await);
    }
    written(outcome)
}

/// Why the question takes no answers, as its page says it (a question reopened meanwhile: as a refusal).
pub async fn closed(store: &Store, question: QuestionId) -> BoardError {
    match store.question(question, None).await {
        Ok(Some(Question {
            closure: Some(closure),
            ..
        })) => BoardError::QuestionClosed(Box::new(closure)),
        Ok(_) => BoardError::Forbidden(Denied::QuestionClosed),
        Err(err) => err.into(),
    }
}

/// An answer as `viewer` may see it: a deleted one only its author and moderators see.
pub async fn show(
    store: &Store,
    id: AnswerId,
    viewer: Option<Actor>,
) -> Result<Answer, BoardError> {
    store
        .answer(id, viewer.map(|viewer| viewer.id))
        .await?
        .filter(|answer| {
            answer.deleted.is_none() || policy::may_read_withheld(viewer, answer.author_id)
        })
        .ok_or(BoardError::NotFound)
}

/// The answer as it stands, for someone the policy lets do `action` to it (the edit form, the delete
/// page); a deleted one only to undelete or purge.
pub async fn to_change(
    store: &Store,
    user: &CurrentUser,
    id: AnswerId,
    action: Action,
) -> Result<Answer, BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    let answer = store
        .answer(id, None)
        .await?
        .filter(|answer| answer.deleted.is_none() || super::questions::removing(action))
        .ok_or(BoardError::NotFound)?;
    policy::may(actor, action, answer.author_id).map_err(BoardError::Forbidden)?;
    Ok(answer)
}

/// Replaces an answer's body; returns it as its author now sees it. Who may is decided before the input is
/// looked at and again inside the write.
pub async fn edit(
    store: &Store,
    user: &CurrentUser,
    id: AnswerId,
    form: &AnswerForm,
    limits: Option<&WriteLimits>,
) -> Result<Answer, BoardError> {
    let editing = editing(store, user, PostRef::Answer(id)).await?;
    let (note, content) = both_parsed(editing.note(form.summary.as_deref()), form.parse())?;
    save_edit(store, user, &editing, id, content, note, limits).await
}

/// Saves an edit (or a rollback) someone may make, with its note; returns the answer as the editor now
/// sees it.
pub(super) async fn save_edit(
    store: &Store,
    user: &CurrentUser,
    editing: &Editing,
    id: AnswerId,
    content: Content,
    note: EditNote,
    limits: Option<&WriteLimits>,
) -> Result<Answer, BoardError> {
    let (html, mentioned) = render_mentioning(store, content.as_str(), Style::Post).await?;
    links_allowed(store, user, limits, &html).await?;
    let revision = Revision {
        text: content,
        html,
        note,
        mentioned,
        now: domain::now(),
    };
    allowed(store.update_answer(editing.actor, id, revision).await?)
}

/// Marks the answer as the one that solved its question (`wanted` true), takes the mark off (false), or
/// does the other of the two (`None`: the page's button); only the question's author may (accepting one's
/// own answer to one's own question too). Returns the question and whether the answer is accepted now.
pub async fn accept(
    store: &Store,
    user: &CurrentUser,
    id: AnswerId,
    wanted: Option<bool>,
) -> Result<(QuestionId, bool), BoardError> {
    let actor = super::moderation::acting(store, user).await?;
    allowed(store.accept(actor, id, wanted).await?)
}
