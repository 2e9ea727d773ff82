//! The `sessions` table behind poem's server-side sessions.

use super::Cached;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// A stored session: its JSON entries and when it lapses.
pub struct StoredSession {
    pub entries: String,
    pub expires_at: i64,
}

/// A live session; an expired one reads as absent.
pub fn load(conn: &Connection, id: &str, now: i64) -> rusqlite::Result<Option<StoredSession>> {
    conn.one(
        "SELECT entries, expires_at FROM sessions WHERE id = ?1 AND expires_at > ?2",
        params![id, now],
        |row| {
            Ok(StoredSession {
                entries: row.get(0)?,
                expires_at: row.get(1)?,
            })
        },
    )
    .optional()
}

pub fn save(tx: &Transaction, id: &str, entries: &str, expires_at: i64) -> rusqlite::Result<()> {
    tx.run(
        "INSERT INTO sessions (id, entries, expires_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET entries = excluded.entries, expires_at = excluded.expires_at",
        params![id, entries, expires_at],
    )?;
    Ok(())
}

/// Pushes the expiry of a session in use forward.
pub fn extend(tx: &Transaction, id: &str, expires_at: i64) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE sessions SET expires_at = ?2 WHERE id = ?1",
        params![id, expires_at],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction, id: &str) -> rusqlite::Result<()> {
    tx.run("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

/// Deletes lapsed sessions; returns how many.
pub fn purge_expired(tx: &Transaction, now: i64) -> rusqlite::Result<usize> {
    tx.run("DELETE FROM sessions WHERE expires_at <= ?1", [now])
}
