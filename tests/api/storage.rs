//! The one place the tests look under the app: what a test needs to see or set in storage that no page
//! shows (rows left behind, a session's clock, a change made behind the server's back), each written once
//! per engine. Test modules speak of sessions, likes and posts; only this file knows tables.

use std::{
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
};

use miniboard::config::{Database, PostgresUrl};
use rusqlite::Connection;
use tokio_postgres::{NoTls, Row, types::ToSql};

/// The engine the tests run on: `MINIBOARD_TEST_ENGINE` (`sqlite`, the default, or `postgres`), with its data
/// at (or named after) `db_path`. On PostgreSQL, `MINIBOARD_TEST_POSTGRES` is a URL with `{db}` where the
/// database name goes (scripts/test.sh starts a private cluster and sets it); the database is created the
/// first time a path asks for it, so a restarted server finds its data again.
pub fn test_database(db_path: &Path) -> Database {
    match std::env::var("MINIBOARD_TEST_ENGINE").as_deref() {
        Err(_) | Ok("" | "sqlite") => Database::Sqlite(db_path.to_owned()),
        Ok("postgres") => {
            let template = std::env::var("MINIBOARD_TEST_POSTGRES")
                .expect("MINIBOARD_TEST_POSTGRES: a URL with {db}, set by scripts/test.sh");
            let mut hasher = std::hash::DefaultHasher::new();
            db_path.hash(&mut hasher);
            let name = format!("board_{:016x}", hasher.finish());
            let admin = template.replace("{db}", "postgres");
            let exists = !pg_rows(
                &admin,
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[Value::Text(name.clone())],
            )
            .is_empty();
            if !exists {
                pg_rows(&admin, &format!("CREATE DATABASE {name}"), &[]);
            }
            Database::Postgres(PostgresUrl::new(template.replace("{db}", &name)))
        }
        Ok(other) => panic!("MINIBOARD_TEST_ENGINE={other}: no such engine (sqlite, postgres)"),
    }
}

/// A value bound to a statement on either engine.
#[derive(Clone)]
enum Value {
    Int(i64),
    Text(String),
}

/// Runs one statement on a connection of its own, on a thread of its own: the tests call this from async
/// and plain code alike, and a runtime cannot block inside another.
fn pg_rows(url: &str, sql: &str, values: &[Value]) -> Vec<Row> {
    let (url, sql, values) = (url.to_owned(), sql.to_owned(), values.to_vec());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(async move {
                let (client, connection) = tokio_postgres::connect(&url, NoTls)
                    .await
                    .expect("connect to the test cluster");
                tokio::spawn(connection);
                let params: Vec<&(dyn ToSql + Sync)> = values
                    .iter()
                    .map(|value| -> &(dyn ToSql + Sync) {
                        match value {
                            Value::Int(n) => n,
                            Value::Text(text) => text,
                        }
                    })
                    .collect();
                let statement = sql.trim_start().to_ascii_uppercase();
                let reads = statement.starts_with("SELECT") || statement.starts_with("WITH");
                if params.is_empty() && !reads {
                    // The simple protocol: CREATE DATABASE runs outside a transaction block.
                    client.batch_execute(&sql).await.expect(&sql);
                    return Vec::new();
                }
                client.query(&sql, &params).await.expect(&sql)
            })
    })
    .join()
    .expect("the statement's thread")
}

/// Rows a test counts: whatever the app should have added or left behind.
#[derive(Clone, Copy, Debug)]
pub enum Rows {
    Sessions,
    Answers,
    QuestionLikes,
    AnswerLikes,
    /// The question counter the list's total reads.
    QuestionTotal,
}

/// A look into one app's storage.
pub struct Probe {
    engine: Engine,
}

enum Engine {
    Sqlite(PathBuf),
    Postgres(String),
}

/// "Now" in Unix seconds, as each engine says it.
const NOW_SQLITE: &str = "strftime('%s','now')";
const NOW_POSTGRES: &str = "extract(epoch from now())::bigint";

