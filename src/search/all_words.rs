//! Every word of a query in some field, ranked in one walk. A search of plain words was ranked as the
//! intersection of each word's fields plus the whole query as a phrase in the subject and in the body; each
//! phrase walked the same words' postings again, apart, reading the positions of every question holding
//! them all. Here each word's postings per field are read once: the walk finds the questions holding every
//! word, and only on those reads the positions the phrase needs from the postings it already stands on.
//! Scores are the same sums: each word's fields under their weights, and each phrase under its boost.

use tantivy::{
    DocId, DocSet, Score, SegmentReader, TERMINATED, Term,
    fieldnorm::FieldNormReader,
    postings::{Postings, SegmentPostings},
    query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight},
    schema::{Field, IndexRecordOption},
};

use super::{any_field::reach, phrase::keep_common};

/// The questions holding every one of `words` in any of `fields`, each scored as the sum of its words'
/// fields under their weights and of the whole `phrase` (the words as typed, repeats kept) standing in
/// each of `phrase_fields` under its boost.
#[derive(Clone, Debug)]
pub struct AllWords {
    words: Vec<String>,
    fields: Vec<(Field, Score)>,
    /// Each word of the phrase as the index of one of `words`; empty when the query gets no phrase boost.
    phrase: Vec<usize>,
    phrase_fields: Vec<(Field, Score)>,
}

impl AllWords {
    /// `None` when a word of `phrase` is not one of `words`.
    pub fn new(
        words: Vec<String>,
        fields: Vec<(Field, Score)>,
        phrase: &[String],
        phrase_fields: Vec<(Field, Score)>,
    ) -> Option<Self> {
        let phrase = phrase
            .iter()
            .map(|term| words.iter().position(|word| word == term))
            .collect::<Option<Vec<usize>>>()?;
        Some(Self {
            words,
            fields,
            phrase,
            phrase_fields,
        })
    }
}

/// The BM25 weight of `terms` as tantivy's term and phrase queries make it, under `boost`; `None` when
/// not scoring (each match then scores 1).
fn bm25(
    scoring: &EnableScoring<'_>,
    terms: &[Term],
    boost: Score,
) -> tantivy::Result<Option<Bm25Weight>> {
    Ok(match scoring {
        EnableScoring::Enabled {
            statistics_provider,
            ..
        } => Some(Bm25Weight::for_terms(*statistics_provider, terms)?.boost_by(boost)),
        EnableScoring::Disabled { .. } => None,
    })
}

/// What a term standing `count` times in a field of `fieldnorm_id` scores under `weight`.
fn score(weight: &Option<Bm25Weight>, fieldnorm_id: u8, count: u32) -> Score {
    weight
        .as_ref()
        .map_or(1.0, |weight| weight.score(fieldnorm_id, count))
}

impl Query for AllWords {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut words = Vec::with_capacity(self.words.len());
        for word in &self.words {
            let mut parts = Vec::with_capacity(self.fields.len());
            for &(field, weight) in &self.fields {
                let term = Term::from_field_text(field, word);
                let weighted = bm25(&scoring, std::slice::from_ref(&term), weight)?;
                parts.push((term, weighted));
            }
            words.push(parts);
        }
        let mut phrase_fields = Vec::new();
        // Unscored, the phrase would add nothing but the positions read.
        if !self.phrase.is_empty() && scoring.is_scoring_enabled() {
            for &(field, boost) in &self.phrase_fields {
                let terms: Vec<Term> = self
                    .phrase
                    .iter()
                    .map(|&word| Term::from_field_text(field, &self.words[word]))
                    .collect();
                phrase_fields.push((field, bm25(&scoring, &terms, boost)?));
            }
        }
        Ok(Box::new(AllWordsWeight {
            words,
            phrase: self.phrase.clone(),
            phrase_fields,
        }))
    }
}

struct AllWordsWeight {
    /// Per word, its term and weight in each field.
    words: Vec<Vec<(Term, Option<Bm25Weight>)>>,
    phrase: Vec<usize>,
    phrase_fields: Vec<(Field, Option<Bm25Weight>)>,
}

impl AllWordsWeight {
    fn all_words_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<AllWordsScorer>> {
        let with_positions = |field: Field| self.phrase_fields.iter().any(|(f, _)| *f == field);
        let mut words = Vec::with_capacity(self.words.len());
        for parts in &self.words {
            let mut held = Vec::with_capacity(parts.len());
            for (term, weight) in parts {
                let field = term.field();
                let option = if with_positions(field) {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                if let Some(postings) = reader.inverted_index(field)?.read_postings(term, option)? {
                    held.push(Part {
                        field,
                        postings,
                        fieldnorms: fieldnorms(reader, field)?,
                        weight: boosted(weight, boost),
                    });
                }
            }
            if held.is_empty() {
                // A word in no field of this segment: nothing here holds every word.
                return Ok(None);
            }
            words.push(Word {
                doc: held
                    .iter()
                    .map(|part| part.postings.doc())
                    .min()
                    .unwrap_or(TERMINATED),
                parts: held,
            });
        }
        if words.is_empty() {
            return Ok(None);
        }
        // The rarest word leads the walk; the phrase follows its words wherever they stand, and scores
        // add up in the order typed, so that two questions' sums are made alike in every segment.
        let mut order: Vec<usize> = (0..words.len()).collect();
        order.sort_by_key(|&at| words[at].size_hint());
        let mut placed: Vec<Option<Word>> = words.into_iter().map(Some).collect();
        let words: Vec<Word> = order.iter().filter_map(|&at| placed[at].take()).collect();
        let walked = |typed: &usize| order.iter().position(|at| at == typed);
        let phrase = self.phrase.iter().filter_map(walked).collect();
        let typed_order = (0..order.len())
            .filter_map(|typed| walked(&typed))
            .collect();
        let phrase_fields = self
            .phrase_fields
            .iter()
            .map(|(field, weight)| {
                Ok(PhraseField {
                    field: *field,
                    fieldnorms: fieldnorms(reader, *field)?,
                    weight: boosted(weight, boost),
                })
            })
            .collect::<tantivy::Result<_>>()?;
        let mut scorer = AllWordsScorer {
            positions: vec![Vec::new(); words.len()],
            words,
            typed_order,
            phrase,
            phrase_fields,
            doc: 0,
            phrase_score: 0.0,
            ends: Vec::new(),
            next: Vec::new(),
        };
        let first = scorer.words[0].doc;
        scorer.align(first);
        Ok(Some(scorer))
    }
}

impl Weight for AllWordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.all_words_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::query::explain_by_seeking(self.scorer(reader, 1.0)?, doc, "every word")
    }
}

