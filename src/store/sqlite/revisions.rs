//! Edit history on SQLite (the statements are `store::revisions`').

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Cached, SqliteStore};
use crate::{
    domain::{
        flags::Resolution,
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
    let (action, detail) = sql::logged(note);
    log_change(tx, post, editor, now, (action, &detail))?;
    // A moderator's edit is their decision on the post's flags.
    super::flags::resolve(tx, post, Resolution::Edited, now, Some(editor))?;
    Ok(())
}

/// Logs `(action, detail)` on the post by `actor` at `now` when the post is not theirs.
pub fn log_change(
    tx: &Transaction,
    post: PostRef,
    actor: crate::domain::ids::UserId,
    now: i64,
    (action, detail): (&str, &str),
) -> rusqlite::Result<()> {
    let (log, id) = sql::log_change(post);
    tx.run(log, params![id, actor.0, now, action, detail])?;
    Ok(())
}

/// The post as it stands (revision 1 of a post never edited), if it exists.
pub fn head(conn: &Connection, post: PostRef) -> rusqlite::Result<Option<sql::Head>> {
    let (head, id) = sql::head(post);
    conn.one(head, [id], |row| {
        Ok(sql::Head {
            question_id: row.get(0)?,
            question_subject: row.get(1)?,
            author_id: row.get(2)?,
            author: row.get(3)?,
            at: row.get(4)?,
            subject: row.get(5)?,
            content: row.get(6)?,
            tags: row.get(7)?,
            hidden: row.get(8)?,
        })
    })
    .optional()
}

fn read(
    conn: &Connection,
    post: PostRef,
    numbers: (i64, i64),
) -> rusqlite::Result<Option<PostRevisions>> {
    let Some(head) = head(conn, post)? else {
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
