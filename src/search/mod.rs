//! Search: an inverted index of the board's questions (each with its answers and people), kept in a folder
//! beside the data and fed from the store's log of changed questions, the same for every storage engine.
//!
//! Why its own index: ranking by relevance over every match needs top-k pruning over posting lists (BM25 with
//! block-max WAND, which tantivy implements); SQLite's FTS5 scored every match, 0.7-2.4 s for common words
//! at a million questions (bench/ANALYSIS.md). The index is a cache of the database: a folder that is
//! missing, from another database or behind the log's start is rebuilt from the database at start, and
//! said so in the log.

mod all_words;
mod any_field;
mod best;
mod directory;
mod phrase;
mod query;
mod scored;
mod tokens;

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use rand::Rng;
use serde::{Deserialize, Serialize};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
    collector::{TopDocs, sort_key::SortByStaticFastValue},
    index::Order,
    indexer::IndexWriterOptions,
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
};

pub use self::query::Matching;
use self::{
    best::{Best, Columns, Standing, best_first},
    directory::MappedPages,
    phrase::Stop,
    query::{Beyond, Bounded, build, count_up_to, is_one_word, phrase_matches, ranked},
    tokens::{BOARD_TOKENIZER, BoardTokenizer},
};
use crate::{
    domain::{
        board::{ListSort, PAGE_SIZE, clamp_page},
        ids::QuestionId,
        search::{IndexedQuestion, SearchQuery},
    },
    store::{Store, StoreError},
};

/// Bumped when the schema or the tokenizer changes: an index of another format is rebuilt.
const FORMAT: u32 = 3;
/// Counts are exact up to this many matches and shown as "more than 10,000" beyond.
pub const COUNT_CAP: u64 = 10_000;
/// How many times slower this build walks postings: a debug build (the test suites, run many at once) takes
/// ~20 times as long, and its time budgets stretch with it, so its answers are a release build's.
const BUILD_SLOWNESS: u64 = if cfg!(debug_assertions) { 20 } else { 1 };
/// The time ranking several words may take. A realistic query ranks every match in a fraction of it; words
/// that stand together in much of the board stop here, ranked among the matches walked so far, and say so.
/// (One word is ranked with block-max WAND, which skips what cannot reach the page: it needs no budget.)
const RANKING_BUDGET: Duration = Duration::from_millis(5 * BUILD_SLOWNESS);
/// The time a question page's related questions may take from the index: help beside a page, ranked among
/// the matches walked in that time (an untagged question's any-word search took 6 ms at a million
/// questions with the whole ranking budget).
const RELATED_BUDGET: Duration = Duration::from_millis(BUILD_SLOWNESS);
/// The time counting may take before the page says "more than" what it counted.
const COUNT_BUDGET: Duration = Duration::from_millis(2 * BUILD_SLOWNESS);
/// A count that found nothing in its time tries once more for this many times as long.
const ZERO_COUNT_RETRY: u32 = 10;
/// Changes read and applied per index commit.
const CHANGES_PER_COMMIT: usize = 2_000;
/// Questions read from the store per batch when building afresh.
const REBUILD_BATCH: usize = 1_000;
/// How often changed like and answer counts are taken into the index.
const COUNTS_EVERY: Duration = Duration::from_secs(5 * 60);
/// Changes kept in the store's log after this index applied them, for other app servers that follow it
/// more slowly; one that falls further behind rebuilds.
const LOG_KEPT: i64 = 100_000;
/// The writer's indexing memory (tantivy's least): what a burst of changes may take before it is flushed.
const WRITER_MEMORY: usize = 15_000_000;
/// How often the merge into one segment at the end of a build waits for the merges under way (200 ms each).
const MERGE_ATTEMPTS: u32 = 3_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// What the last commit says about the index: which database it follows and how far.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Stamp {
    format: u32,
    /// The database's search epoch (kept in its settings): another database has another.
    epoch: String,
    /// The last change of the store's log that the index holds.
    applied: i64,
}

