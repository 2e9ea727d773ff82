//! Who an API request speaks for: nobody (a visitor: public reads), or the account of the personal
//! access token it carries. A token that does not work is refused, never read as a visitor.

use poem::{Request, http::StatusCode};
use poem_openapi::{SecurityScheme, auth::Bearer};

use super::{State, error::ApiError};
use crate::{
    board,
    domain::{
        accounts::CurrentUser,
        tokens::{TokenHolder, TokenScope},
    },
    i18n::Lang,
};

/// A personal access token, made on the account page (`/account#tokens`) or with
/// `miniboard token create`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "mbt_…", checker = "check_token")]
pub struct Token(TokenHolder);

/// A token, or none (public reads take either).
#[derive(SecurityScheme)]
pub enum MaybeToken {
    Token(Token),
    #[oai(fallback)]
    Visitor,
}

async fn check_token(req: &Request, bearer: Bearer) -> poem::Result<TokenHolder> {
    let Some(state) = req.data::<State>() else {
        return Err(poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR));
    };
    match board::tokens::holder(&state.store, &bearer.token).await {
        Ok(Some(holder)) => Ok(holder),
        Ok(None) => Err(poem::Error::from_string(
            "The token does not work: it is unknown, revoked or expired, or its account was deleted.",
            StatusCode::UNAUTHORIZED,
        )),
        Err(err) => {
            tracing::error!(%err, "api: token lookup failed");
            Err(poem::Error::from_status(StatusCode::SERVICE_UNAVAILABLE))
        }
    }
}

impl Token {
    /// The account, for reading what is its own (a read-only token may).
    pub fn account(&self) -> &CurrentUser {
        &self.0.user
    }

    /// What the token may do.
    pub fn scope(&self) -> TokenScope {
        self.0.scope
    }

    /// The account, for a post, an edit or a like: a token with write access, of an account with a
    /// confirmed address when the board asks for one.
    pub async fn poster(&self, state: &State, lang: Lang) -> Result<&CurrentUser, ApiError> {
        let user = self.writer()?;
        board::mail::may_post(&state.store, user, state.config.require_verified_email)
            .await
            .map_err(|err| ApiError::from_board(err, lang))?;
        Ok(user)
    }

    /// The account, for an operation that changes something: a read-only token is refused.
    pub fn writer(&self) -> Result<&CurrentUser, ApiError> {
        match self.0.scope {
            TokenScope::Write => Ok(&self.0.user),
            TokenScope::Read => Err(ApiError::forbidden(
                "read_only_token",
                "This token may only read: make one with write access to change anything.",
            )),
        }
    }
}

impl MaybeToken {
    /// The account a read is for, if any. A request that sent credentials that did not work is refused
    /// (a script with a typo in its token should hear of it, not quietly read as a visitor); one whose
    /// token could not be looked up (the database out of reach) hears that instead.
    pub async fn reader(
        &self,
        req: &Request,
        state: &State,
    ) -> Result<Option<&CurrentUser>, ApiError> {
        let sent = req.header(poem::http::header::AUTHORIZATION);
        match (self, sent) {
            (Self::Token(Token(holder)), _) => Ok(Some(&holder.user)),
            (Self::Visitor, None) => Ok(None),
            (Self::Visitor, Some(sent)) => {
                // The fallback hides why the token was not taken: ask again, to tell a bad token from a
                // failed lookup.
                let token = sent.strip_prefix("Bearer ").unwrap_or_default().trim();
                match board::tokens::holder(&state.store, token).await {
                    Err(err) => Err(ApiError::from_board(err, super::http::lang(req))),
                    Ok(_) => Err(ApiError::unauthorized(
                        "The token does not work: it is unknown, revoked or expired, or its account \
                         was deleted (or the header is not `Authorization: Bearer <token>`).",
                    )),
                }
            }
        }
    }
}
