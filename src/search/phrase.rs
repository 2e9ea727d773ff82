//! A phrase over one field that looks at the clock while it walks. Tantivy's own phrase scorer walks to
//! its first match as it is built, where no deadline reaches it: a few phrases of common words that never
//! stand in that order meant walking most of the board (50-140 ms at 50,000 questions). This one checks
//! the search's deadline at every document that holds all its words, and stops there, saying so.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tantivy::{
    DocId, DocSet, Score, SegmentReader, TERMINATED, Term,
    fieldnorm::FieldNormReader,
    postings::{Postings, SegmentPostings},
    query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight},
    schema::IndexRecordOption,
};

/// When one search's phrase walks must stop, and whether any did; shared by every phrase of the search,
/// and set again before each of its passes (counting, ranking).
#[derive(Clone, Debug)]
pub struct Stop {
    shared: Arc<StopState>,
}

#[derive(Debug)]
struct StopState {
    since: Instant,
    /// Nanoseconds after `since`.
    deadline: AtomicU64,
    stopped: AtomicBool,
}

impl Stop {
    /// Walks stop `budget` from now.
    pub fn after(budget: Duration) -> Self {
        let stop = Self {
            shared: Arc::new(StopState {
                since: Instant::now(),
                deadline: AtomicU64::new(0),
                stopped: AtomicBool::new(false),
            }),
        };
        stop.restart(budget);
        stop
    }

    /// Walks from here on stop `budget` from now, and none has stopped yet.
    pub fn restart(&self, budget: Duration) {
        let deadline = self.shared.since.elapsed() + budget;
        self.shared
            .deadline
            .store(deadline.as_nanos() as u64, Ordering::Release);
        self.shared.stopped.store(false, Ordering::Release);
    }

    /// Whether a walk stopped at the deadline: what it found is part of what matches.
    pub fn stopped(&self) -> bool {
        self.shared.stopped.load(Ordering::Acquire)
    }

    fn passed(&self) -> bool {
        let now = self.shared.since.elapsed().as_nanos() as u64;
        let passed = now >= self.shared.deadline.load(Ordering::Acquire);
        if passed {
            self.shared.stopped.store(true, Ordering::Release);
        }
        passed
    }
}

/// The terms, in this order and next to each other, in one field.
#[derive(Clone, Debug)]
pub struct TimedPhrase {
    terms: Vec<Term>,
    stop: Stop,
}

impl TimedPhrase {
    /// `terms` are of one field, at least two.
    pub fn new(terms: Vec<Term>, stop: Stop) -> Self {
        Self { terms, stop }
    }
}

impl Query for TimedPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.terms)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(TimedPhraseWeight {
            terms: self.terms.clone(),
            bm25,
            stop: self.stop.clone(),
        }))
    }
}

struct TimedPhraseWeight {
    terms: Vec<Term>,
    bm25: Option<Bm25Weight>,
    stop: Stop,
}

impl TimedPhraseWeight {
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<TimedPhraseScorer>> {
        let Some(field) = self.terms.first().map(Term::field) else {
            return Ok(None);
        };
        let index = reader.inverted_index(field)?;
        let last = self.terms.len() as u32 - 1;
        let mut postings = Vec::with_capacity(self.terms.len());
        for (at, term) in self.terms.iter().enumerate() {
            match index.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                // Each term's positions are moved to where the phrase's last word would stand.
                Some(list) => postings.push((last - at as u32, list)),
                None => return Ok(None),
            }
        }
        let mut scorer = TimedPhraseScorer {
            postings,
            fieldnorms: reader.get_fieldnorms_reader(field)?,
            bm25: self.bm25.as_ref().map(|bm25| bm25.boost_by(boost)),
            stop: self.stop.clone(),
            doc: 0,
            count: 0,
            ends: Vec::new(),
            next: Vec::new(),
        };
        let first = scorer.postings[0].1.doc();
        scorer.walk_from(first);
        Ok(Some(scorer))
    }
}

impl Weight for TimedPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::query::explain_by_seeking(self.scorer(reader, 1.0)?, doc, "phrase")
    }
}

struct TimedPhraseScorer {
    /// Each term's postings, with the shift that lines its positions up on the phrase's end.
    postings: Vec<(u32, SegmentPostings)>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    stop: Stop,
    doc: DocId,
    /// How often the phrase stands in `doc`.
    count: u32,
    ends: Vec<u32>,
    next: Vec<u32>,
}

