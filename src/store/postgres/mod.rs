//! The PostgreSQL engine, for a board served by several app servers: a deadpool of tokio-postgres
//! connections, the schema in `migrations/`, and the same operations as the SQLite engine with the same
//! results. What is PostgreSQL's own stays here:
//!
//! - Board writes take one transaction-scoped advisory lock first, so they commit one at a time as on
//!   SQLite. The search index follows `search_changes` by sequence number; with writers in turn, numbers
//!   are handed out in commit order and a reader can never pass one that commits later. Taken before any
//!   row lock, the lock cannot deadlock.
//! - Notifications, follows and the background fan-out change no visitor's page, so they notify no
//!   server; they still take the same lock first ([`PgStore::quiet_write`]), since their rows' triggers and
//!   keys meet the board writes' rows.
//! - Each board write sends a notification on commit; every app server listens and moves its generation
//!   on, so a page one server cached is not served after another server changed the board.

mod accounts;
mod board;
mod comments;
mod copy;
mod deletion;
mod feeds;
mod flags;
mod limits;
mod mail;
mod migrations;
mod moderation;
mod notifications;
mod people;
mod profiles;
mod revisions;
mod search;
mod tags;
mod tls;
mod tokens;
mod views;
mod writing;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Transaction,
};
use tokio_postgres::{Row, types::ToSql};
use tokio_postgres_rustls::MakeRustlsConnect;

use self::tags::numbered;
use crate::{
    config::PostgresUrl,
    domain::{
        self,
        accounts::{Email, NewAccount, SessionSummary, Taken, User, Username},
        board::{
            AnswerSort, COMMENTS_SHOWN, CommentText, Content, ListSort, PAGE_SIZE, QuestionDraft,
            clamp_page,
        },
        ids::{AnswerId, CommentId, QuestionId, UserId},
        limits::ClientKey,
        notifications::{Following, Inbox, Mentioned},
        people::{AnswerList, DeletedPost, Profile, UserList},
        policy::{self, Action, Actor, Denied, PostRef, PostState, Role},
        posts::{
            Answer, Comment, FeedEntry, PageParts, PostComments, Question, QuestionList,
            QuestionPage, QuestionSummary,
        },
        search::{IndexedQuestion, SearchChange},
        tags::{TagCount, TagList, TagName},
        views::ViewerKey,
        writing::WriteKind,
    },
    store::{
        Guarded, LikeOutcome, NewAnswer, NewComment, NewQuestion, Revision, SessionOwner,
        StoreError, StoreResult, StoredSession, deletion as deletion_sql,
        moderation as moderation_sql, sessions,
    },
    sync::lock,
};

/// The schema version a fully migrated database has.
pub const SCHEMA_VERSION: i64 = migrations::LATEST;

/// Connections per app server: a request holds one for a statement or a short transaction.
const POOL_SIZE: usize = 16;
/// How long a request waits for a connection before it fails (a 503, logged).
const POOL_WAIT: Duration = Duration::from_secs(5);
/// Board writes of this server that may hold a connection while they wait for their turn: the rest wait
/// without one, so writes held up elsewhere (a slow transaction on another server) leave the pool to reads.
const WRITERS: usize = 2;
/// The advisory lock board writes take in turn (any fixed number; "mb" in ASCII).
const WRITE_LOCK: i64 = 0x6d62;
/// The advisory lock a session purge takes ("mbsp" in ASCII).
const PURGE_LOCK: i64 = 0x6d62_7370;
/// The setting that says when sessions were last purged (Unix seconds).
const PURGED_AT: &str = "sessions_purged_at";
/// How long a write waits to hear its own notification back before it answers (see [`Echo`]).
const ECHO_WAIT: Duration = Duration::from_millis(100);
/// The channel a board write notifies on commit.
const CHANGES_CHANNEL: &str = "miniboard_changes";
/// For the rest of a transaction, statements run on the plan made once per connection. PostgreSQL
/// plans a statement with array or flag parameters again at every run, in case their values change the
/// plan; on the question page's statements that cost more than running them (0.3-0.6 ms a statement at
/// 10,000 questions), and the generic plans run as fast.
const GENERIC_PLANS: &str = "SET LOCAL plan_cache_mode = force_generic_plan";
/// How the board's connections name themselves to the server, before an id of their process.
const APPLICATION: &str = "miniboard";

/// A read-only REPEATABLE READ transaction, for statements that must read one snapshot. It is ended by
/// dropping it: read only, it has nothing to commit, and dropped it sends its ROLLBACK without waiting
/// for the answer (queued ahead of the connection's next statement), a round trip saved.
async fn read_snapshot(
    connection: &mut deadpool_postgres::Object,
) -> Result<Transaction<'_>, PgError> {
    connection
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
}

/// The name this process's connections give the server (`application_name`): miniboard and an id of
/// the process, then the name the URL gives, if any (cut short by the server past 63 bytes). The id is
/// one for every store the process opens, so a copy's two stores are not each other's "other process",
/// and it is not the echo's, which no one else may know.
fn process_name(given: Option<&str>) -> String {
    static ID: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let own = format!("{APPLICATION} {:016x}", ID.get_or_init(rand::random));
    match given {
        Some(given) => format!("{own} {given}"),
        None => own,
    }
}

/// How many other miniboard processes have connections to the database `client` is on: by the names
/// they give (a release before the id named itself just "miniboard").
async fn count_other_processes(client: &tokio_postgres::Client) -> Result<i64, PgError> {
    let own = process_name(None);
    let row = client
        .query_one(
            "SELECT count(DISTINCT application_name) FROM pg_stat_activity
             WHERE datname = current_database()
               AND (application_name = $1 OR application_name LIKE $1 || ' %')
               AND left(application_name, length($2)) <> $2",
            &[&APPLICATION, &own],
        )
        .await?;
    row.try_get(0)
}

/// How this process connects to the database at `url`: its settings, under this process's name, and TLS.
fn connection_settings(
    url: &PostgresUrl,
) -> StoreResult<(tokio_postgres::Config, MakeRustlsConnect)> {
    let refused = |why: String| StoreError::Refused(format!("{url}: {why}"));
    let read = url.connection().map_err(refused)?;
    let tls = tls::connector(&read).map_err(refused)?;
    let mut config = read.config;
    let named = process_name(config.get_application_name());
    config.application_name(named);
    Ok((config, tls))
}

