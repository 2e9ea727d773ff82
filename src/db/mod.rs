//! Storage: an r2d2 pool of SQLite connections, with every call moved off the async executor.
//!
//! Writers are serialised inside the process and open `BEGIN IMMEDIATE` transactions, so concurrent writers
//! queue instead of meeting "database is locked"; the busy timeout covers other processes (backups, the CLI).

pub mod answers;
pub mod backup;
pub mod likes;
pub mod migrations;
pub mod questions;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod users;

use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use r2d2_sqlite::SqliteConnectionManager;

use crate::domain::{
    ids::UserId,
    policy::{self, Action, Actor, Denied, PostRef},
};
use rusqlite::{Connection, Transaction, TransactionBehavior, config::DbConfig};

/// A storage failure: never the user's fault, so it becomes a 500 with the details in the log.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("storage task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("migration: {0}")]
    Migration(String),
    /// An operator command that cannot go ahead (a backup target exists, a server holds the file, ...).
    #[error("{0}")]
    Refused(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// Connections in the pool: on two cores more only add page caches (2 MB each), not throughput.
pub const POOL_SIZE: u32 = 4;

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The handle every part of the app shares; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<SqliteConnectionManager>,
    writer: Arc<Mutex<()>>,
    /// Counts committed write transactions: whatever was read before it last moved may be out of date.
    generation: Arc<AtomicU64>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> DbResult<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|err| {
                DbError::Migration(format!("cannot create {}: {err}", parent.display()))
            })?;
        }
        // WAL is a property of the file: set it once, before the pool opens its connections.
        let mut first = Connection::open(path)?;
        first.busy_timeout(BUSY_TIMEOUT)?;
        first.pragma_update(None, "journal_mode", "WAL")?;
        let applied = migrations::run(&mut first)?;
        if !applied.is_empty() {
            tracing::info!(?applied, path = %path.display(), "migrated the database schema");
        }
        drop(first);

        let manager = SqliteConnectionManager::file(path).with_init(|conn| {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.set_prepared_statement_cache_capacity(64);
            // Plans that do not look at bound values: otherwise every statement with a `LIMIT ?` is parsed
            // again each time it runs (a rebound value expires it), which cost more than the query itself.
            conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
            conn.execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -2000;",
            )
        });
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            // A pooled connection to a local file does not go stale; the check-out ping cost a statement.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(30))
            .build(manager)?;
        Ok(Self {
            pool,
            writer: Arc::new(Mutex::new(())),
            generation: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Runs a read on a pooled connection, on a blocking thread, in one read transaction: the page's
    /// statements see one snapshot, and the file locks are taken once per request instead of per statement.
    pub async fn read<T, F>(&self, query: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || -> DbResult<T> {
            let _in_request = span.enter();
            let conn = pool.get()?;
            // Rolled back when dropped, so even a panicking query returns its connection clean.
            let tx = conn.unchecked_transaction()?;
            let value = query(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await?
    }

    /// Runs `change` in one IMMEDIATE transaction, committed when it returns `Ok`. The write counter moves:
    /// visitors' pages read before it may be out of date.
    pub async fn write<T, F>(&self, change: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        self.write_counted(change, true).await
    }

    /// Like [`Db::write`], for changes no visitor's page shows (sessions): the write counter stays, so the
    /// visitors' page cache is not emptied by someone logging in or out.
    pub async fn write_unseen<T, F>(&self, change: F) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        self.write_counted(change, false).await
    }

    async fn write_counted<T, F>(&self, change: F, visible: bool) -> DbResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let writer = self.writer.clone();
        let generation = self.generation.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || -> DbResult<T> {
            let _in_request = span.enter();
            let mut conn = pool.get()?;
            // A poisoned lock only means another writer panicked; its transaction was rolled back.
            let _turn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = change(&tx)?;
            tx.commit()?;
            // After the commit: a reader that saw the old number may have read the old data.
            if visible {
                generation.fetch_add(1, Ordering::AcqRel);
            }
            tracing::debug!(target: "miniboard::db", visible, "write committed");
            Ok(value)
        })
        .await?
    }
}

impl Db {
    /// The number of writes this process has committed so far. Read it before a read: if it is unchanged
    /// later, nothing this process wrote since can be missing from what was read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> DbResult<i64> {
        self.read(|conn| conn.pragma_query_value(None, "user_version", |row| row.get(0)))
            .await
    }
}

/// The outcome of a change the policy allows only some people, decided inside the write transaction.
#[derive(Debug, PartialEq, Eq)]
pub enum Guarded<T> {
    Done(T),
    Missing,
    Denied(Denied),
}

impl Guarded<()> {
    /// Runs `change` only when the policy allowed it.
    pub fn then<T>(
        self,
        change: impl FnOnce() -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Guarded<T>> {
        match self {
            Guarded::Done(()) => change().map(Guarded::Done),
            Guarded::Missing => Ok(Guarded::Missing),
            Guarded::Denied(why) => Ok(Guarded::Denied(why)),
        }
    }
}

/// The author of a post, if it exists.
pub fn author_of(conn: &Connection, post: PostRef) -> rusqlite::Result<Option<UserId>> {
    let (sql, id) = match post {
        PostRef::Question(id) => ("SELECT author_id FROM questions WHERE id = ?1", id.0),
        PostRef::Answer(id) => ("SELECT author_id FROM answers WHERE id = ?1", id.0),
    };
    rusqlite::OptionalExtension::optional(conn.one(sql, [id], |row| row.get(0).map(UserId)))
}

/// Asks the policy whether `actor` may do `action` to `post`, with the author as this transaction sees it.
pub fn guard(
    conn: &Connection,
    actor: Actor,
    action: Action,
    post: PostRef,
) -> rusqlite::Result<Guarded<()>> {
    Ok(match author_of(conn, post)? {
        None => Guarded::Missing,
        Some(author) => match policy::may(actor, action, author) {
            Ok(()) => Guarded::Done(()),
            Err(why) => Guarded::Denied(why),
        },
    })
}

/// `execute` and `query_row` through the connection's statement cache: the same SQL is parsed once per
/// connection, not on every call.
pub trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, row)
    }
}

/// Seconds since the Unix epoch, the unit every timestamp column uses.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether `err` is a UNIQUE violation on `table.column`.
pub fn is_unique_violation(err: &rusqlite::Error, column: &str) -> bool {
    match err {
        rusqlite::Error::SqliteFailure(code, Some(message)) => {
            code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && message.contains(column)
        }
        _ => false,
    }
}
