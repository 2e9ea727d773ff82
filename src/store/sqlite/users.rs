//! The `users` table.

use super::Cached;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::domain::{
    accounts::{Email, Taken, User, Username, username_key, username_keys, username_skeleton},
    ids::UserId,
};

/// Inserts an account whose password is already hashed. A clash on a unique field is an expected outcome,
/// returned as `Err(Taken)` inside `Ok`, so the form can say which field to change.
pub fn insert(
    tx: &Transaction,
    username: &Username,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<Result<UserId, Taken>> {
    let result = tx.run(
        "INSERT INTO users
             (username, username_key, username_skeleton, email, email_key, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            username.as_str(),
            username.key(),
            username.skeleton(),
            email.as_str(),
            email.key(),
            password_hash,
            now
        ],
    );
    match result {
        Ok(_) => Ok(Ok(UserId(tx.last_insert_rowid()))),
        Err(err) if super::is_unique_violation(&err, "users.username_key") => {
            Ok(Err(Taken::Username))
        }
        Err(err) if super::is_unique_violation(&err, "users.username_skeleton") => {
            Ok(Err(Taken::LookAlike))
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
    } else if exists(
        "SELECT 1 FROM users WHERE username_skeleton = ?1",
        username.skeleton(),
    )? {
        taken.push(Taken::LookAlike);
    }
    if exists("SELECT 1 FROM users WHERE email_key = ?1", email.key())? {
        taken.push(Taken::Email);
    }
    Ok(taken)
}

/// Migration 7: gives every existing user their name's skeleton, then makes skeletons unique, and moves
/// their log-in key to the normalised form log-ins now look up (`ﬁnn` is found as `finn`). Names that
/// already look alike keep their accounts: all but the first get their id appended to the skeleton; a key
/// whose normalised form another account has already stays as it was (log-in still finds it, see
/// [`credentials`]).
pub fn fill_skeletons(tx: &Transaction) -> rusqlite::Result<()> {
    let names: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, username, username_key FROM users ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut skeletons = std::collections::HashSet::new();
    let mut keys: std::collections::HashSet<String> =
        names.iter().map(|(_, _, key)| key.clone()).collect();
    let mut update =
        tx.prepare("UPDATE users SET username_skeleton = ?2, username_key = ?3 WHERE id = ?1")?;
    for (id, name, old_key) in names {
        let skeleton = username_skeleton(&name);
        let skeleton = if skeletons.insert(skeleton.clone()) {
            skeleton
        } else {
            format!("{skeleton}#{id}")
        };
        let key = username_key(&name);
        let key = if key == old_key || !keys.insert(key.clone()) {
            old_key
        } else {
            keys.remove(&old_key);
            key
        };
        update.execute(params![id, skeleton, key])?;
    }
    tx.execute_batch("CREATE UNIQUE INDEX users_by_skeleton ON users (username_skeleton)")
}

/// The user and their password hash, looked up by the name they log in with (any letter case, any
/// compatibility form). An account from before names were normalised whose normalised key another account
/// took kept its old key (its name in lower case): typed exactly, it is found first.
pub fn credentials(conn: &Connection, typed: &str) -> rusqlite::Result<Option<(User, String)>> {
    conn.one(
        "SELECT id, username, email, created_at, password_hash FROM users
         WHERE username_key IN (?1, ?2) ORDER BY username_key = ?2 DESC LIMIT 1",
        username_keys(typed),
        |row| Ok((user_from_row(row)?, row.get(4)?)),
    )
    .optional()
}

/// Every account's id and name, in id order.
pub fn all_names(conn: &Connection) -> rusqlite::Result<Vec<(UserId, String)>> {
    conn.prepare_cached("SELECT id, username FROM users ORDER BY id")?
        .query_map([], |row| Ok((UserId(row.get(0)?), row.get(1)?)))?
        .collect()
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