/// Questions whose like or answer count changed since the index last took counts in, each with its first
/// such change in the log.
struct PendingCounts {
    counts: HashMap<QuestionId, i64>,
    taken: Instant,
}

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    id: Field,
    subject: Field,
    body: Field,
    answers: Field,
    authors: Field,
    /// Each tag's name as one term.
    tags: Field,
    created: Field,
    likes: Field,
    answer_count: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BOARD_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | FAST | STORED),
        subject: builder.add_text_field("subject", text.clone()),
        body: builder.add_text_field("body", text.clone()),
        answers: builder.add_text_field("answers", text.clone()),
        authors: builder.add_text_field("authors", text),
        tags: builder.add_text_field("tags", STRING),
        created: builder.add_i64_field("created", FAST),
        likes: builder.add_i64_field("likes", FAST),
        answer_count: builder.add_i64_field("answer_count", FAST),
    };
    (builder.build(), fields)
}

fn document(fields: &Fields, question: &IndexedQuestion) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, question.id.0 as u64);
    doc.add_text(fields.subject, &question.subject);
    doc.add_text(fields.body, &question.body);
    for answer in &question.answers {
        doc.add_text(fields.answers, answer);
    }
    for author in &question.authors {
        doc.add_text(fields.authors, author);
    }
    for tag in question.tags.names() {
        doc.add_text(fields.tags, tag.as_str());
    }
    doc.add_i64(fields.created, question.created_at);
    doc.add_i64(fields.likes, question.like_count);
    doc.add_i64(fields.answer_count, question.answer_count);
    doc
}

/// One page of search results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Matching questions, exact up to [`COUNT_CAP`].
    pub total: u64,
    /// More than [`COUNT_CAP`] match.
    pub more: bool,
    /// Whether every word had to match, or no question held them all and any word did.
    pub matching: Matching,
    /// Ranking ran out of time: these are the best of the matches it reached.
    pub cut_short: bool,
    /// The page shown, clamped to the pages that exist.
    pub page: i64,
    /// The page's questions, in order.
    pub questions: Vec<QuestionId>,
}

/// The board's search index: searched from any request, changed by one writer at a time.
pub struct SearchIndex {
    pages: MappedPages,
    columns: Columns,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    epoch: String,
    /// The store's log read up to here.
    read: AtomicU64,
    /// The position the last commit was stamped with.
    stamped: AtomicU64,
    pending: Mutex<PendingCounts>,
    /// Moves each time a commit becomes visible: a page rendered from older results may be out of date.
    generation: AtomicU64,
    /// One catch-up at a time.
    catching_up: tokio::sync::Mutex<()>,
}

impl SearchIndex {
    /// Opens the index in `dir`, or builds it afresh from the store when it is missing, unreadable, of
    /// another format or database, or further behind than the store's log reaches; then applies the changes
    /// logged since.
    pub async fn open(dir: &Path, store: &Store) -> Result<Arc<Self>, SearchError> {
        let candidate: [u8; 16] = rand::rng().random();
        let candidate = candidate.iter().map(|b| format!("{b:02x}")).collect();
        let epoch = store.setting_or_insert("search_epoch", candidate).await?;
        let (oldest, newest) = store.search_log_bounds().await?;
        let dir_owned = dir.to_owned();
        let existing = tokio::task::spawn_blocking(move || open_existing(&dir_owned)).await?;
        let reusable = match &existing {
            Ok((_, stamp)) => {
                let why_not = if stamp.format != FORMAT {
                    Some("it has another format")
                } else if stamp.epoch != epoch {
                    Some("it was built from another database")
                } else if stamp.applied > newest {
                    Some("it is ahead of the database (a restored backup?)")
                } else if stamp.applied + 1 < oldest {
                    Some("the changes since it was built are no longer logged")
                } else {
                    None
                };
                if let Some(why) = why_not {
                    tracing::warn!(dir = %dir.display(), why, "search index: rebuilding from the database");
                }
                why_not.is_none()
            }
            Err(_) if !dir.exists() => {
                tracing::info!(dir = %dir.display(), "search index: none yet; building it from the database");
                false
            }
            Err(err) => {
                tracing::warn!(dir = %dir.display(), %err, "search index: unreadable; rebuilding it from the database");
                false
            }
        };
        let search = match existing {
            Ok((index, stamp)) if reusable => {
                Arc::new(Self::from_index(dir, index, epoch, stamp.applied)?)
            }
            _ => Self::rebuild(dir, store, epoch, newest).await?,
        };
        let applied = search.catch_up(store).await?;
        if applied > 0 {
            tracing::info!(applied, "search index: caught up with the database");
        }
        Ok(search)
    }

