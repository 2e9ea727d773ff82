//! Asking, editing and deleting questions.

use super::{BoardError, allowed, render};
use crate::{
    db::{
        self, Db,
        questions::{self, NewQuestion},
    },
    domain::{
        accounts::CurrentUser,
        board::{QuestionForm, QuestionId},
        policy::{self, Action, PostRef},
        posts::Question,
    },
};

/// Asks a question; returns its id.
pub async fn ask(
    db: &Db,
    user: &CurrentUser,
    form: &QuestionForm,
) -> Result<QuestionId, BoardError> {
    let draft = form.parse().map_err(BoardError::Invalid)?;
    let html = render(draft.content.as_str()).await?;
    let (author_id, author) = (user.id, user.username.clone());
    let id = db
        .write(move |tx| {
            questions::insert(
                tx,
                &NewQuestion {
                    author_id,
                    author: &author,
                    draft: &draft,
                    content_html: &html,
                    now: db::now(),
                },
            )
        })
        .await?;
    Ok(id)
}

/// The question as it stands, for someone the policy lets edit it (the edit form, the delete page).
pub async fn to_change(
    db: &Db,
    user: &CurrentUser,
    id: QuestionId,
) -> Result<Question, BoardError> {
    let question = db
        .read(move |conn| questions::find(conn, id, None))
        .await?
        .ok_or(BoardError::NotFound)?;
    policy::may(user.actor(), Action::Edit, question.author_id).map_err(BoardError::Forbidden)?;
    Ok(question)
}

/// Replaces a question's subject and body. Who may is decided before the input is looked at (a stranger
/// gets "forbidden", not a list of problems) and again inside the write.
pub async fn edit(
    db: &Db,
    user: &CurrentUser,
    id: QuestionId,
    form: &QuestionForm,
) -> Result<(), BoardError> {
    let actor = user.actor();
    let post = PostRef::Question(id);
    allowed(
        db.read(move |conn| db::guard(conn, actor, Action::Edit, post))
            .await?,
    )?;
    let draft = form.parse().map_err(BoardError::Invalid)?;
    let html = render(draft.content.as_str()).await?;
    let outcome = db
        .write(move |tx| {
            db::guard(tx, actor, Action::Edit, post)?
                .then(|| questions::update(tx, id, &draft, &html, db::now()))
        })
        .await?;
    allowed(outcome)
}

/// Deletes a question with its answers and likes.
pub async fn delete(db: &Db, user: &CurrentUser, id: QuestionId) -> Result<(), BoardError> {
    let actor = user.actor();
    let outcome = db
        .write(move |tx| {
            db::guard(tx, actor, Action::Delete, PostRef::Question(id))?
                .then(|| questions::delete(tx, id))
        })
        .await?;
    allowed(outcome)
}
