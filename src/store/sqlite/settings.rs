//! The `settings` table: values the server keeps for itself.

use super::Cached;
use rusqlite::{OptionalExtension, Transaction, params};

/// The value stored under `name`, or `make()` stored there now: one transaction, so two
/// processes starting together agree on one value.
pub fn get_or_insert(
    tx: &Transaction,
    name: &str,
    make: impl FnOnce() -> String,
) -> rusqlite::Result<String> {
    match get(tx, name)? {
        Some(value) => Ok(value),
        None => {
            let value = make();
            tx.run(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)",
                params![name, value],
            )?;
            Ok(value)
        }
    }
}

/// The value stored under `name`, if any.
fn get(tx: &Transaction, name: &str) -> rusqlite::Result<Option<String>> {
    tx.one(
        "SELECT value FROM settings WHERE name = ?1",
        [name],
        |row| row.get(0),
    )
    .optional()
}

/// A setting read as a number; `None` when absent or not a number.
pub fn number(tx: &Transaction, name: &str) -> rusqlite::Result<Option<i64>> {
    Ok(get(tx, name)?.and_then(|value| value.parse().ok()))
}

/// Sets a setting, replacing what was there.
pub fn set(tx: &Transaction, name: &str, value: &str) -> rusqlite::Result<()> {
    tx.run(
        "INSERT INTO settings (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}
