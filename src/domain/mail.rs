//! Mail the board sends: what each mail says (kept in the outgoing queue until it is sent), which
//! notifications a person wants by mail, and the one-use links (password reset, address verification) whose
//! token only the mail holds.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::notifications::NotificationKind;

/// A password reset link works this long after it is sent.
pub const RESET_LINK_SECONDS: i64 = 60 * 60;
/// An address verification link works this long (people read mail days later).
pub const VERIFY_LINK_SECONDS: i64 = 7 * 24 * 60 * 60;
/// Mails one client may have sent to one address in [`MAIL_REQUEST_WINDOW`] (resets, confirmations, "your
/// address was used"): nobody floods an inbox through the board.
pub const MAIL_REQUESTS_PER_ADDRESS_AND_CLIENT: usize = 3;
/// The same for one address from every client together: a cap against many clients, high enough that a
/// few cannot keep its owner from their own reset.
pub const MAIL_REQUESTS_PER_ADDRESS: usize = 20;
/// Why a mail asked for is not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailRequestRefused {
    /// The client's own limits (per address and client, per client): it may ask again after this.
    Wait(Duration),
    /// Only the address's cap, which many clients fill together (and which its owner is not held by),
    /// until this long from now.
    AddressFull(Duration),
}

/// The same requests one client may make in [`MAIL_REQUEST_WINDOW`], whatever the addresses.
pub const MAIL_REQUESTS_PER_CLIENT: usize = 10;
pub const MAIL_REQUEST_WINDOW: Duration = Duration::from_secs(60 * 60);
/// How often a digest goes: once a day, with what is unread.
pub const DIGEST_EVERY_SECONDS: i64 = 24 * 60 * 60;
/// Notifications a digest lists (the newest; it says how many more the inbox holds).
pub const DIGEST_NOTIFICATIONS: i64 = 30;

/// A mail the server could not hand over for this long is given up (and logged).
pub const GIVE_UP_AFTER_SECONDS: i64 = 24 * 60 * 60;
/// Mails one sending round takes from the queue.
pub const SENT_PER_ROUND: i64 = 20;
/// How long a taken mail is someone's (another app server leaves it be) before it may be taken again.
pub const LEASE_SECONDS: i64 = 120;

/// What a mail says, as the queue keeps it; the sender words it in the recipient's language when it goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mail {
    /// A link that shows the address is the user's: at sign-up (`change` false) or to change to it.
    VerifyAddress {
        username: String,
        /// The link's seed (its token is the seed signed).
        seed: String,
        change: bool,
    },
    /// A link to set a new password.
    ResetPassword { username: String, seed: String },
    /// Someone tried to sign up, or to move another account, to this address, which is this user's.
    AddressInUse { username: String },
    /// To the old address, once the account moved to `new_address`.
    AddressChanged {
        username: String,
        new_address: String,
    },
    /// A notification, by its id (the database's trigger queues these, as it writes the notification).
    Notification { id: i64 },
    /// The day's unread notifications of the chosen kinds, after the notification `after` (the last a
    /// digest covered).
    Digest { after: i64 },
}

