//! Matching and scoring apart: which questions match is decided by one query (each word looked up once, in
//! a field that holds all of a question's text, so intersections skip through plain posting lists), and
//! each match is then scored by parts (a word in the subject, in the body, ...) that only seek to it.
//! Tantivy's union of a word's four fields, intersected with another word, refilled a window of 4,096
//! documents per seek: a rare word beside a common one decoded the common one's postings almost in full.

use tantivy::{
    DocId, DocSet, Score, SegmentReader,
    query::{EnableScoring, Explanation, Query, Scorer, Weight},
};

/// The questions `matching` finds, each scored as the sum of the `parts` that hold it.
#[derive(Debug)]
pub struct Scored {
    matching: Box<dyn Query>,
    parts: Vec<Box<dyn Query>>,
}

impl Scored {
    pub fn new(matching: Box<dyn Query>, parts: Vec<Box<dyn Query>>) -> Self {
        Self { matching, parts }
    }
}

impl Clone for Scored {
    fn clone(&self) -> Self {
        Self {
            matching: self.matching.box_clone(),
            parts: self.parts.iter().map(|part| part.box_clone()).collect(),
        }
    }
}

impl Query for Scored {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // Matching needs no scores of its own.
        let unscored = match scoring {
            EnableScoring::Enabled { searcher, .. } => {
                EnableScoring::disabled_from_searcher(searcher)
            }
            disabled @ EnableScoring::Disabled { .. } => disabled,
        };
        let parts = if scoring.is_scoring_enabled() {
            self.parts
                .iter()
                .map(|part| part.weight(scoring))
                .collect::<tantivy::Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(ScoredWeight {
            matching: self.matching.weight(unscored)?,
            parts,
        }))
    }
}

struct ScoredWeight {
    matching: Box<dyn Weight>,
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for ScoredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ScoredScorer {
            matching: self.matching.scorer(reader, boost)?,
            parts: self
                .parts
                .iter()
                .map(|part| part.scorer(reader, boost))
                .collect::<tantivy::Result<_>>()?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::query::explain_by_seeking(self.scorer(reader, 1.0)?, doc, "sum of the parts")
    }
}

struct ScoredScorer {
    matching: Box<dyn Scorer>,
    parts: Vec<Box<dyn Scorer>>,
}

impl DocSet for ScoredScorer {
    fn advance(&mut self) -> DocId {
        self.matching.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.matching.seek(target)
    }

    fn doc(&self) -> DocId {
        self.matching.doc()
    }

    fn size_hint(&self) -> u32 {
        self.matching.size_hint()
    }
}

impl Scorer for ScoredScorer {
    fn score(&mut self) -> Score {
        let doc = self.matching.doc();
        let mut total = 0.0;
        for part in &mut self.parts {
            if part.doc() < doc {
                part.seek(doc);
            }
            if part.doc() == doc {
                total += part.score();
            }
        }
        total
    }
}
