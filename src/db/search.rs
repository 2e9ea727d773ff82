//! The full-text index over every post. Row ids come from one sequence in posting order, so the newest
//! matches are a reverse walk of the index; each question and answer keeps its row id to change it later.

use rusqlite::{Connection, Transaction, params};

use super::{
    Cached,
    questions::{self, QuestionSummary},
};
use crate::domain::board::{ListSort, PAGE_SIZE, QuestionId, SearchQuery, clamp_page, index_stems};

/// Search looks at the newest this many matching posts. A word in half of a million posts would otherwise
/// mean visiting half a million rows for every search; a rarer word is searched in full.
pub const SEARCH_WINDOW: i64 = 1_000;

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
    tx.run(
        "INSERT INTO search_index (rowid, subject, subject_stems, body, body_stems, author, question_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            rowid,
            doc.subject,
            index_stems(doc.subject),
            doc.body,
            index_stems(doc.body),
            doc.author,
            doc.question.0
        ],
    )?;
    tx.run(
        "INSERT INTO search_posts (post_rowid, question_id) VALUES (?1, ?2)",
        params![rowid, doc.question.0],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction, rowid: i64) -> rusqlite::Result<()> {
    tx.run("DELETE FROM search_index WHERE rowid = ?1", [rowid])?;
    tx.run("DELETE FROM search_posts WHERE post_rowid = ?1", [rowid])?;
    Ok(())
}

/// Removes the question's row and its answers' rows (call before the answers are deleted).
pub fn remove_question(tx: &Transaction, id: QuestionId) -> rusqlite::Result<()> {
    for table in ["search_index WHERE rowid", "search_posts WHERE post_rowid"] {
        tx.run(
            &format!(
                "DELETE FROM {table} IN (
                     SELECT search_rowid FROM questions WHERE id = ?1
                     UNION ALL SELECT search_rowid FROM answers WHERE question_id = ?1)"
            ),
            [id.0],
        )?;
    }
    Ok(())
}

/// A page of search results.
pub struct SearchPage {
    /// Questions among the newest matching posts.
    pub total: i64,
    /// More posts match than the window holds.
    pub capped: bool,
    pub page: i64,
    pub questions: Vec<QuestionSummary>,
}

/// One page of the questions matching `query`, clamped to the pages that exist.
///
/// Relevance: a hit in a question's subject counts most, then in an author's name, then anywhere in the
/// question or its answers; among equals, more matching posts first, then newest. (FTS5's bm25 needs each
/// term's document count, a walk of the term's whole doclist: 20 ms for a common word at a million posts.)
/// The other sorts order the matching questions by their counters.
///
/// Everything here reads the index and `search_posts`, never a post's text: where a word matched comes
/// from the same query limited to the subject or author columns, over the window's rowids.
pub fn page(
    conn: &Connection,
    query: &SearchQuery,
    sort: ListSort,
    requested_page: i64,
) -> rusqlite::Result<SearchPage> {
    // Relevance needs nothing from `questions`; the counter sorts join it.
    let (from, order) = match sort {
        ListSort::Recent => (
            "best",
            "best.weight DESC, best.posts DESC, best.question_id DESC",
        ),
        ListSort::Likes => (
            "best JOIN questions q ON q.id = best.question_id",
            "q.like_count DESC, q.id DESC",
        ),
        ListSort::Answers => (
            "best JOIN questions q ON q.id = best.question_id",
            "q.answer_count DESC, q.id DESC",
        ),
    };
    let sql = format!(
        "WITH hits AS MATERIALIZED (
             SELECT rowid AS post FROM search_index WHERE search_index MATCH ?1
             ORDER BY rowid DESC LIMIT ?2
         ),
         in_subject AS MATERIALIZED (
             SELECT rowid AS post FROM search_index
             WHERE search_index MATCH ?3 AND rowid >= (SELECT min(post) FROM hits)
         ),
         in_author AS MATERIALIZED (
             SELECT rowid AS post FROM search_index
             WHERE search_index MATCH ?4 AND rowid >= (SELECT min(post) FROM hits)
         ),
         best AS (
             SELECT p.question_id,
                    max((hits.post IN in_subject) * 4 + (hits.post IN in_author) * 2) AS weight,
                    count(*) AS posts
             FROM hits JOIN search_posts p ON p.post_rowid = hits.post
             GROUP BY p.question_id
         )
         SELECT best.question_id, best.posts FROM {from} ORDER BY {order}"
    );
    let any_term = query.fts_any_term();
    let in_subject = format!("{{subject subject_stems}} : ({any_term})");
    let in_author = format!("{{author}} : ({any_term})");
    // Every matching post in the window belongs to one ranked question: their posts add up to the window.
    let mut window = 0;
    let ranked = conn
        .prepare_cached(&sql)?
        .query_map(
            params![query.fts_match(), SEARCH_WINDOW, in_subject, in_author],
            |row| Ok((QuestionId(row.get(0)?), row.get::<_, i64>(1)?)),
        )?
        .map(|row| {
            row.map(|(id, posts)| {
                window += posts;
                id
            })
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = ranked.len() as i64;
    let page_number = clamp_page(requested_page, total);
    let start = ((page_number - 1) * PAGE_SIZE) as usize;
    let ids: Vec<QuestionId> = ranked
        .into_iter()
        .skip(start)
        .take(PAGE_SIZE as usize)
        .collect();
    Ok(SearchPage {
        total,
        capped: window >= SEARCH_WINDOW,
        page: page_number,
        questions: questions::summaries(conn, &ids)?,
    })
}
