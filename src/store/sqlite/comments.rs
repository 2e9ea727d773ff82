//! The `comments` table; each change also moves its post's comment counter.

use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::Cached;
use crate::{
    domain::{
        board::{CommentId, CommentText, QuestionId},
        ids::{AnswerId, UserId},
        policy::PostRef,
        posts::{Comment, PostComments},
    },
    store::NewComment,
};

/// A comment's columns, from `comments c` joined with its author `u`.
const COLUMNS: &str = "c.id, c.question_id, c.answer_id, c.author_id, u.username, c.content,
     c.content_html, c.created_at, c.modified_at, u.reputation,
     (SELECT e.username FROM users e WHERE e.id = c.edited_by), c.hidden_at IS NOT NULL";

fn from_row(row: &Row) -> rusqlite::Result<Comment> {
    let question_id = QuestionId(row.get(1)?);
    Ok(Comment {
        id: CommentId(row.get(0)?),
        on: match row.get::<_, Option<i64>>(2)? {
            Some(answer) => PostRef::Answer(AnswerId(answer)),
            None => PostRef::Question(question_id),
        },
        question_id,
        author_id: UserId(row.get(3)?),
        author: row.get(4)?,
        content: row.get(5)?,
        content_html: row.get(6)?,
        created_at: row.get(7)?,
        modified_at: row.get(8)?,
        author_reputation: row.get(9)?,
        edited_by: row.get(10)?,
        hidden: row.get(11)?,
    })
}

/// The first `limit` comments on `post`, oldest first (a negative `limit`: all of them).
pub fn first_on(conn: &Connection, post: PostRef, limit: i64) -> rusqlite::Result<Vec<Comment>> {
    let (filter, id) = match post {
        PostRef::Question(id) => ("c.question_id = ?1 AND c.answer_id IS NULL", id.0),
        PostRef::Answer(id) => ("c.answer_id = ?1", id.0),
        PostRef::Comment(_) => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
         WHERE {filter} ORDER BY c.id LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![id, limit], from_row)?;
    rows.collect()
}

pub fn find(conn: &Connection, id: CommentId) -> rusqlite::Result<Option<Comment>> {
    conn.one(
        &format!(
            "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
             JOIN questions q ON q.id = c.question_id LEFT JOIN answers a ON a.id = c.answer_id
             WHERE c.id = ?1 AND q.deleted_at IS NULL AND a.deleted_at IS NULL"
        ),
        [id.0],
        from_row,
    )
    .optional()
}

/// How many comments come before `comment` on its post.
pub fn position(conn: &Connection, comment: &Comment) -> rusqlite::Result<i64> {
    let answer = match comment.on {
        PostRef::Answer(id) => Some(id.0),
        _ => None,
    };
    conn.one(
        "SELECT count(*) FROM comments WHERE question_id = ?1 AND answer_id IS ?2 AND id < ?3",
        params![comment.question_id.0, answer, comment.id.0],
        |row| row.get(0),
    )
}

/// Every comment on `post`, with its question; `None` if the post is gone.
pub fn of_post(conn: &Connection, post: PostRef) -> rusqlite::Result<Option<PostComments>> {
    let (sql, id) = match post {
        PostRef::Question(id) => (
            "SELECT q.id, q.subject, u.username, q.content, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END
             FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = ?1 AND q.deleted_at IS NULL",
            id.0,
        ),
        PostRef::Answer(id) => (
            "SELECT q.id, q.subject, u.username, a.content, CASE WHEN a.hidden_at IS NULL THEN NULL ELSE a.author_id END, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END
             FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = a.author_id
             WHERE a.id = ?1 AND a.deleted_at IS NULL AND q.deleted_at IS NULL",
            id.0,
        ),
        PostRef::Comment(_) => return Ok(None),
    };
    let found = conn
        .one(sql, [id], |row| {
            Ok((
                QuestionId(row.get(0)?),
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                (
                    row.get::<_, Option<i64>>(4)?.map(UserId),
                    row.get::<_, Option<i64>>(5)?.map(UserId),
                ),
            ))
        })
        .optional()?;
    let Some((question_id, question_subject, post_author, post_content, hidden)) = found else {
        return Ok(None);
    };
    Ok(Some(PostComments {
        post,
        question_id,
        question_subject,
        post_author,
        post_content,
        hidden_post_author: hidden.0,
        hidden_question_author: hidden.1,
        comments: first_on(conn, post, -1)?,
    }))
}

/// Adds a comment, or returns `None` when its post is gone.
pub fn insert(tx: &Transaction, comment: &NewComment) -> rusqlite::Result<Option<CommentId>> {
    let (sql, id) = match comment.on {
        PostRef::Question(id) => (
            "UPDATE questions SET comment_count = comment_count + 1
             WHERE id = ?1 AND deleted_at IS NULL RETURNING id",
            id.0,
        ),
        PostRef::Answer(id) => (
            "UPDATE answers SET comment_count = comment_count + 1
             WHERE id = ?1 AND deleted_at IS NULL RETURNING question_id",
            id.0,
        ),
        PostRef::Comment(_) => return Ok(None),
    };
    let Some(question) = tx.one(sql, [id], |row| row.get::<_, i64>(0)).optional()? else {
        return Ok(None);
    };
    let answer = match comment.on {
        PostRef::Answer(id) => Some(id.0),
        _ => None,
    };
    tx.run(
        "INSERT INTO comments (question_id, answer_id, author_id, content, content_html, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            question,
            answer,
            comment.author_id.0,
            comment.content.as_str(),
            comment.content_html.as_str(),
            comment.now,
        ],
    )?;
    Ok(Some(CommentId(tx.last_insert_rowid())))
}

pub fn update(
    tx: &Transaction,
    id: CommentId,
    text: &CommentText,
    html: &str,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE comments SET content = ?2, content_html = ?3, modified_at = ?4 WHERE id = ?1",
        params![id.0, text.as_str(), html, now],
    )?;
    Ok(())
}

/// Deletes a comment, moving its post's counter; returns it as it was, or `None` if it was gone.
pub fn delete(tx: &Transaction, id: CommentId) -> rusqlite::Result<Option<Comment>> {
    let Some(comment) = find(tx, id)? else {
        return Ok(None);
    };
    tx.run("DELETE FROM comments WHERE id = ?1", [id.0])?;
    let (sql, post) = match comment.on {
        PostRef::Answer(answer) => (
            "UPDATE answers SET comment_count = comment_count - 1 WHERE id = ?1",
            answer.0,
        ),
        _ => (
            "UPDATE questions SET comment_count = comment_count - 1 WHERE id = ?1",
            comment.question_id.0,
        ),
    };
    tx.run(sql, [post])?;
    Ok(Some(comment))
}