impl Mail {
    pub fn to_json(&self) -> String {
        // A plain enum of strings and numbers: serialising it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The mail a queued row holds; `None` for one this version cannot read (a newer server's).
    pub fn from_json(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// A mail waiting in the queue, as a sending round takes it.
#[derive(Clone, Debug)]
pub struct QueuedMail {
    pub id: i64,
    /// The account it is for, if any.
    pub user: Option<super::ids::UserId>,
    pub recipient: String,
    /// The recipient's language code (`en`, `ko`).
    pub locale: String,
    pub mail: Option<Mail>,
    pub created_at: i64,
    pub attempts: i64,
}

/// An account as its mail is addressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub id: super::ids::UserId,
    pub username: String,
    pub email: String,
    /// The language their mail is written in (`en`, `ko`).
    pub locale: String,
}

/// A one-use link to keep: only its token's hash, never the token.
#[derive(Clone, Debug)]
pub struct NewLink {
    pub token_hash: String,
    pub user: super::ids::UserId,
    pub purpose: LinkPurpose,
    /// The address it verifies, or for a reset the one it was sent to.
    pub email: String,
    pub expires_at: i64,
    /// The password hash checked before asking for it, when one was: the link is kept only if the
    /// password is still that (a change meanwhile voids links, this one included).
    pub checked_password: Option<String>,
}

/// A sign-up waiting for its address to be confirmed (with mail on, an account is made only then, so a
/// sign-up cannot tell whether an address has an account).
#[derive(Clone, Debug)]
pub struct NewSignup {
    pub token_hash: String,
    pub username: super::accounts::Username,
    pub email: super::accounts::Email,
    pub password_hash: String,
    pub locale: String,
    pub expires_at: i64,
}

/// A mail to queue.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub recipient: String,
    pub locale: String,
    pub mail: Mail,
}

/// Seconds until a failed mail is tried again: one minute, doubling, at most an hour.
pub fn retry_after(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 7) - 1;
    (60 << doublings).min(60 * 60)
}

/// A new link's seed: 32 random bytes in hex. The queued mail keeps the seed; the token the link carries is
/// the seed signed with the server's key (`signing::LinkKey`), so neither the queue nor the links' table
/// (which keeps only [`LinkToken::hash`]) gives a link to whoever reads the database.
pub fn new_link_seed() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What a one-use link carries: 32 bytes in hex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkToken(String);

impl LinkToken {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    /// A token as a link carries it, if it could be one (64 lower-case hex digits).
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: SHA-256 in hex (the token is random, so no salt or slow hash is needed).
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// What a one-use link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Sets a new password.
    Reset,
    /// Verifies an address: the account's own, or one to move it to.
    Verify,
}

impl LinkPurpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Verify => "verify",
        }
    }
}

/// The notifications a person is told of by mail, as the `users.mail_kinds` column keeps them: codes
/// between commas (`,answer,mention,`), so a database trigger finds a kind with one `instr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailChoices(Vec<NotificationKind>);

impl MailChoices {
    /// A new account's: an answer to their question only.
    pub fn default_column() -> &'static str {
        ",answer,"
    }

    pub fn new(kinds: impl IntoIterator<Item = NotificationKind>) -> Self {
        let wanted: Vec<NotificationKind> = kinds.into_iter().collect();
        Self(
            NotificationKind::ALL
                .into_iter()
                .filter(|kind| wanted.contains(kind))
                .collect(),
        )
    }

    pub fn from_column(column: &str) -> Self {
        Self::new(column.split(',').filter_map(NotificationKind::from_code))
    }

    pub fn to_column(&self) -> String {
        let mut column = String::from(",");
        for kind in &self.0 {
            column.push_str(kind.code());
            column.push(',');
        }
        column
    }

    pub fn wants(&self, kind: NotificationKind) -> bool {
        self.0.contains(&kind)
    }

    /// The same choices without `kind` (an unsubscribe link's).
    pub fn without(&self, kind: NotificationKind) -> Self {
        Self::new(self.0.iter().copied().filter(|known| *known != kind))
    }
}

/// What an unsubscribe link stops: one kind of notification mail, or the daily digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailStream {
    Kind(NotificationKind),
    Digest,
}

impl MailStream {
    pub fn code(self) -> &'static str {
        match self {
            Self::Kind(kind) => kind.code(),
            Self::Digest => "digest",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "digest" => Some(Self::Digest),
            _ => NotificationKind::from_code(code).map(Self::Kind),
        }
    }
}

/// The account's mail settings, as the account page shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    pub email: String,
    pub verified: bool,
    pub choices: MailChoices,
    /// Whether the chosen kinds come as one mail a day.
    pub digest: bool,
    /// An address the account is moving to once it is verified (the newest link sent).
    pub pending_address: Option<String>,
}

