//! Log-in attempts and sign-ups counted in this process's memory: where an SQLite board keeps them, since
//! one process serves the file. Entries expire with their window and the number of keys is capped, so
//! memory stays bounded whatever the keys are. The rules are `domain::limits`'.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use crate::{
    domain::limits::{
        CLIENTS_PER_NAME, ClientKey, KNOWN_GOOD, LoginHistory, MINUTE, NAME_WINDOW, PER_CLIENT,
        PER_NAME_AND_CLIENT, SIGNUP_WINDOW, SlidingWindow, login_wait, make_room, signup_wait,
    },
    domain::mail::{
        MAIL_REQUEST_WINDOW, MAIL_REQUESTS_PER_ADDRESS, MAIL_REQUESTS_PER_ADDRESS_AND_CLIENT,
        MAIL_REQUESTS_PER_CLIENT, MailRequestRefused,
    },
    sync::lock,
};

/// Keys each table may hold (a key is under 200 bytes: names are cut before they get here).
const MAX_KEYS: usize = 50_000;

/// Now, as a moment since this process first asked (monotonic: the wall clock may jump).
pub fn moment() -> Duration {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

pub struct MemoryLimits {
    login: Mutex<LoginTables>,
    signups: Mutex<HashMap<ClientKey, VecDeque<Duration>>>,
    /// Mails asked for, per address and client, per address, and per client.
    mail_requests: Mutex<MailRequests>,
}

struct MailRequests {
    by_pair: SlidingWindow<(String, ClientKey)>,
    by_address: SlidingWindow<String>,
    by_client: SlidingWindow<ClientKey>,
}

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
    recent: HashMap<String, VecDeque<ClientTries>>,
}

/// A client's latest try of a name, and the one before it (what the latest leaves when taken back).
struct ClientTries {
    client: ClientKey,
    latest: Duration,
    before: Option<Duration>,
}

impl NameAttempts {
    /// The latest try of each client but `client` within the hour.
    fn others(&mut self, name: &str, client: ClientKey, now: Duration) -> Vec<Duration> {
        let Some(clients) = self.recent.get_mut(name) else {
            return Vec::new();
        };
        clients.retain(|tries| now.saturating_sub(tries.latest) < NAME_WINDOW);
        if clients.is_empty() {
            self.recent.remove(name);
            return Vec::new();
        }
        clients
            .iter()
            .filter(|tries| tries.client != client)
            .map(|tries| tries.latest)
            .collect()
    }

    fn record(&mut self, name: String, client: ClientKey, now: Duration) {
        if self.recent.len() >= MAX_KEYS && !self.recent.contains_key(&name) {
            let last_try = |clients: &VecDeque<ClientTries>| clients.back().map(|t| t.latest);
            make_room(&mut self.recent, last_try, NAME_WINDOW, MAX_KEYS, now);
        }
        let clients = self.recent.entry(name).or_default();
        let before = clients
            .iter()
            .position(|tries| tries.client == client)
            .and_then(|at| clients.remove(at))
            .map(|tries| tries.latest);
        clients.push_back(ClientTries {
            client,
            latest: now,
            before,
        });
        while clients.len() > CLIENTS_PER_NAME {
            clients.pop_front();
        }
    }

    /// Takes back `client`'s latest try of `name` (one the server never checked): its try before that
    /// counts again, in its place by time, or none. One step back only (a second unchecked try in flight
    /// takes the first's place as "before"), and a client the try pushed out of a full list stays out:
    /// the bound on clients per name already makes this list a sample.
    fn take_back(&mut self, name: &str, client: ClientKey) {
        let Some(clients) = self.recent.get_mut(name) else {
            return;
        };
        let Some(at) = clients.iter().position(|tries| tries.client == client) else {
            return;
        };
        if let Some(mut tries) = clients.remove(at)
            && let Some(before) = tries.before.take()
        {
            tries.latest = before;
            let place = clients.partition_point(|other| other.latest <= before);
            clients.insert(place, tries);
        }
        if clients.is_empty() {
            self.recent.remove(name);
        }
    }