/// `count_other_processes` on a connection of its own, before any store is opened on the database (which
/// would bring its schema up to date under the servers it then finds).
pub async fn other_processes_at(url: &PostgresUrl) -> StoreResult<i64> {
    let (config, tls) = connection_settings(url)?;
    let (client, connection) = config.connect(tls).await?;
    let connected = tokio::spawn(connection);
    let counted = count_other_processes(&client).await;
    drop(client);
    let _ = connected.await;
    Ok(counted?)
}

type PgError = tokio_postgres::Error;

/// What went wrong, in the server's own words and code where it said any: the client's error alone says
/// only "db error" or "error connecting to server".
fn describe(err: &PgError) -> String {
    match err.as_db_error() {
        Some(db) => format!("{} {}: {}", db.severity(), db.code().code(), db.message()),
        None => match std::error::Error::source(err) {
            Some(cause) => format!("{err}: {cause}"),
            None => err.to_string(),
        },
    }
}

impl From<PgError> for StoreError {
    fn from(err: PgError) -> Self {
        if err.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            return Self::Pool("the board's writes are held up".to_owned());
        }
        Self::Engine {
            engine: "postgres",
            error: describe(&err).into(),
        }
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError;
        Self::Pool(match err {
            PoolError::Backend(err) => format!("cannot connect to PostgreSQL: {}", describe(&err)),
            PoolError::Timeout(_) => "no PostgreSQL connection free in time".to_owned(),
            other => other.to_string(),
        })
    }
}

/// This server's notifications as they come back: PostgreSQL delivers a channel's notifications in commit
/// order to every listener, so once a write hears its own, every other server has been sent it too. A write
/// waits for that before it answers, so the request that follows, on whichever server, finds the page it
/// kept outdated already.
struct Echo {
    server: u64,
    sent: AtomicU64,
    heard: tokio::sync::watch::Sender<u64>,
}

impl Echo {
    /// Takes in a notification's payload (`server:number`), noting it when it is one of ours.
    fn hear(&self, payload: &str) {
        let ours = payload.split_once(':').and_then(|(server, number)| {
            Some((server.parse::<u64>().ok()?, number.parse::<u64>().ok()?))
        });
        if let Some((server, number)) = ours
            && server == self.server
        {
            self.heard.send_if_modified(|heard| {
                let newer = number > *heard;
                if newer {
                    *heard = number;
                }
                newer
            });
        }
    }
}

/// The PostgreSQL engine's handle; cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    generation: Arc<AtomicU64>,
    /// Whether the listener hears other servers' writes; while it does not, no page is reused.
    listening: Arc<AtomicBool>,
    writers: Arc<tokio::sync::Semaphore>,
    echo: Arc<Echo>,
    /// The question total and the generation it was read at.
    total: Arc<Mutex<Option<(u64, i64)>>>,
    _listener: Arc<Listener>,
}

/// The task listening for other servers' writes, ended with the last handle on the store: its connection
/// closes with it (a store dropped while the process goes on, as in tests, leaves no connection behind).
struct Listener(tokio::task::AbortHandle);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl PgStore {
    /// Connects, brings the schema up to date (one server at a time) and starts listening for writes.
    pub async fn open(url: &PostgresUrl) -> StoreResult<Self> {
        let (config, tls) = connection_settings(url)?;
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(POOL_WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|err| StoreError::Pool(err.to_string()))?;
        migrations::run(&mut pool.get().await?).await?;
        let generation = Arc::new(AtomicU64::new(0));
        let listening = Arc::new(AtomicBool::new(false));
        let echo = Arc::new(Echo {
            server: rand::random(),
            sent: AtomicU64::new(0),
            heard: tokio::sync::watch::Sender::new(0),
        });
        let listener = listen_for_writes(
            config,
            tls,
            generation.clone(),
            listening.clone(),
            echo.clone(),
        )
        .await;
        Ok(Self {
            pool,
            generation,
            listening,
            writers: Arc::new(tokio::sync::Semaphore::new(WRITERS)),
            total: Arc::default(),
            echo,
            _listener: Arc::new(Listener(listener)),
        })
    }

    /// Writes visible to visitors so far, this server's and (heard on the channel) every other's. While
    /// the listener is down, every call gives a new number: nothing cached is trusted.
    pub fn generation(&self) -> u64 {
        if self.listening.load(Ordering::Acquire) {
            self.generation.load(Ordering::Acquire)
        } else {
            self.generation.fetch_add(1, Ordering::AcqRel) + 1
        }
    }

    /// The question total, read again only when the generation moved: a write here, or one heard from
    /// another server (a round trip saved on every list page; while not listening, it is read every time).
    async fn question_total(&self, client: &impl GenericClient) -> Result<i64, PgError> {
        let generation = self.generation();
        if let Some((seen, total)) = *lock(&self.total)
            && seen == generation
        {
            return Ok(total);
        }
        let total = board::total(client).await?;
        *lock(&self.total) = Some((generation, total));
        Ok(total)
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }

    /// A writer's turn on this server, then a connection.
    async fn writer(
        &self,
    ) -> StoreResult<(tokio::sync::OwnedSemaphorePermit, deadpool_postgres::Object)> {
        let turn = tokio::time::timeout(POOL_WAIT, self.writers.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Pool("the board's writes are held up".to_owned()))?
            .map_err(|_| StoreError::Pool("closing".to_owned()))?;
        Ok((turn, self.client().await?))
    }

    pub async fn schema_version(&self) -> StoreResult<i64> {
        let client = self.client().await?;
        Ok(migrations::version(&client).await?)
    }

    /// How many other miniboard processes have connections to this database.
    pub async fn other_processes(&self) -> StoreResult<i64> {
        Ok(count_other_processes(&**self.client().await?).await?)
    }

    pub async fn ping(&self) -> StoreResult<()> {
        self.client().await?.simple_query("SELECT 1").await?;
        Ok(())
    }

    pub async fn setting_or_insert(
        &self,
        name: &'static str,
        candidate: String,
    ) -> StoreResult<String> {
        let mut client = self.client().await?;
        // The server's own settings: no visitor's page changes, no turn to wait for.
        let tx = client.transaction().await?;
        run(
            &tx,
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[&name, &candidate],
        )
        .await?;
        let value = one(&tx, "SELECT value FROM settings WHERE name = $1", &[&name])
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(value)
    }

    pub async fn copy_rows_out(
        &self,
        table: &'static crate::store::copy::Table,
        after: Option<crate::store::copy::Row>,
    ) -> StoreResult<Vec<crate::store::copy::Row>> {
        let client = self.client().await?;
        Ok(copy::rows_out(&client, table, after.as_ref()).await?)
    }

