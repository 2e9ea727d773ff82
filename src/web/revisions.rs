//! A post's history (`/questions/{id}/revisions`, and the same for answers and comments) and rolling a
//! post back to one of its revisions (a plain form; the post's page follows with a message).

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    post,
    session::Session,
    web::{Data, Path},
};

use super::{
    AppState,
    handler_kit::redirect_after_post,
    session::{RequireUser, flash},
};
use crate::{
    board::{self, BoardError},
    domain::{
        board::{AnswerId, AnswerSort, CommentId, QuestionId},
        policy::PostRef,
    },
    error::AppResult,
    views::{Flash, PageContext, revisions::revisions_page, urls},
};

pub fn routes(route: Route) -> Route {
    route
        .at("/questions/:id/revisions", get(question_history))
        .at("/answers/:id/revisions", get(answer_history))
        .at("/comments/:id/revisions", get(comment_history))
        .at(
            "/questions/:id/revisions/:number/rollback",
            post(question_rollback),
        )
        .at(
            "/answers/:id/revisions/:number/rollback",
            post(answer_rollback),
        )
        .at(
            "/comments/:id/revisions/:number/rollback",
            post(comment_rollback),
        )
}

async fn history(state: &AppState, ctx: &PageContext, post: PostRef) -> AppResult<Markup> {
    let history = board::revisions::history(&state.store, post).await?;
    Ok(revisions_page(ctx, &history, &[]))
}

#[handler]
async fn question_history(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(&state, &ctx, PostRef::Question(id)).await
}

#[handler]
async fn answer_history(
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(&state, &ctx, PostRef::Answer(id)).await
}

#[handler]
async fn comment_history(
    Path(id): Path<CommentId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(&state, &ctx, PostRef::Comment(id)).await
}

/// Rolls `post` back to revision `number`: the post's page follows with a message; a refusal shows the
/// history again with the reason.
async fn rollback(
    req: &Request,
    ctx: &PageContext,
    session: &Session,
    user: &crate::domain::accounts::CurrentUser,
    state: &AppState,
    post: PostRef,
    number: i64,
) -> AppResult<Response> {
    match board::revisions::rollback(&state.store, user, post, number).await {
        Ok(()) => {
            state.index_now().await;
            flash(session, Flash::RolledBack);
            let target = match post {
                PostRef::Question(id) => urls::question(id, AnswerSort::Likes, 1),
                PostRef::Answer(id) => urls::answer(id),
                PostRef::Comment(id) => urls::comment(id),
            };
            Ok(redirect_after_post(req, &target))
        }
        Err(BoardError::Invalid(errors)) => {
            let history = board::revisions::history(&state.store, post).await?;
            Ok(revisions_page(ctx, &history, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn question_rollback(
    req: &Request,
    Path((id, number)): Path<(QuestionId, i64)>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    rollback(
        req,
        &ctx,
        session,
        &user,
        &state,
        PostRef::Question(id),
        number,
    )
    .await
}

#[handler]
async fn answer_rollback(
    req: &Request,
    Path((id, number)): Path<(AnswerId, i64)>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    rollback(
        req,
        &ctx,
        session,
        &user,
        &state,
        PostRef::Answer(id),
        number,
    )
    .await
}

#[handler]
async fn comment_rollback(
    req: &Request,
    Path((id, number)): Path<(CommentId, i64)>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    rollback(
        req,
        &ctx,
        session,
        &user,
        &state,
        PostRef::Comment(id),
        number,
    )
    .await
}
