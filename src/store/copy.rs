//! Copies a whole board from one database to another, SQLite or PostgreSQL either way: every table the board
//! keeps, ids and counters as they are, in batches in each table's key order. Both engines hold the same
//! tables and columns, so the statements are written once here; each engine only runs them.

use super::{Store, StoreError, StoreResult, postgres};
use crate::config::Database;

/// How a column's values are bound and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    NullableInt,
    Text,
}

/// One table as the copy sees it.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key, which orders the batches.
    pub key: &'static [&'static str],
    /// Rows left behind (`None`: every row).
    pub only: Option<&'static str>,
    /// What a row the target has already becomes (`None`: a clash is an error).
    pub on_conflict: Option<&'static str>,
    /// `Some(what)`: the rows exist in the target already, and the columns after the key are set on them
    /// (a reference to a table copied later: a question's accepted answer). `what` names them in reports.
    pub sets: Option<&'static str>,
}

/// A value of a copied row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

pub type Row = Vec<Value>;

use Kind::{Int, NullableInt, Text};

/// Every table of the board, each after the tables it refers to. What the engines derive from these (rank
/// counts, the search log, the question total) is made again by the target itself.
pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            ("id", Int),
            ("username", Text),
            ("username_key", Text),
            ("username_skeleton", Text),
            ("email", Text),
            ("email_key", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("locale", Text),
            ("mail_kinds", Text),
            ("mail_digest", Int),
            ("digest_after", Int),
            ("digest_sent_at", Int),
            ("deleted_at", NullableInt),
            ("role", Text),
            ("suspended_until", NullableInt),
            ("suspension_reason", Text),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "settings",
        columns: &[("name", Text), ("value", Text)],
        key: &["name"],
        // The search index's epoch names the database an index was built from: the target is another.
        only: Some("name <> 'search_epoch'"),
        // A server started on the target once generated a key of its own: the board's replaces it.
        on_conflict: Some("(name) DO UPDATE SET value = excluded.value"),
        sets: None,
    },
    Table {
        name: "sessions",
        columns: &[
            ("id", Text),
            ("entries", Text),
            ("expires_at", Int),
            ("created_at", Int),
            ("user_id", NullableInt),
            ("user_agent", Text),
            ("address", Text),
            ("last_seen_at", Int),
            ("ended_at", NullableInt),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "questions",
        columns: &[
            ("id", Int),
            ("author_id", Int),
            ("subject", Text),
            ("content", Text),
            ("content_html", Text),
            ("created_at", Int),
            ("modified_at", NullableInt),
            ("answer_count", Int),
            ("like_count", Int),
            ("comment_count", Int),
            ("view_count", Int),
            ("tags", Text),
            ("closed_at", NullableInt),
            ("closed_reason", Text),
            ("closed_note", Text),
            ("duplicate_of", NullableInt),
            ("closed_by", NullableInt),
            ("edited_by", NullableInt),
            ("hidden_at", NullableInt),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "answers",
        columns: &[
            ("id", Int),
            ("question_id", Int),
            ("author_id", Int),
            ("content", Text),
            ("content_html", Text),
            ("created_at", Int),
            ("modified_at", NullableInt),
            ("like_count", Int),
            ("comment_count", Int),
            ("edited_by", NullableInt),
            ("hidden_at", NullableInt),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "comments",
        columns: &[
            ("id", Int),
            ("question_id", Int),
            ("answer_id", NullableInt),
            ("author_id", Int),
            ("content", Text),
            ("content_html", Text),
            ("created_at", Int),
            ("modified_at", NullableInt),
            ("edited_by", NullableInt),
            ("hidden_at", NullableInt),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "revisions",
        columns: &[
            ("id", Int),
            ("question_id", NullableInt),
            ("answer_id", NullableInt),
            ("comment_id", NullableInt),
            ("number", Int),
            ("editor_id", Int),
            ("created_at", Int),
            ("summary", Text),
            ("rolled_back_to", NullableInt),
            ("subject", Text),
            ("content", Text),
            ("tags", Text),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "flags",
        columns: &[
            ("id", Int),
            ("question_id", NullableInt),
            ("answer_id", NullableInt),
            ("comment_id", NullableInt),
            ("user_id", Int),
            ("reason", Text),
            ("note", Text),
            ("created_at", Int),
            ("resolved_at", NullableInt),
            ("resolution", Text),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    // The accepted answers, once the answers are in (the questions went in without them).
    Table {
        name: "questions",
        columns: &[("id", Int), ("accepted_answer_id", Int)],
        key: &["id"],
        only: Some("accepted_answer_id IS NOT NULL"),
        on_conflict: None,
        sets: Some("accepted answers"),
    },
    // Deleted posts go in as posts, then are marked: the target's triggers take them out of its counts as
    // a delete does (answers first, while their questions still count).
    Table {
        name: "answers",
        columns: &[
            ("id", Int),
            ("deleted_at", NullableInt),
            ("deleted_by", NullableInt),
            ("deleted_with_question", Int),
        ],
        key: &["id"],
        only: Some("deleted_at IS NOT NULL"),
        on_conflict: None,
        sets: Some("deleted answers"),
    },
    Table {
        name: "questions",
        columns: &[
            ("id", Int),
            ("deleted_at", NullableInt),
            ("deleted_by", NullableInt),
        ],
        key: &["id"],
        only: Some("deleted_at IS NOT NULL"),
        on_conflict: None,
        sets: Some("deleted questions"),
    },
    Table {
        name: "question_likes",
        columns: &[("question_id", Int), ("user_id", Int)],
        key: &["question_id", "user_id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "answer_likes",
        columns: &[("answer_id", Int), ("user_id", Int)],
        key: &["answer_id", "user_id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "tags",
        columns: &[("id", Int), ("name", Text), ("question_count", Int)],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    // With the questions' counts as they are after the answers, likes and accepted marks above.
    Table {
        name: "question_tags",
        columns: &[
            ("tag_id", Int),
            ("question_id", Int),
            ("like_count", Int),
            ("answer_count", Int),
            ("accepted", Int),
        ],
        key: &["tag_id", "question_id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "question_follows",
        columns: &[("question_id", Int), ("user_id", Int), ("created_at", Int)],
        key: &["question_id", "user_id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "tag_follows",
        columns: &[("tag_id", Int), ("user_id", Int), ("created_at", Int)],
        key: &["tag_id", "user_id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    // Their users' unread counts follow, moved by the target's triggers as they go in.
    Table {
        name: "notifications",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("kind", Text),
            ("question_id", Int),
            ("answer_id", NullableInt),
            ("comment_id", NullableInt),
            ("actor_id", Int),
            ("created_at", Int),
            ("read", Int),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "notification_jobs",
        columns: &[
            ("id", Int),
            ("question_id", Int),
            ("answer_id", NullableInt),
            ("actor_id", Int),
            ("after_user", Int),
            ("created_at", Int),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    // Verified addresses once the notifications are in: the target's trigger mails a notification to a
    // verified address as it goes in, and these were mailed (or queued, below) on the source already.
    Table {
        name: "users",
        columns: &[("id", Int), ("email_verified", Int)],
        key: &["id"],
        only: Some("email_verified <> 0"),
        on_conflict: None,
        sets: Some("verified addresses"),
    },
    Table {
        name: "account_links",
        columns: &[
            ("token_hash", Text),
            ("user_id", Int),
            ("purpose", Text),
            ("email", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        key: &["token_hash"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "signup_links",
        columns: &[
            ("token_hash", Text),
            ("username", Text),
            ("email", Text),
            ("password_hash", Text),
            ("locale", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        key: &["token_hash"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "mail_queue",
        columns: &[
            ("id", Int),
            ("user_id", NullableInt),
            ("recipient", Text),
            ("locale", Text),
            ("message", Text),
            ("created_at", Int),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("last_error", Text),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "api_tokens",
        columns: &[
            ("id", Int),
            ("user_id", Int),
            ("name", Text),
            ("scope", Text),
            ("token_hash", Text),
            ("created_at", Int),
            ("expires_at", NullableInt),
            ("last_used_at", NullableInt),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
    Table {
        name: "moderation_log",
        columns: &[
            ("id", Int),
            ("at", Int),
            ("actor_id", NullableInt),
            ("action", Text),
            ("question_id", NullableInt),
            ("user_id", NullableInt),
            ("target", Text),
            ("detail", Text),
        ],
        key: &["id"],
        only: None,
        on_conflict: None,
        sets: None,
    },
];

/// Each counter the board keeps, as a query of how far it is from the rows it counts (0: exact).
pub const COUNTER_CHECKS: &[(&str, &str)] = &[
    (
        "questions' answer counts (their answers not deleted)",
        "SELECT count(*) FROM questions q WHERE answer_count <>
             (SELECT count(*) FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL)",
    ),
    (
        "questions' like counts",
        "SELECT count(*) FROM questions q
         WHERE like_count <> (SELECT count(*) FROM question_likes l WHERE l.question_id = q.id)",
    ),
    (
        "answers' like counts",
        "SELECT count(*) FROM answers a
         WHERE like_count <> (SELECT count(*) FROM answer_likes l WHERE l.answer_id = a.id)",
    ),
    (
        "questions' accepted answers (each one of the question's own)",
        "SELECT count(*) FROM questions q
         WHERE accepted_answer_id IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM answers a WHERE a.id = q.accepted_answer_id AND a.question_id = q.id)",
    ),
    (
        "questions' comment counts",
        "SELECT count(*) FROM questions q WHERE comment_count <>
             (SELECT count(*) FROM comments c WHERE c.question_id = q.id AND c.answer_id IS NULL)",
    ),
    (
        "answers' comment counts",
        "SELECT count(*) FROM answers a
         WHERE comment_count <> (SELECT count(*) FROM comments c WHERE c.answer_id = a.id)",
    ),
    (
        "comments' questions (an answer's comment under the answer's question)",
        "SELECT count(*) FROM comments c JOIN answers a ON a.id = c.answer_id
         WHERE a.question_id <> c.question_id",
    ),
    (
        "tags' question counts (and no tag without a question)",
        "SELECT count(*) FROM tags t WHERE question_count <= 0
             OR question_count <> (SELECT count(*) FROM question_tags qt WHERE qt.tag_id = t.id)",
    ),
    (
        "questions' tag names (one link for each, none while the question is deleted)",
        "SELECT count(*) FROM questions q
         WHERE (CASE WHEN q.tags = '' OR q.deleted_at IS NOT NULL THEN 0
                     ELSE length(q.tags) - length(replace(q.tags, ' ', '')) + 1 END)
               <> (SELECT count(*) FROM question_tags qt WHERE qt.question_id = q.id)",
    ),
    (
        "tag links' copies of their questions' counts",
        "SELECT count(*) FROM question_tags qt JOIN questions q ON q.id = qt.question_id
         WHERE qt.like_count <> q.like_count OR qt.answer_count <> q.answer_count
            OR qt.accepted <> CASE WHEN q.accepted_answer_id IS NULL THEN 0 ELSE 1 END",
    ),
    (
        "big tags' rank counts (every tag of 1,000 questions counted, each count what its links say)",
        "WITH counted AS (
             SELECT tag_id, 0 AS sort, 0 AS score, question_id >> 13 AS block FROM question_tags
             WHERE tag_id IN (SELECT id FROM tags WHERE counted = 1)
             UNION ALL SELECT tag_id, 1, like_count, question_id >> 13 FROM question_tags
             WHERE tag_id IN (SELECT id FROM tags WHERE counted = 1)
             UNION ALL SELECT tag_id, 2, answer_count, question_id >> 13 FROM question_tags
             WHERE tag_id IN (SELECT id FROM tags WHERE counted = 1)
             UNION ALL SELECT tag_id, 3, accepted, question_id >> 13 FROM question_tags
             WHERE tag_id IN (SELECT id FROM tags WHERE counted = 1)),
         blocks AS (SELECT tag_id, sort, score, block, count(*) AS n FROM counted
                    GROUP BY tag_id, sort, score, block),
         scores AS (SELECT tag_id, sort, score, count(*) AS n FROM counted GROUP BY tag_id, sort, score)
         SELECT (SELECT count(*) FROM tags WHERE question_count >= 1000 AND counted = 0)
              + (SELECT count(*) FROM (SELECT * FROM blocks
                     EXCEPT SELECT tag_id, sort, score, block, n FROM tag_rank_blocks WHERE n > 0) AS missing)
              + (SELECT count(*) FROM (SELECT tag_id, sort, score, block, n FROM tag_rank_blocks WHERE n <> 0
                     EXCEPT SELECT * FROM blocks) AS extra)
              + (SELECT count(*) FROM (SELECT * FROM scores
                     EXCEPT SELECT tag_id, sort, score, n FROM tag_rank_scores WHERE n > 0) AS missing)
              + (SELECT count(*) FROM (SELECT tag_id, sort, score, n FROM tag_rank_scores WHERE n <> 0
                     EXCEPT SELECT * FROM scores) AS extra)",
    ),
    (
        "users' counts and reputation (each what their posts not deleted, likes and accepted answers add \
         up to)",
        "SELECT count(*) FROM users u WHERE
             question_count <> (SELECT count(*) FROM questions q
                                WHERE q.author_id = u.id AND q.deleted_at IS NULL)
          OR answer_count <> (SELECT count(*) FROM answers a WHERE a.author_id = u.id AND a.deleted_at IS NULL)
          OR accepted_count <> (SELECT count(*) FROM questions q JOIN answers a ON a.id = q.accepted_answer_id
                                WHERE a.author_id = u.id AND q.author_id <> u.id AND q.deleted_at IS NULL)
          OR likes_received <> (SELECT coalesce(sum(like_count), 0) FROM questions q
                                WHERE q.author_id = u.id AND q.deleted_at IS NULL)
                             + (SELECT coalesce(sum(like_count), 0) FROM answers a
                                WHERE a.author_id = u.id AND a.deleted_at IS NULL)
          OR reputation <> 5 * (SELECT coalesce(sum(like_count), 0) FROM questions q
                                WHERE q.author_id = u.id AND q.deleted_at IS NULL)
                         + 10 * (SELECT coalesce(sum(like_count), 0) FROM answers a
                                 WHERE a.author_id = u.id AND a.deleted_at IS NULL)
                         + 15 * accepted_count",
    ),
    (
        "users' unread notification counts",
        "SELECT count(*) FROM users u WHERE unread_notifications <>
             (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read = 0)",
    ),
    (
        "the question total (the questions not deleted)",
        "SELECT (SELECT value FROM board_totals WHERE name = 'questions')
              - (SELECT count(*) FROM questions WHERE deleted_at IS NULL)",
    ),
];

/// The setting a copy leaves in its target while it runs: a copy killed half-way leaves it behind, and then
/// no server starts on the half-copied board and the next copy empties it first.
pub const COPY_UNDER_WAY: &str = "copy_under_way";

/// Whether a copy into `database` began and never finished.
pub async fn interrupted(database: &Store) -> StoreResult<bool> {
    let marked = database
        .copy_number(format!(
            "SELECT count(*) FROM settings WHERE name = '{COPY_UNDER_WAY}'"
        ))
        .await?;
    Ok(marked > 0)
}

/// Rows between two progress lines in the log.
const PROGRESS_EVERY: usize = 100_000;

/// Rows per batch: a transaction of the target each.
const BATCH: usize = 2_000;
/// How long a copy waits for the connections of a server just stopped to go: checks, and the time
/// between them.
const LEAVING_CHECKS: usize = 30;
const LEAVING_CHECKED_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

impl Table {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rows after `after` (the key of the last row read), in key order; `placeholder(n)` writes the
    /// engine's n-th parameter (1-based).
    pub fn select_after(&self, after: bool, placeholder: impl Fn(usize) -> String) -> String {
        let key = self.key.join(", ");
        let mut conditions: Vec<String> = self.only.iter().map(|only| only.to_string()).collect();
        if after {
            let marks: Vec<String> = (1..=self.key.len()).map(&placeholder).collect();
            conditions.push(format!("({key}) > ({})", marks.join(", ")));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        format!(
            "SELECT {} FROM {}{filter} ORDER BY {key} LIMIT {BATCH}",
            self.column_list(),
            self.name
        )
    }

    /// What reports call the table's rows.
    pub fn label(&self) -> &'static str {
        self.sets.unwrap_or(self.name)
    }

    /// The statement that writes one row: an insert, or for a table that `sets`, an update of the row by
    /// its key.
    pub fn write(&self, placeholder: impl Fn(usize) -> String) -> String {
        if self.sets.is_none() {
            return self.insert(placeholder);
        }
        let set: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| !self.key.contains(name))
            .map(|(at, (name, _))| format!("{name} = {}", placeholder(at + 1)))
            .collect();
        let matched: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| self.key.contains(name))
            .map(|(at, (name, _))| format!("{name} = {}", placeholder(at + 1)))
            .collect();
        format!(
            "UPDATE {} SET {} WHERE {}",
            self.name,
            set.join(", "),
            matched.join(" AND ")
        )
    }

    /// One row in.
    pub fn insert(&self, placeholder: impl Fn(usize) -> String) -> String {
        let marks: Vec<String> = (1..=self.columns.len()).map(placeholder).collect();
        let on_conflict = self
            .on_conflict
            .map(|what| format!(" ON CONFLICT {what}"))
            .unwrap_or_default();
        format!(
            "INSERT INTO {} ({}) VALUES ({}){on_conflict}",
            self.name,
            self.column_list(),
            marks.join(", ")
        )
    }

    /// The key of `row`, for the next batch.
    fn key_of(&self, row: &Row) -> Row {
        self.key
            .iter()
            .filter_map(|key| {
                let at = self.columns.iter().position(|(name, _)| name == key)?;
                row.get(at).cloned()
            })
            .collect()
    }

    /// How many rows the copy takes.
    pub fn count(&self) -> String {
        let filter = self
            .only
            .map(|only| format!(" WHERE {only}"))
            .unwrap_or_default();
        format!("SELECT count(*) FROM {}{filter}", self.name)
    }
}

/// What a copy moved, table by table.
#[derive(Debug)]
pub struct Copied {
    pub tables: Vec<(&'static str, i64)>,
}

/// Every table's rows, batch by batch; a failure names the table and the batch's first key.
async fn copy_tables(from: &Store, to: &Store) -> StoreResult<()> {
    for table in TABLES {
        let mut after: Option<Row> = None;
        let mut copied = 0usize;
        loop {
            let rows = from.copy_rows_out(table, after.clone()).await?;
            let Some(last) = rows.last() else {
                break;
            };
            let first = table.key_of(&rows[0]);
            after = Some(table.key_of(last));
            let full = rows.len() == BATCH;
            let batch = rows.len();
            to.copy_rows_in(table, rows).await.map_err(|err| {
                StoreError::Refused(format!(
                    "copying {} (rows from key {first:?}): {err}",
                    table.label()
                ))
            })?;
            // A large board takes minutes: the log says how far it is.
            if (copied + batch) / PROGRESS_EVERY > copied / PROGRESS_EVERY {
                tracing::info!(table = table.label(), rows = copied + batch, "copying");
            }
            copied += batch;
            if !full {
                break;
            }
        }
        tracing::info!(table = table.label(), rows = copied, "copied");
    }
    to.copy_finish().await
}

/// Copies the board in `from` into `to`, which must hold no board yet; then checks that every table has as
/// many rows on both sides and that the target's counters count its rows.
pub async fn copy(from: &Store, to: &Store) -> StoreResult<Copied> {
    if interrupted(to).await? {
        // What a killed copy left: ours to empty.
        tracing::warn!("a copy into this database did not finish; emptying what it left");
        to.copy_clear().await?;
    }
    for table in TABLES.iter().filter(|table| table.only.is_none()) {
        let held = to.copy_number(table.count()).await?;
        if held > 0 {
            return Err(StoreError::Refused(format!(
                "the target holds a board already ({held} rows in {}): copy into an empty database",
                table.name
            )));
        }
    }
    to.setting_or_insert(COPY_UNDER_WAY, "copying".to_owned())
        .await?;
    match copy_and_check(from, to).await {
        Ok(tables) => Ok(Copied { tables }),
        Err(err) => {
            // Nothing half-copied or wrong stays behind: the target is as empty as it was, and a retry
            // can begin.
            to.copy_clear().await?;
            Err(err)
        }
    }
}

/// Refuses `database` while other miniboard processes use it (after waiting a moment for a server just
/// stopped to go), before it is opened: a server writing to the source would leave its writes out of the
/// copy, one serving the target would show a board half-copied. A SQLite file's lock refuses them
/// where it is opened; a PostgreSQL database is not locked, so its connections tell.
pub async fn refuse_while_served(side: &str, database: &Database) -> StoreResult<()> {
    let Database::Postgres(url) = database else {
        return Ok(());
    };
    let mut servers = postgres::other_processes_at(url).await?;
    for _ in 0..LEAVING_CHECKS {
        if servers == 0 {
            return Ok(());
        }
        tokio::time::sleep(LEAVING_CHECKED_EVERY).await;
        servers = postgres::other_processes_at(url).await?;
    }
    match servers {
        0 => Ok(()),
        _ => Err(served(side, servers)),
    }
}

fn served(side: &str, servers: i64) -> StoreError {
    StoreError::Refused(format!(
        "a running miniboard holds {side} (other miniboard processes connected to it: {servers}, \
         see pg_stat_activity); stop every server of the board first"
    ))
}

/// Copies every table, then checks what arrived.
async fn copy_and_check(from: &Store, to: &Store) -> StoreResult<Vec<(&'static str, i64)>> {
    copy_tables(from, to).await?;
    // A server started during the copy may have written what it missed.
    for (side, database) in [("the source", from), ("the target", to)] {
        let servers = database.other_processes().await?;
        if servers > 0 {
            return Err(served(side, servers));
        }
    }
    let mut tables = Vec::with_capacity(TABLES.len());
    // Settings the target made itself may stay beside the board's.
    for table in TABLES.iter().filter(|table| table.on_conflict.is_none()) {
        let (source, target) = (
            from.copy_number(table.count()).await?,
            to.copy_number(table.count()).await?,
        );
        if source != target {
            return Err(StoreError::Refused(format!(
                "{}: {source} rows in the source, {target} in the target",
                table.label()
            )));
        }
        tables.push((table.label(), target));
    }
    for (counter, sql) in COUNTER_CHECKS {
        let drift = to.copy_number(sql.to_string()).await?;
        if drift != 0 {
            return Err(StoreError::Refused(format!(
                "{counter} in the target are off by {drift}"
            )));
        }
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_page_by_key_and_leave_out_what_the_target_makes_itself() {
        let likes = TABLES
            .iter()
            .find(|table| table.name == "question_likes")
            .expect("likes");
        assert_eq!(
            likes.select_after(true, |n| format!("${n}")),
            "SELECT question_id, user_id FROM question_likes WHERE (question_id, user_id) > ($1, $2) \
             ORDER BY question_id, user_id LIMIT 2000"
        );
        let settings = TABLES
            .iter()
            .find(|table| table.name == "settings")
            .expect("settings");
        assert_eq!(
            settings.select_after(false, |n| format!("?{n}")),
            "SELECT name, value FROM settings WHERE name <> 'search_epoch' ORDER BY name LIMIT 2000"
        );
        assert_eq!(
            settings.insert(|n| format!("?{n}")),
            "INSERT INTO settings (name, value) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        );
        let row = vec![Value::Int(4), Value::Int(9)];
        assert_eq!(likes.key_of(&row), row);
    }
}
