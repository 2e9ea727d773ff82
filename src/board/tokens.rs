//! Personal access tokens: made on the account page or by the operator, listed, revoked, and checked for
//! each API request that carries one.

use super::{BoardError, accounts::check_current_password};
use crate::{
    domain::limits::ClientKey,
    domain::{
        self, FieldError, Problem,
        accounts::CurrentUser,
        tokens::{
            LAST_USED_EVERY_SECONDS, NewToken, TokenCreated, TokenForm, TokenHolder, TokenSecret,
            TokenSpec, TokenSummary,
        },
    },
    store::Store,
    web::limits::HashingGate,
};

/// Makes a token for the user as the form asks, once the current password is right; the token, to be
/// shown once, and its id.
pub async fn create(
    store: &Store,
    hashing: &HashingGate,
    user: &CurrentUser,
    form: &TokenForm,
    client: ClientKey,
) -> Result<(TokenSecret, i64), BoardError> {
    let now = domain::now();
    let spec = form.parse(now).map_err(BoardError::Invalid)?;
    let (checked, ()) =
        check_current_password(store, hashing, user, &form.current_password, client, || {
            Ok(())
        })
        .await?;
    create_checked(store, user, spec, now, Some(checked)).await
}

/// Makes a token as specified (the operator's command checks its own input, and no password).
async fn create_checked(
    store: &Store,
    user: &CurrentUser,
    spec: TokenSpec,
    now: i64,
    checked_password: Option<String>,
) -> Result<(TokenSecret, i64), BoardError> {
    let secret = TokenSecret::generate();
    let created = store
        .create_token(NewToken {
            user: user.id,
            spec,
            hash: secret.hash(),
            now,
            checked_password,
        })
        .await?;
    match created {
        TokenCreated::Created(id) => Ok((secret, id)),
        TokenCreated::TooMany => Err(BoardError::Invalid(vec![FieldError::new(
            "name",
            Problem::TooManyTokens,
        )])),
        // Deleted, or its password changed since it was checked.
        TokenCreated::NoAccount => Err(BoardError::NotFound),
    }
}

/// The user's tokens, the newest first.
pub async fn list(store: &Store, user: &CurrentUser) -> Result<Vec<TokenSummary>, BoardError> {
    Ok(store.user_tokens(user.id).await?)
}

/// Revokes one of the user's tokens (someone else's is not found).
pub async fn revoke(store: &Store, user: &CurrentUser, id: i64) -> Result<(), BoardError> {
    if store.revoke_token(user.id, id).await? {
        Ok(())
    } else {
        Err(BoardError::NotFound)
    }
}

/// The account a token as sent speaks for, if it is a token that works; its last use is noted (at most
/// once a minute).
pub async fn holder(store: &Store, sent: &str) -> Result<Option<TokenHolder>, BoardError> {
    let Some(secret) = TokenSecret::parse(sent) else {
        return Ok(None);
    };
    let now = domain::now();
    let Some(holder) = store.token_holder(secret.hash(), now).await? else {
        return Ok(None);
    };
    if holder
        .last_used_at
        .is_none_or(|used| now - used >= LAST_USED_EVERY_SECONDS)
        && let Err(err) = store.token_used(holder.token_id, now).await
    {
        // When it was last used is a hint for its owner: a busy writer does not fail the request.
        tracing::warn!(%err, "api token: last use not noted");
    }
    Ok(Some(holder))
}

/// `miniboard token create`: a token for the account named `username`, made as the form asks. A problem
/// comes back in words for the operator.
pub async fn create_for(
    database: &crate::config::Database,
    username: &str,
    form: &TokenForm,
) -> Result<TokenSecret, crate::store::StoreError> {
    use crate::store::StoreError::Refused;
    let store = Store::open(database).await?;
    let found = store.users_named(vec![username.to_owned()]).await?;
    let Some(user) = found.into_iter().next() else {
        return Err(Refused(format!("no account is named {username:?}")));
    };
    let user = CurrentUser {
        id: user.id,
        username: user.username,
    };
    let texts = crate::i18n::Lang::En.texts();
    let now = domain::now();
    let spec = form.parse(now).map_err(|errors| {
        let said: Vec<String> = errors
            .iter()
            .map(|error| format!("--{}: {}", error.field, texts.field_problem(error)))
            .collect();
        Refused(said.join(" "))
    })?;
    match create_checked(&store, &user, spec, now, None).await {
        Ok((token, _)) => Ok(token),
        Err(BoardError::Storage(err)) => Err(err),
        Err(BoardError::Invalid(_)) => Err(Refused(texts.problem_too_many_tokens.to_owned())),
        Err(err) => Err(Refused(err.to_string())),
    }
}
