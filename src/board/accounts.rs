//! Signing up and logging in, each counted against its limit as it starts (the storage engine keeps the
//! counts, so every app server shares them); what is decided here holds for any front door.

use super::BoardError;
use crate::{
    domain::{
        self, FieldError, Problem,
        accounts::{
            CurrentUser, NewAccount, PasswordChangeForm, SessionSummary, Taken, Username,
            username_key,
        },
        limits::ClientKey,
    },
    passwords,
    store::Store,
    web::limits::{Busy, HashingGate},
};

/// The form errors for names and addresses already in use.
fn taken_errors(taken: &[Taken]) -> Vec<FieldError> {
    taken
        .iter()
        .map(|field| match field {
            Taken::Username => FieldError::new("username", Problem::UsernameTaken),
            Taken::LookAlike => FieldError::new("username", Problem::UsernameLookAlike),
            Taken::Email => FieldError::new("email", Problem::EmailTaken),
        })
        .collect()
}

/// Creates the account (its password hashed when a turn is free); returns the new user, logged in by the
/// caller. A name or address in use, or one that looks like a name in use, is an invalid field. With a
/// limit, `client` may make `per_hour` accounts an hour; a sign-up that makes none is not counted.
pub async fn sign_up(
    store: &Store,
    hashing: &HashingGate,
    account: NewAccount,
    client: ClientKey,
    per_hour: Option<usize>,
) -> Result<CurrentUser, BoardError> {
    if let Some(per_hour) = per_hour {
        store
            .begin_signup(client, per_hour)
            .await?
            .map_err(BoardError::Throttled)?;
    }
    let outcome = create_account(store, hashing, account).await;
    if outcome.is_err() && per_hour.is_some() {
        store.signup_refused(client).await?;
    }
    outcome
}

async fn create_account(
    store: &Store,
    hashing: &HashingGate,
    account: NewAccount,
) -> Result<CurrentUser, BoardError> {
    let taken = store
        .taken(account.username.clone(), account.email.clone())
        .await?;
    if !taken.is_empty() {
        return Err(BoardError::Invalid(taken_errors(&taken)));
    }
    let password = account.password.as_str().to_owned();
    let hash = hashing
        .run(move || passwords::hash(&password))
        .await
        .map_err(|Busy| BoardError::Busy)?
        .map_err(BoardError::Internal)?;
    let username = account.username.as_str().to_owned();
    // Another sign-up may have taken the name between the check and now: the unique index decides.
    let inserted = store.insert_user(account, hash, domain::now()).await?;
    match inserted {
        Ok(id) => Ok(CurrentUser { id, username }),
        Err(taken) => Err(BoardError::Invalid(taken_errors(&[taken]))),
    }
}

/// Checks a name and password from `client`, counted by the log-in throttle first. An unknown name and a
/// wrong password do the same work (one argon2 verification) and give the same answer, `LoginFailed`.
pub async fn log_in(
    store: &Store,
    hashing: &HashingGate,
    typed_name: &str,
    password: &str,
    client: ClientKey,
) -> Result<CurrentUser, BoardError> {
    // No account has a longer name: refused before it is counted, kept or hashed against anything.
    if !Username::may_exist(typed_name) {
        return Err(BoardError::LoginFailed);
    }
    let name_key = username_key(typed_name);
    store
        .begin_login(name_key.clone(), client)
        .await?
        .map_err(BoardError::Throttled)?;
    let outcome = check_password(store, hashing, typed_name, password).await;
    match &outcome {
        Ok(_) => store.login_succeeded(name_key, client).await?,
        Err(BoardError::Busy) => store.login_abandoned(name_key, client).await?,
        Err(_) => {}
    }
    outcome
}

async fn check_password(
    store: &Store,
    hashing: &HashingGate,
    typed_name: &str,
    password: &str,
) -> Result<CurrentUser, BoardError> {
    let credentials = store.credentials(typed_name.to_owned()).await?;
    let password = password.to_owned();
    let user = hashing
        .run(move || match credentials {
            Some((user, stored)) => passwords::verify(&password, &stored).then_some(user),
            None => {
                passwords::verify_against_nothing(&password);
                None
            }
        })
        .await
        .map_err(|Busy| BoardError::Busy)?;
    user.map(|user| CurrentUser {
        id: user.id,
        username: user.username,
    })
    .ok_or(BoardError::LoginFailed)
}

/// Changes the user's password: the current one must be right (counted by the log-in throttle, as a
/// log-in is: the form is a way to guess it); the new one is checked as at sign-up. Every other session of
/// the account ends with the change (`keep` is the one in use).
pub async fn change_password(
    store: &Store,
    hashing: &HashingGate,
    user: &CurrentUser,
    form: &PasswordChangeForm,
    client: ClientKey,
    keep: String,
) -> Result<(), BoardError> {
    let password = form.parse().map_err(BoardError::Invalid)?;
    let name_key = username_key(&user.username);
    store
        .begin_login(name_key.clone(), client)
        .await?
        .map_err(BoardError::Throttled)?;
    let stored = store
        .password_hash(user.id)
        .await?
        .ok_or(BoardError::NotFound)?;
    let checked = stored.clone();
    let current = form.current_password.clone();
    let new = password.as_str().to_owned();
    let hashed = hashing
        .run(move || {
            if passwords::verify(&current, &stored) {
                passwords::hash(&new).map(Some)
            } else {
                Ok(None)
            }
        })
        .await;
    let wrong_password = || {
        BoardError::Invalid(vec![FieldError::new(
            "current_password",
            Problem::WrongPassword,
        )])
    };
    let hash = match hashed {
        Err(Busy) => {
            store.login_abandoned(name_key, client).await?;
            return Err(BoardError::Busy);
        }
        Ok(Err(failed)) => return Err(BoardError::Internal(failed)),
        Ok(Ok(None)) => return Err(wrong_password()),
        Ok(Ok(Some(hash))) => hash,
    };
    store.login_succeeded(name_key, client).await?;
    // Changed meanwhile (another change at the same moment): the password checked is no longer it.
    match store.set_password(user.id, hash, checked, keep).await? {
        true => Ok(()),
        false => Err(wrong_password()),
    }
}

/// The user's live sessions, the last used first.
pub async fn sessions(
    store: &Store,
    user: &CurrentUser,
    lifetime: std::time::Duration,
) -> Result<Vec<SessionSummary>, BoardError> {
    let now = domain::now();
    let born_after = now - i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    Ok(store.user_sessions(user.id, now, born_after).await?)
}

/// Ends one of the user's sessions, named by its stored key; someone else's, or none, is not found.
pub async fn end_session(store: &Store, user: &CurrentUser, key: &str) -> Result<(), BoardError> {
    // Keys are SHA-256 in hex: anything else names no session, and is not looked for.
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BoardError::NotFound);
    }
    match store.end_session(user.id, key.to_owned()).await? {
        true => Ok(()),
        false => Err(BoardError::NotFound),
    }
}

/// Ends every session of the user but `keep`, the one in use.
pub async fn end_other_sessions(
    store: &Store,
    user: &CurrentUser,
    keep: String,
) -> Result<(), BoardError> {
    store.end_other_sessions(user.id, keep).await?;
    Ok(())
}
