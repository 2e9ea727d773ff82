//! Signing up and logging in, each counted against its limit as it starts (the storage engine keeps the
//! counts, so every app server shares them); what is decided here holds for any front door.

use super::BoardError;
use crate::{
    domain::{
        self, FieldError, Problem,
        accounts::{
            AccountDeleteForm, CurrentUser, DELETED_NAME_HELD_SECONDS, NewAccount,
            PasswordChangeForm, SessionSummary, Taken, Username, username_key,
        },
        limits::ClientKey,
    },
    i18n::Lang,
    passwords,
    signing::LinkKey,
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

/// What a sign-up did.
#[derive(Debug)]
pub enum SignedUp {
    /// The account exists, to be logged in by the caller (mail is off: its confirmation is only logged).
    Created(CurrentUser),
    /// Mail is on: a link went to the address, and the account is made when it is opened; or the address
    /// is another account's, whose owner was told instead. The caller cannot tell which, nor can whoever
    /// signed up: that is the point.
    CheckInbox,
}

/// Signs up. A name in use, or one that looks like a name in use, is an invalid field. With mail off the
/// account is made at once, and an address in use is an invalid field too; with mail on
/// (`mail_lang`, the language its mail is written in), see [`SignedUp::CheckInbox`]. With a limit,
/// `client` may sign up `per_hour` times an hour; a sign-up refused for a field is not counted.
pub async fn sign_up(
    store: &Store,
    hashing: &HashingGate,
    links: &LinkKey,
    account: NewAccount,
    client: ClientKey,
    per_hour: Option<usize>,
    mail_lang: Option<Lang>,
) -> Result<SignedUp, BoardError> {
    if let Some(per_hour) = per_hour {
        store
            .begin_signup(client, per_hour)
            .await?
            .map_err(BoardError::Throttled)?;
    }
    let outcome = match mail_lang {
        None => create_account(store, hashing, account)
            .await
            .map(SignedUp::Created),
        Some(lang) => hold_account(store, hashing, links, account, client, lang).await,
    };
    if outcome.is_err() && per_hour.is_some() {
        store.signup_refused(client).await?;
    }
    outcome
}

async fn hash_password(hashing: &HashingGate, account: &NewAccount) -> Result<String, BoardError> {
    let password = account.password.as_str().to_owned();
    hashing
        .run(move || passwords::hash(&password))
        .await
        .map_err(|Busy| BoardError::Busy)?
        .map_err(BoardError::Internal)
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
    let hash = hash_password(hashing, &account).await?;
    let username = account.username.as_str().to_owned();
    // Another sign-up may have taken the name between the check and now: the unique index decides.
    let inserted = store.insert_user(account, hash, domain::now()).await?;
    match inserted {
        Ok(id) => Ok(CurrentUser { id, username }),
        Err(taken) => Err(BoardError::Invalid(taken_errors(&[taken]))),
    }
}

/// With mail on: the sign-up waits for its link, or the address's owner is told; the same work and the
/// same answer either way (the mail, counted against the address's limits like any other, tells them
/// apart).
async fn hold_account(
    store: &Store,
    hashing: &HashingGate,
    links: &LinkKey,
    account: NewAccount,
    client: ClientKey,
    lang: Lang,
) -> Result<SignedUp, BoardError> {
    let mut taken = store
        .taken(account.username.clone(), account.email.clone())
        .await?;
    let address_taken = taken.contains(&Taken::Email);
    taken.retain(|field| *field != Taken::Email);
    if !taken.is_empty() {
        return Err(BoardError::Invalid(taken_errors(&taken)));
    }
    let send = super::mail::count_request(store, &account.email, client).await?;
    let hash = hash_password(hashing, &account).await?;
    if !send {
        return Ok(SignedUp::CheckInbox);
    }
    if address_taken {
        super::mail::tell_address_owner(store, &account.email).await?;
    } else {
        super::mail::hold_sign_up(store, links, &account, hash, lang).await?;
    }
    Ok(SignedUp::CheckInbox)
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
            // A deleted account keeps no password: as much work as an unknown name.
            Some((_, stored)) if stored.is_empty() => {
                passwords::verify_against_nothing(&password);
                None
            }
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

/// Changes the user's password: the current one must be right (see [`check_current_password`]); the new
/// one is checked as at sign-up. Every other session of the account ends with the change (`keep` is the
/// one in use).
pub async fn change_password(
    store: &Store,
    hashing: &HashingGate,
    user: &CurrentUser,
    form: &PasswordChangeForm,
    client: ClientKey,
    keep: String,
) -> Result<(), BoardError> {
    let password = form.parse().map_err(BoardError::Invalid)?;
    let new = password.as_str().to_owned();
    let (checked, hash) = check_current_password(
        store,
        hashing,
        user,
        &form.current_password,
        client,
        move || passwords::hash(&new),
    )
    .await?;
    // Changed meanwhile (another change at the same moment): the password checked is no longer it.
    match store.set_password(user.id, hash, checked, keep).await? {
        true => Ok(()),
        false => Err(wrong_password()),
    }
}

pub(super) fn wrong_password() -> BoardError {
    BoardError::Invalid(vec![FieldError::new(
        "current_password",
        Problem::WrongPassword,
    )])
}

/// Checks the password a change to the account asks for, counted by the log-in throttle as a log-in is
/// (the form is a way to guess it), and when it is right runs `then` on the same hashing turn. Returns the
/// hash it was checked against and what `then` made; a wrong password is a field error.
pub(super) async fn check_current_password<T: Send + 'static>(
    store: &Store,
    hashing: &HashingGate,
    user: &CurrentUser,
    current: &str,
    client: ClientKey,
    then: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<(String, T), BoardError> {
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
    let current = current.to_owned();
    let outcome = hashing
        .run(move || {
            if passwords::verify(&current, &stored) {
                then().map(Some)
            } else {
                Ok(None)
            }
        })
        .await;
    match outcome {
        Err(Busy) => {
            store.login_abandoned(name_key, client).await?;
            Err(BoardError::Busy)
        }
        Ok(Err(failed)) => Err(BoardError::Internal(failed)),
        Ok(Ok(None)) => Err(wrong_password()),
        Ok(Ok(Some(made))) => {
            store.login_succeeded(name_key, client).await?;
            Ok((checked, made))
        }
    }
}

/// Deletes the user's account: the current password must be right (see [`check_current_password`]).
/// Their posts stay, shown as by a deleted user; the log says who and when.
pub async fn delete_account(
    store: &Store,
    hashing: &HashingGate,
    user: &CurrentUser,
    form: &AccountDeleteForm,
    client: ClientKey,
) -> Result<(), BoardError> {
    if form.current_password.is_empty() {
        return Err(BoardError::Invalid(vec![FieldError::new(
            "current_password",
            Problem::Required,
        )]));
    }
    let (checked, ()) =
        check_current_password(store, hashing, user, &form.current_password, client, || {
            Ok(())
        })
        .await?;
    match store.delete_account(user.id, checked).await? {
        Some(name) => {
            tracing::info!(user = user.id.0, name, "account deleted by its owner");
            Ok(())
        }
        // Changed meanwhile: the password checked is no longer the account's.
        None => Err(wrong_password()),
    }
}

/// Frees the names of accounts deleted long enough ago ([`DELETED_NAME_HELD_SECONDS`]).
pub async fn free_held_names(store: &Store) -> Result<u64, BoardError> {
    Ok(store
        .free_held_names(domain::now() - DELETED_NAME_HELD_SECONDS)
        .await?)
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