/// A field's norms; a field without them counts every text as of length one, as tantivy's term query does.
fn fieldnorms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(reader
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
}

fn boosted(weight: &Option<Bm25Weight>, boost: Score) -> Option<Bm25Weight> {
    weight.as_ref().map(|weight| weight.boost_by(boost))
}

/// A word's postings in one field.
struct Part {
    field: Field,
    postings: SegmentPostings,
    fieldnorms: FieldNormReader,
    weight: Option<Bm25Weight>,
}

/// A word in any of its fields: at the nearest document one of them holds.
struct Word {
    parts: Vec<Part>,
    doc: DocId,
}

impl Word {
    fn reach(&mut self, target: DocId) -> DocId {
        self.doc = reach(self.parts.iter_mut().map(|part| &mut part.postings), target);
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|part| part.postings.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    /// Its fields' scores at the document every field was moved to.
    fn score(&self) -> Score {
        let doc = self.doc;
        self.parts
            .iter()
            .filter(|part| part.postings.doc() == doc)
            .map(|part| {
                score(
                    &part.weight,
                    part.fieldnorms.fieldnorm_id(doc),
                    part.postings.term_freq(),
                )
            })
            .sum()
    }
}

struct PhraseField {
    field: Field,
    fieldnorms: FieldNormReader,
    weight: Option<Bm25Weight>,
}

struct AllWordsScorer {
    /// Rarest first.
    words: Vec<Word>,
    /// Indexes into `words` in the order typed.
    typed_order: Vec<usize>,
    /// The phrase as indexes into `words`.
    phrase: Vec<usize>,
    phrase_fields: Vec<PhraseField>,
    doc: DocId,
    /// What the phrase adds at `doc`.
    phrase_score: Score,
    /// Each word's positions in the field being looked at.
    positions: Vec<Vec<u32>>,
    ends: Vec<u32>,
    next: Vec<u32>,
}

impl AllWordsScorer {
    /// Moves to the first document at or after `target` holding every word.
    fn align(&mut self, mut target: DocId) -> DocId {
        'align: loop {
            if target == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            for word in &mut self.words {
                let at = if word.doc < target {
                    word.reach(target)
                } else {
                    word.doc
                };
                if at > target {
                    target = at;
                    continue 'align;
                }
            }
            self.doc = target;
            self.phrase_score = self.phrase_score_here();
            return target;
        }
    }

    /// What the phrase standing in each of its fields adds at `doc`.
    fn phrase_score_here(&mut self) -> Score {
        let mut total = 0.0;
        for at in 0..self.phrase_fields.len() {
            let count = self.phrase_count(self.phrase_fields[at].field);
            if count > 0 {
                let field = &self.phrase_fields[at];
                total += score(
                    &field.weight,
                    field.fieldnorms.fieldnorm_id(self.doc),
                    count,
                );
            }
        }
        total
    }

    /// How often the phrase stands in `field` of `doc`: where it would end, per word, intersected.
    fn phrase_count(&mut self, field: Field) -> u32 {
        let doc = self.doc;
        let here = |part: &Part| part.field == field && part.postings.doc() == doc;
        if !self
            .phrase
            .iter()
            .all(|&word| self.words[word].parts.iter().any(here))
        {
            return 0;
        }
        for (word, positions) in self.words.iter_mut().zip(&mut self.positions) {
            if let Some(part) = word.parts.iter_mut().find(|part| here(part)) {
                part.postings.positions(positions);
            }
        }
        let last = self.phrase.len() as u32 - 1;
        self.ends.clear();
        self.ends.extend(
            self.positions[self.phrase[0]]
                .iter()
                .map(|position| position + last),
        );
        for (at, &word) in self.phrase.iter().enumerate().skip(1) {
            if self.ends.is_empty() {
                break;
            }
            let shift = last - at as u32;
            self.next.clear();
            self.next
                .extend(self.positions[word].iter().map(|position| position + shift));
            keep_common(&mut self.ends, &self.next);
        }
        self.ends.len() as u32
    }
}

impl DocSet for AllWordsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.align(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        self.align(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.words.first().map(|word| word.size_hint()).unwrap_or(0)
    }
}

impl Scorer for AllWordsScorer {
    fn score(&mut self) -> Score {
        self.typed_order
            .iter()
            .map(|&at| self.words[at].score())
            .sum::<Score>()
            + self.phrase_score
    }
}