impl Probe {
    pub fn of(database: &Database) -> Self {
        match database {
            Database::Sqlite(path) => Self {
                engine: Engine::Sqlite(path.clone()),
            },
            Database::Postgres(url) => Self {
                engine: Engine::Postgres(url.as_str().to_owned()),
            },
        }
    }

    fn sqlite(path: &Path) -> Connection {
        let conn = Connection::open(path).expect("open the database");
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        conn
    }

    /// Runs `sql` (placeholders `?1`, `?2`, ... and `{now}`) with `values`; the rows' first columns.
    fn rows(&self, sql: &str, values: &[Value]) -> Vec<Option<String>> {
        match &self.engine {
            Engine::Sqlite(path) => {
                let sql = sql.replace("{now}", NOW_SQLITE);
                let conn = Self::sqlite(path);
                let mut statement = conn.prepare(&sql).expect(&sql);
                let params: Vec<Box<dyn rusqlite::ToSql>> = values
                    .iter()
                    .map(|value| -> Box<dyn rusqlite::ToSql> {
                        match value {
                            Value::Int(n) => Box::new(*n),
                            Value::Text(text) => Box::new(text.clone()),
                        }
                    })
                    .collect();
                let mut rows = statement
                    .query(rusqlite::params_from_iter(params.iter()))
                    .expect(&sql);
                let mut found = Vec::new();
                while let Some(row) = rows.next().expect(&sql) {
                    let value: rusqlite::types::Value = row.get(0).expect("a column");
                    found.push(match value {
                        rusqlite::types::Value::Null => None,
                        rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                        rusqlite::types::Value::Text(text) => Some(text),
                        other => Some(format!("{other:?}")),
                    });
                }
                found
            }
            Engine::Postgres(url) => {
                let mut sql = sql.replace("{now}", NOW_POSTGRES);
                for n in (1..=values.len()).rev() {
                    sql = sql.replace(&format!("?{n}"), &format!("${n}"));
                }
                pg_rows(url, &sql, values)
                    .iter()
                    .map(|row| {
                        if let Ok(number) = row.try_get::<_, Option<i64>>(0) {
                            number.map(|n| n.to_string())
                        } else if let Ok(number) = row.try_get::<_, Option<i32>>(0) {
                            number.map(|n| n.to_string())
                        } else {
                            row.try_get::<_, Option<String>>(0)
                                .expect("a text or number")
                        }
                    })
                    .collect()
            }
        }
    }

    fn number(&self, sql: &str) -> i64 {
        self.rows(sql, &[])
            .first()
            .cloned()
            .flatten()
            .and_then(|text| text.parse().ok())
            .expect(sql)
    }

    fn change(&self, sql: &str, values: &[Value]) {
        self.rows(sql, values);
    }

    /// Connections to this database that are encrypted, as the server sees them (PostgreSQL only).
    pub fn encrypted_connections(&self) -> i64 {
        self.number(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
             WHERE ssl AND datname = current_database()",
        )
    }

    /// Log-in attempts kept in the shared table; `None` where the engine counts them in memory (SQLite).
    pub fn login_attempt_rows(&self) -> Option<i64> {
        match self.engine {
            Engine::Sqlite(_) => None,
            Engine::Postgres(_) => Some(self.number("SELECT count(*) FROM login_attempts")),
        }
    }

    /// Moves every kept log-in attempt `seconds` into the past.
    pub fn login_attempts_made_ago(&self, seconds: i64) {
        if let Engine::Postgres(_) = self.engine {
            self.change(
                "UPDATE login_attempts SET at_us = at_us - ?1::BIGINT * 1000000",
                &[Value::Int(seconds)],
            );
        }
    }

