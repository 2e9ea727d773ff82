//! A tag's question list in `question_tags`, the same SQL on both engines (written with `?n` placeholders;
//! PostgreSQL's side turns them into `$n`). A page within the first 2,000 rows of a tab is a plain OFFSET
//! over the tab's index; a deeper one (only a tag counted in `tag_rank_*` has that many) starts from the
//! block of question ids that holds its first row, found by adding up the tag's counts, so page 5,000
//! costs about what page 1 does.

use crate::domain::board::ListSort;

/// Below this offset a plain OFFSET over the tab's index is cheapest.
pub const DIRECT_OFFSET_LIMIT: i64 = 2_000;

/// Question ids per block in `tag_rank_blocks` (`question_id >> 13`).
const BLOCK_BITS: i64 = 13;

/// One tab of a tag's list: which links it holds and in what order, each served by one of the table's
/// indexes, and where its counts are kept.
#[derive(Clone, Copy)]
pub struct TagTab {
    /// The sort in `tag_rank_*`: 0 newest, 1 likes, 2 answers, 3 accepted.
    sort_code: i64,
    /// The column ordering the tab before the id, if any (`like_count`, `answer_count`).
    key: Option<&'static str>,
    /// For a tab that holds some links: the condition, which is one score (0) of `sort_code`.
    condition: &'static str,
}

impl TagTab {
    pub fn of(sort: ListSort) -> Self {
        let (sort_code, key, condition) = match sort {
            ListSort::Recent | ListSort::Best => (0, None, ""),
            ListSort::Likes => (1, Some("like_count"), ""),
            ListSort::Answers => (2, Some("answer_count"), ""),
            ListSort::Unanswered => (2, None, "AND answer_count = 0"),
            ListSort::Unaccepted => (3, None, "AND accepted = 0"),
        };
        Self {
            sort_code,
            key,
            condition,
        }
    }

    /// Whether the tab holds every link of the tag (its total is the tag's count).
    pub fn holds_every_question(self) -> bool {
        self.condition.is_empty()
    }

    /// How many links the tab holds, for a tab that holds some (`?1` the tag): from the counts when the tag
    /// is counted, else counted from the links (fewer than 1,000).
    pub fn total_sql(self) -> String {
        format!(
            "SELECT coalesce(
                 (SELECT n FROM tag_rank_scores WHERE tag_id = ?1 AND sort = {} AND score = 0),
                 (SELECT count(*) FROM question_tags WHERE tag_id = ?1 {}))",
            self.sort_code, self.condition
        )
    }

    /// A counted tag's rows per score in this tab, the first score first (`?1` the tag).
    pub fn scores_sql(self) -> String {
        format!(
            "SELECT score, n FROM tag_rank_scores WHERE tag_id = ?1 AND sort = {} {} ORDER BY score DESC",
            self.sort_code,
            self.one_score()
        )
    }

    /// A counted tag's rows per block of one score in this tab, the first block first (`?1` the tag, `?2`
    /// the score).
    pub fn blocks_sql(self) -> String {
        format!(
            "SELECT block, n FROM tag_rank_blocks WHERE tag_id = ?1 AND sort = {} AND score = ?2
             ORDER BY block DESC",
            self.sort_code
        )
    }

    /// For a tab of one score (newest, unanswered, no accepted answer): only that score's counts.
    fn one_score(self) -> &'static str {
        if self.key.is_none() {
            "AND score = 0"
        } else {
            ""
        }
    }

    /// Where row `?2` of the tab is (`?1` the tag): the score that holds it, the block within that score,
    /// and the rows before that block; no row when the tag is not counted. The scores are added up first,
    /// then the blocks of that score only. One statement, so one round trip to PostgreSQL; SQLite adds the
    /// rows of `scores_sql` and `blocks_sql` up as it steps through them, cheaper there than window sums.
    pub fn locate_sql(self) -> String {
        let one_score = self.one_score();
        let sort = self.sort_code;
        format!(
            "WITH scores AS (
                 SELECT score, n, CAST(sum(n) OVER (ORDER BY score DESC) AS BIGINT) AS running
                 FROM tag_rank_scores WHERE tag_id = ?1 AND sort = {sort} {one_score}),
             reached AS (
                 SELECT score, running - n AS before FROM scores WHERE running > ?2
                 ORDER BY score DESC LIMIT 1),
             blocks AS (
                 SELECT b.block, b.n, reached.score,
                        reached.before + CAST(sum(b.n) OVER (ORDER BY b.block DESC) AS BIGINT) AS running
                 FROM tag_rank_blocks b JOIN reached ON b.score = reached.score
                 WHERE b.tag_id = ?1 AND b.sort = {sort})
             SELECT score, block, running - n FROM blocks WHERE running > ?2 ORDER BY block DESC LIMIT 1"
        )
    }

    /// The values `locate_sql` takes for row `offset` of the tab.
    pub fn locate_values(self, tag_id: i64, offset: i64) -> [i64; 2] {
        [tag_id, offset]
    }

    /// The page of `limit` rows at `offset`: from the top of the tab, or from the located block on (the
    /// rest of its score; `rest` adds the lower scores when the page runs past it).
    pub fn page(
        self,
        tag_id: i64,
        located: Option<Located>,
        offset: i64,
        limit: i64,
    ) -> (String, Vec<i64>) {
        let condition = self.condition;
        let order = match self.key {
            Some(key) => format!("{key} DESC, question_id DESC"),
            None => "question_id DESC".to_owned(),
        };
        match (located, self.key) {
            (None, _) => (
                format!(
                    "SELECT question_id FROM question_tags WHERE tag_id = ?1 {condition}
                     ORDER BY {order} LIMIT ?2 OFFSET ?3"
                ),
                vec![tag_id, limit, offset],
            ),
            (Some(located), None) => (
                format!(
                    "SELECT question_id FROM question_tags WHERE tag_id = ?1 {condition} AND question_id < ?2
                     ORDER BY question_id DESC LIMIT ?3 OFFSET ?4"
                ),
                vec![
                    tag_id,
                    block_end(located.block),
                    limit,
                    offset - located.before,
                ],
            ),
            (Some(located), Some(key)) => (
                format!(
                    "SELECT question_id FROM question_tags WHERE tag_id = ?1 AND question_id < ?2
                     AND {key} = ?5 ORDER BY question_id DESC LIMIT ?3 OFFSET ?4"
                ),
                vec![
                    tag_id,
                    block_end(located.block),
                    limit,
                    offset - located.before,
                    located.score,
                ],
            ),
        }
    }

    /// After a page from a located block that came out `missing` rows short: the lower scores' first rows.
    pub fn rest(self, tag_id: i64, located: Located, missing: i64) -> Option<(String, Vec<i64>)> {
        let key = self.key?;
        Some((
            format!(
                "SELECT question_id FROM question_tags WHERE tag_id = ?1 AND {key} < ?2
                 ORDER BY {key} DESC, question_id DESC LIMIT ?3"
            ),
            vec![tag_id, located.score, missing],
        ))
    }
}

/// Where a deep page starts: the score that holds its first row, the block of ids within that score, and
/// the tab's rows before that block.
#[derive(Clone, Copy, Debug)]
pub struct Located {
    pub score: i64,
    pub block: i64,
    pub before: i64,
}

/// The first question id past `block`.
fn block_end(block: i64) -> i64 {
    (block + 1) << BLOCK_BITS
}
