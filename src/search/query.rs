//! A parsed search as a query on the index: every wanted word or phrase in some field (or, as the fallback,
//! any of them), nothing unwanted in any, scored with BM25 per field under the weights below.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tantivy::{
    DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term,
    fastfield::AliveBitSet,
    index::SegmentId,
    query::{
        BooleanQuery, BoostQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer,
        TermQuery, Weight,
    },
    schema::{Field, IndexRecordOption},
};

use super::{
    Fields,
    all_words::AllWords,
    any_field::AnyOf,
    phrase::{Stop, TimedPhrase},
    scored::Scored,
};
use crate::domain::{search::SearchQuery, tags::TagName};

/// How much a match in each field counts. A question is found by its subject above all: the words typed
/// in the title count three times a match in the question's body, which counts more than one somewhere in
/// its answers.
const SUBJECT_WEIGHT: f32 = 3.0;
const BODY_WEIGHT: f32 = 1.0;
const ANSWERS_WEIGHT: f32 = 0.6;
const AUTHORS_WEIGHT: f32 = 1.0;
/// Extra for the whole query standing as one phrase in the subject (typing a title finds that title first)
/// or in the body (a remembered sentence finds its question).
const SUBJECT_PHRASE_BOOST: f32 = 8.0;
const BODY_PHRASE_BOOST: f32 = 6.0;
/// Queries of up to this many words get the phrase boosts: a typed title is most often longer than four
/// words, and at a million questions the words of five did not single it out without the phrase.
const MAX_BOOSTED_PHRASE: usize = 10;

/// Whether every wanted part must match, or any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    AllWords,
    AnyWord,
}

fn term_or_phrase(field: Field, terms: &[String], stop: &Stop) -> Box<dyn Query> {
    let terms: Vec<Term> = terms
        .iter()
        .map(|term| Term::from_field_text(field, term))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(TimedPhrase::new(terms, stop.clone()))
    }
}

/// Each field under its weight.
fn weighted(fields: &Fields) -> [(Field, Score); 4] {
    [
        (fields.subject, SUBJECT_WEIGHT),
        (fields.body, BODY_WEIGHT),
        (fields.answers, ANSWERS_WEIGHT),
        (fields.authors, AUTHORS_WEIGHT),
    ]
}

/// One word or phrase in each field, under the field's weight: what a match scores.
fn field_parts(fields: &Fields, terms: &[String], stop: &Stop) -> Vec<Box<dyn Query>> {
    weighted(fields)
        .into_iter()
        .map(|(field, weight)| -> Box<dyn Query> {
            Box::new(BoostQuery::new(term_or_phrase(field, terms, stop), weight))
        })
        .collect()
}

/// Whether a question holds one word or phrase in any field, as a set that is cheap to intersect; scored,
/// a match sums its fields' scores, each under the field's weight.
fn holds(fields: &Fields, terms: &[String], stop: &Stop) -> Box<dyn Query> {
    match terms {
        [word] => Box::new(AnyOf::word(&weighted(fields), word)),
        _ => Box::new(AnyOf::new(field_parts(fields, terms, stop))),
    }
}

/// Whether the query is one word and nothing else: its query is then a plain union of the word's fields,
/// which the index ranks with block-max WAND, skipping blocks that cannot reach the first page.
pub fn is_one_word(query: &SearchQuery) -> bool {
    matches!(query.wanted(), [word] if word.len() == 1)
        && query.unwanted().is_empty()
        && query.tags().is_empty()
        && query.unwanted_tags().is_empty()
}

