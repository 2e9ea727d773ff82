//! A question page's related questions: those that share the most of its tags, and among those the ones
//! whose subjects share the most of its subject's words, then the most liked, then the newest.

use super::{board::QuestionId, search::SearchQuery, tags::Tags};

/// Related questions a question page shows at most.
pub const RELATED_SHOWN: usize = 5;

/// Candidates taken from each of a question's tags (its most liked questions).
pub const CANDIDATES_PER_TAG: i64 = 10;

/// A question that shares a tag with the one shown.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: QuestionId,
    pub subject: String,
    /// Its own tags.
    pub tags: Tags,
    pub like_count: i64,
}

/// The candidates most related to a question with `tags` and `subject`, best first, [`RELATED_SHOWN`]
/// at most.
pub fn rank(tags: &Tags, subject: &str, candidates: Vec<Candidate>) -> Vec<QuestionId> {
    let words = SearchQuery::of_text(subject).terms();
    let mut scored: Vec<(i64, usize, i64, i64)> = candidates
        .into_iter()
        .map(|candidate| {
            let theirs = SearchQuery::of_text(&candidate.subject).terms();
            let shared_words = words
                .iter()
                .filter(|word| theirs.iter().any(|their| same_word(word, their)))
                .count();
            (
                tags.shared_with(&candidate.tags),
                shared_words,
                candidate.like_count,
                candidate.id.0,
            )
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.cmp(a));
    scored
        .into_iter()
        .map(|(_, _, _, id)| QuestionId(id))
        .take(RELATED_SHOWN)
        .collect()
}

/// Whether two words of subjects are one: equal, or one the other with an ending (`파이썬` and `파이썬을`,
/// `question` and `questions`), the shorter at least two letters.
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    a == b || (long.starts_with(short) && short.chars().count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, subject: &str, tags: &str, like_count: i64) -> Candidate {
        Candidate {
            id: QuestionId(id),
            subject: subject.to_owned(),
            tags: Tags::stored(tags),
            like_count,
        }
    }

    #[test]
    fn more_shared_tags_first_then_more_shared_words_then_likes() {
        let ranked = rank(
            &Tags::stored("rust io"),
            "How do I read a file in Rust?",
            vec![
                candidate(1, "Unrelated words here", "rust", 50),
                candidate(2, "Read a file line by line", "io", 0),
                candidate(3, "Something else entirely", "io flask rust", 0),
                candidate(4, "Reading files", "rust", 3),
                candidate(5, "Unrelated again", "rust sql", 60),
                candidate(6, "One more", "io", 1),
            ],
        );
        assert_eq!(
            ranked,
            [3, 2, 4, 5, 1].map(QuestionId),
            "two tags beat words; words beat likes; five at most"
        );
    }

    #[test]
    fn korean_words_match_with_their_particles() {
        let ranked = rank(
            &Tags::stored("python"),
            "파이썬 리스트 정렬",
            vec![
                candidate(1, "자바 질문", "python", 9),
                candidate(2, "파이썬을 배우는 중", "python", 0),
            ],
        );
        assert_eq!(ranked, [2, 1].map(QuestionId));
    }
}
