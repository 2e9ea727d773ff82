//! The SQL of a question page's related questions, the same on both engines (`?n` placeholders): the most
//! liked questions of each of its tags, each with how many of its tags it shares.

use crate::domain::related::CANDIDATES_PER_TAG;

/// Candidates for the question `?1` with `tags` tag names (`?2` ...): id, subject, tags (as stored),
/// likes; `None` without tags. One statement: each tag's most liked questions (by its index on likes).
/// The tags each shares are counted from its own (counting them in SQL walked every question of every
/// tag, or ran a statement per candidate).
pub fn candidates_sql(tags: usize) -> Option<String> {
    if tags == 0 {
        return None;
    }
    let names: Vec<String> = (0..tags).map(|at| format!("?{}", at + 2)).collect();
    let per_tag: Vec<String> = names
        .iter()
        .map(|name| {
            format!(
                "SELECT question_id FROM (
                     SELECT question_id FROM question_tags
                     WHERE tag_id = (SELECT id FROM tags WHERE name = {name}) AND question_id <> ?1
                     ORDER BY like_count DESC, question_id DESC LIMIT {CANDIDATES_PER_TAG}) AS of_tag"
            )
        })
        .collect();
    Some(format!(
        "WITH candidates AS ({})
         SELECT q.id, q.subject, q.tags, q.like_count
         FROM candidates c JOIN questions q ON q.id = c.question_id",
        per_tag.join(" UNION ")
    ))
}