/// The query that finds what `query` matches; its phrases walk until `stop` says so.
pub fn build(
    fields: &Fields,
    query: &SearchQuery,
    matching: Matching,
    stop: &Stop,
) -> Box<dyn Query> {
    if let (true, [word]) = (is_one_word(query), query.wanted()) {
        // A plain union of term queries, which the index ranks with block-max WAND.
        return Box::new(BooleanQuery::new(
            field_parts(fields, word, stop)
                .into_iter()
                .map(|part| (Occur::Should, part))
                .collect(),
        ));
    }
    let wanted = match matching {
        Matching::AllWords => Occur::Must,
        Matching::AnyWord => Occur::Should,
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = query
        .wanted()
        .iter()
        .map(|terms| (wanted, holds(fields, terms, stop)))
        .collect();
    clauses.extend(
        query
            .unwanted()
            .iter()
            .map(|terms| (Occur::MustNot, holds(fields, terms, stop))),
    );
    // Tags decide what matches, not how well: a tag adds the same to every match's score.
    let tag = |name: &TagName| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.tags, name.as_str()),
            IndexRecordOption::Basic,
        ))
    };
    clauses.extend(query.tags().iter().map(|name| (Occur::Must, tag(name))));
    clauses.extend(
        query
            .unwanted_tags()
            .iter()
            .map(|name| (Occur::MustNot, tag(name))),
    );
    Box::new(BooleanQuery::new(clauses))
}

/// The query that ranks what `matching` (built by [`build`] for `mode`) finds: matching scores each wanted
/// word or phrase per field under the field's weight, and to that this adds the whole query as one phrase
/// in the subject or the body, which adds to a question's score without deciding whether it matches (so
/// counting leaves it out: it reads word positions). One word alone is its own ranking (a union the index
/// ranks with block-max WAND); plain words, all wanted, are ranked in one walk ([`AllWords`]).
pub fn ranked(
    fields: &Fields,
    query: &SearchQuery,
    mode: Matching,
    matching: &dyn Query,
    stop: &Stop,
) -> Box<dyn Query> {
    if is_one_word(query) {
        return matching.box_clone();
    }
    if mode == Matching::AllWords
        && let Some(words) = all_words(fields, query)
    {
        return Box::new(words);
    }
    summed(fields, query, matching, stop)
}

/// [`ranked`] for any query: what `matching` scores plus the whole query as a phrase, each part walked
/// on its own.
fn summed(
    fields: &Fields,
    query: &SearchQuery,
    matching: &dyn Query,
    stop: &Stop,
) -> Box<dyn Query> {
    Box::new(Scored::new(
        matching.box_clone(),
        whole_phrase(fields, query, stop)
            .into_iter()
            .flatten()
            .collect(),
    ))
}

/// The fields the whole query counts in as a phrase, under their boosts.
fn phrase_fields(fields: &Fields) -> [(Field, Score); 2] {
    [
        (fields.subject, SUBJECT_PHRASE_BOOST),
        (fields.body, BODY_PHRASE_BOOST),
    ]
}

/// The whole query's terms as one phrase; `None` when it is one word or longer than
/// [`MAX_BOOSTED_PHRASE`] (a longer query is seldom a title or a sentence copied whole).
fn boosted_phrase(query: &SearchQuery) -> Option<&[String]> {
    let whole = query.as_phrase();
    (2..=MAX_BOOSTED_PHRASE)
        .contains(&whole.len())
        .then_some(whole)
}

/// A query of plain words (each one term; nothing excluded, no tags), all wanted, as [`AllWords`]: the
/// same matches scored the same as [`build`] and [`summed`] make them, in one walk.
fn all_words(fields: &Fields, query: &SearchQuery) -> Option<AllWords> {
    if !(query.unwanted().is_empty() && query.tags().is_empty() && query.unwanted_tags().is_empty())
    {
        return None;
    }
    let words = query
        .wanted()
        .iter()
        .map(|terms| match terms.as_slice() {
            [word] => Some(word.clone()),
            _ => None,
        })
        .collect::<Option<Vec<String>>>()?;
    if words.is_empty() {
        return None;
    }
    AllWords::new(
        words,
        weighted(fields).to_vec(),
        boosted_phrase(query).unwrap_or_default(),
        phrase_fields(fields).to_vec(),
    )
}