    pub async fn copy_rows_in(
        &self,
        table: &'static crate::store::copy::Table,
        rows: Vec<crate::store::copy::Row>,
    ) -> StoreResult<()> {
        self.board_write(async |tx| copy::rows_in(tx, table, &rows).await)
            .await
    }

    pub async fn copy_finish(&self) -> StoreResult<()> {
        self.board_write(async |tx| copy::finish(tx).await).await
    }

    pub async fn copy_clear(&self) -> StoreResult<()> {
        self.board_write(async |tx| copy::clear(tx).await).await
    }

    pub async fn copy_number(&self, sql: String) -> StoreResult<i64> {
        let client = self.client().await?;
        Ok(copy::number(&client, &sql).await?)
    }

    pub async fn question_list(
        &self,
        sort: ListSort,
        requested_page: i64,
    ) -> StoreResult<QuestionList> {
        let client = self.client().await?;
        let total = match board::region(sort) {
            Some(region) => board::region_total(&client, region).await?,
            None => self.question_total(&client).await?,
        };
        Ok(board::list(&client, sort, requested_page, total).await?)
    }

    pub async fn question_summaries(
        &self,
        ids: Vec<QuestionId>,
    ) -> StoreResult<Vec<(QuestionSummary, String)>> {
        let client = self.client().await?;
        Ok(board::summaries_with_bodies(&client, &ids).await?)
    }

    pub async fn question_page(
        &self,
        id: QuestionId,
        sort: AnswerSort,
        requested_page: i64,
        reader: Option<Actor>,
        parts: PageParts,
    ) -> StoreResult<Option<QuestionPage>> {
        let viewer = reader.map(|reader| reader.id);
        let mut connection = self.client().await?;
        // The page's statements read one snapshot: a write landing between them (an accept, a comment)
        // would otherwise show half of itself until the next render.
        let client = read_snapshot(&mut connection).await?;
        let answers_at = |page: i64| {
            board::answer_page(&client, id, sort, (page - 1) * PAGE_SIZE, PAGE_SIZE, viewer)
        };
        let accepted_on = async |page: i64| match page {
            1 => board::accepted_answer(&client, id, viewer).await,
            _ => Ok(None),
        };
        // The statements sent at once (the client pipelines them): the page asked for is the page shown
        // unless it is past the last, and only then are its answers read again.
        let requested = requested_page.clamp(1, i64::MAX / PAGE_SIZE);
        let deleted_of = async || match reader {
            Some(reader) => board::deleted_answers(&client, id, reader).await,
            None => Ok(Vec::new()),
        };
        let related_candidates = async || match parts {
            PageParts::Whole => tags::related_candidates(&client, id).await,
            PageParts::Answers => Ok(Vec::new()),
        };
        let ((), question, answers, accepted, deleted_answers, candidates) = tokio::try_join!(
            // Polled in order, so the setting is sent first and holds for the statements after it.
            biased;
            client.batch_execute(GENERIC_PLANS),
            board::find_question(&client, id, viewer),
            answers_at(requested),
            accepted_on(requested),
            deleted_of(),
            related_candidates()
        )?;
        let Some(question) = question else {
            return Ok(None);
        };
        let page = clamp_page(requested_page, question.paged_answers());
        let (answers, accepted) = if page == requested {
            (answers, accepted)
        } else {
            (answers_at(page).await?, accepted_on(page).await?)
        };
        // A deleted question keeps its mark, on an answer deleted with it.
        let accepted = accepted.filter(|answer| answer.deleted.is_none());
        // The first comments of each post that has any, in one more statement (none when no post has).
        let commented: Vec<i64> = accepted
            .iter()
            .chain(&answers)
            .filter(|answer| answer.comment_count > 0)
            .map(|answer| answer.id.0)
            .collect();
        let comments_of = async || {
            if question.comment_count == 0 && commented.is_empty() {
                return Ok(Vec::new());
            }
            let on_question = question.comment_count > 0;
            comments::first_on_page(&client, id, on_question, &commented, COMMENTS_SHOWN).await
        };
        let related = domain::related::rank(&question.tags, &question.subject, candidates);
        let summaries_of = async || {
            if related.is_empty() {
                return Ok(Vec::new());
            }
            board::summaries(&client, &related).await
        };
        // Both sent at once (pipelined).
        let (comments, related) = tokio::try_join!(comments_of(), summaries_of())?;
        Ok(Some(QuestionPage {
            question,
            accepted,
            page,
            answers,
            comments,
            deleted_answers,
            related,
        }))
    }

    pub async fn feed_questions(
        &self,
        tag: Option<TagName>,
        limit: i64,
    ) -> StoreResult<Option<Vec<FeedEntry>>> {
        let client = self.client().await?;
        Ok(feeds::questions(&client, tag.as_ref(), limit).await?)
    }

    pub async fn feed_answers(
        &self,
        id: QuestionId,
        limit: i64,
    ) -> StoreResult<Option<(FeedEntry, Vec<FeedEntry>)>> {
        let client = self.client().await?;
        Ok(feeds::answers(&client, id, limit).await?)
    }

    pub async fn tag_list(&self, prefix: String, requested_page: i64) -> StoreResult<TagList> {
        let client = self.client().await?;
        Ok(tags::list(&client, &prefix, requested_page).await?)
    }

    pub async fn tag_questions(
        &self,
        tag: TagName,
        sort: ListSort,
        requested_page: i64,
    ) -> StoreResult<Option<(TagCount, QuestionList)>> {
        let client = self.client().await?;
        Ok(tags::questions(&client, &tag, sort, requested_page).await?)
    }

    pub async fn profile(&self, typed_name: String) -> StoreResult<Option<Profile>> {
        let client = self.client().await?;
        Ok(profiles::profile(&client, &typed_name).await?)
    }

    pub async fn user_top_tags(&self, user: UserId) -> StoreResult<Vec<TagCount>> {
        let client = self.client().await?;
        Ok(profiles::top_tags(&client, user).await?)
    }

    pub async fn user_questions(
        &self,
        user: UserId,
        requested_page: i64,
    ) -> StoreResult<QuestionList> {
        let client = self.client().await?;
        Ok(profiles::questions(&client, user, requested_page).await?)
    }

    pub async fn user_answers(&self, user: UserId, requested_page: i64) -> StoreResult<AnswerList> {
        let client = self.client().await?;
        Ok(profiles::answers(&client, user, requested_page).await?)
    }

