//! Storage behind one interface: the operations the use cases need, each coarse (one per need, one
//! transaction), taking and returning domain values. Which engine runs them is chosen once, at start-up; the
//! engines are sibling folders, each with its own connection machinery and migrations, none of it visible
//! here. Dispatch is a `match` over an enum, so the SQLite path pays no indirection.

pub mod accounts;
pub mod copy;
pub mod deletion;
pub mod flags;
pub mod mail;
pub mod memory_limits;
pub mod moderation;
pub mod notifications;
pub mod postgres;
pub mod profiles;
pub mod revisions;
pub mod sessions;
pub mod sqlite;
pub mod tag_pages;
pub mod tokens;
pub mod writing;

use std::time::Duration;

use crate::{
    config::Database,
    domain::{
        accounts::{CurrentUser, Email, NewAccount, SessionSummary, Taken, User, Username},
        board::{AnswerSort, CommentText, Content, ListSort, QuestionDraft},
        ids::{AnswerId, CommentId, QuestionId, UserId},
        limits::ClientKey,
        mail::{
            LinkPurpose, MailChoices, MailRequestRefused, MailSettings, NewLink, NewSignup,
            Outgoing, QueuedMail, Recipient, Verified,
        },
        moderation::{AccountRow, CloseOutcome, CloseRequest, LogPage, Standing, Suspension},
        notifications::{Following, Inbox, Mentioned, Notification},
        people::{AnswerList, DeletedPost, Profile, UserList},
        policy::{Action, Actor, Denied, PostRef, Role},
        posts::{
            Answer, Comment, FeedEntry, PageParts, PostComments, Question, QuestionList,
            QuestionPage, QuestionSummary, Removal,
        },
        search::{IndexedQuestion, SearchChange},
        tags::{TagCount, TagList, TagName},
        tokens::{NewToken, TokenCreated, TokenHolder, TokenSummary},
        views::ViewerKey,
    },
};