/// The whole query as one phrase, in the subject and in the body under their boosts; `None` when it
/// gets no boost ([`boosted_phrase`]).
fn whole_phrase(fields: &Fields, query: &SearchQuery, stop: &Stop) -> Option<[Box<dyn Query>; 2]> {
    // A phrase walks to its first match when it is made, under the deadline but in the ranking's time.
    let whole = boosted_phrase(query)?;
    Some(
        phrase_fields(fields).map(|(field, boost)| -> Box<dyn Query> {
            Box::new(BoostQuery::new(term_or_phrase(field, whole, stop), boost))
        }),
    )
}

/// What [`ranked`] ranks, over only the questions of `matching` holding the whole query as a phrase, each
/// scored as [`ranked`] scores it. Ranked first on its own, these few are never left out when ranking every
/// match runs out of time; `None` when the query gets no phrase boost. (The phrases lead this walk: they
/// visit only questions holding every word in one field, where [`AllWords`] visits every match.)
pub fn phrase_matches(
    fields: &Fields,
    query: &SearchQuery,
    matching: &dyn Query,
    stop: &Stop,
) -> Option<Box<dyn Query>> {
    if is_one_word(query) {
        return None;
    }
    let phrases = whole_phrase(fields, query, stop)?;
    // Both required, the scores add up: the matching words' and the phrase's, as in the ranking.
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, matching.box_clone()),
        (Occur::Must, Box::new(AnyOf::new(phrases.into()))),
    ])))
}

/// A query that stops matching once its time is up: ranking then covers the matches walked so far. Words in
/// most of the board, all required together, would otherwise mean scoring a fifth of a million questions.
#[derive(Debug)]
pub struct Bounded {
    inner: Box<dyn Query>,
    budget: Duration,
    cut_short: Arc<AtomicBool>,
    scored: Arc<AtomicU64>,
    walked: Walked,
}

impl Clone for Bounded {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.box_clone(),
            budget: self.budget,
            cut_short: self.cut_short.clone(),
            scored: self.scored.clone(),
            walked: self.walked.clone(),
        }
    }
}

impl Bounded {
    pub fn new(inner: Box<dyn Query>, budget: Duration) -> Self {
        Self {
            inner,
            budget,
            cut_short: Arc::default(),
            scored: Arc::default(),
            walked: Walked::default(),
        }
    }

    /// How far a search with it walked each segment.
    pub fn walked(&self) -> Walked {
        self.walked.clone()
    }

    /// Whether a search with it ran out of time.
    pub fn cut_short(&self) -> bool {
        self.cut_short.load(Ordering::Acquire)
    }

    /// How many live (not deleted) matches a ranking with it scored: a ranking that was not cut short
    /// scored every match, and so counted them.
    pub fn scored(&self) -> u64 {
        self.scored.load(Ordering::Acquire)
    }
}

impl Query for Bounded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BoundedWeight {
            inner: self.inner.weight(scoring)?,
            deadline: Instant::now() + self.budget,
            cut_short: self.cut_short.clone(),
            scored: self.scored.clone(),
            walked: self.walked.clone(),
        }))
    }
}

struct BoundedWeight {
    inner: Box<dyn Weight>,
    deadline: Instant,
    cut_short: Arc<AtomicBool>,
    scored: Arc<AtomicU64>,
    walked: Walked,
}

