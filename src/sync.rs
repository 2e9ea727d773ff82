//! Locks around in-memory tables.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex whose value is only ever replaced or changed whole (caches, counters, tables of limits): a
/// panic elsewhere cannot leave it half-written, so a poisoned lock is used as it is.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
