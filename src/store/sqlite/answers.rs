//! The `answers` table; each change also moves its question's answer counter.

use super::Cached;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::domain::policy::Actor;
use crate::domain::policy::Denied;
use crate::domain::posts::{Answer, DELETED_ANSWERS_SHOWN};
use crate::domain::{
    board::{AnswerId, AnswerSort, Content, QuestionId},
    ids::UserId,
};
use crate::store::{Guarded, NewAnswer, deletion, moderation};

/// An answer's columns, from `answers a` joined with its author `u` and its question `q`.
fn columns() -> String {
    format!(
        "a.id, a.question_id, a.author_id, u.username, a.content, a.content_html,
         a.created_at, a.modified_at, a.like_count,
         EXISTS (SELECT 1 FROM answer_likes l WHERE l.answer_id = a.id AND l.user_id = :viewer),
         q.accepted_answer_id IS a.id, q.author_id, a.comment_count, u.reputation,
         (SELECT e.username FROM users e WHERE e.id = a.edited_by), a.hidden_at IS NOT NULL, {}",
        deletion::columns("a", true)
    )
}

fn from_row(row: &Row) -> rusqlite::Result<Answer> {
    Ok(Answer {
        id: AnswerId(row.get(0)?),
        question_id: QuestionId(row.get(1)?),
        author_id: UserId(row.get(2)?),
        author: row.get(3)?,
        content: row.get(4)?,
        content_html: row.get(5)?,
        created_at: row.get(6)?,
        modified_at: row.get(7)?,
        like_count: row.get(8)?,
        liked: row.get(9)?,
        accepted: row.get(10)?,
        question_author_id: UserId(row.get(11)?),
        comment_count: row.get(12)?,
        author_reputation: row.get(13)?,
        edited_by: row.get(14)?,
        hidden: row.get(15)?,
        deleted: deletion::deletion(row.get(16)?, row.get(17)?, row.get(18)?, row.get(19)?),
    })
}

fn order_by(sort: AnswerSort) -> &'static str {
    match sort {
        AnswerSort::Likes => "a.like_count DESC, a.id ASC",
        AnswerSort::Recent => "a.id DESC",
    }
}

/// One page of a question's answers but the accepted one, with whether `viewer` liked each.
pub fn page(
    conn: &Connection,
    question: QuestionId,
    sort: AnswerSort,
    offset: i64,
    limit: i64,
    viewer: Option<UserId>,
) -> rusqlite::Result<Vec<Answer>> {
    // The rows skipped are counted in the sort's index alone (a few bytes each, no table or user row
    // read), then only the page's answers are read in full: a late page of a long thread costs about
    // what the first does.
    let sql = format!(
        "SELECT {columns} FROM (
             SELECT a.id FROM answers a
             WHERE a.question_id = :question AND a.deleted_at IS NULL
               AND a.id IS NOT (SELECT accepted_answer_id FROM questions WHERE id = :question)
             ORDER BY {order} LIMIT :limit OFFSET :offset
         ) page
         JOIN answers a ON a.id = page.id JOIN users u ON u.id = a.author_id
         JOIN questions q ON q.id = a.question_id
         ORDER BY {order}",
        columns = columns(),
        order = order_by(sort)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        rusqlite::named_params! {
            ":question": question.0,
            ":limit": limit,
            ":offset": offset,
            ":viewer": viewer.map_or(0, |v| v.0),
        },
        from_row,
    )?;
    rows.collect()
}

pub fn find(
    conn: &Connection,
    id: AnswerId,
    viewer: Option<UserId>,
) -> rusqlite::Result<Option<Answer>> {
    let sql = format!(
        "SELECT {columns} FROM answers a JOIN users u ON u.id = a.author_id
         JOIN questions q ON q.id = a.question_id WHERE a.id = :id",
        columns = columns()
    );
    conn.prepare_cached(&sql)?
        .query_row(
            rusqlite::named_params! { ":id": id.0, ":viewer": viewer.map_or(0, |v| v.0) },
            from_row,
        )
        .optional()
}

/// Where an answer stands (0-based) among its question's answers in `sort` order, for the page that holds
/// it: the accepted answer heads the first page, and the others count without it.
pub fn position(conn: &Connection, id: AnswerId, sort: AnswerSort) -> rusqlite::Result<i64> {
    let ahead = match sort {
        AnswerSort::Likes => {
            "a.like_count > me.like_count OR (a.like_count = me.like_count AND a.id < me.id)"
        }
        AnswerSort::Recent => "a.id > me.id",
    };
    let sql = format!(
        "SELECT CASE WHEN q.accepted_answer_id IS me.id THEN 0 ELSE (
             SELECT count(*) FROM answers a
             WHERE a.question_id = me.question_id AND a.deleted_at IS NULL
               AND a.id IS NOT q.accepted_answer_id AND ({ahead})
         ) END
         FROM answers me JOIN questions q ON q.id = me.question_id WHERE me.id = ?1"
    );
    conn.one(&sql, [id.0], |row| row.get(0))
}

