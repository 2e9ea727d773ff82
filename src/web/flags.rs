//! Flagging posts (`/questions/{id}/flag` and the same for answers and comments: a form page, then back to
//! the post with a message) and the moderators' review queue (`/review`, dismissing a post's flags).

use std::sync::Arc;

use maud::Markup;
use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    post,
    session::Session,
    web::{Data, Form, Path},
};

use super::{
    AppState,
    handler_kit::redirect_after_post,
    session::{RequireUser, flash},
};
use crate::{
    board::{self, BoardError},
    domain::{
        board::{AnswerId, CommentId, QuestionId},
        flags::{FlagForm, Flagged},
        policy::PostRef,
    },
    error::AppResult,
    views::{
        Flash, PageContext,
        flags::{flag_page, post_address, review_page},
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at(
            "/questions/:id/flag",
            get(question_flag_form).post(flag_question),
        )
        .at("/answers/:id/flag", get(answer_flag_form).post(flag_answer))
        .at(
            "/comments/:id/flag",
            get(comment_flag_form).post(flag_comment),
        )
        .at("/questions/:id/flags/dismiss", post(dismiss_question))
        .at("/answers/:id/flags/dismiss", post(dismiss_answer))
        .at("/comments/:id/flags/dismiss", post(dismiss_comment))
        .at("/review", get(review))
}

async fn form(
    state: &AppState,
    ctx: &PageContext,
    post: PostRef,
    form: &FlagForm,
    errors: &[crate::domain::FieldError],
) -> AppResult<Markup> {
    let excerpt = board::flags::excerpt(&state.store, post).await?;
    Ok(flag_page(ctx, post, excerpt.as_deref(), form, errors))
}

#[handler]
async fn question_flag_form(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let post = PostRef::Question(id);
    board::flags::to_flag(&state.store, &user, post).await?;
    form(&state, &ctx, post, &FlagForm::default(), &[]).await
}

#[handler]
async fn answer_flag_form(
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let post = PostRef::Answer(id);
    board::flags::to_flag(&state.store, &user, post).await?;
    form(&state, &ctx, post, &FlagForm::default(), &[]).await
}

#[handler]
async fn comment_flag_form(
    Path(id): Path<CommentId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let post = PostRef::Comment(id);
    board::flags::to_flag(&state.store, &user, post).await?;
    form(&state, &ctx, post, &FlagForm::default(), &[]).await
}

/// Flags the post: back to it with a message; a problem shows the form again.
async fn flag(
    req: &Request,
    ctx: &PageContext,
    session: &Session,
    (user, state): (&crate::domain::accounts::CurrentUser, &AppState),
    post: PostRef,
    asked: FlagForm,
) -> AppResult<Response> {
    board::mail::may_post(&state.store, user, state.config.require_verified_email).await?;
    match board::flags::flag(&state.store, user, post, &asked).await {
        Ok(flagged) => {
            flash(
                session,
                match flagged {
                    Flagged::Raised { .. } => Flash::Flagged,
                    Flagged::Already => Flash::AlreadyFlagged,
                },
            );
            Ok(redirect_after_post(req, &post_address(post).0))
        }
        Err(BoardError::Invalid(errors)) => Ok(form(state, ctx, post, &asked, &errors)
            .await?
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response()),
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn flag_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(asked): Form<FlagForm>,
) -> AppResult<Response> {
    let post = PostRef::Question(id);
    flag(req, &ctx, session, (&user, &state), post, asked).await
}

#[handler]
async fn flag_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(asked): Form<FlagForm>,
) -> AppResult<Response> {
    let post = PostRef::Answer(id);
    flag(req, &ctx, session, (&user, &state), post, asked).await
}

#[handler]
async fn flag_comment(
    req: &Request,
    Path(id): Path<CommentId>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(asked): Form<FlagForm>,
) -> AppResult<Response> {
    let post = PostRef::Comment(id);
    flag(req, &ctx, session, (&user, &state), post, asked).await
}

#[handler]
async fn review(
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let items = board::flags::review(&state.store, &user).await?;
    Ok(review_page(&ctx, &items))
}

async fn dismiss(
    req: &Request,
    session: &Session,
    user: &crate::domain::accounts::CurrentUser,
    state: &AppState,
    post: PostRef,
) -> AppResult<Response> {
    if board::flags::dismiss(&state.store, user, post).await? {
        flash(session, Flash::FlagsDismissed);
    }
    Ok(redirect_after_post(req, "/review"))
}

#[handler]
async fn dismiss_question(
    req: &Request,
    Path(id): Path<QuestionId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    dismiss(req, session, &user, &state, PostRef::Question(id)).await
}

#[handler]
async fn dismiss_answer(
    req: &Request,
    Path(id): Path<AnswerId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    dismiss(req, session, &user, &state, PostRef::Answer(id)).await
}

#[handler]
async fn dismiss_comment(
    req: &Request,
    Path(id): Path<CommentId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    dismiss(req, session, &user, &state, PostRef::Comment(id)).await
}