impl Weight for BoundedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        // Setting up a scorer reads each term's postings: a segment reached after the deadline is skipped.
        if Instant::now() >= self.deadline {
            self.cut_short.store(true, Ordering::Release);
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(BoundedScorer {
            inner: self.inner.scorer(reader, boost)?,
            deadline: self.deadline,
            cut_short: self.cut_short.clone(),
            steps: 0,
            stopped: false,
            alive: reader.alive_bitset().cloned(),
            scored: 0,
            scored_total: self.scored.clone(),
            segment: reader.segment_id(),
            walked: self.walked.clone(),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

struct BoundedScorer {
    inner: Box<dyn Scorer>,
    deadline: Instant,
    cut_short: Arc<AtomicBool>,
    steps: u32,
    stopped: bool,
    alive: Option<AliveBitSet>,
    /// Live matches scored in this segment, added to the query's total when the scorer is done.
    scored: u64,
    scored_total: Arc<AtomicU64>,
    segment: SegmentId,
    walked: Walked,
}

impl Drop for BoundedScorer {
    fn drop(&mut self) {
        self.scored_total.fetch_add(self.scored, Ordering::AcqRel);
        // Stopped, the inner scorer is still on the last match walked (time runs out between steps).
        let last = if self.stopped {
            self.inner.doc()
        } else {
            TERMINATED
        };
        self.walked.record(self.segment, last);
    }
}

/// How far a bounded walk went in each segment: the last match it walked there, [`TERMINATED`] when it
/// walked them all; a segment it never reached is not named.
#[derive(Clone, Debug, Default)]
pub struct Walked(Arc<Mutex<HashMap<SegmentId, DocId>>>);

impl Walked {
    fn record(&self, segment: SegmentId, last: DocId) {
        if let Ok(mut walked) = self.0.lock() {
            walked.insert(segment, last);
        }
    }

    fn last(&self, segment: SegmentId) -> Option<DocId> {
        self.0
            .lock()
            .ok()
            .and_then(|walked| walked.get(&segment).copied())
    }
}

/// `inner` past what a bounded walk already covered in each segment: a second pass (the phrase's, after a
/// ranking cut short, which scored the phrase at every match it walked) looks only where the first did not.
#[derive(Debug)]
pub struct Beyond {
    inner: Box<dyn Query>,
    walked: Walked,
}

impl Beyond {
    pub fn new(inner: Box<dyn Query>, walked: Walked) -> Self {
        Self { inner, walked }
    }
}

impl Clone for Beyond {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.box_clone(),
            walked: self.walked.clone(),
        }
    }
}

impl Query for Beyond {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BeyondWeight {
            inner: self.inner.weight(scoring)?,
            walked: self.walked.clone(),
        }))
    }
}

struct BeyondWeight {
    inner: Box<dyn Weight>,
    walked: Walked,
}

impl Weight for BeyondWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let last = self.walked.last(reader.segment_id());
        if last == Some(TERMINATED) {
            return Ok(Box::new(EmptyScorer));
        }
        let mut scorer = self.inner.scorer(reader, boost)?;
        if let Some(last) = last
            && scorer.doc() <= last
        {
            scorer.seek(last + 1);
        }
        Ok(scorer)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

impl BoundedScorer {
    /// Looks at the clock every 4 steps: a step over unions of common words can take tens of microseconds,
    /// a clock read some twenty nanoseconds.
    fn out_of_time(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        if !self.stopped && self.steps.is_multiple_of(4) && Instant::now() >= self.deadline {
            self.stopped = true;
            self.cut_short.store(true, Ordering::Release);
        }
        self.stopped
    }
}

impl DocSet for BoundedScorer {
    fn advance(&mut self) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.out_of_time() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.stopped {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for BoundedScorer {
    /// A ranking scores each match once.
    fn score(&mut self) -> Score {
        let doc = self.inner.doc();
        if self.alive.as_ref().is_none_or(|alive| alive.is_alive(doc)) {
            self.scored += 1;
        }
        self.inner.score()
    }
}

/// A scorer's explanation of `doc`: the score it gives there, or an error when `doc` does not match.
pub fn explain_by_seeking(
    mut scorer: Box<dyn Scorer>,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.doc() > doc || scorer.seek(doc) != doc {
        return Err(tantivy::TantivyError::InvalidArgument(format!(
            "document {doc} does not match"
        )));
    }
    Ok(Explanation::new(what, scorer.score()))
}

/// How many questions match, counted up to `cap` or for `budget`; `true` when there are more than counted.
pub fn count_up_to(
    searcher: &Searcher,
    query: &dyn Query,
    cap: u64,
    budget: Duration,
) -> tantivy::Result<(u64, bool)> {
    let bounded = Bounded::new(query.box_clone(), budget);
    let weight = bounded.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut count = 0;
    for segment in searcher.segment_readers() {
        let alive = segment.alive_bitset();
        let mut matches = weight.scorer(segment, 1.0)?;
        let mut doc = matches.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                if count == cap {
                    return Ok((cap, true));
                }
                count += 1;
            }
            doc = matches.advance();
        }
    }
    Ok((count, bounded.cut_short()))
}

