//! Visitors' pages, kept in memory until the next write. A visitor (no session cookie) sees the same list,
//! search or question page as every other visitor in the same language: no name, no flash, no CSRF token.
//! Such a page is rendered once and served from memory until this process commits any write, so a new post,
//! an edit or a like shows on the very next request. Entries also lapse after [`MAX_AGE`], for changes made
//! to the file by another process (an operator's `sqlite3`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use bytes::Bytes;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response,
    http::{HeaderMap, Method, StatusCode, header},
};
use tokio::sync::{Notify, futures::OwnedNotified};

use super::{
    AppState,
    session::{SESSION_COOKIE, request_lang, wants_fragment},
};
use crate::i18n::Lang;

/// How long an entry may be served at most, whatever the write count says.
pub const MAX_AGE: Duration = Duration::from_secs(2);

/// The most page bytes kept (a list page is about 11 KB); the peak memory target leaves room for this.
pub const CAPACITY_BYTES: usize = 4 * 1024 * 1024;

/// Put on a response by a handler whose output depends only on the URL, the language, whether htmx asked
/// for a fragment, and the database: the pages a visitor sees.
#[derive(Clone, Copy)]
pub struct SameForEveryVisitor;

/// Marks `page` as cacheable for visitors (see [`SameForEveryVisitor`]).
pub fn same_for_every_visitor(page: impl IntoResponse) -> Response {
    let mut response = page.into_response();
    response.extensions_mut().insert(SameForEveryVisitor);
    response
}

#[derive(Clone, Hash, PartialEq, Eq)]
struct Key {
    lang: Lang,
    fragment: bool,
    path_and_query: String,
}

struct Entry {
    generation: u64,
    stored_at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<Key, Entry>,
    bytes: usize,
}

/// The cache; one per process, shared by every request.
pub struct PageCache {
    entries: Mutex<Entries>,
    capacity_bytes: usize,
    /// Pages being rendered: who asks for one meanwhile waits for it instead of rendering it again (after a
    /// write, 64 waiting visitors would otherwise run the same search 64 times).
    rendering: Mutex<HashMap<Key, Arc<Notify>>>,
}

/// What a request that missed the cache does.
enum Turn<'a> {
    /// Render the page; the guard lets the waiters go when dropped, even if the request is cancelled.
    Render(Rendering<'a>),
    /// Another request is rendering it: wait, then look again.
    Wait(OwnedNotified),
}

struct Rendering<'a> {
    cache: &'a PageCache,
    key: Key,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        let mut rendering = lock(&self.cache.rendering);
        if let Some(done) = rendering.remove(&self.key) {
            done.notify_waiters();
        }
    }
}

/// Cache state is whole values: a panic elsewhere cannot leave one half-written, so a poisoned lock is fine.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Default for PageCache {
    fn default() -> Self {
        Self::with_capacity(CAPACITY_BYTES)
    }
}

impl PageCache {
    pub fn with_capacity(capacity_bytes: usize) -> Self {
        Self {
            entries: Mutex::default(),
            capacity_bytes,
            rendering: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        lock(&self.entries)
    }

    fn turn(&self, key: &Key) -> Turn<'_> {
        let mut rendering = lock(&self.rendering);
        if let Some(done) = rendering.get(key) {
            // Made under the lock, so the renderer's wake-up cannot slip in before it.
            return Turn::Wait(done.clone().notified_owned());
        }
        rendering.insert(key.clone(), Arc::new(Notify::new()));
        Turn::Render(Rendering {
            cache: self,
            key: key.clone(),
        })
    }

    fn get(&self, key: &Key, generation: u64) -> Option<Response> {
        let entries = self.lock();
        let entry = entries.pages.get(key)?;
        if !entry.is_current(generation) {
            return None;
        }
        let mut response = Response::builder()
            .status(StatusCode::OK)
            .body(Body::from(entry.body.clone()));
        *response.headers_mut() = entry.headers.clone();
        Some(response)
    }

    fn put(&self, key: Key, generation: u64, headers: HeaderMap, body: Bytes) {
        if body.len() > self.capacity_bytes / 8 {
            return;
        }
        let mut entries = self.lock();
        if let Some(old) = entries.pages.remove(&key) {
            entries.bytes -= old.body.len();
        }
        if entries.bytes + body.len() > self.capacity_bytes {
            // Out-of-date entries go; if that frees less than a quarter, everything goes. Either way the next
            // quarter of the capacity fills without another pass, so a crawler's stream of new URLs costs
            // no more per page than one hit.
            let now = Instant::now();
            entries
                .pages
                .retain(|_, entry| entry.is_current_at(generation, now));
            entries.bytes = entries.pages.values().map(|entry| entry.body.len()).sum();
            if entries.bytes + body.len() > self.capacity_bytes / 4 * 3 {
                entries.pages.clear();
                entries.bytes = 0;
            }
        }
        entries.bytes += body.len();
        entries.pages.insert(
            key,
            Entry {
                generation,
                stored_at: Instant::now(),
                headers,
                body,
            },
        );
    }
}