/// A storage failure: never the user's fault, so it becomes a 500 with the details in the log.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The engine refused or failed a statement.
    /// (Not a `source`: the message is printed once, not again as its cause.)
    #[error("{engine}: {error}")]
    Engine {
        engine: &'static str,
        error: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No connection could be had in time.
    #[error("connection pool: {0}")]
    Pool(String),
    #[error("storage task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("migration: {0}")]
    Migration(String),
    /// An operator command that cannot go ahead (a backup target exists, a server holds the file, ...).
    #[error("{0}")]
    Refused(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The outcome of a change the policy allows only some people, decided inside the write transaction.
#[derive(Debug, PartialEq, Eq)]
pub enum Guarded<T> {
    Done(T),
    Missing,
    Denied(Denied),
}

impl<T> Guarded<T> {
    /// The value of a change that was made; `None` for one refused or with nothing to change.
    pub fn done(self) -> Option<T> {
        match self {
            Self::Done(value) => Some(value),
            Self::Missing | Self::Denied(_) => None,
        }
    }
}

/// A new question, its Markdown already rendered.
pub struct NewQuestion {
    pub author_id: UserId,
    pub author: String,
    pub draft: QuestionDraft,
    pub content_html: String,
    pub now: i64,
    /// The limits on writing to check in the write (`None`: none, as for the seed).
    pub check: Option<writing::WriteCheck>,
}

/// A new answer, its Markdown already rendered.
pub struct NewAnswer {
    pub question_id: QuestionId,
    pub author_id: UserId,
    pub author: String,
    pub content: Content,
    pub content_html: String,
    /// The users its `@names` are (each is told).
    pub mentioned: Vec<UserId>,
    pub now: i64,
    /// The limits on writing to check in the write (`None`: none, as for the seed).
    pub check: Option<writing::WriteCheck>,
}

/// A new comment on a question or an answer, its Markdown already rendered.
pub struct NewComment {
    pub on: PostRef,
    pub author_id: UserId,
    pub content: CommentText,
    pub content_html: String,
    /// The users its `@names` are (each is told).
    pub mentioned: Vec<UserId>,
    pub now: i64,
    /// The limits on writing to check in the write (`None`: none, as for the seed).
    pub check: Option<writing::WriteCheck>,
}

/// A post's new text, its Markdown already rendered.
pub struct Revision<T> {
    pub text: T,
    pub html: String,
    /// The editor's summary, and the revision it rolls back to.
    pub note: crate::domain::revisions::EditNote,
    /// The users its `@names` are now (those not told yet are told).
    pub mentioned: Vec<UserId>,
    pub now: i64,
}

/// A like given or taken back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeOutcome {
    /// The like was given (`liked`) or taken back; `count` is the post's new total.
    Toggled { liked: bool, count: i64 },
    /// Nobody may like (or flag) their own post; nothing changed.
    OwnPost,
    /// No such post.
    Missing,
}

/// A stored session: its JSON entries, when it lapses without use, and when it began.
pub struct StoredSession {
    pub entries: String,
    pub expires_at: i64,
    pub created_at: i64,
}

/// Who a stored session is for and where it was opened, kept beside its entries.
#[derive(Clone, Debug, Default)]
pub struct SessionOwner {
    /// The logged-in account; `None` for a visitor's session.
    pub user: Option<UserId>,
    /// The browser's User-Agent at log-in (cut short).
    pub user_agent: String,
    /// The client's address at log-in.
    pub address: String,
}

/// The key a session is stored under: a hash of its id, so the database holds no id a cookie could carry.
pub fn session_key(id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The storage engine this process runs on.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

impl Store {
    /// Opens (creating if needed) the configured database and brings its schema up to date.
    pub async fn open(database: &Database) -> StoreResult<Self> {
        match database {
            Database::Sqlite(path) => {
                let path = path.clone();
                let store =
                    tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path)).await??;
                Ok(Self::Sqlite(store))
            }
            Database::Postgres(url) => Ok(Self::Postgres(postgres::PgStore::open(url).await?)),
        }
    }

    /// How many other miniboard processes use this database. A SQLite file's lock already keeps a copy or a
    /// restore from a file a server holds; a PostgreSQL database is not locked, so its connections tell.
    pub async fn other_processes(&self) -> StoreResult<i64> {
        match self {
            Self::Sqlite(_) => Ok(0),
            Self::Postgres(store) => store.other_processes().await,
        }
    }

    /// The number of writes visitors can see that this process has committed so far. Read it before a read:
    /// if it is unchanged later, nothing this process wrote since can be missing from what was read.
    pub fn generation(&self) -> u64 {
        match self {
            Self::Sqlite(store) => store.generation(),
            Self::Postgres(store) => store.generation(),
        }
    }
}

