//! A post's history (`/questions/{id}/revisions`, and the same for answers and comments), a page at a time,
//! and rolling a post back to one of its revisions (a plain form; the post's page follows with a message).

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    post,
    session::Session,
    web::{Data, Form, Path},
};
use serde::Deserialize;

use super::{
    AppState,
    handler_kit::{QueryParams, redirect_after_post},
    session::{RequireUser, flash},
};
use crate::{
    board::{self, BoardError},
    domain::{
        accounts::CurrentUser,
        board::{AnswerId, AnswerSort, CommentId, QuestionId, parse_page},
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

async fn history(
    req: &Request,
    state: &AppState,
    ctx: &PageContext,
    post: PostRef,
) -> AppResult<Markup> {
    let page = parse_page(QueryParams::of(req).get("page"));
    let history = board::revisions::history(&state.store, post, page).await?;
    Ok(revisions_page(ctx, &history, page, &[]))
}

#[handler]
async fn question_history(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(req, &state, &ctx, PostRef::Question(id)).await
}

#[handler]
async fn answer_history(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(req, &state, &ctx, PostRef::Answer(id)).await
}

#[handler]
async fn comment_history(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    history(req, &state, &ctx, PostRef::Comment(id)).await
}

/// What a rollback's form sends: why, when a moderator rolls back someone else's post.
#[derive(Deserialize)]
struct RollbackForm {
    #[serde(default)]
    summary: Option<String>,
}

/// Who rolls what back to which revision, and why.
struct Rollback<'a> {
    user: &'a CurrentUser,
    post: PostRef,
    number: i64,
    form: RollbackForm,
}

/// Rolls the post back: its page follows with a message; a refusal shows the history again with the
/// reason.
async fn rollback(
    req: &Request,
    ctx: &PageContext,
    session: &Session,
    state: &AppState,
    asked: Rollback<'_>,
) -> AppResult<Response> {
    let Rollback {
        user,
        post,
        number,
        form,
    } = asked;
    board::mail::may_post(&state.store, user, state.config.require_verified_email).await?;
    let summary = form.summary.as_deref();
    match board::revisions::rollback(&state.store, user, post, number, summary).await {
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
            let history = board::revisions::history(&state.store, post, 1).await?;
            Ok(revisions_page(ctx, &history, 1, &errors)
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
    Form(form): Form<RollbackForm>,
) -> AppResult<Response> {
    let post = PostRef::Question(id);
    let asked = Rollback {
        user: &user,
        post,
        number,
        form,
    };
    rollback(req, &ctx, session, &state, asked).await
}

#[handler]
async fn answer_rollback(
    req: &Request,
    Path((id, number)): Path<(AnswerId, i64)>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<RollbackForm>,
) -> AppResult<Response> {
    let post = PostRef::Answer(id);
    let asked = Rollback {
        user: &user,
        post,
        number,
        form,
    };
    rollback(req, &ctx, session, &state, asked).await
}

#[handler]
async fn comment_rollback(
    req: &Request,
    Path((id, number)): Path<(CommentId, i64)>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<RollbackForm>,
) -> AppResult<Response> {
    let post = PostRef::Comment(id);
    let asked = Rollback {
        user: &user,
        post,
        number,
        form,
    };
    rollback(req, &ctx, session, &state, asked).await
}
