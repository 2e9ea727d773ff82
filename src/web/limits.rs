//! Limits on what one client or one account name can make the board do: log-in attempts, sign-ups,
//! uncached searches, and password hashing, which takes ~19 MB and tens of milliseconds each time.
//!
//! Every attempt is counted when it starts, not when it fails, so a burst of parallel requests cannot slip
//! past a limit while the first ones are still hashing. Clients are counted by address, an IPv6 client by its
//! /64 (one host usually owns the whole network) and `::ffff:a.b.c.d` as `a.b.c.d`. Entries expire with
//! their window and the number of keys is capped, so memory stays bounded whatever the keys are.

use std::{
    collections::{HashMap, VecDeque},
    hash::Hash,
    net::IpAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::sync::Semaphore;

/// Who a limit counts: an IPv4 address, an IPv6 /64, or the unix socket (a local proxy that forwarded no
/// address).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(u32),
    V6Net(u64),
    Local,
}

impl ClientKey {
    pub fn of(address: Option<IpAddr>) -> Self {
        match address {
            None => Self::Local,
            Some(IpAddr::V4(v4)) => Self::V4(u32::from(v4)),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(u32::from(v4)),
                None => Self::V6Net((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// At most `limit` events per key in any `window`; each key keeps only its last `limit` times.
pub struct SlidingWindow<K> {
    limit: usize,
    window: Duration,
    max_keys: usize,
    recent: HashMap<K, VecDeque<Instant>>,
}

impl<K: Eq + Hash + Clone> SlidingWindow<K> {
    pub fn new(limit: usize, window: Duration, max_keys: usize) -> Self {
        Self {
            limit,
            window,
            max_keys,
            recent: HashMap::new(),
        }
    }

    /// How long `key` must wait before its next event, if it is at its limit.
    pub fn wait(&mut self, key: &K, now: Instant) -> Option<Duration> {
        let times = self.recent.get_mut(key)?;
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() < self.limit {
            return None;
        }
        let oldest = times.front()?;
        Some(self.window.saturating_sub(now.duration_since(*oldest)))
    }

    pub fn record(&mut self, key: K, now: Instant) {
        if self.recent.len() >= self.max_keys && !self.recent.contains_key(&key) {
            self.make_room(now);
        }
        let times = self.recent.entry(key).or_default();
        times.push_back(now);
        while times.len() > self.limit {
            times.pop_front();
        }
    }

    /// Checks and records in one step: `Err(wait)` when over the limit (and then nothing is recorded).
    pub fn try_record(&mut self, key: K, now: Instant) -> Result<(), Duration> {
        match self.wait(&key, now) {
            Some(wait) => Err(wait.max(Duration::from_secs(1))),
            None => {
                self.record(key, now);
                Ok(())
            }
        }
    }

    pub fn forget(&mut self, key: &K) {
        self.recent.remove(key);
    }

    /// Takes back the newest event of `key` (one that never got to do its work).
    pub fn take_back(&mut self, key: &K) {
        if let Some(times) = self.recent.get_mut(key) {
            times.pop_back();
        }
    }

    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }

    /// Drops keys whose last event left the window; if that is not enough, the older half of the rest.
    fn make_room(&mut self, now: Instant) {
        make_room(
            &mut self.recent,
            |times| times.back().copied(),
            self.window,
            self.max_keys,
            now,
        );
    }
}

/// Makes room in a full table: drops the keys whose last event left the window, and if that is not enough,
/// the older half of the rest, so the next many new keys cost nothing more (amortised, whatever the keys).
fn make_room<K: Eq + Hash, V>(
    table: &mut HashMap<K, V>,
    last: impl Fn(&V) -> Option<Instant>,
    window: Duration,
    max_keys: usize,
    now: Instant,
) {
    table.retain(|_, value| last(value).is_some_and(|at| now.duration_since(at) < window));
    if table.len() < max_keys {
        return;
    }
    let mut lasts: Vec<Instant> = table.values().filter_map(&last).collect();
    let middle = lasts.len() / 2;
    let (_, cut, _) = lasts.select_nth_unstable(middle);
    let cut = *cut;
    table.retain(|_, value| last(value).is_some_and(|at| at > cut));
}

/// Log-in attempts in a minute for one account name from one client before that pair must wait.
pub const PER_NAME_AND_CLIENT: usize = 5;
/// Log-in attempts in a minute from one client, whatever the names.
pub const PER_CLIENT: usize = 50;
/// Clients that may try one account name in an hour before each further try from another client must
/// wait longer: twice as long each time, from 2 s up to [`NAME_BACKOFF_CAP`]. Each client counts once, and
/// never against itself, so one address guessing cannot slow the owner down (the limit per name and client
/// deals with it); a client that logged in as the name within [`KNOWN_GOOD`] is not slowed at all.
pub const PER_NAME_FREE_CLIENTS: usize = 10;
const NAME_WINDOW: Duration = Duration::from_secs(60 * 60);
const NAME_BACKOFF_CAP: Duration = Duration::from_secs(5 * 60);
/// How long a successful log-in vouches for its (name, client) pair.
const KNOWN_GOOD: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Clients remembered per name (the back-off needs no more).
const CLIENTS_PER_NAME: usize = PER_NAME_FREE_CLIENTS + 16;
const MINUTE: Duration = Duration::from_secs(60);
/// Keys each table may hold (a key is under 200 bytes: names are cut before they get here).
const MAX_KEYS: usize = 50_000;

struct LoginTables {
    by_pair: SlidingWindow<(String, ClientKey)>,
    by_client: SlidingWindow<ClientKey>,
    by_name: NameAttempts,
    /// Pairs that logged in lately: the name's back-off does not apply to them.
    known_good: SlidingWindow<(String, ClientKey)>,
}

/// Per account name, the clients that tried it within the hour, each with its latest try.
#[derive(Default)]
struct NameAttempts {
    recent: HashMap<String, VecDeque<(ClientKey, Instant)>>,
}

impl NameAttempts {
    fn prune(&mut self, name: &str, now: Instant) {
        if let Some(clients) = self.recent.get_mut(name) {
            clients.retain(|(_, at)| now.duration_since(*at) < NAME_WINDOW);
            if clients.is_empty() {
                self.recent.remove(name);
            }
        }
    }

    /// How long `client` must wait, when more than the free number of other clients tried the name.
    fn backoff(&mut self, name: &str, client: ClientKey, now: Instant) -> Option<Duration> {
        self.prune(name, now);
        let others: Vec<Instant> = self
            .recent
            .get(name)?
            .iter()
            .filter(|(who, _)| *who != client)
            .map(|(_, at)| *at)
            .collect();
        let over = others.len().checked_sub(PER_NAME_FREE_CLIENTS)?;
        let last = others.into_iter().max()?;
        let backoff = Duration::from_secs(1u64 << (over + 1).min(16)).min(NAME_BACKOFF_CAP);
        let since = now.duration_since(last);
        (since < backoff).then(|| backoff - since)
    }

    fn record(&mut self, name: String, client: ClientKey, now: Instant) {
        if self.recent.len() >= MAX_KEYS && !self.recent.contains_key(&name) {
            self.make_room(now);
        }
        let clients = self.recent.entry(name).or_default();
        clients.retain(|(who, _)| *who != client);
        clients.push_back((client, now));
        while clients.len() > CLIENTS_PER_NAME {
            clients.pop_front();
        }
    }

    /// Drops names nobody tried within the hour; if that is not enough, the older half of the rest.
    fn make_room(&mut self, now: Instant) {
        let last_try = |clients: &VecDeque<(ClientKey, Instant)>| clients.back().map(|(_, at)| *at);
        make_room(&mut self.recent, last_try, NAME_WINDOW, MAX_KEYS, now);
    }

    fn forget(&mut self, name: &str) {
        self.recent.remove(name);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.recent.len()
    }
}

/// The log-in throttle; never switched off.
pub struct LoginThrottle {
    tables: Mutex<LoginTables>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            tables: Mutex::new(LoginTables {
                by_pair: SlidingWindow::new(PER_NAME_AND_CLIENT, MINUTE, MAX_KEYS),
                by_client: SlidingWindow::new(PER_CLIENT, MINUTE, MAX_KEYS),
                by_name: NameAttempts::default(),
                known_good: SlidingWindow::new(1, KNOWN_GOOD, MAX_KEYS),
            }),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Whole values only: a panic elsewhere cannot leave a table half-written.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl LoginThrottle {
    /// Counts an attempt for `name_key` from `client`, or says how long to wait before one is allowed.
    pub fn begin(&self, name_key: &str, client: ClientKey) -> Result<(), Duration> {
        self.begin_at(name_key, client, Instant::now())
    }

    /// A successful log-in clears the name's attempts (not the client's: one client may guess many names)
    /// and vouches for this client as the name's for a while.
    pub fn succeeded(&self, name_key: &str, client: ClientKey) {
        self.succeeded_at(name_key, client, Instant::now());
    }

    /// An attempt that never checked the password (the server was too busy) is taken back.
    pub fn abandoned(&self, name_key: &str, client: ClientKey) {
        let mut tables = lock(&self.tables);
        tables.by_pair.take_back(&(name_key.to_owned(), client));
        tables.by_client.take_back(&client);
    }

    fn succeeded_at(&self, name_key: &str, client: ClientKey, now: Instant) {
        let mut tables = lock(&self.tables);
        let pair = (name_key.to_owned(), client);
        tables.by_pair.forget(&pair);
        tables.by_name.forget(name_key);
        tables.known_good.forget(&pair);
        tables.known_good.record(pair, now);
    }

    fn begin_at(&self, name_key: &str, client: ClientKey, now: Instant) -> Result<(), Duration> {
        let mut tables = lock(&self.tables);
        let pair = (name_key.to_owned(), client);
        let vouched = tables.known_good.wait(&pair, now).is_some();
        let name_wait = if vouched {
            None
        } else {
            tables.by_name.backoff(name_key, client, now)
        };
        let waits = [
            tables.by_pair.wait(&pair, now),
            tables.by_client.wait(&client, now),
            name_wait,
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait.max(Duration::from_secs(1)));
        }
        tables.by_pair.record(pair, now);
        tables.by_client.record(client, now);
        tables.by_name.record(name_key.to_owned(), client, now);
        Ok(())
    }

    /// Keys held, for the memory bound's test.
    #[cfg(test)]
    fn keys(&self) -> usize {
        let tables = lock(&self.tables);
        tables.by_pair.len() + tables.by_client.len() + tables.by_name.len()
    }
}

/// A limit per client over a window, switched off with `rate_limits = "off"`.
pub struct ClientLimit {
    table: Option<Mutex<SlidingWindow<ClientKey>>>,
}

impl ClientLimit {
    /// `None` for `limit` switches it off.
    pub fn new(limit: Option<usize>, window: Duration) -> Self {
        Self {
            table: limit.map(|limit| Mutex::new(SlidingWindow::new(limit, window, MAX_KEYS))),
        }
    }

    /// Counts one event for `client`, or says how long it must wait.
    pub fn try_take(&self, client: ClientKey) -> Result<(), Duration> {
        match &self.table {
            None => Ok(()),
            Some(table) => lock(table).try_record(client, Instant::now()),
        }
    }

    /// Takes back the event just counted for `client` (it came to nothing: a sign-up that was refused).
    pub fn give_back(&self, client: ClientKey) {
        if let Some(table) = &self.table {
            lock(table).take_back(&client);
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

    fn client(last: u8) -> ClientKey {
        ClientKey::of(Some(IpAddr::from([10, 0, 0, last])))
    }

    #[test]
    fn five_attempts_for_a_name_from_one_client_make_that_pair_wait_the_rest_of_the_minute() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for _ in 0..PER_NAME_AND_CLIENT {
            assert!(throttle.begin_at("bob", client(1), start).is_ok());
        }
        let wait = throttle
            .begin_at("bob", client(1), start + Duration::from_secs(10))
            .expect_err("throttled");
        assert_eq!(wait, Duration::from_secs(50));
        // The owner, from elsewhere, is not locked out by someone else's guesses.
        assert!(throttle.begin_at("bob", client(2), start).is_ok());
        assert!(throttle.begin_at("alice", client(1), start).is_ok());
        assert!(throttle.begin_at("bob", client(1), start + MINUTE).is_ok());
    }

    #[test]
    fn fifty_attempts_from_one_client_make_it_wait_for_any_name() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..PER_CLIENT {
            assert!(
                throttle
                    .begin_at(&format!("user{i}"), client(7), start)
                    .is_ok()
            );
        }
        assert!(throttle.begin_at("someone-new", client(7), start).is_err());
        assert!(throttle.begin_at("someone-new", client(8), start).is_ok());
    }

    #[test]
    fn a_name_guessed_from_many_clients_slows_down_progressively() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..PER_NAME_FREE_CLIENTS {
            assert!(throttle.begin_at("bob", client(i as u8), start).is_ok());
        }
        let first = throttle
            .begin_at("bob", client(100), start)
            .expect_err("backs off");
        assert_eq!(first, Duration::from_secs(2));
        let later = start + Duration::from_secs(2);
        assert!(throttle.begin_at("bob", client(101), later).is_ok());
        let second = throttle
            .begin_at("bob", client(102), later)
            .expect_err("longer");
        assert_eq!(second, Duration::from_secs(4));
        // The owner's success clears it.
        throttle.succeeded("bob", client(103));
        assert!(throttle.begin_at("bob", client(103), later).is_ok());
    }

    #[test]
    fn one_client_guessing_all_hour_never_slows_the_owner_down() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        let mut now = start;
        // The pair limit's whole allowance, every minute, for an hour.
        for _ in 0..60 {
            for _ in 0..PER_NAME_AND_CLIENT {
                assert!(throttle.begin_at("bob", client(66), now).is_ok());
            }
            now += MINUTE;
        }
        assert!(
            throttle.begin_at("bob", client(1), now).is_ok(),
            "the owner"
        );
    }

    #[test]
    fn a_client_that_logged_in_lately_is_not_slowed_by_others_guessing() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        throttle.succeeded_at("bob", client(1), start);
        for i in 0..(PER_NAME_FREE_CLIENTS + 5) {
            let _ = throttle.begin_at("bob", client(100 + i as u8), start);
        }
        assert!(
            throttle.begin_at("bob", client(200), start).is_err(),
            "a stranger waits"
        );
        assert!(
            throttle.begin_at("bob", client(1), start).is_ok(),
            "the owner does not"
        );
    }

    #[test]
    fn an_attempt_the_busy_server_never_checked_is_taken_back() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..(3 * PER_NAME_AND_CLIENT) {
            assert!(throttle.begin_at("bob", client(1), now).is_ok());
            throttle.abandoned("bob", client(1));
        }
        assert!(throttle.begin_at("bob", client(1), now).is_ok());
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(ClientKey::of(Some(a)), ClientKey::of(Some(b)));
        assert_ne!(ClientKey::of(Some(a)), ClientKey::of(Some(other)));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        let plain: IpAddr = "192.0.2.7".parse().expect("ip");
        assert_eq!(ClientKey::of(Some(mapped)), ClientKey::of(Some(plain)));
    }

    #[test]
    fn attempts_count_when_they_start_so_a_burst_cannot_pass() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let allowed = (0..40)
            .filter(|_| throttle.begin_at("bob", client(1), now).is_ok())
            .count();
        assert_eq!(allowed, PER_NAME_AND_CLIENT);
    }

    #[test]
    fn the_tables_hold_a_bounded_number_of_keys() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for n in 0..(3 * MAX_KEYS as u32) {
            let address = IpAddr::from((n + 1).to_be_bytes());
            let _ = throttle.begin_at(&format!("name{n}"), ClientKey::of(Some(address)), start);
        }
        assert!(throttle.keys() <= 3 * MAX_KEYS, "{} keys", throttle.keys());
    }

    #[test]
    fn idle_keys_expire_by_time() {
        let mut table = SlidingWindow::new(3, MINUTE, 4);
        let start = Instant::now();
        for key in 0..4 {
            table.record(key, start);
        }
        table.record(99, start + MINUTE);
        assert_eq!(table.len(), 1, "the idle keys made room");
    }

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
