//! What the search index is fed from: the questions with their answers as documents, and the log of
//! questions changed since (`search_changes`, filled by triggers in the same transaction as each change, so
//! no write path can forget it). Ranking itself lives in `crate::search`, the same for every engine.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction, params};

use crate::domain::{
    ids::QuestionId,
    search::{IndexedQuestion, SearchChange, stems, words},
    tags::Tags,
};

/// Changed questions after `seq`, oldest first, at most `limit`.
pub fn changes_after(
    conn: &Connection,
    seq: i64,
    limit: usize,
) -> rusqlite::Result<Vec<SearchChange>> {
    conn.prepare_cached(
        "SELECT seq, question_id, text FROM search_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?
    .query_map(params![seq, limit as i64], |row| {
        Ok(SearchChange {
            seq: row.get(0)?,
            question: QuestionId(row.get(1)?),
            text: row.get(2)?,
        })
    })?
    .collect()
}

/// The oldest change still logged and the newest ever logged (0 when there never was one).
pub fn log_bounds(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    let newest: i64 = conn
        .prepare_cached(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'), 0)",
        )?
        .query_row([], |row| row.get(0))?;
    let oldest: i64 = conn
        .prepare_cached("SELECT coalesce(min(seq), ?1 + 1) FROM search_changes")?
        .query_row([newest], |row| row.get(0))?;
    Ok((oldest, newest))
}

/// Forgets changes up to `seq`.
pub fn forget_changes(tx: &Transaction, seq: i64) -> rusqlite::Result<usize> {
    tx.execute("DELETE FROM search_changes WHERE seq <= ?1", [seq])
}

/// The questions among `ids` that exist, as documents, in id order.
pub fn documents(conn: &Connection, ids: &[QuestionId]) -> rusqlite::Result<Vec<IndexedQuestion>> {
    let mut found = Vec::with_capacity(ids.len());
    let mut question = conn.prepare_cached(&format!("{QUESTION} AND q.id = ?1"))?;
    let mut answers =
        conn.prepare_cached(&format!("{ANSWERS} AND a.question_id = ?1 ORDER BY a.id"))?;
    let mut sorted: Vec<QuestionId> = ids.to_vec();
    sorted.sort_by_key(|id| id.0);
    sorted.dedup();
    for id in sorted {
        let mut rows = question.query_map([id.0], question_from_row)?;
        let Some(mut document) = rows.next().transpose()? else {
            continue;
        };
        for answer in answers.query_map([id.0], |row| Ok((row.get(1)?, row.get(2)?)))? {
            add_answer(&mut document, answer?);
        }
        found.push(document);
    }
    Ok(found)
}

/// Up to `limit` questions after `after`, in id order, with their answers: the whole board, a batch at a
/// time, for building the index afresh.
pub fn documents_after(
    conn: &Connection,
    after: QuestionId,
    limit: usize,
) -> rusqlite::Result<Vec<IndexedQuestion>> {
    let mut batch: Vec<IndexedQuestion> = conn
        .prepare_cached(&format!("{QUESTION} AND q.id > ?1 ORDER BY q.id LIMIT ?2"))?
        .query_map(params![after.0, limit as i64], question_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
        return Ok(batch);
    };
    let at: HashMap<i64, usize> = batch.iter().enumerate().map(|(n, q)| (q.id.0, n)).collect();
    let mut answers = conn.prepare_cached(&format!(
        "{ANSWERS} AND a.question_id BETWEEN ?1 AND ?2 ORDER BY a.question_id, a.id"
    ))?;
    let rows = answers.query_map(params![first.id.0, last.id.0], |row| {
        Ok((row.get::<_, i64>(0)?, (row.get(1)?, row.get(2)?)))
    })?;
    for row in rows {
        let (question, answer) = row?;
        if let Some(&n) = at.get(&question) {
            add_answer(&mut batch[n], answer);
        }
    }
    Ok(batch)
}

const QUESTION: &str = "SELECT q.id, q.subject, q.content, u.username, q.created_at, q.like_count,
        q.answer_count, q.tags FROM questions q JOIN users u ON u.id = q.author_id WHERE q.deleted_at IS NULL";

const ANSWERS: &str = "SELECT a.question_id, a.content, u.username FROM answers a JOIN users u ON u.id = a.author_id WHERE a.deleted_at IS NULL";

fn question_from_row(row: &rusqlite::Row) -> rusqlite::Result<IndexedQuestion> {
    Ok(IndexedQuestion {
        id: QuestionId(row.get(0)?),
        subject: row.get(1)?,
        body: row.get(2)?,
        answers: Vec::new(),
        authors: vec![row.get(3)?],
        created_at: row.get(4)?,
        like_count: row.get(5)?,
        answer_count: row.get(6)?,
        tags: Tags::stored(&row.get::<_, String>(7)?),
    })
}

fn add_answer(document: &mut IndexedQuestion, (content, author): (String, String)) {
    document.answers.push(content);
    if !document.authors.contains(&author) {
        document.authors.push(author);
    }
}

/// The Korean stems of a text as FTS5 held them, space-separated (migration 5, before the index moved out).
fn index_stems(text: &str) -> String {
    let mut all: Vec<&str> = words(text).flat_map(|(_, word)| stems(word)).collect();
    all.sort_unstable();
    all.dedup();
    all.join(" ")
}

/// Recomputes the Korean stems of every post that has any (migration 5: stems became linear in the text).
pub fn rebuild_stems(tx: &Transaction) -> rusqlite::Result<()> {
    let posts: Vec<(i64, String, String)> = tx
        .prepare(
            "SELECT rowid, subject, body FROM search_index
             WHERE subject_stems != '' OR body_stems != ''",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        tx.prepare("UPDATE search_index SET subject_stems = ?2, body_stems = ?3 WHERE rowid = ?1")?;
    for (rowid, subject, body) in posts {
        update.execute(params![rowid, index_stems(&subject), index_stems(&body)])?;
    }
    Ok(())
}
