//! Answering, and editing and deleting answers.

use super::{BoardError, allowed, render};
use crate::{
    db::{
        self, Db,
        answers::{self, NewAnswer},
    },
    domain::{
        accounts::CurrentUser,
        board::{AnswerForm, AnswerId, QuestionId},
        policy::{self, Action, PostRef},
        posts::Answer,
    },
};

/// Answers a question; returns the answer's id.
pub async fn answer(
    db: &Db,
    user: &CurrentUser,
    question: QuestionId,
    form: &AnswerForm,
) -> Result<AnswerId, BoardError> {
    let content = form.parse().map_err(BoardError::Invalid)?;
    let html = render(content.as_str()).await?;
    let (author_id, author) = (user.id, user.username.clone());
    db.write(move |tx| {
        answers::insert(
            tx,
            &NewAnswer {
                question_id: question,
                author_id,
                author: &author,
                content: &content,
                content_html: &html,
                now: db::now(),
            },
        )
    })
    .await?
    .ok_or(BoardError::NotFound)
}

/// The answer as it stands, for someone the policy lets edit it (the edit form, the delete page).
pub async fn to_change(db: &Db, user: &CurrentUser, id: AnswerId) -> Result<Answer, BoardError> {
    let answer = db
        .read(move |conn| answers::find(conn, id, None))
        .await?
        .ok_or(BoardError::NotFound)?;
    policy::may(user.actor(), Action::Edit, answer.author_id).map_err(BoardError::Forbidden)?;
    Ok(answer)
}

/// Replaces an answer's body; returns it as its author now sees it. Who may is decided before the input is
/// looked at and again inside the write.
pub async fn edit(
    db: &Db,
    user: &CurrentUser,
    id: AnswerId,
    form: &AnswerForm,
) -> Result<Answer, BoardError> {
    let actor = user.actor();
    let post = PostRef::Answer(id);
    allowed(
        db.read(move |conn| db::guard(conn, actor, Action::Edit, post))
            .await?,
    )?;
    let content = form.parse().map_err(BoardError::Invalid)?;
    let html = render(content.as_str()).await?;
    let outcome = db
        .write(move |tx| {
            db::guard(tx, actor, Action::Edit, post)?.then(|| {
                answers::update(tx, id, &content, &html, db::now())?;
                answers::find(tx, id, Some(actor.id))
            })
        })
        .await?;
    allowed(outcome)?.ok_or(BoardError::NotFound)
}

/// Deletes an answer and its likes; returns its question.
pub async fn delete(db: &Db, user: &CurrentUser, id: AnswerId) -> Result<QuestionId, BoardError> {
    let actor = user.actor();
    let outcome = db
        .write(move |tx| {
            db::guard(tx, actor, Action::Delete, PostRef::Answer(id))?
                .then(|| answers::delete(tx, id))
        })
        .await?;
    allowed(outcome)?.ok_or(BoardError::NotFound)
}
