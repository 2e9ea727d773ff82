//! The rules that limit what one client or one account name can make the board do: log-in attempts and
//! sign-ups. Where the attempts are counted is the storage engine's business (one process's memory on
//! SQLite, a table every app server shares on PostgreSQL); how many are too many is decided here, once.
//!
//! Every attempt is counted when it starts, not when it fails, so a burst of parallel requests cannot slip
//! past a limit while the first ones are still hashing. Times are moments: durations since an origin the
//! engine picks (its process start, or the database's clock), only ever compared with each other.

use std::{
    collections::HashMap, collections::VecDeque, fmt, hash::Hash, net::IpAddr, time::Duration,
};

/// Who a limit counts: an IPv4 address, an IPv6 /64 (one host usually owns the whole network; an IPv4
/// address inside IPv6 counts as itself), or the unix socket (a local proxy that forwarded no address).
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

/// As an operator reads it in a table: `192.0.2.7`, `2001:db8:1:2::/64` or `local`.
impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::V4(address) => write!(f, "{}", std::net::Ipv4Addr::from(*address)),
            Self::V6Net(network) => write!(
                f,
                "{}/64",
                std::net::Ipv6Addr::from(u128::from(*network) << 64)
            ),
            Self::Local => f.write_str("local"),
        }
    }
}

pub const MINUTE: Duration = Duration::from_secs(60);
/// Log-in attempts in a minute for one account name from one client before that pair must wait.
pub const PER_NAME_AND_CLIENT: usize = 5;
/// Log-in attempts in a minute from one client, whatever the names.
pub const PER_CLIENT: usize = 50;
/// Clients that may try one account name in [`NAME_WINDOW`] before each further try from another client
/// must wait longer: twice as long each time, from 2 s up to [`NAME_BACKOFF_CAP`]. Each client counts
/// once, and never against itself, so one address guessing cannot slow the owner down (the limit per name
/// and client deals with it); a client that logged in as the name within [`KNOWN_GOOD`] is not slowed.
pub const PER_NAME_FREE_CLIENTS: usize = 10;
pub const NAME_WINDOW: Duration = Duration::from_secs(60 * 60);
const NAME_BACKOFF_CAP: Duration = Duration::from_secs(5 * 60);
/// How long a successful log-in vouches for its (name, client) pair.
pub const KNOWN_GOOD: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Other clients a name's back-off needs to know of: beyond these it is at its cap anyway.
pub const CLIENTS_PER_NAME: usize = PER_NAME_FREE_CLIENTS + 16;
/// The window of the sign-up limit (its size is the `signups_per_hour` setting).
pub const SIGNUP_WINDOW: Duration = Duration::from_secs(60 * 60);
/// The shortest wait ever asked for: "try again in 0 seconds" helps nobody.
const SHORTEST_WAIT: Duration = Duration::from_secs(1);

/// How long to wait before the next event, given the events' moments (oldest first), when `limit` of them
/// fall within `window` of `now`.
pub fn window_wait(
    moments: &[Duration],
    limit: usize,
    window: Duration,
    now: Duration,
) -> Option<Duration> {
    let within = moments
        .iter()
        .skip_while(|at| now.saturating_sub(**at) >= window)
        .copied()
        .collect::<Vec<_>>();
    let count = within.len();
    if limit == 0 || count < limit {
        return None;
    }
    let oldest_counted = within[count - limit];
    Some(window.saturating_sub(now.saturating_sub(oldest_counted)))
}

/// What a log-in attempt is judged on: the moments of the recent attempts for the pair (oldest first), those
/// from the client, each other client's latest try at the name, and whether the pair logged in lately.
#[derive(Debug, Default)]
pub struct LoginHistory {
    pub pair: Vec<Duration>,
    pub client: Vec<Duration>,
    pub other_clients: Vec<Duration>,
    pub vouched: bool,
}

/// How long an attempt with this history must wait; `None` lets it go ahead.
pub fn login_wait(history: &LoginHistory, now: Duration) -> Option<Duration> {
    let name_wait = if history.vouched {
        None
    } else {
        name_backoff(&history.other_clients, now)
    };
    [
        window_wait(&history.pair, PER_NAME_AND_CLIENT, MINUTE, now),
        window_wait(&history.client, PER_CLIENT, MINUTE, now),
        name_wait,
    ]
    .into_iter()
    .flatten()
    .max()
    .map(|wait| wait.max(SHORTEST_WAIT))
}

/// How long the next client must wait, when more than the free number of other clients tried the name
/// within the hour (`other_clients`: each one's latest try).
fn name_backoff(other_clients: &[Duration], now: Duration) -> Option<Duration> {
    let recent: Vec<Duration> = other_clients
        .iter()
        .copied()
        .filter(|at| now.saturating_sub(*at) < NAME_WINDOW)
        .collect();
    let over = recent.len().checked_sub(PER_NAME_FREE_CLIENTS)?;
    let last = recent.into_iter().max()?;
    let backoff = Duration::from_secs(1u64 << (over + 1).min(16)).min(NAME_BACKOFF_CAP);
    let since = now.saturating_sub(last);
    (since < backoff).then(|| backoff - since)
}