impl Entry {
    fn is_current(&self, generation: u64) -> bool {
        self.is_current_at(generation, Instant::now())
    }

    fn is_current_at(&self, generation: u64, now: Instant) -> bool {
        self.generation == generation && now.duration_since(self.stored_at) < MAX_AGE
    }
}

/// The cache key of a visitor's GET; `None` for anyone with a session (their pages carry their name).
fn visitor_key(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || req.cookie().get(SESSION_COOKIE).is_some() {
        return None;
    }
    Some(Key {
        lang: request_lang(req),
        fragment: wants_fragment(req),
        path_and_query: req.uri().path_and_query()?.as_str().to_owned(),
    })
}

/// Outside the session and CSRF layers: a visitor's page from memory when nothing was written since it was
/// rendered, else rendered and kept if its handler marked it [`SameForEveryVisitor`].
pub async fn serve_visitor_pages<E: Endpoint>(
    next: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let cache = req.data::<Arc<AppState>>().cloned();
    let (Some(state), Some(key)) = (cache, visitor_key(&req)) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let mut waited = false;
    let (generation, _rendering) = loop {
        // Read before the page is: a write committed while it renders makes the entry out of date at once.
        let generation = state.db.generation();
        if let Some(page) = state.pages.get(&key, generation) {
            return Ok(page);
        }
        match state.pages.turn(&key) {
            Turn::Render(rendering) => break (generation, Some(rendering)),
            // Once only: after a write that lands mid-render, waiting again could go on for as long as the
            // writes do.
            Turn::Wait(_) if waited => break (generation, None),
            Turn::Wait(done) => {
                done.await;
                waited = true;
            }
        }
    };
    let response = next.call(req).await?.into_response();
    if response.status() != StatusCode::OK
        || response.extensions().get::<SameForEveryVisitor>().is_none()
    {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = body.into_bytes().await?;
    let mut shared_headers = parts.headers.clone();
    // The CSRF cookie handed to this visitor is theirs alone.
    shared_headers.remove(header::SET_COOKIE);
    state
        .pages
        .put(key, generation, shared_headers, body.clone());
    Ok(Response::from_parts(parts, Body::from(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> Key {
        Key {
            lang: Lang::En,
            fragment: false,
            path_and_query: path.into(),
        }
    }

    fn page(bytes: usize) -> Bytes {
        Bytes::from(vec![b'x'; bytes])
    }

    #[test]
    fn a_write_makes_every_entry_out_of_date() {
        let cache = PageCache::with_capacity(1024);
        cache.put(key("/"), 7, HeaderMap::new(), page(10));
        assert!(cache.get(&key("/"), 7).is_some());
        assert!(cache.get(&key("/"), 8).is_none());
        assert!(cache.get(&key("/?page=2"), 7).is_none());
    }

    #[test]
    fn memory_stays_within_capacity() {
        let cache = PageCache::with_capacity(1000);
        for n in 0..100 {
            cache.put(key(&format!("/?page={n}")), 1, HeaderMap::new(), page(100));
            let entries = cache.lock();
            let held: usize = entries.pages.values().map(|e| e.body.len()).sum();
            assert_eq!(held, entries.bytes);
            assert!(held <= 1000, "{held} bytes held");
        }
        // The newest page is always kept.
        assert!(cache.get(&key("/?page=99"), 1).is_some());
        // A page too big to be worth keeping is not kept.
        cache.put(key("/big"), 1, HeaderMap::new(), page(200));
        assert!(cache.get(&key("/big"), 1).is_none());
    }

    #[test]
    fn when_full_out_of_date_pages_go_before_current_ones() {
        let cache = PageCache::with_capacity(1000);
        for n in 0..6 {
            cache.put(key(&format!("/old/{n}")), 1, HeaderMap::new(), page(100));
        }
        for n in 0..5 {
            cache.put(key(&format!("/new/{n}")), 2, HeaderMap::new(), page(100));
        }
        for n in 0..5 {
            assert!(
                cache.get(&key(&format!("/new/{n}")), 2).is_some(),
                "/new/{n}"
            );
        }
        assert_eq!(cache.lock().pages.len(), 5);
    }

    #[tokio::test]
    async fn one_request_renders_a_page_while_the_others_wait_for_it() {
        let cache = PageCache::default();
        let Turn::Render(rendering) = cache.turn(&key("/")) else {
            panic!("the first request renders");
        };
        let Turn::Wait(waiting) = cache.turn(&key("/")) else {
            panic!("the second waits");
        };
        assert!(matches!(cache.turn(&key("/other")), Turn::Render(_)));
        let waiter = tokio::spawn(waiting);
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        // Finished (or cancelled): the waiters go, and the next miss renders again.
        drop(rendering);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("woken")
            .expect("joined");
        assert!(matches!(cache.turn(&key("/")), Turn::Render(_)));
    }
}
