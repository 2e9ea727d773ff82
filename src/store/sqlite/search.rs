//! The full-text index over every post. Row ids come from one sequence in posting order, so the newest
//! matches are a reverse walk of the index; each question and answer keeps its row id to change it later.

use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};

use rusqlite::{Connection, Transaction, params};

use super::Cached;
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
    /// The page's questions, best first (the caller reads their summaries).
    pub questions: Vec<QuestionId>,
}

/// The time the walk for matching posts may take: about twice a one-word search at a million questions.
/// Eight common words whose posts rarely meet made FTS5's own AND walk all eight lists (10-25 ms at
/// 100,000 questions, more as the board grows) inside one step that nothing can interrupt; walked a term
/// at a time here, every step returns a row, and past the budget the search ranks the matches found so
/// far (the newest ones) and says its results are capped.
const SEARCH_BUDGET: Duration = Duration::from_millis(2);
/// How many posts (times terms) the subject and author look-ups may cover: they run inside FTS5 and
/// cannot be interrupted, so their range is what bounds them (~0.5 ms each here). Older hits than that count
/// as matching in the body only.
const COLUMN_RANGE_UNITS: i64 = 16_000;
/// SQLite checks the clock every this many virtual machine steps (a few microseconds' work).
const PROGRESS_STEPS: i32 = 1_000;

/// Interrupts the connection's statements once `budget` has passed, until dropped.
struct Deadline<'a>(&'a Connection);

impl<'a> Deadline<'a> {
    fn start(conn: &'a Connection, budget: Duration) -> rusqlite::Result<Self> {
        let deadline = Instant::now() + budget;
        conn.progress_handler(PROGRESS_STEPS, Some(move || Instant::now() >= deadline))?;
        Ok(Self(conn))
    }
}

impl Drop for Deadline<'_> {
    fn drop(&mut self) {
        // The connection goes back to the pool: later statements must run to the end.
        let _ = self.0.progress_handler(0, None::<fn() -> bool>);
    }
}

/// The question of each post in `posts` (newest first), in the same order: from one walk of
/// `search_posts` over their range when they lie close together, else one look-up each.
fn questions_of(conn: &Connection, posts: &[i64]) -> rusqlite::Result<Vec<QuestionId>> {
    let (Some(&newest), Some(&oldest)) = (posts.first(), posts.last()) else {
        return Ok(Vec::new());
    };
    if newest - oldest < 4 * posts.len() as i64 {
        let mut walk = conn.prepare_cached(
            "SELECT post_rowid, question_id FROM search_posts
             WHERE post_rowid BETWEEN ?1 AND ?2 ORDER BY post_rowid DESC",
        )?;
        let mut rows = walk.query(params![oldest, newest])?;
        let mut found = Vec::with_capacity(posts.len());
        let mut wanted = posts.iter().peekable();
        while let (Some(row), Some(&&post)) = (rows.next()?, wanted.peek()) {
            if row.get::<_, i64>(0)? == post {
                found.push(QuestionId(row.get(1)?));
                wanted.next();
            }
        }
        if found.len() == posts.len() {
            return Ok(found);
        }
    }
    let mut look_up =
        conn.prepare_cached("SELECT question_id FROM search_posts WHERE post_rowid = ?1")?;
    posts
        .iter()
        .map(|post| look_up.query_row([post], |row| row.get(0)).map(QuestionId))
        .collect()
}

/// The newest posts (up to `limit`) that hold every one of `terms`: one cursor per term, newest first,
/// intersected here. `true` when the deadline stopped the walk.
fn newest_with_every_term(
    conn: &Connection,
    terms: &[String],
    limit: usize,
    into: &mut Vec<i64>,
) -> rusqlite::Result<bool> {
    const ONE_TERM: &str =
        "SELECT rowid FROM search_index WHERE search_index MATCH ?1 ORDER BY rowid DESC";
    if terms.len() == 1 {
        // FTS5 streams one term's matches itself, row by row.
        let mut statement = conn.prepare_cached(&format!("{ONE_TERM} LIMIT {limit}"))?;
        let mut rows = statement.query([&terms[0]])?;
        return next_rowids(&mut rows, usize::MAX, into);
    }
    // One cached statement per cursor: the cache keeps one statement per text, so each gets its own.
    let mut statements = (0..terms.len())
        .map(|cursor| conn.prepare_cached(&format!("{ONE_TERM} -- cursor {cursor}")))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut cursors = statements
        .iter_mut()
        .zip(terms)
        .map(|(statement, term)| statement.query([term]))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut heads = Vec::with_capacity(cursors.len());
    for cursor in &mut cursors {
        match step(cursor) {
            Step::Row(rowid) => heads.push(rowid),
            Step::End => return Ok(false),
            Step::Interrupted => return Ok(true),
            Step::Failed(err) => return Err(err),
        }
    }
    while into.len() < limit {
        let lowest = heads.iter().copied().min().unwrap_or_default();
        let all_meet = heads.iter().all(|head| *head == lowest);
        if all_meet {
            into.push(lowest);
        }
        for (head, cursor) in heads.iter_mut().zip(&mut cursors) {
            // Newest first: every cursor ahead of the lowest moves on; when all met, all move on.
            while *head > lowest || (all_meet && *head == lowest) {
                match step(cursor) {
                    Step::Row(rowid) => *head = rowid,
                    Step::End => return Ok(false),
                    Step::Interrupted => return Ok(true),
                    Step::Failed(err) => return Err(err),
                }
            }
        }
    }
    Ok(false)
}

