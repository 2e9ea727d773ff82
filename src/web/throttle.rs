//! Log-in throttling: after too many failures in a minute for one username, or from one client address,
//! further tries are refused until the oldest failure leaves the window.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Failures for one username within the window before it is throttled.
pub const PER_USERNAME: usize = 5;
/// Failures from one client address within the window before it is throttled.
pub const PER_ADDRESS: usize = 50;
/// Past this many tracked keys, idle ones are dropped on the next failure, so memory stays bounded.
const PRUNE_ABOVE: usize = 10_000;

/// Recent failures per key, oldest first.
struct Failures<K> {
    limit: usize,
    recent: HashMap<K, VecDeque<Instant>>,
}

impl<K: Eq + Hash> Failures<K> {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            recent: HashMap::new(),
        }
    }

    /// How long `key` must wait, if it is over its limit.
    fn wait(&mut self, key: &K, now: Instant) -> Option<Duration> {
        let times = self.recent.get_mut(key)?;
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() < self.limit {
            return None;
        }
        let oldest = times.front()?;
        Some(WINDOW.saturating_sub(now.duration_since(*oldest)))
    }

    fn record(&mut self, key: K, now: Instant) {
        if self.recent.len() > PRUNE_ABOVE {
            self.recent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|last| now.duration_since(*last) < WINDOW)
            });
        }
        let times = self.recent.entry(key).or_default();
        times.push_back(now);
        while times.len() > self.limit {
            times.pop_front();
        }
    }

    fn forget(&mut self, key: &K) {
        self.recent.remove(key);
    }
}

/// Shared by all requests; held only for a few map operations, never across an await.
pub struct LoginThrottle {
    inner: Mutex<(Failures<String>, Failures<IpAddr>)>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            inner: Mutex::new((Failures::new(PER_USERNAME), Failures::new(PER_ADDRESS))),
        }
    }
}

impl LoginThrottle {
    /// `Some(wait)` when this username or address must not try now.
    pub fn check(&self, username_key: &str, address: Option<IpAddr>) -> Option<Duration> {
        self.check_at(username_key, address, Instant::now())
    }

    pub fn record_failure(&self, username_key: &str, address: Option<IpAddr>) {
        self.record_failure_at(username_key, address, Instant::now());
    }

    /// A successful log-in clears the username's failures (not the address's: one address may guess many names).
    pub fn record_success(&self, username_key: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.forget(&username_key.to_owned());
    }

    fn check_at(
        &self,
        username_key: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Option<Duration> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (by_name, by_address) = &mut *guard;
        let name_wait = by_name.wait(&username_key.to_owned(), now);
        let address_wait = address.and_then(|a| by_address.wait(&a, now));
        name_wait.max(address_wait)
    }

    fn record_failure_at(&self, username_key: &str, address: Option<IpAddr>, now: Instant) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (by_name, by_address) = &mut *guard;
        by_name.record(username_key.to_owned(), now);
        if let Some(address) = address {
            by_address.record(address, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn five_failures_for_a_username_throttle_it_for_the_rest_of_the_minute() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..PER_USERNAME {
            assert!(throttle.check_at("bob", addr(1), start).is_none());
            throttle.record_failure_at("bob", addr(i as u8), start);
        }
        let wait = throttle
            .check_at("bob", addr(99), start + Duration::from_secs(10))
            .expect("throttled");
        assert_eq!(wait, Duration::from_secs(50));
        assert!(throttle.check_at("alice", addr(99), start).is_none());
        assert!(throttle.check_at("bob", addr(99), start + WINDOW).is_none());
    }

    #[test]
    fn fifty_failures_from_one_address_throttle_it_for_any_username() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..PER_ADDRESS {
            throttle.record_failure_at(&format!("user{i}"), addr(7), start);
        }
        assert!(throttle.check_at("someone-new", addr(7), start).is_some());
        assert!(throttle.check_at("someone-new", addr(8), start).is_none());
    }

    #[test]
    fn success_clears_the_usernames_failures() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..PER_USERNAME {
            throttle.record_failure_at("bob", None, now);
        }
        throttle.record_success("bob");
        assert!(throttle.check_at("bob", None, now).is_none());
    }
}