#[cfg(test)]
mod tests {
    use tantivy::{Index, collector::TopDocs};

    use super::*;
    use crate::domain::{ids::QuestionId, search::IndexedQuestion};

    fn unhurried() -> Stop {
        Stop::after(Duration::from_secs(60))
    }

    /// A searcher over `n` questions that all hold "common", in memory; question `id`'s body is `body(id)`,
    /// and the questions in `gone` are deleted.
    fn board(n: i64, body: impl Fn(i64) -> String, gone: &[u64]) -> (Searcher, Fields) {
        board_in_segments(n, body, gone, usize::MAX)
    }

    /// [`board`] with a segment of its own for every `segment` questions.
    fn board_in_segments(
        n: i64,
        body: impl Fn(i64) -> String,
        gone: &[u64],
        segment: usize,
    ) -> (Searcher, Fields) {
        searcher_over(
            (1..=n).map(|id| IndexedQuestion {
                id: QuestionId(id),
                subject: format!("common subject {id}"),
                body: body(id),
                answers: vec![],
                authors: vec!["someone".into()],
                created_at: id,
                like_count: 0,
                answer_count: 0,
                tags: Default::default(),
            }),
            gone,
            segment,
        )
    }

    /// A searcher over `questions`, in memory, less the questions in `gone`; a segment of its own for
    /// every `segment` questions.
    fn searcher_over(
        questions: impl Iterator<Item = IndexedQuestion>,
        gone: &[u64],
        segment: usize,
    ) -> (Searcher, Fields) {
        let (schema, fields) = super::super::schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(
            super::super::tokens::BOARD_TOKENIZER,
            super::super::tokens::BoardTokenizer,
        );
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (at, question) in questions.enumerate() {
            writer
                .add_document(super::super::document(&fields, &question))
                .expect("add");
            if (at + 1) % segment == 0 {
                writer.commit().expect("commit");
            }
        }
        for id in gone {
            writer.delete_term(Term::from_field_u64(fields.id, *id));
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        (reader.searcher(), fields)
    }

    #[test]
    fn counts_stop_at_the_cap_and_say_there_are_more() {
        let (searcher, fields) = board(5, |_| "common body text".into(), &[]);
        let query = build(
            &fields,
            &SearchQuery::parse("common"),
            Matching::AllWords,
            &unhurried(),
        );
        let count = |query: &dyn Query, cap| {
            count_up_to(&searcher, query, cap, Duration::from_secs(60)).expect("count")
        };
        assert_eq!(count(query.as_ref(), 3), (3, true));
        assert_eq!(count(query.as_ref(), 5), (5, false));
        let none = build(
            &fields,
            &SearchQuery::parse("common -subject"),
            Matching::AllWords,
            &unhurried(),
        );
        assert_eq!(count(none.as_ref(), 5), (0, false));
    }

    #[test]
    fn a_ranking_out_of_time_stops_and_says_so() {
        let (searcher, fields) = board(3_000, |_| "common body text".into(), &[]);
        let query = build(
            &fields,
            &SearchQuery::parse("common body"),
            Matching::AllWords,
            &unhurried(),
        );
        let unhurried = Bounded::new(query.box_clone(), Duration::from_secs(60));
        let all = searcher
            .search(&unhurried, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        assert_eq!(all.len(), 10);
        assert!(!unhurried.cut_short());
        let hurried = Bounded::new(query, Duration::ZERO);
        let some = searcher
            .search(&hurried, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        assert!(hurried.cut_short());
        assert!(some.len() <= 10);
    }

    #[test]
    fn a_ranking_not_cut_short_counts_every_live_match_once() {
        let (searcher, fields) = board(300, |_| "common body text".into(), &[7, 8, 200]);
        let typed = SearchQuery::parse("common body");
        let matching = build(&fields, &typed, Matching::AllWords, &unhurried());
        let ranking = Bounded::new(
            ranked(
                &fields,
                &typed,
                Matching::AllWords,
                matching.as_ref(),
                &unhurried(),
            ),
            Duration::from_secs(60),
        );
        let top = searcher
            .search(&ranking, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        assert_eq!(top.len(), 10);
        assert!(!ranking.cut_short());
        assert_eq!(ranking.scored(), 297);
        let counted = count_up_to(&searcher, matching.as_ref(), 1_000, Duration::from_secs(60));
        assert_eq!(counted.expect("count"), (297, false));
    }

    #[test]
    fn phrase_matches_are_the_questions_holding_the_phrase_scored_as_in_the_ranking() {
        let (searcher, fields) = board(
            3_000,
            |id| match id {
                2_999 => "text body common".into(),
                _ => "common body text".into(),
            },
            &[],
        );
        let typed = SearchQuery::parse("body common");
        let matching = build(&fields, &typed, Matching::AllWords, &unhurried());
        let ranking = ranked(
            &fields,
            &typed,
            Matching::AllWords,
            matching.as_ref(),
            &unhurried(),
        );
        let everything = searcher
            .search(
                ranking.as_ref(),
                &TopDocs::with_limit(3_000).order_by_score(),
            )
            .expect("search");
        assert_eq!(everything.len(), 3_000);
        let phrased =
            phrase_matches(&fields, &typed, matching.as_ref(), &unhurried()).expect("two words");
        let few = searcher
            .search(phrased.as_ref(), &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        assert_eq!(few.len(), 1);
        // The phrase lifts its question to the top of the ranking too, with the same score.
        assert_eq!(few[0], everything[0]);
        let id = searcher
            .segment_reader(few[0].1.segment_ord)
            .fast_fields()
            .u64("id")
            .expect("id column")
            .first(few[0].1.doc_id);
        assert_eq!(id, Some(2_999));
        // One word is no phrase.
        let one = SearchQuery::parse("body");
        assert!(phrase_matches(&fields, &one, matching.as_ref(), &unhurried()).is_none());
    }

    /// Questions of a few words drawn in turn from a small vocabulary (English and Korean, particles
    /// included), so words stand in every field, together and apart, in and out of order.
    fn mixed_board() -> (Searcher, Fields) {
        const WORDS: [&str; 12] = [
            "read",
            "file",
            "rust",
            "a",
            "the",
            "error",
            "파이썬을",
            "파이썬",
            "리스트",
            "정렬은",
            "flask",
            "session",
        ];
        let mut state = 7u64;
        let mut text = |count: u64| -> String {
            (0..count)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    WORDS[(state >> 33) as usize % WORDS.len()]
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let questions: Vec<IndexedQuestion> = (1..=600)
            .map(|id| IndexedQuestion {
                id: QuestionId(id),
                subject: text(2 + id as u64 % 5),
                body: if id > 400 && id % 7 == 0 {
                    format!("{} socket", text(3 + id as u64 % 17))
                } else {
                    text(3 + id as u64 % 17)
                },
                answers: (0..id % 3).map(|n| text(4 + n as u64)).collect(),
                authors: vec![text(1)],
                created_at: id,
                like_count: 0,
                answer_count: 0,
                tags: Default::default(),
            })
            .collect();
        // Three segments, a word in only one of them, a few questions deleted.
        searcher_over(questions.into_iter(), &[5, 250, 251, 406, 599], 200)
    }

    #[test]
    fn plain_words_are_ranked_in_one_walk_as_the_general_query_ranks_them() {
        let (searcher, fields) = mixed_board();
        type Scores = Vec<((u32, DocId), Score)>;
        let scores = |query: &dyn Query| -> Scores {
            let mut found: Scores = searcher
                .search(query, &TopDocs::with_limit(1_000).order_by_score())
                .expect("search")
                .into_iter()
                .map(|(score, address)| ((address.segment_ord, address.doc_id), score))
                .collect();
            found.sort_by_key(|(doc, _)| *doc);
            found
        };
        let same = |ours: Scores, general: Scores, what: &str| {
            assert_eq!(ours.len(), general.len(), "{what}");
            for ((doc, score), (general_doc, general_score)) in ours.into_iter().zip(general) {
                assert_eq!(doc, general_doc, "{what}");
                assert!(
                    (score - general_score).abs() <= 1e-4 * general_score.abs(),
                    "{what}: {score} against {general_score}"
                );
            }
        };
        let mut phrased = 0;
        for (typed, found) in [
            ("read file", true),
            ("read a file", true),
            ("the error the", true),
            ("파이썬 리스트", true),
            ("파이썬을 정렬", true),
            ("rust flask session error read", true),
            ("file read", true),
            // In the last segment only.
            ("socket error", true),
            ("error socket", true),
            // Eleven words as typed get no phrase boost.
            ("read file rust a the error a the file rust read", true),
            ("nowhere file", false),
        ] {
            let query = SearchQuery::parse(typed);
            let matching = build(&fields, &query, Matching::AllWords, &unhurried());
            let ours = all_words(&fields, &query).expect("plain words");
            let general = summed(&fields, &query, matching.as_ref(), &unhurried());
            let ranked = scores(&ours);
            assert_eq!(!ranked.is_empty(), found, "{typed}");
            same(ranked.clone(), scores(general.as_ref()), typed);
            // The questions holding the phrase score alike in the phrase pass and in this ranking.
            let Some(phrase) = phrase_matches(&fields, &query, matching.as_ref(), &unhurried())
            else {
                assert_eq!(query.as_phrase().len(), 11, "{typed}");
                continue;
            };
            let holding = scores(phrase.as_ref());
            phrased += holding.len();
            for (doc, score) in holding {
                let at = ranked
                    .binary_search_by_key(&doc, |(doc, _)| *doc)
                    .expect("ranked too");
                assert!((ranked[at].1 - score).abs() <= 1e-4 * score, "{typed}");
            }
        }
        assert!(
            phrased > 20,
            "the phrases stand in some questions: {phrased}"
        );
        // Any word (the fallback) keeps the general query.
        let query = SearchQuery::parse("nowhere socket");
        let matching = build(&fields, &query, Matching::AnyWord, &unhurried());
        let any = ranked(
            &fields,
            &query,
            Matching::AnyWord,
            matching.as_ref(),
            &unhurried(),
        );
        let general = summed(&fields, &query, matching.as_ref(), &unhurried());
        let sockets = scores(any.as_ref());
        assert_eq!(sockets.len(), 27, "socket alone, less the deleted");
        same(sockets, scores(general.as_ref()), "any word");
        // A quoted phrase, an exclusion or a tag is left to the general query.
        for typed in [r#"read "a file""#, "read -file", "read [rust]"] {
            assert!(all_words(&fields, &SearchQuery::parse(typed)).is_none());
        }
    }

    #[test]
    fn a_second_pass_looks_only_past_what_a_bounded_walk_covered() {
        let (searcher, fields) = board_in_segments(300, |_| "common body text".into(), &[], 100);
        assert_eq!(searcher.segment_readers().len(), 3);
        let query = build(
            &fields,
            &SearchQuery::parse("common body"),
            Matching::AllWords,
            &unhurried(),
        );
        let found = |query: &dyn Query| {
            searcher
                .search(query, &TopDocs::with_limit(1_000).order_by_score())
                .expect("search")
                .len()
        };
        // A walk in its time covers every segment: nothing is left for a second pass.
        let whole = Bounded::new(query.box_clone(), Duration::from_secs(60));
        assert_eq!(found(&whole), 300);
        assert_eq!(found(&Beyond::new(query.box_clone(), whole.walked())), 0);
        // A walk that stopped at the 40th question of the first segment and never reached the last.
        let walked = Walked::default();
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|reader| reader.segment_id())
            .collect();
        walked.record(segments[0], 39);
        walked.record(segments[1], TERMINATED);
        assert_eq!(found(&Beyond::new(query.box_clone(), walked)), 60 + 100);
    }
}
