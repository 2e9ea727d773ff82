//! The `sessions` table behind poem's server-side sessions. Rows are keyed by the SHA-256 of the session id,
//! never the id itself: a backup or a read of the file gives no cookie that would log anyone in.

use super::Cached;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::{
    domain::{accounts::SessionSummary, ids::UserId},
    store::{SessionOwner, StoredSession, session_key as stored_key, sessions as sql},
};

/// A live session: one that neither lapsed nor began before `born_after`; anything else reads as absent.
pub fn load(
    conn: &Connection,
    id: &str,
    now: i64,
    born_after: i64,
) -> rusqlite::Result<Option<StoredSession>> {
    conn.one(sql::LOAD, params![stored_key(id), now, born_after], |row| {
        Ok(StoredSession {
            entries: row.get(0)?,
            expires_at: row.get(1)?,
            created_at: row.get(2)?,
        })
    })
    .optional()
}

/// Stores a session's entries and owner; a new session begins `now`, an existing one keeps its beginning.
pub fn save(
    tx: &Transaction,
    id: &str,
    entries: &str,
    owner: &SessionOwner,
    expires_at: i64,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        sql::SAVE,
        params![
            stored_key(id),
            entries,
            expires_at,
            now,
            owner.user.map(|u| u.0),
            owner.user_agent,
            owner.address
        ],
    )?;
    Ok(())
}

/// Pushes the expiry of a session in use forward; it was used `now`.
pub fn extend(tx: &Transaction, id: &str, expires_at: i64, now: i64) -> rusqlite::Result<()> {
    tx.run(sql::EXTEND, params![stored_key(id), expires_at, now])?;
    Ok(())
}

/// The account's live sessions, the last used first.
pub fn of_user(
    conn: &Connection,
    user: UserId,
    now: i64,
    born_after: i64,
) -> rusqlite::Result<Vec<SessionSummary>> {
    conn.prepare_cached(sql::OF_USER)?
        .query_map(params![user.0, now, born_after], |row| {
            Ok(SessionSummary {
                key: row.get(0)?,
                user_agent: row.get(1)?,
                address: row.get(2)?,
                created_at: row.get(3)?,
                last_seen_at: row.get(4)?,
            })
        })?
        .collect()
}

pub fn remove(tx: &Transaction, id: &str, now: i64) -> rusqlite::Result<()> {
    tx.run(sql::END, params![stored_key(id), now])?;
    Ok(())
}

/// Deletes sessions that lapsed or began too long ago; returns how many.
pub fn purge_expired(tx: &Transaction, now: i64, born_after: i64) -> rusqlite::Result<usize> {
    tx.run(
        "DELETE FROM sessions WHERE expires_at <= ?1 OR created_at <= ?2",
        [now, born_after],
    )
}

/// Replaces each stored id by its hash (migration 6).
pub fn hash_stored_ids(tx: &Transaction) -> rusqlite::Result<()> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM sessions")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE sessions SET id = ?2 WHERE id = ?1")?;
    for id in ids {
        update.execute(params![id, stored_key(&id)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_session_is_not_saved_anew_by_a_request_that_loaded_it_before() {
        let mut conn = Connection::open_in_memory().expect("db");
        super::super::migrations::run(&mut conn).expect("schema");
        let tx = conn.transaction().expect("tx");
        let owner = SessionOwner::default();
        save(&tx, "a-session", r#"{"flash":[]}"#, &owner, 100, 1).expect("save");
        remove(&tx, "a-session", 2).expect("end");
        // The request in flight saves what it loaded (a message shown, say): the row stays ended.
        save(&tx, "a-session", r#"{"flash":[]}"#, &owner, 100, 3).expect("save again");
        assert!(load(&tx, "a-session", 50, 0).expect("load").is_none());
        let entries: String = tx
            .query_row("SELECT entries FROM sessions", [], |row| row.get(0))
            .expect("the tombstone");
        assert_eq!(entries, "{}", "its entries went with it");
    }

    #[test]
    fn the_file_holds_no_session_id() {
        let mut conn = Connection::open_in_memory().expect("db");
        super::super::migrations::run(&mut conn).expect("schema");
        let tx = conn.transaction().expect("tx");
        save(&tx, "the-secret-id", "{}", &SessionOwner::default(), 100, 1).expect("save");
        let stored: String = tx
            .query_row("SELECT id FROM sessions", [], |row| row.get(0))
            .expect("row");
        assert_ne!(stored, "the-secret-id");
        assert!(!stored.contains("the-secret-id"));
        assert!(load(&tx, "the-secret-id", 50, 0).expect("load").is_some());
        assert!(
            load(&tx, stored.as_str(), 50, 0).expect("load").is_none(),
            "the hash is no id"
        );
        assert!(
            load(&tx, "the-secret-id", 50, 1).expect("load").is_none(),
            "too old"
        );
    }
}