    pub async fn user_deleted_posts(&self, user: UserId) -> StoreResult<Vec<DeletedPost>> {
        let client = self.client().await?;
        Ok(profiles::deleted(&client, user).await?)
    }

    pub async fn user_list(&self, prefix: String, requested_page: i64) -> StoreResult<UserList> {
        let client = self.client().await?;
        Ok(profiles::list(&client, &prefix, requested_page).await?)
    }

    pub async fn question(
        &self,
        id: QuestionId,
        viewer: Option<UserId>,
    ) -> StoreResult<Option<Question>> {
        let client = self.client().await?;
        Ok(board::find_question(&client, id, viewer).await?)
    }

    pub async fn check(
        &self,
        actor: Actor,
        action: Action,
        post: PostRef,
    ) -> StoreResult<Guarded<()>> {
        let client = self.client().await?;
        Ok(guard(&client, actor, action, post).await?)
    }

    pub async fn insert_question(&self, question: NewQuestion) -> StoreResult<Guarded<QuestionId>> {
        self.board_write_if_made(async |tx| {
            if let Some(check) = &question.check
                && let Some(limited) = writing::limited(
                    tx,
                    question.author_id,
                    WriteKind::Question,
                    question.draft.content.as_str(),
                    check,
                    question.now,
                )
                .await?
            {
                return Ok(Guarded::Denied(Denied::Limited(limited)));
            }
            let id = board::insert_question(tx, &question).await?;
            notifications::asked(tx, id, &question).await?;
            Ok(Guarded::Done(id))
        })
        .await
    }

    pub async fn update_question(
        &self,
        actor: Actor,
        id: QuestionId,
        revision: Revision<QuestionDraft>,
    ) -> StoreResult<Guarded<()>> {
        let post = PostRef::Question(id);
        self.guarded_write(actor, Action::Edit, post, async |tx| {
            let number = revisions::before_edit(tx, post).await?;
            board::update_question(tx, id, &revision).await?;
            revisions::after_edit(tx, post, number + 1, actor.id, revision.now, &revision.note)
                .await
                .map(Some)
        })
        .await
    }

    pub async fn answer(
        &self,
        id: AnswerId,
        viewer: Option<UserId>,
    ) -> StoreResult<Option<Answer>> {
        let client = self.client().await?;
        Ok(board::find_answer(&client, id, viewer).await?)
    }

    pub async fn answer_position(
        &self,
        id: AnswerId,
        sort: AnswerSort,
    ) -> StoreResult<Option<(QuestionId, i64)>> {
        let client = self.client().await?;
        let Some(answer) = board::find_answer(&client, id, None).await? else {
            return Ok(None);
        };
        let position = board::answer_position(&client, id, sort).await?;
        Ok(Some((answer.question_id, position)))
    }

    pub async fn insert_answer(&self, answer: NewAnswer) -> StoreResult<Guarded<AnswerId>> {
        self.board_write_if_made(async |tx| {
            if let Some(check) = &answer.check
                && let Some(limited) = writing::limited(
                    tx,
                    answer.author_id,
                    WriteKind::Reply,
                    answer.content.as_str(),
                    check,
                    answer.now,
                )
                .await?
            {
                return Ok(Guarded::Denied(Denied::Limited(limited)));
            }
            let outcome = board::insert_answer(tx, &answer).await?;
            if let Guarded::Done(id) = outcome {
                notifications::answered(tx, id, &answer).await?;
            }
            Ok(outcome)
        })
        .await
    }

    pub async fn update_answer(
        &self,
        actor: Actor,
        id: AnswerId,
        revision: Revision<Content>,
    ) -> StoreResult<Guarded<Answer>> {
        let post = PostRef::Answer(id);
        self.guarded_write(actor, Action::Edit, post, async |tx| {
            let number = revisions::before_edit(tx, post).await?;
            board::update_answer(tx, id, &revision).await?;
            revisions::after_edit(tx, post, number + 1, actor.id, revision.now, &revision.note)
                .await?;
            let answer = board::find_answer(tx, id, Some(actor.id)).await?;
            if let Some(answer) = &answer {
                notifications::answer_edited(
                    tx,
                    id,
                    answer.question_id,
                    actor.id,
                    &revision.mentioned,
                    revision.now,
                )
                .await?;
            }
            Ok(answer)
        })
        .await
    }

    pub async fn accept(
        &self,
        actor: Actor,
        id: AnswerId,
        wanted: Option<bool>,
    ) -> StoreResult<Guarded<(QuestionId, bool)>> {
        self.guarded_write(actor, Action::Accept, PostRef::Answer(id), async |tx| {
            let marked = board::mark_accepted(tx, id, wanted).await?;
            if let Some((question, true, true)) = marked {
                notifications::accepted(tx, id, question, actor.id, crate::domain::now()).await?;
            }
            Ok(marked.map(|(question, now, _)| (question, now)))
        })
        .await
    }

    pub async fn post_comments(&self, post: PostRef) -> StoreResult<Option<PostComments>> {
        let client = self.client().await?;
        Ok(comments::of_post(&client, post).await?)
    }

    pub async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>> {
        let client = self.client().await?;
        Ok(comments::find(&client, id).await?)
    }

    pub async fn comment_position(&self, id: CommentId) -> StoreResult<Option<(Comment, i64)>> {
        let client = self.client().await?;
        let Some(comment) = comments::find(&client, id).await? else {
            return Ok(None);
        };
        let position = comments::position(&client, &comment).await?;
        Ok(Some((comment, position)))
    }

    pub async fn insert_comment(&self, comment: NewComment) -> StoreResult<Guarded<CommentId>> {
        self.board_write_if_made(async |tx| {
            if let Some(check) = &comment.check
                && let Some(limited) = writing::limited(
                    tx,
                    comment.author_id,
                    WriteKind::Reply,
                    comment.content.as_str(),
                    check,
                    comment.now,
                )
                .await?
            {
                return Ok(Guarded::Denied(Denied::Limited(limited)));
            }
            let Some(id) = comments::insert(tx, &comment).await? else {
                return Ok(Guarded::Missing);
            };
            notifications::commented(tx, id, &comment).await?;
            Ok(Guarded::Done(id))
        })
        .await
    }

