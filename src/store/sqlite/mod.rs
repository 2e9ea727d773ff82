//! The SQLite engine: one file, an r2d2 pool, WAL. Everything SQLite-specific (the writer lock, the
//! statement cache and QPSG, the rank blocks, the FTS5 stems, the write counter the page cache keys on)
//! stays in this folder; the rest of the board sees [`SqliteStore`]'s operations and domain values.

mod accounts;
mod answers;
pub mod backup;
mod comments;
mod copy;
mod deletion;
mod feeds;
mod flags;
mod likes;
mod mail;
mod migrations;
mod moderation;
mod notifications;
mod pool;
mod profiles;
mod questions;
mod revisions;
mod search;
mod sessions;
mod settings;
mod tags;
mod tokens;
mod users;
mod views;
mod writing;

use std::{path::Path, sync::Arc, time::Duration};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use self::pool::Db;
use crate::{
    domain::{
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
        memory_limits::{MemoryLimits, moment},
        moderation as moderation_sql, sessions as store_sessions,
    },
};

/// The setting that says when sessions were last purged (Unix seconds).
const PURGED_AT: &str = "sessions_purged_at";

/// The schema version a fully migrated database has.
pub const SCHEMA_VERSION: i64 = migrations::LATEST;

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Engine {
            engine: "sqlite",
            error: Box::new(err),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(err: r2d2::Error) -> Self {
        Self::Pool(err.to_string())
    }
}

/// The SQLite engine's handle; cheap to clone.
#[derive(Clone)]
pub struct SqliteStore {
    db: Db,
    /// Log-in attempts and sign-ups: one process serves the file, so its memory is where they are counted.
    limits: Arc<MemoryLimits>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Self> {
        Ok(Self {
            db: Db::open(path)?,
            limits: Arc::default(),
        })
    }

    pub fn generation(&self) -> u64 {
        self.db.generation()
    }

    pub async fn schema_version(&self) -> StoreResult<i64> {
        self.db
            .read(|conn| conn.pragma_query_value(None, "user_version", |row| row.get(0)))
            .await
    }

    pub async fn ping(&self) -> StoreResult<()> {
        self.db
            .read(|conn| conn.query_row("SELECT 1", [], |_| Ok(())))
            .await
    }

    pub async fn setting_or_insert(
        &self,
        name: &'static str,
        candidate: String,
    ) -> StoreResult<String> {
        self.db
            .write(move |tx| settings::get_or_insert(tx, name, || candidate))
            .await
    }

    pub async fn question_list(
        &self,
        sort: ListSort,
        requested_page: i64,
    ) -> StoreResult<QuestionList> {
        self.db
            .read(move |conn| questions::list(conn, sort, requested_page))
            .await
    }

    pub async fn feed_questions(
        &self,
        tag: Option<TagName>,
        limit: i64,
    ) -> StoreResult<Option<Vec<FeedEntry>>> {
        self.db
            .read(move |conn| feeds::questions(conn, tag.as_ref(), limit))
            .await
    }

    pub async fn feed_answers(
        &self,
        id: QuestionId,
        limit: i64,
    ) -> StoreResult<Option<(FeedEntry, Vec<FeedEntry>)>> {
        self.db
            .read(move |conn| feeds::answers(conn, id, limit))
            .await
    }

    pub async fn tag_list(&self, prefix: String, requested_page: i64) -> StoreResult<TagList> {
        self.db
            .read(move |conn| tags::list(conn, &prefix, requested_page))
            .await
    }

    pub async fn tag_questions(
        &self,
        tag: TagName,
        sort: ListSort,
        requested_page: i64,
    ) -> StoreResult<Option<(TagCount, QuestionList)>> {
        self.db
            .read(move |conn| tags::questions(conn, &tag, sort, requested_page))
            .await
    }

    pub async fn profile(&self, typed_name: String) -> StoreResult<Option<Profile>> {
        self.db
            .read(move |conn| profiles::profile(conn, &typed_name))
            .await
    }