    pub fn count(&self, rows: Rows) -> i64 {
        self.number(match rows {
            Rows::Sessions => "SELECT count(*) FROM sessions",
            Rows::Answers => "SELECT count(*) FROM answers",
            Rows::QuestionLikes => "SELECT count(*) FROM question_likes",
            Rows::AnswerLikes => "SELECT count(*) FROM answer_likes",
            Rows::QuestionTotal => "SELECT value FROM board_totals WHERE name = 'questions'",
        })
    }

    /// The keys of the sessions that are not ended (an ended one stays as a tombstone until it would have
    /// lapsed).
    pub fn session_keys(&self) -> Vec<String> {
        self.rows("SELECT id FROM sessions WHERE ended_at IS NULL", &[])
            .into_iter()
            .flatten()
            .collect()
    }

    /// Makes every session look as if its log-in was `seconds` ago.
    pub fn sessions_began_ago(&self, seconds: i64) {
        self.change(
            "UPDATE sessions SET created_at = {now} - ?1",
            &[Value::Int(seconds)],
        );
    }

    /// Makes every session lapse `seconds` from now (negative: lapsed already).
    pub fn sessions_lapse_in(&self, seconds: i64) {
        self.change(
            "UPDATE sessions SET expires_at = {now} + ?1",
            &[Value::Int(seconds)],
        );
    }

    /// Seconds until the (one) session lapses.
    pub fn session_seconds_left(&self) -> i64 {
        self.number("SELECT expires_at - {now} FROM sessions")
    }

    /// Dates every account's sign-up at `unix_seconds`.
    pub fn accounts_created_at(&self, unix_seconds: i64) {
        self.change(
            "UPDATE users SET created_at = ?1",
            &[Value::Int(unix_seconds)],
        );
    }

    /// Changes a subject behind the server's back: another process writing, which this server's page cache
    /// cannot have seen.
    pub fn rename_question_elsewhere(&self, question: i64, subject: &str) {
        self.change(
            "UPDATE questions SET subject = ?2 WHERE id = ?1",
            &[Value::Int(question), Value::Text(subject.to_owned())],
        );
    }

    /// The ids of ten questions from `offset` in a sort's order, read the plain (slow) way.
    pub fn plain_page(&self, order: &str, offset: i64) -> Vec<i64> {
        self.rows(
            &format!("SELECT id FROM questions ORDER BY {order} LIMIT 10 OFFSET ?1"),
            &[Value::Int(offset)],
        )
        .into_iter()
        .flatten()
        .filter_map(|id| id.parse().ok())
        .collect()
    }

    /// Deletes every seventh question with an id from `from` to `to` behind the server's back, keeping the
    /// list's total right.
    pub fn delete_questions_between(&self, from: i64, to: i64) {
        self.change(
            "DELETE FROM questions WHERE id % 7 = 0 AND id BETWEEN ?1 AND ?2",
            &[Value::Int(from), Value::Int(to)],
        );
        self.change(
            "UPDATE board_totals SET value = (SELECT count(*) FROM questions) WHERE name = 'questions'",
            &[],
        );
    }

    /// Gives the questions with ids from `from` to `to` like and answer counts spread over several values
    /// (two in three with no answer), behind the server's back.
    pub fn set_counts(&self, from: i64, to: i64) {
        self.change(
            "UPDATE questions SET like_count = id % 7,
                 answer_count = CASE WHEN id % 3 = 0 THEN id % 5 ELSE 0 END
             WHERE id BETWEEN ?1 AND ?2",
            &[Value::Int(from), Value::Int(to)],
        );
    }