    pub async fn update_comment(
        &self,
        actor: Actor,
        id: CommentId,
        revision: Revision<CommentText>,
    ) -> StoreResult<Guarded<Comment>> {
        let post = PostRef::Comment(id);
        self.guarded_write(actor, Action::Edit, post, async |tx| {
            let number = revisions::before_edit(tx, post).await?;
            comments::update(tx, id, &revision).await?;
            revisions::after_edit(tx, post, number + 1, actor.id, revision.now, &revision.note)
                .await?;
            notifications::comment_edited(tx, id, actor.id, &revision.mentioned, revision.now)
                .await?;
            comments::find(tx, id).await
        })
        .await
    }

    pub async fn delete_comment(
        &self,
        actor: Actor,
        id: CommentId,
    ) -> StoreResult<Guarded<Comment>> {
        let post = PostRef::Comment(id);
        self.guarded_write(actor, Action::Delete, post, async |tx| {
            revisions::log_change(
                tx,
                post,
                actor.id,
                crate::domain::now(),
                crate::store::revisions::DELETED,
            )
            .await?;
            comments::delete(tx, id).await
        })
        .await
    }

    pub async fn toggle_accepts(
        &self,
        accepts: Vec<(Actor, AnswerId)>,
    ) -> StoreResult<Vec<Guarded<(QuestionId, bool)>>> {
        self.board_write(async |tx| {
            let mut outcomes = Vec::with_capacity(accepts.len());
            for &(actor, id) in &accepts {
                let post = PostRef::Answer(id);
                outcomes.push(
                    guarded_in(tx, actor, Action::Accept, post, async |tx| {
                        board::toggle_accepted(tx, id).await
                    })
                    .await?,
                );
            }
            Ok(outcomes)
        })
        .await
    }

    pub async fn insert_comments(
        &self,
        new: Vec<NewComment>,
    ) -> StoreResult<Vec<Option<CommentId>>> {
        self.board_write(async |tx| {
            let mut ids = Vec::with_capacity(new.len());
            for comment in &new {
                ids.push(comments::insert(tx, comment).await?);
            }
            Ok(ids)
        })
        .await
    }

    pub async fn count_views(
        &self,
        views: Vec<(QuestionId, ViewerKey, i64)>,
        now: i64,
    ) -> StoreResult<u64> {
        self.unseen_transaction(async |tx| views::count(tx, &views, now).await)
            .await
    }

    pub async fn add_views(&self, views: Vec<(QuestionId, i64)>) -> StoreResult<()> {
        self.unseen_transaction(async |tx| views::add(tx, &views).await)
            .await
    }

    pub async fn like(
        &self,
        actor: Actor,
        post: PostRef,
        wanted: Option<bool>,
    ) -> StoreResult<LikeOutcome> {
        self.board_write(async |tx| board::set_like(tx, post, actor, wanted).await)
            .await
    }

    pub async fn highest_question_id(&self) -> StoreResult<i64> {
        let client = self.client().await?;
        Ok(
            one(&client, "SELECT coalesce(max(id), 0) FROM questions", &[])
                .await?
                .try_get(0)?,
        )
    }

    pub async fn questions_changed(
        &self,
        first: i64,
        last: i64,
    ) -> StoreResult<Vec<(QuestionId, i64)>> {
        let client = self.client().await?;
        Ok(board::changed_between(&client, first, last).await?)
    }

    pub async fn taken(&self, username: Username, email: Email) -> StoreResult<Vec<Taken>> {
        let client = self.client().await?;
        Ok(people::taken(&client, &username, &email).await?)
    }

    pub async fn insert_user(
        &self,
        account: NewAccount,
        password_hash: String,
        now: i64,
    ) -> StoreResult<Result<UserId, Taken>> {
        self.board_write(async |tx| {
            people::insert_user(tx, &account.username, &account.email, &password_hash, now).await
        })
        .await
    }

    pub async fn credentials(&self, typed_name: String) -> StoreResult<Option<(User, String)>> {
        let client = self.client().await?;
        Ok(people::credentials(&client, &typed_name).await?)
    }