/// How long a sign-up from a client with these recent sign-ups (oldest first) must wait.
pub fn signup_wait(moments: &[Duration], per_hour: usize, now: Duration) -> Option<Duration> {
    window_wait(moments, per_hour, SIGNUP_WINDOW, now).map(|wait| wait.max(SHORTEST_WAIT))
}

/// At most `limit` events per key in any `window`, in memory; each key keeps only its last `limit`
/// moments, and the number of keys is capped, so memory stays bounded whatever the keys are.
pub struct SlidingWindow<K> {
    limit: usize,
    window: Duration,
    max_keys: usize,
    recent: HashMap<K, VecDeque<Duration>>,
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

    /// The key's moments within the window, oldest first.
    pub fn moments(&mut self, key: &K, now: Duration) -> Vec<Duration> {
        let Some(moments) = self.recent.get_mut(key) else {
            return Vec::new();
        };
        while moments
            .front()
            .is_some_and(|at| now.saturating_sub(*at) >= self.window)
        {
            moments.pop_front();
        }
        moments.iter().copied().collect()
    }

    /// How long `key` must wait before its next event, if it is at its limit.
    pub fn wait(&mut self, key: &K, now: Duration) -> Option<Duration> {
        let moments = self.moments(key, now);
        window_wait(&moments, self.limit, self.window, now)
    }

    pub fn record(&mut self, key: K, now: Duration) {
        if self.recent.len() >= self.max_keys && !self.recent.contains_key(&key) {
            self.make_room(now);
        }
        let moments = self.recent.entry(key).or_default();
        moments.push_back(now);
        while moments.len() > self.limit {
            moments.pop_front();
        }
    }

    /// Checks and records in one step: `Err(wait)` when over the limit (and then nothing is recorded).
    pub fn try_record(&mut self, key: K, now: Duration) -> Result<(), Duration> {
        match self.wait(&key, now) {
            Some(wait) => Err(wait.max(SHORTEST_WAIT)),
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
        if let Some(moments) = self.recent.get_mut(key) {
            moments.pop_back();
        }
    }

    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }

    fn make_room(&mut self, now: Duration) {
        make_room(
            &mut self.recent,
            |moments| moments.back().copied(),
            self.window,
            self.max_keys,
            now,
        );
    }
}

/// Makes room in a full table: drops the keys whose last event left the window, and if that is not enough,
/// the older half of the rest, so the next many new keys cost nothing more (amortised, whatever the keys).
pub fn make_room<K: Eq + Hash, V>(
    table: &mut HashMap<K, V>,
    last: impl Fn(&V) -> Option<Duration>,
    window: Duration,
    max_keys: usize,
    now: Duration,
) {
    table.retain(|_, value| last(value).is_some_and(|at| now.saturating_sub(at) < window));
    if table.len() < max_keys {
        return;
    }
    let mut lasts: Vec<Duration> = table.values().filter_map(&last).collect();
    let middle = lasts.len() / 2;
    let (_, cut, _) = lasts.select_nth_unstable(middle);
    let cut = *cut;
    table.retain(|_, value| last(value).is_some_and(|at| at > cut));
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: Duration = Duration::from_secs(1_000_000);

    #[test]
    fn a_window_counts_only_its_own_moments_and_waits_for_the_oldest_counted() {
        let at = |s: u64| START + Duration::from_secs(s);
        let moments = [START - MINUTE, at(0), at(10), at(20)];
        assert_eq!(window_wait(&moments, 4, MINUTE, at(30)), None);
        assert_eq!(
            window_wait(&moments, 3, MINUTE, at(30)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            window_wait(&moments, 2, MINUTE, at(30)),
            Some(Duration::from_secs(40))
        );
    }

    #[test]
    fn a_vouched_pair_skips_the_names_back_off_but_not_its_own_limit() {
        let others = vec![START; PER_NAME_FREE_CLIENTS + 1];
        let stranger = LoginHistory {
            other_clients: others.clone(),
            ..Default::default()
        };
        assert_eq!(login_wait(&stranger, START), Some(Duration::from_secs(4)));
        let owner = LoginHistory {
            other_clients: others,
            vouched: true,
            ..Default::default()
        };
        assert_eq!(login_wait(&owner, START), None);
        let guessing_owner = LoginHistory {
            pair: vec![START; PER_NAME_AND_CLIENT],
            vouched: true,
            ..Default::default()
        };
        assert_eq!(login_wait(&guessing_owner, START), Some(MINUTE));
    }

    #[test]
    fn clients_read_as_addresses() {
        let v6: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        assert_eq!(ClientKey::of(Some(v6)).to_string(), "2001:db8:1:2::/64");
        let v4: IpAddr = "192.0.2.7".parse().expect("ip");
        assert_eq!(ClientKey::of(Some(v4)).to_string(), "192.0.2.7");
        assert_eq!(ClientKey::of(None).to_string(), "local");
    }

    #[test]
    fn idle_keys_expire_by_time() {
        let mut table = SlidingWindow::new(3, MINUTE, 4);
        for key in 0..4 {
            table.record(key, START);
        }
        table.record(99, START + MINUTE);
        assert_eq!(table.len(), 1, "the idle keys made room");
    }
}
