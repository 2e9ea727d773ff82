//! The account page (`/account`) and what it changes: the password (every other session ends) and the
//! sessions themselves, each POST with the form's token.

use std::sync::Arc;

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
    session::{RequireUser, cookie_config, flash, flash_visitor, log_out, page_context},
};
use crate::{
    board::{self, BoardError},
    domain::{
        FieldError,
        accounts::{AccountDeleteForm, CurrentUser, PasswordChangeForm},
        tokens::TokenForm,
    },
    error::{AppError, AppResult},
    store::session_key,
    views::{
        Flash,
        accounts::{AccountView, account_page},
        tokens::TokensView,
    },
};

pub fn routes(route: Route) -> Route {
    route
        .at("/account", get(account))
        .at("/account/password", post(change_password))
        .at("/account/delete", post(delete_account))
        .at("/account/sessions/end-others", post(end_other_sessions))
        .at("/account/sessions/:key/end", post(end_session))
        .at("/account/tokens", post(create_token))
        .at("/account/tokens/:id/revoke", post(revoke_token))
}

/// The key the session of this request is stored under (empty without one).
fn current_session(req: &Request, state: &AppState) -> String {
    cookie_config(state.config.secure_cookies())
        .get_cookie_value(req.cookie())
        .map(|id| session_key(&id))
        .unwrap_or_default()
}

#[handler]
async fn account(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    render(
        req,
        session,
        &state,
        &user,
        AccountPage::new(StatusCode::OK),
    )
    .await
}

/// How the account page is shown: after a failed change, with that form's problems (and what was typed).
pub struct AccountPage<'a> {
    pub password_errors: &'a [FieldError],
    pub email_typed: &'a str,
    pub email_errors: &'a [FieldError],
    pub delete_errors: &'a [FieldError],
    pub token_typed: &'a TokenForm,
    pub token_errors: &'a [FieldError],
    /// A token just made, shown this once.
    pub new_token: Option<&'a str>,
    /// A message at the top (a limit's wait).
    pub notice: Option<&'a str>,
    pub status: StatusCode,
}

/// The token form as first shown: read access, no expiry.
static BLANK_TOKEN_FORM: std::sync::LazyLock<TokenForm> =
    std::sync::LazyLock::new(TokenForm::default);

impl AccountPage<'_> {
    pub fn new(status: StatusCode) -> Self {
        Self {
            password_errors: &[],
            email_typed: "",
            email_errors: &[],
            delete_errors: &[],
            token_typed: &BLANK_TOKEN_FORM,
            token_errors: &[],
            new_token: None,
            notice: None,
            status,
        }
    }
}

/// The account page.
pub async fn render(
    req: &Request,
    session: &Session,
    state: &AppState,
    user: &CurrentUser,
    shown: AccountPage<'_>,
) -> AppResult<Response> {
    let Some(found) = state.store.user(user.id).await? else {
        // The account is gone: the session must not outlive it.
        log_out(req, session);
        return Err(AppError::LoginRequired {
            next: "/account".into(),
        });
    };
    let following = board::notifications::following(&state.store, user).await?;
    let sessions =
        board::accounts::sessions(&state.store, user, state.config.session_lifetime).await?;
    let current = current_session(req, state);
    let mail = board::mail::mail_settings(&state.store, user).await?;
    let tokens = board::tokens::list(&state.store, user).await?;
    let view = AccountView {
        user: &found,
        following: &following,
        sessions: &sessions,
        current_session: &current,
        password_errors: shown.password_errors,
        mail: &mail,
        email_typed: shown.email_typed,
        email_errors: shown.email_errors,
        notice: shown.notice,
        delete_errors: shown.delete_errors,
        tokens: TokensView {
            tokens: &tokens,
            new_token: shown.new_token,
            typed: shown.token_typed,
            errors: shown.token_errors,
        },
    };
    let mut page = account_page(&page_context(req, true), &view)
        .with_status(shown.status)
        .into_response();
    if req.method() == poem::http::Method::POST {
        // A form answered in place: htmx's boosted form would put the form's address in the history,
        // which a reload then GETs; the page is the account page.
        page.headers_mut().insert(
            "HX-Replace-Url",
            poem::http::HeaderValue::from_static("/account"),
        );
    }
    if shown.new_token.is_some() {
        // The one page that holds a token: no cache, no back-button copy, keeps it.
        page.headers_mut().insert(
            poem::http::header::CACHE_CONTROL,
            poem::http::HeaderValue::from_static("no-store"),
        );
    }
    Ok(page)
}

