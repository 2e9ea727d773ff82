//! A match's score with more added: parts that add to the score of what a query matches without deciding
//! whether it matches (the whole query as a phrase), each only seeking to the matches.

use tantivy::{
    DocId, DocSet, Score, SegmentReader,
    query::{EnableScoring, Explanation, Query, Scorer, Weight},
};

/// The questions `matching` finds, each scored as `matching` scores it plus the `parts` that hold it.
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
        let parts = if scoring.is_scoring_enabled() {
            self.parts
                .iter()
                .map(|part| part.weight(scoring))
                .collect::<tantivy::Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(ScoredWeight {
            matching: self.matching.weight(scoring)?,
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
        let mut total = self.matching.score();
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