    pub async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        let client = self.client().await?;
        Ok(people::find_user(&client, id).await?)
    }

    pub async fn load_session(
        &self,
        id: String,
        now: i64,
        born_after: i64,
    ) -> StoreResult<Option<StoredSession>> {
        let client = self.client().await?;
        Ok(people::load_session(&client, &id, now, born_after).await?)
    }

    pub async fn extend_session(&self, id: String, expires_at: i64, now: i64) -> StoreResult<()> {
        let client = self.client().await?;
        people::extend_session(&client, &id, expires_at, now).await?;
        Ok(())
    }

    pub async fn save_session(
        &self,
        id: String,
        entries: String,
        owner: SessionOwner,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        let client = self.client().await?;
        people::save_session(&client, &id, &entries, &owner, expires_at, now).await?;
        Ok(())
    }

    pub async fn user_sessions(
        &self,
        user: UserId,
        now: i64,
        born_after: i64,
    ) -> StoreResult<Vec<SessionSummary>> {
        let client = self.client().await?;
        Ok(people::user_sessions(&client, user, now, born_after).await?)
    }

    pub async fn end_session(&self, user: UserId, key: String) -> StoreResult<bool> {
        let client = self.client().await?;
        let now = crate::domain::now();
        Ok(run(
            &client,
            &numbered(sessions::END_ONE),
            &[&user.0, &key, &now],
        )
        .await?
            > 0)
    }

    pub async fn end_other_sessions(&self, user: UserId, keep: String) -> StoreResult<u64> {
        let client = self.client().await?;
        let now = crate::domain::now();
        Ok(run(
            &client,
            &numbered(sessions::END_OTHERS),
            &[&user.0, &keep, &now],
        )
        .await?)
    }

    pub async fn password_hash(&self, user: UserId) -> StoreResult<Option<String>> {
        let client = self.client().await?;
        Ok(
            match opt(&client, &numbered(sessions::PASSWORD_HASH), &[&user.0]).await? {
                Some(row) => Some(row.try_get(0)?),
                None => None,
            },
        )
    }

    pub async fn set_password(
        &self,
        user: UserId,
        hash: String,
        checked: String,
        keep: String,
    ) -> StoreResult<bool> {
        self.unseen_transaction(async |tx| {
            let set = numbered(sessions::SET_PASSWORD);
            if run(tx, &set, &[&user.0, &hash, &checked]).await? == 0 {
                return Ok(false);
            }
            let now = crate::domain::now();
            run(tx, &numbered(sessions::END_OTHERS), &[&user.0, &keep, &now]).await?;
            Ok(true)
        })
        .await
    }

    pub async fn remove_session(&self, id: String) -> StoreResult<()> {
        let client = self.client().await?;
        people::remove_session(&client, &id).await?;
        Ok(())
    }

    pub async fn purge_sessions(
        &self,
        now: i64,
        born_after: i64,
        unless_purged_after: i64,
    ) -> StoreResult<Option<usize>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Servers purging at the same moment: one purges, the others find the lock taken and skip.
        let ours: bool = one(&tx, "SELECT pg_try_advisory_xact_lock($1)", &[&PURGE_LOCK])
            .await?
            .try_get(0)?;
        let last: Option<String> = opt(
            &tx,
            "SELECT value FROM settings WHERE name = $1",
            &[&PURGED_AT],
        )
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
        let recent = last
            .and_then(|at| at.parse::<i64>().ok())
            .is_some_and(|at| at > unless_purged_after);
        if !ours || recent {
            return Ok(None);
        }
        let purged = people::purge_sessions(&tx, now, born_after).await?;
        limits::purge(&tx).await?;
        run(
            &tx,
            "INSERT INTO settings (name, value) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[&PURGED_AT, &now.to_string()],
        )
        .await?;
        tx.commit().await?;
        Ok(Some(purged))
    }

    pub async fn begin_login(
        &self,
        name_key: String,
        client: ClientKey,
    ) -> StoreResult<Result<(), Duration>> {
        self.unseen_transaction(async |tx| limits::begin_login(tx, &name_key, client).await)
            .await
    }

    pub async fn login_succeeded(&self, name_key: String, client: ClientKey) -> StoreResult<()> {
        self.unseen_transaction(async |tx| limits::login_succeeded(tx, &name_key, client).await)
            .await
    }

    pub async fn login_abandoned(&self, name_key: String, client: ClientKey) -> StoreResult<()> {
        self.unseen_transaction(async |tx| limits::login_abandoned(tx, &name_key, client).await)
            .await
    }

    pub async fn begin_signup(
        &self,
        client: ClientKey,
        per_hour: usize,
    ) -> StoreResult<Result<(), Duration>> {
        self.unseen_transaction(async |tx| limits::begin_signup(tx, client, per_hour).await)
            .await
    }

    pub async fn signup_refused(&self, client: ClientKey) -> StoreResult<()> {
        self.unseen_transaction(async |tx| limits::signup_refused(tx, client).await)
            .await
    }

    /// A change no page shows (a limit's count, view counts), in its own transaction: not a board write,
    /// so it takes no turn and tells no other server.
    async fn unseen_transaction<T>(
        &self,
        count: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, PgError>,
    ) -> StoreResult<T> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = count(&tx).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    pub async fn users_named(&self, names: Vec<String>) -> StoreResult<Vec<Mentioned>> {
        let client = self.client().await?;
        Ok(notifications::named(&client, &names).await?)
    }

    pub async fn unread_notifications(&self, user: UserId) -> StoreResult<i64> {
        let client = self.client().await?;
        Ok(notifications::unread(&client, user).await?)
    }

    pub async fn inbox(
        &self,
        user: UserId,
        before: Option<i64>,
        mark_read: bool,
    ) -> StoreResult<Inbox> {
        // A read; a write only when the page shows something unread.
        let inbox = notifications::inbox(&self.client().await?, user, before).await?;
        let shown_unread = inbox.shown_unread();
        if mark_read && !shown_unread.is_empty() {
            self.quiet_write(async |tx| notifications::mark_read(tx, user, &shown_unread).await)
                .await?;
        }
        Ok(inbox)
    }

    pub async fn read_all_notifications(&self, user: UserId) -> StoreResult<()> {
        self.quiet_write(async |tx| notifications::read_all(tx, user).await)
            .await
    }

    pub async fn follow_question(
        &self,
        user: UserId,
        question: QuestionId,
        wanted: Option<bool>,
    ) -> StoreResult<Option<bool>> {
        let now = crate::domain::now();
        self.quiet_write(async |tx| {
            notifications::follow_question(tx, user, question, wanted, now).await
        })
        .await
    }

    pub async fn follow_tag(
        &self,
        user: UserId,
        tag: TagName,
        wanted: Option<bool>,
    ) -> StoreResult<Option<bool>> {
        let now = crate::domain::now();
        self.quiet_write(async |tx| notifications::follow_tag(tx, user, &tag, wanted, now).await)
            .await
    }

    pub async fn follows_tag(&self, user: UserId, tag: TagName) -> StoreResult<bool> {
        let client = self.client().await?;
        Ok(notifications::follows_tag(&client, user, &tag).await?)
    }

    pub async fn following(&self, user: UserId) -> StoreResult<Following> {
        let client = self.client().await?;
        Ok(notifications::following(&client, user).await?)
    }

    pub async fn fan_out_step(&self) -> StoreResult<bool> {
        self.quiet_write(async |tx| notifications::fan_out_step(tx).await)
            .await
    }

    pub async fn all_authors(&self) -> StoreResult<Vec<(UserId, String)>> {
        let client = self.client().await?;
        Ok(people::all_names(&client).await?)
    }

    pub async fn all_questions(&self) -> StoreResult<Vec<(QuestionId, UserId)>> {
        let client = self.client().await?;
        Ok(board::all_with_authors(&client).await?)
    }

    pub async fn insert_users(
        &self,
        accounts: Vec<NewAccount>,
        password_hash: String,
        now: i64,
    ) -> StoreResult<Result<Vec<UserId>, (usize, Taken)>> {
        let (_turn, mut client) = self.writer().await?;
        let tx = self.write(&mut client).await?;
        let mut ids = Vec::with_capacity(accounts.len());
        for (at, account) in accounts.iter().enumerate() {
            match people::insert_user(&*tx, &account.username, &account.email, &password_hash, now)
                .await?
            {
                Ok(id) => ids.push(id),
                Err(taken) => {
                    // A clash keeps nothing of the batch.
                    tx.rollback().await?;
                    return Ok(Err((at, taken)));
                }
            }
        }
        tx.commit().await?;
        Ok(Ok(ids))
    }

    pub async fn insert_questions(&self, new: Vec<NewQuestion>) -> StoreResult<Vec<QuestionId>> {
        self.board_write(async |tx| {
            let mut ids = Vec::with_capacity(new.len());
            for question in &new {
                ids.push(board::insert_question(tx, question).await?);
            }
            Ok(ids)
        })
        .await
    }

    pub async fn insert_answers(&self, new: Vec<NewAnswer>) -> StoreResult<Vec<Option<AnswerId>>> {
        self.board_write(async |tx| {
            let mut ids = Vec::with_capacity(new.len());
            for answer in &new {
                ids.push(board::insert_answer(tx, answer).await?.done());
            }
            Ok(ids)
        })
        .await
    }

    pub async fn toggle_likes(
        &self,
        toggles: Vec<(Actor, PostRef)>,
    ) -> StoreResult<Vec<LikeOutcome>> {
        self.board_write(async |tx| {
            let mut outcomes = Vec::with_capacity(toggles.len());
            for &(actor, post) in &toggles {
                outcomes.push(board::toggle_like(tx, post, actor).await?);
            }
            Ok(outcomes)
        })
        .await
    }

    pub async fn optimize(&self) -> StoreResult<()> {
        // Fresh statistics for the planner after a bulk load.
        self.client().await?.batch_execute("ANALYZE").await?;
        Ok(())
    }

    pub async fn search_changes(&self, after: i64, limit: usize) -> StoreResult<Vec<SearchChange>> {
        let client = self.client().await?;
        Ok(search::changes_after(&client, after, limit).await?)
    }

    pub async fn search_log_bounds(&self) -> StoreResult<(i64, i64)> {
        let client = self.client().await?;
        Ok(search::log_bounds(&client).await?)
    }

    pub async fn forget_search_changes(&self, up_to: i64) -> StoreResult<usize> {
        let client = self.client().await?;
        Ok(search::forget_changes(&client, up_to).await?)
    }

    pub async fn search_documents(
        &self,
        ids: Vec<QuestionId>,
    ) -> StoreResult<Vec<IndexedQuestion>> {
        let client = self.client().await?;
        Ok(search::documents(&client, &ids).await?)
    }

    pub async fn search_documents_after(
        &self,
        after: QuestionId,
        limit: usize,
    ) -> StoreResult<Vec<IndexedQuestion>> {
        let client = self.client().await?;
        Ok(search::documents_after(&client, after, limit).await?)
    }
}

