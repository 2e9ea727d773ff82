//! View counts: viewers counted in the last hour, and the counters they move.

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};

use super::Cached;
use crate::domain::{board::QuestionId, views::VIEW_WINDOW_SECONDS, views::ViewerKey};

/// Counts the views whose viewer was not counted on the question within the hour; forgets viewers
/// counted more than an hour before `now`. Returns how many counted.
pub fn count(
    tx: &Transaction,
    views: &[(QuestionId, ViewerKey, i64)],
    now: i64,
) -> rusqlite::Result<u64> {
    let mut counted: BTreeMap<i64, i64> = BTreeMap::new();
    for (question, viewer, at) in views {
        // A new viewer is inserted; one counted over an hour ago is counted again; anyone else changes
        // nothing (0 rows).
        let changed = tx.run(
            "INSERT INTO question_viewers (question_id, viewer, counted_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (question_id, viewer) DO UPDATE SET counted_at = excluded.counted_at
             WHERE counted_at <= excluded.counted_at - ?4",
            params![question.0, viewer.0, at, VIEW_WINDOW_SECONDS],
        )?;
        if changed > 0 {
            *counted.entry(question.0).or_default() += 1;
        }
    }
    let views: Vec<(QuestionId, i64)> = counted
        .into_iter()
        .map(|(question, n)| (QuestionId(question), n))
        .collect();
    add(tx, &views)?;
    tx.run(
        "DELETE FROM question_viewers WHERE counted_at <= ?1",
        [now - VIEW_WINDOW_SECONDS],
    )?;
    Ok(views.iter().map(|(_, n)| *n as u64).sum())
}

/// Adds to questions' view counts.
pub fn add(tx: &Transaction, views: &[(QuestionId, i64)]) -> rusqlite::Result<()> {
    for (question, n) in views {
        tx.run(
            "UPDATE questions SET view_count = view_count + ?2 WHERE id = ?1",
            [question.0, *n],
        )?;
    }
    Ok(())
}
