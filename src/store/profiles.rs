//! The SQL of profiles and the list of users, the same on both engines (`?n` placeholders; PostgreSQL's
//! side numbers them `$n`). Each reads the counts kept on the user's row and one index in order.

use crate::domain::{
    moderation::Suspension,
    people::{PROFILE_TAGS, TOP_TAGS_OF},
    policy::Role,
};

/// Every user's counts and reputation made again from the board (after a copy, whose rows go in as they
/// are): the sums the triggers keep, over the posts not deleted.
pub const RECOUNT: &str = "UPDATE users SET
        question_count = (SELECT count(*) FROM questions q
                          WHERE q.author_id = users.id AND q.deleted_at IS NULL),
        answer_count = (SELECT count(*) FROM answers a WHERE a.author_id = users.id AND a.deleted_at IS NULL),
        accepted_count = (SELECT count(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
                          WHERE a.author_id = users.id AND q.author_id <> users.id AND q.deleted_at IS NULL),
        likes_received = (SELECT coalesce(sum(like_count), 0) FROM questions q
                          WHERE q.author_id = users.id AND q.deleted_at IS NULL)
                       + (SELECT coalesce(sum(like_count), 0) FROM answers a
                          WHERE a.author_id = users.id AND a.deleted_at IS NULL),
        reputation = 5 * (SELECT coalesce(sum(like_count), 0) FROM questions q
                          WHERE q.author_id = users.id AND q.deleted_at IS NULL)
                   + 10 * (SELECT coalesce(sum(like_count), 0) FROM answers a
                           WHERE a.author_id = users.id AND a.deleted_at IS NULL)
                   + 15 * (SELECT count(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
                           WHERE a.author_id = users.id AND q.author_id <> users.id
                             AND q.deleted_at IS NULL)";

/// A user by a typed name: its lookup key (`?1`), or the name lower-cased as typed (`?2`), which is the key
/// of an account older than the keys' normalisation and wins, as at log-in.
pub const PROFILE: &str =
    "SELECT id, username, created_at, reputation, question_count, answer_count,
            accepted_count, likes_received, role, suspended_until, suspension_reason
     FROM users WHERE username_key IN (?1, ?2) AND deleted_at IS NULL
     ORDER BY username_key = ?2 DESC LIMIT 1";

/// The tags of a user's newest questions, the most used first (`?1` the user): bounded, whoever asked a
/// hundred thousand.
pub fn top_tags() -> String {
    format!(
        "SELECT t.name, count(*) AS n
         FROM (SELECT id FROM questions WHERE author_id = ?1 AND deleted_at IS NULL
               ORDER BY id DESC LIMIT {TOP_TAGS_OF}) AS q
         JOIN question_tags qt ON qt.question_id = q.id JOIN tags t ON t.id = qt.tag_id
         GROUP BY t.id, t.name ORDER BY n DESC, t.id LIMIT {PROFILE_TAGS}"
    )
}

/// How many questions and answers a user wrote (`?1` the user).
pub const POST_COUNTS: &str = "SELECT question_count, answer_count FROM users WHERE id = ?1";

/// A page of a user's questions not deleted, newest first (`?1` the user, `?2` the page size, `?3` the
/// offset), from the author's index alone (it holds whether each is deleted).
pub const QUESTION_IDS: &str =
    "SELECT id FROM questions WHERE author_id = ?1 AND deleted_at IS NULL
     ORDER BY id DESC LIMIT ?2 OFFSET ?3";

/// A page of a user's answers, newest first, each with its question's subject and whether it is the
/// accepted one (`?1` the user, `?2` the page size, `?3` the offset). The page's ids come from the author's
/// index alone, so a deep page skips index entries, not joined rows.
pub const ANSWERS: &str = "SELECT a.id, a.question_id, q.subject, a.created_at, a.like_count,
            coalesce(q.accepted_answer_id = a.id, FALSE)
     FROM (SELECT id FROM answers WHERE author_id = ?1 AND deleted_at IS NULL
           ORDER BY id DESC LIMIT ?2 OFFSET ?3) AS page
     JOIN answers a ON a.id = page.id JOIN questions q ON q.id = a.question_id
     ORDER BY a.id DESC";

/// A user's deleted questions and answers, the newest deletions first (`?1` the user, `?2` how many), each
/// with its question, its subject and the deletion's columns (`deletion::columns`' order).
pub const DELETED_POSTS: &str = "SELECT * FROM (
         SELECT q.id AS question_id, CAST(NULL AS BIGINT) AS answer_id, q.subject, q.deleted_at,
                (SELECT d.username FROM users d WHERE d.id = q.deleted_by), q.deleted_by, FALSE
         FROM questions q WHERE q.author_id = ?1 AND q.deleted_at IS NOT NULL
         UNION ALL
         SELECT a.question_id, a.id, q.subject, a.deleted_at,
                (SELECT d.username FROM users d WHERE d.id = a.deleted_by), a.deleted_by,
                a.deleted_with_question = 1
         FROM answers a JOIN questions q ON q.id = a.question_id
         WHERE a.author_id = ?1 AND a.deleted_at IS NOT NULL
     ) AS deleted ORDER BY 4 DESC, 1 DESC, 2 DESC LIMIT ?2";

/// The filter of `/users` with nothing typed: every user (its value `?1` is the empty text).
pub const EVERYONE: &str = "CAST(?1 AS TEXT) = ''";

/// A page of users, the highest reputation first, among those `filter` keeps (`?1` its value, `?2` the
/// page size, `?3` the offset).
pub fn user_page(filter: &str) -> String {
    format!(
        "SELECT username, reputation, created_at, question_count, answer_count, role, suspended_until,
                suspension_reason
         FROM users
         WHERE {filter} AND deleted_at IS NULL ORDER BY reputation DESC, id LIMIT ?2 OFFSET ?3"
    )
}

/// How many users `filter` keeps (as [`user_page`] lists them: deleted accounts are not listed).
pub fn user_count(filter: &str) -> String {
    format!("SELECT count(*) FROM users WHERE {filter} AND deleted_at IS NULL")
}

/// A role and a suspension as a profile or the list of users reads them (columns `role`,
/// `suspended_until`, `suspension_reason`): a suspension that ended is none.
pub fn standing(role: &str, until: Option<i64>, reason: String) -> (Role, Option<Suspension>) {
    let now = crate::domain::now();
    (
        Role::stored(role),
        until
            .filter(|until| *until > now)
            .map(|until| Suspension { until, reason }),
    )
}