/// A board write's transaction: it waited for its turn, and its commit moves every server's generation.
struct Writing<'a> {
    tx: Transaction<'a>,
    generation: Arc<AtomicU64>,
    /// This write's notification, to hear back before answering (when listening).
    echo: Option<(Arc<Echo>, u64)>,
}

impl PgStore {
    /// Runs `change` as a board write and commits it.
    async fn board_write<T>(
        &self,
        change: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, PgError>,
    ) -> StoreResult<T> {
        let (_turn, mut client) = self.writer().await?;
        let tx = self.write(&mut client).await?;
        let value = change(&tx).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Runs `change` as a board write and commits it only if it was made: a refused change (a limit on
    /// writing said no, the post is gone) is rolled back, and neither tells the other servers nor empties a
    /// page cache, so refusals cannot be used to flush every server's cache.
    async fn board_write_if_made<T>(
        &self,
        change: impl AsyncFnOnce(&Transaction<'_>) -> Result<Guarded<T>, PgError>,
    ) -> StoreResult<Guarded<T>> {
        let (_turn, mut client) = self.writer().await?;
        let tx = self.write(&mut client).await?;
        let outcome = change(&tx).await?;
        if matches!(outcome, Guarded::Done(_)) {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    /// Runs `change` as a board write only if the policy lets `actor` do `action` to `post`, as this
    /// transaction sees it; a change that finds its row gone meanwhile is as if the post were missing.
    async fn guarded_write<T>(
        &self,
        actor: Actor,
        action: Action,
        post: PostRef,
        change: impl AsyncFnOnce(&Transaction<'_>) -> Result<Option<T>, PgError>,
    ) -> StoreResult<Guarded<T>> {
        self.board_write(async |tx| guarded_in(tx, actor, action, post, change).await)
            .await
    }

    /// Runs `change` in turn with the board writes, but as a change no visitor's page shows: no server is
    /// told, no page cache emptied. Notifications and follows take this lock first, as board writes do, so
    /// neither waits on the other's row locks in the opposite order.
    async fn quiet_write<T>(
        &self,
        change: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, PgError>,
    ) -> StoreResult<T> {
        let (_turn, mut client) = self.writer().await?;
        let tx = client.transaction().await?;
        run(
            &tx,
            "SELECT set_config('lock_timeout', '5s', true), pg_advisory_xact_lock($1)",
            &[&WRITE_LOCK],
        )
        .await?;
        let value = change(&tx).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Begins a board write: in turn after the others, and notifying every app server on commit.
    async fn write<'c>(
        &self,
        client: &'c mut deadpool_postgres::Object,
    ) -> Result<Writing<'c>, PgError> {
        let tx = client.transaction().await?;
        let number = self.echo.sent.fetch_add(1, Ordering::AcqRel) + 1;
        let payload = format!("{}:{number}", self.echo.server);
        // One round trip: a turn held up past the timeout (a transaction stuck elsewhere) fails as "busy",
        // not forever; then the turn; then the notification, sent on commit.
        run(
            &tx,
            "SELECT set_config('lock_timeout', '5s', true), pg_advisory_xact_lock($1), pg_notify($2, $3)",
            &[&WRITE_LOCK, &CHANGES_CHANNEL, &payload],
        )
        .await?;
        let listening = self.listening.load(Ordering::Acquire);
        Ok(Writing {
            tx,
            generation: self.generation.clone(),
            echo: listening.then(|| (self.echo.clone(), number)),
        })
    }
}

impl Writing<'_> {
    async fn commit(self) -> Result<(), PgError> {
        self.tx.commit().await?;
        tracing::debug!(target: "miniboard::store", visible = true, "write committed");
        // At once for this server (its own notification comes later): a reader that saw the old number
        // may have read the old data.
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Some((echo, number)) = self.echo {
            let mut heard = echo.heard.subscribe();
            // Bounded: a listener that went deaf costs a write this much, and pages are then not reused.
            let _ = tokio::time::timeout(ECHO_WAIT, heard.wait_for(|&heard| heard >= number)).await;
        }
        Ok(())
    }

    async fn rollback(self) -> Result<(), PgError> {
        self.tx.rollback().await
    }
}

impl<'a> std::ops::Deref for Writing<'a> {
    type Target = Transaction<'a>;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

/// Listens on the changes channel on a connection of its own, moving `generation` on each notification;
/// reconnects when the connection drops, and says so in `listening` meanwhile. Returns once the first
/// connection listens (or failed to).
async fn listen_for_writes(
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
    generation: Arc<AtomicU64>,
    listening: Arc<AtomicBool>,
    echo: Arc<Echo>,
) -> tokio::task::AbortHandle {
    let (ready, first) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let mut ready = Some(ready);
        let mut said = false;
        loop {
            let heard = listen_once(
                &config,
                &tls,
                &generation,
                &listening,
                &echo,
                &mut ready,
                &mut said,
            )
            .await;
            listening.store(false, Ordering::Release);
            // Said once per outage, not every second of it.
            if !said {
                match heard {
                    Err(err) => {
                        tracing::warn!(err = %describe(&err), "not listening for other servers' writes; pages are not reused until it listens again")
                    }
                    Ok(()) => tracing::warn!(
                        "the connection listening for other servers' writes closed; pages are not reused until it listens again"
                    ),
                }
                said = true;
            }
            if let Some(ready) = ready.take() {
                let _ = ready.send(());
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
    let _ = first.await;
    task.abort_handle()
}

async fn listen_once(
    config: &tokio_postgres::Config,
    tls: &MakeRustlsConnect,
    generation: &AtomicU64,
    listening: &AtomicBool,
    echo: &Echo,
    ready: &mut Option<tokio::sync::oneshot::Sender<()>>,
    said_down: &mut bool,
) -> Result<(), PgError> {
    use futures_util::StreamExt;
    let (client, mut connection) = config.connect(tls.clone()).await?;
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx)).fuse();
    let statement = format!("LISTEN {CHANGES_CHANNEL}");
    let listen = client.batch_execute(&statement);
    tokio::pin!(listen);
    // The connection must be polled for the LISTEN to complete.
    loop {
        tokio::select! {
            done = &mut listen => { done?; break; }
            message = messages.next() => match message {
                Some(Ok(_)) => {}
                Some(Err(err)) => return Err(err),
                None => return Ok(()),
            },
        }
    }
    listening.store(true, Ordering::Release);
    if std::mem::take(said_down) {
        tracing::info!("listening for other servers' writes again");
    }
    // Writes between the last notification heard and now were missed: count one.
    generation.fetch_add(1, Ordering::AcqRel);
    if let Some(ready) = ready.take() {
        let _ = ready.send(());
    }
    // The client stays alive while the connection is read: dropping it would end the connection.
    while let Some(message) = messages.next().await {
        if let tokio_postgres::AsyncMessage::Notification(notification) = message? {
            generation.fetch_add(1, Ordering::AcqRel);
            echo.hear(notification.payload());
        }
    }
    Ok(())
}

/// Runs `change` in `tx` only if the policy lets `actor` do `action` to `post`, as `tx` sees it; a change
/// that finds its row gone meanwhile is as if the post were missing.
async fn guarded_in<T>(
    tx: &Transaction<'_>,
    actor: Actor,
    action: Action,
    post: PostRef,
    change: impl AsyncFnOnce(&Transaction<'_>) -> Result<Option<T>, PgError>,
) -> Result<Guarded<T>, PgError> {
    Ok(match guard(tx, actor, action, post).await? {
        Guarded::Done(()) => match change(tx).await? {
            Some(value) => Guarded::Done(value),
            None => Guarded::Missing,
        },
        Guarded::Missing => Guarded::Missing,
        Guarded::Denied(why) => Guarded::Denied(why),
    })
}

/// Runs `change` only if the policy lets `actor` do `action` to `post`, with the author as `client` sees it.
async fn guard(
    client: &impl GenericClient,
    actor: Actor,
    action: Action,
    post: PostRef,
) -> Result<Guarded<()>, PgError> {
    // The post as the policy asks about it: a deleted post is missing to all but undeleting and purging.
    let (sql, id) = deletion_sql::state(action, post);
    let Some(row) = opt(client, &numbered(sql), &[&id]).await? else {
        return Ok(Guarded::Missing);
    };
    let state = PostState {
        author: UserId(row.try_get(0)?),
        deleted: row.try_get(1)?,
        deleted_by: row.try_get::<_, Option<i64>>(2)?.map(UserId),
        on_deleted: row.try_get(3)?,
    };
    Ok(match policy::deletion_allows(action, state) {
        None => Guarded::Missing,
        Some(Err(why)) => Guarded::Denied(why),
        Some(Ok(())) => match decide(client, actor, action, state).await? {
            Ok(()) => Guarded::Done(()),
            Err(why) => Guarded::Denied(why),
        },
    })
}

/// The policy's answer, with the roles as this transaction sees them (`policy::decide`; the rows read
/// are locked against a change until the write commits).
async fn decide(
    client: &impl GenericClient,
    actor: Actor,
    action: Action,
    post: PostState,
) -> Result<Result<(), Denied>, PgError> {
    let actor = as_seen_now(client, actor).await?;
    let (author, deleter) = policy::roles_needed(actor, action, post);
    let locked = format!("{} FOR SHARE", numbered(moderation_sql::ROLE));
    let mut roles = [None, None];
    for (role, user) in roles.iter_mut().zip([author, deleter]) {
        if let Some(user) = user {
            *role = Some(match opt(client, &locked, &[&user.0]).await? {
                Some(row) => Role::stored(row.try_get(0)?),
                None => Role::User,
            });
        }
    }
    let [author_role, deleter_role] = roles;
    Ok(policy::decide(
        actor,
        action,
        post,
        author_role,
        deleter_role,
    ))
}

/// A staff actor as this transaction sees them: with the role they have now (a user's, if it was taken
/// or they are suspended meanwhile; their row is locked against a change until the write commits).
async fn as_seen_now(client: &impl GenericClient, actor: Actor) -> Result<Actor, PgError> {
    if !actor.role.is_staff() {
        return Ok(actor);
    }
    let locked = format!("{} FOR SHARE", numbered(moderation_sql::ROLE));
    let found = match opt(client, &locked, &[&actor.id.0]).await? {
        Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
        None => None,
    };
    Ok(Actor {
        id: actor.id,
        role: moderation_sql::current_role(found, crate::domain::now()),
    })
}

/// Statements through the connection's cache: the same SQL is parsed once per connection.
async fn rows(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, PgError> {
    let statement = client.prepare_cached(sql).await?;
    client.query(&statement, params).await
}

async fn opt(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, PgError> {
    let statement = client.prepare_cached(sql).await?;
    client.query_opt(&statement, params).await
}

async fn one(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row, PgError> {
    let statement = client.prepare_cached(sql).await?;
    client.query_one(&statement, params).await
}

async fn run(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, PgError> {
    let statement = client.prepare_cached(sql).await?;
    client.execute(&statement, params).await
}
