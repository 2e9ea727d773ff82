//! The `users` table.

use super::Cached;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::domain::{
    accounts::{Email, NewAccount, Username},
    ids::UserId,
};

/// A user as the rest of the app sees it: never the password hash.
#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub created_at: i64,
}

/// Which unique field a new account clashed on.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    Username,
    Email,
}

/// Inserts an account whose password is already hashed. A clash on a unique field is an expected outcome,
/// returned as `Err(Taken)` inside `Ok`, so the form can say which field to change.
pub fn insert(
    tx: &Transaction,
    account: &NewAccount,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<Result<UserId, Taken>> {
    let result = tx.run(
        "INSERT INTO users (username, username_key, email, email_key, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            account.username.as_str(),
            account.username.key(),
            account.email.as_str(),
            account.email.key(),
            password_hash,
            now
        ],
    );
    match result {
        Ok(_) => Ok(Ok(UserId(tx.last_insert_rowid()))),
        Err(err) if super::is_unique_violation(&err, "users.username_key") => {
            Ok(Err(Taken::Username))
        }
        Err(err) if super::is_unique_violation(&err, "users.email_key") => Ok(Err(Taken::Email)),
        Err(err) => Err(err),
    }
}

/// Which of the two unique fields are already used, so a form can report both at once.
pub fn taken(
    conn: &Connection,
    username: &Username,
    email: &Email,
) -> rusqlite::Result<Vec<Taken>> {
    let mut taken = Vec::new();
    let exists = |sql: &str, key: String| -> rusqlite::Result<bool> {
        conn.one(sql, [key], |_| Ok(()))
            .optional()
            .map(|row| row.is_some())
    };
    if exists(
        "SELECT 1 FROM users WHERE username_key = ?1",
        username.key(),
    )? {
        taken.push(Taken::Username);
    }
    if exists("SELECT 1 FROM users WHERE email_key = ?1", email.key())? {
        taken.push(Taken::Email);
    }
    Ok(taken)
}

/// The user and their password hash, looked up by the name they log in with (any letter case).
pub fn credentials(
    conn: &Connection,
    username_key: &str,
) -> rusqlite::Result<Option<(User, String)>> {
    conn.one(
        "SELECT id, username, email, created_at, password_hash FROM users WHERE username_key = ?1",
        [username_key],
        |row| Ok((user_from_row(row)?, row.get(4)?)),
    )
    .optional()
}

pub fn find(conn: &Connection, id: UserId) -> rusqlite::Result<Option<User>> {
    conn.one(
        "SELECT id, username, email, created_at FROM users WHERE id = ?1",
        [id.0],
        user_from_row,
    )
    .optional()
}

fn user_from_row(row: &rusqlite::Row) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get(0)?),
        username: row.get(1)?,
        email: row.get(2)?,
        created_at: row.get(3)?,
    })
}