/// Adds an answer, or returns `None` when the question is gone.
/// Inserts an answer unless its question is gone or closed.
pub fn insert(tx: &Transaction, answer: &NewAnswer) -> rusqlite::Result<Guarded<AnswerId>> {
    let updated = tx.run(
        "UPDATE questions SET answer_count = answer_count + 1
         WHERE id = ?1 AND closed_at IS NULL AND deleted_at IS NULL",
        [answer.question_id.0],
    )?;
    if updated == 0 {
        let closed = tx
            .one(moderation::QUESTION_STATE, [answer.question_id.0], |_| {
                Ok(())
            })
            .optional()?
            .is_some();
        return Ok(if closed {
            Guarded::Denied(Denied::QuestionClosed)
        } else {
            Guarded::Missing
        });
    }
    tx.run(
        "INSERT INTO answers (question_id, author_id, content, content_html, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            answer.question_id.0,
            answer.author_id.0,
            answer.content.as_str(),
            answer.content_html.as_str(),
            answer.now,
        ],
    )?;
    Ok(Guarded::Done(AnswerId(tx.last_insert_rowid())))
}

pub fn update(
    tx: &Transaction,
    id: AnswerId,
    content: &Content,
    content_html: &str,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE answers SET content = ?2, content_html = ?3, modified_at = ?4 WHERE id = ?1",
        params![id.0, content.as_str(), content_html, now],
    )?;
    Ok(())
}

/// Marks the answer as its question's accepted one, or takes the mark back when it is; returns its
/// question and whether it is accepted now (`None`: the answer is gone).
pub fn toggle_accepted(
    tx: &Transaction,
    id: AnswerId,
) -> rusqlite::Result<Option<(QuestionId, bool)>> {
    Ok(mark_accepted(tx, id, None)?.map(|(question, now, _)| (question, now)))
}

/// Marks the answer accepted (`wanted` true), takes the mark off (false), or does the other of the two
/// (`None`); its question, whether it is accepted now, and whether that changed.
pub fn mark_accepted(
    tx: &Transaction,
    id: AnswerId,
    wanted: Option<bool>,
) -> rusqlite::Result<Option<(QuestionId, bool, bool)>> {
    let found: Option<(i64, bool)> = tx
        .one(
            "SELECT a.question_id, q.accepted_answer_id IS a.id
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id = ?1",
            [id.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((question, accepted)) = found else {
        return Ok(None);
    };
    let question = QuestionId(question);
    let now = wanted.unwrap_or(!accepted);
    if now == accepted {
        return Ok(Some((question, now, false)));
    }
    if accepted {
        super::questions::clear_accepted(tx, question)?;
    } else {
        super::questions::set_accepted(tx, question, id)?;
    }
    Ok(Some((question, now, true)))
}

/// The question's deleted answers `viewer` may see, oldest first: a moderator all, anyone else their own
/// and, on their own deleted question, those deleted with it.
pub fn deleted(
    conn: &Connection,
    question: QuestionId,
    viewer: Actor,
) -> rusqlite::Result<Vec<Answer>> {
    let sql = format!(
        "SELECT {columns} FROM answers a JOIN users u ON u.id = a.author_id
         JOIN questions q ON q.id = a.question_id
         WHERE a.question_id = :question AND a.deleted_at IS NOT NULL
           AND (:all OR a.author_id = :viewer
                OR (a.deleted_with_question = 1 AND q.author_id = :viewer))
         ORDER BY a.id LIMIT :limit",
        columns = columns()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        rusqlite::named_params! {
            ":question": question.0,
            ":viewer": viewer.id.0,
            ":all": viewer.role.is_staff(),
            ":limit": DELETED_ANSWERS_SHOWN,
        },
        from_row,
    )?;
    rows.collect()
}

/// Deletes an answer and its likes; returns its question, or `None` if it was already gone.
pub fn delete(tx: &Transaction, id: AnswerId) -> rusqlite::Result<Option<QuestionId>> {
    // An accepted answer's mark goes first, so the rank counts move in this transaction (the foreign
    // key's SET NULL would do it too, less visibly).
    tx.run(
        "UPDATE questions SET accepted_answer_id = NULL WHERE accepted_answer_id = ?1",
        [id.0],
    )?;
    // SQLite makes all of a RETURNING statement's changes on its first step: one row read is enough.
    let deleted: Option<i64> = tx
        .query_row(
            "DELETE FROM answers WHERE id = ?1 RETURNING question_id",
            [id.0],
            |row| row.get(0),
        )
        .optional()?;
    let Some(question) = deleted else {
        return Ok(None);
    };
    tx.run(
        "UPDATE questions SET answer_count = answer_count - 1 WHERE id = ?1",
        [question],
    )?;
    Ok(Some(QuestionId(question)))
}
