//! Undeleting and purging questions and answers (deleting starts on their own pages' confirmation):
//! `POST /questions/{id}/undelete`, `GET`/`POST /questions/{id}/purge`, and the same for answers.

use std::sync::Arc;

use maud::Markup;
use poem::{
    Request, Response, Route, get, handler, post,
    session::Session,
    web::{Data, Path},
};

use super::{
    AppState,
    handler_kit::{redirect_after_post, see_other_to_anchor},
    session::{RequireUser, flash},
};
use crate::{
    board,
    domain::{
        accounts::CurrentUser,
        board::{AnswerId, AnswerSort, QuestionId},
        policy::{Action, PostRef},
        posts::Removal,
    },
    error::AppResult,
    views::{
        Flash, PageContext,
        questions::{ConfirmDelete, confirm_delete_page},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/questions/:id/undelete", post(undelete_question))
        .at("/answers/:id/undelete", post(undelete_answer))
        .at(
            "/questions/:id/purge",
            get(confirm_purge_question).post(purge_question),
        )
        .at(
            "/answers/:id/purge",
            get(confirm_purge_answer).post(purge_answer),
        )
}

/// Deletes, undeletes or purges the post, then goes where it can be seen: its question's page (where a
/// deleted post shows its author and the moderators how to bring it back), or after a question's purge
/// the list.
pub async fn remove(
    req: &Request,
    session: &Session,
    (user, state): (&CurrentUser, &AppState),
    post: PostRef,
    how: Removal,
) -> AppResult<Response> {
    let question = board::questions::remove(&state.store, user, post, how).await?;
    state.index_now().await;
    let question_post = matches!(post, PostRef::Question(_));
    flash(
        session,
        match (how, question_post) {
            (Removal::Delete, true) => Flash::QuestionDeleted,
            (Removal::Delete, false) => Flash::AnswerDeleted,
            (Removal::Undelete, true) => Flash::QuestionUndeleted,
            (Removal::Undelete, false) => Flash::AnswerUndeleted,
            (Removal::Purge, true) => Flash::QuestionPurged,
            (Removal::Purge, false) => Flash::AnswerPurged,
        },
    );
    let page = urls::question(question, AnswerSort::Likes, 1);
    Ok(match (how, post) {
        (Removal::Purge, PostRef::Question(_)) => redirect_after_post(req, "/"),
        // To the answer where it now stands: back on the page of its question that holds it, or among the
        // deleted answers (every page lists them); with htmx too, as a redirect within the page would not
        // reload it.
        (Removal::Undelete, PostRef::Answer(id)) => {
            let page = super::answers::page_of(state, id).await?;
            see_other_to_anchor(req, &format!("{page}#answer-{}", id.0))
        }
        (Removal::Delete, PostRef::Answer(id)) => {
            see_other_to_anchor(req, &format!("{page}#answer-{}", id.0))
        }
        _ => redirect_after_post(req, &page),
    })
}

#[handler]
async fn undelete_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Question(id);
    remove(req, session, (&user, &state), post, Removal::Undelete).await
}

#[handler]
async fn undelete_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Answer(id);
    remove(req, session, (&user, &state), post, Removal::Undelete).await
}

#[handler]
async fn confirm_purge_question(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let question = board::questions::to_change(&state.store, &user, id, Action::Purge).await?;
    let t = ctx.t();
    Ok(confirm_delete_page(
        &ctx,
        &ConfirmDelete {
            title: t.purge_question_title,
            body: t.purge_question_body,
            excerpt: &question.subject,
            action: &urls::question_action(id, "purge"),
            back: &urls::question(id, AnswerSort::Likes, 1),
            button: t.purge,
        },
    ))
}

#[handler]
async fn purge_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Question(id);
    remove(req, session, (&user, &state), post, Removal::Purge).await
}

#[handler]
async fn confirm_purge_answer(
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let answer = board::answers::to_change(&state.store, &user, id, Action::Purge).await?;
    let t = ctx.t();
    let excerpt: String = answer.content.chars().take(200).collect();
    Ok(confirm_delete_page(
        &ctx,
        &ConfirmDelete {
            title: t.purge_answer_title,
            body: t.purge_answer_body,
            excerpt: &excerpt,
            action: &urls::answer_action(id, "purge"),
            back: &urls::question(answer.question_id, AnswerSort::Likes, 1),
            button: t.purge,
        },
    ))
}

#[handler]
async fn purge_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let post = PostRef::Answer(id);
    remove(req, session, (&user, &state), post, Removal::Purge).await
}
