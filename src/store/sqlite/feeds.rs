//! What the Atom feeds carry: the newest questions (of a tag), and a question's newest answers.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::domain::{
    board::{AnswerId, QuestionId},
    posts::FeedEntry,
    tags::{TagName, Tags},
};

const QUESTION: &str = "SELECT q.id, q.subject, u.username, q.created_at, q.modified_at,
            CASE WHEN q.hidden_at IS NULL THEN q.content_html ELSE '' END, q.tags
     FROM questions q JOIN users u ON u.id = q.author_id WHERE q.deleted_at IS NULL";

fn question_entry(row: &Row) -> rusqlite::Result<FeedEntry> {
    Ok(FeedEntry {
        question_id: QuestionId(row.get(0)?),
        answer_id: None,
        subject: row.get(1)?,
        author: row.get(2)?,
        created_at: row.get(3)?,
        modified_at: row.get(4)?,
        content_html: row.get(5)?,
        tags: Tags::stored(&row.get::<_, String>(6)?),
    })
}

pub fn questions(
    conn: &Connection,
    tag: Option<&TagName>,
    limit: i64,
) -> rusqlite::Result<Option<Vec<FeedEntry>>> {
    let Some(tag) = tag else {
        let mut stmt = conn.prepare_cached(&format!("{QUESTION} ORDER BY q.id DESC LIMIT ?1"))?;
        return Ok(Some(
            stmt.query_map([limit], question_entry)?
                .collect::<rusqlite::Result<_>>()?,
        ));
    };
    let Some(tag_id) = conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([tag.as_str()], |row| row.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "{QUESTION} AND q.id IN (SELECT question_id FROM question_tags WHERE tag_id = ?1
                                   ORDER BY question_id DESC LIMIT ?2)
         ORDER BY q.id DESC"
    ))?;
    Ok(Some(
        stmt.query_map((tag_id, limit), question_entry)?
            .collect::<rusqlite::Result<_>>()?,
    ))
}

pub fn answers(
    conn: &Connection,
    id: QuestionId,
    limit: i64,
) -> rusqlite::Result<Option<(FeedEntry, Vec<FeedEntry>)>> {
    let Some(question) = conn
        .prepare_cached(&format!("{QUESTION} AND q.id = ?1"))?
        .query_row([id.0], question_entry)
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, u.username, a.created_at, a.modified_at,
                CASE WHEN a.hidden_at IS NULL THEN a.content_html ELSE '' END
         FROM answers a JOIN users u ON u.id = a.author_id
         WHERE a.question_id = ?1 AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT ?2",
    )?;
    let answers = stmt
        .query_map((id.0, limit), |row| {
            Ok(FeedEntry {
                question_id: id,
                answer_id: Some(AnswerId(row.get(0)?)),
                subject: question.subject.clone(),
                author: row.get(1)?,
                created_at: row.get(2)?,
                modified_at: row.get(3)?,
                content_html: row.get(4)?,
                tags: Tags::default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some((question, answers)))
}
