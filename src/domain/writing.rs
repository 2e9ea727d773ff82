//! Limits on writing, against floods: a new account posts slowly at first, nobody posts in bursts, the
//! same text twice in a row is refused, and an account with little reputation links to few places. The
//! write checks them inside its transaction (so a burst of parallel posts lands exactly as many as allowed);
//! how many are too many is decided here. `rate_limits = "off"` switches them off with the others.

/// At most `count` in any `seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: usize,
    pub seconds: i64,
}

/// The limits, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteLimits {
    /// An account is new for this long after it signs up (seconds).
    pub new_for: i64,
    /// A new account's questions.
    pub new_questions: Rate,
    /// A new account's answers and comments together.
    pub new_replies: Rate,
    /// Anyone's questions, answers and comments together.
    pub anyone: Rate,
    /// The same text from the same account within this long is refused (seconds).
    pub repeat_within: i64,
    /// Accounts below this reputation may put at most `most_links` links in a post.
    pub links_below_reputation: i64,
    pub most_links: usize,
}

impl Default for WriteLimits {
    fn default() -> Self {
        Self {
            new_for: 24 * 60 * 60,
            new_questions: Rate {
                count: 1,
                seconds: 5 * 60,
            },
            new_replies: Rate {
                count: 5,
                seconds: 10 * 60,
            },
            anyone: Rate {
                count: 30,
                seconds: 60,
            },
            repeat_within: 10 * 60,
            links_below_reputation: 10,
            most_links: 3,
        }
    }
}

/// What is being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    Question,
    /// An answer or a comment.
    Reply,
}

/// What the author wrote lately, as the write reads it: when they signed up and their reputation, and the
/// times of their newest questions and replies (newest first, at most [`WriteLimits::lookback`] each).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentWrites {
    pub joined_at: i64,
    pub reputation: i64,
    pub questions: Vec<i64>,
    pub replies: Vec<i64>,
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    /// Too many too fast: the next one may go this many seconds from now.
    Wait(i64),
    /// The same text went up moments ago.
    Repeated,
    /// More links than the account's reputation allows; at most this many.
    Links(usize),
}

impl WriteLimits {
    /// How many of each kind of post the write must read of the author's newest.
    pub fn lookback(&self) -> i64 {
        [
            self.new_questions.count,
            self.new_replies.count,
            self.anyone.count,
        ]
        .into_iter()
        .max()
        .unwrap_or(0) as i64
    }

    /// How many of the author's newest posts of a kind the repeat check must read to see every one of the
    /// last [`WriteLimits::repeat_within`] seconds: as many as the limit on anyone lets through in that
    /// long.
    pub fn repeat_lookback(&self) -> i64 {
        let windows = (self.repeat_within + self.anyone.seconds - 1) / self.anyone.seconds.max(1);
        (self.anyone.count as i64 * windows.max(1)).max(1)
    }

    /// Whether the author may write one more of `kind` with `links` links at `now`; the first limit that
    /// says no, if one does. (Whether the same text went up lately is the write's to look for, with
    /// [`WriteLimits::repeat_within`].)
    pub fn check(
        &self,
        kind: WriteKind,
        links: usize,
        recent: &RecentWrites,
        now: i64,
    ) -> Result<(), Limited> {
        if links > self.most_links && recent.reputation < self.links_below_reputation {
            return Err(Limited::Links(self.most_links));
        }
        let new = now - recent.joined_at < self.new_for;
        let own_kind = match kind {
            WriteKind::Question => (&recent.questions, self.new_questions),
            WriteKind::Reply => (&recent.replies, self.new_replies),
        };
        let mut all: Vec<i64> = recent
            .questions
            .iter()
            .chain(&recent.replies)
            .copied()
            .collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        let waits = [
            new.then(|| wait(own_kind.0, own_kind.1, now)).flatten(),
            wait(&all, self.anyone, now),
        ];
        match waits.into_iter().flatten().max() {
            Some(seconds) => Err(Limited::Wait(seconds)),
            None => Ok(()),
        }
    }
}