/// How a verification link turned out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The account's address is verified now (`moved_from`: the address it had, when it moved).
    Done {
        username: String,
        /// The address confirmed.
        address: String,
        moved_from: Option<String>,
    },
    /// A new account, made now that its address is confirmed (sign-up with mail on).
    Created { username: String },
    /// The address has meanwhile become another account's.
    Taken,
    /// A sign-up's name was taken (or one that looks like it) while its link waited.
    NameTaken,
    /// No such link, or it lapsed or was used.
    Invalid,
}

/// The mail preferences form: one checkbox per notification kind, named by its code.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct MailChoicesForm {
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub accepted: Option<String>,
    #[serde(default)]
    pub mention: Option<String>,
    #[serde(default)]
    pub followed_answer: Option<String>,
    #[serde(default)]
    pub tagged_question: Option<String>,
    #[serde(default)]
    pub digest: Option<String>,
}

impl MailChoicesForm {
    /// The kinds ticked (a checkbox sends its field only when ticked).
    pub fn choices(&self) -> MailChoices {
        let ticked = |field: &Option<String>| field.is_some();
        MailChoices::new(NotificationKind::ALL.into_iter().filter(|kind| match kind {
            NotificationKind::Answer => ticked(&self.answer),
            NotificationKind::Comment => ticked(&self.comment),
            NotificationKind::Accepted => ticked(&self.accepted),
            NotificationKind::Mention => ticked(&self.mention),
            NotificationKind::FollowedAnswer => ticked(&self.followed_answer),
            NotificationKind::TaggedQuestion => ticked(&self.tagged_question),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_the_column_in_one_order() {
        let choices = MailChoices::new([NotificationKind::Mention, NotificationKind::Answer]);
        assert_eq!(choices.to_column(), ",answer,mention,");
        assert_eq!(MailChoices::from_column(&choices.to_column()), choices);
        assert_eq!(
            MailChoices::from_column(",poke,answer,"),
            MailChoices::new([NotificationKind::Answer]),
            "a code this version does not know is left out"
        );
        assert_eq!(MailChoices::new([]).to_column(), ",");
        assert!(
            MailChoices::from_column(MailChoices::default_column()).wants(NotificationKind::Answer)
        );
    }

    #[test]
    fn a_token_is_64_hex_digits_and_its_hash_is_another() {
        let token = LinkToken::from_bytes(&[0xab; 32]);
        assert_eq!(token.as_str(), "ab".repeat(32));
        assert_eq!(LinkToken::parse(token.as_str()), Some(token.clone()));
        assert_ne!(token.hash(), token.as_str());
        assert_ne!(new_link_seed(), new_link_seed());
        assert_eq!(LinkToken::parse("abc"), None);
        assert_eq!(LinkToken::parse(&"G".repeat(64)), None);
        assert_eq!(LinkToken::parse(&token.as_str().to_uppercase()), None);
    }

    #[test]
    fn a_stream_round_trips_through_its_code() {
        for kind in NotificationKind::ALL {
            assert_eq!(
                MailStream::from_code(kind.code()),
                Some(MailStream::Kind(kind))
            );
        }
        assert_eq!(MailStream::from_code("digest"), Some(MailStream::Digest));
        assert_eq!(MailStream::from_code("fax"), None);
        assert_eq!(
            Mail::from_json(r#"{"kind":"digest","after":7}"#),
            Some(Mail::Digest { after: 7 })
        );
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_after(1), 60);
        assert_eq!(retry_after(2), 120);
        assert_eq!(retry_after(6), 1920);
        assert_eq!(retry_after(7), 3600);
        assert_eq!(retry_after(40), 3600);
    }

    #[test]
    fn a_queued_notification_reads_as_the_trigger_writes_it() {
        assert_eq!(
            Mail::from_json(r#"{"kind":"notification","id":42}"#),
            Some(Mail::Notification { id: 42 })
        );
        let reset = Mail::ResetPassword {
            username: "alice".into(),
            seed: "s".into(),
        };
        assert_eq!(Mail::from_json(&reset.to_json()), Some(reset));
        assert_eq!(Mail::from_json(r#"{"kind":"fax"}"#), None);
    }
}