    pub async fn user_top_tags(&self, user: UserId) -> StoreResult<Vec<TagCount>> {
        self.db
            .read(move |conn| profiles::top_tags(conn, user))
            .await
    }

    pub async fn user_questions(
        &self,
        user: UserId,
        requested_page: i64,
    ) -> StoreResult<QuestionList> {
        self.db
            .read(move |conn| profiles::questions(conn, user, requested_page))
            .await
    }

    pub async fn user_answers(&self, user: UserId, requested_page: i64) -> StoreResult<AnswerList> {
        self.db
            .read(move |conn| profiles::answers(conn, user, requested_page))
            .await
    }

    pub async fn user_deleted_posts(&self, user: UserId) -> StoreResult<Vec<DeletedPost>> {
        self.db
            .read(move |conn| profiles::deleted(conn, user))
            .await
    }

    pub async fn user_list(&self, prefix: String, requested_page: i64) -> StoreResult<UserList> {
        self.db
            .read(move |conn| profiles::list(conn, &prefix, requested_page))
            .await
    }

    pub async fn question_summaries(
        &self,
        ids: Vec<QuestionId>,
    ) -> StoreResult<Vec<(QuestionSummary, String)>> {
        self.db
            .read(move |conn| questions::summaries_with_bodies(conn, &ids))
            .await
    }

    pub async fn search_changes(&self, after: i64, limit: usize) -> StoreResult<Vec<SearchChange>> {
        self.db
            .read(move |conn| search::changes_after(conn, after, limit))
            .await
    }

    pub async fn search_log_bounds(&self) -> StoreResult<(i64, i64)> {
        self.db.read(search::log_bounds).await
    }

    pub async fn forget_search_changes(&self, up_to: i64) -> StoreResult<usize> {
        // The log is the index's, not the board's: no visitor's page changes.
        self.db
            .write_unseen(move |tx| search::forget_changes(tx, up_to))
            .await
    }

    pub async fn search_documents(
        &self,
        ids: Vec<QuestionId>,
    ) -> StoreResult<Vec<IndexedQuestion>> {
        self.db
            .read(move |conn| search::documents(conn, &ids))
            .await
    }

    pub async fn search_documents_after(
        &self,
        after: QuestionId,
        limit: usize,
    ) -> StoreResult<Vec<IndexedQuestion>> {
        self.db
            .read(move |conn| search::documents_after(conn, after, limit))
            .await
    }

    pub async fn copy_rows_out(
        &self,
        table: &'static crate::store::copy::Table,
        after: Option<crate::store::copy::Row>,
    ) -> StoreResult<Vec<crate::store::copy::Row>> {
        self.db
            .read(move |conn| copy::rows_out(conn, table, after.as_ref()))
            .await
    }

    pub async fn copy_rows_in(
        &self,
        table: &'static crate::store::copy::Table,
        rows: Vec<crate::store::copy::Row>,
    ) -> StoreResult<()> {
        self.db
            .write(move |tx| copy::rows_in(tx, table, &rows))
            .await
    }

    pub async fn copy_finish(&self) -> StoreResult<()> {
        self.db.write(copy::finish).await
    }

    pub async fn copy_clear(&self) -> StoreResult<()> {
        self.db.write(copy::clear).await
    }