    fn from_index(
        dir: &Path,
        index: Index,
        epoch: String,
        applied: i64,
    ) -> Result<Self, SearchError> {
        index.tokenizers().register(BOARD_TOKENIZER, BoardTokenizer);
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        // One merge at a time: four (tantivy's default) took a build at a million questions to 120 MB.
        let writer = index.writer_with_options(
            IndexWriterOptions::builder()
                .memory_budget_per_thread(WRITER_MEMORY)
                .num_worker_threads(1)
                .num_merge_threads(1)
                .build(),
        )?;
        Ok(Self {
            pages: MappedPages::of(dir),
            columns: Columns::default(),
            fields,
            reader,
            writer: Mutex::new(writer),
            epoch,
            read: AtomicU64::new(applied.max(0) as u64),
            stamped: AtomicU64::new(applied.max(0) as u64),
            pending: Mutex::new(PendingCounts {
                counts: HashMap::new(),
                taken: Instant::now(),
            }),
            generation: AtomicU64::new(0),
            catching_up: tokio::sync::Mutex::new(()),
        })
    }

    /// Builds the index from every question in the store, into a fresh folder. Changes made meanwhile are
    /// in the log after `newest` and are applied next.
    async fn rebuild(
        dir: &Path,
        store: &Store,
        epoch: String,
        newest: i64,
    ) -> Result<Arc<Self>, SearchError> {
        let started = Instant::now();
        let fresh = dir.to_owned();
        let index = tokio::task::spawn_blocking(move || -> Result<Index, SearchError> {
            if fresh.exists() {
                refuse_unless_only_index(&fresh)?;
                std::fs::remove_dir_all(&fresh)?;
            }
            std::fs::create_dir_all(&fresh)?;
            let (schema, _) = schema();
            Ok(Index::create_in_dir(&fresh, schema)?)
        })
        .await??;
        let search = Arc::new(Self::from_index(dir, index, epoch.clone(), newest)?);
        let mut after = QuestionId(0);
        let mut added = 0usize;
        let mut last_report = Instant::now();
        loop {
            let batch = store.search_documents_after(after, REBUILD_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            added += batch.len();
            let adding = search.clone();
            tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
                let writer = adding.writer.lock().unwrap_or_else(|p| p.into_inner());
                for question in &batch {
                    writer.add_document(document(&adding.fields, question))?;
                }
                Ok(())
            })
            .await??;
            if last_report.elapsed() > Duration::from_secs(5) {
                tracing::info!(questions = added, "search index: building");
                last_report = Instant::now();
            }
        }
        let committing = search.clone();
        tokio::task::spawn_blocking(move || committing.commit(newest)).await??;
        let merging = search.clone();
        tokio::task::spawn_blocking(move || merging.merge_all()).await??;
        // The index is opened again as a restart would open it: the build's writer, its thread and what
        // they held go (15 MB of heap at a million questions that trimming did not give back).
        let reopened = dir.to_owned();
        let search = tokio::task::spawn_blocking(move || -> Result<Self, SearchError> {
            drop(search);
            release_freed_heap();
            let (index, _) = open_existing(&reopened)?;
            Self::from_index(&reopened, index, epoch, newest)
        })
        .await??;
        tracing::info!(
            questions = added,
            seconds = started.elapsed().as_secs_f64(),
            "search index: built from the database"
        );
        Ok(Arc::new(search))
    }

    /// Shows searches the last commit, and forgets what was kept of segments gone since.
    fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        let live: Vec<_> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| segment.segment_id())
            .collect();
        self.columns.keep_only(&live);
        Ok(())
    }

    /// Merges the index into one segment: every search pays for each segment's term lookups and set-up,
    /// and a build leaves a dozen of them.
    fn merge_all(&self) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        // The merge policy merges as the build goes; a segment it is merging cannot be merged again, so
        // the merge into one waits its turn. After the build's last commit no new merge starts.
        let mut attempts = 0;
        loop {
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() <= 1 {
                break;
            }
            match writer.merge(&segments).wait() {
                Ok(_) => break,
                Err(_) if attempts < MERGE_ATTEMPTS => {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(err) => return Err(err.into()),
            }
        }
        writer.garbage_collect_files().wait()?;
        drop(writer);
        self.reload()?;
        self.pages.release();
        Ok(())
    }

    /// Commits what the writer holds, stamped with the last change applied, and shows it to searches.
    fn commit(&self, applied: i64) -> Result<(), SearchError> {
        let stamp = serde_json::to_string(&Stamp {
            format: FORMAT,
            epoch: self.epoch.clone(),
            applied,
        })
        .map_err(|err| tantivy::TantivyError::InternalError(err.to_string()))?;
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&stamp);
        commit.commit()?;
        drop(writer);
        self.reload()?;
        self.pages.release();
        self.stamped.store(applied.max(0) as u64, Ordering::Release);
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// Takes in the store's logged changes that the index does not hold yet: a question whose text
    /// changed at once; one whose like or answer count alone changed at most every [`COUNTS_EVERY`] (those
    /// only order the "most liked" and "most answered" tabs and break ties). Returns how many questions
    /// were indexed again.
    pub async fn catch_up(self: &Arc<Self>, store: &Store) -> Result<usize, SearchError> {
        let _turn = self.catching_up.lock().await;
        let mut reindexed = 0;
        loop {
            let read = self.read.load(Ordering::Acquire) as i64;
            let changes = store.search_changes(read, CHANGES_PER_COMMIT).await?;
            let mut ids: Vec<QuestionId> = changes
                .iter()
                .filter(|change| change.text)
                .map(|change| change.question)
                .collect();
            {
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                for change in changes.iter().filter(|change| !change.text) {
                    pending.counts.entry(change.question).or_insert(change.seq);
                }
                for id in &ids {
                    pending.counts.remove(id);
                }
                if !pending.counts.is_empty() && pending.taken.elapsed() >= COUNTS_EVERY {
                    ids.extend(pending.counts.drain().map(|(id, _)| id));
                    pending.taken = Instant::now();
                }
            }
            if let Some(last) = changes.last() {
                self.read.store(last.seq.max(0) as u64, Ordering::Release);
            }
            if ids.is_empty() {
                if changes.is_empty() {
                    break;
                }
                continue;
            }
            ids.sort_by_key(|id| id.0);
            ids.dedup();
            let documents = store.search_documents(ids.clone()).await?;
            reindexed += ids.len();
            let this = self.clone();
            tokio::task::spawn_blocking(move || this.apply(&ids, &documents)).await??;
        }
        let stamped = self.stamped.load(Ordering::Acquire) as i64;
        if stamped > LOG_KEPT {
            store.forget_search_changes(stamped - LOG_KEPT).await?;
        }
        Ok(reindexed)
    }

    /// Indexes `documents` again in place of questions `ids` and commits. On failure (a full disk, say)
    /// nothing of it stays: the writer goes back to the last commit and the log is read again from there,
    /// so the next catch-up retries every change since.
    fn apply(&self, ids: &[QuestionId], documents: &[IndexedQuestion]) -> Result<(), SearchError> {
        let applied = (|| {
            {
                let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
                for id in ids {
                    writer.delete_term(Term::from_field_u64(self.fields.id, id.0 as u64));
                }
                for question in documents {
                    writer.add_document(document(&self.fields, question))?;
                }
            }
            self.commit(self.held())
        })();
        if applied.is_err() {
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(err) = writer.rollback() {
                tracing::warn!(%err, "search index: could not go back to the last commit");
            }
            drop(writer);
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .counts
                .clear();
            self.read
                .store(self.stamped.load(Ordering::Acquire), Ordering::Release);
        }
        applied
    }

    /// The last change the index holds everything up to: what was read, short of the first count change
    /// not taken in yet (a restart reads again from there, so no count is lost).
    fn held(&self) -> i64 {
        let read = self.read.load(Ordering::Acquire) as i64;
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending
            .counts
            .values()
            .min()
            .map_or(read, |first| read.min(first - 1))
    }

    /// Moves each time the results a search gives may have changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// One page of the questions matching `query`: by relevance, or by `sort`'s counter, over every match.
    /// Every word must match; when no question holds them all, any word does, and `matching` says so.
    pub fn find(
        &self,
        query: &SearchQuery,
        sort: ListSort,
        requested_page: i64,
    ) -> Result<Found, SearchError> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let requested_page = requested_page.clamp(1, clamp_page(i64::MAX, COUNT_CAP as i64));
        let mut matching = Matching::AllWords;
        let stop = Stop::after(RANKING_BUDGET);
        let mut found = build(&self.fields, query, matching, &stop);
        // Several words by relevance are counted as they are ranked: a ranking that walked every match in
        // its time counted them too, and only one cut short counts apart. (One word is ranked with
        // block-max WAND, which skips matches, and a counter's order walks no scores.)
        let mut first = None;
        if sort == ListSort::Best && !is_one_word(query) {
            let limit = (requested_page * PAGE_SIZE) as usize;
            first = Some(self.best(
                &searcher,
                query,
                (matching, found.as_ref()),
                limit,
                &stop,
                RANKING_BUDGET,
            )?);
        }
        let (mut total, mut more) = match &first {
            Some(ranking) if !ranking.cut_short => {
                (ranking.scored.min(COUNT_CAP), ranking.scored > COUNT_CAP)
            }
            _ => self.count(&searcher, found.as_ref(), &stop)?,
        };
        if total == 0 && !more && !stop.stopped() && query.wanted().len() > 1 {
            matching = Matching::AnyWord;
            first = None;
            found = build(&self.fields, query, matching, &stop);
            (total, more) = self.count(&searcher, found.as_ref(), &stop)?;
        }
        // A phrase that stopped walking found part of its matches: there may be more.
        more |= stop.stopped();
        let counted = started.elapsed();
        let page = clamp_page(requested_page, total as i64);
        let offset = ((page - 1) * PAGE_SIZE) as usize;
        let (addresses, cut_short): (Vec<DocAddress>, bool) = if sort == ListSort::Best {
            // A ranking cut short before its first match (index pages read from disk after a while idle)
            // gets its time again, now that the count has found matches.
            let ranking = match first {
                Some(ranking) if !ranking.hits.is_empty() || !ranking.cut_short => ranking,
                _ => {
                    stop.restart(RANKING_BUDGET);
                    let limit = offset + PAGE_SIZE as usize;
                    self.best(
                        &searcher,
                        query,
                        (matching, found.as_ref()),
                        limit,
                        &stop,
                        RANKING_BUDGET,
                    )?
                }
            };
            let page = ranking
                .hits
                .into_iter()
                .skip(offset)
                .take(PAGE_SIZE as usize);
            (
                page.map(|(_, address)| address).collect(),
                ranking.cut_short,
            )
        } else {
            // Ordered by a counter, a page needs no scores: the matching query alone walks further in time.
            let walk = Bounded::new(found.box_clone(), RANKING_BUDGET);
            let top = TopDocs::with_limit(PAGE_SIZE as usize).and_offset(offset);
            let field = match sort {
                ListSort::Likes => "likes",
                ListSort::Answers => "answer_count",
                // A search has no list-only tabs (they parse as its default): newest first.
                ListSort::Recent | ListSort::Best | ListSort::Unanswered | ListSort::Unaccepted => {
                    "id"
                }
            };
            let ordered = by_field(&searcher, &walk, top, field)?;
            (ordered, walk.cut_short() || stop.stopped())
        };
        let ranked_at = started.elapsed();
        let questions = self.ids(&searcher, &addresses)?;
        self.pages.release();
        tracing::debug!(
            ?counted,
            ?ranked_at,
            total = ?started.elapsed(),
            matches = total,
            cut_short,
            "search timings"
        );
        Ok(Found {
            total,
            more,
            matching,
            cut_short,
            page,
            questions,
        })
    }

    /// Up to `limit` questions holding any word of `subject`, the most relevant first: a question page's
    /// related questions when its tags give too few.
    pub fn like_subject(
        &self,
        subject: &SearchQuery,
        limit: usize,
    ) -> Result<Vec<QuestionId>, SearchError> {
        let searcher = self.reader.searcher();
        let stop = Stop::after(RELATED_BUDGET);
        let found = build(&self.fields, subject, Matching::AnyWord, &stop);
        let ranking = self.best(
            &searcher,
            subject,
            (Matching::AnyWord, found.as_ref()),
            limit,
            &stop,
            RELATED_BUDGET,
        )?;
        let addresses: Vec<DocAddress> = ranking
            .hits
            .into_iter()
            .map(|(_, address)| address)
            .collect();
        let questions = self.ids(&searcher, &addresses);
        self.pages.release();
        questions
    }

    /// How many questions `found` matches, up to [`COUNT_CAP`] or for [`COUNT_BUDGET`]; `true` when there
    /// may be more than counted.
    fn count(
        &self,
        searcher: &Searcher,
        found: &dyn tantivy::query::Query,
        stop: &Stop,
    ) -> Result<(u64, bool), SearchError> {
        stop.restart(COUNT_BUDGET);
        let (total, more) = count_up_to(searcher, found, COUNT_CAP, COUNT_BUDGET)?;
        if total == 0 && (more || stop.stopped()) {
            // Out of time before the first match (index pages read from disk after a while idle): "more
            // than 0" says nothing and would skip the any-word fallback, so the count gets longer once.
            stop.restart(COUNT_BUDGET * ZERO_COUNT_RETRY);
            return Ok(count_up_to(
                searcher,
                found,
                COUNT_CAP,
                COUNT_BUDGET * ZERO_COUNT_RETRY,
            )?);
        }
        Ok((total, more))
    }

    /// The best `limit` matches of `found` (built for its `Matching`) by relevance, ranked for `budget`
    /// (one word, ranked with block-max WAND which skips what cannot reach the page, needs no deadline).
    fn best(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
        (mode, found): (Matching, &dyn tantivy::query::Query),
        limit: usize,
        stop: &Stop,
        budget: Duration,
    ) -> Result<Ranking, SearchError> {
        stop.restart(budget);
        let best = Best {
            limit,
            columns: &self.columns,
        };
        let ranking = ranked(&self.fields, query, mode, found, stop);
        if is_one_word(query) {
            return Ok(Ranking {
                hits: searcher.search(ranking.as_ref(), &best)?,
                scored: 0,
                cut_short: false,
            });
        }
        let walk = Bounded::new(ranking, budget);
        let mut hits = searcher.search(&walk, &best)?;
        // A phrase that stopped inside the ranking left later matches without their phrase's score.
        let phrases_scored = !stop.stopped();
        let mut cut_short = walk.cut_short() || stop.stopped();
        if cut_short && let Some(phrased) = phrase_matches(&self.fields, query, found, stop) {
            // Ranking every match ran out of time; the questions holding the whole query as typed are
            // few, and ranked on their own they are never among those left out. Where the ranking
            // scored every phrase it met, they are looked for only past what it walked.
            stop.restart(budget);
            let phrased = if phrases_scored {
                Box::new(Beyond::new(phrased, walk.walked()))
            } else {
                phrased
            };
            let phrased = Bounded::new(phrased, budget);
            let seen: HashSet<DocAddress> = hits.iter().map(|(_, address)| *address).collect();
            let phrase_hits = searcher.search(&phrased, &best)?;
            hits.extend(
                phrase_hits
                    .into_iter()
                    .filter(|(_, address)| !seen.contains(address)),
            );
            best_first(&mut hits);
            cut_short |= stop.stopped();
        }
        Ok(Ranking {
            hits,
            scored: walk.scored(),
            cut_short,
        })
    }

    fn ids(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<QuestionId>, SearchError> {
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let columns = self
                .columns
                .of(searcher.segment_reader(address.segment_ord))?;
            if let Some(id) = columns.ids.first(address.doc_id) {
                ids.push(QuestionId(id as i64));
            }
        }
        Ok(ids)
    }
}