impl TimedPhraseScorer {
    /// Moves to the first document at or after `target` that holds the phrase.
    fn walk_from(&mut self, mut target: DocId) -> DocId {
        loop {
            target = self.all_words_from(target);
            if target == TERMINATED || self.stop.passed() {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            self.count = self.phrase_count();
            if self.count > 0 {
                self.doc = target;
                return target;
            }
            target = self.postings[0].1.advance();
        }
    }

    /// The first document at or after `target` holding every term, with every list on it.
    fn all_words_from(&mut self, mut target: DocId) -> DocId {
        'align: loop {
            if target == TERMINATED {
                return TERMINATED;
            }
            for (_, list) in &mut self.postings {
                let at = if list.doc() < target {
                    list.seek(target)
                } else {
                    list.doc()
                };
                if at > target {
                    target = at;
                    continue 'align;
                }
            }
            return target;
        }
    }

    /// Where the phrase ends, intersected over every term; its length is the phrase's count.
    fn phrase_count(&mut self) -> u32 {
        let (first, rest) = self.postings.split_at_mut(1);
        let (shift, list) = &mut first[0];
        list.positions_with_offset(*shift, &mut self.ends);
        for (shift, list) in rest {
            if self.ends.is_empty() {
                break;
            }
            list.positions_with_offset(*shift, &mut self.next);
            keep_common(&mut self.ends, &self.next);
        }
        self.ends.len() as u32
    }
}

/// Keeps of `ends` those also in `next`; both sorted.
pub fn keep_common(ends: &mut Vec<u32>, next: &[u32]) {
    let mut j = 0;
    ends.retain(|end| {
        while j < next.len() && next[j] < *end {
            j += 1;
        }
        j < next.len() && next[j] == *end
    });
}

impl DocSet for TimedPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let next = self.postings[0].1.advance();
        self.walk_from(next)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        self.walk_from(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|(_, list)| list.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for TimedPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.count),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{
        Index, TantivyDocument,
        collector::{Count, TopDocs},
        schema::{Schema, TEXT},
    };

    use super::*;

    fn board(texts: &[&str]) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for body in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, body);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        (index, text)
    }

    fn phrase(field: tantivy::schema::Field, words: &str, stop: Stop) -> TimedPhrase {
        TimedPhrase::new(
            words
                .split(' ')
                .map(|word| Term::from_field_text(field, word))
                .collect(),
            stop,
        )
    }

    #[test]
    fn matches_words_in_order_and_next_to_each_other_repeats_included() {
        let (index, text) = board(&[
            "read a file now",
            "a file read",
            "read the file",
            "flask flask how",
            "flask how flask",
            "read a file, then read a file",
        ]);
        let searcher = index.reader().expect("reader").searcher();
        let later = || Stop::after(Duration::from_secs(60));
        let found = |words: &str| {
            let mut docs: Vec<u32> = searcher
                .search(
                    &phrase(text, words, later()),
                    &TopDocs::with_limit(10).order_by_score(),
                )
                .expect("search")
                .into_iter()
                .map(|(_, address)| address.doc_id)
                .collect();
            docs.sort_unstable();
            docs
        };
        assert_eq!(found("read a file"), [0, 5]);
        assert_eq!(found("flask flask how"), [3]);
        assert_eq!(found("file read"), [1]);
        assert!(found("a read").is_empty());
        // Twice in one text scores above once in a text as long.
        let ranked = searcher
            .search(
                &phrase(text, "read a file", later()),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .expect("search");
        assert_eq!(ranked[0].1.doc_id, 5);
    }

    #[test]
    fn a_walk_past_its_deadline_stops_and_says_so() {
        let texts: Vec<String> = (0..2_000).map(|n| format!("common words {n}")).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (index, text) = board(&texts);
        let searcher = index.reader().expect("reader").searcher();
        let unhurried = Stop::after(Duration::from_secs(60));
        let all = searcher
            .search(&phrase(text, "common words", unhurried.clone()), &Count)
            .expect("count");
        assert_eq!(all, 2_000);
        assert!(!unhurried.stopped());
        let late = Stop::after(Duration::ZERO);
        let none = searcher
            .search(&phrase(text, "words common", late.clone()), &Count)
            .expect("count");
        assert_eq!(none, 0);
        assert!(late.stopped());
        // Set again, the next pass has its time.
        late.restart(Duration::from_secs(60));
        assert!(!late.stopped());
    }
}