    pub async fn copy_number(&self, sql: String) -> StoreResult<i64> {
        self.db.read(move |conn| copy::number(conn, &sql)).await
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
        self.db
            .read(move |conn| {
                let Some(question) = questions::find(conn, id, viewer)? else {
                    return Ok(None);
                };
                let page = clamp_page(requested_page, question.paged_answers());
                let accepted = match question.accepted_answer_id {
                    // A deleted question keeps its mark, on an answer deleted with it.
                    Some(accepted) if page == 1 && question.deleted.is_none() => {
                        answers::find(conn, accepted, viewer)?
                    }
                    _ => None,
                };
                let answers =
                    answers::page(conn, id, sort, (page - 1) * PAGE_SIZE, PAGE_SIZE, viewer)?;
                // The first comments of each post that has any: a statement per such post.
                let mut comments = Vec::new();
                let commented = std::iter::once((PostRef::Question(id), question.comment_count))
                    .chain(
                        accepted
                            .iter()
                            .chain(&answers)
                            .map(|answer| (PostRef::Answer(answer.id), answer.comment_count)),
                    );
                for (post, count) in commented {
                    if count > 0 {
                        comments.extend(comments::first_on(conn, post, COMMENTS_SHOWN)?);
                    }
                }
                let deleted_answers = match reader {
                    Some(reader) => answers::deleted(conn, id, reader)?,
                    None => Vec::new(),
                };
                // A deleted question is no longer the board's: nothing is related to it.
                let related = match parts {
                    PageParts::Whole if question.deleted.is_none() => {
                        tags::related(conn, id, &question.tags, &question.subject)?
                    }
                    PageParts::Whole | PageParts::Answers => Vec::new(),
                };
                Ok(Some(QuestionPage {
                    question,
                    page,
                    accepted,
                    answers,
                    comments,
                    deleted_answers,
                    related,
                }))
            })
            .await
    }

    pub async fn question(
        &self,
        id: QuestionId,
        viewer: Option<UserId>,
    ) -> StoreResult<Option<Question>> {
        self.db
            .read(move |conn| questions::find(conn, id, viewer))
            .await
    }

    pub async fn check(
        &self,
        actor: Actor,
        action: Action,
        post: PostRef,
    ) -> StoreResult<Guarded<()>> {
        self.db
            .read(move |conn| guard(conn, actor, action, post))
            .await
    }

