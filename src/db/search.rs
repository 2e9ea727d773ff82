//! The full-text index over every post. Row ids come from one sequence in posting order, so the newest
//! matches are a reverse walk of the index; each question and answer keeps its row id to change it later.

use rusqlite::{Connection, Transaction, params};

use super::{
    Cached,
    questions::{self, QuestionSummary},
};
use crate::domain::board::{ListSort, PAGE_SIZE, QuestionId, SearchQuery, clamp_page, index_stems};

/// Ranking looks at the newest this many matching posts: a word in half of a million posts would
/// otherwise mean scoring half a million rows for every search. A rarer word is ranked in full.
pub const SEARCH_WINDOW: i64 = 2_000;

/// A post's searchable text.
pub struct Document<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    pub author: &'a str,
    pub question: QuestionId,
}

/// The next row id, for a new post.
pub fn next_rowid(tx: &Transaction) -> rusqlite::Result<i64> {
    tx.one(
        "UPDATE board_totals SET value = value + 1 WHERE name = 'search_rowid' RETURNING value",
        [],
        |row| row.get(0),
    )
}

/// Writes (or rewrites) the post's row.
pub fn put(tx: &Transaction, rowid: i64, doc: &Document) -> rusqlite::Result<()> {
    remove(tx, rowid)?;
    let stems = index_stems(&[doc.subject, doc.body]);
    tx.run(
        "INSERT INTO search_index (rowid, subject, body, author, stems, question_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rowid,
            doc.subject,
            doc.body,
            doc.author,
            stems,
            doc.question.0
        ],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction, rowid: i64) -> rusqlite::Result<()> {
    tx.run("DELETE FROM search_index WHERE rowid = ?1", [rowid])?;
    Ok(())
}

/// Removes the question's row and its answers' rows (call before the answers are deleted).
pub fn remove_question(tx: &Transaction, id: QuestionId) -> rusqlite::Result<()> {
    tx.run(
        "DELETE FROM search_index WHERE rowid IN (
             SELECT search_rowid FROM questions WHERE id = ?1
             UNION ALL SELECT search_rowid FROM answers WHERE question_id = ?1)",
        [id.0],
    )?;
    Ok(())
}

/// A page of search results.
pub struct SearchPage {
    /// Questions among the newest matching posts.
    pub total: i64,
    /// More posts match than the window ranks.
    pub capped: bool,
    pub page: i64,
    pub questions: Vec<QuestionSummary>,
}

/// One page of the questions matching `query`, clamped to the pages that exist. `Recent` (the default
/// tab) ranks by relevance, a subject hit counting most, then newest first; the other sorts order the
/// matches by their counters.
pub fn page(
    conn: &Connection,
    query: &SearchQuery,
    sort: ListSort,
    requested_page: i64,
) -> rusqlite::Result<SearchPage> {
    let pattern = query.fts_match();
    let (total, window): (i64, i64) = conn.one(
        "SELECT count(DISTINCT question_id), count(*) FROM (
             SELECT question_id FROM search_index WHERE search_index MATCH ?1
             ORDER BY rowid DESC LIMIT ?2)",
        params![pattern, SEARCH_WINDOW],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let page_number = clamp_page(requested_page, total);
    let order = match sort {
        ListSort::Recent => "best, q.id DESC",
        ListSort::Likes => "q.like_count DESC, q.id DESC",
        ListSort::Answers => "q.answer_count DESC, q.id DESC",
    };
    // bm25() cannot run inside an aggregate: score the window's posts first, then take a question's best.
    let sql = format!(
        "WITH hits AS MATERIALIZED (
             SELECT question_id, bm25(search_index, 4.0, 1.0, 2.0, 1.0) AS score
             FROM search_index WHERE search_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2
         ),
         best AS (SELECT question_id, min(score) AS best FROM hits GROUP BY question_id)
         SELECT q.id FROM best JOIN questions q ON q.id = best.question_id
         ORDER BY {order} LIMIT ?3 OFFSET ?4"
    );
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(
            params![
                pattern,
                SEARCH_WINDOW,
                PAGE_SIZE,
                (page_number - 1) * PAGE_SIZE
            ],
            |row| Ok(QuestionId(row.get(0)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SearchPage {
        total,
        capped: window >= SEARCH_WINDOW,
        page: page_number,
        questions: questions::summaries(conn, &ids)?,
    })
}