    /// Gives every question the tag `name` too, behind the server's back, as a direct write would: the
    /// links first, then the tag's count (which starts its rank counts when it reaches 1,000).
    pub fn tag_every_question(&self, name: &str) {
        let name = Value::Text(name.to_owned());
        self.change(
            "INSERT INTO tags (name, question_count) VALUES (?1, 0)",
            std::slice::from_ref(&name),
        );
        self.change(
            "INSERT INTO question_tags (tag_id, question_id, like_count, answer_count, accepted)
             SELECT t.id, q.id, q.like_count, q.answer_count,
                    CASE WHEN q.accepted_answer_id IS NULL THEN 0 ELSE 1 END
             FROM questions q, tags t WHERE t.name = ?1",
            std::slice::from_ref(&name),
        );
        self.change(
            "UPDATE questions SET tags = CASE WHEN tags = '' THEN ?1 ELSE tags || ' ' || ?1 END",
            std::slice::from_ref(&name),
        );
        self.recount_tags();
    }

    /// Sets every tag's question count to its links, behind the server's back (after questions were
    /// deleted behind it).
    pub fn recount_tags(&self) {
        self.change(
            "UPDATE tags SET question_count = (SELECT count(*) FROM question_tags qt WHERE qt.tag_id = tags.id)",
            &[],
        );
        self.change("DELETE FROM tags WHERE question_count = 0", &[]);
    }

    /// The one text `sql` returns.
    pub fn text_of(&self, sql: &str) -> String {
        self.rows(sql, &[]).into_iter().next().flatten().expect(sql)
    }

    /// Runs a statement behind the server's back.
    pub fn change_sql(&self, sql: &str) {
        self.change(sql, &[]);
    }

    /// The texts of the first column of the rows `sql` returns, in order.
    pub fn texts_of(&self, sql: &str) -> Vec<String> {
        self.rows(sql, &[]).into_iter().flatten().collect()
    }

    /// Makes every one-use link lapse `seconds` from now (negative: lapsed already).
    pub fn links_lapse_in(&self, seconds: i64) {
        self.change(
            "UPDATE account_links SET expires_at = {now} + ?1",
            &[Value::Int(seconds)],
        );
    }

    /// Dates every account's last digest `seconds` ago (a day ago: the next is due).
    pub fn digests_sent_ago(&self, seconds: i64) {
        self.change(
            "UPDATE users SET digest_sent_at = {now} - ?1",
            &[Value::Int(seconds)],
        );
    }

    /// Makes every queued mail due now (its back-off over).
    pub fn mail_due_now(&self) {
        self.change("UPDATE mail_queue SET next_attempt_at = {now}", &[]);
    }

    /// Dates every queued mail `seconds` ago.
    pub fn mail_queued_ago(&self, seconds: i64) {
        self.change(
            "UPDATE mail_queue SET created_at = {now} - ?1",
            &[Value::Int(seconds)],
        );
    }

    /// The one number `sql` returns.
    pub fn number_of(&self, sql: &str) -> i64 {
        self.number(sql)
    }

    /// The numbers of the first column of the rows `sql` returns, in order.
    pub fn number_list(&self, sql: &str) -> Vec<i64> {
        self.rows(sql, &[])
            .into_iter()
            .flatten()
            .filter_map(|n| n.parse().ok())
            .collect()
    }

    /// Gives a question (with no answers) another id, as if many had been asked before it.
    /// Its asker's follow moves with it.
    pub fn renumber_question(&self, from: i64, to: i64) {
        let ids = [Value::Int(from), Value::Int(to)];
        self.change(
            "DELETE FROM question_follows WHERE question_id = ?1",
            &ids[..1],
        );
        self.change("UPDATE questions SET id = ?2 WHERE id = ?1", &ids);
        self.change(
            "INSERT INTO question_follows (question_id, user_id, created_at)
             SELECT id, author_id, created_at FROM questions WHERE id = ?1",
            &ids[1..],
        );
    }

    /// Sets a question's view count as it is.
    pub fn set_views(&self, question: i64, views: i64) {
        self.change(
            "UPDATE questions SET view_count = ?2 WHERE id = ?1",
            &[Value::Int(question), Value::Int(views)],
        );
    }

    /// Makes every viewer counted so far counted `seconds` earlier.
    pub fn viewers_counted_ago(&self, seconds: i64) {
        self.change(
            "UPDATE question_viewers SET counted_at = counted_at - ?1",
            &[Value::Int(seconds)],
        );
    }

