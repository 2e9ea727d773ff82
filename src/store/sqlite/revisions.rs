//! Edit history on SQLite (the statements are `store::revisions`').

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Cached, SqliteStore};
use crate::{
    domain::{
        policy::PostRef,
        revisions::{EditNote, PostRevisions},
    },
    store::{StoreResult, revisions as sql},
};

/// Before an edit: keeps the post as it stands if it has no history yet; returns its newest revision's
/// number.
pub fn before_edit(tx: &Transaction, post: PostRef) -> rusqlite::Result<i64> {
    let (count, id) = sql::count(post);
    let stored: i64 = tx.one(&count, [id], |row| row.get(0))?;
    if stored == 0 {
        let (keep, id) = sql::keep(post);
        tx.run(
            keep,
            params![id, 1, None::<i64>, None::<i64>, "", None::<i64>],
        )?;
    }
    Ok(stored.max(1))
}

/// After an edit: keeps the post as `editor` left it as revision `number`, and who edited it.
pub fn after_edit(
    tx: &Transaction,
    post: PostRef,
    number: i64,
    editor: crate::domain::ids::UserId,
    now: i64,
    note: &EditNote,
) -> rusqlite::Result<()> {
    let (keep, id) = sql::keep(post);
    tx.run(
        keep,
        params![
            id,
            number,
            editor.0,
            now,
            note.summary.as_str(),
            note.rolled_back_to
        ],
    )?;
    let (edited_by, id) = sql::edited_by(post);
    tx.run(edited_by, params![id, editor.0])?;
    let (log, id) = sql::log_edit(post);
    let (action, detail) = sql::logged(note);
    tx.run(log, params![id, editor.0, now, action, detail])?;
    Ok(())
}

fn read(
    conn: &Connection,
    post: PostRef,
    numbers: (i64, i64),
) -> rusqlite::Result<Option<PostRevisions>> {
    let (head, id) = sql::head(post);
    let Some(head) = conn
        .one(head, [id], |row| {
            Ok(sql::Head {
                question_id: row.get(0)?,
                question_subject: row.get(1)?,
                author_id: row.get(2)?,
                author: row.get(3)?,
                at: row.get(4)?,
                subject: row.get(5)?,
                content: row.get(6)?,
                tags: row.get(7)?,
            })
        })
        .optional()?
    else {
        return Ok(None);
    };
    let (count, id) = sql::count(post);
    let total: i64 = conn.one(&count, [id], |row| row.get(0))?;
    let (list, id) = sql::list(post);
    let (low, high) = sql::with_base(numbers);
    let stored = conn
        .prepare_cached(&list)?
        .query_map(params![id, low, high], |row| {
            Ok(sql::Stored {
                number: row.get(0)?,
                editor_id: row.get(1)?,
                editor: row.get(2)?,
                created_at: row.get(3)?,
                summary: row.get(4)?,
                rolled_back_to: row.get(5)?,
                subject: row.get(6)?,
                content: row.get(7)?,
                tags: row.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(sql::assemble(post, head, total, numbers, stored)))
}

impl SqliteStore {
    pub async fn revisions(
        &self,
        post: PostRef,
        numbers: (i64, i64),
    ) -> StoreResult<Option<PostRevisions>> {
        self.db.read(move |conn| read(conn, post, numbers)).await
    }
}