    fn forget(&mut self, name: &str) {
        self.recent.remove(name);
    }
}

impl Default for MemoryLimits {
    fn default() -> Self {
        Self {
            login: Mutex::new(LoginTables {
                by_pair: SlidingWindow::new(PER_NAME_AND_CLIENT, MINUTE, MAX_KEYS),
                by_client: SlidingWindow::new(PER_CLIENT, MINUTE, MAX_KEYS),
                by_name: NameAttempts::default(),
                known_good: SlidingWindow::new(1, KNOWN_GOOD, MAX_KEYS),
            }),
            signups: Mutex::new(HashMap::new()),
            mail_requests: Mutex::new(MailRequests {
                by_pair: SlidingWindow::new(
                    MAIL_REQUESTS_PER_ADDRESS_AND_CLIENT,
                    MAIL_REQUEST_WINDOW,
                    MAX_KEYS,
                ),
                by_address: SlidingWindow::new(
                    MAIL_REQUESTS_PER_ADDRESS,
                    MAIL_REQUEST_WINDOW,
                    MAX_KEYS,
                ),
                by_client: SlidingWindow::new(
                    MAIL_REQUESTS_PER_CLIENT,
                    MAIL_REQUEST_WINDOW,
                    MAX_KEYS,
                ),
            }),
        }
    }
}

impl MemoryLimits {
    /// Counts a log-in attempt for `name_key` from `client`, or says how long to wait before one is allowed.
    pub fn begin_login(
        &self,
        name_key: &str,
        client: ClientKey,
        now: Duration,
    ) -> Result<(), Duration> {
        let mut tables = lock(&self.login);
        let pair = (name_key.to_owned(), client);
        let history = LoginHistory {
            pair: tables.by_pair.moments(&pair, now),
            client: tables.by_client.moments(&client, now),
            other_clients: tables.by_name.others(name_key, client, now),
            vouched: tables.known_good.wait(&pair, now).is_some(),
        };
        if let Some(wait) = login_wait(&history, now) {
            return Err(wait);
        }
        tables.by_pair.record(pair, now);
        tables.by_client.record(client, now);
        tables.by_name.record(name_key.to_owned(), client, now);
        Ok(())
    }

    /// A successful log-in clears the name's attempts (not the client's: one client may guess many names)
    /// and vouches for this client as the name's for a while.
    pub fn login_succeeded(&self, name_key: &str, client: ClientKey, now: Duration) {
        let mut tables = lock(&self.login);
        let pair = (name_key.to_owned(), client);
        tables.by_pair.forget(&pair);
        tables.by_name.forget(name_key);
        tables.known_good.forget(&pair);
        tables.known_good.record(pair, now);
    }

    /// An attempt that never checked the password (the server was too busy) is taken back, from the
    /// name's back-off too.
    pub fn login_abandoned(&self, name_key: &str, client: ClientKey) {
        let mut tables = lock(&self.login);
        tables.by_pair.take_back(&(name_key.to_owned(), client));
        tables.by_client.take_back(&client);
        tables.by_name.take_back(name_key, client);
    }

    /// Counts a sign-up from `client`, or says how long it must wait.
    pub fn begin_signup(
        &self,
        client: ClientKey,
        per_hour: usize,
        now: Duration,
    ) -> Result<(), Duration> {
        let mut signups = lock(&self.signups);
        if signups.len() >= MAX_KEYS && !signups.contains_key(&client) {
            let last = |moments: &VecDeque<Duration>| moments.back().copied();
            make_room(&mut signups, last, SIGNUP_WINDOW, MAX_KEYS, now);
        }
        let moments = signups.entry(client).or_default();
        while moments
            .front()
            .is_some_and(|at| now.saturating_sub(*at) >= SIGNUP_WINDOW)
        {
            moments.pop_front();
        }
        if let Some(wait) = signup_wait(moments.make_contiguous(), per_hour, now) {
            return Err(wait);
        }
        moments.push_back(now);
        while moments.len() > per_hour {
            moments.pop_front();
        }
        Ok(())
    }