    /// The page of questions matching `condition` at `offset`, newest first, as a plain OFFSET gives it.
    pub fn plain_region_page(&self, condition: &str, offset: i64) -> Vec<i64> {
        self.rows(
            &format!(
                "SELECT id FROM questions WHERE {condition} ORDER BY id DESC LIMIT 10 OFFSET ?1"
            ),
            &[Value::Int(offset)],
        )
        .into_iter()
        .flatten()
        .filter_map(|id| id.parse().ok())
        .collect()
    }

    /// How many questions match `condition`.
    pub fn questions_where(&self, condition: &str) -> i64 {
        self.number(&format!("SELECT count(*) FROM questions WHERE {condition}"))
    }

    /// How many rows `table` holds.
    pub fn rows_in(&self, table: &str) -> i64 {
        self.number(&format!("SELECT count(*) FROM {table}"))
    }

    /// The newest questions' ids, newest first.
    pub fn newest_questions(&self, how_many: i64) -> Vec<i64> {
        self.plain_page("id DESC", 0)
            .into_iter()
            .take(how_many as usize)
            .collect()
    }

    /// Every account's name, oldest first.
    pub fn usernames(&self) -> Vec<String> {
        self.rows("SELECT username FROM users ORDER BY id", &[])
            .into_iter()
            .flatten()
            .collect()
    }