/// One of the account page's forms.
#[derive(Clone, Copy)]
pub enum AccountForm {
    Password,
    Email,
    Delete,
    Token,
}

/// The account page after one of its forms failed: 422 with that form's problems beside it (and what was
/// typed, `typed`, kept), 503 with `Retry-After` when the board is busy hashing; any other failure is the
/// error page's.
pub async fn form_failed(
    req: &Request,
    session: &Session,
    state: &AppState,
    user: &CurrentUser,
    form: AccountForm,
    typed: &str,
    err: BoardError,
) -> AppResult<Response> {
    match err {
        BoardError::Invalid(errors) => {
            let mut shown = AccountPage::new(StatusCode::UNPROCESSABLE_ENTITY);
            match form {
                AccountForm::Password => shown.password_errors = &errors,
                AccountForm::Email => {
                    shown.email_errors = &errors;
                    shown.email_typed = typed;
                }
                AccountForm::Delete => shown.delete_errors = &errors,
                AccountForm::Token => shown.token_errors = &errors,
            }
            render(req, session, state, user, shown).await
        }
        BoardError::Busy => {
            let shown = AccountPage::new(StatusCode::SERVICE_UNAVAILABLE);
            let page = render(req, session, state, user, shown).await?;
            Ok(with_retry_after(page, BUSY_RETRY))
        }
        err => Err(err.into()),
    }
}

#[handler]
async fn change_password(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<PasswordChangeForm>,
) -> AppResult<Response> {
    let keep = current_session(req, &state);
    let changed = board::accounts::change_password(
        &state.store,
        &state.hashing,
        &user,
        &form,
        client_key(req),
        keep,
    )
    .await;
    match changed {
        Ok(()) => {
            // A new session id for the new password: a copy of the old cookie is worth nothing now.
            session.renew();
            flash(session, Flash::PasswordChanged);
            Ok(see_other("/account"))
        }
        Err(err) => form_failed(req, session, &state, &user, AccountForm::Password, "", err).await,
    }
}

#[handler]
async fn end_session(
    session: &Session,
    Path(key): Path<String>,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    board::accounts::end_session(&state.store, &user, &key).await?;
    flash(session, Flash::SessionEnded);
    Ok(see_other("/account"))
}

#[handler]
async fn end_other_sessions(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let keep = current_session(req, &state);
    board::accounts::end_other_sessions(&state.store, &user, keep).await?;
    flash(session, Flash::OtherSessionsEnded);
    Ok(see_other("/account"))
}

#[handler]
async fn delete_account(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<AccountDeleteForm>,
) -> AppResult<Response> {
    let deleted = board::accounts::delete_account(
        &state.store,
        &state.hashing,
        &user,
        &form,
        client_key(req),
    )
    .await;
    match deleted {
        Ok(()) => {
            log_out(req, session);
            flash_visitor(req, Flash::AccountDeleted);
            Ok(see_other("/"))
        }
        Err(err) => form_failed(req, session, &state, &user, AccountForm::Delete, "", err).await,
    }
}

/// Makes a token and shows it, this once, on the account page (not through a redirect: the token would
/// wait in the session store until shown).
#[handler]
async fn create_token(
    req: &Request,
    session: &Session,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let created =
        board::tokens::create(&state.store, &state.hashing, &user, &form, client_key(req)).await;
    match created {
        Ok((token, _)) => {
            let mut shown = AccountPage::new(StatusCode::CREATED);
            shown.new_token = Some(token.as_str());
            render(req, session, &state, &user, shown).await
        }
        Err(BoardError::Invalid(errors)) => {
            let mut shown = AccountPage::new(StatusCode::UNPROCESSABLE_ENTITY);
            shown.token_errors = &errors;
            shown.token_typed = &form;
            render(req, session, &state, &user, shown).await
        }
        Err(err) => form_failed(req, session, &state, &user, AccountForm::Token, "", err).await,
    }
}

#[handler]
async fn revoke_token(
    session: &Session,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    state: Data<&Arc<AppState>>,
) -> AppResult<Response> {
    let id = crate::domain::board::parse_id(&id).ok_or(AppError::NotFound)?;
    board::tokens::revoke(&state.store, &user, id).await?;
    flash(session, Flash::TokenRevoked);
    Ok(see_other("/account#tokens"))
}
