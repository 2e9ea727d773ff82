//! Moderators' and admins' pages and actions: closing and reopening questions, suspending accounts and
//! lifting suspensions, giving roles (`/admin/users`) and the log (`/admin/log`). Plain forms and
//! redirects with a message; whoever may not gets a 403 page saying why, before their input is read.

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
    session::{RequireUser, flash, referer_path},
};
use crate::{
    board::{self, BoardError},
    domain::{
        board::{AnswerSort, QuestionId, parse_page},
        moderation::{CloseForm, SuspendForm},
    },
    error::{AppError, AppResult},
    views::{
        Flash, PageContext,
        moderation::{accounts_page, close_page, log_page, suspend_page},
        urls,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/questions/:id/close", get(close_form).post(close))
        .at("/questions/:id/reopen", post(reopen))
        .at("/users/:name/suspend", get(suspend_form).post(suspend))
        .at("/users/:name/unsuspend", post(unsuspend))
        .at("/admin/users", get(accounts))
        .at("/admin/users/:name/role", post(set_role))
        .at("/admin/log", get(log))
}

#[handler]
async fn close_form(
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    board::moderation::may_close(&state.store, &user).await?;
    let question = board::questions::show(&state.store, id, None).await?;
    if question.closure.is_some() {
        // Closed already: its page says why and offers to reopen it.
        return Ok(
            poem::web::Redirect::see_other(urls::question(id, AnswerSort::Likes, 1))
                .into_response(),
        );
    }
    Ok(close_page(&ctx, &question, &CloseForm::default(), &[]).into_response())
}

#[handler]
async fn close(
    req: &Request,
    Path(id): Path<QuestionId>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<CloseForm>,
) -> AppResult<Response> {
    match board::moderation::close(&state.store, &user, id, &form).await {
        Ok(()) => {
            flash(session, Flash::QuestionClosed);
            Ok(redirect_after_post(
                req,
                &urls::question(id, AnswerSort::Likes, 1),
            ))
        }
        Err(BoardError::Invalid(errors)) => {
            let question = board::questions::show(&state.store, id, None).await?;
            Ok(close_page(&ctx, &question, &form, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn reopen(
    req: &Request,
    Path(id): Path<QuestionId>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    if board::moderation::reopen(&state.store, &user, id).await? {
        flash(session, Flash::QuestionReopened);
    }
    Ok(redirect_after_post(
        req,
        &urls::question(id, AnswerSort::Likes, 1),
    ))
}

#[handler]
async fn suspend_form(
    Path(name): Path<String>,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let profile = board::moderation::to_suspend(&state.store, &user, &name).await?;
    Ok(suspend_page(&ctx, &profile, &SuspendForm::default(), &[]))
}

#[handler]
async fn suspend(
    req: &Request,
    Path(name): Path<String>,
    ctx: PageContext,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<SuspendForm>,
) -> AppResult<Response> {
    match board::moderation::suspend(&state.store, &user, &name, &form).await {
        Ok(profile) => {
            flash(session, Flash::UserSuspended);
            Ok(redirect_after_post(
                req,
                &urls::user(&profile.username, Default::default(), 1),
            ))
        }
        Err(BoardError::Invalid(errors)) => {
            let profile = board::moderation::to_suspend(&state.store, &user, &name).await?;
            Ok(suspend_page(&ctx, &profile, &form, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn unsuspend(
    req: &Request,
    Path(name): Path<String>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let (profile, lifted) = board::moderation::unsuspend(&state.store, &user, &name).await?;
    if lifted {
        flash(session, Flash::SuspensionLifted);
    }
    Ok(redirect_after_post(
        req,
        &urls::user(&profile.username, Default::default(), 1),
    ))
}

#[handler]
async fn accounts(
    req: &Request,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let params = QueryParams::of(req);
    let prefix = params.get("q").unwrap_or_default().trim();
    let page = parse_page(params.get("page"));
    let list = board::moderation::accounts(&state.store, &user, prefix, page).await?;
    Ok(accounts_page(&ctx, &list, prefix))
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

#[handler]
async fn set_role(
    req: &Request,
    Path(name): Path<String>,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    match board::moderation::set_role(&state.store, &user, &name, &form.role).await {
        Ok(_) => flash(session, Flash::RoleChanged),
        // The form's choices are the roles there are: anything else is a hand-made request.
        Err(BoardError::Invalid(_)) => return Err(AppError::BadRequest),
        Err(err) => return Err(err.into()),
    }
    // Back to the list as it was (its search and page), or to its start.
    let back = referer_path(req)
        .filter(|path| path.starts_with("/admin/users"))
        .unwrap_or_else(|| "/admin/users".to_owned());
    Ok(redirect_after_post(req, &back))
}

#[handler]
async fn log(
    req: &Request,
    ctx: PageContext,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Markup> {
    let before = QueryParams::of(req)
        .get("before")
        .and_then(|raw| raw.trim().parse::<i64>().ok());
    let page = board::moderation::log(&state.store, &user, before).await?;
    Ok(log_page(&ctx, &page, before.is_some()))
}
