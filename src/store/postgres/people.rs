//! Accounts and sessions.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{PgError, opt, rows, run, tags::numbered};
use crate::{
    domain::{
        accounts::{Email, SessionSummary, Taken, User, Username, username_keys},
        ids::UserId,
    },
    store::{SessionOwner, StoredSession, session_key, sessions},
};

/// Adds an account; a unique field in use already is `Err(Taken)` and changes nothing.
pub async fn insert_user(
    client: &impl GenericClient,
    username: &Username,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<Result<UserId, Taken>, PgError> {
    // ON CONFLICT instead of catching the violation: an error would abort the whole transaction.
    let inserted = opt(
        client,
        "INSERT INTO users
             (username, username_key, username_skeleton, email, email_key, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
        &[
            &username.as_str(),
            &username.key(),
            &username.skeleton(),
            &email.as_str(),
            &email.key(),
            &password_hash,
            &now,
        ],
    )
    .await?;
    if let Some(row) = inserted {
        return Ok(Ok(UserId(row.try_get(0)?)));
    }
    let clash = taken(client, username, email).await?;
    // Taken between the check and the insert is still taken; which field, the check says.
    Ok(Err(clash.first().copied().unwrap_or(Taken::Username)))
}

/// Which of a new account's unique fields are in use already (or look like a name in use).
pub async fn taken(
    client: &impl GenericClient,
    username: &Username,
    email: &Email,
) -> Result<Vec<Taken>, PgError> {
    let mut taken = Vec::new();
    let exists = async |sql: &str, key: String| -> Result<bool, PgError> {
        Ok(opt(client, sql, &[&key]).await?.is_some())
    };
    if exists(
        "SELECT 1 FROM users WHERE username_key = $1",
        username.key(),
    )
    .await?
    {
        taken.push(Taken::Username);
    } else if exists(
        "SELECT 1 FROM users WHERE username_skeleton = $1",
        username.skeleton(),
    )
    .await?
    {
        taken.push(Taken::LookAlike);
    }
    if exists("SELECT 1 FROM users WHERE email_key = $1", email.key()).await? {
        taken.push(Taken::Email);
    }
    Ok(taken)
}

/// The account a typed name logs in as (its key, or the name lower-cased as older accounts kept it).
pub async fn credentials(
    client: &impl GenericClient,
    typed: &str,
) -> Result<Option<(User, String)>, PgError> {
    let [key, as_typed] = username_keys(typed);
    let Some(row) = opt(
        client,
        "SELECT id, username, email, created_at, password_hash FROM users
         WHERE username_key IN ($1, $2) ORDER BY username_key = $2 DESC LIMIT 1",
        &[&key, &as_typed],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some((user_from_row(&row)?, row.try_get(4)?)))
}

pub async fn find_user(client: &impl GenericClient, id: UserId) -> Result<Option<User>, PgError> {
    opt(
        client,
        "SELECT id, username, email, created_at FROM users WHERE id = $1",
        &[&id.0],
    )
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub async fn all_names(client: &impl GenericClient) -> Result<Vec<(UserId, String)>, PgError> {
    rows(client, "SELECT id, username FROM users ORDER BY id", &[])
        .await?
        .iter()
        .map(|row| Ok((UserId(row.try_get(0)?), row.try_get(1)?)))
        .collect()
}

fn user_from_row(row: &Row) -> Result<User, PgError> {
    Ok(User {
        id: UserId(row.try_get(0)?),
        username: row.try_get(1)?,
        email: row.try_get(2)?,
        created_at: row.try_get(3)?,
    })
}

/// A live session: one that neither lapsed nor began before `born_after`.
pub async fn load_session(
    client: &impl GenericClient,
    id: &str,
    now: i64,
    born_after: i64,
) -> Result<Option<StoredSession>, PgError> {
    let Some(row) = opt(
        client,
        &numbered(sessions::LOAD),
        &[&session_key(id), &now, &born_after],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(StoredSession {
        entries: row.try_get(0)?,
        expires_at: row.try_get(1)?,
        created_at: row.try_get(2)?,
    }))
}

pub async fn save_session(
    client: &impl GenericClient,
    id: &str,
    entries: &str,
    owner: &SessionOwner,
    expires_at: i64,
    now: i64,
) -> Result<(), PgError> {
    let user = owner.user.map(|u| u.0);
    run(
        client,
        &numbered(sessions::SAVE),
        &[
            &session_key(id),
            &entries,
            &expires_at,
            &now,
            &user,
            &owner.user_agent,
            &owner.address,
        ],
    )
    .await?;
    Ok(())
}

pub async fn extend_session(
    client: &impl GenericClient,
    id: &str,
    expires_at: i64,
    now: i64,
) -> Result<(), PgError> {
    run(
        client,
        &numbered(sessions::EXTEND),
        &[&session_key(id), &expires_at, &now],
    )
    .await?;
    Ok(())
}

/// The account's live sessions, the last used first.
pub async fn user_sessions(
    client: &impl GenericClient,
    user: UserId,
    now: i64,
    born_after: i64,
) -> Result<Vec<SessionSummary>, PgError> {
    rows(
        client,
        &numbered(sessions::OF_USER),
        &[&user.0, &now, &born_after],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(SessionSummary {
            key: row.try_get(0)?,
            user_agent: row.try_get(1)?,
            address: row.try_get(2)?,
            created_at: row.try_get(3)?,
            last_seen_at: row.try_get(4)?,
        })
    })
    .collect()
}

pub async fn remove_session(client: &impl GenericClient, id: &str) -> Result<(), PgError> {
    let now = crate::domain::now();
    run(client, &numbered(sessions::END), &[&session_key(id), &now]).await?;
    Ok(())
}

pub async fn purge_sessions(
    client: &impl GenericClient,
    now: i64,
    born_after: i64,
) -> Result<usize, PgError> {
    let purged = run(
        client,
        "DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2",
        &[&now, &born_after],
    )
    .await?;
    Ok(purged as usize)
}
