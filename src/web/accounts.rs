//! Sign-up, log-in, log-out, the account page and the language switch.

use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::{StatusCode, header},
    post,
    session::Session,
    web::{
        Data, Form, Query, Redirect,
        cookie::{Cookie, SameSite},
    },
};
use std::{sync::Arc, time::Duration};

use serde::Deserialize;

use super::{
    AppState,
    middleware::client_key,
    session::{LANG_COOKIE, flash, flash_visitor, log_in, log_out, page_context},
};
use crate::{
    board::{self, BoardError, accounts::SignedUp},
    domain::{FieldError, Problem, accounts::SignupForm, redirect::LocalPath},
    error::{AppError, AppResult, whole_seconds},
    i18n::{Lang, fill},
    views::{
        Flash,
        accounts::{login_page, signup_page},
        email::check_inbox_page,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/signup", get(signup_form).post(signup))
        .at("/login", get(login_form).post(login))
        .at("/logout", post(logout))
        .at("/lang", post(switch_language))
}

pub fn see_other(path: &str) -> Response {
    Redirect::see_other(path).into_response()
}

#[handler]
fn signup_form(req: &Request) -> Response {
    let ctx = page_context(req, true);
    if ctx.user.is_some() {
        return see_other("/");
    }
    signup_page(&ctx, "", "", &[], None).into_response()
}

#[handler]
async fn signup(
    req: &Request,
    session: &Session,
    state: Data<&Arc<AppState>>,
    Form(form): Form<SignupForm>,
) -> AppResult<Response> {
    let invalid = |errors: &[FieldError]| {
        signup_page(
            &page_context(req, true),
            &form.username,
            &form.email,
            errors,
            None,
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response()
    };
    let new_account = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(invalid(&errors)),
    };
    let t = crate::web::session::request_lang(req).texts();
    let refuse = |status: StatusCode, message: &str, wait: Duration| {
        let page = signup_page(
            &page_context(req, true),
            &form.username,
            &form.email,
            &[],
            Some(message),
        );
        with_retry_after(page.with_status(status).into_response(), wait)
    };
    let per_hour = state
        .config
        .rate_limits
        .then_some(state.config.signups_per_hour);
    let email = new_account.email.as_str().to_owned();
    let lang = crate::web::session::request_lang(req);
    let outcome = board::accounts::sign_up(
        &state.store,
        &state.hashing,
        &state.links,
        new_account,
        client_key(req),
        per_hour,
        state.mailer.sends().then_some(lang),
    )
    .await;
    match outcome {
        Ok(SignedUp::Created(user)) => {
            board::mail::confirm_new_account(&state.store, &state.links, &user, lang).await?;
            log_in(req, session, &user);
            flash(session, Flash::SignedUpConfirm);
            Ok(see_other("/"))
        }
        Ok(SignedUp::CheckInbox) => Ok(check_inbox_page(
            &page_context(req, true),
            &fill(t.signup_sent, &[&email]),
        )
        .into_response()),
        Err(BoardError::Invalid(errors)) => Ok(invalid(&errors)),
        Err(BoardError::Throttled(wait)) => {
            let minutes = whole_seconds(wait).div_ceil(60).max(1);
            Ok(refuse(
                StatusCode::TOO_MANY_REQUESTS,
                &fill(t.signups_throttled, &[&minutes.to_string()]),
                wait,
            ))
        }
        Err(BoardError::Busy) => Ok(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            t.server_busy,
            BUSY_RETRY,
        )),
        Err(err) => Err(err.into()),
    }
}

/// How long a client told "busy" should wait before trying again.
pub const BUSY_RETRY: Duration = Duration::from_secs(1);

/// Adds `Retry-After` in whole seconds.
pub fn with_retry_after(mut response: Response, wait: Duration) -> Response {
    if let Ok(value) = whole_seconds(wait).max(1).to_string().parse() {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

#[handler]
fn login_form(req: &Request, Query(params): Query<NextParam>) -> Response {
    let ctx = page_context(req, true);
    let next = params
        .next
        .as_deref()
        .and_then(LocalPath::parse)
        .map(|path| path.as_str().to_owned())
        .unwrap_or_default();
    if ctx.user.is_some() {
        return see_other(LocalPath::or_home(Some(&next)).as_str());
    }
    login_page(&ctx, "", &next, None).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

#[handler]
async fn login(
    req: &Request,
    session: &Session,
    state: Data<&Arc<AppState>>,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = form.next.as_deref().and_then(LocalPath::parse);
    let next_field = next.as_ref().map(LocalPath::as_str).unwrap_or_default();
    let refuse = |status: StatusCode, message: &str| {
        login_page(
            &page_context(req, true),
            &form.username,
            next_field,
            Some(message),
        )
        .with_status(status)
        .into_response()
    };
    let t = crate::web::session::request_lang(req).texts();

    let outcome = board::accounts::log_in(
        &state.store,
        &state.hashing,
        &form.username,
        &form.password,
        client_key(req),
    )
    .await;
    match outcome {
        Ok(user) => {
            log_in(req, session, &user);
            flash(session, Flash::LoggedIn);
            Ok(see_other(LocalPath::or_home(next_field.into()).as_str()))
        }
        Err(BoardError::LoginFailed) => Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            t.problem(Problem::LoginFailed),
        )),
        Err(BoardError::Throttled(wait)) => {
            let seconds = whole_seconds(wait).max(1);
            let response = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                &fill(t.login_throttled, &[&seconds.to_string()]),
            );
            Ok(with_retry_after(response, wait))
        }
        Err(BoardError::Busy) => {
            let response = refuse(StatusCode::SERVICE_UNAVAILABLE, t.server_busy);
            Ok(with_retry_after(response, BUSY_RETRY))
        }
        Err(err) => Err(err.into()),
    }
}

/// Logs out; the message is shown from a short cookie, since a visitor has no stored session.
#[handler]
fn logout(req: &Request, session: &Session) -> Response {
    log_out(req, session);
    flash_visitor(req, Flash::LoggedOut);
    see_other("/")
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Sets the `lang` cookie for a year and goes back to the page the switch was on. A POST from a page of this
/// site (the CSRF layer checks the origin; it needs no token, so a visitor's cached page can carry the form):
/// an image in a post cannot switch its readers' language.
#[handler]
async fn switch_language(
    session: &Session,
    state: Data<&Arc<AppState>>,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::from_code(&form.lang).ok_or(AppError::BadRequest)?;
    // A logged-in user's mail follows the language they chose.
    if let Some(user) = crate::web::session::current_user(session) {
        board::mail::set_language(&state.store, &user, lang).await?;
    }
    let mut cookie = Cookie::new_with_str(LANG_COOKIE, lang.code());
    cookie.set_path("/");
    cookie.set_max_age(std::time::Duration::from_secs(365 * 24 * 60 * 60));
    cookie.set_same_site(SameSite::Lax);
    cookie.set_http_only(true);
    cookie.set_secure(state.config.secure_cookies());
    let mut response = see_other(LocalPath::or_home(form.next.as_deref()).as_str());
    if let Ok(value) = cookie.to_string().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
