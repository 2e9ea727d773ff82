//! The limits on writing, checked inside the write on SQLite (one writer at a time: a burst of posts is
//! counted one after the other).

use rusqlite::{OptionalExtension, Transaction, params};

use super::Cached;
use crate::{
    domain::{
        ids::UserId,
        writing::{Limited, WriteKind},
    },
    store::writing::{self as sql, WriteCheck},
};

/// Whether a limit says no to the author writing `text` as `kind` now.
pub fn limited(
    tx: &Transaction,
    author: UserId,
    kind: WriteKind,
    text: &str,
    check: &WriteCheck,
    now: i64,
) -> rusqlite::Result<Option<Limited>> {
    let lookback = check.limits.lookback();
    let times = |statement: &str| -> rusqlite::Result<Vec<i64>> {
        tx.prepare_cached(statement)?
            .query_map(params![author.0, lookback], |row| row.get(0))?
            .collect()
    };
    let Some((joined_at, reputation)) = tx
        .one(sql::AUTHOR, [author.0], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?
    else {
        return Ok(None);
    };
    let recent = sql::recent(
        (joined_at, reputation),
        times(sql::RECENT_QUESTIONS)?,
        times(sql::RECENT_ANSWERS)?,
        times(sql::RECENT_COMMENTS)?,
    );
    if let Err(limited) = check.limits.check(kind, check.links, &recent, now) {
        return Ok(Some(limited));
    }
    for table in sql::tables(kind) {
        let again = tx
            .one(
                &sql::repeated(table),
                params![
                    author.0,
                    now - check.limits.repeat_within,
                    text,
                    check.limits.repeat_lookback()
                ],
                |_| Ok(()),
            )
            .optional()?;
        if again.is_some() {
            return Ok(Some(Limited::Repeated));
        }
    }
    Ok(None)
}
