//! Whether a question holds a word in any of its fields, as a set of documents that is cheap to seek.
//! Tantivy's union refills a window of 4,096 documents on every seek past it, decoding each field's
//! postings through the window: intersected with a rarer word, a common word's four fields were decoded
//! almost in full (10 ms at a million questions). Here a seek moves each field's postings by its skip list.
//! Scored, a match sums the scores of the fields holding it, so the postings that decide a match also rank
//! it: each word's postings are walked once.

use tantivy::{
    DocId, DocSet, Score, SegmentReader, TERMINATED, Term,
    query::{
        BoostQuery, EmptyScorer, EnableScoring, Explanation, Query, Scorer, TermQuery, Weight,
    },
    schema::{Field, IndexRecordOption},
};

/// The documents any of `parts` matches, each scored as the sum of the parts holding it.
#[derive(Debug)]
pub struct AnyOf {
    parts: Vec<Box<dyn Query>>,
}

impl AnyOf {
    pub fn new(parts: Vec<Box<dyn Query>>) -> Self {
        Self { parts }
    }

    /// The documents holding `word` in any of `fields`, a match in each field scored under its weight.
    pub fn word(fields: &[(Field, Score)], word: &str) -> Self {
        Self::new(
            fields
                .iter()
                .map(|&(field, weight)| -> Box<dyn Query> {
                    // Unscored (counting), a term query reads no frequencies.
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, word),
                            IndexRecordOption::WithFreqs,
                        )),
                        weight,
                    ))
                })
                .collect(),
        )
    }
}

impl Clone for AnyOf {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.iter().map(|part| part.box_clone()).collect(),
        }
    }
}

impl Query for AnyOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AnyOfWeight {
            parts: self
                .parts
                .iter()
                .map(|part| part.weight(scoring))
                .collect::<tantivy::Result<_>>()?,
        }))
    }
}

struct AnyOfWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts: Vec<Box<dyn Scorer>> = self
            .parts
            .iter()
            .map(|part| part.scorer(reader, boost))
            .collect::<tantivy::Result<_>>()?;
        // A field without the word in this segment would be asked for its document at every step.
        parts.retain(|part| part.doc() != TERMINATED);
        if parts.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        if parts.len() == 1
            && let Some(only) = parts.pop()
        {
            return Ok(only);
        }
        let doc = parts
            .iter()
            .map(|part| part.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(Box::new(AnyOfScorer { parts, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::query::explain_by_seeking(self.scorer(reader, 1.0)?, doc, "any field")
    }
}

struct AnyOfScorer {
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl AnyOfScorer {
    fn reach(&mut self, target: DocId) -> DocId {
        self.doc = reach(self.parts.iter_mut(), target);
        self.doc
    }
}

/// Moves every one of `parts` to `target` or past it; the nearest document they are on then.
pub fn reach<'a, D: DocSet + ?Sized + 'a>(
    parts: impl Iterator<Item = &'a mut D>,
    target: DocId,
) -> DocId {
    let mut nearest = TERMINATED;
    for part in parts {
        let at = if part.doc() < target {
            part.seek(target)
        } else {
            part.doc()
        };
        nearest = nearest.min(at);
    }
    nearest
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.reach(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        self.reach(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|part| part.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for AnyOfScorer {
    /// Every part was moved to this document or past it: those on it hold it.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.parts
            .iter_mut()
            .filter(|part| part.doc() == doc)
            .map(|part| part.score())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::{
        Index, TantivyDocument,
        collector::{DocSetCollector, TopDocs},
        query::{BooleanQuery, Occur},
        schema::{Schema, TEXT},
    };

    use super::*;

    #[test]
    fn a_word_in_any_field_intersects_and_seeks_like_a_union() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for n in 0..10_000u32 {
            let mut doc = TantivyDocument::default();
            // "common" everywhere, in one field or the other; "rare" in a few, also split over fields.
            let (in_title, in_body) = if n % 2 == 0 {
                ("common", "")
            } else {
                ("", "common")
            };
            doc.add_text(title, in_title);
            doc.add_text(body, in_body);
            if n % 1_000 == 7 {
                doc.add_text(if n % 2_000 == 7 { title } else { body }, "rare");
            }
            if n % 2_500 == 3 {
                doc.add_text(body, "bodyonly");
            }
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let any = |word: &str| -> Box<dyn Query> {
            Box::new(AnyOf::word(&[(title, 2.0), (body, 1.0)], word))
        };
        let both = BooleanQuery::new(vec![
            (Occur::Must, any("common")),
            (Occur::Must, any("rare")),
        ]);
        let mut found: Vec<u32> = searcher
            .search(&both, &DocSetCollector)
            .expect("search")
            .into_iter()
            .map(|address| address.doc_id)
            .collect();
        found.sort_unstable();
        assert_eq!(found, (0..10).map(|n| n * 1_000 + 7).collect::<Vec<_>>());
        let all = searcher
            .search(any("common").as_ref(), &DocSetCollector)
            .expect("search");
        assert_eq!(all.len(), 10_000);
        // Scored, a match is what the fields holding it score under their weights, as a union scores it.
        let union = BooleanQuery::new(
            [(title, 2.0), (body, 1.0)]
                .into_iter()
                .map(|(field, weight)| -> (Occur, Box<dyn Query>) {
                    let term = TermQuery::new(
                        Term::from_field_text(field, "rare"),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(term), weight)),
                    )
                })
                .collect(),
        );
        let top = |query: &dyn Query| {
            let mut scored = searcher
                .search(query, &TopDocs::with_limit(20).order_by_score())
                .expect("search");
            scored.sort_by_key(|(_, address)| address.doc_id);
            scored
        };
        let ours = top(any("rare").as_ref());
        assert_eq!(ours.len(), 10);
        assert_eq!(ours, top(&union));
        // A match in the subject-like field, weighted twice, outscores one in the other.
        assert!(ours[0].0 > ours[1].0);
        // A word in one field only is that field's term, matched and scored alike; in none, nothing.
        let body_only = top(any("bodyonly").as_ref());
        assert_eq!(
            body_only.iter().map(|(_, a)| a.doc_id).collect::<Vec<_>>(),
            [3, 2_503, 5_003, 7_503]
        );
        let term = TermQuery::new(
            Term::from_field_text(body, "bodyonly"),
            IndexRecordOption::WithFreqs,
        );
        assert_eq!(body_only, top(&term));
        assert!(top(any("nowhere").as_ref()).is_empty());
        let with_common = BooleanQuery::new(vec![
            (Occur::Must, any("common")),
            (Occur::Must, any("bodyonly")),
        ]);
        assert_eq!(top(&with_common).len(), 4);
    }
}
