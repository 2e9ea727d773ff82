//! Liking questions and answers: a toggle. htmx gets the button back with the new count; a browser without
//! JavaScript goes back to the post.

use std::sync::Arc;

use poem::{
    IntoResponse, Request, Response, Route, handler, post,
    web::{Data, Path, Redirect},
};

use super::{
    AppState,
    session::{RequireUser, referer_path, wants_fragment},
};
use crate::{
    board,
    domain::{
        board::AnswerSort,
        ids::{AnswerId, QuestionId},
        policy::PostRef,
    },
    error::AppResult,
    views::{
        PageContext,
        likes::{LikeButton, like_button},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/questions/:id/like", post(like_question))
        .at("/answers/:id/like", post(like_answer))
}

#[handler]
async fn like_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    user: RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let back = urls::question(id, AnswerSort::Likes, 1);
    toggle(
        req,
        &ctx,
        user,
        &state,
        PostRef::Question(id),
        LikeButton {
            action: urls::question_action(id, "like"),
            label: ctx.t().like_question_label,
            count: 0,
            liked: false,
            own_post: false,
        },
        format!("#question-{}", id.0),
        back,
    )
    .await
}

#[handler]
async fn like_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    user: RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    toggle(
        req,
        &ctx,
        user,
        &state,
        PostRef::Answer(id),
        LikeButton {
            action: urls::answer_action(id, "like"),
            label: ctx.t().like_answer_label,
            count: 0,
            liked: false,
            own_post: false,
        },
        format!("#answer-{}", id.0),
        urls::answer(id),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn toggle(
    req: &Request,
    ctx: &PageContext,
    RequireUser(user): RequireUser,
    state: &AppState,
    target: PostRef,
    mut button: LikeButton<'_>,
    anchor: String,
    fallback: String,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, &user, state.config.require_verified_email).await?;
    let board::likes::Liked { liked, count } =
        board::likes::like(&state.store, &user, target, None).await?;
    if wants_fragment(req) {
        button.liked = liked;
        button.count = count;
        return Ok(like_button(ctx, &button).into_response());
    }
    // Back to the page the button was on, at the post.
    let back = match referer_path(req) {
        Some(path) => format!("{}{anchor}", path.split('#').next().unwrap_or(&path)),
        None => fallback,
    };
    Ok(Redirect::see_other(back).into_response())
}
