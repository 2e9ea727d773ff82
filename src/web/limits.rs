//! Limits this process keeps for itself: uncached searches per client (each app server runs its own
//! search index, so each guards its own CPU) and password hashing, which takes ~19 MB and tens of
//! milliseconds each time. The log-in throttle and the sign-up limit are the board's, kept by the storage
//! engine so that every app server counts them together (`domain::limits`).

use std::{
    hash::Hash,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::sync::Semaphore;

pub use crate::domain::limits::ClientKey;
use crate::{
    domain::{ids::UserId, limits::SlidingWindow},
    store::memory_limits::moment,
    sync::lock,
};

/// Keys the table may hold (whatever the clients, memory stays bounded).
const MAX_KEYS: usize = 50_000;

/// A limit per key (a client's address, an account) over a window, switched off with
/// `rate_limits = "off"`.
pub struct KeyedLimit<K> {
    table: Option<Mutex<SlidingWindow<K>>>,
}

/// A limit per client address.
pub type ClientLimit = KeyedLimit<ClientKey>;

impl<K: Eq + Hash + Clone> KeyedLimit<K> {
    /// `None` for `limit` switches it off.
    pub fn new(limit: Option<usize>, window: Duration) -> Self {
        Self {
            table: limit.map(|limit| Mutex::new(SlidingWindow::new(limit, window, MAX_KEYS))),
        }
    }

    /// Counts one event for `key`, or says how long it must wait.
    pub fn try_take(&self, key: K) -> Result<(), Duration> {
        match &self.table {
            None => Ok(()),
            Some(table) => lock(table).try_record(key, moment()),
        }
    }
}

/// Uncached searches: each client address, and each account (pages or any of its API tokens, from
/// however many addresses), so many a minute.
pub struct SearchLimits {
    pub by_client: ClientLimit,
    pub by_account: KeyedLimit<UserId>,
}

impl SearchLimits {
    /// `None` for `per_minute` switches both off.
    pub fn new(per_minute: Option<usize>) -> Self {
        let minute = Duration::from_secs(60);
        Self {
            by_client: KeyedLimit::new(per_minute, minute),
            by_account: KeyedLimit::new(per_minute, minute),
        }
    }

    /// Counts one search for `client` and, signed in or with a token, for `account`; or says how long
    /// to wait.
    pub fn try_take(&self, client: ClientKey, account: Option<UserId>) -> Result<(), Duration> {
        self.by_client.try_take(client)?;
        match account {
            Some(account) => self.by_account.try_take(account),
            None => Ok(()),
        }
    }
}

/// Password hashing runs at most one per core; a few more requests may queue for a turn, the rest are
/// told at once to come back (each hash holds ~19 MB: 200 at once took the server to 3 GB).
pub struct HashingGate {
    turns: Arc<Semaphore>,
    queued: AtomicUsize,
    max_queued: usize,
}

/// The server is hashing as many passwords as it can: try again in a moment.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

impl Default for HashingGate {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, cores * 4)
    }
}

impl HashingGate {
    pub fn new(at_once: usize, max_queued: usize) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(at_once.max(1))),
            queued: AtomicUsize::new(0),
            max_queued,
        }
    }

    /// Runs `hash` on a blocking thread when a turn is free; `Err(Busy)` when too many wait already.
    pub async fn run<T: Send + 'static>(
        &self,
        hash: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let turn = match self.turns.clone().try_acquire_owned() {
            Ok(turn) => turn,
            Err(_) => {
                if self.queued.fetch_add(1, Ordering::AcqRel) >= self.max_queued {
                    self.queued.fetch_sub(1, Ordering::AcqRel);
                    return Err(Busy);
                }
                let turn = self.turns.clone().acquire_owned().await;
                self.queued.fetch_sub(1, Ordering::AcqRel);
                turn.map_err(|_| Busy)?
            }
        };
        let outcome = tokio::task::spawn_blocking(move || {
            let value = hash();
            drop(turn);
            value
        })
        .await;
        outcome.map_err(|_| Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashing_beyond_the_queue_is_refused_at_once() {
        let gate = Arc::new(HashingGate::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(move || hold.recv().is_ok()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let queued = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| 2).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(gate.run(|| 3).await, Err(Busy));
        release.send(()).expect("release");
        assert_eq!(running.await.expect("joined"), Ok(true));
        assert_eq!(queued.await.expect("joined"), Ok(2));
    }
}