/// How long until one more fits in `rate`, given the times of the last ones (newest first); `None` when it
/// fits now.
fn wait(times: &[i64], rate: Rate, now: i64) -> Option<i64> {
    if rate.count == 0 {
        return Some(rate.seconds.max(1));
    }
    let within: Vec<i64> = times
        .iter()
        .copied()
        .filter(|at| *at > now - rate.seconds)
        .collect();
    // The oldest of the last `count` leaves the window first.
    let blocking = within.get(rate.count - 1)?;
    Some((blocking + rate.seconds - now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    fn recent(joined_ago: i64, questions: &[i64], replies: &[i64]) -> RecentWrites {
        RecentWrites {
            joined_at: NOW - joined_ago,
            reputation: 0,
            questions: questions.iter().map(|ago| NOW - ago).collect(),
            replies: replies.iter().map(|ago| NOW - ago).collect(),
        }
    }

    #[test]
    fn a_new_account_asks_once_in_five_minutes_and_replies_five_times_in_ten() {
        let limits = WriteLimits::default();
        let hour_old = 3600;
        assert_eq!(
            limits.check(WriteKind::Question, 0, &recent(hour_old, &[], &[]), NOW),
            Ok(())
        );
        assert_eq!(
            limits.check(WriteKind::Question, 0, &recent(hour_old, &[60], &[]), NOW),
            Err(Limited::Wait(240))
        );
        assert_eq!(
            limits.check(WriteKind::Question, 0, &recent(hour_old, &[300], &[]), NOW),
            Ok(()),
            "five minutes on"
        );
        let four = [10, 20, 30, 40];
        assert_eq!(
            limits.check(WriteKind::Reply, 0, &recent(hour_old, &[], &four), NOW),
            Ok(())
        );
        let five = [10, 20, 30, 40, 500];
        assert_eq!(
            limits.check(WriteKind::Reply, 0, &recent(hour_old, &[], &five), NOW),
            Err(Limited::Wait(100))
        );
        // A question does not count against replies, nor the other way round.
        assert_eq!(
            limits.check(WriteKind::Reply, 0, &recent(hour_old, &[1], &[]), NOW),
            Ok(())
        );
        assert_eq!(
            limits.check(WriteKind::Question, 0, &recent(hour_old, &[], &five), NOW),
            Ok(())
        );
    }

    #[test]
    fn anyone_writes_at_most_thirty_a_minute_and_older_accounts_are_not_new() {
        let limits = WriteLimits::default();
        let day_old = 24 * 3600;
        assert_eq!(
            limits.check(WriteKind::Question, 0, &recent(day_old, &[1], &[]), NOW),
            Ok(()),
            "a day-old account asks again at once"
        );
        let thirty: Vec<i64> = (1..=30).collect();
        assert_eq!(
            limits.check(
                WriteKind::Reply,
                0,
                &recent(day_old, &thirty[..10], &thirty[10..]),
                NOW
            ),
            Err(Limited::Wait(30))
        );
        let twenty_nine: Vec<i64> = (1..=29).collect();
        assert_eq!(
            limits.check(
                WriteKind::Reply,
                0,
                &recent(day_old, &[], &twenty_nine),
                NOW
            ),
            Ok(())
        );
    }

    #[test]
    fn links_are_capped_below_a_reputation() {
        let limits = WriteLimits::default();
        let mut writer = recent(365 * 24 * 3600, &[], &[]);
        assert_eq!(limits.check(WriteKind::Reply, 3, &writer, NOW), Ok(()));
        assert_eq!(
            limits.check(WriteKind::Reply, 4, &writer, NOW),
            Err(Limited::Links(3))
        );
        writer.reputation = 10;
        assert_eq!(limits.check(WriteKind::Reply, 40, &writer, NOW), Ok(()));
    }
}
