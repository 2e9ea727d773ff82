//! The connection machinery: an r2d2 pool of SQLite connections, with every call moved off the async
//! executor. Writers are serialised inside the process and open `BEGIN IMMEDIATE` transactions, so
//! concurrent writers queue instead of meeting "database is locked"; the busy timeout covers other processes
//! (backups, the CLI).

use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, Transaction, TransactionBehavior, config::DbConfig};

use super::migrations;
use crate::store::{Guarded, StoreError, StoreResult};

/// Connections in the pool: on two cores more only add page caches (2 MB each), not throughput.
const POOL_SIZE: u32 = 4;

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The handle every part of the app shares; cheap to clone.
#[derive(Clone)]
pub(super) struct Db {
    pool: r2d2::Pool<SqliteConnectionManager>,
    writer: Arc<Mutex<()>>,
    /// Counts committed write transactions: whatever was read before it last moved may be out of date.
    generation: Arc<AtomicU64>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub(super) fn open(path: &Path) -> StoreResult<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|err| {
                StoreError::Migration(format!("cannot create {}: {err}", parent.display()))
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
    pub(super) async fn read<T, F>(&self, query: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || -> StoreResult<T> {
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
    pub(super) async fn write<T, F>(&self, change: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        self.write_counted(change, true).await
    }

    /// Like [`Db::write`], for changes no visitor's page shows (sessions): the write counter stays, so the
    /// visitors' page cache is not emptied by someone logging in or out.
    pub(super) async fn write_unseen<T, F>(&self, change: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        self.write_counted(change, false).await
    }

    /// Like [`Db::write`], committed only if the change was made: a refused one (a limit on writing said
    /// no, the post is gone) is rolled back and leaves the write counter, so refusals cannot be used to
    /// empty the visitors' page cache.
    pub(super) async fn write_if_made<T, F>(&self, change: F) -> StoreResult<Guarded<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<Guarded<T>> + Send + 'static,
    {
        let pool = self.pool.clone();
        let writer = self.writer.clone();
        let generation = self.generation.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || -> StoreResult<Guarded<T>> {
            let _in_request = span.enter();
            let mut conn = pool.get()?;
            let _turn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = change(&tx)?;
            if matches!(outcome, Guarded::Done(_)) {
                tx.commit()?;
                generation.fetch_add(1, Ordering::AcqRel);
            }
            Ok(outcome)
        })
        .await?
    }

    async fn write_counted<T, F>(&self, change: F, visible: bool) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> rusqlite::Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let writer = self.writer.clone();
        let generation = self.generation.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || -> StoreResult<T> {
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
            tracing::debug!(target: "miniboard::store", visible, "write committed");
            Ok(value)
        })
        .await?
    }
}

impl Db {
    /// The number of writes this process has committed so far. Read it before a read: if it is unchanged
    /// later, nothing this process wrote since can be missing from what was read.
    pub(super) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}