/// The best matches found in a ranking's time, and how many it scored.
struct Ranking {
    hits: Vec<(Standing, DocAddress)>,
    /// Every live match when the ranking was not cut short.
    scored: u64,
    cut_short: bool,
}

/// A page of `query`'s matches by `field`'s counter, greatest first; equal counts newest first.
fn by_field(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    top: TopDocs,
    field: &str,
) -> Result<Vec<DocAddress>, SearchError> {
    let ordered = if field == "id" {
        searcher
            .search(query, &top.order_by_fast_field::<u64>(field, Order::Desc))?
            .into_iter()
            .map(|(_, address)| address)
            .collect()
    } else {
        let counter_then_newer = (
            (SortByStaticFastValue::<i64>::for_field(field), Order::Desc),
            (SortByStaticFastValue::<u64>::for_field("id"), Order::Desc),
        );
        searcher
            .search(query, &top.order_by(counter_then_newer))?
            .into_iter()
            .map(|(_, address)| address)
            .collect()
    };
    Ok(ordered)
}

/// Refuses to clear a folder that holds anything but an index's own files: a search folder set to the
/// database's folder (or the working directory) must not take the database with it.
fn refuse_unless_only_index(dir: &Path) -> Result<(), SearchError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() || !is_index_file(&name) {
            return Err(SearchError::Io(std::io::Error::other(format!(
                "{} holds {name}, which is not part of a search index: give search_dir an empty or new \
                 folder of its own",
                dir.display()
            ))));
        }
    }
    Ok(())
}