/// Declares each operation once: its documentation and signature here, and the `match` that sends it to the
/// engine's method of the same name and arguments.
macro_rules! operations {
    ($( $(#[$doc:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$doc])*
                pub async fn $name(&self $(, $arg: $ty)*) -> StoreResult<$ret> {
                    match self {
                        Self::Sqlite(store) => store.$name($($arg),*).await,
                        Self::Postgres(store) => store.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

operations! {
    /// The schema version the database is at.
    fn schema_version(&self) -> i64;

    /// Answers when the database does (the health check).
    fn ping(&self) -> ();

    /// The value kept under `name`, or `candidate` kept there now: two processes starting together agree.
    fn setting_or_insert(&self, name: &'static str, candidate: String) -> String;

    /// One page of the question list, clamped to the pages that exist.
    fn question_list(&self, sort: ListSort, requested_page: i64) -> QuestionList;

    /// One page of the tags whose name starts with `prefix` (all of them when empty), the most used first.
    fn tag_list(&self, prefix: String, requested_page: i64) -> TagList;

    /// One page of the questions carrying `tag` in `sort` (clamped), with the tag's count; `None` when no
    /// question carries it.
    fn tag_questions(&self, tag: TagName, sort: ListSort, requested_page: i64) -> Option<(TagCount, QuestionList)>;

    /// The newest `limit` questions, or those carrying `tag`, newest first, as feeds carry them; `None` when
    /// no question carries `tag`.
    fn feed_questions(&self, tag: Option<TagName>, limit: i64) -> Option<Vec<FeedEntry>>;

    /// A question and its newest `limit` answers, newest first, as feeds carry them; `None` when the
    /// question is gone.
    fn feed_answers(&self, id: QuestionId, limit: i64) -> Option<(FeedEntry, Vec<FeedEntry>)>;

    /// The questions with these ids that exist, in the order given, each with its body (search results
    /// show a snippet of it).
    fn question_summaries(&self, ids: Vec<QuestionId>) -> Vec<(QuestionSummary, String)>;

    /// A question (deleted or not) and one page of its answers not deleted (clamped), with what `viewer`
    /// liked, and the deleted answers `viewer` may see: a moderator all, an author their own (and on their
    /// deleted question those deleted with it); read whole, the questions most related to it by its tags
    /// too (`domain::related` ranks them; none for a question without tags or deleted).
    fn question_page(
        &self,
        id: QuestionId,
        sort: AnswerSort,
        requested_page: i64,
        viewer: Option<Actor>,
        parts: PageParts,
    ) -> Option<QuestionPage>;

    /// The user a typed name belongs to (its lookup key, or an older account's key as typed), with their
    /// counts.
    fn profile(&self, typed_name: String) -> Option<Profile>;

    /// The tags of a user's newest questions, the most used first.
    fn user_top_tags(&self, user: UserId) -> Vec<TagCount>;

    /// One page of a user's questions, newest first (clamped).
    fn user_questions(&self, user: UserId, requested_page: i64) -> QuestionList;

    /// One page of a user's answers, newest first (clamped), each under its question's subject.
    fn user_answers(&self, user: UserId, requested_page: i64) -> AnswerList;

    /// A user's deleted questions and answers, the newest deletions first (`people::DELETED_LISTED`).
    fn user_deleted_posts(&self, user: UserId) -> Vec<DeletedPost>;

    /// One page of the users whose name's lookup key starts with `prefix` (all when empty), the highest
    /// reputation first.
    fn user_list(&self, prefix: String, requested_page: i64) -> UserList;

    /// A question, with whether `viewer` liked it.
    fn question(&self, id: QuestionId, viewer: Option<UserId>) -> Option<Question>;

    /// Whether `actor` may do `action` to `post` as things stand (the write asks again inside its transaction).
    fn check(&self, actor: Actor, action: Action, post: PostRef) -> Guarded<()>;

    /// Inserts a question with its search entry and the counters, unless a limit on writing says no;
    /// returns its id.
    fn insert_question(&self, question: NewQuestion) -> Guarded<QuestionId>;

    /// Replaces a question's subject and body, if the policy lets `actor` edit it.
    fn update_question(&self, actor: Actor, id: QuestionId, revision: Revision<QuestionDraft>) -> Guarded<()>;

    /// Deletes (its answers with it), undeletes or purges a question or an answer, if the policy lets
    /// `actor`; returns its question.
    fn remove(&self, actor: Actor, post: PostRef, how: Removal) -> Guarded<QuestionId>;

    /// An answer, with whether `viewer` liked it.
    fn answer(&self, id: AnswerId, viewer: Option<UserId>) -> Option<Answer>;

    /// An answer's question, and how many answers come before it in `sort`.
    fn answer_position(&self, id: AnswerId, sort: AnswerSort) -> Option<(QuestionId, i64)>;

    /// Inserts an answer (moving its question's counter), unless the question is gone or closed or a
    /// limit on writing says no.
    fn insert_answer(&self, answer: NewAnswer) -> Guarded<AnswerId>;

    /// Replaces an answer's body if the policy lets `actor`; returns it as `actor` now sees it.
    fn update_answer(&self, actor: Actor, id: AnswerId, revision: Revision<Content>) -> Guarded<Answer>;

    /// Marks the answer as its question's accepted one (`wanted` true), takes the mark off (false), or does
    /// the other of the two (`None`), if the policy lets `actor` (the question's author); returns its
    /// question and whether it is accepted now. What is so already changes nothing (and tells nobody).
    fn accept(&self, actor: Actor, id: AnswerId, wanted: Option<bool>) -> Guarded<(QuestionId, bool)>;

    /// Every comment on a post, oldest first, with its question; `None` if the post is gone.
    fn post_comments(&self, post: PostRef) -> Option<PostComments>;

    /// A comment.
    fn comment(&self, id: CommentId) -> Option<Comment>;

    /// A comment, and how many comments come before it on its post.
    fn comment_position(&self, id: CommentId) -> Option<(Comment, i64)>;

    /// Inserts a comment (moving its post's counter), unless the post is gone or a limit on writing says
    /// no.
    fn insert_comment(&self, comment: NewComment) -> Guarded<CommentId>;

    /// Replaces a comment's text if the policy lets `actor`; returns it as it now is.
    fn update_comment(&self, actor: Actor, id: CommentId, revision: Revision<CommentText>) -> Guarded<Comment>;

    /// A post's revisions numbered `numbers.0` to `numbers.1` (with the one before, to diff against), oldest
    /// first (a post never edited: itself as revision 1); `None` if the post is gone.
    fn revisions(&self, post: PostRef, numbers: (i64, i64)) -> Option<crate::domain::revisions::PostRevisions>;

    /// Flags a post as `actor` (once per person and post; three spam flags hide it), if the policy lets.
    fn flag(&self, actor: Actor, post: PostRef, flag: crate::domain::flags::NewFlag, now: i64) -> Guarded<crate::domain::flags::Flagged>;

    /// Dismisses the post's open flags as the moderator `actor` (a hidden post shows again, the log says
    /// so); whether any were open.
    fn dismiss_flags(&self, actor: UserId, post: PostRef, now: i64) -> Guarded<bool>;

    /// The posts with open flags, the most recently flagged first, each with its flags.
    fn review_queue(&self) -> Vec<crate::domain::flags::ReviewItem>;

    /// Deletes a comment if the policy lets `actor` (moving its post's counter); returns it as it was.
    fn delete_comment(&self, actor: Actor, id: CommentId) -> Guarded<Comment>;

    /// Counts views (question, viewer, when): a viewer counted on a question less than an hour before
    /// does not count again. Forgets viewers counted more than an hour before `now`. Returns how many
    /// counted. Not a change visitors' pages wait for.
    fn count_views(&self, views: Vec<(QuestionId, ViewerKey, i64)>, now: i64) -> u64;

    /// Adds to questions' view counts as they are (the seed).
    fn add_views(&self, views: Vec<(QuestionId, i64)>) -> ();

    /// Likes the post for `actor` (`wanted` true), takes the like back (false), or does the other of the
    /// two (`None`), moving the post's counter; what is so already changes nothing.
    fn like(&self, actor: Actor, post: PostRef, wanted: Option<bool>) -> LikeOutcome;

    /// The highest question id there is (0 when none): how far the sitemap's pages go.
    fn highest_question_id(&self) -> i64;

    /// The questions with ids in `first..=last`, in id order, each with when it last changed (its edit or
    /// its newest answer): one page of the sitemap.
    fn questions_changed(&self, first: i64, last: i64) -> Vec<(QuestionId, i64)>;

    /// Which of a new account's unique fields are in use already (or look like a name in use).
    fn taken(&self, username: Username, email: Email) -> Vec<Taken>;

    /// Inserts an account whose password is hashed; a clash on a unique field is `Err(Taken)`.
    fn insert_user(&self, account: NewAccount, password_hash: String, now: i64) -> Result<UserId, Taken>;

    /// The account a typed name logs in as, with its password hash.
    fn credentials(&self, typed_name: String) -> Option<(User, String)>;

    /// An account.
    fn user(&self, id: UserId) -> Option<User>;

    /// A live session: one that neither lapsed nor began before `born_after`.
    fn load_session(&self, id: String, now: i64, born_after: i64) -> Option<StoredSession>;

    /// Pushes a session's lapse time on, and notes it was used `now`. Sessions are writes no visitor's page
    /// shows.
    fn extend_session(&self, id: String, expires_at: i64, now: i64) -> ();

    /// Stores a session's entries and owner (a new session begins `now`).
    fn save_session(&self, id: String, entries: String, owner: SessionOwner, expires_at: i64, now: i64) -> ();

    /// The account's live sessions (not lapsed by `now`, begun after `born_after`), the last used first.
    fn user_sessions(&self, user: UserId, now: i64, born_after: i64) -> Vec<SessionSummary>;

    /// Ends the account's session stored under `key`; whether there was one.
    fn end_session(&self, user: UserId, key: String) -> bool;

    /// Ends every session of the account but the one stored under `keep` (the one in use); how many.
    fn end_other_sessions(&self, user: UserId, keep: String) -> u64;

    /// The account's password hash.
    fn password_hash(&self, user: UserId) -> Option<String>;

    /// Sets the account's password hash, if it is still `checked` (the hash the current password was
    /// checked against), and ends its sessions but the one stored under `keep`, together; whether it did.
    fn set_password(&self, user: UserId, hash: String, checked: String, keep: String) -> bool;

    /// Ends a session (a tombstone until it would have lapsed: a request in flight cannot save it anew).
    fn remove_session(&self, id: String) -> ();

    /// Deletes lapsed sessions and those begun before `born_after`, unless any app server did so after
    /// `unless_purged_after` (then `None`: a periodic purge runs once for all servers, not once each).
    fn purge_sessions(&self, now: i64, born_after: i64, unless_purged_after: i64) -> Option<usize>;

    /// Counts a log-in attempt for `name_key` from `client` as it starts, or says how long to wait first
    /// (`domain::limits` decides; every app server on the database counts together).
    fn begin_login(&self, name_key: String, client: ClientKey) -> Result<(), Duration>;

    /// Clears the name's attempts after a log-in and vouches for the client as the name's for a while.
    fn login_succeeded(&self, name_key: String, client: ClientKey) -> ();

    /// Takes back an attempt that never checked the password (the server was too busy).
    fn login_abandoned(&self, name_key: String, client: ClientKey) -> ();

    /// Counts a sign-up from `client` as it starts, or says how long to wait when `per_hour` were made.
    fn begin_signup(&self, client: ClientKey, per_hour: usize) -> Result<(), Duration>;

    /// Takes back the sign-up just counted for `client` (it made no account).
    fn signup_refused(&self, client: ClientKey) -> ();

    /// The users these typed names are (`@name` mentions), each once; names of nobody are left out.
    fn users_named(&self, names: Vec<String>) -> Vec<Mentioned>;

    /// How many of the user's notifications are unread.
    fn unread_notifications(&self, user: UserId) -> i64;

    /// A page of the user's notifications before the id `before` (the newest without), newest first; with
    /// `mark_read`, the page's notifications are read once shown.
    fn inbox(&self, user: UserId, before: Option<i64>, mark_read: bool) -> Inbox;

    /// Marks every notification of the user read.
    fn read_all_notifications(&self, user: UserId) -> ();

    /// The user follows the question (`wanted` true) or stops (false), or does the other of the two
    /// (`None`); `Some(following)` after, `None` when there is no such question.
    fn follow_question(&self, user: UserId, question: QuestionId, wanted: Option<bool>) -> Option<bool>;

    /// The same for a tag; `None` when no question carries it.
    fn follow_tag(&self, user: UserId, tag: TagName, wanted: Option<bool>) -> Option<bool>;

    /// Whether the user follows the tag.
    fn follows_tag(&self, user: UserId, tag: TagName) -> bool;

    /// The tags the user follows and the questions they followed last.
    fn following(&self, user: UserId) -> Following;

    /// Notifies one batch of the followers still to be told of a post, if any are; whether some were.
    fn fan_out_step(&self) -> bool;

    /// Deletes the account if its password hash is still `checked`: its posts stay (shown as by a deleted
    /// user), its likes are taken back, its follows, notifications, links, queued mail and sessions go, its
    /// address is freed and its name held until [`Store::free_held_names`]. The name it had, or `None` when
    /// the password changed meanwhile.
    fn delete_account(&self, user: UserId, checked: String) -> Option<String>;

    /// Frees the names of accounts deleted at `deleted_before` or before; how many.
    fn free_held_names(&self, deleted_before: i64) -> u64;

    /// The account with this address (compared as `Email::key`), as its mail is addressed.
    fn user_by_email(&self, email: Email) -> Option<Recipient>;

    /// The account's name, address and language.
    fn mail_address(&self, user: UserId) -> Option<Recipient>;

    /// Keeps a one-use link and queues the mail that carries it (if any), together, unless the account was
    /// deleted or its password is no longer the one checked (then `false`, and nothing is kept or sent).
    fn add_link(&self, link: NewLink, mail: Option<Outgoing>) -> bool;

    /// Keeps a sign-up until its address is confirmed and queues the mail with its link, together.
    fn add_signup(&self, signup: NewSignup, mail: Outgoing) -> ();

    /// Whether the link with this token hash, for `purpose`, still works (a confirmation link may be a
    /// sign-up's).
    fn link_works(&self, token_hash: String, purpose: LinkPurpose) -> bool;

    /// Uses up a reset link that still works: sets the account's password hash, verifies the address the
    /// link went to (it was read there), and ends every session of the account; the account, or `None`
    /// for a link that is unknown, lapsed or used.
    fn reset_password(&self, token_hash: String, password_hash: String) -> Option<CurrentUser>;

    /// Uses up a confirmation link that still works: the account's address is verified, or the account
    /// moves to the address (its other links void, the old address told), or a sign-up's account is made.
    fn verify_address(&self, token_hash: String) -> Verified;

    /// Queues a mail (to an account, or to an address with no account).
    fn queue_mail(&self, user: Option<UserId>, mail: Outgoing) -> ();

    /// Takes up to `limit` mails that are due, oldest first, each leased to this server for a while and
    /// counted as an attempt.
    fn take_due_mail(&self, limit: i64) -> Vec<QueuedMail>;

    /// Takes a mail out of the queue: sent, or given up.
    fn mail_sent(&self, id: i64) -> ();

    /// Leaves a mail that failed in the queue until `retry_at`, with the error.
    fn mail_failed(&self, id: i64, retry_at: i64, error: String) -> ();

    /// A notification as its mail tells it (with whether it was read meanwhile); `None` once it is gone.
    fn notification_mail(&self, id: i64) -> Option<Notification>;

    /// The account's address, whether it is verified, what it gets by mail and where it is moving to.
    fn mail_settings(&self, user: UserId) -> Option<MailSettings>;

    /// Sets which notifications the account gets by mail, and whether as one mail a day.
    fn set_mail_choices(&self, user: UserId, choices: MailChoices, digest: bool) -> ();

    /// Queues the digests that are due (each account's once a day, when something is unread); how many.
    fn queue_digests(&self) -> u64;

    /// The account's unread notifications after the notification `after`, newest first, as many as a
    /// digest lists.
    fn digest_notifications(&self, user: UserId, after: i64) -> Vec<Notification>;

    /// Sets the language the account's mail is written in.
    fn set_locale(&self, user: UserId, locale: String) -> ();

    /// Counts a reset or verification mail asked for to the address `address_key` from `client`, or says
    /// why not (`domain::mail`'s limits, shared by every app server on the database); the address's own
    /// cap is left out for its `owner` (asking from where the account signed in).
    fn begin_mail_request(&self, address_key: String, client: ClientKey, owner: bool) -> Result<(), MailRequestRefused>;

    /// The client addresses of the live sessions of the account with this address (its key, confirmed),
    /// the last used first.
    fn signed_in_from(&self, address_key: String, now: i64) -> Vec<String>;

    /// Adds an API token (its hash) to an account that is not deleted and holds fewer than
    /// `tokens::MAX_TOKENS`.
    fn create_token(&self, token: NewToken) -> TokenCreated;

    /// The account's API tokens, the newest first.
    fn user_tokens(&self, user: UserId) -> Vec<TokenSummary>;

    /// Revokes (deletes) one of the account's tokens; whether it had one with that id.
    fn revoke_token(&self, user: UserId, id: i64) -> bool;

    /// The account a token (by its hash) speaks for, if the token has not lapsed by `now` and the account
    /// is not deleted.
    fn token_holder(&self, hash: String, now: i64) -> Option<TokenHolder>;

    /// Notes when a token was last used.
    fn token_used(&self, id: i64, now: i64) -> ();

    /// Where the account stands at `now` (role, suspension, confirmed address, unread count); `None` for
    /// an account that is deleted or never was.
    fn standing(&self, user: UserId, now: i64) -> Option<Standing>;

    /// Closes the question if the policy lets `actor` (their role read in the write), and logs it.
    fn close_question(&self, actor: UserId, id: QuestionId, request: CloseRequest, now: i64) -> Guarded<CloseOutcome>;

    /// Reopens the question if the policy lets `actor`, and logs it; whether it was closed.
    fn reopen_question(&self, actor: UserId, id: QuestionId, now: i64) -> Guarded<bool>;

    /// Suspends `user` (`Some`) or lifts their suspension (`None`) if the policy lets `actor` (by both
    /// roles, read in the write), and logs it; whether anything changed (lifting: whether one ran).
    fn set_suspension(&self, actor: UserId, user: UserId, suspension: Option<Suspension>, now: i64) -> Guarded<bool>;

    /// Gives `user` the role, if the policy lets `actor` (`None`: the operator, from the shell), and logs
    /// it; the role they had.
    fn set_role(&self, actor: Option<UserId>, user: UserId, role: Role, now: i64) -> Guarded<Role>;

    /// Up to `limit` accounts after the id `after`, in id order (only those with a role, `staff_only`).
    fn accounts(&self, after: UserId, limit: i64, staff_only: bool) -> Vec<AccountRow>;

    /// A page of the moderation log: the entries before the id `before` (the newest without), newest first.
    fn moderation_log(&self, before: Option<i64>) -> LogPage;

    /// Every account's id and name, oldest first (the seed adds posts to an existing board).
    fn all_authors(&self) -> Vec<(UserId, String)>;

    /// Every question's id and author, by author and then id (the order the seed has always drawn from, so an
    /// added seed makes the same board it always did).
    fn all_questions(&self) -> Vec<(QuestionId, UserId)>;

    /// Inserts many accounts in one transaction (the seed); on the first clash nothing is kept, and the
    /// clashing account's position and field come back.
    fn insert_users(&self, accounts: Vec<NewAccount>, password_hash: String, now: i64) -> Result<Vec<UserId>, (usize, Taken)>;

    /// Inserts many questions in one transaction (the seed).
    fn insert_questions(&self, questions: Vec<NewQuestion>) -> Vec<QuestionId>;

    /// Inserts many answers in one transaction (the seed).
    fn insert_answers(&self, answers: Vec<NewAnswer>) -> Vec<Option<AnswerId>>;

    /// Inserts many comments in one transaction (the seed).
    fn insert_comments(&self, comments: Vec<NewComment>) -> Vec<Option<CommentId>>;

    /// Toggles many answers' accepted marks in one transaction (the seed).
    fn toggle_accepts(&self, accepts: Vec<(Actor, AnswerId)>) -> Vec<Guarded<(QuestionId, bool)>>;

    /// Toggles many likes in one transaction (the seed).
    fn toggle_likes(&self, likes: Vec<(Actor, PostRef)>) -> Vec<LikeOutcome>;

    /// Tidies the indexes after a bulk load.
    fn optimize(&self) -> ();

    /// Questions changed after log entry `after`, oldest first, at most `limit`.
    fn search_changes(&self, after: i64, limit: usize) -> Vec<SearchChange>;

    /// The oldest log entry still kept and the newest ever written (0 when none was).
    fn search_log_bounds(&self) -> (i64, i64);

    /// Forgets log entries up to `up_to`; returns how many.
    fn forget_search_changes(&self, up_to: i64) -> usize;

    /// The questions among `ids` that exist, as the search index holds them.
    fn search_documents(&self, ids: Vec<QuestionId>) -> Vec<IndexedQuestion>;

    /// Up to `limit` questions after `after` in id order, as the search index holds them.
    fn search_documents_after(&self, after: QuestionId, limit: usize) -> Vec<IndexedQuestion>;

    /// A batch of `table`'s rows after the row whose key is `after`, in key order (`miniboard copy`).
    fn copy_rows_out(&self, table: &'static copy::Table, after: Option<copy::Row>) -> Vec<copy::Row>;

    /// Adds copied rows to `table` as they are, ids included, in one transaction.
    fn copy_rows_in(&self, table: &'static copy::Table, rows: Vec<copy::Row>) -> ();

    /// After a copy: the derived state made again (the question total, id sequences), and the search log
    /// emptied (the target's index is built from the board).
    fn copy_finish(&self) -> ();

    /// After a failed copy: every copied table emptied again (settings kept), the derived state with them.
    fn copy_clear(&self) -> ();

    /// The one number a query of the copy's checks returns.
    fn copy_number(&self, sql: String) -> i64;
}
