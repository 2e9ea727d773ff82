//! The pages mail leads to and the forms that send it: "forgot password" and the reset link's page, the
//! confirmation link, the account page's address and mail choices, and unsubscribe links (whose POST is
//! the one-click unsubscribe of RFC 8058: the signed link is its authority, so it carries no form token).

use std::{sync::Arc, time::Duration};

use poem::{
    IntoResponse, Request, Response, Route, get, handler,
    http::StatusCode,
    post,
    session::Session,
    web::{Data, Form, Path},
};

use super::{
    AppState,
    accounts::{BUSY_RETRY, see_other, with_retry_after},
    middleware::client_key,
    session::{RequireUser, flash, log_in, page_context, request_lang},
    settings,
};
use crate::{
    board::{self, BoardError},
    domain::{
        accounts::{EmailChangeForm, ForgotPasswordForm, PasswordResetForm},
        mail::{MailChoicesForm, Verified},
    },
    error::{AppResult, whole_seconds},
    i18n::{Texts, fill},
    signing::Unsubscribe,
    views::{
        Flash,
        email::{
            check_inbox_page, confirm_page, forgot_page, link_invalid_page, reset_page,
            unsubscribe_page, verified_page,
        },
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/password/forgot", get(forgot_form).post(forgot))
        .at("/password/reset/:token", get(reset_form).post(reset))
        .at("/email/verify/:token", get(verify_form).post(verify))
        .at("/account/email", post(change_email))
        .at("/account/email/resend", post(resend_confirmation))
        .at("/account/mail", post(set_mail_choices))
        .at(
            "/unsubscribe/:token",
            get(unsubscribe_form).post(unsubscribe),
        )
}

/// Paths that end in a link's token, which the log leaves out.
pub const TOKEN_PATHS: [&str; 3] = ["/password/reset/", "/email/verify/", "/unsubscribe/"];

/// Paths whose POST needs no form token: an unsubscribe link's one click comes from a mail program.
pub fn tokenless_post(path: &str) -> bool {
    path.starts_with("/unsubscribe/")
}

/// The message for a mail limit's wait.
fn throttled_message(t: &Texts, wait: Duration) -> String {
    let minutes = whole_seconds(wait).div_ceil(60).max(1);
    fill(t.mail_requests_throttled, &[&minutes.to_string()])
}

#[handler]
fn forgot_form(req: &Request) -> Response {
    forgot_page(&page_context(req, true), "", &[], None).into_response()
}

#[handler]
async fn forgot(
    req: &Request,
    state: Data<&Arc<AppState>>,
    Form(form): Form<ForgotPasswordForm>,
) -> AppResult<Response> {
    let lang = request_lang(req);
    let t = lang.texts();
    let ctx = page_context(req, true);
    match board::mail::forgot_password(
        &state.store,
        &state.links,
        &form.email,
        client_key(req),
        lang,
    )
    .await
    {
        Ok(email) => {
            Ok(check_inbox_page(&ctx, &fill(t.forgot_sent, &[email.as_str()])).into_response())
        }
        Err(BoardError::Invalid(errors)) => Ok(forgot_page(&ctx, &form.email, &errors, None)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response()),
        Err(BoardError::Throttled(wait)) => {
            let page = forgot_page(&ctx, &form.email, &[], Some(&throttled_message(t, wait)));
            Ok(with_retry_after(
                page.with_status(StatusCode::TOO_MANY_REQUESTS)
                    .into_response(),
                wait,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

/// A link that does not work: its page, as a 404 (there is nothing at that address).
fn dead_link(req: &Request) -> Response {
    link_invalid_page(&page_context(req, true))
        .with_status(StatusCode::NOT_FOUND)
        .into_response()
}

#[handler]
async fn reset_form(
    req: &Request,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    if !board::mail::reset_link_works(&state.store, &token).await? {
        return Ok(dead_link(req));
    }
    Ok(reset_page(&page_context(req, true), &token, &[]).into_response())
}

#[handler]
async fn reset(
    req: &Request,
    session: &Session,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
    Form(form): Form<PasswordResetForm>,
) -> AppResult<Response> {
    match board::mail::reset_password(&state.store, &state.hashing, &token, &form).await {
        Ok(user) => {
            // Every session of the account ended; this one begins anew, logged in.
            log_in(req, session, &user);
            flash(session, Flash::PasswordReset);
            Ok(see_other("/"))
        }
        Err(BoardError::NotFound) => Ok(dead_link(req)),
        Err(BoardError::Invalid(errors)) => {
            Ok(reset_page(&page_context(req, true), &token, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response())
        }
        Err(BoardError::Busy) => {
            let page = reset_page(&page_context(req, true), &token, &[])
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .into_response();
            Ok(with_retry_after(page, BUSY_RETRY))
        }
        Err(err) => Err(err.into()),
    }
}

/// A confirmation link opened: a button that confirms, since opening a link (a person, or a mail
/// scanner fetching it) must change nothing.
#[handler]
async fn verify_form(
    req: &Request,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    if !board::mail::confirmation_link_works(&state.store, &token).await? {
        return Ok(dead_link(req));
    }
    Ok(confirm_page(&page_context(req, true), &token).into_response())
}

#[handler]
async fn verify(
    req: &Request,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let outcome = board::mail::verify_address(&state.store, &token).await?;
    let status = match outcome {
        Verified::Done { .. } | Verified::Created { .. } => StatusCode::OK,
        Verified::Taken | Verified::NameTaken => StatusCode::CONFLICT,
        Verified::Invalid => StatusCode::NOT_FOUND,
    };
    Ok(verified_page(&page_context(req, true), &outcome)
        .with_status(status)
        .into_response())
}

#[handler]
async fn change_email(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<EmailChangeForm>,
) -> AppResult<Response> {
    let changed = board::mail::change_address(
        &state.store,
        &state.links,
        &state.hashing,
        &user,
        &form,
        client_key(req),
    )
    .await;
    match changed {
        Ok(_) => {
            flash(session, Flash::EmailLinkSent);
            Ok(see_other("/account#email"))
        }
        Err(BoardError::Throttled(wait)) => {
            account_throttled(req, session, &state, &user, wait).await
        }
        Err(err) => {
            settings::form_failed(
                req,
                session,
                &state,
                &user,
                settings::AccountForm::Email,
                &form.email,
                err,
            )
            .await
        }
    }
}

/// The account page with a mail limit's wait at the top, as a 429.
async fn account_throttled(
    req: &Request,
    session: &Session,
    state: &AppState,
    user: &crate::domain::accounts::CurrentUser,
    wait: Duration,
) -> AppResult<Response> {
    let message = throttled_message(request_lang(req).texts(), wait);
    let page = settings::render(
        req,
        session,
        state,
        user,
        settings::AccountPage {
            notice: Some(&message),
            ..settings::AccountPage::new(StatusCode::TOO_MANY_REQUESTS)
        },
    )
    .await?;
    Ok(with_retry_after(page, wait))
}

#[handler]
async fn resend_confirmation(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    match board::mail::resend_confirmation(&state.store, &state.links, &user, client_key(req)).await
    {
        Ok(()) => {
            flash(session, Flash::VerificationSent);
            Ok(see_other("/account#email"))
        }
        Err(BoardError::Throttled(wait)) => {
            account_throttled(req, session, &state, &user, wait).await
        }
        Err(err) => Err(err.into()),
    }
}

#[handler]
async fn set_mail_choices(
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<MailChoicesForm>,
) -> AppResult<Response> {
    board::mail::set_mail_choices(&state.store, &user, &form).await?;
    flash(session, Flash::MailChoicesSaved);
    Ok(see_other("/account#mail"))
}

#[handler]
fn unsubscribe_form(
    req: &Request,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let Some(what) = state.mailer.unsubscribe_link(&token) else {
        return Ok(dead_link(req));
    };
    Ok(unsubscribe_page(&page_context(req, true), &token, what.stream, false).into_response())
}

#[handler]
async fn unsubscribe(
    req: &Request,
    Path(token): Path<String>,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let Some(what): Option<Unsubscribe> = state.mailer.unsubscribe_link(&token) else {
        return Ok(dead_link(req));
    };
    match board::mail::unsubscribe(&state.store, what).await {
        Ok(()) => Ok(
            unsubscribe_page(&page_context(req, true), &token, what.stream, true).into_response(),
        ),
        // The account is gone: so are its mails.
        Err(BoardError::NotFound) => Ok(dead_link(req)),
        Err(err) => Err(err.into()),
    }
}