/// Whether a file name is one tantivy writes: its metadata and locks, or a segment's file
/// (`<32 hex digits>.<ext>`, deletes as `<32 hex digits>.<opstamp>.del`).
fn is_index_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) {
        return true;
    }
    let Some((segment, extension)) = name.split_once('.') else {
        return false;
    };
    segment.len() == 32
        && segment.bytes().all(|byte| byte.is_ascii_hexdigit())
        && (matches!(
            extension,
            "idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del" | "tmp"
        ) || extension
            .strip_suffix(".del")
            .is_some_and(|opstamp| opstamp.bytes().all(|byte| byte.is_ascii_digit())))
}

/// The index in `dir` and its stamp, if it opens and has one.
/// Hands back to the system the heap a build freed: glibc keeps freed blocks in its arenas, and after a
/// first build at 10,000 questions the server sat at 41 MB of heap it no longer used (17 MB once trimmed).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_heap() {
    // SAFETY: malloc_trim only gives the free pages of the allocator's arenas back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_heap() {}

fn open_existing(dir: &Path) -> Result<(Index, Stamp), SearchError> {
    let index = Index::open_in_dir(dir)?;
    let payload = index.load_metas()?.payload.unwrap_or_default();
    let stamp: Stamp = serde_json::from_str(&payload)
        .map_err(|err| tantivy::TantivyError::InternalError(format!("no stamp: {err}")))?;
    check_readable(&index)?;
    Ok((index, stamp))
}

/// Opens every file a search reads (each segment's terms, postings, positions, norms and columns), so
/// a damaged or partly deleted index is found at start, where it is rebuilt, not by a visitor's search.
fn check_readable(index: &Index) -> Result<(), SearchError> {
    let (_, fields) = schema();
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    for segment in reader.searcher().segment_readers() {
        for field in [fields.subject, fields.body, fields.answers, fields.authors] {
            segment.inverted_index(field)?;
            segment.get_fieldnorms_reader(field)?;
        }
        let columns = segment.fast_fields();
        columns.u64("id")?;
        for column in ["created", "likes", "answer_count"] {
            columns.i64(column)?;
        }
    }
    Ok(())
}
