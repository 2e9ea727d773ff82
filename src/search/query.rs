//! A parsed search as a query on the index: every wanted word or phrase in some field (or, as the fallback,
//! any of them), nothing unwanted in any, scored with BM25 per field under the weights below.

use tantivy::{
    DocSet, Searcher, TERMINATED, Term,
    query::{BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery},
    schema::{Field, IndexRecordOption},
};

use super::Fields;
use crate::domain::search::SearchQuery;

/// How much a match in each field counts. A question is found by its subject above all: the words typed
/// in the title count three times a match in the question's body, which counts more than one somewhere in
/// its answers.
const SUBJECT_WEIGHT: f32 = 3.0;
const BODY_WEIGHT: f32 = 1.0;
const ANSWERS_WEIGHT: f32 = 0.6;
const AUTHORS_WEIGHT: f32 = 1.0;
/// Extra for the whole query standing as one phrase in the subject (typing a title finds that title first)
/// or in the body (a remembered sentence finds its question).
const SUBJECT_PHRASE_BOOST: f32 = 4.0;
const BODY_PHRASE_BOOST: f32 = 1.5;

/// Whether every wanted part must match, or any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    AllWords,
    AnyWord,
}

fn term_or_phrase(field: Field, terms: &[String]) -> Box<dyn Query> {
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
        Box::new(PhraseQuery::new(terms))
    }
}

/// One word or phrase, in any field, each field under its weight.
fn in_any_field(fields: &Fields, terms: &[String]) -> Box<dyn Query> {
    let weighted = [
        (fields.subject, SUBJECT_WEIGHT),
        (fields.body, BODY_WEIGHT),
        (fields.answers, ANSWERS_WEIGHT),
        (fields.authors, AUTHORS_WEIGHT),
    ];
    Box::new(BooleanQuery::new(
        weighted
            .into_iter()
            .map(|(field, weight)| {
                let query: Box<dyn Query> =
                    Box::new(BoostQuery::new(term_or_phrase(field, terms), weight));
                (Occur::Should, query)
            })
            .collect(),
    ))
}

pub fn build(fields: &Fields, query: &SearchQuery, matching: Matching) -> Box<dyn Query> {
    let wanted = match matching {
        Matching::AllWords => Occur::Must,
        Matching::AnyWord => Occur::Should,
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = query
        .wanted()
        .iter()
        .map(|terms| (wanted, in_any_field(fields, terms)))
        .collect();
    clauses.extend(
        query
            .unwanted()
            .iter()
            .map(|terms| (Occur::MustNot, in_any_field(fields, terms))),
    );
    let whole = query.as_phrase();
    if matching == Matching::AllWords && whole.len() > 1 {
        for (field, boost) in [
            (fields.subject, SUBJECT_PHRASE_BOOST),
            (fields.body, BODY_PHRASE_BOOST),
        ] {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(term_or_phrase(field, &whole), boost)),
            ));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// How many questions match, counted up to `cap`; `true` when there are more than `cap`.
pub fn count_up_to(
    searcher: &Searcher,
    query: &dyn Query,
    cap: u64,
) -> tantivy::Result<(u64, bool)> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
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
    Ok((count, false))
}