    pub async fn insert_question(&self, question: NewQuestion) -> StoreResult<Guarded<QuestionId>> {
        self.db
            .write_if_made(move |tx| {
                if let Some(check) = &question.check
                    && let Some(limited) = writing::limited(
                        tx,
                        question.author_id,
                        WriteKind::Question,
                        question.draft.content.as_str(),
                        check,
                        question.now,
                    )?
                {
                    return Ok(Guarded::Denied(Denied::Limited(limited)));
                }
                let id = questions::insert(tx, &question)?;
                notifications::asked(tx, id, &question)?;
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
        self.db
            .write(move |tx| {
                let post = PostRef::Question(id);
                guarded(tx, actor, Action::Edit, post, || {
                    let number = revisions::before_edit(tx, post)?;
                    questions::update(tx, id, &revision.text, &revision.html, revision.now)?;
                    revisions::after_edit(
                        tx,
                        post,
                        number + 1,
                        actor.id,
                        revision.now,
                        &revision.note,
                    )
                })
            })
            .await
    }

    pub async fn answer(
        &self,
        id: AnswerId,
        viewer: Option<UserId>,
    ) -> StoreResult<Option<Answer>> {
        self.db
            .read(move |conn| answers::find(conn, id, viewer))
            .await
    }

    pub async fn answer_position(
        &self,
        id: AnswerId,
        sort: AnswerSort,
    ) -> StoreResult<Option<(QuestionId, i64)>> {
        self.db
            .read(move |conn| {
                let Some(answer) = answers::find(conn, id, None)? else {
                    return Ok(None);
                };
                Ok(Some((
                    answer.question_id,
                    answers::position(conn, id, sort)?,
                )))
            })
            .await
    }

    pub async fn insert_answer(&self, answer: NewAnswer) -> StoreResult<Guarded<AnswerId>> {
        self.db
            .write_if_made(move |tx| {
                if let Some(check) = &answer.check
                    && let Some(limited) = writing::limited(
                        tx,
                        answer.author_id,
                        WriteKind::Reply,
                        answer.content.as_str(),
                        check,
                        answer.now,
                    )?
                {
                    return Ok(Guarded::Denied(Denied::Limited(limited)));
                }
                let outcome = answers::insert(tx, &answer)?;
                if let Guarded::Done(id) = outcome {
                    notifications::answered(tx, id, &answer)?;
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
        self.db
            .write(move |tx| {
                let post = PostRef::Answer(id);
                let outcome = guarded(tx, actor, Action::Edit, post, || {
                    let number = revisions::before_edit(tx, post)?;
                    answers::update(tx, id, &revision.text, &revision.html, revision.now)?;
                    revisions::after_edit(
                        tx,
                        post,
                        number + 1,
                        actor.id,
                        revision.now,
                        &revision.note,
                    )?;
                    let answer = answers::find(tx, id, Some(actor.id))?;
                    if let Some(answer) = &answer {
                        notifications::answer_edited(
                            tx,
                            id,
                            answer.question_id,
                            actor.id,
                            &revision.mentioned,
                            revision.now,
                        )?;
                    }
                    Ok(answer)
                })?;
                Ok(found(outcome))
            })
            .await
    }

    pub async fn accept(
        &self,
        actor: Actor,
        id: AnswerId,
        wanted: Option<bool>,
    ) -> StoreResult<Guarded<(QuestionId, bool)>> {
        self.db
            .write(move |tx| {
                let outcome = guarded(tx, actor, Action::Accept, PostRef::Answer(id), || {
                    let marked = answers::mark_accepted(tx, id, wanted)?;
                    if let Some((question, true, true)) = marked {
                        notifications::accepted(tx, id, question, actor.id, crate::domain::now())?;
                    }
                    Ok(marked.map(|(question, now, _)| (question, now)))
                })?;
                Ok(found(outcome))
            })
            .await
    }

    pub async fn post_comments(&self, post: PostRef) -> StoreResult<Option<PostComments>> {
        self.db
            .read(move |conn| comments::of_post(conn, post))
            .await
    }

    pub async fn comment(&self, id: CommentId) -> StoreResult<Option<Comment>> {
        self.db.read(move |conn| comments::find(conn, id)).await
    }

    pub async fn comment_position(&self, id: CommentId) -> StoreResult<Option<(Comment, i64)>> {
        self.db
            .read(move |conn| {
                let Some(comment) = comments::find(conn, id)? else {
                    return Ok(None);
                };
                let position = comments::position(conn, &comment)?;
                Ok(Some((comment, position)))
            })
            .await
    }

    pub async fn insert_comment(&self, comment: NewComment) -> StoreResult<Guarded<CommentId>> {
        self.db
            .write_if_made(move |tx| {
                if let Some(check) = &comment.check
                    && let Some(limited) = writing::limited(
                        tx,
                        comment.author_id,
                        WriteKind::Reply,
                        comment.content.as_str(),
                        check,
                        comment.now,
                    )?
                {
                    return Ok(Guarded::Denied(Denied::Limited(limited)));
                }
                let Some(id) = comments::insert(tx, &comment)? else {
                    return Ok(Guarded::Missing);
                };
                notifications::commented(tx, id, &comment)?;
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
        self.db
            .write(move |tx| {
                let post = PostRef::Comment(id);
                let outcome = guarded(tx, actor, Action::Edit, post, || {
                    let number = revisions::before_edit(tx, post)?;
                    comments::update(tx, id, &revision.text, &revision.html, revision.now)?;
                    revisions::after_edit(
                        tx,
                        post,
                        number + 1,
                        actor.id,
                        revision.now,
                        &revision.note,
                    )?;
                    notifications::comment_edited(
                        tx,
                        id,
                        actor.id,
                        &revision.mentioned,
                        revision.now,
                    )?;
                    comments::find(tx, id)
                })?;
                Ok(found(outcome))
            })
            .await
    }

    pub async fn delete_comment(
        &self,
        actor: Actor,
        id: CommentId,
    ) -> StoreResult<Guarded<Comment>> {
        self.db
            .write(move |tx| {
                let post = PostRef::Comment(id);
                let outcome = guarded(tx, actor, Action::Delete, post, || {
                    revisions::log_change(
                        tx,
                        post,
                        actor.id,
                        crate::domain::now(),
                        crate::store::revisions::DELETED,
                    )?;
                    comments::delete(tx, id)
                })?;
                Ok(found(outcome))
            })
            .await
    }

    pub async fn toggle_accepts(
        &self,
        accepts: Vec<(Actor, AnswerId)>,
    ) -> StoreResult<Vec<Guarded<(QuestionId, bool)>>> {
        self.db
            .write(move |tx| {
                accepts
                    .into_iter()
                    .map(|(actor, id)| {
                        let outcome =
                            guarded(tx, actor, Action::Accept, PostRef::Answer(id), || {
                                answers::toggle_accepted(tx, id)
                            })?;
                        Ok(found(outcome))
                    })
                    .collect()
            })
            .await
    }

    pub async fn insert_comments(
        &self,
        new: Vec<NewComment>,
    ) -> StoreResult<Vec<Option<CommentId>>> {
        self.db
            .write(move |tx| {
                new.iter()
                    .map(|comment| comments::insert(tx, comment))
                    .collect()
            })
            .await
    }

    pub async fn count_views(
        &self,
        views: Vec<(QuestionId, ViewerKey, i64)>,
        now: i64,
    ) -> StoreResult<u64> {
        // Views are not a change visitors' pages wait for: counts shown may lag a few seconds.
        self.db
            .write_unseen(move |tx| views::count(tx, &views, now))
            .await
    }

    pub async fn add_views(&self, views: Vec<(QuestionId, i64)>) -> StoreResult<()> {
        self.db.write(move |tx| views::add(tx, &views)).await
    }

    pub async fn like(
        &self,
        actor: Actor,
        post: PostRef,
        wanted: Option<bool>,
    ) -> StoreResult<LikeOutcome> {
        self.db
            .write(move |tx| likes::set(tx, post, actor, wanted))
            .await
    }

    pub async fn highest_question_id(&self) -> StoreResult<i64> {
        self.db
            .read(|conn| {
                conn.one("SELECT coalesce(max(id), 0) FROM questions", [], |row| {
                    row.get(0)
                })
            })
            .await
    }

    pub async fn questions_changed(
        &self,
        first: i64,
        last: i64,
    ) -> StoreResult<Vec<(QuestionId, i64)>> {
        self.db
            .read(move |conn| questions::changed_between(conn, first, last))
            .await
    }

    pub async fn taken(&self, username: Username, email: Email) -> StoreResult<Vec<Taken>> {
        self.db
            .read(move |conn| users::taken(conn, &username, &email))
            .await
    }

    pub async fn insert_user(
        &self,
        account: NewAccount,
        password_hash: String,
        now: i64,
    ) -> StoreResult<Result<UserId, Taken>> {
        self.db
            .write(move |tx| {
                users::insert(tx, &account.username, &account.email, &password_hash, now)
            })
            .await
    }

    pub async fn credentials(&self, typed_name: String) -> StoreResult<Option<(User, String)>> {
        self.db
            .read(move |conn| users::credentials(conn, &typed_name))
            .await
    }

    pub async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        self.db.read(move |conn| users::find(conn, id)).await
    }

    pub async fn load_session(
        &self,
        id: String,
        now: i64,
        born_after: i64,
    ) -> StoreResult<Option<StoredSession>> {
        self.db
            .read(move |conn| sessions::load(conn, &id, now, born_after))
            .await
    }

    pub async fn extend_session(&self, id: String, expires_at: i64, now: i64) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| sessions::extend(tx, &id, expires_at, now))
            .await
    }

    pub async fn save_session(
        &self,
        id: String,
        entries: String,
        owner: SessionOwner,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| sessions::save(tx, &id, &entries, &owner, expires_at, now))
            .await
    }

    pub async fn user_sessions(
        &self,
        user: UserId,
        now: i64,
        born_after: i64,
    ) -> StoreResult<Vec<SessionSummary>> {
        self.db
            .read(move |conn| sessions::of_user(conn, user, now, born_after))
            .await
    }

    pub async fn end_session(&self, user: UserId, key: String) -> StoreResult<bool> {
        self.db
            .write_unseen(move |tx| {
                let now = crate::domain::now();
                Ok(tx.run(store_sessions::END_ONE, params![user.0, key, now])? > 0)
            })
            .await
    }

    pub async fn end_other_sessions(&self, user: UserId, keep: String) -> StoreResult<u64> {
        self.db
            .write_unseen(move |tx| {
                let now = crate::domain::now();
                Ok(tx.run(store_sessions::END_OTHERS, params![user.0, keep, now])? as u64)
            })
            .await
    }

    pub async fn password_hash(&self, user: UserId) -> StoreResult<Option<String>> {
        self.db
            .read(move |conn| {
                conn.one(store_sessions::PASSWORD_HASH, [user.0], |row| row.get(0))
                    .optional()
            })
            .await
    }

    pub async fn set_password(
        &self,
        user: UserId,
        hash: String,
        checked: String,
        keep: String,
    ) -> StoreResult<bool> {
        self.db
            .write_unseen(move |tx| {
                if tx.run(store_sessions::SET_PASSWORD, params![user.0, hash, checked])? == 0 {
                    return Ok(false);
                }
                let now = crate::domain::now();
                tx.run(store_sessions::END_OTHERS, params![user.0, keep, now])?;
                Ok(true)
            })
            .await
    }

    pub async fn remove_session(&self, id: String) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| sessions::remove(tx, &id, crate::domain::now()))
            .await
    }

    pub async fn purge_sessions(
        &self,
        now: i64,
        born_after: i64,
        unless_purged_after: i64,
    ) -> StoreResult<Option<usize>> {
        self.db
            .write_unseen(move |tx| {
                if settings::number(tx, PURGED_AT)?.is_some_and(|at| at > unless_purged_after) {
                    return Ok(None);
                }
                let purged = sessions::purge_expired(tx, now, born_after)?;
                settings::set(tx, PURGED_AT, &now.to_string())?;
                Ok(Some(purged))
            })
            .await
    }

    pub async fn begin_login(
        &self,
        name_key: String,
        client: ClientKey,
    ) -> StoreResult<Result<(), Duration>> {
        Ok(self.limits.begin_login(&name_key, client, moment()))
    }

    pub async fn login_succeeded(&self, name_key: String, client: ClientKey) -> StoreResult<()> {
        self.limits.login_succeeded(&name_key, client, moment());
        Ok(())
    }

    pub async fn login_abandoned(&self, name_key: String, client: ClientKey) -> StoreResult<()> {
        self.limits.login_abandoned(&name_key, client);
        Ok(())
    }

    pub async fn begin_signup(
        &self,
        client: ClientKey,
        per_hour: usize,
    ) -> StoreResult<Result<(), Duration>> {
        Ok(self.limits.begin_signup(client, per_hour, moment()))
    }

    pub async fn signup_refused(&self, client: ClientKey) -> StoreResult<()> {
        self.limits.signup_refused(client);
        Ok(())
    }

    pub async fn users_named(&self, names: Vec<String>) -> StoreResult<Vec<Mentioned>> {
        self.db
            .read(move |conn| notifications::named(conn, &names))
            .await
    }

    pub async fn unread_notifications(&self, user: UserId) -> StoreResult<i64> {
        self.db
            .read(move |conn| notifications::unread(conn, user))
            .await
    }

    // Notifications and follows change no visitor's page: their writes leave the page cache be.
    pub async fn inbox(
        &self,
        user: UserId,
        before: Option<i64>,
        mark_read: bool,
    ) -> StoreResult<Inbox> {
        // A read; a write only when the page shows something unread.
        let inbox = self
            .db
            .read(move |conn| notifications::inbox(conn, user, before))
            .await?;
        let shown_unread = inbox.shown_unread();
        if mark_read && !shown_unread.is_empty() {
            self.db
                .write_unseen(move |tx| notifications::mark_read(tx, user, &shown_unread))
                .await?;
        }
        Ok(inbox)
    }

    pub async fn read_all_notifications(&self, user: UserId) -> StoreResult<()> {
        self.db
            .write_unseen(move |tx| notifications::read_all(tx, user))
            .await
    }

    pub async fn follow_question(
        &self,
        user: UserId,
        question: QuestionId,
        wanted: Option<bool>,
    ) -> StoreResult<Option<bool>> {
        let now = crate::domain::now();
        self.db
            .write_unseen(move |tx| notifications::follow_question(tx, user, question, wanted, now))
            .await
    }

    pub async fn follow_tag(
        &self,
        user: UserId,
        tag: TagName,
        wanted: Option<bool>,
    ) -> StoreResult<Option<bool>> {
        let now = crate::domain::now();
        self.db
            .write_unseen(move |tx| notifications::follow_tag(tx, user, &tag, wanted, now))
            .await
    }

    pub async fn follows_tag(&self, user: UserId, tag: TagName) -> StoreResult<bool> {
        self.db
            .read(move |conn| notifications::follows_tag(conn, user, &tag))
            .await
    }

    pub async fn following(&self, user: UserId) -> StoreResult<Following> {
        self.db
            .read(move |conn| notifications::following(conn, user))
            .await
    }

    pub async fn fan_out_step(&self) -> StoreResult<bool> {
        self.db.write_unseen(notifications::fan_out_step).await
    }

    pub async fn all_authors(&self) -> StoreResult<Vec<(UserId, String)>> {
        self.db.read(users::all_names).await
    }

    pub async fn all_questions(&self) -> StoreResult<Vec<(QuestionId, UserId)>> {
        self.db.read(questions::all_with_authors).await
    }

    pub async fn insert_users(
        &self,
        accounts: Vec<NewAccount>,
        password_hash: String,
        now: i64,
    ) -> StoreResult<Result<Vec<UserId>, (usize, Taken)>> {
        self.db
            .write(move |tx| {
                // A clash undoes the batch: the savepoint keeps the transaction's earlier work out of it.
                tx.execute_batch("SAVEPOINT new_users")?;
                let mut ids = Vec::with_capacity(accounts.len());
                for (at, account) in accounts.iter().enumerate() {
                    match users::insert(tx, &account.username, &account.email, &password_hash, now)?
                    {
                        Ok(id) => ids.push(id),
                        Err(taken) => {
                            tx.execute_batch("ROLLBACK TO new_users; RELEASE new_users")?;
                            return Ok(Err((at, taken)));
                        }
                    }
                }
                tx.execute_batch("RELEASE new_users")?;
                Ok(Ok(ids))
            })
            .await
    }

    pub async fn insert_questions(&self, new: Vec<NewQuestion>) -> StoreResult<Vec<QuestionId>> {
        self.db
            .write(move |tx| {
                new.iter()
                    .map(|question| questions::insert(tx, question))
                    .collect()
            })
            .await
    }

    pub async fn insert_answers(&self, new: Vec<NewAnswer>) -> StoreResult<Vec<Option<AnswerId>>> {
        self.db
            .write(move |tx| {
                new.iter()
                    .map(|answer| answers::insert(tx, answer).map(Guarded::done))
                    .collect()
            })
            .await
    }

    pub async fn toggle_likes(
        &self,
        toggles: Vec<(Actor, PostRef)>,
    ) -> StoreResult<Vec<LikeOutcome>> {
        self.db
            .write(move |tx| {
                toggles
                    .into_iter()
                    .map(|(actor, post)| likes::toggle(tx, post, actor))
                    .collect()
            })
            .await
    }

    pub async fn optimize(&self) -> StoreResult<()> {
        // Fresh statistics for the planner after a bulk load.
        self.db
            .write_unseen(|tx| tx.execute_batch("PRAGMA optimize;"))
            .await
    }
}

/// Runs `change` only if the policy lets `actor` do `action` to `post`, as this transaction sees it.
fn guarded<T>(
    tx: &Transaction,
    actor: Actor,
    action: Action,
    post: PostRef,
    change: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<Guarded<T>> {
    Ok(match guard(tx, actor, action, post)? {
        Guarded::Done(()) => Guarded::Done(change()?),
        Guarded::Missing => Guarded::Missing,
        Guarded::Denied(why) => Guarded::Denied(why),
    })
}

/// A change that found its row gone meanwhile is as if the post were missing.
fn found<T>(outcome: Guarded<Option<T>>) -> Guarded<T> {
    match outcome {
        Guarded::Done(Some(value)) => Guarded::Done(value),
        Guarded::Done(None) | Guarded::Missing => Guarded::Missing,
        Guarded::Denied(why) => Guarded::Denied(why),
    }
}

/// The post as the policy asks about it for `action`, if it exists (`deletion::state`).
fn post_state(
    conn: &Connection,
    action: Action,
    post: PostRef,
) -> rusqlite::Result<Option<PostState>> {
    let (sql, id) = deletion_sql::state(action, post);
    conn.one(sql, [id], |row| {
        Ok(PostState {
            author: UserId(row.get(0)?),
            deleted: row.get(1)?,
            deleted_by: row.get::<_, Option<i64>>(2)?.map(UserId),
            on_deleted: row.get(3)?,
        })
    })
    .optional()
}

/// Asks the policy whether `actor` may do `action` to `post`, with the post as this transaction sees it: a
/// deleted post is missing to all but undeleting and purging.
fn guard(
    conn: &Connection,
    actor: Actor,
    action: Action,
    post: PostRef,
) -> rusqlite::Result<Guarded<()>> {
    let Some(state) = post_state(conn, action, post)? else {
        return Ok(Guarded::Missing);
    };
    Ok(match policy::deletion_allows(action, state) {
        None => Guarded::Missing,
        Some(Err(why)) => Guarded::Denied(why),
        Some(Ok(())) => match decide(conn, actor, action, state)? {
            Ok(()) => Guarded::Done(()),
            Err(why) => Guarded::Denied(why),
        },
    })
}

/// The policy's answer, with the roles as this transaction sees them (`policy::decide`).
fn decide(
    conn: &Connection,
    actor: Actor,
    action: Action,
    post: PostState,
) -> rusqlite::Result<Result<(), Denied>> {
    let actor = as_seen_now(conn, actor)?;
    let (author, deleter) = policy::roles_needed(actor, action, post);
    let role_of = |user: Option<UserId>| -> rusqlite::Result<Option<Role>> {
        let Some(user) = user else {
            return Ok(None);
        };
        let role: Option<String> = conn
            .one(moderation_sql::ROLE, [user.0], |row| row.get(0))
            .optional()?;
        Ok(Some(role.as_deref().map(Role::stored).unwrap_or_default()))
    };
    Ok(policy::decide(
        actor,
        action,
        post,
        role_of(author)?,
        role_of(deleter)?,
    ))
}

/// A staff actor as this transaction sees them: with the role they have now (a user's, if it was taken
/// or they are suspended meanwhile).
fn as_seen_now(conn: &Connection, actor: Actor) -> rusqlite::Result<Actor> {
    if !actor.role.is_staff() {
        return Ok(actor);
    }
    let found = conn
        .one(moderation_sql::ROLE, [actor.id.0], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    Ok(Actor {
        id: actor.id,
        role: moderation_sql::current_role(found, crate::domain::now()),
    })
}

/// `execute` and `query_row` through the connection's statement cache: the same SQL is parsed once per
/// connection, not on every call.
trait Cached {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn run<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, row)
    }
}

/// Whether `err` is a UNIQUE violation on `table.column`.
fn is_unique_violation(err: &rusqlite::Error, column: &str) -> bool {
    match err {
        rusqlite::Error::SqliteFailure(code, Some(message)) => {
            code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                && message.contains(column)
        }
        _ => false,
    }
}
