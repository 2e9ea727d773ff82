//! Counting question views without a write per view: views wait in memory and are written in one
//! transaction every few seconds (and when the server stops), where each viewer counts at most once an
//! hour. A view is not a change visitors' cached pages wait for: counts shown may lag by the interval plus
//! the page cache's two seconds.

use std::{collections::HashMap, sync::Mutex};

use crate::{
    domain::{
        board::QuestionId,
        views::{Viewer, ViewerKey},
    },
    store::{Store, StoreResult},
    sync::lock,
};

/// Views waiting at most: past this many (a flood of new addresses, 2,000 a second), more are not counted
/// until the next write, so memory stays bounded (50,000 kept ~10 MB in the allocator after a flood).
const MAX_WAITING: usize = 10_000;

/// Views not yet written: each question and viewer once, at the first view's time.
pub struct ViewBuffer {
    /// What viewers are hashed with (derived from the server's secret).
    key: [u8; 32],
    waiting: Mutex<HashMap<(QuestionId, ViewerKey), i64>>,
}

impl ViewBuffer {
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            key,
            waiting: Mutex::default(),
        }
    }

    /// Notes that `viewer` viewed `question` at `at` (Unix seconds).
    pub fn record(&self, question: QuestionId, viewer: Viewer, at: i64) {
        let viewer = ViewerKey::of(&self.key, viewer);
        let mut waiting = lock(&self.waiting);
        if waiting.len() < MAX_WAITING {
            waiting.entry((question, viewer)).or_insert(at);
        }
    }

    /// Writes the views waiting, in one transaction; returns how many counted (a viewer counted on the
    /// question within the hour does not count again). Views that fail to be written are dropped: a
    /// count a few short is better than a write retried forever.
    pub async fn write(&self, store: &Store, now: i64) -> StoreResult<u64> {
        let waiting = std::mem::take(&mut *lock(&self.waiting));
        let views: Vec<(QuestionId, ViewerKey, i64)> = waiting
            .into_iter()
            .map(|((question, viewer), at)| (question, viewer, at))
            .collect();
        if views.is_empty() {
            return Ok(0);
        }
        store.count_views(views, now).await
    }
}
