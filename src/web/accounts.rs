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
use std::sync::Arc;

use serde::Deserialize;

use super::{
    AppState,
    session::{LANG_COOKIE, RequireUser, flash, log_in, log_out, page_context},
};
use crate::{
    db::users::{self, Taken},
    domain::{
        FieldError, Problem,
        accounts::{CurrentUser, SignupForm, username_key},
        redirect::LocalPath,
    },
    error::{AppError, AppResult, whole_seconds},
    i18n::{Lang, fill},
    passwords,
    views::{
        Flash,
        accounts::{account_page, login_page, signup_page},
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/signup", get(signup_form).post(signup))
        .at("/login", get(login_form).post(login))
        .at("/logout", post(logout))
        .at("/account", get(account))
        .at("/lang", get(switch_language))
}

fn see_other(path: &str) -> Response {
    Redirect::see_other(path).into_response()
}

#[handler]
fn signup_form(req: &Request) -> Response {
    let ctx = page_context(req, true);
    if ctx.user.is_some() {
        return see_other("/");
    }
    signup_page(&ctx, "", "", &[]).into_response()
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
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response()
    };
    let new_account = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(invalid(&errors)),
    };
    let (username, email) = (new_account.username.clone(), new_account.email.clone());
    let taken = state
        .db
        .read(move |conn| users::taken(conn, &username, &email))
        .await?;
    if !taken.is_empty() {
        return Ok(invalid(&taken_errors(&taken)));
    }
    let password = new_account.password.as_str().to_owned();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await?
        .map_err(AppError::internal)?;
    let username = new_account.username.as_str().to_owned();
    // Another sign-up may have taken the name between the check and now: the unique index decides.
    let inserted = state
        .db
        .write(move |tx| users::insert(tx, &new_account, &hash, crate::db::now()))
        .await?;
    match inserted {
        Ok(id) => {
            log_in(session, &CurrentUser { id, username });
            flash(session, Flash::SignedUp);
            Ok(see_other("/"))
        }
        Err(taken) => Ok(invalid(&taken_errors(&[taken]))),
    }
}

fn taken_errors(taken: &[Taken]) -> Vec<FieldError> {
    taken
        .iter()
        .map(|field| match field {
            Taken::Username => FieldError::new("username", Problem::UsernameTaken),
            Taken::Email => FieldError::new("email", Problem::EmailTaken),
        })
        .collect()
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
    let key = username_key(&form.username);
    let address = req
        .extensions()
        .get::<super::middleware::ClientInfo>()
        .and_then(|client| client.ip);
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

    if let Some(wait) = state.throttle.check(&key, address) {
        let seconds = whole_seconds(wait).max(1);
        let mut response = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            &fill(t.login_throttled, &[&seconds.to_string()]),
        );
        if let Ok(value) = seconds.to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    }

    let lookup_key = key.clone();
    let credentials = state
        .db
        .read(move |conn| users::credentials(conn, &lookup_key))
        .await?;
    let password = form.password.clone();
    // Unknown user and wrong password do the same work and give the same answer.
    let user = tokio::task::spawn_blocking(move || match credentials {
        Some((user, stored)) => passwords::verify(&password, &stored).then_some(user),
        None => {
            passwords::verify_against_nothing(&password);
            None
        }
    })
    .await?;

    match user {
        Some(user) => {
            state.throttle.record_success(&key);
            log_in(
                session,
                &CurrentUser {
                    id: user.id,
                    username: user.username,
                },
            );
            flash(session, Flash::LoggedIn);
            Ok(see_other(LocalPath::or_home(next_field.into()).as_str()))
        }
        None => {
            state.throttle.record_failure(&key, address);
            Ok(refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                t.problem(Problem::LoginFailed),
            ))
        }
    }
}

#[handler]
fn logout(session: &Session) -> Response {
    log_out(session);
    flash(session, Flash::LoggedOut);
    see_other("/")
}

#[handler]
async fn account(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let id = user.id;
    match state.db.read(move |conn| users::find(conn, id)).await? {
        Some(found) => Ok(account_page(&page_context(req, true), &found).into_response()),
        // The account is gone: the session must not outlive it.
        None => {
            log_out(session);
            Err(AppError::LoginRequired {
                next: "/account".into(),
            })
        }
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Sets the `lang` cookie for a year and goes back to the page the switch was on.
#[handler]
fn switch_language(
    state: Data<&Arc<AppState>>,
    Query(form): Query<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::from_code(&form.lang).ok_or(AppError::BadRequest)?;
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
