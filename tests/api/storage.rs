//! The one place the tests look under the app: what a test needs to see or set in storage that no page
//! shows (rows left behind, a session's clock, a change made behind the server's back), each written once
//! per engine. Test modules speak of sessions, likes and posts; only this file knows tables.

use std::path::{Path, PathBuf};

use miniboard::config::Database;
use rusqlite::{Connection, params};

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
}

impl Probe {
    pub fn of(database: &Database) -> Self {
        match database {
            Database::Sqlite(path) => Self {
                engine: Engine::Sqlite(path.clone()),
            },
        }
    }

    fn sqlite(&self) -> Connection {
        match &self.engine {
            Engine::Sqlite(path) => {
                let conn = Connection::open(path).expect("open the database");
                conn.busy_timeout(std::time::Duration::from_secs(10))
                    .expect("busy timeout");
                conn
            }
        }
    }

    fn number(&self, sql: &str) -> i64 {
        self.sqlite()
            .query_row(sql, [], |row| row.get(0))
            .expect(sql)
    }

    fn change(&self, sql: &str, values: impl rusqlite::Params) {
        self.sqlite().execute(sql, values).expect(sql);
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

    /// The keys sessions are stored under.
    pub fn session_keys(&self) -> Vec<String> {
        let conn = self.sqlite();
        let mut statement = conn.prepare("SELECT id FROM sessions").expect("prepare");
        statement
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// Makes every session look as if its log-in was `seconds` ago.
    pub fn sessions_began_ago(&self, seconds: i64) {
        self.change(
            "UPDATE sessions SET created_at = strftime('%s','now') - ?1",
            [seconds],
        );
    }

    /// Makes every session lapse `seconds` from now (negative: lapsed already).
    pub fn sessions_lapse_in(&self, seconds: i64) {
        self.change(
            "UPDATE sessions SET expires_at = strftime('%s','now') + ?1",
            [seconds],
        );
    }

    /// Seconds until the (one) session lapses.
    pub fn session_seconds_left(&self) -> i64 {
        self.number("SELECT expires_at - strftime('%s','now') FROM sessions")
    }

    /// Dates every account's sign-up at `unix_seconds`.
    pub fn accounts_created_at(&self, unix_seconds: i64) {
        self.change("UPDATE users SET created_at = ?1", [unix_seconds]);
    }

    /// Changes a subject behind the server's back: another process writing, which this server's page cache
    /// cannot have seen.
    pub fn rename_question_elsewhere(&self, question: i64, subject: &str) {
        self.change(
            "UPDATE questions SET subject = ?2 WHERE id = ?1",
            params![question, subject],
        );
    }

    /// Breaks storage under a running server: the accounts are gone.
    pub fn break_accounts(&self) {
        self.sqlite()
            .execute_batch("DROP TABLE users")
            .expect("drop the accounts");
    }

    /// Bytes the stored data takes, with nothing pending in a log, and the search index beside it.
    pub fn stored_bytes(&self) -> u64 {
        match &self.engine {
            Engine::Sqlite(path) => {
                self.sqlite()
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    .expect("checkpoint");
                let database = Database::Sqlite(path.clone());
                bytes_under(path) + bytes_under(&database.search_dir())
            }
        }
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