    /// Counts a mail asked for to the address `address_key` from `client`, or says how long to wait (both
    /// must be under their limits; nothing is counted when either is not).
    pub fn begin_mail_request(
        &self,
        address_key: &str,
        client: ClientKey,
        owner: bool,
        now: Duration,
    ) -> Result<(), MailRequestRefused> {
        let mut requests = lock(&self.mail_requests);
        let pair = (address_key.to_owned(), client);
        let address_key = address_key.to_owned();
        let wait = [
            requests.by_pair.wait(&pair, now),
            requests.by_client.wait(&client, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(wait) = wait {
            return Err(MailRequestRefused::Wait(wait.max(Duration::from_secs(1))));
        }
        if !owner && let Some(wait) = requests.by_address.wait(&address_key, now) {
            return Err(MailRequestRefused::AddressFull(
                wait.max(Duration::from_secs(1)),
            ));
        }
        requests.by_pair.record(pair, now);
        requests.by_address.record(address_key, now);
        requests.by_client.record(client, now);
        Ok(())
    }

    /// Takes back the sign-up just counted for `client` (it came to nothing: a name in use).
    pub fn signup_refused(&self, client: ClientKey) {
        if let Some(moments) = lock(&self.signups).get_mut(&client) {
            moments.pop_back();
        }
    }

    /// Keys held, for the memory bound's test.
    #[cfg(test)]
    fn keys(&self) -> usize {
        let tables = lock(&self.login);
        tables.by_pair.len() + tables.by_client.len() + tables.by_name.recent.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;
    use crate::domain::limits::PER_NAME_FREE_CLIENTS;

    const START: Duration = Duration::from_secs(1_000_000);

    fn client(last: u8) -> ClientKey {
        ClientKey::of(Some(IpAddr::from([10, 0, 0, last])))
    }

    #[test]
    fn five_attempts_for_a_name_from_one_client_make_that_pair_wait_the_rest_of_the_minute() {
        let limits = MemoryLimits::default();
        for _ in 0..PER_NAME_AND_CLIENT {
            assert!(limits.begin_login("bob", client(1), START).is_ok());
        }
        let wait = limits
            .begin_login("bob", client(1), START + Duration::from_secs(10))
            .expect_err("throttled");
        assert_eq!(wait, Duration::from_secs(50));
        // The owner, from elsewhere, is not locked out by someone else's guesses.
        assert!(limits.begin_login("bob", client(2), START).is_ok());
        assert!(limits.begin_login("alice", client(1), START).is_ok());
        assert!(limits.begin_login("bob", client(1), START + MINUTE).is_ok());
    }

    #[test]
    fn fifty_attempts_from_one_client_make_it_wait_for_any_name() {
        let limits = MemoryLimits::default();
        for i in 0..PER_CLIENT {
            let name = format!("user{i}");
            assert!(limits.begin_login(&name, client(7), START).is_ok());
        }
        assert!(limits.begin_login("someone-new", client(7), START).is_err());
        assert!(limits.begin_login("someone-new", client(8), START).is_ok());
    }

    #[test]
    fn a_name_guessed_from_many_clients_slows_down_progressively() {
        let limits = MemoryLimits::default();
        for i in 0..PER_NAME_FREE_CLIENTS {
            assert!(limits.begin_login("bob", client(i as u8), START).is_ok());
        }
        let first = limits
            .begin_login("bob", client(100), START)
            .expect_err("backs off");
        assert_eq!(first, Duration::from_secs(2));
        let later = START + Duration::from_secs(2);
        assert!(limits.begin_login("bob", client(101), later).is_ok());
        let second = limits
            .begin_login("bob", client(102), later)
            .expect_err("longer");
        assert_eq!(second, Duration::from_secs(4));
        // The owner's success clears it.
        limits.login_succeeded("bob", client(103), later);
        assert!(limits.begin_login("bob", client(103), later).is_ok());
    }

    #[test]
    fn one_client_guessing_all_hour_never_slows_the_owner_down() {
        let limits = MemoryLimits::default();
        let mut now = START;
        // The pair limit's whole allowance, every minute, for an hour.
        for _ in 0..60 {
            for _ in 0..PER_NAME_AND_CLIENT {
                assert!(limits.begin_login("bob", client(66), now).is_ok());
            }
            now += MINUTE;
        }
        assert!(
            limits.begin_login("bob", client(1), now).is_ok(),
            "the owner"
        );
    }

    #[test]
    fn a_client_that_logged_in_lately_is_not_slowed_by_others_guessing() {
        let limits = MemoryLimits::default();
        limits.login_succeeded("bob", client(1), START);
        for i in 0..(PER_NAME_FREE_CLIENTS + 5) {
            let _ = limits.begin_login("bob", client(100 + i as u8), START);
        }
        assert!(
            limits.begin_login("bob", client(200), START).is_err(),
            "a stranger waits"
        );
        assert!(
            limits.begin_login("bob", client(1), START).is_ok(),
            "the owner does not"
        );
    }

    #[test]
    fn an_attempt_the_busy_server_never_checked_is_taken_back() {
        let limits = MemoryLimits::default();
        for _ in 0..(3 * PER_NAME_AND_CLIENT) {
            assert!(limits.begin_login("bob", client(1), START).is_ok());
            limits.login_abandoned("bob", client(1));
        }
        assert!(limits.begin_login("bob", client(1), START).is_ok());
    }

    #[test]
    fn a_taken_back_attempt_leaves_the_names_back_off_as_it_was() {
        let limits = MemoryLimits::default();
        let (second, third) = (
            START + Duration::from_secs(10),
            START + Duration::from_secs(30),
        );
        // Client 1 tried once for real, client 2 after it; then client 1 once more, unchecked: its real
        // try is the one that counts again, before client 2's.
        assert!(limits.begin_login("bob", client(1), START).is_ok());
        assert!(limits.begin_login("bob", client(2), second).is_ok());
        assert!(limits.begin_login("bob", client(1), third).is_ok());
        limits.login_abandoned("bob", client(1));
        let others =
            |limits: &MemoryLimits| lock(&limits.login).by_name.others("bob", client(9), third);
        assert_eq!(others(&limits), vec![START, second]);
        // Client 3 only ever had an unchecked try: it leaves no trace on the name.
        assert!(limits.begin_login("bob", client(3), third).is_ok());
        limits.login_abandoned("bob", client(3));
        assert_eq!(others(&limits), vec![START, second]);
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
        let limits = MemoryLimits::default();
        let allowed = (0..40)
            .filter(|_| limits.begin_login("bob", client(1), START).is_ok())
            .count();
        assert_eq!(allowed, PER_NAME_AND_CLIENT);
    }

    #[test]
    fn sign_ups_wait_for_the_oldest_in_the_hour_and_a_refused_one_is_given_back() {
        let limits = MemoryLimits::default();
        for minute in 0..3 {
            let at = START + MINUTE * minute;
            assert!(limits.begin_signup(client(1), 3, at).is_ok());
        }
        let wait = limits
            .begin_signup(client(1), 3, START + MINUTE * 3)
            .expect_err("limited");
        assert_eq!(wait, MINUTE * 57);
        assert!(limits.begin_signup(client(2), 3, START).is_ok());
        limits.signup_refused(client(2));
        for _ in 0..3 {
            assert!(limits.begin_signup(client(2), 3, START).is_ok());
        }
        assert!(
            limits
                .begin_signup(client(1), 3, START + SIGNUP_WINDOW)
                .is_ok()
        );
    }

    #[test]
    fn the_tables_hold_a_bounded_number_of_keys() {
        let limits = MemoryLimits::default();
        for n in 0..(3 * MAX_KEYS as u32) {
            let address = IpAddr::from((n + 1).to_be_bytes());
            let _ = limits.begin_login(&format!("name{n}"), ClientKey::of(Some(address)), START);
        }
        assert!(limits.keys() <= 3 * MAX_KEYS, "{} keys", limits.keys());
    }
}
