//! The top of a ranking in one total order: score, then likes, then the newer question. Tantivy's own
//! top-k breaks equal scores by where a document sits in the index, so a page cut through a run of equal
//! scores kept a different part of the run than the next page, and a question could show twice or never.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, HashMap},
    sync::{Arc, Mutex},
};

use tantivy::{
    DocAddress, DocId, Score, SegmentReader,
    collector::{Collector, SegmentCollector},
    columnar::Column,
    index::SegmentId,
    query::Weight,
};

/// A segment's id and likes columns.
pub struct SegmentColumns {
    pub ids: Column<u64>,
    pub likes: Column<i64>,
}

/// Each segment's columns, opened once: opening one reads its block table (2,000 blocks at a million
/// questions), which was a fifth of a search's time when done per search and per hit.
#[derive(Default)]
pub struct Columns {
    by_segment: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl Columns {
    pub fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let mut open = self.by_segment.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(columns) = open.get(&segment.segment_id()) {
            return Ok(columns.clone());
        }
        let fast = segment.fast_fields();
        let columns = Arc::new(SegmentColumns {
            ids: fast.u64("id")?,
            likes: fast.i64("likes")?,
        });
        open.insert(segment.segment_id(), columns.clone());
        Ok(columns)
    }

    /// Forgets the columns of segments no longer searched (merged away, or all deleted).
    pub fn keep_only(&self, live: &[SegmentId]) {
        self.by_segment
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|segment, _| live.contains(segment));
    }
}

/// Where a question stands in the ranking; greater is better, and no two questions stand level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standing {
    pub score: Score,
    pub likes: i64,
    pub id: u64,
}

impl Eq for Standing {}

impl Ord for Standing {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.score
            .total_cmp(&other.score)
            .then(self.likes.cmp(&other.likes))
            .then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Standing {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Puts ranked matches in order, best first.
pub fn best_first(ranked: &mut [(Standing, DocAddress)]) {
    ranked.sort_unstable_by_key(|(standing, _)| Reverse(*standing));
}

/// The best `limit` matches, best first.
pub struct Best<'a> {
    pub limit: usize,
    pub columns: &'a Columns,
}

pub struct BestOfSegment {
    segment_ord: u32,
    columns: Arc<SegmentColumns>,
    kept: TopK,
}

/// A bounded heap of the best standings seen.
struct TopK {
    limit: usize,
    heap: BinaryHeap<Reverse<(Standing, DocId)>>,
}

impl TopK {
    fn push(&mut self, standing: Standing, doc: DocId) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse((standing, doc)));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && standing > worst.0.0
        {
            *worst = Reverse((standing, doc));
        }
    }

    /// Scores at or above this may still enter: a question scoring level with the worst kept can
    /// outrank it on likes or recency, so the bar sits just below that score.
    fn bar(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() == self.limit => worst.0.0.score.next_down(),
            _ => Score::MIN,
        }
    }
}

impl BestOfSegment {
    fn offer(&mut self, doc: DocId, score: Score) {
        let standing = Standing {
            score,
            likes: self.columns.likes.first(doc).unwrap_or(0),
            id: self.columns.ids.first(doc).unwrap_or(0),
        };
        self.kept.push(standing, doc);
    }
}

impl SegmentCollector for BestOfSegment {
    type Fruit = Vec<(Standing, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> Self::Fruit {
        let segment_ord = self.segment_ord;
        self.kept
            .heap
            .into_iter()
            .map(|Reverse((standing, doc))| (standing, DocAddress::new(segment_ord, doc)))
            .collect()
    }
}

impl Collector for Best<'_> {
    type Fruit = Vec<(Standing, DocAddress)>;
    type Child = BestOfSegment;

    fn for_segment(
        &self,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<BestOfSegment> {
        Ok(BestOfSegment {
            segment_ord,
            columns: self.columns.of(reader)?,
            kept: TopK {
                limit: self.limit,
                heap: BinaryHeap::with_capacity(self.limit.min(1_024) + 1),
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Standing, DocAddress)> = fruits.into_iter().flatten().collect();
        best_first(&mut all);
        all.truncate(self.limit);
        Ok(all)
    }

    /// Lets the query skip what cannot reach the kept set (block-max WAND for one word's union).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut segment = self.for_segment(segment_ord, reader)?;
        if self.limit > 0 {
            let alive = reader.alive_bitset();
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    segment.offer(doc, score);
                }
                segment.kept.bar()
            })?;
        }
        Ok(segment.harvest())
    }
}