    /// What a copy killed half-way leaves: its mark, and some of the board.
    pub fn leave_a_killed_copy(&self) {
        self.change(
            "INSERT INTO settings (name, value) VALUES ('copy_under_way', 'copying')",
            &[],
        );
        self.change(
            "INSERT INTO users (id, username, username_key, username_skeleton, email, email_key,
                                password_hash, created_at)
             VALUES (1, 'half', 'half', 'half', 'half@example.com', 'half@example.com', 'x', 0)",
            &[],
        );
    }

    /// Makes `how_many` accounts (`fan1`, `fan2`, ...) behind the server's back, each following the tag
    /// `tag`: a crowd no test signs up one by one.
    pub fn fans_of_tag(&self, tag: &str, how_many: i64) {
        self.change(
            &format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {how_many})
                 INSERT INTO users (username, username_key, username_skeleton, email, email_key,
                                    password_hash, created_at)
                 SELECT 'fan' || i, 'fan' || i, 'fan' || i, 'fan' || i || '@example.com',
                        'fan' || i || '@example.com', 'no password', 0 FROM n"
            ),
            &[],
        );
        self.change(
            "INSERT INTO tag_follows (tag_id, user_id, created_at)
             SELECT t.id, u.id, 0 FROM tags t, users u WHERE t.name = ?1 AND u.username LIKE 'fan%'",
            &[Value::Text(tag.to_owned())],
        );
    }

    /// An account's id.
    pub fn user_id(&self, username: &str) -> i64 {
        self.rows(
            "SELECT id FROM users WHERE username = ?1",
            &[Value::Text(username.to_owned())],
        )
        .first()
        .cloned()
        .flatten()
        .and_then(|id| id.parse().ok())
        .expect("a user")
    }

    /// SQLite's own check of the file (`ok` when sound); `None` on PostgreSQL, which has no file of ours
    /// to check (its recovery replays its own log).
    pub fn integrity_check(&self) -> Option<String> {
        match &self.engine {
            Engine::Sqlite(_) => self
                .rows("PRAGMA integrity_check", &[])
                .first()
                .cloned()
                .flatten(),
            Engine::Postgres(_) => None,
        }
    }

    pub fn answer_exists(&self, answer: i64) -> bool {
        !self
            .rows("SELECT 1 FROM answers WHERE id = ?1", &[Value::Int(answer)])
            .is_empty()
    }

    pub fn answer_liked_by(&self, answer: i64, user: i64) -> bool {
        !self
            .rows(
                "SELECT 1 FROM answer_likes WHERE answer_id = ?1 AND user_id = ?2",
                &[Value::Int(answer), Value::Int(user)],
            )
            .is_empty()
    }

    /// Each counter the board keeps, with how far it is from the rows it counts (0: exact).
    pub fn counter_drift(&self) -> Vec<(&'static str, i64)> {
        [
            (
                "answer counters",
                "SELECT count(*) FROM questions q WHERE answer_count !=
                     (SELECT count(*) FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL)",
            ),
            (
                "answer like counters",
                "SELECT count(*) FROM answers a
                 WHERE like_count != (SELECT count(*) FROM answer_likes l WHERE l.answer_id = a.id)",
            ),
            (
                "question like counters",
                "SELECT count(*) FROM questions q
                 WHERE like_count != (SELECT count(*) FROM question_likes l WHERE l.question_id = q.id)",
            ),
            (
                "question comment counters",
                "SELECT count(*) FROM questions q WHERE comment_count !=
                     (SELECT count(*) FROM comments c WHERE c.question_id = q.id AND c.answer_id IS NULL)",
            ),
            (
                "answer comment counters",
                "SELECT count(*) FROM answers a
                 WHERE comment_count != (SELECT count(*) FROM comments c WHERE c.answer_id = a.id)",
            ),
            (
                "question total",
                "SELECT (SELECT value FROM board_totals WHERE name = 'questions')
                      - (SELECT count(*) FROM questions WHERE deleted_at IS NULL)",
            ),
            (
                "accepted marks on an answer of another question",
                "SELECT count(*) FROM questions q WHERE accepted_answer_id IS NOT NULL AND NOT EXISTS
                     (SELECT 1 FROM answers a WHERE a.id = q.accepted_answer_id AND a.question_id = q.id)",
            ),
            (
                "questions counted without an accepted answer",
                "SELECT coalesce((SELECT n FROM question_rank_scores WHERE sort = 3 AND score = 0), 0)
                      - (SELECT count(*) FROM questions
                         WHERE accepted_answer_id IS NULL AND deleted_at IS NULL)",
            ),
            (
                "questions counted without an answer",
                "SELECT coalesce((SELECT n FROM question_rank_scores WHERE sort = 2 AND score = 0), 0)
                      - (SELECT count(*) FROM questions WHERE answer_count = 0 AND deleted_at IS NULL)",
            ),
        ]
        .into_iter()
        // What people's profiles count, as the copy checks it.
        .chain(
            miniboard::store::copy::COUNTER_CHECKS
                .iter()
                .copied()
                .filter(|(counter, _)| counter.starts_with("users'")),
        )
        .map(|(counter, sql)| (counter, self.number(sql)))
        .collect()
    }

    /// Breaks storage under a running server: the accounts are gone.
    pub fn break_accounts(&self) {
        match &self.engine {
            Engine::Sqlite(path) => Self::sqlite(path)
                .execute_batch("DROP TABLE users")
                .expect("drop the accounts"),
            Engine::Postgres(url) => {
                pg_rows(url, "DROP TABLE users CASCADE", &[]);
            }
        }
    }

    /// Bytes the stored data takes, with nothing pending in a log, and the search index beside it.
    pub fn stored_bytes(&self, search_dir: &Path) -> u64 {
        let stored = match &self.engine {
            Engine::Sqlite(path) => {
                Self::sqlite(path)
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    .expect("checkpoint");
                bytes_under(path)
            }
            Engine::Postgres(_) => {
                self.number("SELECT pg_database_size(current_database())") as u64
            }
        };
        stored + bytes_under(search_dir)
    }
}

/// The size of a file, or of every file in a folder.
fn bytes_under(path: &Path) -> u64 {
    match std::fs::read_dir(path) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| bytes_under(&entry.path()))
            .sum(),
        Err(_) => std::fs::metadata(path).map_or(0, |m| m.len()),
    }
}