enum Step {
    Row(i64),
    End,
    Interrupted,
    Failed(rusqlite::Error),
}

fn step(rows: &mut rusqlite::Rows<'_>) -> Step {
    match rows.next() {
        Ok(Some(row)) => match row.get(0) {
            Ok(rowid) => Step::Row(rowid),
            Err(err) => Step::Failed(err),
        },
        Ok(None) => Step::End,
        Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => {
            Step::Interrupted
        }
        Err(err) => Step::Failed(err),
    }
}

/// Up to `limit` row ids from `rows` into `into`; `true` if the deadline interrupted them.
fn next_rowids(
    rows: &mut rusqlite::Rows<'_>,
    limit: usize,
    into: &mut Vec<i64>,
) -> rusqlite::Result<bool> {
    for _ in 0..limit {
        match step(rows) {
            Step::Row(rowid) => into.push(rowid),
            Step::End => return Ok(false),
            Step::Interrupted => return Ok(true),
            Step::Failed(err) => return Err(err),
        }
    }
    Ok(false)
}

/// A question among the matches: how well, how often and how recently it matched.
struct Ranked {
    question: QuestionId,
    weight: u8,
    posts: i64,
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
    let (ranked, capped) = rank(conn, query, sort)?;
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
        capped,
        page: page_number,
        questions: ids,
    })
}

/// Every question with a post among the newest [`SEARCH_WINDOW`] matching posts (or as many as the budget
/// found), in `sort` order; `true` when more may match than were looked at.
fn rank(
    conn: &Connection,
    query: &SearchQuery,
    sort: ListSort,
) -> rusqlite::Result<(Vec<QuestionId>, bool)> {
    let terms = query.quoted_terms();
    let any_term = terms.join(" OR ");
    let mut hits = Vec::new();
    let mut in_subject = Vec::new();
    let mut in_author = Vec::new();
    let capped = {
        let _deadline = Deadline::start(conn, SEARCH_BUDGET)?;
        let stopped = newest_with_every_term(conn, &terms, SEARCH_WINDOW as usize, &mut hits)?;
        stopped || hits.len() as i64 >= SEARCH_WINDOW
    };
    // Where the hits matched: the same words in the subject or the author's name, over the newest part of
    // the hits' range. (In rowid order: FTS5 stops a descending walk at a lower bound only after reading
    // far more.)
    if let (Some(&newest), Some(&oldest)) = (hits.first(), hits.last()) {
        let from = oldest.max(newest - COLUMN_RANGE_UNITS / terms.len() as i64);
        let in_column =
            "SELECT rowid FROM search_index WHERE search_index MATCH ?1 AND rowid >= ?2";
        for (columns, into) in [
            ("{subject subject_stems}", &mut in_subject),
            ("{author}", &mut in_author),
        ] {
            let mut statement = conn.prepare_cached(in_column)?;
            let mut rows = statement.query(params![format!("{columns} : ({any_term})"), from])?;
            next_rowids(&mut rows, usize::MAX, into)?;
        }
    }
    let in_subject: HashSet<i64> = in_subject.into_iter().collect();
    let in_author: HashSet<i64> = in_author.into_iter().collect();

    let questions = questions_of(conn, &hits)?;
    let mut by_question: HashMap<QuestionId, usize> = HashMap::new();
    let mut ranked: Vec<Ranked> = Vec::new();
    for (post, question) in hits.iter().zip(questions) {
        let weight =
            u8::from(in_subject.contains(post)) * 4 + u8::from(in_author.contains(post)) * 2;
        let at = *by_question.entry(question).or_insert_with(|| {
            ranked.push(Ranked {
                question,
                weight: 0,
                posts: 0,
            });
            ranked.len() - 1
        });
        ranked[at].weight = ranked[at].weight.max(weight);
        ranked[at].posts += 1;
    }
    match sort {
        ListSort::Recent => ranked.sort_by(|a, b| {
            (b.weight, b.posts, b.question.0).cmp(&(a.weight, a.posts, a.question.0))
        }),
        ListSort::Likes | ListSort::Answers => {
            let column = if sort == ListSort::Likes {
                "SELECT like_count FROM questions WHERE id = ?1"
            } else {
                "SELECT answer_count FROM questions WHERE id = ?1"
            };
            let mut counter = conn.prepare_cached(column)?;
            let mut keyed = Vec::with_capacity(ranked.len());
            for entry in ranked {
                let count: i64 = counter.query_row([entry.question.0], |row| row.get(0))?;
                keyed.push((count, entry.question));
            }
            keyed.sort_by_key(|(count, id)| std::cmp::Reverse((*count, id.0)));
            return Ok((keyed.into_iter().map(|(_, id)| id).collect(), capped));
        }
    }
    Ok((
        ranked.into_iter().map(|entry| entry.question).collect(),
        capped,
    ))
}
