//! Asking, editing and deleting questions.

use super::{BoardError, allowed, render};
use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        board::{QuestionForm, QuestionId},
        policy::{self, Action, PostRef},
        posts::Question,
    },
    store::{NewQuestion, Revision, Store},
};

/// Asks a question; returns its id.
pub async fn ask(
    store: &Store,
    user: &CurrentUser,
    form: &QuestionForm,
) -> Result<QuestionId, BoardError> {
    let draft = form.parse().map_err(BoardError::Invalid)?;
    let content_html = render(draft.content.as_str()).await?;
    let id = store
        .insert_question(NewQuestion {
            author_id: user.id,
            author: user.username.clone(),
            draft,
            content_html,
            now: domain::now(),
        })
        .await?;
    Ok(id)
}

/// The question as it stands, for someone the policy lets edit it (the edit form, the delete page).
pub async fn to_change(
    store: &Store,
    user: &CurrentUser,
    id: QuestionId,
) -> Result<Question, BoardError> {
    let question = store
        .question(id, None)
        .await?
        .ok_or(BoardError::NotFound)?;
    policy::may(user.actor(), Action::Edit, question.author_id).map_err(BoardError::Forbidden)?;
    Ok(question)
}

/// Replaces a question's subject and body. Who may is decided before the input is looked at (a stranger
/// gets "forbidden", not a list of problems) and again inside the write.
pub async fn edit(
    store: &Store,
    user: &CurrentUser,
    id: QuestionId,
    form: &QuestionForm,
) -> Result<(), BoardError> {
    let actor = user.actor();
    allowed(
        store
            .check(actor, Action::Edit, PostRef::Question(id))
            .await?,
    )?;
    let draft = form.parse().map_err(BoardError::Invalid)?;
    let html = render(draft.content.as_str()).await?;
    let revision = Revision {
        text: draft,
        html,
        now: domain::now(),
    };
    allowed(store.update_question(actor, id, revision).await?)
}

/// Deletes a question with its answers and likes.
pub async fn delete(store: &Store, user: &CurrentUser, id: QuestionId) -> Result<(), BoardError> {
    allowed(store.delete_question(user.actor(), id).await?)
}
