//! The full-text index over every post. A question's row id is `2 × id`, an answer's `2 × id + 1`, so each
//! post's row is found directly when it changes.

use super::Cached;
use rusqlite::{Connection, Transaction, params};

use super::questions::{self, QuestionSummary};
use crate::domain::board::{AnswerId, ListSort, PAGE_SIZE, QuestionId, SearchQuery, clamp_page};

fn question_row(id: QuestionId) -> i64 {
    id.0 * 2
}

fn answer_row(id: AnswerId) -> i64 {
    id.0 * 2 + 1
}

fn put(
    tx: &Transaction,
    rowid: i64,
    subject: &str,
    body: &str,
    author: &str,
    question: QuestionId,
) -> rusqlite::Result<()> {
    tx.run("DELETE FROM search_index WHERE rowid = ?1", [rowid])?;
    tx.run(
        "INSERT INTO search_index (rowid, subject, body, author, question_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![rowid, subject, body, author, question.0],
    )?;
    Ok(())
}

pub fn index_question(
    tx: &Transaction,
    id: QuestionId,
    subject: &str,
    body: &str,
    author: &str,
) -> rusqlite::Result<()> {
    put(tx, question_row(id), subject, body, author, id)
}

pub fn index_answer(
    tx: &Transaction,
    id: AnswerId,
    question: QuestionId,
    body: &str,
    author: &str,
) -> rusqlite::Result<()> {
    put(tx, answer_row(id), "", body, author, question)
}

pub fn remove_answer(tx: &Transaction, id: AnswerId) -> rusqlite::Result<()> {
    tx.run(
        "DELETE FROM search_index WHERE rowid = ?1",
        [answer_row(id)],
    )?;
    Ok(())
}

/// Removes the question's row and its answers' rows (call before the answers are deleted).
pub fn remove_question(tx: &Transaction, id: QuestionId) -> rusqlite::Result<()> {
    tx.run(
        "DELETE FROM search_index WHERE rowid = ?1
            OR rowid IN (SELECT id * 2 + 1 FROM answers WHERE question_id = ?2)",
        params![question_row(id), id.0],
    )?;
    Ok(())
}

/// One page of the questions matching `query`, clamped to the pages that exist: (total, page, questions).
/// `Recent` (the default tab) ranks by relevance, a subject hit counting most, then newest first; the other
/// sorts order the matches by their counters.
pub fn page(
    conn: &Connection,
    query: &SearchQuery,
    sort: ListSort,
    requested_page: i64,
) -> rusqlite::Result<(i64, i64, Vec<QuestionSummary>)> {
    let pattern = query.fts_match();
    let total: i64 = conn
        .prepare_cached(
            "SELECT count(DISTINCT question_id) FROM search_index WHERE search_index MATCH ?1",
        )?
        .query_row([&pattern], |row| row.get(0))?;
    let page_number = clamp_page(requested_page, total);
    let sql = match sort {
        ListSort::Recent => {
            // bm25() cannot run inside an aggregate: score each post first, then take a question's best.
            "WITH hits AS MATERIALIZED (
                 SELECT question_id, bm25(search_index, 4.0, 1.0, 2.0) AS score
                 FROM search_index WHERE search_index MATCH ?1
             )
             SELECT question_id, min(score) AS best FROM hits
             GROUP BY question_id ORDER BY best, question_id DESC LIMIT ?2 OFFSET ?3"
        }
        ListSort::Likes => {
            "SELECT id FROM questions
             WHERE id IN (SELECT question_id FROM search_index WHERE search_index MATCH ?1)
             ORDER BY like_count DESC, id DESC LIMIT ?2 OFFSET ?3"
        }
        ListSort::Answers => {
            "SELECT id FROM questions
             WHERE id IN (SELECT question_id FROM search_index WHERE search_index MATCH ?1)
             ORDER BY answer_count DESC, id DESC LIMIT ?2 OFFSET ?3"
        }
    };
    let ids = conn
        .prepare_cached(sql)?
        .query_map(
            params![pattern, PAGE_SIZE, (page_number - 1) * PAGE_SIZE],
            |row| Ok(QuestionId(row.get(0)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((total, page_number, questions::summaries(conn, &ids)?))
}
